// A growable byte buffer: the one place output bodies and SSE frames are assembled.
//
// Growth allocates a new ArrayBuffer and memory.copy()s (never __renew): a `view()` handed out earlier keeps
// its own (old) storage alive instead of dangling when the buffer moves.

import { acquireLargeBlock, LARGE_BLOCK_BYTES } from "./large-buffers";
import { clampEnd, clampStart, utf8DecodePtr, utf8EncodeInto, utf8Length } from "./utf8";

// Shared zero-capacity storage for a buffer that was just take()n; never written (capacity 0).
const EMPTY = new ArrayBuffer(0);

export class ByteBuffer {
  private buf: ArrayBuffer;
  private len: i32 = 0;
  /** Capacity before the last take(): the next growth jumps straight back to it. */
  private hint: i32 = 0;

  /**
   * `body`: the buffer assembles a request body for the host; a large one then lives in a reused block and is valid
   * until the body callback returns (bytes/large-buffers.ts).
   */
  constructor(initialCapacity: i32 = 256, body: bool = false) {
    this.buf = body && initialCapacity >= LARGE_BLOCK_BYTES ? acquireLargeBlock(initialCapacity)
      : new ArrayBuffer(initialCapacity < 16 ? 16 : initialCapacity);
  }

  /** Bytes written so far. */
  get length(): i32 { return this.len; }

  /** Bytes that fit before the next reallocation. */
  get capacity(): i32 { return this.buf.byteLength; }

  /**
   * The backing store: its first `length` bytes are the contents. Replaced (never moved) when the buffer grows or
   * is taken, so a view made over it stays valid — and keeps reading the old store — after that.
   */
  get backing(): ArrayBuffer { return this.buf; }

  /** Address of byte 0 (valid until the next write that grows the buffer). */
  // @ts-ignore: decorator
  @unsafe get dataStart(): usize { return changetype<usize>(this.buf); }

  /** Makes room for `extra` more bytes. */
  // @ts-ignore: decorator
  @inline reserve(extra: i32): void {
    if (<u64>this.len + <u64>extra > <u64>this.buf.byteLength) this.grow(extra);
  }

  private grow(extra: i32): void {
    const need = <u64>this.len + <u64>(extra < 0 ? 0 : extra);
    let cap = <u64>this.buf.byteLength << 1;
    if (cap < <u64>this.hint) cap = <u64>this.hint;
    if (cap < 64) cap = 64;
    if (cap < need) cap = need;
    // Doubling must not overshoot the allocator's block limit (~1 GiB) while the real need still fits; needs
    // beyond it cannot be met by any AssemblyScript allocation, so request bodies must be size-limited earlier.
    const MAX_CAP: u64 = (1 << 30) - 64;
    if (cap > MAX_CAP) cap = need > MAX_CAP ? need : MAX_CAP;
    const nb = new ArrayBuffer(<i32>cap);
    memory.copy(changetype<usize>(nb), changetype<usize>(this.buf), <usize>this.len);
    this.buf = nb;
  }

  /**
   * Marks `n` bytes written directly at dataStart + length (after reserve(n)) as part of the contents.
   * Clamped to the capacity, so a wrong count cannot expose memory past the buffer.
   */
  // @ts-ignore: decorator
  @unsafe commit(n: i32): void {
    const cap = this.buf.byteLength;
    this.len = n <= 0 ? this.len : (n > cap - this.len ? cap : this.len + n);
  }

  /** Empties the buffer, keeping its capacity. */
  clear(): void { this.len = 0; }

  /** Drops bytes past `newLength` (no-op when newLength >= length). */
  truncate(newLength: i32): void {
    if (newLength >= 0 && newLength < this.len) this.len = newLength;
  }

  /** Drops the first `n` bytes (the rest moves to the front). */
  dropFront(n: i32): void {
    if (n <= 0) return;
    if (n >= this.len) { this.len = 0; return; }
    const base = changetype<usize>(this.buf);
    memory.copy(base, base + <usize>n, <usize>(this.len - n));
    this.len -= n;
  }

