// proxy_get_property / proxy_set_property with Envoy's paths and encodings (envoy-semantics.md §8):
// path parts joined by NUL; strings raw, integers 8-byte little-endian, bools 1 byte, timestamps/durations int64 ns,
// maps in the pairs format. Lookup order: properties given by the test/gateway (dotted path) → Envoy attributes and
// Wasm tokens → filter state written by set_property.

import { serializePairs } from "./abi/pairs";
import type { Stream } from "./filter-chain";
import type { Plugin } from "./plugin";
import type { PropertyValue } from "./types";

const utf8 = new TextEncoder();

export function i64(v: bigint | number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
}

export function encodeValue(v: PropertyValue): Uint8Array {
  if (typeof v === "string") return utf8.encode(v);
  if (v instanceof Uint8Array) return v;
  if (typeof v === "boolean") return new Uint8Array([v ? 1 : 0]);
  return i64(typeof v === "number" ? BigInt(Math.trunc(v)) : v);
}

/** Split a raw path: NUL-separated parts; a trailing NUL is tolerated. */
export function splitPath(raw: Uint8Array): string[] {
  let s = Buffer.from(raw).toString("utf8");
  if (s.endsWith("\0")) s = s.slice(0, -1);
  return s.split("\0");
}

/** Resolve a property for a root (plugin) or stream context; undefined = NotFound. */
export function getProperty(ctx: Plugin | Stream, parts: string[]): Uint8Array | undefined {
  const plugin = ctx.kind === "root" ? ctx : ctx.plugin;
  const stream = ctx.kind === "stream" ? ctx : null;
  const dotted = parts.join(".");
  const given = stream ? stream.properties : plugin.properties;
  if (dotted in given) return encodeValue(given[dotted]);

  const [head, ...rest] = parts;
  const key = rest.join(".");
  switch (head) {
    case "plugin_name":
      return rest.length ? undefined : utf8.encode(plugin.name);
    case "plugin_root_id":
      return rest.length ? undefined : utf8.encode(plugin.rootId);
    case "plugin_vm_id":
      return rest.length ? undefined : utf8.encode(plugin.vm.vmId);
    case "connection_id":
      return stream && !rest.length ? i64(stream.connectionId) : undefined;
    // Envoy 1.27 / Higress top-level tokens; newest upstream only has them under xds.* — answer both.
    case "route_name":
    case "cluster_name":
      return lookupGiven(given, [`xds.${head}`]);
    case "xds":
      return lookupGiven(given, [key === "route_name" || key === "cluster_name" ? key : `__none__`]);
    case "request":
      return stream ? requestAttr(stream, rest) : undefined;
    case "response":
      return stream ? responseAttr(stream, rest) : undefined;
    case "connection":
      return stream ? connectionAttr(stream, key) : undefined;
    case "source":
    case "destination":
      return stream ? addressAttr(stream, head, key) : undefined;
  }
  if (stream) {
    const joined = parts.join("\0");
    const fs = stream.filterState.get(joined) ?? stream.filterState.get(parts[0]);
    if (fs) return fs;
  }
  return undefined;
}

function lookupGiven(given: Record<string, PropertyValue>, keys: string[]): Uint8Array | undefined {
  for (const k of keys) if (k in given) return encodeValue(given[k]);
  return undefined;
}

