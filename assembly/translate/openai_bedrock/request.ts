// OpenAI Chat Completions request → Amazon Bedrock Converse / ConverseStream request
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html).
//
// Output keys, in this order (absent ones skipped):
//   messages, system, inferenceConfig{maxTokens, temperature, topP, stopSequences}, toolConfig{tools, toolChoice},
//   additionalModelRequestFields{thinking, output_config, top_k}
// The model is not in the body: it is in the URL (`/model/{model}/converse`, `stream` picks `/converse-stream`).
// system/developer messages, wherever they stand, join `system` (Converse has no system turn). Content blocks:
// text → {text}; images as data URLs → {image:{format, source:{bytes}}} (base64 in JSON), s3:// URLs →
// {image:{format, source:{s3Location:{uri}}}}; other URLs are refused (Converse takes bytes or S3 only). Assistant
// tool calls → {toolUse:{toolUseId, name, input}}; tool messages → {toolResult:{toolUseId, content:[{text}]}} in a
// user turn; consecutive turns of one role share one message (Converse alternates user and assistant). Assistant
// thinking_blocks → {reasoningContent:{reasoningText:{text, signature}}} / {reasoningContent:{redactedContent}}.
// A part's cache_control → a {cachePoint:{type:"default"}} block after it. Prompt caching (Claude and Nova models):
// `prompt_cache_retention` (else the provider's promptCacheRetention) in-memory → cache points without ttl (Bedrock's
// 5 minutes), 24h → ttl "1h" (Bedrock's longest), placed after the system prompt and/or at the end of the last user
// message / last message (the provider's bedrockPromptCachePointPositions); other values add none. Claude models (`anthropic.` in the id)
// take Anthropic's own fields in additionalModelRequestFields: reasoning_effort → thinking (the model's traits, as
// towards Anthropic), an explicit `thinking` object as sent, top_k; the provider's bedrockAdditionalFields are added
// there by its module. tool_choice none: no toolConfig unless the history holds tool blocks (Converse then requires
// the tools; tool_choice is then dropped and announced).

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readChoicesAndStream, RequestResult, startConversion, TranslateOptions, upstreamTraits, writeStopSequences } from "../common";
import { planReasoning, ReasoningPlan } from "../openai_anthropic/request";
import { TurnWriter, writeTextPart } from "../turns";
import { isEmptyString, isTextOnly, keyIn, kindName, Path, roleOf, toolCallIdProblem, typeOf, writeCompact, writeToolArguments, writeToolResultText } from "../util";

/** Top-level fields this converter maps. */
const MAPPED_FIELDS: Array<string> = [
  "model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options", "temperature", "top_p", "top_k",
  "stop", "tools", "tool_choice", "reasoning_effort", "thinking", "n", "prompt_cache_retention",
];

/** Where prompt caching puts cache points (TranslateOptions.cachePointPositions). */
export const CACHE_POINT_SYSTEM: i32 = 1;
export const CACHE_POINT_LAST_USER_MESSAGE: i32 = 2;
export const CACHE_POINT_LAST_MESSAGE: i32 = 4;

/**
 * The CachePointBlock ttl for an OpenAI prompt_cache_retention (https://docs.aws.amazon.com/bedrock/latest/APIReference/
 * API_runtime_CachePointBlock.html: 5m or 1h, omitted = 5m): "" for in-memory, "1h" for 24h; null when there is none.
 * Spelling as Higress reads it: any case, `-` or a space for `_`, "inmemory".
 */
export function cacheTtlFor(retention: string): string | null {
  const r = retention.trim().toLowerCase().replaceAll("-", "_").replaceAll(" ", "_");
  if (r == "in_memory" || r == "inmemory") return "";
  if (r == "24h") return "1h";
  return null;
}

/** The Bedrock models that take cache points (as Higress decides it: Anthropic Claude and Amazon Nova ids). */
function cachesPrompts(model: string): bool {
  const m = model.toLowerCase();
  return m.includes("anthropic.claude") || m.includes("amazon.nova");
}

