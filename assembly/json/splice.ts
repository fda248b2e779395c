// Top-level object splicing: rewrite a few top-level members of a body and copy everything else verbatim.
//
// This is the fast path for "change only `model`" (and for dropping or adding a handful of fields): members
// are copied as whole byte ranges with memory.copy, nested values are never re-serialized. The input is fully
// validated first, so a malformed body is refused (null), never half-rewritten.

import { ByteBuffer } from "../bytes/buffer";
import { utf8Encode, utf8Length } from "../bytes/utf8";
import { parseJson, DEFAULT_MAX_DEPTH } from "./parse";
import { escapeStringInto } from "./strings";
import { JsonKind, JsonValue } from "./value";

/** A set of top-level edits: set (raw JSON), remove. Build it, then apply with spliceObject()/spliceTopLevel(). */
export class ObjectEdits {
  keys: string[] = [];
  /** Serialized JSON value per key, or null to remove the key. */
  values: Array<Uint8Array | null> = [];

  private put(key: string, v: Uint8Array | null): ObjectEdits {
    for (let i = 0, n = this.keys.length; i < n; i++) {
      if (unchecked(this.keys[i]) == key) { unchecked(this.values[i] = v); return this; }
    }
    this.keys.push(key);
    this.values.push(v);
    return this;
  }
  /** Sets `key` to a JSON value given as serialized bytes (the caller vouches they are valid JSON). */
  setRaw(key: string, json: Uint8Array): ObjectEdits { return this.put(key, json); }
  /** Sets `key` to a string. */
  setString(key: string, value: string): ObjectEdits {
    const b = new ByteBuffer(value.length + 8);
    b.pushByte(0x22);
    escapeStringInto(b, value);
    b.pushByte(0x22);
    return this.put(key, b.take());
  }
  /** Sets `key` to an integer. */
  setInt(key: string, value: i64): ObjectEdits {
    const b = new ByteBuffer(24);
    b.pushInt(value);
    return this.put(key, b.take());
  }
  /** Sets `key` to a bool. */
  setBool(key: string, value: bool): ObjectEdits { return this.put(key, utf8Encode(value ? "true" : "false")); }
  /** Sets `key` to a parsed value (copied verbatim). */
  setValue(key: string, value: JsonValue): ObjectEdits { return this.put(key, value.rawBytes()); }
  /** Removes every member named `key`. */
  remove(key: string): ObjectEdits { return this.put(key, null); }
  get length(): i32 { return this.keys.length; }
}

/**
 * Copies object `obj` applying `edits`: an edited key that exists is replaced in place (at its first
 * occurrence; duplicates of it are dropped), a removed key disappears, a new key is appended at the end.
 * Other members are copied byte for byte. Returns null when `obj` is not an object.
 */
export function spliceObject(obj: JsonValue, edits: ObjectEdits, body: bool = false): Uint8Array | null {
  if (obj.kind != JsonKind.Object) return null;
  const doc = obj.doc;
  const src = doc.bytes;
  const ne = edits.keys.length;
  const klens = new StaticArray<i32>(ne);
  const used = new StaticArray<bool>(ne);
  for (let i = 0; i < ne; i++) unchecked(klens[i] = utf8Length(unchecked(edits.keys[i])));

  const out = new ByteBuffer(obj.end - obj.start + 64, body);
  out.pushByte(0x7B);
  let first = true;
  const count = obj.length;
  let n = obj.node + 1;
  for (let m = 0; m < count; m++) {
    const keyNode = n, valNode = n + 1;
    n = doc.next(valNode);
    let hit = -1;
    for (let i = 0; i < ne; i++) {
      if (doc.stringNodeEquals(keyNode, unchecked(edits.keys[i]), unchecked(klens[i]))) { hit = i; break; }
    }
    if (hit < 0) {
      if (!first) out.pushByte(0x2C);
      first = false;
      out.pushSlice(src, doc.start(keyNode), doc.end(valNode));
      continue;
    }
    const v = unchecked(edits.values[hit]);
    if (v == null || unchecked(used[hit])) continue;
    unchecked(used[hit] = true);
    if (!first) out.pushByte(0x2C);
    first = false;
    out.pushSlice(src, doc.start(keyNode), doc.end(keyNode));
    out.pushByte(0x3A);
    out.pushBytes(v);
  }
  for (let i = 0; i < ne; i++) {
    const v = unchecked(edits.values[i]);
    if (v == null || unchecked(used[i])) continue;
    if (!first) out.pushByte(0x2C);
    first = false;
    out.pushByte(0x22);
    escapeStringInto(out, unchecked(edits.keys[i]));
    out.push2(0x22, 0x3A);
    out.pushBytes(v);
  }
  out.pushByte(0x7D);
  return out.take();
}

/** Parses `bytes` and applies `edits` to its top-level object; null if it is not valid JSON or not an object. */
export function spliceTopLevel(bytes: Uint8Array, edits: ObjectEdits, maxDepth: i32 = DEFAULT_MAX_DEPTH): Uint8Array | null {
  const r = parseJson(bytes, maxDepth);
  const v = r.value;
  if (v == null) return null;
  return spliceObject(v, edits);
}

/**
 * Returns `bytes` with top-level string member `key` set to `newValue` (added when absent); null when the body
 * is not a valid JSON object. The common "rewrite only `model`" fast path.
 */
export function replaceTopLevelString(bytes: Uint8Array, key: string, newValue: string): Uint8Array | null {
  return spliceTopLevel(bytes, new ObjectEdits().setString(key, newValue));
}
