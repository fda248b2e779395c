// Anthropic Messages request → OpenAI Chat Completions request.
//
// Output keys, in this order (absent ones skipped):
//   model, messages, max_tokens|max_completion_tokens, temperature, top_p, top_k (opt-in), stop,
//   reasoning_effort, response_format, stream, stream_options, tools, tool_choice,
//   parallel_tool_calls, user
// Message order: one system message (system blocks joined with "\n\n"), then every Anthropic
// message in order (a `role:"system"` message inside the conversation stays a system message at
// its position); a user message's tool_result blocks become `role:"tool"` messages placed
// before the rest of that user turn (OpenAI wants them right after the assistant's tool_calls).
// Fields without a counterpart are dropped and listed in RequestResult.dropped, or refused when
// they change the output (docs/field-policy.md).

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { ModelTraits, Reasoning } from "../../mapping/model-traits";
import { RequestResult, startConversion, TranslateOptions, upstreamTraits } from "../common";
import { Path, keyIn, isEmptyString, kindName, pushStringInner, typeOf, writeAsJsonString, writeCompact } from "../util";

const MAX_USER_LENGTH = 64;

/** Converts; never traps. Malformed input → RequestResult.failure(400, message). */
export function anthropicToOpenAIRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;

  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);

  const w = new JsonWriter(body.length + 512, true);
  w.beginObject();
  w.fieldString("model", res.upstreamModel);
  w.key("messages").beginArray();

  let err = writeSystem(w, root.get("system"), "system");
  if (err.length) return RequestResult.failure(400, err);
  const it = messages.iter();
  while (it.next()) {
    err = writeMessage(w, it.value, it.index, opts);
    if (err.length) return RequestResult.failure(400, err);
  }
  w.endArray();

  const maxTokens = root.get("max_tokens");
  if (maxTokens != null && !maxTokens.isNull()) {
    if (!maxTokens.isNumber()) return RequestResult.failure(400, "max_tokens: must be an integer");
    w.key(opts.maxTokensField == "max_completion_tokens" ? "max_completion_tokens" : "max_tokens").raw(maxTokens);
  }
  const traits = upstreamTraits(opts, res.upstreamModel, false);
  // Models that no longer take sampling parameters get none (announced, never a 400 the client could not foresee).
  err = copyNumber(w, root, "temperature", traits.sampling, res);
  if (err.length == 0) err = copyNumber(w, root, "top_p", traits.sampling, res);
  if (err.length == 0) err = copyNumber(w, root, "top_k", traits.sampling && opts.forwardTopK, res);
  if (err.length) return RequestResult.failure(400, err);

  const stops = root.get("stop_sequences");
  if (stops != null && !stops.isNull()) {
    if (!stops.isArray()) return RequestResult.failure(400, "stop_sequences: must be an array of strings");
    // OpenAI accepts at most 4 stop sequences; extra ones are dropped.
    let n = 0;
    const sit = stops.iter();
    while (sit.next()) {
      const s = sit.value;
      if (!s.isString()) return RequestResult.failure(400, "stop_sequences." + sit.index.toString() + ": must be a string");
      if (n >= 4) { res.drop("stop_sequences[4:]"); continue; }
      if (n == 0) w.key("stop").beginArray();
      w.raw(s);
      n++;
    }
    if (n > 0) w.endArray();
  }

  const oc = root.get("output_config");
  if (oc != null && !oc.isNull() && !oc.isObject()) return RequestResult.failure(400, "output_config: must be an object");
  err = writeReasoningEffort(w, root.get("thinking"), oc, traits, res);
  if (err.length) return RequestResult.failure(400, err);
  if (oc != null && oc.isObject()) {
    err = writeResponseFormat(w, oc, res);
    if (err.length) return RequestResult.failure(400, err);
  }

  if (res.stream) {
    w.fieldBool("stream", true);
    if (opts.includeUsage) w.key("stream_options").beginObject().fieldBool("include_usage", true).endObject();
  }

  const toolCount = writeTools(w, root.get("tools"), opts, res);
  if (toolCount < 0) return RequestResult.failure(400, TOOL_ERROR);
  if (toolCount > 0) {
    err = writeToolChoice(w, root.get("tool_choice"));
    if (err.length) return RequestResult.failure(400, err);
  }

  const meta = root.get("metadata");
  if (meta != null && meta.isObject()) {
    const uid = meta.get("user_id");
    // OpenAI rejects a `user` longer than 64 characters (Claude Code's user_id is ~150): dropped then.
    if (uid != null && uid.isString() && !isEmptyString(uid)) {
      if (uid.str().length <= MAX_USER_LENGTH) w.key("user").raw(uid); else res.drop("metadata.user_id");
    }
  }
  w.endObject();
  err = checkTopLevel(root, opts, res);
  if (err.length) return RequestResult.failure(400, err);

  res.ok = true;
  res.body = w.take();
  return res;
}

