// proxy_http_call (envoy-semantics.md §6): a call to a named cluster, owned by the root context of the effective
// context, answered later (never inside the call) through proxy_on_http_call_response(root, token, …).
// Tokens start at 4 and step by 4 per VM. Timeouts and upstream failures arrive as HTTP answers (504 / 503);
// a reset arrives as (token, 0, 0, 0) with proxy_get_status = BrokenConnection "reset".

import { parsePairs } from "../abi/pairs";
import { Status } from "../abi/status";
import { HeaderMap } from "../header-map";
import type { Plugin } from "../plugin";
import type { ClusterHandler, ClusterResponse } from "../types";
import type { CallResponse, Vm } from "../vm";
import type { HostFn } from "./index";

const utf8 = new TextEncoder();

export function httpCallImports(vm: Vm): Record<string, HostFn> {
  const mem = vm.memory;
  return {
    proxy_http_call(
      upPtr: number,
      upLen: number,
      hPtr: number,
      hLen: number,
      bPtr: number,
      bLen: number,
      tPtr: number,
      tLen: number,
      timeout: number,
      tokenPtr: number,
    ): number {
      if (timeout < 0) return Status.BadArgument;
      const cluster = mem.readString(upPtr, upLen);
      const handler = vm.options.clusters?.[cluster] ?? vm.options.resolveCluster?.(cluster);
      if (!handler) return Status.BadArgument;
      const headers = new HeaderMap(parsePairs(mem.read(hPtr, hLen)));
      if (!headers.has(":path") || !headers.has(":method") || !headers.has(":authority")) return Status.BadArgument;
      const body = mem.read(bPtr, bLen);
      if (body.length) headers.replace("content-length", String(body.length));
      parsePairs(mem.read(tPtr, tLen)); // trailers are accepted and not forwarded (see README)
      const root = vm.effectiveRoot();
      if (!root) return Status.BadArgument;
      vm.nextCallToken += 4;
      const token = vm.nextCallToken;
      mem.writeU32(tokenPtr, token);
      startCall(vm, root, token, cluster, handler, headers.toArray(), body, timeout);
      return Status.Ok;
    },
  };
}

function timeoutAnswer(): CallResponse {
  const body = utf8.encode("upstream request timeout");
  return {
    headers: new HeaderMap([[":status", "504"], ["content-length", String(body.length)], ["content-type", "text/plain"]]),
    body,
    trailers: null,
  };
}

function connectFailureAnswer(reason: string): CallResponse {
  const body = utf8.encode(`upstream connect error or disconnect/reset before headers. reset reason: ${reason}`);
  return {
    headers: new HeaderMap([[":status", "503"], ["content-length", String(body.length)], ["content-type", "text/plain"]]),
    body,
    trailers: null,
  };
}

function toCallResponse(r: ClusterResponse): CallResponse {
  const headers = new HeaderMap(r.headers.map(([k, v]) => [k.toLowerCase(), v]));
  if (!headers.has(":status")) headers.add(":status", String(r.status ?? 200));
  const body = r.body === undefined ? new Uint8Array(0) : typeof r.body === "string" ? utf8.encode(r.body) : r.body;
  return { headers, body, trailers: r.trailers?.length ? new HeaderMap(r.trailers) : null };
}

function startCall(
  vm: Vm,
  root: Plugin,
  token: number,
  cluster: string,
  handler: ClusterHandler,
  headers: Array<[string, string]>,
  body: Uint8Array,
  timeoutMs: number,
): void {
  vm.pendingCalls.set(token, { plugin: root, done: false });
  const deliver = (r: CallResponse | null) => setImmediate(() => vm.deliverCallResponse(root, token, r));
  // Timeout 0 = none. The timer follows the VM's scheduler (manual in tests: fires in vm.tick).
  const timer = timeoutMs > 0 ? vm.scheduler.setTimer(timeoutMs, () => deliver(timeoutAnswer())) : null;
  Promise.resolve()
    .then(() => handler({ headers, body, timeoutMs, cluster }))
    .then(
      (r) => {
        timer?.cancel();
        if (r === "reset") deliver(null);
        else if (r === "timeout") deliver(timeoutAnswer());
        else deliver(toCallResponse(r));
      },
      (e: unknown) => {
        timer?.cancel();
        vm.log(3, `http_call to cluster "${cluster}" failed in the host: ${e instanceof Error ? e.message : String(e)}`);
        deliver(connectFailureAnswer("connection failure"));
      },
    );
}
