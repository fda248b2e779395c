// Bench-only experiment (not the plugin): the plugin built with AssemblyScript's `minimal` runtime (no incremental
// collector, no write barriers) and explicit full collections where no reference lives on the Wasm stack: after
// every stream (proxy_on_delete) and every 64 body chunks. bench/run.ts --gc-experiment compares it with the release
// build through the host. Built into bench/build/ (gitignored).
import "../../assembly/abi/runtime";
import { setRootContextFactory } from "../../assembly/abi";
import { newAiProxyRoot } from "../../assembly/plugin/root";
import * as E from "../../assembly/abi/exports";

export {
  proxy_on_memory_allocate, proxy_abi_version_0_2_1, proxy_on_context_create, proxy_on_vm_start, proxy_on_configure,
  proxy_on_request_headers, proxy_on_request_trailers, proxy_on_response_headers, proxy_on_response_trailers,
  proxy_on_http_call_response, proxy_on_tick, proxy_on_queue_ready, proxy_on_log, proxy_on_done,
} from "../../assembly/abi/exports";

let chunks = 0;

export function proxy_on_request_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const r = E.proxy_on_request_body(contextId, bodySize, endOfStream);
  if ((++chunks & 63) == 0) __collect();
  return r;
}
export function proxy_on_response_body(contextId: u32, bodySize: u32, endOfStream: bool): u32 {
  const r = E.proxy_on_response_body(contextId, bodySize, endOfStream);
  if ((++chunks & 63) == 0) __collect();
  return r;
}
export function proxy_on_delete(contextId: u32): void {
  E.proxy_on_delete(contextId);
  __collect();
}

setRootContextFactory(newAiProxyRoot);
