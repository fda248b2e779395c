// Stream control (envoy-semantics.md §4, §5): continue/close/local reply are queued and run after the callback
// returns; set_effective_context; proxy_done; proxy_get_status. Also ABI 0.2.0's continue_request/response names.

import { parsePairs } from "../abi/pairs";
import { Status, StreamType } from "../abi/status";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function streamImports(vm: Vm): Record<string, HostFn> {
  const mem = vm.memory;
  const stream = () => {
    const c = vm.effectiveContext();
    return c && c.kind === "stream" ? c : null;
  };
  const continueStream = (type: number): number => {
    if (type === StreamType.Upstream) return Status.Unimplemented;
    if (type === StreamType.Downstream) return Status.Ok; // network-filter only; nothing to do for HTTP
    if (type !== StreamType.Request && type !== StreamType.Response) return Status.BadArgument;
    stream()?.continueStream(type); // a root context without an effective stream: Ok, nothing happens
    return Status.Ok;
  };
  return {
    proxy_continue_stream: continueStream,
    proxy_continue_request: () => continueStream(StreamType.Request),
    proxy_continue_response: () => continueStream(StreamType.Response),
    proxy_close_stream(type: number): number {
      if (type === StreamType.Upstream) return Status.Unimplemented;
      if (type === StreamType.Downstream) return Status.Ok;
      if (type !== StreamType.Request && type !== StreamType.Response) return Status.BadArgument;
      stream()?.closeStream();
      return Status.Ok;
    },
    proxy_send_local_response(
      status: number,
      detPtr: number,
      detLen: number,
      bodyPtr: number,
      bodyLen: number,
      hdrPtr: number,
      hdrLen: number,
      grpcStatus: number,
    ): number {
      const details = mem.readString(detPtr, detLen);
      const body = mem.read(bodyPtr, bodyLen);
      const headers = parsePairs(mem.read(hdrPtr, hdrLen)); // bad pairs = no extra headers
      stream()?.sendLocalResponse(status >>> 0, details, body, headers, grpcStatus);
      return Status.Ok;
    },
    proxy_set_effective_context(id: number): number {
      if (!vm.contexts.has(id >>> 0)) return Status.BadArgument;
      vm.effectiveContextId = id >>> 0;
      return Status.Ok;
    },
    /** Only meaningful after a root context answered false to proxy_on_done at shutdown. */
    proxy_done(): number {
      const root = vm.effectiveRoot();
      if (!root || !root.pendingDone) return Status.NotFound;
      root.done();
      return Status.Ok;
    },
    proxy_get_status(codePtr: number, msgPtr: number, msgLen: number): number {
      mem.writeU32(codePtr, vm.lastStatus.code);
      return mem.copyOut(vm.lastStatus.message, msgPtr, msgLen);
    },
    proxy_clear_route_cache(): number {
      return Status.Ok; // the host has no route table to refresh
    },
  };
}
