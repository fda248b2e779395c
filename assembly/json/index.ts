// JSON over UTF-8 bytes: a validating parser with lazy values, a writer, and top-level splicing.
// Nothing here traps on any input; errors are values.
//
// PARSE
//   parseJson(bytes: Uint8Array, maxDepth = 64): JsonParseResult
//     .ok: bool   .value: JsonValue | null   .error: string ("" on success; "... at byte N")   .errorOffset: i32
//   parseJsonString(s)  — same, for tests/config strings.
//   new JsonParser().parse(bytes, maxDepth = 64): JsonValue | null  (.error/.errorOffset) — reuses one tape
//     across calls (per-SSE-event parsing); values from the previous parse() become invalid (never trap).
//   Policy: leading BOM skipped; invalid UTF-8 rejected; lone \uD800 escapes accepted (decode to U+FFFD);
//   duplicate keys accepted, lookups return the LAST; any-size numbers accepted (raw text kept); nesting beyond
//   maxDepth refused; trailing non-whitespace refused. `bytes` must not be mutated while values are in use.
//
// JsonValue (lazy; a node on the parse tape — accessors never trap, wrong kinds give the default)
//   kind: JsonKind (Null, Bool, Number, String, Array, Object)   start/end: byte range in source   source
//   isNull() isBool() isNumber() isString() isArray() isObject()
//   rawBytes(): Uint8Array (view of the exact source token)   rawString(): string
//   asBool(def = false)   str(def = "") / asString   strBytes(): decoded UTF-8 (a view when unescaped)
//   equals(s): bool (no allocation unless escaped)   hasEscapes()
//   asF64(def = 0) (1e999 -> Infinity)   asI64(def = 0) / asI32(def = 0) (truncate + clamp)   isInteger()
//   numberText()
//   length   at(i)   keyAt(i)   valueAt(i)   items(): JsonValue[]   keys(): string[]   iter(): JsonIter
//   get(key)   has(key)   getString(key): string | null   getInt(key, def = 0): i64   getNumber(key, def = 0)
//   getBool(key, def = false)   getObject(key)   getArray(key)   getKind(key, kind)
//   memberEquals(key, s): bool  (member is a string equal to s; no allocation)   findMember(key): tape node or -1
//   JsonIter: while (it.next()) { it.key (objects; JsonValue | null), it.value, it.index }
//
// WRITE
//   const w = new JsonWriter(cap = 1024)   (commas are automatic)
//   beginObject() endObject() beginArray() endArray()
//   key(s)  keyRaw(quotedToken)  keyBytes(utf8, start = 0, end = -1)  keyFrom(parsedKey)
//   string(s)  stringFromBytes(utf8, start = 0, end = -1)  openString() stringPart(s) stringPartBytes(b) closeString()
//   number(f64) (integers without ".0"; NaN/Infinity -> null)  int(i64)  bool(b)  null()
//   raw(v: JsonValue) (verbatim copy)  rawBytes(json, start = 0, end = -1)  rawString("{}")
//   fieldString(k, v) fieldInt fieldNumber fieldBool fieldNull fieldRaw(k, JsonValue)
//   toBytes() (copy)  take() (zero-copy, writer restarts)  toString()  length  reset()  buf: ByteBuffer
//
// SPLICE (rewrite some top-level members, copy the rest byte for byte)
//   replaceTopLevelString(bytes, key, value): Uint8Array | null   (null = not a valid JSON object)
//   new ObjectEdits().setString(k, s).setInt(k, n).setBool(k, b).setRaw(k, json).setValue(k, v).remove(k)
//   spliceTopLevel(bytes, edits, maxDepth = 64): Uint8Array | null     spliceObject(obj: JsonValue, edits)
//
// LOW LEVEL: escapeStringInto(buf, s), escapeBytesInto(buf, bytes, start, end), decodeJsonString(bytes, s, e),
//   jsonStringBytes(bytes, s, e), numberToF64/numberToI64 (token ranges).

export { JsonKind, JsonValue, JsonIter, JsonDoc } from "./value";
export { parseJson, parseJsonString, JsonParseResult, JsonParser, DEFAULT_MAX_DEPTH } from "./parse";
export { JsonWriter } from "./writer";
export { ObjectEdits, spliceObject, spliceTopLevel, replaceTopLevelString } from "./splice";
export { escapeStringInto, escapeBytesInto, decodeJsonString, jsonStringBytes } from "./strings";
export { numberToF64, numberToI64, numberFitsI64, f64ToI64Clamped } from "./number";
export { interopProblem } from "./interop";
