// Lazy JSON values over a validated UTF-8 buffer.
//
// parseJson() validates the whole input once and records a flat "tape": one 16-byte node per value (and per
// object key), in document order. A JsonValue is just (doc, node index), so reading a field never re-parses
// and never meets malformed data. Node layout (4 x i32):
//   w0: kind (low 4 bits) | payload << 4   payload = member/element count (containers), NODE_* flags (scalars)
//   w1: start byte offset    w2: end byte offset (exclusive)
//   w3: containers: index of the node after the whole subtree (skip pointer); scalars: unused
// Object children are alternating key (String) and value nodes.

import { utf8DecodePtr, utf8EqualsPtr, utf8Length } from "../bytes/utf8";
import { decodeJsonString, jsonStringBytes } from "./strings";
import { numberToF64, numberToI64, numberFitsI64 } from "./number";

export const enum JsonKind {
  Null = 1,
  Bool = 2,
  Number = 3,
  String = 4,
  Array = 5,
  Object = 6,
}

/** String node flag: the token contains backslash escapes (so raw bytes != decoded bytes). */
export const NODE_ESCAPED: i32 = 1;
/** String node flag: the token contains a \uD800–\uDFFF escape (a surrogate, paired or not). */
export const NODE_SURROGATE: i32 = 2;
/** Number node flag: integer syntax (no fraction, no exponent). */
export const NODE_INTEGER: i32 = 1;
/** Bool node flag: true. */
export const NODE_TRUE: i32 = 1;

/** The parsed document: source bytes plus the tape. Shared by every JsonValue taken from it. */
export class JsonDoc {
  constructor(public bytes: Uint8Array, public tape: ArrayBuffer, public nodeCount: i32) {}

  /** Appends a node (parser only); returns its index. Its skip word defaults to "next node". */
  // @ts-ignore: decorator
  @inline add(w0: i32, start: i32, end: i32): i32 {
    const idx = this.nodeCount;
    if ((<usize>idx << 4) >= <usize>this.tape.byteLength) this.grow();
    const p = changetype<usize>(this.tape) + (<usize>idx << 4);
    store<i32>(p, w0);
    store<i32>(p, start, 4);
    store<i32>(p, end, 8);
    store<i32>(p, idx + 1, 12);
    this.nodeCount = idx + 1;
    return idx;
  }
  private grow(): void {
    const old = this.tape.byteLength;
    const nb = new ArrayBuffer(old < 256 ? 512 : old << 1);
    memory.copy(changetype<usize>(nb), changetype<usize>(this.tape), <usize>old);
    this.tape = nb;
  }
  /** Address of node `idx` (valid until the next add()). */
  // @ts-ignore: decorator
  @inline ptr(idx: i32): usize { return changetype<usize>(this.tape) + (<usize>idx << 4); }

  // @ts-ignore: decorator
  @inline w(node: i32, word: i32): i32 {
    return load<i32>(changetype<usize>(this.tape) + (<usize>node << 4) + (<usize>word << 2));
  }
  // The guards below only matter for a value that outlived its JsonParser's parse() (a node index past the
  // current tape, offsets for another buffer): it reads as "no value" / clamped ranges instead of trapping.
  // @ts-ignore: decorator
  @inline kind(node: i32): i32 { return <u32>node < <u32>this.nodeCount ? this.w(node, 0) & 15 : 0; }
  // @ts-ignore: decorator
  @inline payload(node: i32): i32 { return <u32>node < <u32>this.nodeCount ? this.w(node, 0) >>> 4 : 0; }
  // @ts-ignore: decorator
  @inline start(node: i32): i32 {
    const v = <u32>node < <u32>this.nodeCount ? this.w(node, 1) : 0;
    const n = this.bytes.length;
    return <u32>v <= <u32>n ? v : n;
  }
  // @ts-ignore: decorator
  @inline end(node: i32): i32 {
    const v = <u32>node < <u32>this.nodeCount ? this.w(node, 2) : 0;
    const n = this.bytes.length;
    return <u32>v <= <u32>n ? v : n;
  }
  /** Index of the node that follows `node`'s whole subtree. */
  // @ts-ignore: decorator
  @inline next(node: i32): i32 {
    const k = this.kind(node);
    return k >= JsonKind.Array ? this.w(node, 3) : node + 1;
  }

  /** Whether string node `node` (a key or a value) equals `s`; `sUtf8Len` = utf8Length(s) or -1. */
  stringNodeEquals(node: i32, s: string, sUtf8Len: i32 = -1): bool {
    const start = this.start(node) + 1;
    const len = this.end(node) - 1 - start;
    if (this.payload(node) & NODE_ESCAPED) {
      return decodeJsonString(this.bytes, start, start + len) == s;
    }
    if (sUtf8Len >= 0 && sUtf8Len != len) return false;
    return utf8EqualsPtr(this.bytes.dataStart + <usize>start, len, s);
  }
}

