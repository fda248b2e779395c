// Small byte-level helpers shared by the translators.

import { ByteBuffer } from "../bytes/buffer";
import { parseJson } from "../json/parse";
import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";

/**
 * The value's JSON with insignificant whitespace removed: a zero-copy view when it has none
 * (the common case: SDKs send compact JSON), else a compacted copy. Strings are never touched.
 */
export function compactBytes(v: JsonValue): Uint8Array {
  const src = v.source;
  const s = v.start, e = v.end;
  if (v.isString() || v.isNumber() || v.isBool() || v.isNull()) return src.subarray(s, e);
  const base = src.dataStart;
  // First pass: is there any whitespace outside strings?
  let inStr = false;
  let found = -1;
  for (let i = s; i < e; i++) {
    const c = load<u8>(base + <usize>i);
    if (inStr) {
      if (c == 0x5C) i++;
      else if (c == 0x22) inStr = false;
    } else if (c == 0x22) inStr = true;
    else if (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) { found = i; break; }
  }
  if (found < 0) return src.subarray(s, e);
  const out = new ByteBuffer(e - s);
  out.pushSlice(src, s, found);
  inStr = false;
  let run = found;
  // Resume at `found` (which is outside a string).
  for (let i = found; i < e; i++) {
    const c = load<u8>(base + <usize>i);
    if (inStr) {
      if (c == 0x5C) i++;
      else if (c == 0x22) inStr = false;
      continue;
    }
    if (c == 0x22) { inStr = true; continue; }
    if (c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09) {
      out.pushSlice(src, run, i);
      run = i + 1;
    }
  }
  out.pushSlice(src, run, e);
  return out.take();
}

/** Writes `v` (any JSON value) compactly. */
export function writeCompact(w: JsonWriter, v: JsonValue): void {
  const b = compactBytes(v);
  w.rawBytes(b);
}

/** Writes `v`'s compact JSON text as a JSON string value (e.g. tool input → `arguments`). */
export function writeAsJsonString(w: JsonWriter, v: JsonValue): void {
  const b = compactBytes(v);
  w.stringFromBytes(b);
}

/** Appends the escaped contents of string token `v` (no quotes) inside an open string. */
// @ts-ignore: decorator
@inline export function pushStringInner(w: JsonWriter, v: JsonValue): void {
  w.buf.pushSlice(v.source, v.start + 1, v.end - 1);
}

/** Whether string token `v` is empty (`""`). */
// @ts-ignore: decorator
@inline export function isEmptyString(v: JsonValue): bool {
  return v.end - v.start <= 2;
}

/**
 * The JSON value inside a JSON string (OpenAI `arguments`), when it is an object; null when the
 * string is empty, not JSON, or not an object.
 */
export function parseEmbeddedObject(v: JsonValue): JsonValue | null {
  if (!v.isString()) return null;
  const bytes = v.strBytes();
  if (bytes.length == 0) return null;
  const r = parseJson(bytes);
  const x = r.value;
  if (x == null || !x.isObject()) return null;
  return x;
}

/** Type name for error messages. */
export function kindName(v: JsonValue | null): string {
  if (v == null) return "missing";
  if (v.isString()) return "a string";
  if (v.isNumber()) return "a number";
  if (v.isBool()) return "a boolean";
  if (v.isNull()) return "null";
  if (v.isArray()) return "an array";
  return "an object";
}

/** The `type` member of an object as a string ("" when absent or not a string). */
export function typeOf(v: JsonValue): string {
  const t = v.get("type");
  return t != null && t.isString() ? t.str() : "";
}

/** Appends an SSE event (`event:` line only when `name` is not empty) whose data is `json`. */
export function pushSseEvent(out: ByteBuffer, name: string, json: ByteBuffer): void {
  if (name.length) {
    out.pushString("event: ");
    out.pushString(name);
    out.pushByte(0x0A);
  }
  out.pushString("data: ");
  out.pushBuffer(json);
  out.push2(0x0A, 0x0A);
}
