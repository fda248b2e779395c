// Header-map serialization (proxy-wasm pairs format, all integers little-endian u32):
//   N | N x (key_len, value_len) | key bytes 0x00 value bytes 0x00 ...
// Keys and values travel as UTF-8; header names are lower-case by Envoy's rules.

export class HeaderPair {
  constructor(public key: string, public value: string) {}
}

/** Parses host-serialized pairs; malformed input yields the pairs read so far (never traps). */
export function deserializePairs(buf: ArrayBuffer | null): Array<HeaderPair> {
  const out = new Array<HeaderPair>();
  if (buf === null) return out;
  const base = changetype<usize>(buf);
  const size = <usize>buf.byteLength;
  if (size < 4) return out;
  const n = <usize>load<u32>(base);
  if (n > (size - 4) / 8) return out;
  let sizes = base + 4;
  let data = sizes + n * 8;
  const end = base + size;
  for (let i: usize = 0; i < n; i++) {
    const klen = <usize>load<u32>(sizes);
    const vlen = <usize>load<u32>(sizes + 4);
    sizes += 8;
    if (klen + vlen + 2 > end - data) break;
    const key = String.UTF8.decodeUnsafe(data, klen);
    data += klen + 1;
    const value = String.UTF8.decodeUnsafe(data, vlen);
    data += vlen + 1;
    out.push(new HeaderPair(key, value));
  }
  return out;
}

/** Serializes pairs for proxy_set_header_map_pairs, proxy_send_local_response and proxy_http_call. */
export function serializePairs(pairs: Array<HeaderPair>): ArrayBuffer {
  const n = pairs.length;
  const keys = new Array<ArrayBuffer>(n);
  const values = new Array<ArrayBuffer>(n);
  let size: usize = 4 + <usize>n * 8;
  for (let i = 0; i < n; i++) {
    const k = String.UTF8.encode(pairs[i].key);
    const v = String.UTF8.encode(pairs[i].value);
    keys[i] = k;
    values[i] = v;
    size += <usize>k.byteLength + <usize>v.byteLength + 2;
  }
  const buf = new ArrayBuffer(<i32>size);
  const base = changetype<usize>(buf);
  store<u32>(base, n);
  let sizes = base + 4;
  let data = sizes + <usize>n * 8;
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const v = values[i];
    store<u32>(sizes, k.byteLength);
    store<u32>(sizes + 4, v.byteLength);
    sizes += 8;
    memory.copy(data, changetype<usize>(k), k.byteLength);
    data += k.byteLength;
    store<u8>(data++, 0);
    memory.copy(data, changetype<usize>(v), v.byteLength);
    data += v.byteLength;
    store<u8>(data++, 0);
  }
  return buf;
}

