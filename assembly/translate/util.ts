// Small byte-level helpers shared by the translators.

import { ByteBuffer } from "../bytes/buffer";
import { parseJson } from "../json/parse";
import { JsonKind, JsonValue, NODE_ESCAPED } from "../json/value";
import { utf8EqualsPtr } from "../bytes/utf8";
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
  const found = nextWhitespace(base, s, e);
  if (found >= e) return src.subarray(s, e);
  const out = new ByteBuffer(e - s);
  let i = found;
  out.pushPtr(base + <usize>s, i - s);
  while (i < e) {
    // Skip the whole whitespace run, then copy up to the next whitespace outside strings in one piece.
    while (i < e && isWs(load<u8>(base + <usize>i))) i++;
    const j = nextWhitespace(base, i, e);
    out.pushPtr(base + <usize>i, j - i);
    i = j;
  }
  return out.take();
}

// @ts-ignore: decorator
@inline function isWs(c: u32): bool { return c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09; }

/**
 * Offset of the first whitespace byte outside strings in [i, e) of validated JSON (i not inside a
 * string), or e. Strings are skipped 8 bytes at a time up to their next quote or backslash.
 */
function nextWhitespace(base: usize, i: i32, e: i32): i32 {
  while (i < e) {
    const c = <u32>load<u8>(base + <usize>i);
    if (c == 0x22) { i = skipString(base, i + 1, e); continue; }
    if (isWs(c)) return i;
    i++;
  }
  return e;
}

