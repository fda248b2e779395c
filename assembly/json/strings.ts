// JSON string token contents -> decoded text, and text -> escaped JSON string contents.
//
// Decoding is defensive even though the parser validated the token: a truncated escape just ends the output.
// Lone surrogate escapes (\uD800 alone) are valid JSON but not valid Unicode: they decode to U+FFFD.

import { ByteBuffer } from "../bytes/buffer";
import { clampEnd, clampStart, utf8DecodeInto, utf8InvalidSpan, utf8SeqLen } from "../bytes/utf8";

/** Value of hex digit `c`, or -1. */
// @ts-ignore: decorator
@inline export function hexVal(c: u32): i32 {
  if (c - 0x30 < 10) return <i32>(c - 0x30);
  const l = c | 0x20;
  if (l - 0x61 < 6) return <i32>(l - 0x61 + 10);
  return -1;
}

/** The 16-bit value of the 4 hex digits at `p` (needs 4 readable bytes), or -1. */
// @ts-ignore: decorator
@inline function hex4(p: usize): i32 {
  const a = hexVal(load<u8>(p)), b = hexVal(load<u8>(p, 1)), c = hexVal(load<u8>(p, 2)), d = hexVal(load<u8>(p, 3));
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/** Value of the simple escape `\c` (n, t, ...), or -1 for u / invalid. */
// @ts-ignore: decorator
@inline function simpleEscape(c: u32): i32 {
  switch (c) {
    case 0x22: return 0x22; // "
    case 0x5C: return 0x5C; // \
    case 0x2F: return 0x2F; // /
    case 0x62: return 0x08; // b
    case 0x66: return 0x0C; // f
    case 0x6E: return 0x0A; // n
    case 0x72: return 0x0D; // r
    case 0x74: return 0x09; // t
  }
  return -1;
}

/**
 * Reads the escape starting at backslash `p` (< end). Returns the code point (surrogate pairs combined, lone
 * surrogates as 0xFFFD) and stores the escape's byte length in ESC_LEN; -1 on a malformed/truncated escape.
 */
let ESC_LEN: i32 = 0;
function readEscape(p: usize, end: usize): i32 {
  if (p + 1 >= end) { ESC_LEN = <i32>(end - p); return -1; }
  const c = <u32>load<u8>(p, 1);
  if (c != 0x75) {
    ESC_LEN = 2;
    return simpleEscape(c);
  }
  if (p + 6 > end) { ESC_LEN = <i32>(end - p); return -1; }
  const u = hex4(p + 2);
  ESC_LEN = 6;
  if (u < 0) return -1;
  if ((u & 0xF800) != 0xD800) return u;
  if (u < 0xDC00 && p + 12 <= end && load<u8>(p, 6) == 0x5C && load<u8>(p, 7) == 0x75) {
    const lo = hex4(p + 8);
    if (lo >= 0 && (lo & 0xFC00) == 0xDC00) {
      ESC_LEN = 12;
      return 0x10000 + ((u & 0x3FF) << 10) + (lo & 0x3FF);
    }
  }
  return 0xFFFD;
}

/** Decodes the contents of a JSON string token (bytes[start, end), quotes excluded) to a string. */
export function decodeJsonString(bytes: Uint8Array, start: i32, end: i32): string {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const n = end - start;
  if (n == 0) return "";
  const str = __new(<usize>n << 1, idof<string>());
  let o = str;
  let p = bytes.dataStart + <usize>start;
  const e = bytes.dataStart + <usize>end;
  while (p < e) {
    let q = p;
    while (q < e && load<u8>(q) != 0x5C) q++;
    if (q > p) { o += utf8DecodeInto(p, <i32>(q - p), o); p = q; }
    if (p >= e) break;
    const cp = readEscape(p, e);
    p += <usize>ESC_LEN;
    if (cp < 0) { store<u16>(o, 0xFFFD); o += 2; continue; }
    if (cp >= 0x10000) {
      const v = cp - 0x10000;
      store<u16>(o, <u16>(0xD800 | (v >> 10)));
      store<u16>(o, <u16>(0xDC00 | (v & 0x3FF)), 2);
      o += 4;
    } else {
      store<u16>(o, <u16>cp);
      o += 2;
    }
  }
  return changetype<string>(__renew(str, o - str));
}

/** Appends code point `cp` as UTF-8 at `o`; returns bytes written. */
// @ts-ignore: decorator
@inline function putUtf8(o: usize, cp: u32): usize {
  if (cp < 0x80) { store<u8>(o, <u8>cp); return 1; }
  if (cp < 0x800) {
    store<u8>(o, <u8>(0xC0 | (cp >> 6))); store<u8>(o, <u8>(0x80 | (cp & 63)), 1);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(o, <u8>(0xE0 | (cp >> 12))); store<u8>(o, <u8>(0x80 | ((cp >> 6) & 63)), 1);
    store<u8>(o, <u8>(0x80 | (cp & 63)), 2);
    return 3;
  }
  store<u8>(o, <u8>(0xF0 | (cp >> 18))); store<u8>(o, <u8>(0x80 | ((cp >> 12) & 63)), 1);
  store<u8>(o, <u8>(0x80 | ((cp >> 6) & 63)), 2); store<u8>(o, <u8>(0x80 | (cp & 63)), 3);
  return 4;
}

/** Decodes the contents of a JSON string token to UTF-8 bytes (escapes resolved) into a new buffer. */
export function jsonStringBytes(bytes: Uint8Array, start: i32, end: i32): Uint8Array {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  // Every escape decodes to no more bytes than it occupies, so the input length bounds the output.
  const out = new Uint8Array(end - start);
  let o = out.dataStart;
  let p = bytes.dataStart + <usize>start;
  const e = bytes.dataStart + <usize>end;
  while (p < e) {
    let q = p;
    while (q < e && load<u8>(q) != 0x5C) q++;
    if (q > p) { memory.copy(o, p, q - p); o += q - p; p = q; }
    if (p >= e) break;
    const cp = readEscape(p, e);
    p += <usize>ESC_LEN;
    o += putUtf8(o, cp < 0 ? 0xFFFD : <u32>cp);
  }
  return out.subarray(0, <i32>(o - out.dataStart));
}

// Escape table for bytes < 0x80: 0 = copy as is, 1 = \u00XX, else the letter after the backslash.
const ESC = memory.data<u8>([
  1, 1, 1, 1, 1, 1, 1, 1, 0x62, 0x74, 0x6E, 1, 0x66, 0x72, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0x22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x5C, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
]);
const HEX = memory.data<u8>([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66]);

/** Writes the escape for ASCII byte `c` (ESC[c] != 0) at `o`; returns bytes written. */
// @ts-ignore: decorator
@inline function putEscape(o: usize, c: u32): usize {
  const e = <u32>load<u8>(ESC + c);
  store<u8>(o, 0x5C);
  if (e != 1) { store<u8>(o, <u8>e, 1); return 2; }
  store<u8>(o, 0x75, 1); store<u8>(o, 0x30, 2); store<u8>(o, 0x30, 3);
  store<u8>(o, load<u8>(HEX + (c >> 4)), 4); store<u8>(o, load<u8>(HEX + (c & 15)), 5);
  return 6;
}

/**
 * Appends `s` as the contents of a JSON string (no quotes): `"`, `\` and control characters escaped, everything
 * else as UTF-8; lone surrogates become U+FFFD so the output is always valid UTF-8.
 */
export function escapeStringInto(out: ByteBuffer, s: string): void {
  const n = s.length;
  // Worst case per UTF-16 unit: 6 bytes (\u00XX); reserve once, then write directly.
  out.reserve(n * 6);
  const sp = changetype<usize>(s);
  const o0 = out.dataStart + <usize>out.length;
  let o = o0;
  for (let i = 0; i < n; i++) {
    let c = <u32>load<u16>(sp + (<usize>i << 1));
    if (c < 0x80) {
      if (load<u8>(ESC + c) == 0) { store<u8>(o, <u8>c); o++; }
      else o += putEscape(o, c);
      continue;
    }
    if ((c & 0xF800) == 0xD800) {
      let c2: u32 = 0;
      if (c < 0xDC00 && i + 1 < n) c2 = <u32>load<u16>(sp + (<usize>(i + 1) << 1));
      if ((c2 & 0xFC00) == 0xDC00) { c = 0x10000 + ((c & 0x3FF) << 10) + (c2 & 0x3FF); i++; }
      else c = 0xFFFD;
    }
    o += putUtf8(o, c);
  }
  // The bytes were written past `length`; account for them through the buffer's API.
  out.commit(<i32>(o - o0));
}

/**
 * Appends UTF-8 text bytes[start, end) as the contents of a JSON string: escapes `"`, `\` and control
 * characters, copies valid UTF-8 runs with memory.copy, replaces invalid sequences with U+FFFD.
 */
export function escapeBytesInto(out: ByteBuffer, bytes: Uint8Array, start: i32 = 0, end: i32 = -1): void {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const base = bytes.dataStart;
  let i = start;
  let run = start;
  while (i < end) {
    const c = <u32>load<u8>(base + <usize>i);
    if (c < 0x80) {
      if (load<u8>(ESC + c) == 0) { i++; continue; }
      out.pushPtr(base + <usize>run, i - run);
      out.reserve(6);
      out.commit(<i32>putEscape(out.dataStart + <usize>out.length, c));
      i++; run = i;
      continue;
    }
    const k = utf8SeqLen(base + <usize>i, <usize>(end - i));
    if (k > 0) { i += k; continue; }
    out.pushPtr(base + <usize>run, i - run);
    out.push2(0xEF, 0xBF);
    out.pushByte(0xBD);
    i += utf8InvalidSpan(base + <usize>i, <usize>(end - i)); run = i;
  }
  out.pushPtr(base + <usize>run, end - run);
}
