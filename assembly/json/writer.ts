// JsonWriter: streaming JSON output into a ByteBuffer with automatic commas.
//
// Values written after key() belong to that key; otherwise a comma is inserted when the enclosing container
// already has an element. Misuse (end without begin, a value with no key inside an object) never traps; it
// just produces output the caller's tests will catch. Subtrees from a parsed document are copied verbatim with
// raw(), which is one memory.copy.

import { ByteBuffer } from "../bytes/buffer";
import { clampEnd, clampStart } from "../bytes/utf8";
import { escapeBytesInto, escapeStringInto } from "./strings";
import { JsonValue } from "./value";

export class JsonWriter {
  /** The output; exposed so SSE framing can append around it without copying. */
  readonly buf: ByteBuffer;
  /** Per open container: 1 when it already holds an element. Depth 0 is the top level. */
  private hasItem: StaticArray<u8> = new StaticArray<u8>(32);
  private depth: i32 = 0;
  private afterKey: bool = false;

  /** `body`: see ByteBuffer (a large request body in a reused block). */
  constructor(initialCapacity: i32 = 1024, body: bool = false) {
    this.buf = new ByteBuffer(initialCapacity, body);
  }

  /** Bytes written so far. */
  get length(): i32 { return this.buf.length; }

  /** Starts over (keeps the allocated capacity). */
  reset(): void {
    this.buf.clear();
    this.depth = 0;
    this.afterKey = false;
    unchecked(this.hasItem[0] = 0);
  }

  /** Comma bookkeeping before any value or key. */
  // @ts-ignore: decorator
  @inline private sep(): void {
    if (this.afterKey) { this.afterKey = false; return; }
    const d = this.depth;
    if (unchecked(this.hasItem[d])) this.buf.pushByte(0x2C);
    else unchecked(this.hasItem[d] = 1);
  }

  private open(c: u8): void {
    this.sep();
    this.buf.pushByte(c);
    const d = this.depth + 1;
    if (d >= this.hasItem.length) {
      const n = new StaticArray<u8>(this.hasItem.length << 1);
      memory.copy(changetype<usize>(n), changetype<usize>(this.hasItem), <usize>this.hasItem.length);
      this.hasItem = n;
    }
    unchecked(this.hasItem[d] = 0);
    this.depth = d;
  }

  private close(c: u8): void {
    this.afterKey = false;
    this.buf.pushByte(c);
    if (this.depth > 0) this.depth--;
  }

  beginObject(): JsonWriter { this.open(0x7B); return this; }
  endObject(): JsonWriter { this.close(0x7D); return this; }
  beginArray(): JsonWriter { this.open(0x5B); return this; }
  endArray(): JsonWriter { this.close(0x5D); return this; }

  /** Writes `"k":` (escaped). The next value written belongs to it. */
  key(k: string): JsonWriter {
    this.sep();
    this.buf.pushByte(0x22);
    escapeStringInto(this.buf, k);
    this.buf.push2(0x22, 0x3A);
    this.afterKey = true;
    return this;
  }
  /** Writes a key given as a complete JSON string token (quotes included, e.g. JsonValue.rawBytes() of a key). */
  keyRaw(token: Uint8Array): JsonWriter {
    this.sep();
    this.buf.pushBytes(token);
    this.buf.pushByte(0x3A);
    this.afterKey = true;
    return this;
  }
  /** Writes a key whose text is UTF-8 bytes[start, end) (escaped as needed). */
  keyBytes(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): JsonWriter {
    this.sep();
    this.buf.pushByte(0x22);
    escapeBytesInto(this.buf, bytes, start, end);
    this.buf.push2(0x22, 0x3A);
    this.afterKey = true;
    return this;
  }
  /** Copies a parsed key (or any String value) verbatim as a key. */
  keyFrom(k: JsonValue): JsonWriter {
    this.sep();
    this.buf.pushSlice(k.doc.bytes, k.start, k.end);
    this.buf.pushByte(0x3A);
    this.afterKey = true;
    return this;
  }

