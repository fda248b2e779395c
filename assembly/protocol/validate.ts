// Request bodies the gateway refuses although they parse. The interop rules (duplicate keys, lone surrogate
// escapes, numbers out of a double's range) are json/interop.ts's interopProblem, one pass over the parse tape;
// this file adds the shape of `messages` for requests forwarded without conversion.
import { JsonValue } from "../json/value";

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

const NUMBER_FIELDS: Array<string> = ["temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens",
  "frequency_penalty", "presence_penalty", "n", "seed"];

/**
 * The top-level fields whose type changes what a request means, checked the same way for every chat request,
 * converted or not: a provider would refuse them (or, worse, read `"stream": "yes"` differently than we do).
 * null counts as absent. "" when acceptable.
 */
export function topLevelProblem(root: JsonValue): string {
  const model = root.get("model");
  if (model != null && !model.isString()) return "model: must be a string";
  const stream = root.get("stream");
  if (stream != null && !stream.isNull() && !stream.isBool()) return "stream: must be a boolean";
  const tools = root.get("tools");
  if (tools != null && !tools.isNull() && !tools.isArray()) return "tools: must be an array";
  for (let i = 0; i < NUMBER_FIELDS.length; i++) {
    const v = root.get(NUMBER_FIELDS[i]);
    if (v != null && !v.isNull() && !v.isNumber()) return NUMBER_FIELDS[i] + ": must be a number";
  }
  return "";
}