// utf8Length() of the last key looked up: keys are mostly the same few string constants, so most lookups skip
// the length computation. Keyed by the string's address: LAST_KEY keeps that string alive, so no other string can
// have its address while it is remembered.
let LAST_KEY: string = "";
let LAST_KEY_LEN: i32 = 0;
function keyUtf8Length(key: string): i32 {
  if (changetype<usize>(key) == changetype<usize>(LAST_KEY)) return LAST_KEY_LEN;
  LAST_KEY = key;
  LAST_KEY_LEN = utf8Length(key);
  return LAST_KEY_LEN;
}

/**
 * A JSON value: kind, byte range in the source, and lazy accessors. Accessors never trap: asking an object for
 * a number, or an array for a key, returns the documented default.
 */
export class JsonValue {
  /** Last at() position, so forward loops over at(i) stay linear. */
  private cacheI: i32 = 0;
  private cacheNode: i32 = -1;

  constructor(public doc: JsonDoc, public node: i32) {}

  get kind(): JsonKind { return this.doc.kind(this.node); }
  /** Byte offset of the value's first byte in the source buffer. */
  get start(): i32 { return this.doc.start(this.node); }
  /** Byte offset just past the value's last byte. */
  get end(): i32 { return this.doc.end(this.node); }
  /** The source buffer the value lives in. */
  get source(): Uint8Array { return this.doc.bytes; }

  isNull(): bool { return this.kind == JsonKind.Null; }
  isBool(): bool { return this.kind == JsonKind.Bool; }
  isNumber(): bool { return this.kind == JsonKind.Number; }
  isString(): bool { return this.kind == JsonKind.String; }
  isArray(): bool { return this.kind == JsonKind.Array; }
  isObject(): bool { return this.kind == JsonKind.Object; }

  /** The value's exact source bytes (strings include their quotes) as a view — no copy. */
  rawBytes(): Uint8Array { return this.doc.bytes.subarray(this.start, this.end); }
  /** The value's exact source text (for logging and tests). */
  rawString(): string {
    const s = this.start;
    return utf8DecodePtr(this.doc.bytes.dataStart + <usize>s, this.end - s);
  }

  // ---- scalars ----

  /** true for `true`; `def` for anything that is not a bool. */
  asBool(def: bool = false): bool {
    if (this.kind != JsonKind.Bool) return def;
    return (this.doc.payload(this.node) & NODE_TRUE) != 0;
  }

  /** Decoded string (escapes resolved, lone surrogate escapes -> U+FFFD); `def` when not a string. */
  str(def: string = ""): string {
    if (this.kind != JsonKind.String) return def;
    const s = this.start + 1, e = this.end - 1;
    if (this.doc.payload(this.node) & NODE_ESCAPED) return decodeJsonString(this.doc.bytes, s, e);
    return utf8DecodePtr(this.doc.bytes.dataStart + <usize>s, e - s);
  }
  /** Alias of str(). */
  asString(def: string = ""): string { return this.str(def); }

  /**
   * The string's decoded content as UTF-8 bytes: a zero-copy view when it has no escapes, else a fresh
   * buffer. Empty when not a string.
   */
  strBytes(): Uint8Array {
    if (this.kind != JsonKind.String) return new Uint8Array(0);
    const s = this.start + 1, e = this.end - 1;
    if (this.doc.payload(this.node) & NODE_ESCAPED) return jsonStringBytes(this.doc.bytes, s, e);
    return this.doc.bytes.subarray(s, e);
  }

  /** Whether the string has backslash escapes (if not, strBytes() is a view and raw copies are trivial). */
  hasEscapes(): bool {
    return this.kind == JsonKind.String && (this.doc.payload(this.node) & NODE_ESCAPED) != 0;
  }

  /** String equality with `s` (decoded comparison; no allocation unless the token has escapes). */
  equals(s: string): bool {
    if (this.kind != JsonKind.String) return false;
    return this.doc.stringNodeEquals(this.node, s);
  }

  /** Number as f64 (1e999 -> Infinity); `def` when not a number. */
  asF64(def: f64 = 0): f64 {
    if (this.kind != JsonKind.Number) return def;
    return numberToF64(this.doc.bytes, this.start, this.end, (this.doc.payload(this.node) & NODE_INTEGER) != 0);
  }
  /** Number as i64, truncated toward zero and clamped to the i64 range; `def` when not a number. */
  asI64(def: i64 = 0): i64 {
    if (this.kind != JsonKind.Number) return def;
    return numberToI64(this.doc.bytes, this.start, this.end, (this.doc.payload(this.node) & NODE_INTEGER) != 0);
  }
  /** Number as i32, truncated and clamped to the i32 range; `def` when not a number. */
  asI32(def: i32 = 0): i32 {
    if (this.kind != JsonKind.Number) return def;
    const v = this.asI64();
    return v > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : v < <i64>i32.MIN_VALUE ? i32.MIN_VALUE : <i32>v;
  }
  /** Whether the number is written as an integer (no fraction/exponent) that fits in i64 exactly. */
  isInteger(): bool {
    if (this.kind != JsonKind.Number) return false;
    if ((this.doc.payload(this.node) & NODE_INTEGER) == 0) return false;
    return numberFitsI64(this.doc.bytes, this.start, this.end);
  }
  /** The number's source text (e.g. "1e999"); "" when not a number. */
  numberText(): string { return this.kind == JsonKind.Number ? this.rawString() : ""; }