/** A sampling parameter, copied when `send`, else recorded as dropped. */
function copyNumber(w: JsonWriter, root: JsonValue, name: string, send: bool, res: RequestResult): string {
  const v = root.get(name);
  if (v == null || v.isNull()) return "";
  if (!v.isNumber()) return name + ": must be a number";
  if (send) w.key(name).raw(v); else res.drop(name);
  return "";
}

const ANTHROPIC_EFFORTS: Array<string> = ["low", "medium", "high", "xhigh", "max"];

/**
 * Anthropic `thinking` and `output_config.effort` → `reasoning_effort`, at the nearest level the upstream
 * model takes. Disabled thinking asks for the least reasoning ("none"); a budget maps to a level by size;
 * adaptive thinking without an effort leaves the model's default. Models without a reasoning control get
 * neither (announced as dropped).
 */
function writeReasoningEffort(w: JsonWriter, thinking: JsonValue | null, oc: JsonValue | null, traits: ModelTraits, res: RequestResult): string {
  let want = "";
  let asked = "";
  const effort = oc != null && oc.isObject() ? oc.get("effort") : null;
  if (effort != null && !effort.isNull()) {
    if (!effort.isString() || !ANTHROPIC_EFFORTS.includes(effort.str())) return "output_config.effort: must be one of " + ANTHROPIC_EFFORTS.join(", ");
    want = effort.str();
    asked = "output_config.effort";
  }
  if (thinking != null && !thinking.isNull()) {
    if (!thinking.isObject()) return "thinking: must be an object";
    const t = typeOf(thinking);
    if (t == "disabled") { want = "none"; asked = ""; }
    else if (t == "enabled") {
      const b = thinking.get("budget_tokens");
      if (b == null || !b.isNumber()) return "thinking.budget_tokens: must be an integer";
      if (want.length == 0) {
        const n = b.asI64(0);
        want = n < 2048 ? "low" : n < 8192 ? "medium" : n < 32768 ? "high" : "xhigh";
      }
      asked = "thinking";
    } else if (t == "adaptive") {
      if (asked.length == 0) asked = "thinking";
    } else return "thinking.type: must be enabled, adaptive or disabled";
  }
  if (want.length == 0) return "";
  const level = traits.reasoning == Reasoning.Effort ? traits.nearestEffort(want) : "";
  if (level.length > 0) w.fieldString("reasoning_effort", level);
  else if (asked.length > 0) res.drop(asked);
  return "";
}

/** `output_config.format` (structured output) → `response_format` json_schema, strict as Anthropic enforces it. */
function writeResponseFormat(w: JsonWriter, oc: JsonValue, res: RequestResult): string {
  const it = oc.iter();
  while (it.next()) {
    const k = it.key!;
    if (k.equals("effort") || k.equals("format")) continue;
    res.drop("output_config." + k.str());
  }
  const f = oc.get("format");
  if (f == null || f.isNull()) return "";
  if (!f.isObject()) return "output_config.format: must be an object";
  if (typeOf(f) != "json_schema") return "output_config.format.type: must be \"json_schema\"";
  const schema = f.get("schema");
  if (schema == null || !schema.isObject()) return "output_config.format.schema: must be an object";
  w.key("response_format").beginObject().fieldString("type", "json_schema").key("json_schema").beginObject()
    .fieldString("name", "output").key("schema");
  writeCompact(w, schema);
  w.fieldBool("strict", true).endObject().endObject();
  return "";
}

/** Top-level fields this converter maps; the rest are dropped with a reason or refused (docs/field-policy.md). */
const MAPPED_FIELDS: Array<string> = [
  "model", "messages", "system", "max_tokens", "metadata", "stop_sequences", "stream", "temperature", "top_p", "top_k",
  "thinking", "tools", "tool_choice", "output_config",
];
/** Change what the model produces and have no OpenAI counterpart: refused unless dropUnsupportedParams. */
const REFUSED_FIELDS: Array<string> = ["mcp_servers", "container"];

