// Buffers (envoy-semantics.md §3.3, §3.4): get clamps, set follows Envoy's Buffer::copyFrom rules
// (prepend / replace prefix / replace all / append; a middle splice is BadArgument), immutable buffers refuse writes.

import { BUFFER_TYPE_MAX, BufferType, Status } from "../abi/status";
import type { Side } from "../filter-chain";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

/** A buffer view: bytes, and a setter when writable. null = unavailable (NotFound). */
interface BufferRef {
  bytes: Uint8Array;
  set?: (b: Uint8Array) => void;
}

const EMPTY = new Uint8Array(0);

/** The HTTP body a hostcall sees: the current chunk in a body callback, the accumulated buffer while buffering. */
function bodyRef(side: Side): BufferRef | null {
  if (side.inBody && !side.buffering) return { bytes: side.chunk ?? EMPTY, set: (b) => (side.chunk = b) };
  if (side.buffering && side.buffer) return { bytes: side.buffer, set: (b) => (side.buffer = b) };
  return { bytes: EMPTY }; // outside a body callback: an empty buffer (Ok, size 0); writes are NotFound
}

export function lookupBuffer(vm: Vm, type: number): BufferRef | null {
  switch (type) {
    case BufferType.HttpRequestBody:
    case BufferType.HttpResponseBody: {
      const ctx = vm.effectiveContext();
      if (!ctx || ctx.kind !== "stream") return { bytes: EMPTY };
      return bodyRef(type === BufferType.HttpRequestBody ? ctx.req : ctx.resp);
    }
    case BufferType.HttpCallResponseBody: {
      const r = vm.callResponse;
      return r && r.body ? { bytes: r.body } : null;
    }
    case BufferType.VmConfiguration:
      return { bytes: vm.vmConfiguration };
    case BufferType.PluginConfiguration:
      return vm.pluginConfiguration ? { bytes: vm.pluginConfiguration } : null;
    default:
      return null; // Downstream/UpstreamData (no TCP filter), GrpcReceiveBuffer, CallData
  }
}

/** Envoy's Buffer::copyFrom. Returns the new contents or BadArgument for a middle splice. */
export function spliceBuffer(cur: Uint8Array, start: number, length: number, data: Uint8Array): Uint8Array | Status.BadArgument {
  const size = cur.length;
  const join = (a: Uint8Array, b: Uint8Array) => {
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  if (start === 0) {
    if (length === 0) return join(data, cur); // prepend
    if (length >= size) return data.slice(); // replace all
    return join(data, cur.subarray(length)); // drain(length) + prepend
  }
  if (start >= size) return join(cur, data); // append
  return Status.BadArgument;
}

export function bufferImports(vm: Vm): Record<string, HostFn> {
  const mem = vm.memory;
  return {
    proxy_get_buffer_bytes(type: number, start: number, length: number, retPtr: number, retLen: number): number {
      if (type < 0 || type > BUFFER_TYPE_MAX) return Status.BadArgument;
      const b = lookupBuffer(vm, type);
      if (!b) return Status.NotFound;
      const s = start >>> 0;
      const n = length >>> 0;
      const size = b.bytes.length;
      if (s > size) return mem.copyOut(EMPTY, retPtr, retLen); // clamped, not an error
      return mem.copyOut(b.bytes.slice(s, Math.min(size, s + n)), retPtr, retLen);
    },
    proxy_get_buffer_status(type: number, sizePtr: number, flagsPtr: number): number {
      if (type < 0 || type > BUFFER_TYPE_MAX) return Status.BadArgument;
      const b = lookupBuffer(vm, type);
      if (!b) return Status.NotFound;
      mem.writeU32(sizePtr, b.bytes.length);
      mem.writeU32(flagsPtr, 0);
      return Status.Ok;
    },
    proxy_set_buffer_bytes(type: number, start: number, length: number, dataPtr: number, dataLen: number): number {
      if (type < 0 || type > BUFFER_TYPE_MAX) return Status.BadArgument;
      const b = lookupBuffer(vm, type);
      if (!b) return Status.NotFound;
      if (!b.set) {
        const isBody = type === BufferType.HttpRequestBody || type === BufferType.HttpResponseBody;
        return isBody ? Status.NotFound : Status.BadArgument; // no body now vs. an immutable buffer
      }
      const next = spliceBuffer(b.bytes, start >>> 0, length >>> 0, mem.read(dataPtr, dataLen));
      if (next === Status.BadArgument) return Status.BadArgument;
      b.set(next);
      return Status.Ok;
    },
  };
}
