// Header maps (envoy-semantics.md §2.2, §2.4, §9): maps exist only while Envoy holds a pointer to them — request
// headers until they continue, call-response headers only inside proxy_on_http_call_response, read-only snapshots
// in on_log. Unavailable map: get/add/replace/remove/set → BadArgument, get_pairs → Ok and empty (ptr 0, size 0).

import { parsePairs, serializePairs } from "../abi/pairs";
import { MAP_TYPE_MAX, MapType, Status } from "../abi/status";
import { HeaderMap } from "../header-map";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

/** A map, or why not: "gone" (BadArgument) or "absent-in-log" (NotFound, access-log phase for ABI 0.2.x). */
type MapLookup = HeaderMap | "gone" | "absent-in-log";

export function lookupMap(vm: Vm, type: number, write: boolean): MapLookup {
  if (type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) {
    if (write) return "gone"; // call-response maps are read-only
    const r = vm.callResponse;
    const m = type === MapType.HttpCallResponseHeaders ? r?.headers : r?.trailers;
    return m ?? "gone";
  }
  const ctx = vm.effectiveContext();
  if (!ctx || ctx.kind !== "stream") return "gone";
  if (type === MapType.GrpcReceiveInitialMetadata || type === MapType.GrpcReceiveTrailingMetadata) return "gone";
  const side = type === MapType.RequestHeaders || type === MapType.RequestTrailers ? ctx.req : ctx.resp;
  const trailers = type === MapType.RequestTrailers || type === MapType.ResponseTrailers;
  if (ctx.logPhase) {
    // on_log: final request/response headers and response trailers, read-only; request trailers are NotFound.
    if (write) return "gone";
    const m = type === MapType.RequestTrailers ? null : trailers ? side.lastTrailers : side.lastHeaders;
    return m ?? "absent-in-log";
  }
  if (!trailers) return side.headers ?? "gone";
  if (side.trailers) return side.trailers;
  // Writing trailers in the final body callback creates them (addDecodedTrailers / addEncodedTrailers).
  if (side.inBody && side.inBodyEos && !side.trailersArrived) {
    if (side.addedTrailers) return side.addedTrailers;
    if (write) return (side.addedTrailers = new HeaderMap());
  }
  return "gone";
}

export function headerImports(vm: Vm): Record<string, HostFn> {
  const mem = vm.memory;
  const badType = (t: number) => t < 0 || t > MAP_TYPE_MAX;
  const mutable = (type: number): HeaderMap | null => {
    const m = lookupMap(vm, type, true);
    return typeof m === "string" ? null : m;
  };
  return {
    proxy_get_header_map_pairs(type: number, retPtr: number, retLen: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = lookupMap(vm, type, false);
      if (typeof m === "string") return mem.copyOut(new Uint8Array(0), retPtr, retLen);
      return mem.copyOut(m.size ? serializePairs(m.toArray()) : new Uint8Array(0), retPtr, retLen);
    },
    proxy_set_header_map_pairs(type: number, ptr: number, len: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = mutable(type);
      if (!m) return Status.BadArgument;
      m.setAll(parsePairs(mem.read(ptr, len))); // rejected data = empty list: clears the map, still Ok
      return Status.Ok;
    },
    proxy_get_header_map_value(type: number, kPtr: number, kLen: number, retPtr: number, retLen: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = lookupMap(vm, type, false);
      if (m === "gone") return Status.BadArgument;
      if (m === "absent-in-log") return Status.NotFound;
      const v = m.get(mem.readString(kPtr, kLen));
      if (v === undefined) return Status.NotFound;
      return mem.copyOut(v, retPtr, retLen);
    },
    proxy_add_header_map_value(type: number, kPtr: number, kLen: number, vPtr: number, vLen: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = mutable(type);
      if (!m) return Status.BadArgument;
      m.add(mem.readString(kPtr, kLen), mem.readString(vPtr, vLen));
      return Status.Ok;
    },
    proxy_replace_header_map_value(type: number, kPtr: number, kLen: number, vPtr: number, vLen: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = mutable(type);
      if (!m) return Status.BadArgument;
      m.replace(mem.readString(kPtr, kLen), mem.readString(vPtr, vLen));
      return Status.Ok;
    },
    proxy_remove_header_map_value(type: number, kPtr: number, kLen: number): number {
      if (badType(type)) return Status.BadArgument;
      const m = mutable(type);
      if (!m) return Status.BadArgument;
      m.remove(mem.readString(kPtr, kLen));
      return Status.Ok;
    },
    /** Envoy's byteSize() (Σ key+value lengths); BadArgument for call-response maps and unavailable maps. */
    proxy_get_header_map_size(type: number, out: number): number {
      if (badType(type) || type === MapType.HttpCallResponseHeaders || type === MapType.HttpCallResponseTrailers) return Status.BadArgument;
      const m = lookupMap(vm, type, false);
      if (typeof m === "string") return Status.BadArgument;
      mem.writeU32(out, m.byteSize());
      return Status.Ok;
    },
  };
}