  // ---- containers ----

  /** Members of an object / elements of an array; 0 for scalars. */
  get length(): i32 {
    const k = this.kind;
    return k >= JsonKind.Array ? this.doc.payload(this.node) : 0;
  }

  /** Tape node of the i-th child (the key node for objects), or -1. */
  private childNode(i: i32): i32 {
    const k = this.kind;
    if (k < JsonKind.Array || i < 0 || i >= this.doc.payload(this.node)) return -1;
    let n: i32, j: i32;
    if (this.cacheNode >= 0 && this.cacheI <= i) { n = this.cacheNode; j = this.cacheI; }
    else { n = this.node + 1; j = 0; }
    const doc = this.doc;
    while (j < i) {
      if (k == JsonKind.Object) n = doc.next(n + 1);
      else n = doc.next(n);
      j++;
    }
    this.cacheI = i;
    this.cacheNode = n;
    return n;
  }

  /** i-th array element, or i-th object member's value; null when out of range or a scalar. */
  at(i: i32): JsonValue | null {
    const n = this.childNode(i);
    if (n < 0) return null;
    return new JsonValue(this.doc, this.kind == JsonKind.Object ? n + 1 : n);
  }
  /** i-th object member's value (same as at(i) on objects). */
  valueAt(i: i32): JsonValue | null { return this.isObject() ? this.at(i) : null; }
  /** i-th object member's key as a String value (use .str() / .equals() / writer.raw()); null otherwise. */
  keyAt(i: i32): JsonValue | null {
    if (!this.isObject()) return null;
    const n = this.childNode(i);
    return n < 0 ? null : new JsonValue(this.doc, n);
  }

  /** Value of member `key`; with duplicate keys the LAST one wins (as in JavaScript). null when absent. */
  get(key: string): JsonValue | null {
    const n = this.findMember(key);
    return n < 0 ? null : new JsonValue(this.doc, n);
  }
  /**
   * get() without allocating: points `into` (a scratch value the caller owns) at member `key` and returns it, or
   * returns null. For hot loops; `into` must not be a value still in use.
   */
  getInto(key: string, into: JsonValue): JsonValue | null {
    const n = this.findMember(key);
    if (n < 0) return null;
    into.point(this.doc, n);
    return into;
  }
  /** at() without allocating (see getInto()). */
  atInto(i: i32, into: JsonValue): JsonValue | null {
    const n = this.childNode(i);
    if (n < 0) return null;
    into.point(this.doc, this.kind == JsonKind.Object ? n + 1 : n);
    return into;
  }
  /** Re-targets this value at `node` of `doc` (scratch values). */
  point(doc: JsonDoc, node: i32): void {
    this.doc = doc;
    this.node = node;
    this.cacheI = 0;
    this.cacheNode = -1;
  }

  /** Whether the object has member `key`. */
  has(key: string): bool { return this.findMember(key) >= 0; }

  /** Value node of the last member named `key`, or -1. */
  findMember(key: string): i32 {
    if (this.kind != JsonKind.Object) return -1;
    const doc = this.doc;
    const count = doc.payload(this.node);
    const klen = keyUtf8Length(key);
    if (klen == 0) return this.findMemberSlow(key, klen, count);
    const k0 = <u32>load<u16>(changetype<usize>(key));
    const base = doc.bytes.dataStart;
    const blen = doc.bytes.length;
    const nodes = doc.nodeCount;
    const tape = changetype<usize>(doc.tape);
    let n = this.node + 1;
    let found = -1;
    // Inlined reads of the key nodes (kept in range of the tape and the bytes, like JsonDoc's accessors), and a
    // first-byte test before any comparison: most keys are rejected in two compares.
    for (let i = 0; i < count && <u32>n < <u32>nodes; i++) {
      const np = tape + (<usize>n << 4);
      const w0 = load<i32>(np);
      const s = load<i32>(np, 4) + 1;
      const e = load<i32>(np, 8) - 1;
      if ((w0 >>> 4) & NODE_ESCAPED) {
        if (doc.stringNodeEquals(n, key, klen)) found = n + 1;
      } else if (e - s == klen && <u32>s < <u32>blen && <u32>e <= <u32>blen &&
        (k0 >= 0x80 || <u32>load<u8>(base + <usize>s) == k0) && utf8EqualsPtr(base + <usize>s, klen, key)) {
        found = n + 1;
      }
      n = doc.next(n + 1);
    }
    return found;
  }