/** Offset just past the closing quote of the string whose contents start at `i` (or e). */
function skipString(base: usize, i: i32, e: i32): i32 {
  while (true) {
    while (i + 8 <= e) {
      const v = load<u64>(base + <usize>i);
      const q = v ^ 0x2222222222222222;
      const b = v ^ 0x5C5C5C5C5C5C5C5C;
      const t = (((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b)) & 0x8080808080808080;
      if (t) { i += <i32>(ctz(t) >> 3); break; }
      i += 8;
    }
    if (i >= e) return e;
    const c = load<u8>(base + <usize>i);
    if (c == 0x22) return i + 1;
    if (c == 0x5C) { i += 2; continue; }
    i++;
  }
  return e; // not reached
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

/**
 * A JSON path for error messages ("messages.3.content.1"), turned into a string only when an error is reported:
 * checking a valid request allocates one Path per loop, not strings per element.
 */
export class Path {
  constructor(public parent: Path | null, public seg: string, public idx: i32 = -1) {}
  /** The path as text: the parent's, then `seg`, then `idx` when >= 0. */
  s(): string {
    const parent = this.parent;
    let out = parent != null ? parent.s() + this.seg : this.seg;
    if (this.idx >= 0) out += this.idx.toString();
    return out;
  }
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

// Every `type` value the translators look at: typeOf() returns these constants instead of decoding a new string.
// The streamed ones come first (checked once per event).
const KNOWN_TYPES: string[] = [
  "content_block_delta", "text_delta", "input_json_delta", "thinking_delta", "text", "image", "image_url",
  "document", "file", "tool_use", "tool_result", "thinking", "redacted_thinking", "signature_delta",
  "citations_delta", "message_start", "message_delta", "message_stop", "content_block_start", "content_block_stop",
  "ping", "error", "base64", "url", "function", "auto", "any", "none", "tool", "enabled", "disabled", "input_audio",
  "refusal", "custom", "message", "content", "server_tool_use", "web_search_tool_result", "adaptive", "json_schema",
  "json_object", "tool_reference",
];

/** The `type` member of an object as a string ("" when absent or not a string). Known names allocate nothing. */
export function typeOf(v: JsonValue): string {
  const n = v.findMember("type");
  if (n < 0) return "";
  const doc = v.doc;
  if (doc.kind(n) != JsonKind.String) return "";
  const s = doc.start(n) + 1;
  const len = doc.end(n) - 1 - s;
  if ((doc.payload(n) & NODE_ESCAPED) == 0) {
    const p = doc.bytes.dataStart + <usize>s;
    if (len > 0) {
      // The names are ASCII: UTF-16 length == UTF-8 length; first and last characters reject most names at once.
      const c0 = <u32>load<u8>(p), cl = <u32>load<u8>(p + <usize>(len - 1));
      for (let i = 0, k = KNOWN_TYPES.length; i < k; i++) {
        const name = unchecked(KNOWN_TYPES[i]);
        const np = changetype<usize>(name);
        if (name.length == len && <u32>load<u16>(np) == c0 && <u32>load<u16>(np + (<usize>(len - 1) << 1)) == cl &&
          utf8EqualsPtr(p, len, name)) return name;
      }
    }
  }
  return new JsonValue(doc, n).str();
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

/** Whether string token `key` equals one of `names` (no decoding, no allocation). */
export function keyIn(key: JsonValue, names: Array<string>): bool {
  for (let i = 0, n = names.length; i < n; i++) if (key.equals(unchecked(names[i]))) return true;
  return false;
}

/** `modalities: ["text"]`: asks for nothing beyond the default. */
export function isTextOnly(v: JsonValue): bool {
  if (!v.isArray()) return false;
  const it = v.iter();
  while (it.next()) if (!it.value.equals("text")) return false;
  return true;
}

/** An OpenAI chat message's role ("" when absent or not a string). */
export function roleOf(m: JsonValue): string {
  const r = m.get("role");
  return r != null && r.isString() ? r.str() : "";
}

/** An OpenAI tool call's `function.arguments` as a JSON object: an object as sent (some servers do), a string holding one parsed, else `{}`. */
export function writeToolArguments(w: JsonWriter, args: JsonValue | null): void {
  let input: JsonValue | null = null;
  if (args != null && args.isObject()) input = args;
  else if (args != null) input = parseEmbeddedObject(args);
  if (input != null) w.rawBytes(compactBytes(input)); else w.rawString("{}");
}

/**
 * A tool message's `content` as one JSON string (text parts joined with "\n", null → ""), for upstreams whose tool
 * result is a single text (Gemini, Bedrock Converse); false when `content` is not a string, an array or null.
 */
export function writeToolResultText(w: JsonWriter, c: JsonValue | null): bool {
  if (c != null && c.isString()) w.raw(c);
  else if (c != null && c.isArray()) {
    w.openString();
    let n = 0;
    const it = c.iter();
    while (it.next()) {
      const p = it.value;
      const text = p.isObject() ? p.get("text") : null;
      if (text == null || !text.isString()) continue;
      if (n++ > 0) w.stringPart("\n");
      pushStringInner(w, text);
    }
    w.closeString();
  } else if (c == null || c.isNull()) w.string("");
  else return false;
  return true;
}

/** An OpenAI assistant tool call that is not an object or lacks a non-empty string `id`: the error (`at` names the call), else "". */
export function toolCallIdProblem(tc: JsonValue, at: Path): string {
  if (!tc.isObject()) return at.s() + ": must be an object";
  const id = tc.get("id");
  if (id == null || !id.isString() || isEmptyString(id)) return at.s() + ".id: must be a non-empty string";
  return "";
}

/** An OpenAI image_url part's URL: `image_url.url`, or `image_url` itself when a string (null when neither is). */
export function imageUrlOf(p: JsonValue): JsonValue | null {
  const iu = p.get("image_url");
  if (iu == null) return null;
  if (iu.isString()) return iu;
  if (!iu.isObject()) return null;
  const u = iu.get("url");
  return u != null && u.isString() ? u : null;
}

/** An OpenAI chat content part's text: a text part's `text` or a refusal part's `refusal` (null for other parts). */
export function partText(p: JsonValue): JsonValue | null {
  const t = typeOf(p);
  return t == "text" ? p.get("text") : t == "refusal" ? p.get("refusal") : null;
}

/** What an OpenAI chat completion lacks to be converted ("" when its first choice has a message object). */
export function chatMessageProblem(root: JsonValue): string {
  const choices = root.get("choices");
  const choice = choices != null && choices.isArray() && choices.length > 0 ? choices.at(0) : null;
  if (choice == null || !choice.isObject()) return "upstream response has no choices";
  const msg = choice.get("message");
  return msg == null || !msg.isObject() ? "upstream response has no message" : "";
}

/** One streamed OpenAI tool-call fragment (`delta.tool_calls[]`), read into one reused object. */
export class ToolCallDelta {
  /** `index`, else the fragment's position in the array. */
  index: i32 = 0;
  /** `id` and `function.name`, "" when absent. */
  id: string = "";
  name: string = "";
  /** `function.arguments` when a non-empty string (a JSON string token), else null. */
  args: JsonValue | null = null;

  read(tc: JsonValue, position: i32): void {
    const idxV = tc.get("index");
    this.index = idxV != null && idxV.isNumber() ? idxV.asI32(position) : position;
    const idV = tc.get("id");
    this.id = idV != null && idV.isString() ? idV.str() : "";
    const fn = tc.get("function");
    let nameV: JsonValue | null = null, argsV: JsonValue | null = null;
    if (fn != null && fn.isObject()) { nameV = fn.get("name"); argsV = fn.get("arguments"); }
    this.name = nameV != null && nameV.isString() ? nameV.str() : "";
    this.args = argsV != null && argsV.isString() && !isEmptyString(argsV) ? argsV : null;
  }
}

/** An OpenAI `chat.completion.chunk` in `w` (reset), up to its `choices` array opened. */
export function beginChunkEnvelope(w: JsonWriter, id: string, created: i64, model: string): JsonWriter {
  w.reset();
  w.beginObject().fieldString("id", id).fieldString("object", "chat.completion.chunk")
    .fieldInt("created", created).fieldString("model", model).key("choices").beginArray();
  return w;
}

/** Closes a chunk's only choice (opened after beginChunkEnvelope with `index` 0) and appends it as an SSE event. */
export function endChoiceChunk(w: JsonWriter, out: ByteBuffer): void {
  w.endObject().endArray().endObject();
  pushSseEvent(out, "", w.buf);
}

/**
 * Appends the text of an OpenAI message `content` (a string, or text parts joined with `sep`) inside a string opened
 * with openString(); returns "" or, when a part is not text (text-only upstreams: DeepL, Triton, Coze, Dify, the
 * native DashScope and Hunyuan APIs), what is wrong: `onlyText` says who takes text only, `notParts` what content
 * must be.
 */
export function pushContentText(
  w: JsonWriter, content: JsonValue | null, sep: string,
  onlyText: string = "only text parts can be sent to this provider", notParts: string = "must be a string or an array of parts",
): string {
  if (content == null || content.isNull()) return "";
  if (content.isString()) { pushStringInner(w, content); return ""; }
  if (!content.isArray()) return "content: " + notParts;
  const it = content.iter();
  while (it.next()) {
    const part = it.value;
    const text = part.isObject() ? part.get("text") : null;
    if (text == null || !text.isString() || typeOf(part) != "text") return "content." + it.index.toString() + ": " + onlyText;
    if (it.index > 0) w.stringPart(sep);
    pushStringInner(w, text);
  }
  return "";
}
