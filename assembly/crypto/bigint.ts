// Unsigned big integers as little-endian u32 limbs, only what RSA signing needs: modular exponentiation by
// Montgomery multiplication (CIOS, Koç et al. 1996) for an odd modulus.

/** Big-endian bytes (leading zeros allowed) to limbs. */
export function limbsFromBytes(bytes: Uint8Array, limbs: i32): Uint32Array {
  const out = new Uint32Array(limbs);
  for (let i = 0, n = bytes.length; i < n; i++) {
    const byteIndex = n - 1 - i; // i-th least significant byte
    const limb = i >> 2;
    if (limb >= limbs) break;
    out[limb] |= <u32>bytes[byteIndex] << (<u32>(i & 3) * 8);
  }
  return out;
}

/** Limbs to exactly `len` big-endian bytes (higher bytes dropped). */
export function limbsToBytes(a: Uint32Array, len: i32): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const limb = i >> 2;
    if (limb >= a.length) break;
    out[len - 1 - i] = <u8>(a[limb] >>> (<u32>(i & 3) * 8));
  }
  return out;
}

/** -1, 0, 1 as a <, =, > b (same limb count). */
export function compareLimbs(a: Uint32Array, b: Uint32Array): i32 {
  for (let i = a.length - 1; i >= 0; i--) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** a -= b in place (a >= b). */
function subInPlace(a: Uint32Array, b: Uint32Array): void {
  let borrow: i64 = 0;
  for (let i = 0; i < a.length; i++) {
    const d = <i64>a[i] - <i64>b[i] - borrow;
    a[i] = <u32>d;
    borrow = d < 0 ? 1 : 0;
  }
}

class Montgomery {
  k: i32;
  n: Uint32Array;
  /** -n^-1 mod 2^32 */
  n0inv: u32;
  t: Uint32Array;

  constructor(n: Uint32Array) {
    this.n = n;
    this.k = n.length;
    this.t = new Uint32Array(n.length + 2);
    let x: u32 = 1; // Newton's iteration for n[0]^-1 mod 2^32 (n odd): 5 steps double the correct bits to 32
    for (let i = 0; i < 5; i++) x = x * (2 - n[0] * x);
    this.n0inv = 0 - x;
  }

  /** out = a * b * R^-1 mod n (a, b < n). */
  mul(a: Uint32Array, b: Uint32Array, out: Uint32Array): void {
    const k = this.k, n = this.n, t = this.t;
    t.fill(0);
    for (let i = 0; i < k; i++) {
      let c: u64 = 0;
      const bi = <u64>b[i];
      for (let j = 0; j < k; j++) {
        const s = <u64>t[j] + <u64>a[j] * bi + c;
        t[j] = <u32>s;
        c = s >> 32;
      }
      let s = <u64>t[k] + c;
      t[k] = <u32>s;
      t[k + 1] = <u32>(s >> 32);
      const m = <u64>(t[0] * this.n0inv);
      s = <u64>t[0] + m * <u64>n[0];
      c = s >> 32;
      for (let j = 1; j < k; j++) {
        s = <u64>t[j] + m * <u64>n[j] + c;
        t[j - 1] = <u32>s;
        c = s >> 32;
      }
      s = <u64>t[k] + c;
      t[k - 1] = <u32>s;
      t[k] = t[k + 1] + <u32>(s >> 32);
    }
    for (let i = 0; i < k; i++) out[i] = t[i];
    if (t[k] != 0 || compareLimbs(out, n) >= 0) subInPlace(out, n);
  }
}

/** base^exp mod n for an odd n > 1 and base < n (all limbs of n's length; exp any length). */
export function modPow(base: Uint32Array, exp: Uint32Array, n: Uint32Array): Uint32Array {
  const k = n.length;
  const mont = new Montgomery(n);
  // R mod n, then R^2 mod n, by doubling 1 (R = 2^(32k)).
  const r2 = new Uint32Array(k);
  r2[0] = 1;
  const one = new Uint32Array(k); // R mod n: 1 in Montgomery form
  for (let i = 0; i < 64 * k; i++) {
    doubleMod(r2, n);
    if (i == 32 * k - 1) one.set(r2);
  }
  const baseM = new Uint32Array(k);
  mont.mul(base, r2, baseM);
  const x = new Uint32Array(k);
  x.set(one);
  const tmp = new Uint32Array(k);
  for (let i = exp.length * 32 - 1; i >= 0; i--) {
    mont.mul(x, x, tmp);
    if ((exp[i >> 5] >>> (<u32>i & 31)) & 1) mont.mul(tmp, baseM, x);
    else x.set(tmp);
  }
  const plain = new Uint32Array(k);
  plain[0] = 1;
  mont.mul(x, plain, tmp);
  return tmp;
}

/** a = 2a mod n (a < n). */
function doubleMod(a: Uint32Array, n: Uint32Array): void {
  let carry: u32 = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    a[i] = (v << 1) | carry;
    carry = v >>> 31;
  }
  if (carry != 0 || compareLimbs(a, n) >= 0) subInPlace(a, n);
}