  private findMemberSlow(key: string, klen: i32, count: i32): i32 {
    const doc = this.doc;
    let n = this.node + 1;
    let found = -1;
    for (let i = 0; i < count; i++) {
      if (doc.stringNodeEquals(n, key, klen)) found = n + 1;
      n = doc.next(n + 1);
    }
    return found;
  }

  /** Member `key` when it is a string (decoded), else null. */
  getString(key: string): string | null {
    const n = this.findMember(key);
    if (n < 0 || this.doc.kind(n) != JsonKind.String) return null;
    return new JsonValue(this.doc, n).str();
  }
  /** Whether member `key` is a string equal to `value` (e.g. `block.memberEquals("type", "text")`); no allocation. */
  memberEquals(key: string, value: string): bool {
    const n = this.findMember(key);
    if (n < 0 || this.doc.kind(n) != JsonKind.String) return false;
    return this.doc.stringNodeEquals(n, value);
  }
  /** Member `key` when it is a number (truncated/clamped), else `def`. */
  getInt(key: string, def: i64 = 0): i64 {
    const n = this.findMember(key);
    const doc = this.doc;
    if (n < 0 || doc.kind(n) != JsonKind.Number) return def;
    return numberToI64(doc.bytes, doc.start(n), doc.end(n), (doc.payload(n) & NODE_INTEGER) != 0);
  }
  /** Member `key` when it is a number, else `def`. */
  getNumber(key: string, def: f64 = 0): f64 {
    const n = this.findMember(key);
    const doc = this.doc;
    if (n < 0 || doc.kind(n) != JsonKind.Number) return def;
    return numberToF64(doc.bytes, doc.start(n), doc.end(n), (doc.payload(n) & NODE_INTEGER) != 0);
  }
  /** Member `key` when it is a bool, else `def`. */
  getBool(key: string, def: bool = false): bool {
    const n = this.findMember(key);
    if (n < 0 || this.doc.kind(n) != JsonKind.Bool) return def;
    return (this.doc.payload(n) & NODE_TRUE) != 0;
  }
  /** Member `key` when it is an object, else null. */
  getObject(key: string): JsonValue | null { return this.getKind(key, JsonKind.Object); }
  /** Member `key` when it is an array, else null. */
  getArray(key: string): JsonValue | null { return this.getKind(key, JsonKind.Array); }
  /** Member `key` when it has kind `kind`, else null. */
  getKind(key: string, kind: JsonKind): JsonValue | null {
    const n = this.findMember(key);
    if (n < 0 || this.doc.kind(n) != kind) return null;
    return new JsonValue(this.doc, n);
  }

  /** All elements / member values (allocates one array; prefer iter() or at(i) in hot loops). */
  items(): JsonValue[] {
    const n = this.length;
    const out = new Array<JsonValue>(n);
    const it = this.iter();
    let i = 0;
    while (it.next() && i < n) { unchecked(out[i] = it.value); i++; }
    return out;
  }
  /** Decoded member keys in document order (duplicates included); empty for non-objects. */
  keys(): string[] {
    const out = new Array<string>(0);
    if (!this.isObject()) return out;
    const it = this.iter();
    while (it.next()) out.push(it.key!.str());
    return out;
  }
  /** A forward iterator over elements or members. */
  iter(): JsonIter { return new JsonIter(this); }
}

/**
 * Forward iteration without index arithmetic:
 *   const it = obj.iter(); while (it.next()) { it.key /* objects only *\/; it.value; it.index }
 */
export class JsonIter {
  /** Member key (objects) or null (arrays). Valid after next() returned true. */
  key: JsonValue | null = null;
  /** Current element / member value. Valid after next() returned true. */
  value: JsonValue;
  /** 0-based position of the current item; -1 before the first next(). */
  index: i32 = -1;
  private doc: JsonDoc;
  private nextNode: i32;
  private remaining: i32;
  private isObj: bool;

  constructor(container: JsonValue) {
    this.doc = container.doc;
    this.nextNode = container.node + 1;
    this.remaining = container.length;
    this.isObj = container.kind == JsonKind.Object;
    this.value = container;
  }

  /** Advances; false when there are no more items. */
  next(): bool {
    if (this.remaining <= 0) return false;
    this.remaining--;
    this.index++;
    let n = this.nextNode;
    if (this.isObj) {
      this.key = new JsonValue(this.doc, n);
      n++;
    }
    this.value = new JsonValue(this.doc, n);
    this.nextNode = this.doc.next(n);
    return true;
  }
}
