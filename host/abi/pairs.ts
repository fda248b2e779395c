// Header-map ("pairs") serialization, byte-compatible with proxy-wasm-cpp-host src/pairs_util.cc:
//   u32 N | N × (u32 key_len, u32 val_len) | for each pair: key, NUL, value, NUL      (all u32 little-endian)

export type Pair = [string, string];

/** Envoy's limits (include/proxy-wasm/limits.h): anything larger decodes to an empty list. */
export const PAIRS_MAX_BYTES = 1024 * 1024;
export const PAIRS_MAX_COUNT = 1024;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export function serializePairs(pairs: ReadonlyArray<readonly [string | Uint8Array, string | Uint8Array]>): Uint8Array {
  const enc = pairs.map(([k, v]) => [toBytes(k), toBytes(v)] as const);
  let size = 4;
  for (const [k, v] of enc) size += 8 + k.length + 1 + v.length + 1;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, enc.length, true);
  let p = 4;
  for (const [k, v] of enc) {
    dv.setUint32(p, k.length, true);
    dv.setUint32(p + 4, v.length, true);
    p += 8;
  }
  for (const [k, v] of enc) {
    out.set(k, p);
    p += k.length + 1; // NUL already zero
    out.set(v, p);
    p += v.length + 1;
  }
  return out;
}

/**
 * Parse serialized pairs the way Envoy does (`toPairs`): data over 1 MiB, more than 1024 pairs, a missing NUL or
 * trailing bytes are rejected — and a rejection is an EMPTY LIST, never an error (callers return Ok).
 */
export function parsePairs(data: Uint8Array): Pair[] {
  return parsePairsBytes(data)?.map(([k, v]) => [utf8d.decode(k), utf8d.decode(v)] as Pair) ?? [];
}

/** Same as parsePairs but keeps raw bytes; null when rejected. */
export function parsePairsBytes(data: Uint8Array): Array<[Uint8Array, Uint8Array]> | null {
  if (data.length === 0) return [];
  if (data.length > PAIRS_MAX_BYTES || data.length < 4) return null;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const n = dv.getUint32(0, true);
  if (n > PAIRS_MAX_COUNT) return null;
  let sizes = 4;
  let p = 4 + n * 8;
  if (p > data.length) return null;
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < n; i++) {
    const kl = dv.getUint32(sizes, true);
    const vl = dv.getUint32(sizes + 4, true);
    sizes += 8;
    if (p + kl + 1 + vl + 1 > data.length) return null;
    const k = data.subarray(p, p + kl);
    p += kl;
    if (data[p] !== 0) return null;
    p++;
    const v = data.subarray(p, p + vl);
    p += vl;
    if (data[p] !== 0) return null;
    p++;
    out.push([k, v]);
  }
  if (p !== data.length) return null;
  return out;
}

function toBytes(s: string | Uint8Array): Uint8Array {
  return typeof s === "string" ? utf8.encode(s) : s;
}