/** The cache points a request gets: their JSON block and where they go. */
class CachePlan {
  constructor(public block: string, public positions: i32) {}
}
/** Change what the model produces and have no Converse counterpart: refused unless dropUnsupportedParams. */
const REFUSED_FIELDS: Array<string> = [
  "logit_bias", "functions", "function_call", "web_search_options", "modalities", "audio", "prediction", "response_format",
  "seed", "presence_penalty", "frequency_penalty", "logprobs", "top_logprobs",
];

/** Converse image formats (ImageBlock.format). */
const IMAGE_FORMATS: Array<string> = ["png", "jpeg", "gif", "webp"];

export function openaiToBedrockRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const head = readChoicesAndStream(root, res, "Bedrock upstreams");
  if (head !== null) return head;
  const top = checkTopLevel(root, opts, res);
  if (top.length) return RequestResult.failure(400, top);
  const claude = res.upstreamModel.includes("anthropic.");
  const cache = cachePlan(root, opts, res);

  // The request body for the host: a large one lives in a reused block (bytes/large-buffers.ts).
  const w = new JsonWriter(body.length + 256, true);
  w.beginObject().key("messages").beginArray();
  const err = writeMessages(w, messages, cache);
  if (err.length) return RequestResult.failure(400, err);
  w.endArray();
  writeSystem(w, messages, cache);

  let maxTokens = root.get("max_completion_tokens");
  if (maxTokens == null || maxTokens.isNull()) maxTokens = root.get("max_tokens");
  if (maxTokens != null && maxTokens.isNull()) maxTokens = null;
  if (maxTokens != null && (!maxTokens.isNumber() || !maxTokens.isInteger() || maxTokens.asI64(0) < 1)) {
    return RequestResult.failure(400, "max_tokens: must be an integer of at least 1");
  }

  // Thinking (Claude models): an explicit Anthropic `thinking` object wins, else reasoning_effort per the model's traits.
  const reasoning = new ReasoningPlan();
  const th = root.get("thinking");
  const effortV = root.get("reasoning_effort");
  const traits = upstreamTraits(opts, res.upstreamModel, true);
  if (claude) {
    if (th != null && th.isObject()) reasoning.raw = th;
    else {
      const limit = maxTokens != null ? maxTokens.asI64(0) : <i64>opts.defaultMaxTokens;
      const problem = planReasoning(effortV, traits, limit, messages, reasoning, res);
      if (problem.length) return RequestResult.failure(400, problem);
    }
  } else {
    if (th != null && !th.isNull()) res.drop("thinking");
    if (effortV != null && !effortV.isNull() && !effortV.equals("none")) res.drop("reasoning_effort");
  }
  const thinkingOn = reasoning.raw != null ? !typeOf(reasoning.raw!).startsWith("disabled") : reasoning.budget > 0 || reasoning.adaptive;

  // inferenceConfig; Claude rejects sampling parameters with thinking on, and newer Claude models always (traits).
  const sampling = !thinkingOn && (!claude || traits.sampling);
  const g = new JsonWriter(128);
  g.beginObject();
  let fields = 0;
  if (maxTokens != null) { g.key("maxTokens").raw(maxTokens); fields++; }
  else if (thinkingOn) { g.fieldInt("maxTokens", opts.defaultMaxTokens); fields++; }
  if (!sampling) {
    dropIfSet(root, "temperature", res);
    dropIfSet(root, "top_p", res);
  } else {
    fields += copyNumber(root, "temperature", g, "temperature");
    fields += copyNumber(root, "top_p", g, "topP");
  }
  if (writeStopSequences(g, root.get("stop"), "stopSequences", i32.MAX_VALUE, res)) fields++;
  g.endObject();
  if (fields > 0) w.key("inferenceConfig").rawBytes(g.take());

  const toolErr = writeToolConfig(w, root, messages, opts, res);
  if (toolErr.length) return RequestResult.failure(400, toolErr);

  // additionalModelRequestFields: Anthropic's own fields for Claude models.
  const topK = root.get("top_k");
  const sendTopK = topK != null && topK.isNumber() && claude && sampling;
  if (topK != null && topK.isNumber() && !sendTopK) res.drop("top_k");
  if (reasoning.raw != null || reasoning.budget > 0 || reasoning.adaptive || reasoning.effort.length > 0 || sendTopK) {
    w.key("additionalModelRequestFields").beginObject();
    if (reasoning.raw != null) { w.key("thinking"); writeCompact(w, reasoning.raw!); }
    else if (reasoning.adaptive) w.key("thinking").beginObject().fieldString("type", "adaptive").endObject();
    else if (reasoning.budget > 0) w.key("thinking").beginObject().fieldString("type", "enabled").fieldInt("budget_tokens", reasoning.budget).endObject();
    if (reasoning.effort.length > 0) w.key("output_config").beginObject().fieldString("effort", reasoning.effort).endObject();
    if (sendTopK) w.key("top_k").raw(topK!);
    w.endObject();
  }
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** The request's cache points: its prompt_cache_retention, else the provider's; null for none (a request's own value that cannot apply is announced as dropped). */
function cachePlan(root: JsonValue, opts: TranslateOptions, res: RequestResult): CachePlan | null {
  const v = root.get("prompt_cache_retention");
  const own = v != null && !v.isNull() && !(v.isString() && isEmptyString(v));
  const retention = !own ? opts.promptCacheRetention : v!.isString() ? v!.str() : "?";
  if (retention.length == 0) return null;
  const ttl = cacheTtlFor(retention);
  if (ttl === null || !cachesPrompts(res.upstreamModel)) {
    if (own) res.drop("prompt_cache_retention");
    return null;
  }
  const t = ttl!;
  return new CachePlan(t.length > 0 ? "{\"cachePoint\":{\"type\":\"default\",\"ttl\":\"" + t + "\"}}" : CACHE_POINT, opts.cachePointPositions);
}

const CACHE_POINT = "{\"cachePoint\":{\"type\":\"default\"}}";

/** The last content block in `blocks` (a `[…]` array this file wrote) is the cache point of a client's cache_control. */
function endsWithCachePoint(blocks: Uint8Array): bool {
  const n = CACHE_POINT.length; // ASCII
  if (blocks.length < n + 1 || blocks[blocks.length - 1] != 0x5D) return false;
  const from = blocks.length - 1 - n;
  for (let i = 0; i < n; i++) if (<i32>blocks[from + i] != CACHE_POINT.charCodeAt(i)) return false;
  return true;
}

function dropIfSet(root: JsonValue, field: string, res: RequestResult): void {
  const v = root.get(field);
  if (v != null && !v.isNull()) res.drop(field);
}

function copyNumber(root: JsonValue, from: string, g: JsonWriter, to: string): i32 {
  const v = root.get(from);
  if (v == null || !v.isNumber()) return 0;
  g.key(to).raw(v);
  return 1;
}

function checkTopLevel(root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const it = root.iter();
  while (it.next()) {
    if (it.value.isNull() || keyIn(it.key!, MAPPED_FIELDS)) continue;
    const k = it.key!.str();
    const v = it.value;
    if ((k == "logprobs" || k == "store" || k == "parallel_tool_calls") && v.isBool() && (k == "parallel_tool_calls") == v.asBool(false)) continue;
    if (k == "logit_bias" && v.isObject() && v.length == 0) continue;
    if (k == "response_format" && v.isObject() && typeOf(v) == "text") continue;
    if (k == "modalities" && isTextOnly(v)) continue;
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) {
      return k + ": has no counterpart on a Bedrock Converse upstream (the provider's dropUnsupportedParams drops it instead)";
    }
    res.drop(k);
  }
  return "";
}

