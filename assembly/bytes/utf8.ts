// UTF-8 <-> UTF-16 helpers that never trap.
//
// Bodies stay UTF-8 bytes; only the few fields the plugin inspects are decoded to AssemblyScript (UTF-16)
// strings. Decoding replaces every invalid sequence with U+FFFD (WHATWG "maximal subpart" rule); encoding
// replaces lone surrogates with U+FFFD so the output is always valid UTF-8.

/** Clamps a [start, end) request against a buffer of `len` bytes; `end < 0` means "to the end". */
// @ts-ignore: decorator
@inline export function clampEnd(len: i32, end: i32): i32 {
  return end < 0 || end > len ? len : end;
}

// @ts-ignore: decorator
@inline export function clampStart(start: i32, end: i32): i32 {
  return start < 0 ? 0 : start > end ? end : start;
}

/**
 * Length of the valid UTF-8 sequence starting at `ptr` (1-4), or 0 if the bytes there are not a valid
 * sequence (overlong, surrogate, > U+10FFFF, truncated by `avail`, or a stray continuation byte).
 */
// @ts-ignore: decorator
@unsafe export function utf8SeqLen(ptr: usize, avail: usize): i32 {
  if (avail == 0) return 0;
  const b0 = <u32>load<u8>(ptr);
  if (b0 < 0x80) return 1;
  if (b0 < 0xC2) return 0;
  if (b0 < 0xE0) {
    if (avail < 2) return 0;
    return (<u32>load<u8>(ptr, 1) & 0xC0) == 0x80 ? 2 : 0;
  }
  if (b0 < 0xF0) {
    if (avail < 3) return 0;
    const b1 = <u32>load<u8>(ptr, 1);
    const lo: u32 = b0 == 0xE0 ? 0xA0 : 0x80;
    const hi: u32 = b0 == 0xED ? 0x9F : 0xBF;
    if (b1 < lo || b1 > hi) return 0;
    return (<u32>load<u8>(ptr, 2) & 0xC0) == 0x80 ? 3 : 0;
  }
  if (b0 < 0xF5) {
    if (avail < 4) return 0;
    const b1 = <u32>load<u8>(ptr, 1);
    const lo: u32 = b0 == 0xF0 ? 0x90 : 0x80;
    const hi: u32 = b0 == 0xF4 ? 0x8F : 0xBF;
    if (b1 < lo || b1 > hi) return 0;
    if ((<u32>load<u8>(ptr, 2) & 0xC0) != 0x80) return 0;
    return (<u32>load<u8>(ptr, 3) & 0xC0) == 0x80 ? 4 : 0;
  }
  return 0;
}

/**
 * Number of bytes an invalid sequence at `ptr` occupies before the decoder resumes (the "maximal subpart":
 * a lead byte plus the continuation bytes that were still plausible). Always >= 1.
 */
// @ts-ignore: decorator
@unsafe export function utf8InvalidSpan(ptr: usize, avail: usize): i32 {
  const b0 = <u32>load<u8>(ptr);
  let need = 0;
  let lo: u32 = 0x80, hi: u32 = 0xBF;
  if (b0 >= 0xC2 && b0 < 0xE0) need = 1;
  else if (b0 >= 0xE0 && b0 < 0xF0) { need = 2; if (b0 == 0xE0) lo = 0xA0; if (b0 == 0xED) hi = 0x9F; }
  else if (b0 >= 0xF0 && b0 < 0xF5) { need = 3; if (b0 == 0xF0) lo = 0x90; if (b0 == 0xF4) hi = 0x8F; }
  else return 1;
  let n = 1;
  while (n <= need && <usize>n < avail) {
    const b = <u32>load<u8>(ptr + <usize>n);
    if (n == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) break;
    n++;
  }
  return n;
}

/** Offset of the first invalid UTF-8 byte in bytes[start, end), or -1 when the range is valid. */
export function utf8Validate(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): i32 {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const base = bytes.dataStart;
  let i = start;
  while (i < end) {
    // ASCII fast path, 8 bytes at a time.
    while (i + 8 <= end && (load<u64>(base + <usize>i) & 0x8080808080808080) == 0) i += 8;
    if (i >= end) break;
    if (load<u8>(base + <usize>i) < 0x80) { i++; continue; }
    const n = utf8SeqLen(base + <usize>i, <usize>(end - i));
    if (n == 0) return i;
    i += n;
  }
  return -1;
}