  /** Byte at `i`, or -1 when out of range. */
  byteAt(i: i32): i32 {
    return <u32>i < <u32>this.len ? <i32>load<u8>(changetype<usize>(this.buf) + <usize>i) : -1;
  }

  /** Last byte, or -1 when empty. */
  lastByte(): i32 { return this.byteAt(this.len - 1); }

  // @ts-ignore: decorator
  @inline pushByte(b: u8): void {
    this.reserve(1);
    store<u8>(changetype<usize>(this.buf) + <usize>this.len, b);
    this.len++;
  }

  /** Appends two bytes (e.g. a `":` pair or an escape). */
  // @ts-ignore: decorator
  @inline push2(a: u8, b: u8): void {
    this.reserve(2);
    const p = changetype<usize>(this.buf) + <usize>this.len;
    store<u8>(p, a);
    store<u8>(p, b, 1);
    this.len += 2;
  }

  /** Appends `n` bytes from `ptr`. */
  // @ts-ignore: decorator
  @unsafe pushPtr(ptr: usize, n: i32): void {
    if (n <= 0) return;
    this.reserve(n);
    memory.copy(changetype<usize>(this.buf) + <usize>this.len, ptr, <usize>n);
    this.len += n;
  }

  /** Appends all of `src`. */
  pushBytes(src: Uint8Array): void {
    this.pushPtr(src.dataStart, src.length);
  }

  /** Appends src[start, end) (clamped; end < 0 means to the end). */
  pushSlice(src: Uint8Array, start: i32, end: i32 = -1): void {
    end = clampEnd(src.length, end);
    start = clampStart(start, end);
    this.pushPtr(src.dataStart + <usize>start, end - start);
  }

  /** Appends another buffer's contents. */
  pushBuffer(other: ByteBuffer): void {
    this.pushPtr(other.dataStart, other.length);
  }

  /** Appends `s` as UTF-8 (lone surrogates become U+FFFD). */
  pushString(s: string): void {
    const n = s.length;
    // Pure-ASCII strings are common (keys, ids, model names): reserve n*3 and encode in one pass.
    this.reserve(n <= 0x40000 ? n * 3 : utf8Length(s));
    this.len += utf8EncodeInto(s, changetype<usize>(this.buf) + <usize>this.len);
  }

  /** Appends a decimal integer. */
  pushInt(v: i64): void {
    this.reserve(20);
    let p = changetype<usize>(this.buf) + <usize>this.len;
    let u: u64;
    if (v < 0) { store<u8>(p, 0x2D); p++; this.len++; u = <u64>(-(v + 1)) + 1; } else u = <u64>v;
    // Digits are produced backwards into a small scratch area, then copied forward.
    const tmp = memory.data(24);
    let k = 24;
    do { k--; store<u8>(tmp + <usize>k, <u8>(0x30 + <u32>(u % 10))); u /= 10; } while (u != 0);
    memory.copy(p, tmp + <usize>k, <usize>(24 - k));
    this.len += 24 - k;
  }

  /** A copy of the contents. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.len);
    memory.copy(out.dataStart, changetype<usize>(this.buf), <usize>this.len);
    return out;
  }

  /**
   * The contents without copying; the buffer starts over empty with fresh storage. Use when the buffer is done
   * (e.g. a finished response body).
   */
  take(): Uint8Array {
    const out = Uint8Array.wrap(this.buf, 0, this.len);
    // No allocation now: the next write grows straight to the old capacity (streams take() once per chunk).
    this.hint = this.buf.byteLength;
    this.buf = EMPTY;
    this.len = 0;
    return out;
  }

  /**
   * A view of the current contents without copying. It stays valid (and unchanged) until the next write or
   * clear(); after that its bytes may change.
   */
  view(): Uint8Array {
    return Uint8Array.wrap(this.buf, 0, this.len);
  }

  /** The contents decoded as UTF-8 (invalid sequences become U+FFFD). */
  toString(): string {
    return utf8DecodePtr(changetype<usize>(this.buf), this.len);
  }
}