function hasToolBlocks(messages: JsonValue): bool {
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    if (!m.isObject()) continue;
    if (roleOf(m) == "tool") return true;
    const tcs = m.get("tool_calls");
    if (tcs != null && tcs.isArray() && tcs.length > 0) return true;
  }
  return false;
}

/** tools → toolConfig.tools[{toolSpec{name, description, inputSchema{json}}}], tool_choice → toolConfig.toolChoice. */
function writeToolConfig(w: JsonWriter, root: JsonValue, messages: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const toolsV = root.get("tools");
  if (toolsV == null || toolsV.isNull()) return "";
  if (!toolsV.isArray()) return "tools: must be an array";
  const tc = root.get("tool_choice");
  let choice = "";
  if (tc != null && tc.isString()) {
    if (tc.equals("auto")) choice = "auto";
    else if (tc.equals("required")) choice = "any";
    else if (tc.equals("none")) choice = "none";
    else return "tool_choice: must be auto, required, none or a function";
  } else if (tc != null && tc.isObject()) {
    const fn = tc.get("function");
    const n = fn != null && fn.isObject() ? fn.get("name") : null;
    if (n == null || !n.isString() || isEmptyString(n)) return "tool_choice.function.name: must be a non-empty string";
    choice = "tool";
  } else if (tc != null && !tc.isNull()) return "tool_choice: must be a string or an object";
  if (choice == "none") {
    // Converse has no "none": leave the tools out, unless the history's tool blocks require them.
    if (!hasToolBlocks(messages)) return "";
    res.drop("tool_choice");
    choice = "";
  }
  let tools = 0;
  const it = toolsV.iter();
  while (it.next()) {
    const t = it.value;
    const at = "tools." + it.index.toString();
    if (!t.isObject()) return at + ": must be an object";
    const fn = t.get("function");
    if (fn == null || !fn.isObject()) {
      if (!opts.dropUnsupported) return at + ".type: tool type \"" + typeOf(t) + "\" has no counterpart on a Bedrock upstream (the provider's dropUnsupportedParams drops it instead)";
      res.drop("tools." + typeOf(t));
      continue;
    }
    const name = fn.get("name");
    if (name == null || !name.isString() || isEmptyString(name)) return at + ".function.name: must be a non-empty string";
    if (tools++ == 0) w.key("toolConfig").beginObject().key("tools").beginArray();
    w.beginObject().key("toolSpec").beginObject().key("name").raw(name);
    const desc = fn.get("description");
    if (desc != null && desc.isString() && !isEmptyString(desc)) w.key("description").raw(desc);
    w.key("inputSchema").beginObject().key("json");
    const params = fn.get("parameters");
    if (params != null && params.isObject()) writeCompact(w, params);
    else w.rawString("{\"type\":\"object\",\"properties\":{}}");
    w.endObject().endObject().endObject();
  }
  if (tools == 0) return "";
  w.endArray();
  if (choice.length) {
    w.key("toolChoice").beginObject();
    if (choice == "tool") w.key("tool").beginObject().key("name").raw(tc!.get("function")!.get("name")!).endObject();
    else w.key(choice).beginObject().endObject();
    w.endObject();
  }
  w.endObject();
  return "";
}