function checkTopLevel(root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const it = root.iter();
  while (it.next()) {
    // Most bodies carry only mapped fields: compare the raw keys, decode only the others.
    if (it.value.isNull() || keyIn(it.key!, MAPPED_FIELDS)) continue;
    const k = it.key!.str();
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) {
      return k + ": has no counterpart on an OpenAI-protocol upstream (the provider's dropUnsupportedParams drops it instead)";
    }
    res.drop(k);
  }
  return "";
}

/** The system prompt as one `system` message (blocks joined with a blank line). `at` names it in errors. */
function writeSystem(w: JsonWriter, sys: JsonValue | null, at: string): string {
  if (sys == null || sys.isNull()) return "";
  if (sys.isString()) {
    if (isEmptyString(sys)) return "";
    w.beginObject().fieldString("role", "system").key("content").raw(sys).endObject();
    return "";
  }
  if (!sys.isArray()) return at + ": must be a string or an array of text blocks";
  let n = 0;
  const it = sys.iter();
  while (it.next()) {
    const b = it.value;
    if (!b.isObject()) return at + "." + it.index.toString() + ": must be an object";
    const text = b.get("text");
    if (text == null || !text.isString()) {
      if (typeOf(b) == "text") return at + "." + it.index.toString() + ".text: must be a string";
      continue; // non-text system blocks have no OpenAI counterpart
    }
    if (isEmptyString(text)) continue;
    if (n == 0) w.beginObject().fieldString("role", "system").key("content").openString();
    else w.stringPart("\n\n");
    pushStringInner(w, text);
    n++;
  }
  if (n > 0) w.closeString().endObject();
  return "";
}

function writeMessage(w: JsonWriter, m: JsonValue, i: i32, opts: TranslateOptions): string {
  const at = new Path(null, "messages.", i);
  if (!m.isObject()) return at.s() + ": must be an object";
  const roleV = m.get("role");
  const content = m.get("content");
  if (roleV == null || !roleV.isString()) return at.s() + ".role: must be \"user\", \"assistant\" or \"system\"";
  // A system message inside the conversation applies from its position on: so does an OpenAI one.
  if (roleV.equals("system")) {
    if (content == null || !(content.isString() || content.isArray())) return at.s() + ".content: must be a string or an array of text blocks, got " + kindName(content);
    return writeSystem(w, content, at.s() + ".content");
  }
  const isUser = roleV.equals("user");
  if (!isUser && !roleV.equals("assistant")) return at.s() + ".role: must be \"user\", \"assistant\" or \"system\"";
  if (content == null || !(content.isString() || content.isArray())) return at.s() + ".content: must be a string or an array of content blocks, got " + kindName(content);
  if (content.isString()) {
    w.beginObject().fieldString("role", isUser ? "user" : "assistant").key("content").raw(content).endObject();
    return "";
  }
  return isUser ? writeUserBlocks(w, content, at) : writeAssistantBlocks(w, content, at, opts);
}

// ---------------------------------------------------------------- user turns

function writeUserBlocks(w: JsonWriter, blocks: JsonValue, at: Path): string {
  // Validate first, so nothing half-written is left behind on error.
  let it = blocks.iter();
  const bat = new Path(at, ".content.", 0);
  while (it.next()) {
    const b = it.value;
    bat.idx = it.index;
    if (!b.isObject()) return bat.s() + ": must be an object";
    const t = typeOf(b);
    let err = "";
    if (t == "text") {
      const text = b.get("text");
      if (text == null || !text.isString()) err = bat.s() + ".text: must be a string";
    } else if (t == "image") err = checkImage(b, bat);
    else if (t == "document") err = checkDocument(b, bat);
    else if (t == "tool_result") err = checkToolResult(b, bat);
    if (err.length) return err;
  }
  // Pass 1: tool results become tool messages; images inside them are kept for the user message.
  const carried = new Array<JsonValue>(0);
  it = blocks.iter();
  while (it.next()) {
    if (typeOf(it.value) == "tool_result") writeToolResult(w, it.value, carried);
  }
  // Pass 2: the rest of the turn as one user message.
  let parts = carried.length;
  let onlyText = carried.length == 0;
  it = blocks.iter();
  while (it.next()) {
    const t = typeOf(it.value);
    if (t == "text" || t == "image" || t == "document") {
      parts++;
      if (t != "text") onlyText = false;
    }
  }
  if (parts == 0) return "";
  w.beginObject().fieldString("role", "user").key("content");
  if (parts == 1 && onlyText) {
    it = blocks.iter();
    while (it.next()) {
      if (typeOf(it.value) == "text") w.raw(it.value.get("text")!);
    }
    w.endObject();
    return "";
  }
  w.beginArray();
  for (let k = 0; k < carried.length; k++) writeImagePart(w, carried[k]);
  it = blocks.iter();
  while (it.next()) {
    const b = it.value;
    const t = typeOf(b);
    if (t == "text") w.beginObject().fieldString("type", "text").key("text").raw(b.get("text")!).endObject();
    else if (t == "image") writeImagePart(w, b);
    else if (t == "document") writeDocumentPart(w, b);
  }
  w.endArray().endObject();
  return "";
}

