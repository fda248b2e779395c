// SHA-256 (FIPS 180-4 §6.2): for AWS SigV4, Tencent TC3 and RS256 JWTs. Streaming (update/digest) or one call.

// FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
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

export class Sha256 {
  private h: StaticArray<u32> = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  private block: Uint8Array = new Uint8Array(64);
  private w: StaticArray<u32> = new StaticArray<u32>(64);
  private filled: i32 = 0;
  private total: u64 = 0;

  update(data: Uint8Array): Sha256 {
    const n = data.length;
    this.total += <u64>n;
    for (let i = 0; i < n; i++) {
      this.block[this.filled++] = data[i];
      if (this.filled == 64) {
        this.compress();
        this.filled = 0;
      }
    }
    return this;
  }

  updateString(s: string): Sha256 { return this.update(Uint8Array.wrap(String.UTF8.encode(s))); }

  /** The 32-byte digest; the hash is finished (start a new Sha256 for another message). */
  digest(): Uint8Array {
    const bits = this.total << 3;
    this.block[this.filled++] = 0x80;
    if (this.filled > 56) {
      while (this.filled < 64) this.block[this.filled++] = 0;
      this.compress();
      this.filled = 0;
    }
    while (this.filled < 56) this.block[this.filled++] = 0;
    for (let i = 0; i < 8; i++) this.block[56 + i] = <u8>(bits >> (<u64>(56 - 8 * i)));
    this.compress();
    const out = new Uint8Array(32);
    for (let i = 0; i < 8; i++) {
      const v = this.h[i];
      out[4 * i] = <u8>(v >>> 24);
      out[4 * i + 1] = <u8>(v >>> 16);
      out[4 * i + 2] = <u8>(v >>> 8);
      out[4 * i + 3] = <u8>v;
    }
    return out;
  }

  private compress(): void {
    const w = this.w;
    const b = this.block;
    for (let t = 0; t < 16; t++) {
      w[t] = (<u32>b[4 * t] << 24) | (<u32>b[4 * t + 1] << 16) | (<u32>b[4 * t + 2] << 8) | <u32>b[4 * t + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15], y = w[t - 2];
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    const h = this.h;
    let a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (let t = 0; t < 64; t++) {
      const t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
      hh = g; g = f; f = e; e = d + t1; d = c; c = bb; bb = a; a = t1 + t2;
    }
    h[0] += a; h[1] += bb; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
  }
}

@inline function rotr(x: u32, n: u32): u32 { return (x >>> n) | (x << (32 - n)); }

export function sha256(data: Uint8Array): Uint8Array { return new Sha256().update(data).digest(); }
