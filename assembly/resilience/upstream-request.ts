// Requests the plugin sends itself through HTTP callouts (health checks, retries, provider fallback): the same
// pseudo-headers, key and protocol headers a forwarded request would carry.
import { HeaderPair } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { authHeader, pathWithKey } from "../providers/auth";
import { bodyHeadersOf, signingHeaders } from "../providers/module";
import { Protocol } from "../protocol/api";
import { targetHeaderValue, UpstreamTarget } from "../providers/resolve";

/** Headers of a POST to `target` with a JSON body. `anthropicBeta` is forwarded to Anthropic upstreams. */
export function calloutHeaders(target: UpstreamTarget, token: string, claudeVersion: string, anthropicBeta: string | null): Array<HeaderPair> {
  const headers: Array<HeaderPair> = [
    new HeaderPair(":method", "POST"),
    new HeaderPair(":path", pathWithKey(target.auth, target.path, token)),
    new HeaderPair(":authority", target.authority),
    new HeaderPair("content-type", "application/json"),
  ];
  const auth = target.accessToken.length > 0 ? new HeaderPair("authorization", "Bearer " + target.accessToken) : authHeader(target.auth, token);
  if (auth !== null) headers.push(auth);
  if (target.upstreamProtocol == Protocol.Anthropic) {
    headers.push(new HeaderPair("anthropic-version", claudeVersion));
    if (anthropicBeta !== null && anthropicBeta.length > 0) headers.push(new HeaderPair("anthropic-beta", anthropicBeta));
  }
  for (let i = 0; i < target.headers.length; i++) {
    const pair = target.headers[i];
    let at = -1;
    for (let j = 0; j < headers.length; j++) if (headers[j].key == pair.key) at = j;
    const value = targetHeaderValue(pair, at >= 0 ? headers[at].value : null);
    if (at >= 0) headers[at] = new HeaderPair(pair.key, value);
    else headers.push(new HeaderPair(pair.key, value));
  }
  return headers;
}

/**
 * The headers `p`'s module computes from the final upstream body (`target.path` final too): a signature over it
 * (SigV4: Bedrock; TC3: Hunyuan) or a switch the body decides (DashScope's SSE). Empty for most providers. One place
 * for forwarded requests (set over the held headers) and the plugin's own callouts.
 */
export function bodyDependentHeaders(p: ProviderConfig, target: UpstreamTarget, body: Uint8Array, nowMs: i64): Array<HeaderPair> {
  const out = signingHeaders(p, target.authority, target.path, body, nowMs);
  return target.bodyHeaders ? out.concat(bodyHeadersOf(p, target.authority, body, nowMs / 1000)) : out;
}

/** `headers` with bodyDependentHeaders(), replacing same-named ones. */
export function withBodyHeaders(headers: Array<HeaderPair>, p: ProviderConfig, target: UpstreamTarget, body: Uint8Array, nowMs: i64): Array<HeaderPair> {
  const signed = bodyDependentHeaders(p, target, body, nowMs);
  if (signed.length == 0) return headers;
  const out: Array<HeaderPair> = [];
  for (let i = 0; i < headers.length; i++) {
    let replaced = false;
    for (let j = 0; j < signed.length; j++) if (signed[j].key == headers[i].key) replaced = true;
    if (!replaced) out.push(headers[i]);
  }
  return out.concat(signed);
}
