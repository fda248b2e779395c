// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of AWS event stream frames (prelude and message
// CRCs of application/vnd.amazon.eventstream). Incremental: crc32Update(crc32Update(0, a), b) == crc32(a ++ b).

let TABLE: StaticArray<u32> | null = null;

function table(): StaticArray<u32> {
  let t = TABLE;
  if (t !== null) return t;
  t = new StaticArray<u32>(256);
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  TABLE = t;
  return t;
}

/** Continues `crc` (0 to start) over bytes[start, end). */
export function crc32Update(crc: u32, bytes: Uint8Array, start: i32 = 0, end: i32 = -1): u32 {
  const t = table();
  const stop = end < 0 || end > bytes.length ? bytes.length : end;
  let c = ~crc;
  for (let i = start < 0 ? 0 : start; i < stop; i++) c = unchecked(t[(c ^ bytes[i]) & 0xFF]) ^ (c >>> 8);
  return ~c;
}

export function crc32(bytes: Uint8Array): u32 { return crc32Update(0, bytes); }