/**
 * Writes messages; consecutive turns of one Converse role share one message, and `cache` may end the last user message
 * and/or the last message with a cache point (one when both name the same message). Returns an error message or "".
 */
function writeMessages(w: JsonWriter, messages: JsonValue, cache: CachePlan | null): string {
  const turns = new ConverseMessages();
  const err = turns.write(w, messages);
  if (err.length) return err;
  const open = turns.open;
  if (open.length == 0) return "";
  if (cache !== null) {
    const last = (cache.positions & CACHE_POINT_LAST_MESSAGE) != 0;
    const lastUser = (cache.positions & CACHE_POINT_LAST_USER_MESSAGE) != 0;
    if ((last || (lastUser && open == "user")) && !turns.openMarked) w.rawString(cache.block);
    const lastUserEnd = turns.lastUserEnd;
    if (lastUser && open != "user" && lastUserEnd >= 0 && !turns.lastUserMarked) {
      // The last user message is the one before: its cache point goes in before the assistant message after it.
      const tail = w.buf.view().slice(lastUserEnd);
      w.buf.truncate(lastUserEnd);
      w.buf.pushString("," + cache.block);
      w.buf.pushBytes(tail);
    }
  }
  w.endArray().endObject();
  return "";
}

/** Converse's turns: roles user and assistant, blocks under "content"; what the cache points need is noted on the way. */
class ConverseMessages extends TurnWriter {
  /** The open message's last block is a cache point (the client's cache_control). */
  openMarked: bool = false;
  /** Where the last closed user message's content ends (its `]`), and whether it is marked. */
  lastUserEnd: i32 = -1;
  lastUserMarked: bool = false;