function checkToolResult(b: JsonValue, at: Path): string {
  const id = b.get("tool_use_id");
  if (id == null || !id.isString() || isEmptyString(id)) return at.s() + ".tool_use_id: must be a non-empty string";
  const content = b.get("content");
  if (content == null || content.isNull() || content.isString()) return "";
  if (!content.isArray()) return at.s() + ".content: must be a string or an array of content blocks";
  const it = content.iter();
  const cat = new Path(at, ".content.", 0);
  while (it.next()) {
    const c = it.value;
    cat.idx = it.index;
    if (!c.isObject()) return cat.s() + ": must be an object";
    const t = typeOf(c);
    if (t == "text") {
      const text = c.get("text");
      if (text == null || !text.isString()) return cat.s() + ".text: must be a string";
    } else if (t == "image") {
      const err = checkImage(c, cat);
      if (err.length) return err;
    }
  }
  return "";
}

function writeToolResult(w: JsonWriter, b: JsonValue, carried: Array<JsonValue>): void {
  const isErrorV = b.get("is_error");
  const isError = isErrorV != null && isErrorV.asBool(false);
  const content = b.get("content");
  w.beginObject().fieldString("role", "tool").key("tool_call_id").raw(b.get("tool_use_id")!).key("content").openString();
  if (isError) w.stringPart("Error: ");
  if (content != null && content.isString()) {
    pushStringInner(w, content);
  } else if (content != null && content.isArray()) {
    let n = 0;
    const it = content.iter();
    while (it.next()) {
      const c = it.value;
      const t = typeOf(c);
      if (t == "text") {
        if (n > 0) w.stringPart("\n");
        pushStringInner(w, c.get("text")!);
        n++;
      } else if (t == "image") {
        carried.push(c); // OpenAI tool messages carry text only: the image moves to the user message
      } else if (t == "tool_reference") {
        // Tool search results (Claude Code's ToolSearch) name tools that are now loaded; the OpenAI upstream
        // already has every tool (defer_loading is not sent), so the name is what the model needs to read.
        const name = c.get("tool_name");
        if (name == null || !name.isString()) continue;
        if (n > 0) w.stringPart("\n");
        w.stringPart("Tool loaded: ");
        pushStringInner(w, name);
        n++;
      }
    }
  }
  w.closeString().endObject();
}

/** A `{"type":"base64","media_type":…,"data":…}` source (images and documents alike). */
function base64SourceProblem(src: JsonValue, at: Path): string {
  const mt = src.get("media_type"), data = src.get("data");
  if (mt == null || !mt.isString()) return at.s() + ".source.media_type: must be a string";
  if (data == null || !data.isString()) return at.s() + ".source.data: must be a string";
  return "";
}

function checkImage(b: JsonValue, at: Path): string {
  const src = b.get("source");
  if (src == null || !src.isObject()) return at.s() + ".source: an image block needs a source object";
  const st = typeOf(src);
  if (st == "base64") return base64SourceProblem(src, at);
  if (st == "url") {
    const url = src.get("url");
    if (url == null || !url.isString()) return at.s() + ".source.url: must be a string";
    return "";
  }
  return at.s() + ".source.type: image source \"" + st + "\" cannot be sent to an OpenAI-protocol upstream (use base64 or url)";
}

