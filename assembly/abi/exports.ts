// The module's Proxy-Wasm exports (ABI 0.2.1, HTTP filter subset). Re-exported from assembly/index.ts.
import { createContext, deliverHttpCallResponse, forgetContext, getRoot, getStream } from "./dispatcher";
import { getBuffer, releaseHostPins } from "./hostcalls";
import { BufferType, DataAction, HeadersAction, TrailersAction } from "./types";

export { proxy_on_memory_allocate } from "./memory";

/**
 * Higress's marker (its wasm-go plugins' ABI): Higress's Wasm host, which takes the first ABI marker it knows in
 * export order, then passes a request-header StopIteration through to Envoy (body callbacks still run) instead of
 * turning it into StopAllIterationAndWatermark, which would stall a request whose headers wait for its body (a
 * model in the URL, a signature over the body). Stock Envoy does not know this name, skips it and takes 0.2.1.
 * Must stay before proxy_abi_version_0_2_1 (tests/plugin/wasm-surface.test.ts checks the order).
 */
export function proxy_abi_version_0_2_100(): void {}

export function proxy_abi_version_0_2_1(): void {}

export function proxy_on_context_create(contextId: u32, parentContextId: u32): void {
  if (parentContextId != 0) releaseHostPins();
  createContext(contextId, parentContextId);
}

export function proxy_on_vm_start(rootContextId: u32, vmConfigurationSize: u32): bool {
  const root = getRoot(rootContextId);
  if (root === null) return true;
  const cfg = vmConfigurationSize > 0 ? getBuffer(BufferType.VmConfiguration, 0, vmConfigurationSize) : null;
  return root.onVmStart(cfg === null ? new ArrayBuffer(0) : cfg);
}

export function proxy_on_configure(rootContextId: u32, pluginConfigurationSize: u32): bool {
  const root = getRoot(rootContextId);
  if (root === null) return false;
  const cfg = pluginConfigurationSize > 0 ? getBuffer(BufferType.PluginConfiguration, 0, pluginConfigurationSize) : null;
  return root.onConfigure(cfg === null ? new ArrayBuffer(0) : cfg);
}

export function proxy_on_request_headers(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  const s = getStream(contextId);
  return s === null ? HeadersAction.Continue : s.onRequestHeaders(numHeaders, endOfStream);
}
export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const s = getStream(contextId);
  return s === null ? DataAction.Continue : s.onRequestBody(bodySize, endOfStream);
}
export function proxy_on_request_trailers(contextId: u32, numTrailers: u32): u32 {
  const s = getStream(contextId);
  return s === null ? TrailersAction.Continue : s.onRequestTrailers(numTrailers);
}
export function proxy_on_response_headers(contextId: u32, numHeaders: u32, endOfStream: bool): u32 {
  const s = getStream(contextId);
  return s === null ? HeadersAction.Continue : s.onResponseHeaders(numHeaders, endOfStream);
}
export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const s = getStream(contextId);
  return s === null ? DataAction.Continue : s.onResponseBody(bodySize, endOfStream);
}
export function proxy_on_response_trailers(contextId: u32, numTrailers: u32): u32 {
  const s = getStream(contextId);
  return s === null ? TrailersAction.Continue : s.onResponseTrailers(numTrailers);
}

export function proxy_on_http_call_response(rootContextId: u32, token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
  deliverHttpCallResponse(token, numHeaders, bodySize, numTrailers);
}

export function proxy_on_tick(rootContextId: u32): void {
  const root = getRoot(rootContextId);
  if (root !== null) root.onTick();
}

export function proxy_on_queue_ready(rootContextId: u32, queueId: u32): void {
  const root = getRoot(rootContextId);
  if (root !== null) root.onQueueReady(queueId);
}

export function proxy_on_log(contextId: u32): void {
  const s = getStream(contextId);
  if (s !== null) s.onLog();
}

export function proxy_on_done(contextId: u32): bool {
  const s = getStream(contextId);
  if (s !== null) {
    s.onDone();
    return true;
  }
  const root = getRoot(contextId);
  return root === null ? true : root.onDone();
}

export function proxy_on_delete(contextId: u32): void {
  const s = getStream(contextId);
  if (s !== null) s.onDelete();
  else {
    const root = getRoot(contextId);
    if (root !== null) root.onDelete();
  }
  forgetContext(contextId);
}