  constructor() {
    super("assistant", "content");
  }

  protected writeImage(w: JsonWriter, url: JsonValue, at: Path): string {
    return writeImage(w, url, at);
  }

  protected writeOtherPart(w: JsonWriter, p: JsonValue, type: string, at: Path): string {
    return at.s() + ".type: must be text or image_url for a Bedrock upstream";
  }

  /** A part's cache_control → a cache point after its block. */
  protected afterPart(w: JsonWriter, p: JsonValue): void {
    writeCachePoint(w, p);
  }

  protected writeAssistantLead(w: JsonWriter, m: JsonValue): void {
    writeThinkingBlocks(w, m);
  }

  protected writeToolCalls(w: JsonWriter, tcs: JsonValue, at: Path): string {
    return writeToolUses(w, tcs, at);
  }

  protected writeToolResult(w: JsonWriter, m: JsonValue, messages: JsonValue, index: i32, at: Path): string {
    return writeToolResult(w, m, at);
  }

  protected beforeClose(w: JsonWriter): void {
    if (this.open == "user") {
      this.lastUserEnd = w.length;
      this.lastUserMarked = this.openMarked;
    }
  }

  protected afterParts(parts: Uint8Array): void {
    this.openMarked = endsWithCachePoint(parts);
  }
}

/** A cachePoint block after a part that carries Anthropic's cache_control; true when written. */
function writeCachePoint(w: JsonWriter, part: JsonValue): bool {
  const cc = part.get("cache_control");
  if (cc == null || !cc.isObject()) return false;
  w.rawString(CACHE_POINT);
  return true;
}

/** A data URL → {image:{format, source:{bytes}}}; an s3:// URL → {image:{format, source:{s3Location:{uri}}}}. */
function writeImage(w: JsonWriter, url: JsonValue, at: Path): string {
  const src = url.source;
  const s = url.start + 1, e = url.end - 1;
  const text = url.str();
  if (text.startsWith("data:image/")) {
    let semi = -1, comma = -1;
    for (let i = s + 11; i < e; i++) {
      const ch = src[i];
      if (ch == 0x3B && semi < 0) semi = i;
      if (ch == 0x2C) { comma = i; break; }
    }
    if (comma < 0) return at.s() + ".image_url.url: a data URL must hold base64 data";
    const format = formatOf(String.UTF8.decodeUnsafe(src.dataStart + <usize>(s + 11), <usize>((semi > 0 ? semi : comma) - s - 11)));
    if (format.length == 0) return at.s() + ".image_url.url: Bedrock takes png, jpeg, gif or webp images";
    w.beginObject().key("image").beginObject().fieldString("format", format).key("source").beginObject().key("bytes").openString();
    w.buf.pushSlice(src, comma + 1, e);
    w.closeString().endObject().endObject().endObject();
    return "";
  }
  if (text.startsWith("s3://")) {
    const dot = text.lastIndexOf(".");
    const format = dot > 0 ? formatOf(text.substring(dot + 1).toLowerCase()) : "";
    if (format.length == 0) return at.s() + ".image_url.url: the S3 object's name must end in .png, .jpeg, .jpg, .gif or .webp";
    w.beginObject().key("image").beginObject().fieldString("format", format).key("source").beginObject()
      .key("s3Location").beginObject().key("uri").raw(url).endObject().endObject().endObject().endObject();
    return "";
  }
  return at.s() + ".image_url.url: Bedrock takes images as data: URLs (base64) or s3:// URLs, not links";
}