/** Anthropic image block → OpenAI `image_url` part (base64 → data URL). Call checkImage first. */
function writeImagePart(w: JsonWriter, b: JsonValue): void {
  const src = b.get("source")!;
  w.beginObject().fieldString("type", "image_url").key("image_url").beginObject().key("url");
  if (typeOf(src) == "url") {
    w.raw(src.get("url")!);
  } else {
    w.openString();
    w.stringPart("data:");
    pushStringInner(w, src.get("media_type")!);
    w.stringPart(";base64,");
    pushStringInner(w, src.get("data")!);
    w.closeString();
  }
  w.endObject().endObject();
}

function checkDocument(b: JsonValue, at: Path): string {
  const src = b.get("source");
  if (src == null || !src.isObject()) return at.s() + ".source: a document block needs a source object";
  const st = typeOf(src);
  if (st == "base64") return base64SourceProblem(src, at);
  if (st == "text") {
    const data = src.get("data");
    if (data == null || !data.isString()) return at.s() + ".source.data: must be a string";
    return "";
  }
  if (st == "content") {
    const c = src.get("content");
    if (c == null || !(c.isString() || c.isArray())) return at.s() + ".source.content: must be a string or an array";
    return "";
  }
  return at.s() + ".source.type: document source \"" + st + "\" cannot be sent to an OpenAI-protocol upstream (use base64, text or content)";
}

/** Anthropic document block → OpenAI `file` part (base64) or text part(s). Call checkDocument first. */
function writeDocumentPart(w: JsonWriter, b: JsonValue): void {
  const src = b.get("source")!;
  const st = typeOf(src);
  if (st == "base64") {
    const title = b.get("title");
    w.beginObject().fieldString("type", "file").key("file").beginObject();
    if (title != null && title.isString() && !isEmptyString(title)) w.key("filename").raw(title);
    else w.fieldString("filename", "document.pdf");
    w.key("file_data").openString();
    w.stringPart("data:");
    pushStringInner(w, src.get("media_type")!);
    w.stringPart(";base64,");
    pushStringInner(w, src.get("data")!);
    w.closeString().endObject().endObject();
    return;
  }
  if (st == "text") {
    w.beginObject().fieldString("type", "text").key("text").raw(src.get("data")!).endObject();
    return;
  }
  const c = src.get("content")!;
  if (c.isString()) {
    w.beginObject().fieldString("type", "text").key("text").raw(c).endObject();
    return;
  }
  const it = c.iter();
  let n = 0;
  while (it.next()) {
    const x = it.value;
    if (!x.isObject() || typeOf(x) != "text") continue;
    const text = x.get("text");
    if (text == null || !text.isString()) continue;
    w.beginObject().fieldString("type", "text").key("text").raw(text).endObject();
    n++;
  }
  if (n == 0) w.beginObject().fieldString("type", "text").fieldString("text", "").endObject();
}

// ---------------------------------------------------------------- assistant turns

function writeAssistantBlocks(w: JsonWriter, blocks: JsonValue, at: Path, opts: TranslateOptions): string {
  let texts = 0, thinking = 0, tools = 0;
  const passthrough = opts.reasoningContentMode != "ignore" && opts.reasoningContentMode != "concat";
  let it = blocks.iter();
  const bat = new Path(at, ".content.", 0);
  while (it.next()) {
    const b = it.value;
    bat.idx = it.index;
    if (!b.isObject()) return bat.s() + ": must be an object";
    const t = typeOf(b);
    if (t == "text") {
      const text = b.get("text");
      if (text == null || !text.isString()) return bat.s() + ".text: must be a string";
      if (!isEmptyString(text)) texts++;
    } else if (t == "tool_use") {
      const id = b.get("id"), name = b.get("name");
      if (id == null || !id.isString() || isEmptyString(id)) return bat.s() + ".id: a tool_use block needs a non-empty string id";
      if (name == null || !name.isString() || isEmptyString(name)) return bat.s() + ".name: a tool_use block needs a non-empty string name";
      tools++;
    } else if (t == "thinking") {
      const th = b.get("thinking");
      if (th != null && th.isString() && !isEmptyString(th)) thinking++;
    }
  }
  w.beginObject().fieldString("role", "assistant").key("content");
  if (texts == 0) {
    if (tools > 0) w.null(); else w.string("");
  } else {
    w.openString();
    it = blocks.iter();
    while (it.next()) {
      if (typeOf(it.value) == "text") pushStringInner(w, it.value.get("text")!);
    }
    w.closeString();
  }
  if (thinking > 0 && passthrough) {
    w.key("reasoning_content").openString();
    let n = 0;
    it = blocks.iter();
    while (it.next()) {
      if (typeOf(it.value) != "thinking") continue;
      const th = it.value.get("thinking");
      if (th == null || !th.isString() || isEmptyString(th)) continue;
      if (n > 0) w.stringPart("\n");
      pushStringInner(w, th);
      n++;
    }
    w.closeString();
  }
  if (tools > 0) {
    w.key("tool_calls").beginArray();
    it = blocks.iter();
    while (it.next()) {
      const b = it.value;
      if (typeOf(b) != "tool_use") continue;
      w.beginObject().key("id").raw(b.get("id")!).fieldString("type", "function").key("function").beginObject()
        .key("name").raw(b.get("name")!).key("arguments");
      const input = b.get("input");
      if (input == null || input.isNull()) w.string("{}");
      else writeAsJsonString(w, input);
      w.endObject().endObject();
    }
    w.endArray();
  }
  w.endObject();
  return "";
}

