// Request bodies the gateway refuses although they parse: JSON that different parsers would read differently or
// not at all. The gateway and every provider must see the same request, so these get a 400 naming the problem:
//   - duplicate keys (`{"model":"a","model":"b"}`: which one the provider reads depends on its parser — a way to
//     slip a model past the gateway's mapping);
//   - lone UTF-16 surrogate escapes ("\ud800"), which are not Unicode text;
//   - numbers out of range of a double (1e999). -0 and underflows (1e-999) are valid numbers and pass.
import { numberToF64 } from "../json/number";
import { JsonValue } from "../json/value";

/** "" when the parsed request body is acceptable, otherwise what is wrong with it. */
export function requestProblem(root: JsonValue): string {
  return check(root);
}

function clip(s: string): string {
  return s.length > 60 ? s.substring(0, 60) + "…" : s;
}

function check(v: JsonValue): string {
  if (v.isNumber()) {
    const f = numberToF64(v.source, v.start, v.end);
    if (!isFinite(f)) return "number " + clip(v.rawString()) + " is out of range";
    return "";
  }
  if (v.isString()) return stringProblem(v);
  if (!v.isArray() && !v.isObject()) return "";
  const obj = v.isObject();
  const n = v.length;
  let seen: Set<string> | null = null;
  const it = v.iter();
  while (it.next()) {
    if (obj) {
      const key = it.key!;
      const kp = stringProblem(key);
      if (kp.length) return kp;
      if (n > 1) {
        const name = key.str();
        let s = seen;
        if (s === null) { s = new Set<string>(); seen = s; }
        if (s.has(name)) return "duplicate key \"" + clip(name) + "\"";
        s.add(name);
      }
    }
    const p = check(it.value);
    if (p.length) return p;
  }
  return "";
}

function hexVal(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The \uXXXX escape at `p` (a backslash), or -1. */
function escapeAt(b: Uint8Array, p: i32, end: i32): i32 {
  if (p + 6 > end || b[p + 1] != 0x75 /* u */) return -1;
  let cp = 0;
  for (let i = 2; i < 6; i++) {
    const h = hexVal(b[p + i]);
    if (h < 0) return -1;
    cp = (cp << 4) | h;
  }
  return cp;
}

function stringProblem(v: JsonValue): string {
  if (!v.hasEscapes()) return "";
  const b = v.source;
  const end = v.end;
  let p = v.start;
  while (p < end) {
    if (b[p] != 0x5c /* \ */) { p++; continue; }
    const cp = escapeAt(b, p, end);
    if (cp < 0) { p += 2; continue; }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const lo = escapeAt(b, p + 6, end);
      if (b[p + 6] == 0x5c && lo >= 0xdc00 && lo <= 0xdfff) { p += 12; continue; }
      return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    }
    if (cp >= 0xdc00 && cp <= 0xdfff) return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    p += 6;
  }
  return "";
}

/**
 * The shape of `messages` in a request forwarded without conversion (the converters check it themselves): the
 * fields a provider would refuse anyway are refused here, before anything is sent. "" when acceptable.
 */
export function messagesProblem(root: JsonValue, anthropic: bool): string {
  const messages = root.get("messages");
  if (messages == null) return "";
  if (!messages.isArray()) return "messages: must be an array";
  const it = messages.iter();
  while (it.next()) {
    const at = "messages[" + it.index.toString() + "]";
    const m = it.value;
    if (!m.isObject()) return at + ": must be an object";
    const role = m.get("role");
    if (role == null || !role.isString()) return at + ".role: must be a string";
    const content = m.get("content");
    if (content != null && !content.isString() && !content.isArray() && !(content.isNull() && !anthropic)) {
      return at + ".content: must be a string or an array of content blocks";
    }
    if (anthropic && content == null) return at + ".content: field required";
    if (content != null && content.isArray()) {
      const bt = content.iter();
      while (bt.next()) {
        const p = blockProblem(bt.value, anthropic, at + ".content[" + bt.index.toString() + "]");
        if (p.length) return p;
      }
    }
    const calls = m.get("tool_calls");
    if (!anthropic && calls != null && !calls.isNull()) {
      if (!calls.isArray()) return at + ".tool_calls: must be an array";
      const ct = calls.iter();
      while (ct.next()) {
        const c = ct.value;
        const cat = at + ".tool_calls[" + ct.index.toString() + "]";
        if (!c.isObject()) return cat + ": must be an object";
        const id = c.get("id");
        if (id == null || !id.isString()) return cat + ".id: must be a string";
        const fn = c.get("function");
        if (fn == null || !fn.isObject()) return cat + ".function: must be an object";
      }
    }
  }
  return "";
}

function stringField(b: JsonValue, name: string): bool {
  const v = b.get(name);
  return v != null && v.isString();
}

function blockProblem(b: JsonValue, anthropic: bool, at: string): string {
  if (!b.isObject()) return at + ": must be an object";
  const t = b.get("type");
  if (t == null || !t.isString()) return at + ".type: must be a string";
  if (anthropic) {
    if (t.equals("text") && !stringField(b, "text")) return at + ".text: must be a string";
    if (t.equals("tool_use")) {
      if (!stringField(b, "id")) return at + ": tool_use needs a string id";
      if (!stringField(b, "name")) return at + ": tool_use needs a string name";
    }
    if (t.equals("tool_result") && !stringField(b, "tool_use_id")) return at + ": tool_result needs a string tool_use_id";
    if (t.equals("image") || t.equals("document")) {
      const s = b.get("source");
      if (s == null || !s.isObject()) return at + ": " + t.str() + " needs a source object";
    }
  } else {
    if (t.equals("text") && !stringField(b, "text")) return at + ".text: must be a string";
    if (t.equals("image_url")) {
      const u = b.get("image_url");
      if (u == null || !(u.isString() || (u.isObject() && stringField(u, "url")))) return at + ": image_url needs a url";
    }
  }
  return "";
}