function formatOf(subtype: string): string {
  if (subtype == "jpg") return "jpeg";
  return IMAGE_FORMATS.includes(subtype) ? subtype : "";
}

/** Thinking blocks, as Claude produced them (signed; required back in tool turns with thinking on). */
function writeThinkingBlocks(w: JsonWriter, m: JsonValue): void {
  const tb = m.get("thinking_blocks");
  if (tb != null && tb.isArray()) {
    const it = tb.iter();
    while (it.next()) {
      const b = it.value;
      if (!b.isObject()) continue;
      const t = typeOf(b);
      if (t == "thinking") {
        const text = b.get("thinking");
        if (text == null || !text.isString()) continue;
        w.beginObject().key("reasoningContent").beginObject().key("reasoningText").beginObject().key("text").raw(text);
        const sig = b.get("signature");
        if (sig != null && sig.isString() && !isEmptyString(sig)) w.key("signature").raw(sig);
        w.endObject().endObject().endObject();
      } else if (t == "redacted_thinking") {
        const data = b.get("data");
        if (data == null || !data.isString()) continue;
        w.beginObject().key("reasoningContent").beginObject().key("redactedContent").raw(data).endObject().endObject();
      }
    }
  }
}

/** Tool calls → {toolUse:{toolUseId, name, input}} blocks. */
function writeToolUses(w: JsonWriter, tcs: JsonValue, at: Path): string {
  const it = tcs.iter();
  const tat = new Path(at, ".tool_calls.", 0);
  while (it.next()) {
    const tc = it.value;
    tat.idx = it.index;
    const idProblem = toolCallIdProblem(tc, tat);
    if (idProblem.length) return idProblem;
    const id = tc.get("id")!;
    const fn = tc.get("function");
    const name = fn != null && fn.isObject() ? fn.get("name") : null;
    if (name == null || !name.isString() || isEmptyString(name)) return tat.s() + ".function.name: must be a non-empty string";
    w.beginObject().key("toolUse").beginObject().key("toolUseId").raw(id).key("name").raw(name).key("input");
    writeToolArguments(w, fn!.get("arguments"));
    w.endObject().endObject();
  }
  return "";
}

/** A tool message → {toolResult:{toolUseId, content:[{text}]}} (text parts joined by "\n"). */
function writeToolResult(w: JsonWriter, m: JsonValue, at: Path): string {
  const id = m.get("tool_call_id");
  if (id == null || !id.isString() || isEmptyString(id)) return at.s() + ".tool_call_id: must be a non-empty string";
  w.beginObject().key("toolResult").beginObject().key("toolUseId").raw(id).key("content").beginArray().beginObject().key("text");
  if (!writeToolResultText(w, m.get("content"))) return at.s() + ".content: must be a string or an array of text parts";
  w.endObject().endArray().endObject().endObject();
  return "";
}

/**
 * system/developer messages → system: one text block per text (and a cachePoint after a part with cache_control), and
 * `cache`'s point at the end when it names the system prompt.
 */
function writeSystem(w: JsonWriter, messages: JsonValue, cache: CachePlan | null): void {
  let n = 0;
  let marked = false;
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = roleOf(m);
    if (role != "system" && role != "developer") continue;
    const c = m.get("content")!;
    if (c.isString()) {
      if (isEmptyString(c)) continue;
      if (n++ == 0) w.key("system").beginArray();
      writeTextPart(w, c);
      marked = false;
      continue;
    }
    const pit = c.iter();
    while (pit.next()) {
      const p = pit.value;
      const text = p.isObject() ? p.get("text") : null;
      if (text == null || !text.isString() || isEmptyString(text)) continue;
      if (n++ == 0) w.key("system").beginArray();
      writeTextPart(w, text);
      marked = writeCachePoint(w, p);
    }
  }
  if (n == 0) return;
  if (cache !== null && (cache.positions & CACHE_POINT_SYSTEM) != 0 && !marked) w.rawString(cache.block);
  w.endArray();
}