// ---------------------------------------------------------------- tools

let TOOL_ERROR = "";

/** Writes `tools`; returns how many were written, -1 on error (message in TOOL_ERROR). */
function writeTools(w: JsonWriter, tools: JsonValue | null, opts: TranslateOptions, res: RequestResult): i32 {
  if (tools == null || tools.isNull()) return 0;
  if (!tools.isArray()) { TOOL_ERROR = "tools: must be an array"; return -1; }
  let it = tools.iter();
  let n = 0;
  const at = new Path(null, "tools.", 0);
  while (it.next()) {
    const t = it.value;
    at.idx = it.index;
    if (!t.isObject()) { TOOL_ERROR = at.s() + ": must be an object"; return -1; }
    if (!isCustomTool(t)) {
      // Server tools run on Anthropic's side: an OpenAI upstream cannot run them.
      if (!opts.dropUnsupported) {
        TOOL_ERROR = at.s() + ".type: server tool \"" + typeOf(t) + "\" has no counterpart on an OpenAI-protocol upstream (the provider's dropUnsupportedParams drops it instead)";
        return -1;
      }
      res.drop("tools." + typeOf(t));
      continue;
    }
    const name = t.get("name");
    if (name == null || !name.isString() || isEmptyString(name)) { TOOL_ERROR = at.s() + ".name: must be a non-empty string"; return -1; }
    n++;
  }
  if (n == 0) return 0;
  w.key("tools").beginArray();
  it = tools.iter();
  while (it.next()) {
    const t = it.value;
    if (!isCustomTool(t)) continue;
    w.beginObject().fieldString("type", "function").key("function").beginObject().key("name").raw(t.get("name")!);
    const desc = t.get("description");
    if (desc != null && desc.isString()) w.key("description").raw(desc);
    const schema = t.get("input_schema");
    w.key("parameters");
    if (schema != null && schema.isObject()) writeCompact(w, schema);
    else w.rawString("{\"type\":\"object\",\"properties\":{}}");
    const strict = t.get("strict");
    if (strict != null && strict.isBool()) w.fieldBool("strict", strict.asBool(false));
    w.endObject().endObject();
  }
  w.endArray();
  return n;
}

/**
 * Client tools have no `type` or `"custom"`. Server tools (web_search_*, bash_*, text_editor_*,
 * computer_*, code_execution_*, …) run on Anthropic's side and have no OpenAI counterpart.
 */
function isCustomTool(t: JsonValue): bool {
  const type = t.get("type");
  return type == null || type.isNull() || type.equals("custom");
}

function writeToolChoice(w: JsonWriter, tc: JsonValue | null): string {
  if (tc == null || tc.isNull()) return "";
  if (!tc.isObject()) return "tool_choice: must be an object";
  const t = typeOf(tc);
  if (t == "auto") w.fieldString("tool_choice", "auto");
  else if (t == "any") w.fieldString("tool_choice", "required");
  else if (t == "none") w.fieldString("tool_choice", "none");
  else if (t == "tool") {
    const name = tc.get("name");
    if (name == null || !name.isString() || isEmptyString(name)) return "tool_choice.name: must be a non-empty string";
    w.key("tool_choice").beginObject().fieldString("type", "function").key("function").beginObject().key("name").raw(name).endObject().endObject();
  } else return "tool_choice.type: must be one of auto, any, tool, none";
  const dp = tc.get("disable_parallel_tool_use");
  if (dp != null && dp.asBool(false) && t != "none") w.fieldBool("parallel_tool_calls", false);
  return "";
}
