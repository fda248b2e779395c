// Requests the plugin sends itself through HTTP callouts (health checks, retries, provider fallback): the same
// pseudo-headers, key and protocol headers a forwarded request would carry.
import { HeaderPair } from "../abi";
import { authHeader } from "../providers/auth";
import { Protocol } from "../protocol/api";
import { UpstreamTarget } from "../providers/resolve";

/** Headers of a POST to `target` with a JSON body. `anthropicBeta` is forwarded to Anthropic upstreams. */
export function calloutHeaders(target: UpstreamTarget, token: string, claudeVersion: string, anthropicBeta: string | null): Array<HeaderPair> {
  const headers: Array<HeaderPair> = [
    new HeaderPair(":method", "POST"),
    new HeaderPair(":path", target.path),
    new HeaderPair(":authority", target.authority),
    new HeaderPair("content-type", "application/json"),
  ];
  const auth = target.accessToken.length > 0 ? new HeaderPair("authorization", "Bearer " + target.accessToken) : authHeader(target.auth, token);
  if (auth !== null) headers.push(auth);
  if (target.upstreamProtocol == Protocol.Anthropic) {
    headers.push(new HeaderPair("anthropic-version", claudeVersion));
    if (anthropicBeta !== null && anthropicBeta.length > 0) headers.push(new HeaderPair("anthropic-beta", anthropicBeta));
  }
  return headers;
}