  /** A string value, escaped; lone surrogates become U+FFFD. */
  string(s: string): JsonWriter {
    this.sep();
    this.buf.pushByte(0x22);
    escapeStringInto(this.buf, s);
    this.buf.pushByte(0x22);
    return this;
  }
  /** A string value whose text is UTF-8 bytes[start, end); escaped, invalid UTF-8 replaced by U+FFFD. */
  stringFromBytes(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): JsonWriter {
    this.sep();
    this.buf.pushByte(0x22);
    escapeBytesInto(this.buf, bytes, start, end);
    this.buf.pushByte(0x22);
    return this;
  }
  /** Opens a string value so several pieces can be appended (stringPart*), then closeString(). */
  openString(): JsonWriter {
    this.sep();
    this.buf.pushByte(0x22);
    return this;
  }
  /** Appends escaped text inside a string opened with openString(). */
  stringPart(s: string): JsonWriter { escapeStringInto(this.buf, s); return this; }
  /** Appends escaped UTF-8 bytes inside a string opened with openString(). */
  stringPartBytes(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): JsonWriter {
    escapeBytesInto(this.buf, bytes, start, end);
    return this;
  }
  /** Closes a string opened with openString(). */
  closeString(): JsonWriter { this.buf.pushByte(0x22); return this; }

  /** A number: integers without ".0", shortest round-trip otherwise; NaN/Infinity become null. */
  number(v: f64): JsonWriter {
    this.sep();
    if (!isFinite(v)) { this.pushNull(); return this; }
    if (v == Math.trunc(v) && Math.abs(v) < 9007199254740992.0) {
      if (v == 0 && 1 / v < 0) this.buf.push2(0x2D, 0x30); // keep -0 distinguishable
      else this.buf.pushInt(<i64>v);
      return this;
    }
    // Shortest round-trip digits from the standard library; it writes large integers as "1e+21" or "...0.0".
    let t = v.toString();
    if (t.endsWith(".0")) t = t.substring(0, t.length - 2);
    this.buf.pushString(t);
    return this;
  }
  /** An integer. */
  int(v: i64): JsonWriter { this.sep(); this.buf.pushInt(v); return this; }
  bool(v: bool): JsonWriter {
    this.sep();
    if (v) { this.buf.reserve(4); this.pushAscii4(0x65757274); }
    else { this.buf.reserve(5); this.pushAscii4(0x736C6166); this.buf.pushByte(0x65); }
    return this;
  }
  null(): JsonWriter { this.sep(); this.pushNull(); return this; }

  private pushNull(): void { this.buf.reserve(4); this.pushAscii4(0x6C6C756E); }
  private pushAscii4(w: u32): void {
    store<u32>(this.buf.dataStart + <usize>this.buf.length, w);
    this.buf.commit(4);
  }

  /** Copies a parsed value's source bytes verbatim (one memory.copy). */
  raw(v: JsonValue): JsonWriter {
    this.sep();
    this.buf.pushSlice(v.doc.bytes, v.start, v.end);
    return this;
  }
  /** Copies already-serialized JSON verbatim (the caller vouches that it is one valid JSON value). */
  rawBytes(bytes: Uint8Array, start: i32 = 0, end: i32 = -1): JsonWriter {
    this.sep();
    end = clampEnd(bytes.length, end);
    start = clampStart(start, end);
    this.buf.pushSlice(bytes, start, end);
    return this;
  }
  /** Copies an ASCII/UTF-8 JSON snippet given as a string verbatim (e.g. "{}" or "[]"). */
  rawString(json: string): JsonWriter {
    this.sep();
    this.buf.pushString(json);
    return this;
  }

  // ---- key + value shorthands ----
  fieldString(k: string, v: string): JsonWriter { return this.key(k).string(v); }
  fieldInt(k: string, v: i64): JsonWriter { return this.key(k).int(v); }
  fieldNumber(k: string, v: f64): JsonWriter { return this.key(k).number(v); }
  fieldBool(k: string, v: bool): JsonWriter { return this.key(k).bool(v); }
  fieldNull(k: string): JsonWriter { return this.key(k).null(); }
  fieldRaw(k: string, v: JsonValue): JsonWriter { return this.key(k).raw(v); }

  /** A copy of the output. */
  toBytes(): Uint8Array { return this.buf.toBytes(); }
  /** The output without copying; the writer starts over empty. */
  take(): Uint8Array {
    const out = this.buf.take();
    this.reset();
    return out;
  }
  /** The output decoded as a string (tests, logs). */
  toString(): string { return this.buf.toString(); }
}