/** Bytes needed to encode `s` as UTF-8 (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(s: string): i32 {
  const p = changetype<usize>(s);
  const n = s.length;
  let out = 0;
  for (let i = 0; i < n; i++) {
    const c = <u32>load<u16>(p + (<usize>i << 1));
    if (c < 0x80) out += 1;
    else if (c < 0x800) out += 2;
    else if ((c & 0xFC00) == 0xD800 && i + 1 < n && (<u32>load<u16>(p + (<usize>(i + 1) << 1)) & 0xFC00) == 0xDC00) {
      out += 4; i++;
    } else out += 3;
  }
  return out;
}

/**
 * Encodes `s` at `dst` (which must have room for utf8Length(s) bytes); returns bytes written.
 * Lone surrogates become U+FFFD.
 */
// @ts-ignore: decorator
@unsafe export function utf8EncodeInto(s: string, dst: usize): i32 {
  const p = changetype<usize>(s);
  const n = s.length;
  let o = dst;
  for (let i = 0; i < n; i++) {
    let c = <u32>load<u16>(p + (<usize>i << 1));
    if (c < 0x80) { store<u8>(o, <u8>c); o++; continue; }
    if (c < 0x800) {
      store<u8>(o, <u8>(0xC0 | (c >> 6)));
      store<u8>(o, <u8>(0x80 | (c & 63)), 1);
      o += 2; continue;
    }
    if ((c & 0xF800) == 0xD800) {
      let c2: u32 = 0;
      if (c < 0xDC00 && i + 1 < n) c2 = <u32>load<u16>(p + (<usize>(i + 1) << 1));
      if ((c2 & 0xFC00) == 0xDC00) {
        const cp = 0x10000 + ((c & 0x3FF) << 10) + (c2 & 0x3FF);
        store<u8>(o, <u8>(0xF0 | (cp >> 18)));
        store<u8>(o, <u8>(0x80 | ((cp >> 12) & 63)), 1);
        store<u8>(o, <u8>(0x80 | ((cp >> 6) & 63)), 2);
        store<u8>(o, <u8>(0x80 | (cp & 63)), 3);
        o += 4; i++; continue;
      }
      c = 0xFFFD;
    }
    store<u8>(o, <u8>(0xE0 | (c >> 12)));
    store<u8>(o, <u8>(0x80 | ((c >> 6) & 63)), 1);
    store<u8>(o, <u8>(0x80 | (c & 63)), 2);
    o += 3;
  }
  return <i32>(o - dst);
}

/** `s` as UTF-8 bytes (lone surrogates become U+FFFD). */
export function utf8Encode(s: string): Uint8Array {
  const out = new Uint8Array(utf8Length(s));
  utf8EncodeInto(s, out.dataStart);
  return out;
}

/**
 * Decodes `len` bytes at `ptr` as UTF-16 into `dst` (room for len units = len*2 bytes is enough); returns the
 * number of bytes written. Invalid sequences become U+FFFD.
 */
// @ts-ignore: decorator
@unsafe export function utf8DecodeInto(ptr: usize, len: i32, dst: usize): usize {
  let o = dst;
  const end = ptr + <usize>(len < 0 ? 0 : len);
  let i = ptr;
  while (i < end) {
    // ASCII fast path: widen 4 bytes at a time.
    while (i + 4 <= end) {
      const w = load<u32>(i);
      if (w & 0x80808080) break;
      store<u64>(o, (<u64>(w & 0xFF)) | (<u64>((w >> 8) & 0xFF) << 16) | (<u64>((w >> 16) & 0xFF) << 32) | (<u64>(w >> 24) << 48));
      o += 8; i += 4;
    }
    if (i >= end) break;
    const b0 = <u32>load<u8>(i);
    if (b0 < 0x80) { store<u16>(o, <u16>b0); o += 2; i++; continue; }
    const n = utf8SeqLen(i, end - i);
    if (n == 2) {
      store<u16>(o, <u16>(((b0 & 0x1F) << 6) | (<u32>load<u8>(i, 1) & 63)));
      o += 2;
    } else if (n == 3) {
      store<u16>(o, <u16>(((b0 & 0x0F) << 12) | ((<u32>load<u8>(i, 1) & 63) << 6) | (<u32>load<u8>(i, 2) & 63)));
      o += 2;
    } else if (n == 4) {
      const cp = (((b0 & 7) << 18) | ((<u32>load<u8>(i, 1) & 63) << 12) |
        ((<u32>load<u8>(i, 2) & 63) << 6) | (<u32>load<u8>(i, 3) & 63)) - 0x10000;
      store<u16>(o, <u16>(0xD800 | (cp >> 10)));
      store<u16>(o, <u16>(0xDC00 | (cp & 0x3FF)), 2);
      o += 4;
    } else {
      store<u16>(o, 0xFFFD);
      o += 2;
      i += <usize>utf8InvalidSpan(i, end - i);
      continue;
    }
    i += <usize>n;
  }
  return o - dst;
}

