// Request-header rewrites done in the request-headers callback (stock Envoy forwards headers before the
// plugin can read the body, so everything that does not depend on the body happens here).
import { callForeignFunction, HeaderMapEdits, hostIsHigress } from "../abi";
import { AuthScheme, authHeader } from "../providers/auth";
import { Protocol } from "../protocol/api";
import { stripCredentialParams } from "../protocol/secrets";
import { targetHeaderValue, UpstreamTarget } from "../providers/resolve";

/** Every header a client may carry its own credentials in; none of them ever reaches a provider. */
const CLIENT_CREDENTIAL_HEADERS: Array<string> = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization", "x-amz-security-token"];

export function stripClientCredentials(h: HeaderMapEdits): void {
  for (let i = 0; i < CLIENT_CREDENTIAL_HEADERS.length; i++) h.remove(CLIENT_CREDENTIAL_HEADERS[i]);
}

export function injectProviderKey(h: HeaderMapEdits, auth: AuthScheme, token: string): void {
  const pair = authHeader(auth, token);
  if (pair !== null) h.set(pair.key, pair.value);
}

/**
 * A key about to go in :path (QueryKey: Vertex AI express mode) must not reach access logs, whose default format (Envoy's,
 * Istio's, Higress's) prints %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%: that header gets the client's path, without credential
 * parameters, unless a route's rewrite already set it.
 */
export function keepClientPath(h: HeaderMapEdits, auth: AuthScheme, token: string, received: string): void {
  if (auth == AuthScheme.QueryKey && token.length > 0 && h.get("x-envoy-original-path") === null) h.set("x-envoy-original-path", stripCredentialParams(received));
}

/**
 * Protocol headers the upstream expects: Anthropic wants anthropic-version; OpenAI gets no Anthropic headers.
 * An Anthropic client's own anthropic-version (and anthropic-beta) reach an Anthropic upstream unless the
 * configuration pins claudeVersion: the version decides which fields the API accepts (2026-10-21 rejects
 * sampling parameters), so replacing it would break requests the client built for its version.
 */
export function setProtocolHeaders(h: HeaderMapEdits, upstream: Protocol, claudeVersion: string, pinned: bool = true): void {
  if (upstream == Protocol.Anthropic) {
    if (pinned || h.get("anthropic-version") === null) h.set("anthropic-version", claudeVersion);
  } else {
    h.remove("anthropic-version");
    h.remove("anthropic-beta");
  }
}

/** The headers the provider's configuration adds (UpstreamTarget.headers), over the client's. */
export function applyTargetHeaders(h: HeaderMapEdits, target: UpstreamTarget): void {
  for (let i = 0; i < target.headers.length; i++) {
    const pair = target.headers[i];
    h.set(pair.key, targetHeaderValue(pair, h.get(pair.key)));
  }
}

/**
 * The plugin reads every answer it forwards (error bodies, SSE events, redaction), so it asks for identity
 * encoding; an upstream that compresses anyway is treated as broken (stream.ts, 502).
 */
export function askForIdentity(h: HeaderMapEdits): void {
  h.set("accept-encoding", "identity");
}

/** The body will be rewritten: Envoy never fixes content-length for us, so drop it (the request goes out chunked). */
export function prepareForBodyRewrite(h: HeaderMapEdits): void {
  h.remove("content-length");
}

/**
 * Envoy >= 1.33 no longer re-matches the route when a plugin rewrites :authority/:path; it offers the
 * foreign function clear_route_cache instead. Older Envoy and Higress re-match by themselves and answer
 * NotFound, which is fine. Higress's wasm-go test host aborts the whole process on a foreign function it does
 * not know, so a host that answers Higress's own `get_log_level` (that test host, newer Higress) is not asked.
 */
export function clearRouteCache(): void {
  if (!hostIsHigress()) callForeignFunction("clear_route_cache", new ArrayBuffer(0));
}
