// Conversions from a validated JSON number token to f64 / i64. The token's raw text is always kept by the
// value, so nothing is lost when a number does not fit (1e999, 123456789012345678901234567890).

import { clampEnd, clampStart, utf8DecodePtr } from "../bytes/utf8";

// Exact powers of ten representable in f64 (Clinger's fast path bound).
const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
]);

/** f64 value of the number token bytes[start, end). Infinity when out of range; NaN only for non-numbers. */
export function numberToF64(bytes: Uint8Array, start: i32, end: i32, isInteger: bool = false): f64 {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const base = bytes.dataStart;
  let i = start;
  let neg = false;
  if (i < end && load<u8>(base + <usize>i) == 0x2D) { neg = true; i++; }
  // Fast path: at most 15 significant digits and a small decimal exponent are exact with one mul/div.
  let mant: u64 = 0;
  let digits = 0;
  let fracDigits = 0;
  let inFrac = false;
  let exp: i32 = 0;
  let ok = true;
  while (i < end) {
    const c = <u32>load<u8>(base + <usize>i);
    if (c - 0x30 < 10) {
      if (mant != 0 || c != 0x30) digits++;
      mant = mant * 10 + <u64>(c - 0x30);
      if (inFrac) fracDigits++;
      if (digits > 15) { ok = false; break; }
    } else if (c == 0x2E) inFrac = true;
    else if ((c | 0x20) == 0x65) {
      i++;
      let eneg = false;
      if (i < end) {
        const s = load<u8>(base + <usize>i);
        if (s == 0x2D) { eneg = true; i++; } else if (s == 0x2B) i++;
      }
      while (i < end) {
        const d = <u32>load<u8>(base + <usize>i) - 0x30;
        if (d >= 10) { ok = false; break; }
        if (exp < 100000) exp = exp * 10 + <i32>d;
        i++;
      }
      if (eneg) exp = -exp;
      break;
    } else { ok = false; break; }
    i++;
  }
  if (ok) {
    const e10 = exp - fracDigits;
    let v = <f64>mant;
    if (mant == 0) return neg ? -0.0 : 0.0;
    if (e10 >= 0 && e10 <= 22) v *= load<f64>(POW10 + (<usize>e10 << 3));
    else if (e10 < 0 && e10 >= -22) v /= load<f64>(POW10 + (<usize>(-e10) << 3));
    else ok = false;
    if (ok) return neg ? -v : v;
  }
  // Slow path: the standard library's correctly-rounding-enough strtod on the token text.
  return parseFloat(utf8DecodePtr(base + <usize>start, end - start));
}

/** Whether bytes[start, end) is integer syntax whose value fits in i64. */
export function numberFitsI64(bytes: Uint8Array, start: i32, end: i32): bool {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  const base = bytes.dataStart;
  let i = start;
  let neg = false;
  if (i < end && load<u8>(base + <usize>i) == 0x2D) { neg = true; i++; }
  if (i >= end) return false;
  const limit: u64 = neg ? 9223372036854775808 : 9223372036854775807;
  let u: u64 = 0;
  while (i < end) {
    const d = <u32>load<u8>(base + <usize>i) - 0x30;
    if (d >= 10) return false;
    if (u > (limit - <u64>d) / 10) return false;
    u = u * 10 + <u64>d;
    i++;
  }
  return true;
}

/** i64 value of a number token: truncated toward zero, clamped to [i64.MIN, i64.MAX]. */
export function numberToI64(bytes: Uint8Array, start: i32, end: i32, isInteger: bool): i64 {
  end = clampEnd(bytes.length, end);
  start = clampStart(start, end);
  if (isInteger) {
    const base = bytes.dataStart;
    let i = start;
    let neg = false;
    if (i < end && load<u8>(base + <usize>i) == 0x2D) { neg = true; i++; }
    const limit: u64 = neg ? 9223372036854775808 : 9223372036854775807;
    let u: u64 = 0;
    while (i < end) {
      const d = <u32>load<u8>(base + <usize>i) - 0x30;
      if (d >= 10) break;
      if (u > (limit - <u64>d) / 10) { u = limit; break; }
      u = u * 10 + <u64>d;
      i++;
    }
    return neg ? <i64>(0 - u) : <i64>u;
  }
  return f64ToI64Clamped(numberToF64(bytes, start, end, false));
}

/** Truncates toward zero, clamping to the i64 range; NaN -> 0. */
export function f64ToI64Clamped(f: f64): i64 {
  if (f != f) return 0;
  if (f >= 9223372036854775807.0) return i64.MAX_VALUE;
  if (f <= -9223372036854775808.0) return i64.MIN_VALUE;
  return <i64>f;
}