/** Decodes `len` bytes at `ptr` to a string, replacing invalid sequences with U+FFFD. */
// @ts-ignore: decorator
@unsafe export function utf8DecodePtr(ptr: usize, len: i32): string {
  if (len <= 0) return "";
  // At most one UTF-16 unit per input byte (a 4-byte sequence yields 2 units), so len*2 bytes suffice.
  const str = __new(<usize>len << 1, idof<string>());
  const n = utf8DecodeInto(ptr, len, str);
  return changetype<string>(__renew(str, n));
}

/** Decodes bytes[start, end) (end < 0: to the end) to a string; invalid sequences become U+FFFD. */
export function utf8Decode(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): string {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  return utf8DecodePtr(bytes.dataStart + <usize>start, end - start);
}

/**
 * Whether the `len` bytes at `ptr` are exactly the UTF-8 encoding of `s`, without allocating.
 * (Lone surrogates in `s` compare as U+FFFD.)
 */
// @ts-ignore: decorator
@unsafe export function utf8EqualsPtr(ptr: usize, len: i32, s: string): bool {
  const sp = changetype<usize>(s);
  const n = s.length;
  // Cheap rejects: UTF-8 is at least one byte per unit and at most three per unit.
  if (len < n || len > n * 3) return false;
  let o = 0;
  for (let i = 0; i < n; i++) {
    let c = <u32>load<u16>(sp + (<usize>i << 1));
    if (c < 0x80) {
      if (o >= len || <u32>load<u8>(ptr + <usize>o) != c) return false;
      o++;
      continue;
    }
    // Encode one code point into a u32 and compare byte by byte.
    let cp = c;
    if ((c & 0xF800) == 0xD800) {
      let c2: u32 = 0;
      if (c < 0xDC00 && i + 1 < n) c2 = <u32>load<u16>(sp + (<usize>(i + 1) << 1));
      if ((c2 & 0xFC00) == 0xDC00) { cp = 0x10000 + ((c & 0x3FF) << 10) + (c2 & 0x3FF); i++; }
      else cp = 0xFFFD;
    }
    let enc: u32, k: i32;
    if (cp < 0x800) { enc = (0xC0 | (cp >> 6)) | ((0x80 | (cp & 63)) << 8); k = 2; }
    else if (cp < 0x10000) {
      enc = (0xE0 | (cp >> 12)) | ((0x80 | ((cp >> 6) & 63)) << 8) | ((0x80 | (cp & 63)) << 16); k = 3;
    } else {
      enc = (0xF0 | (cp >> 18)) | ((0x80 | ((cp >> 12) & 63)) << 8) | ((0x80 | ((cp >> 6) & 63)) << 16) |
        ((0x80 | (cp & 63)) << 24); k = 4;
    }
    if (o + k > len) return false;
    for (let j = 0; j < k; j++) {
      if (<u32>load<u8>(ptr + <usize>(o + j)) != ((enc >> (<u32>j << 3)) & 0xFF)) return false;
    }
    o += k;
  }
  return o == len;
}

/** Whether bytes[start, end) are exactly the UTF-8 encoding of `s` (no allocation). */
export function bytesEqualString(bytes: Uint8Array, start: i32, end: i32, s: string): bool {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  return utf8EqualsPtr(bytes.dataStart + <usize>start, end - start, s);
}

/** Byte-wise equality of two buffers. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): bool {
  const n = a.length;
  if (n != b.length) return false;
  return memory.compare(a.dataStart, b.dataStart, <usize>n) == 0;
}

/** Index of byte `b` in bytes[from, end), or -1. */
export function indexOfByte(bytes: Uint8Array, b: u8, from: i32 = 0, end: i32 = -1): i32 {
  end = clampEnd(bytes.length, end);
  from = clampStart(from, end);
  const base = bytes.dataStart;
  for (let i = from; i < end; i++) if (load<u8>(base + <usize>i) == b) return i;
  return -1;
}

/** A copy of bytes[start, end) (clamped) — use `subarray` instead when a view is enough. */
export function copyBytes(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): Uint8Array {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const out = new Uint8Array(end - start);
  memory.copy(out.dataStart, bytes.dataStart + <usize>start, <usize>(end - start));
  return out;
}

/** `a` then `b` in one buffer; either one itself when the other is empty (no copy). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length == 0) return a;
  if (a.length == 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A view of bytes[start, end) (clamped, never throws); shares memory with `bytes`. */
export function sliceView(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): Uint8Array {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  return bytes.subarray(start, end);
}
