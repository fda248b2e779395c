// Response cache in shared data (every VM and worker of one Envoy sees it): an exact match on the normalised
// request, for requests the configuration marks cacheable (temperature 0 by default). Direct-mapped: the request's
// SHA-256 picks one of `maxEntries` slots, a new answer replaces whatever its slot held, so the cache never holds
// more than maxEntries × maxEntryBytes. An entry is the answer exactly as the client received it (JSON, or the SSE
// transcript for streamed requests: `stream` is part of the key), with its expiry.
import { getSharedData, setSharedData } from "../abi";
import { OpsConfig } from "../config/ops-config";
import { JsonValue } from "../json";
import { Sha256 } from "../crypto";

/** Top-level fields that do not change the answer (who asked, how usage is reported). */
const IGNORED: Array<string> = ["metadata", "user", "litellm_metadata", "stream_options", "service_tier"];

/** Whether the configuration lets this request be cached (and answered from the cache). */
export function isCacheable(ops: OpsConfig, root: JsonValue): bool {
  if (!ops.cacheEnabled) return false;
  const n = root.get("n");
  if (n !== null && n.isNumber() && n.asI64(1) != 1) return false;
  if (!ops.cacheOnlyTemperatureZero) return true;
  const t = root.get("temperature");
  return t !== null && t.isNumber() && t.asF64(1) == 0;
}

/**
 * The cache key: SHA-256 of the scope (provider, client protocol, API path) and the request's top-level members
 * in key order, each value without insignificant whitespace. Member order and formatting do not split entries.
 */
export function cacheKey(scope: string, root: JsonValue): Uint8Array {
  const h = new Sha256();
  h.update(Uint8Array.wrap(String.UTF8.encode(scope + "\0")));
  const keys = root.keys();
  keys.sort((a: string, c: string): i32 => (a < c ? -1 : a > c ? 1 : 0));
  for (let i = 0; i < keys.length; i++) {
    if (IGNORED.includes(keys[i]) || (i > 0 && keys[i] == keys[i - 1])) continue;
    const v = root.get(keys[i]);
    if (v === null) continue;
    h.update(Uint8Array.wrap(String.UTF8.encode(keys[i] + ":")));
    compact(h, v.rawBytes());
    h.update(SEPARATOR);
  }
  return h.digest();
}

const SEPARATOR = new Uint8Array(1);

/** Hashes JSON bytes without whitespace outside strings (runs between whitespace fed whole). */
function compact(h: Sha256, src: Uint8Array): void {
  let inString = false;
  let from = 0;
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const c = unchecked(src[i]);
    if (inString) {
      if (c == 0x5C) i++;
      else if (c == 0x22) inString = false;
      continue;
    }
    if (c == 0x22) inString = true;
    else if (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) {
      if (i > from) h.update(src.subarray(from, i));
      from = i + 1;
    }
  }
  if (n > from) h.update(src.subarray(from, n));
}

function slotKey(ops: OpsConfig, hash: Uint8Array): string {
  const n = (<u32>hash[0] << 24) | (<u32>hash[1] << 16) | (<u32>hash[2] << 8) | <u32>hash[3];
  return "ai-proxy/ops/cache/" + (n % <u32>ops.cacheMaxEntries).toString();
}

// Entry layout: hash (32 bytes), expiry in ms (u64), body.
const HEADER = 40;

/** The cached answer for `hash`, or null (absent, another request's, or expired). */
export function cacheGet(ops: OpsConfig, hash: Uint8Array, nowMs: u64): Uint8Array | null {
  const got = getSharedData(slotKey(ops, hash));
  if (got === null) return null;
  const buf = got.value;
  if (buf === null || buf.byteLength < HEADER) return null;
  const bytes = Uint8Array.wrap(buf);
  for (let i = 0; i < 32; i++) if (bytes[i] != hash[i]) return null;
  if (load<u64>(changetype<usize>(buf) + 32) <= nowMs) return null;
  return bytes.subarray(HEADER);
}

export function cachePut(ops: OpsConfig, hash: Uint8Array, nowMs: u64, body: Uint8Array): void {
  if (body.length == 0 || <i64>body.length > ops.cacheMaxEntryBytes) return;
  const buf = new ArrayBuffer(HEADER + body.length);
  const bytes = Uint8Array.wrap(buf);
  bytes.set(hash);
  store<u64>(changetype<usize>(buf) + 32, nowMs + <u64>ops.cacheTtlSeconds * 1000);
  bytes.set(body, HEADER);
  setSharedData(slotKey(ops, hash), buf, 0);
}

