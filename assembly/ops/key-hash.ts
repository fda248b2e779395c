// SHA-256 (FIPS 180-4) of virtual keys: consumers' keys are kept, compared and logged only as hashes.
// (A shared crypto module is on its way; this is the one user for now.)

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/**
 * Incremental SHA-256: update() with slices as they come (no copy of the whole input; only a partial block is
 * buffered), then digest().
 */
export class Sha256 {
  private h: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  private w: StaticArray<u32> = new StaticArray<u32>(64);
  private block: StaticArray<u8> = new StaticArray<u8>(64);
  private fill: i32 = 0;
  private total: u64 = 0;

  update(data: Uint8Array, start: i32 = 0, end: i32 = -1): void {
    if (end < 0 || end > data.length) end = data.length;
    if (start < 0) start = 0;
    if (start >= end) return;
    this.total += <u64>(end - start);
    let p = data.dataStart + <usize>start;
    const stop = data.dataStart + <usize>end;
    const blk = changetype<usize>(this.block);
    if (this.fill > 0) {
      const take = min(<i32>(stop - p), 64 - this.fill);
      memory.copy(blk + <usize>this.fill, p, <usize>take);
      this.fill += take;
      p += <usize>take;
      if (this.fill < 64) return;
      this.compress(blk);
      this.fill = 0;
    }
    while (p + 64 <= stop) {
      this.compress(p);
      p += 64;
    }
    if (p < stop) {
      memory.copy(blk, p, stop - p);
      this.fill = <i32>(stop - p);
    }
  }

  digest(): Uint8Array {
    const bits = this.total << 3;
    const blk = changetype<usize>(this.block);
    store<u8>(blk + <usize>this.fill, 0x80);
    this.fill++;
    if (this.fill > 56) {
      memory.fill(blk + <usize>this.fill, 0, <usize>(64 - this.fill));
      this.compress(blk);
      this.fill = 0;
    }
    memory.fill(blk + <usize>this.fill, 0, <usize>(56 - this.fill));
    for (let i = 0; i < 8; i++) store<u8>(blk + 63 - <usize>i, <u8>(bits >> (<u64>i << 3)));
    this.compress(blk);
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const v = unchecked(this.h[i]);
      out[i << 2] = <u8>(v >>> 24);
      out[(i << 2) + 1] = <u8>(v >>> 16);
      out[(i << 2) + 2] = <u8>(v >>> 8);
      out[(i << 2) + 3] = <u8>v;
    }
    return out;
  }

  private compress(p: usize): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const q = p + (<usize>i << 2);
      unchecked(w[i] = (<u32>load<u8>(q) << 24) | (<u32>load<u8>(q + 1) << 16) | (<u32>load<u8>(q + 2) << 8) | <u32>load<u8>(q + 3));
    }
    for (let i = 16; i < 64; i++) {
      const a = unchecked(w[i - 15]), b = unchecked(w[i - 2]);
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      unchecked(w[i] = unchecked(w[i - 16]) + s0 + unchecked(w[i - 7]) + s1);
    }
    const h = this.h;
    let a = unchecked(h[0]), b = unchecked(h[1]), c = unchecked(h[2]), d = unchecked(h[3]);
    let e = unchecked(h[4]), f = unchecked(h[5]), g = unchecked(h[6]), hh = unchecked(h[7]);
    for (let i = 0; i < 64; i++) {
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + unchecked(K[i]) + unchecked(w[i]);
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    unchecked(h[0] += a); unchecked(h[1] += b); unchecked(h[2] += c); unchecked(h[3] += d);
    unchecked(h[4] += e); unchecked(h[5] += f); unchecked(h[6] += g); unchecked(h[7] += hh);
  }
}

/** The 32-byte digest of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  const s = new Sha256();
  s.update(data);
  return s.digest();
}

// @ts-ignore: decorator
@inline function rotr(x: u32, n: u32): u32 { return (x >>> n) | (x << (32 - n)); }

const HEX = "0123456789abcdef";

export function toHex(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

/** Lower-case hex SHA-256 of a key's UTF-8 bytes (as `printf %s KEY | sha256sum` prints it). */
export function hashKeyHex(key: string): string {
  return toHex(sha256(Uint8Array.wrap(String.UTF8.encode(key))));
}

export function isSha256Hex(s: string): bool {
  if (s.length != 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