/** request.* — header-derived attributes exist only while the request-header map is live, or during on_log. */
function requestAttr(s: Stream, rest: string[]): Uint8Array | undefined {
  const h = s.req.headers ?? (s.logPhase ? s.req.lastHeaders : null);
  const path = h?.get(":path");
  const [attr, ...sub] = rest;
  switch (attr) {
    case "time":
      return i64(s.startNs);
    case "protocol":
      return utf8.encode(String(s.properties["request.protocol"] ?? "HTTP/1.1"));
    case "duration":
      return s.endNs !== null ? i64(s.endNs - s.startNs) : undefined;
    case "size":
      return s.completed || s.logPhase ? i64(s.req.bytesIn) : undefined;
    case "total_size":
      return s.completed || s.logPhase ? i64(s.req.bytesIn + (s.req.lastHeaders?.byteSize() ?? 0)) : undefined;
  }
  if (!h) return undefined;
  const str = (v: string | undefined) => (v === undefined ? undefined : utf8.encode(v));
  switch (attr) {
    case "path":
      return str(path);
    case "url_path":
      return str(path?.split("?")[0]);
    case "query": {
      if (path === undefined) return undefined;
      const i = path.indexOf("?");
      return utf8.encode(i < 0 ? "" : path.slice(i + 1));
    }
    case "host":
      return str(h.get(":authority"));
    case "scheme":
      return str(h.get(":scheme"));
    case "method":
      return str(h.get(":method"));
    case "id":
      return str(h.get("x-request-id"));
    case "referer":
      return str(h.get("referer"));
    case "useragent":
      return str(h.get("user-agent"));
    case "headers":
      return headersAttr(h.toArray(), sub);
  }
  return undefined;
}

function responseAttr(s: Stream, rest: string[]): Uint8Array | undefined {
  const [attr, ...sub] = rest;
  switch (attr) {
    case "code":
      return s.responseCode !== null ? i64(s.responseCode) : undefined;
    case "code_details":
      return s.responseCodeDetails !== null ? utf8.encode(s.responseCodeDetails) : undefined;
    case "flags":
      return i64(0);
    case "size":
      return s.completed || s.logPhase ? i64(s.resp.bytesOut) : undefined;
    case "total_size":
      return s.completed || s.logPhase ? i64(s.resp.bytesOut + (s.resp.lastHeaders?.byteSize() ?? 0)) : undefined;
    case "headers": {
      const h = s.resp.headers ?? (s.logPhase ? s.resp.lastHeaders : null);
      return h ? headersAttr(h.toArray(), sub) : undefined;
    }
    case "trailers": {
      const t = s.resp.trailers ?? (s.logPhase ? s.resp.lastTrailers : null);
      return t ? headersAttr(t.toArray(), sub) : undefined;
    }
  }
  return undefined;
}

/** A whole header map as pairs, or one header's values joined by "," (request.headers.<k>). */
function headersAttr(h: Array<[string, string]>, sub: string[]): Uint8Array | undefined {
  if (sub.length === 0) return serializePairs(h);
  const k = sub.join(".").toLowerCase();
  const vals = h.filter(([hk]) => hk === k).map(([, v]) => v);
  return vals.length ? utf8.encode(vals.join(",")) : undefined;
}

function connectionAttr(s: Stream, key: string): Uint8Array | undefined {
  switch (key) {
    case "id":
      return i64(s.connectionId);
    case "mtls":
      return new Uint8Array([0]);
    case "requested_server_name":
      return utf8.encode("");
  }
  return undefined;
}

function addressAttr(s: Stream, which: "source" | "destination", key: string): Uint8Array | undefined {
  const dflt = which === "source" ? "127.0.0.1:50000" : "127.0.0.1:10000";
  const addr = String(s.properties[`${which}.address`] ?? dflt);
  if (key === "address") return utf8.encode(addr);
  if (key === "port") {
    const p = s.properties[`${which}.port`] ?? addr.slice(addr.lastIndexOf(":") + 1);
    return i64(BigInt(Number(p)));
  }
  return undefined;
}

/**
 * proxy_set_property: filter state `wasm.<path>` (readable back), plus the Higress keys that change host behaviour.
 * Returns false when there is no stream (Envoy: NotFound on a root context).
 */
export function setProperty(ctx: Plugin | Stream, raw: Uint8Array, value: Uint8Array): boolean {
  if (ctx.kind !== "stream") return false;
  const parts = splitPath(raw);
  const joined = parts.join("\0");
  ctx.filterState.set(joined, value.slice());
  const text = Buffer.from(value).toString("utf8");
  if (joined === "set_decoder_buffer_limit" && /^\d+$/.test(text)) ctx.req.limit = Number(text);
  if (joined === "set_encoder_buffer_limit" && /^\d+$/.test(text)) ctx.resp.limit = Number(text);
  return true;
}
