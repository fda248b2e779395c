// firstByteTimeout (Higress ai-proxy, milliseconds): a streamed request's upstream must start answering in time.
// Higress's own Envoy reads `x-envoy-upstream-rq-first-byte-timeout-ms`, which upstream Envoy does not know. Upstream
// Envoy's per-try timeout header does the same for a streamed answer: the router starts the timer when the request has
// been sent, answers 504 "upstream request timeout" when it fires before the response started, and ignores it once the
// response to the client has started (router filter docs, x-envoy-upstream-rq-per-try-timeout-ms; the route timeout
// still bounds the whole answer). The router removes the header before the request goes upstream.
// Whether the request streams is known from its body only, so the headers wait for it: this needs Envoy >= 1.35 with
// allow_on_headers_stop_iteration (top-level allowOnHeadersStopIteration); without it the field is not applied.
// In Higress the wait always works (abi/exports.ts), and Higress's own header is set too, as Higress sets it; a
// request whose body the plugin does not read gets it at once, whether it streams or not. The generic provider's
// requests all get it at once, streamed or not, in any host: Higress's generic provider applies it so, without
// looking at the body.
import { hostIsHigress, MapType, replaceHeader } from "../abi";
import { ProviderConfig } from "../config/provider-config";

export const PER_TRY_TIMEOUT_HEADER = "x-envoy-upstream-rq-per-try-timeout-ms";
export const HIGRESS_FIRST_BYTE_HEADER = "x-envoy-upstream-rq-first-byte-timeout-ms";

/** Whether this request's headers wait for its body to learn whether the timeout applies (in Higress they always can). */
export function holdsForFirstByteTimeout(p: ProviderConfig, allowOnHeadersStopIteration: bool, rewritesBody: bool): bool {
  return p.firstByteTimeout > 0 && rewritesBody && !appliesToEveryRequest(p) && (allowOnHeadersStopIteration || hostIsHigress());
}

/** The generic provider applies the timeout to every request at its headers, whatever its body says (as Higress's). */
export function appliesToEveryRequest(p: ProviderConfig): bool {
  return p.type == "generic";
}

/** Requests that get the timeout without their body: the generic provider's, and in Higress those whose body is not read. */
export function applyFirstByteTimeoutAtHeaders(p: ProviderConfig, rewritesBody: bool): void {
  if (p.firstByteTimeout <= 0) return;
  if (appliesToEveryRequest(p)) {
    applyFirstByteTimeout(p, true);
  } else if (!rewritesBody && hostIsHigress()) {
    replaceHeader(MapType.HttpRequestHeaders, HIGRESS_FIRST_BYTE_HEADER, p.firstByteTimeout.toString());
  }
}

/** The held headers of a streamed request get the timeout. */
export function applyFirstByteTimeout(p: ProviderConfig, stream: bool): void {
  if (!stream) return;
  replaceHeader(MapType.HttpRequestHeaders, PER_TRY_TIMEOUT_HEADER, p.firstByteTimeout.toString());
  if (hostIsHigress()) replaceHeader(MapType.HttpRequestHeaders, HIGRESS_FIRST_BYTE_HEADER, p.firstByteTimeout.toString());
}
