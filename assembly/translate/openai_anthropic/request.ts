// OpenAI Chat Completions request → Anthropic Messages request.
//
// Output keys, in this order (absent ones skipped):
//   model, max_tokens, system, messages, metadata, stop_sequences, stream, temperature, top_p,
//   top_k, thinking, output_config, tools, tool_choice
// Leading `system`/`developer` messages go into `system` (a plain string when there is exactly
// one text without cache_control, else text blocks). Later ones stay `role:"system"` messages at
// their position when the upstream model takes them there (right after a user turn), else they
// join `system`. Consecutive `tool` messages, and a user message right after them, become one
// user turn of tool_result blocks (+ the user's blocks).
// What the upstream model accepts (reasoning control, sampling, mid-conversation system) comes
// from the model traits table; fields without a counterpart are dropped and listed in
// RequestResult.dropped, or refused when they change the output (docs/field-policy.md).

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { ModelTraits, Reasoning } from "../../mapping/model-traits";
import { ANTHROPIC_VERSION_2026_10_21, readChoicesAndStream, RequestResult, startConversion, TranslateOptions, upstreamTraits, writeStopSequences } from "../common";
import { Path, imageUrlOf, keyIn, isEmptyString, isTextOnly, kindName, partText, pushStringInner, roleOf, toolCallIdProblem, typeOf, writeCompact, writeToolArguments } from "../util";

const MIN_THINKING_BUDGET: i64 = 1024;

/** Converts; never traps. Malformed input → RequestResult.failure(400, message). */
export function openaiToAnthropicRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const head = readChoicesAndStream(root, res, "Anthropic-protocol upstreams");
  if (head !== null) return head;

  // max_tokens: Anthropic requires it.
  let maxTokensV = root.get("max_completion_tokens");
  if (maxTokensV == null || maxTokensV.isNull()) maxTokensV = root.get("max_tokens");
  let maxTokens: i64 = opts.defaultMaxTokens;
  if (maxTokensV != null && !maxTokensV.isNull()) {
    if (!maxTokensV.isNumber()) return RequestResult.failure(400, "max_tokens: must be an integer");
    maxTokens = maxTokensV.asI64(opts.defaultMaxTokens);
    if (maxTokens < 1) return RequestResult.failure(400, "max_tokens: must be at least 1");
  }

  // Validate every message before writing anything.
  let it = messages.iter();
  while (it.next()) {
    const err = checkMessage(it.value, it.index);
    if (err.length) return RequestResult.failure(400, err);
  }

  const traits = upstreamTraits(opts, res.upstreamModel, true);
  const err = checkTopLevel(root, opts, res);
  if (err.length) return RequestResult.failure(400, err);

  // Thinking: an explicit Anthropic `thinking` object wins, else reasoning_effort maps to what the model takes.
  const reasoning = new ReasoningPlan();
  const th = root.get("thinking");
  if (th != null && th.isObject()) reasoning.raw = th;
  else {
    const problem = planReasoning(root.get("reasoning_effort"), traits, maxTokens, messages, reasoning, res);
    if (problem.length) return RequestResult.failure(400, problem);
  }
  const thinkingOn = reasoning.raw != null ? !typeOf(reasoning.raw!).startsWith("disabled") : reasoning.budget > 0 || reasoning.adaptive;

  const rf = root.get("response_format");
  let schema: JsonValue | null = null;
  if (rf != null && !rf.isNull()) {
    if (!rf.isObject()) return RequestResult.failure(400, "response_format: must be an object");
    const t = typeOf(rf);
    if (t == "json_schema") {
      const js = rf.get("json_schema");
      const sc = js != null && js.isObject() ? js.get("schema") : null;
      if (sc == null || !sc.isObject()) return RequestResult.failure(400, "response_format.json_schema.schema: must be an object");
      schema = sc;
    } else if (t == "json_object") {
      // Anthropic's structured output needs a schema; "any JSON object" has no counterpart.
      if (!opts.dropUnsupported) return RequestResult.failure(400, "response_format: type \"json_object\" has no counterpart on an Anthropic-protocol upstream; use \"json_schema\" with a schema (or the provider's dropUnsupportedParams drops it)");
      res.drop("response_format");
    } else if (t != "text") return RequestResult.failure(400, "response_format.type: must be text, json_schema or json_object");
  }

  const w = new JsonWriter(body.length + 512, true);
  w.beginObject();
  w.fieldString("model", res.upstreamModel);
  w.key("max_tokens");
  if (maxTokensV != null && maxTokensV.isNumber() && maxTokensV.isInteger()) w.raw(maxTokensV); else w.int(maxTokens);

  const inline = inlineSystemMessages(messages, traits.midSystem);
  writeSystem(w, messages, inline);
  w.key("messages").beginArray();
  writeMessages(w, messages, inline);
  w.endArray();

  const user = root.get("user");
  if (user != null && user.isString() && !isEmptyString(user)) w.key("metadata").beginObject().key("user_id").raw(user).endObject();

  writeStopSequences(w, root.get("stop"), "stop_sequences", i32.MAX_VALUE, res);
  if (res.stream) w.fieldBool("stream", true);

  // Sampling: Anthropic's temperature range is 0..1. Thinking, models that no longer take sampling
  // parameters and API version 2026-10-21 leave them out (announced).
  const sampling = !thinkingOn && traits.sampling && opts.anthropicVersion != ANTHROPIC_VERSION_2026_10_21;
  const temp = root.get("temperature");
  if (temp != null && temp.isNumber()) {
    if (!sampling) res.drop("temperature");
    else if (temp.asF64(0) > 1.0) w.fieldInt("temperature", 1); else w.key("temperature").raw(temp);
  }
  const topP = root.get("top_p");
  if (topP != null && topP.isNumber()) {
    if (sampling) w.key("top_p").raw(topP); else res.drop("top_p");
  }
  const topK = root.get("top_k");
  if (topK != null && topK.isNumber()) {
    if (sampling) w.key("top_k").raw(topK); else res.drop("top_k");
  }
  if (reasoning.raw != null) { w.key("thinking"); writeCompact(w, reasoning.raw!); }
  else if (reasoning.adaptive) w.key("thinking").beginObject().fieldString("type", "adaptive").endObject();
  else if (reasoning.budget > 0) w.key("thinking").beginObject().fieldString("type", "enabled").fieldInt("budget_tokens", reasoning.budget).endObject();
  if (reasoning.effort.length > 0 || schema != null) {
    w.key("output_config").beginObject();
    if (reasoning.effort.length > 0) w.fieldString("effort", reasoning.effort);
    if (schema != null) {
      w.key("format").beginObject().fieldString("type", "json_schema").key("schema");
      writeCompact(w, schema);
      w.endObject();
    }
    w.endObject();
  }

  const toolsV = root.get("tools");
  let tools = 0;
  if (toolsV != null && toolsV.isArray()) {
    const tit = toolsV.iter();
    while (tit.next()) {
      const t = tit.value;
      if (!t.isObject()) return RequestResult.failure(400, "tools." + tit.index.toString() + ": must be an object");
      const fn = t.get("function");
      if (fn == null || !fn.isObject()) {
        // Custom (free-form grammar) tools have no Anthropic counterpart.
        if (!opts.dropUnsupported) return RequestResult.failure(400, "tools." + tit.index.toString() + ".type: tool type \"" + typeOf(t) + "\" has no counterpart on an Anthropic-protocol upstream (the provider's dropUnsupportedParams drops it instead)");
        res.drop("tools." + typeOf(t));
        continue;
      }
      const name = fn.get("name");
      if (name == null || !name.isString() || isEmptyString(name)) return RequestResult.failure(400, "tools." + tit.index.toString() + ".function.name: must be a non-empty string");
      if (tools == 0) w.key("tools").beginArray();
      w.beginObject().key("name").raw(name);
      const desc = fn.get("description");
      if (desc != null && desc.isString()) w.key("description").raw(desc);
      const params = fn.get("parameters");
      w.key("input_schema");
      if (params != null && params.isObject()) writeCompact(w, params);
      else w.rawString("{\"type\":\"object\",\"properties\":{}}");
      const strict = fn.get("strict");
      if (strict != null && strict.isBool()) w.fieldBool("strict", strict.asBool(false));
      const cc = t.get("cache_control");
      if (cc != null && cc.isObject()) { w.key("cache_control"); writeCompact(w, cc); }
      w.endObject();
      tools++;
    }
    if (tools > 0) w.endArray();
  } else if (toolsV != null && !toolsV.isNull()) return RequestResult.failure(400, "tools: must be an array");

  if (tools > 0) {
    const tc = root.get("tool_choice");
    const ptc = root.get("parallel_tool_calls");
    const noParallel = ptc != null && ptc.isBool() && !ptc.asBool(true);
    let type = "auto";
    let name: JsonValue | null = null;
    if (tc != null && tc.isString()) {
      if (tc.equals("required")) type = "any";
      else if (tc.equals("none")) type = "none";
      else if (!tc.equals("auto")) return RequestResult.failure(400, "tool_choice: must be auto, required, none or a function");
    } else if (tc != null && tc.isObject()) {
      const fn = tc.get("function");
      const n = fn != null && fn.isObject() ? fn.get("name") : null;
      if (n == null || !n.isString() || isEmptyString(n)) return RequestResult.failure(400, "tool_choice.function.name: must be a non-empty string");
      type = "tool";
      name = n;
    } else if (tc != null && !tc.isNull()) return RequestResult.failure(400, "tool_choice: must be a string or an object");
    if (tc != null && !tc.isNull() || noParallel) {
      w.key("tool_choice").beginObject().fieldString("type", type);
      if (name != null) w.key("name").raw(name);
      if (noParallel && type != "none") w.fieldBool("disable_parallel_tool_use", true);
      w.endObject();
    }
  }
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** What reasoning_effort becomes for the upstream model. */
export class ReasoningPlan {
  /** An explicit Anthropic `thinking` object sent by the client (forwarded as is). */
  raw: JsonValue | null = null;
  /** thinking {type:"enabled", budget_tokens} when > 0. */
  budget: i64 = 0;
  /** thinking {type:"adaptive"}. */
  adaptive: bool = false;
  /** output_config.effort ("" none). */
  effort: string = "";
}

const OPENAI_EFFORTS: Array<string> = ["none", "minimal", "low", "medium", "high", "xhigh"];

/**
 * reasoning_effort → Anthropic: adaptive models get thinking {type:"adaptive"} and the nearest
 * output_config.effort; budget models a budget by level (1024 / 2048 / 4096 / 8192, below max_tokens);
 * "none" turns thinking off. Thinking stays off when the last assistant tool turn lacks its thinking
 * blocks (Anthropic would reject the request); the effort still applies.
 */
export function planReasoning(effortV: JsonValue | null, traits: ModelTraits, maxTokens: i64, messages: JsonValue, plan: ReasoningPlan, res: RequestResult): string {
  if (effortV == null || effortV.isNull()) return "";
  if (!effortV.isString() || !OPENAI_EFFORTS.includes(effortV.str())) return "reasoning_effort: must be one of " + OPENAI_EFFORTS.join(", ");
  const effort = effortV.str();
  if (effort == "none") return "";
  const blocked = lastToolTurnLacksThinking(messages);
  if (traits.reasoning == Reasoning.Adaptive) {
    plan.effort = traits.nearestEffort(effort);
    plan.adaptive = !blocked;
    return "";
  }
  if (traits.reasoning != Reasoning.Budget) {
    res.drop("reasoning_effort");
    return "";
  }
  let budget: i64 = effort == "medium" ? 2048 : effort == "high" ? 4096 : effort == "xhigh" ? 8192 : 1024;
  if (budget >= maxTokens) budget = maxTokens - 1;
  if (budget < MIN_THINKING_BUDGET || blocked) budget = 0;
  plan.budget = budget;
  return "";
}

/** Top-level fields this converter maps (`n` is checked first). */
const MAPPED_FIELDS: Array<string> = [
  "model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options", "temperature", "top_p", "top_k",
  "stop", "tools", "tool_choice", "parallel_tool_calls", "user", "reasoning_effort", "response_format", "thinking", "n",
];
/** Change what the model produces and have no Anthropic counterpart: refused unless dropUnsupportedParams. */
const REFUSED_FIELDS: Array<string> = [
  "frequency_penalty", "presence_penalty", "logit_bias", "functions", "function_call", "web_search_options", "verbosity",
  "modalities", "audio",
];

function checkTopLevel(root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const it = root.iter();
  while (it.next()) {
    // Most bodies carry only mapped fields: compare the raw keys, decode only the others.
    if (it.value.isNull() || keyIn(it.key!, MAPPED_FIELDS)) continue;
    const k = it.key!.str();
    const v = it.value;
    // Defaults that ask for nothing are no loss.
    if ((k == "frequency_penalty" || k == "presence_penalty") && v.isNumber() && v.asF64(1) == 0) continue;
    if ((k == "logprobs" || k == "store") && v.isBool() && !v.asBool(true)) continue;
    if (k == "modalities" && isTextOnly(v)) continue;
    if (k == "logit_bias" && v.isObject() && v.length == 0) continue;
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) {
      return k + ": has no counterpart on an Anthropic-protocol upstream (the provider's dropUnsupportedParams drops it instead)";
    }
    res.drop(k);
  }
  return "";
}

function checkMessage(m: JsonValue, i: i32): string {
  const at = new Path(null, "messages.", i);
  if (!m.isObject()) return at.s() + ": must be an object";
  const role = roleOf(m);
  const content = m.get("content");
  if (role == "system" || role == "developer" || role == "user") {
    if (content == null || !(content.isString() || content.isArray())) return at.s() + ".content: must be a string or an array of content parts, got " + kindName(content);
    if (content.isArray()) return checkParts(content, new Path(at, ".content"), role == "user");
    return "";
  }
  if (role == "assistant") {
    if (content != null && !(content.isString() || content.isArray() || content.isNull())) return at.s() + ".content: must be a string, an array or null";
    const tcs = m.get("tool_calls");
    if (tcs != null && !tcs.isNull()) {
      if (!tcs.isArray()) return at.s() + ".tool_calls: must be an array";
      const it = tcs.iter();
      const tat = new Path(at, ".tool_calls.", 0);
      while (it.next()) {
        const tc = it.value;
        tat.idx = it.index;
        const idProblem = toolCallIdProblem(tc, tat);
        if (idProblem.length) return idProblem;
        const fn = tc.get("function");
        if (fn == null || !fn.isObject()) return tat.s() + ".function: must be an object";
        const name = fn.get("name");
        if (name == null || !name.isString() || isEmptyString(name)) return tat.s() + ".function.name: must be a non-empty string";
      }
    }
    return "";
  }
  if (role == "tool") {
    const id = m.get("tool_call_id");
    if (id == null || !id.isString() || isEmptyString(id)) return at.s() + ".tool_call_id: must be a non-empty string";
    if (content != null && !(content.isString() || content.isArray() || content.isNull())) return at.s() + ".content: must be a string or an array of text parts";
    if (content != null && content.isArray()) return checkParts(content, new Path(at, ".content"), false);
    return "";
  }
  return at.s() + ".role: must be system, developer, user, assistant or tool";
}

function checkParts(parts: JsonValue, at: Path, allowMedia: bool): string {
  const it = parts.iter();
  const pat = new Path(at, ".", 0);
  while (it.next()) {
    const p = it.value;
    pat.idx = it.index;
    if (!p.isObject()) return pat.s() + ": must be an object";
    const t = typeOf(p);
    if (t == "text") {
      const text = p.get("text");
      if (text == null || !text.isString()) return pat.s() + ".text: must be a string";
    } else if (t == "image_url" && allowMedia) {
      if (imageUrlOf(p) == null) return pat.s() + ".image_url.url: must be a string";
    } else if (t == "file" && allowMedia) {
      const f = p.get("file");
      const data = f != null && f.isObject() ? f.get("file_data") : null;
      if (data == null || !data.isString() || !startsWithAscii(data, "data:")) return pat.s() + ".file: only inline file_data (data: URL) can be sent to Anthropic-protocol upstreams";
    } else if (t == "input_audio") {
      return pat.s() + ": audio input is not supported by Anthropic-protocol upstreams";
    }
  }
  return "";
}

/** Whether string token `v`'s contents start with ASCII `prefix`. */
function startsWithAscii(v: JsonValue, prefix: string): bool {
  const s = v.start + 1;
  if (v.end - 1 - s < prefix.length) return false;
  const src = v.source;
  for (let i = 0; i < prefix.length; i++) if (<i32>src[s + i] != prefix.charCodeAt(i)) return false;
  return true;
}

function lastToolTurnLacksThinking(messages: JsonValue): bool {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages.at(i);
    if (m == null || !m.isObject() || roleOf(m) != "assistant") continue;
    const tcs = m.get("tool_calls");
    if (tcs == null || !tcs.isArray() || tcs.length == 0) return false;
    const tb = m.get("thinking_blocks");
    return tb == null || !tb.isArray() || tb.length == 0;
  }
  return false;
}

// ---------------------------------------------------------------- system

function isSystemRole(role: string): bool { return role == "system" || role == "developer"; }

/**
 * Which system/developer messages stay inside the conversation: with a model that takes them there,
 * those after the first non-system message whose previous non-system message is a user (or tool) turn.
 */
function inlineSystemMessages(messages: JsonValue, midSystem: bool): Array<bool> {
  const n = messages.length;
  const out = new Array<bool>(n);
  if (!midSystem) return out;
  let prev = "";
  const it = messages.iter();
  while (it.next()) {
    const role = roleOf(it.value);
    if (isSystemRole(role)) out[it.index] = prev == "user" || prev == "tool";
    else prev = role;
  }
  return out;
}

function writeSystem(w: JsonWriter, messages: JsonValue, inline: Array<bool>): void {
  // Count texts and whether any carries cache_control, to pick the string or block form.
  let texts = 0;
  let cached = false;
  let single: JsonValue | null = null;
  let it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = roleOf(m);
    if (!isSystemRole(role) || inline[it.index]) continue;
    const c = m.get("content")!;
    if (c.isString()) { if (!isEmptyString(c)) { texts++; single = c; } continue; }
    const pit = c.iter();
    while (pit.next()) {
      const p = pit.value;
      if (typeOf(p) != "text") continue;
      const t = p.get("text")!;
      if (isEmptyString(t)) continue;
      texts++;
      single = t;
      if (p.has("cache_control")) cached = true;
    }
  }
  if (texts == 0) return;
  if (texts == 1 && !cached) { w.key("system").raw(single!); return; }
  w.key("system").beginArray();
  it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = roleOf(m);
    if (!isSystemRole(role) || inline[it.index]) continue;
    const c = m.get("content")!;
    if (c.isString()) {
      if (!isEmptyString(c)) w.beginObject().fieldString("type", "text").key("text").raw(c).endObject();
      continue;
    }
    writeTextParts(w, c);
  }
  w.endArray();
}

/** Text parts (with their cache_control) as Anthropic text blocks; empty texts skipped. */
function writeTextParts(w: JsonWriter, parts: JsonValue): i32 {
  let n = 0;
  const it = parts.iter();
  while (it.next()) {
    const p = it.value;
    if (typeOf(p) != "text") continue;
    const t = p.get("text")!;
    if (isEmptyString(t)) continue;
    w.beginObject().fieldString("type", "text").key("text").raw(t);
    writeCacheControl(w, p);
    w.endObject();
    n++;
  }
  return n;
}

function writeCacheControl(w: JsonWriter, p: JsonValue): void {
  const cc = p.get("cache_control");
  if (cc != null && cc.isObject()) { w.key("cache_control"); writeCompact(w, cc); }
}

// ---------------------------------------------------------------- messages

function writeMessages(w: JsonWriter, messages: JsonValue, inline: Array<bool>): void {
  let userTurnOpen = false; // a user turn of tool_result blocks is open
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = roleOf(m);
    if (isSystemRole(role)) {
      if (!inline[it.index]) continue;
      if (userTurnOpen) { w.endArray().endObject(); userTurnOpen = false; }
      writeInlineSystem(w, m.get("content")!);
      continue;
    }
    if (role == "tool") {
      if (!userTurnOpen) { w.beginObject().fieldString("role", "user").key("content").beginArray(); userTurnOpen = true; }
      writeToolResult(w, m);
      continue;
    }
    if (role == "user") {
      if (userTurnOpen) {
        writeUserContentBlocks(w, m.get("content")!);
        w.endArray().endObject();
        userTurnOpen = false;
        continue;
      }
      writeUser(w, m);
      continue;
    }
    if (userTurnOpen) { w.endArray().endObject(); userTurnOpen = false; }
    writeAssistant(w, m);
  }
  if (userTurnOpen) w.endArray().endObject();
}

/** A system message at its position in the conversation (Anthropic's mid-conversation system message). */
function writeInlineSystem(w: JsonWriter, c: JsonValue): void {
  w.beginObject().fieldString("role", "system").key("content");
  if (c.isString()) w.raw(c);
  else {
    w.beginArray();
    writeTextParts(w, c);
    w.endArray();
  }
  w.endObject();
}

function writeToolResult(w: JsonWriter, m: JsonValue): void {
  w.beginObject().fieldString("type", "tool_result").key("tool_use_id").raw(m.get("tool_call_id")!).key("content");
  const c = m.get("content");
  if (c == null || c.isNull()) w.string("");
  else if (c.isString()) w.raw(c);
  else {
    w.beginArray();
    writeTextParts(w, c);
    w.endArray();
  }
  w.endObject();
}

function writeUser(w: JsonWriter, m: JsonValue): void {
  const c = m.get("content")!;
  if (c.isString()) {
    w.beginObject().fieldString("role", "user").key("content").raw(c).endObject();
    return;
  }
  if (countUserBlocks(c) == 0) return;
  w.beginObject().fieldString("role", "user").key("content").beginArray();
  writeUserContentBlocks(w, c);
  w.endArray().endObject();
}

function countUserBlocks(c: JsonValue): i32 {
  let n = 0;
  const it = c.iter();
  while (it.next()) {
    const t = typeOf(it.value);
    if (t == "text") { if (!isEmptyString(it.value.get("text")!)) n++; }
    else if (t == "image_url" || t == "file") n++;
  }
  return n;
}

/** A user message's content as Anthropic blocks (string → one text block). */
function writeUserContentBlocks(w: JsonWriter, c: JsonValue): void {
  if (c.isString()) {
    if (!isEmptyString(c)) w.beginObject().fieldString("type", "text").key("text").raw(c).endObject();
    return;
  }
  const it = c.iter();
  while (it.next()) {
    const p = it.value;
    const t = typeOf(p);
    if (t == "text") {
      const text = p.get("text")!;
      if (isEmptyString(text)) continue;
      w.beginObject().fieldString("type", "text").key("text").raw(text);
      writeCacheControl(w, p);
      w.endObject();
    } else if (t == "image_url") {
      const url = imageUrlOf(p)!;
      w.beginObject().fieldString("type", "image").key("source");
      writeMediaSource(w, url, "url");
      writeCacheControl(w, p);
      w.endObject();
    } else if (t == "file") {
      const data = p.get("file")!.get("file_data")!;
      w.beginObject().fieldString("type", "document").key("source");
      writeMediaSource(w, data, "");
      writeCacheControl(w, p);
      w.endObject();
    }
  }
}

/**
 * A data URL (`data:<type>;base64,<data>`) → {"type":"base64","media_type","data"}; anything else →
 * {"type":"url","url"} (images) — `urlType` "" means data URLs only (documents).
 */
function writeMediaSource(w: JsonWriter, url: JsonValue, urlType: string): void {
  const src = url.source;
  const s = url.start + 1, e = url.end - 1;
  if (startsWithAscii(url, "data:")) {
    let semi = -1, comma = -1;
    for (let i = s + 5; i < e; i++) {
      const c = src[i];
      if (c == 0x3B && semi < 0) semi = i;
      if (c == 0x2C) { comma = i; break; }
    }
    if (comma > 0) {
      const mtEnd = semi > 0 ? semi : comma;
      w.beginObject().fieldString("type", "base64").key("media_type").openString();
      w.buf.pushSlice(src, s + 5, mtEnd);
      w.closeString().key("data").openString();
      w.buf.pushSlice(src, comma + 1, e);
      w.closeString().endObject();
      return;
    }
  }
  w.beginObject().fieldString("type", urlType.length ? urlType : "url").key("url").raw(url).endObject();
}

function writeAssistant(w: JsonWriter, m: JsonValue): void {
  const c = m.get("content");
  const tcs = m.get("tool_calls");
  const tb = m.get("thinking_blocks");
  const hasTools = tcs != null && tcs.isArray() && tcs.length > 0;
  let thinking = 0;
  if (tb != null && tb.isArray()) {
    const it = tb.iter();
    while (it.next()) {
      const t = typeOf(it.value);
      if (t == "thinking" || t == "redacted_thinking") thinking++;
    }
  }
  if (!hasTools && thinking == 0) {
    if (c != null && c.isString()) {
      if (!isEmptyString(c)) w.beginObject().fieldString("role", "assistant").key("content").raw(c).endObject();
      return;
    }
    if (c == null || !c.isArray() || countAssistantParts(c) == 0) return;
  }
  w.beginObject().fieldString("role", "assistant").key("content").beginArray();
  if (thinking > 0) {
    const it = tb!.iter();
    while (it.next()) {
      const t = typeOf(it.value);
      if (t == "thinking" || t == "redacted_thinking") writeCompact(w, it.value);
    }
  }
  if (c != null && c.isString()) {
    if (!isEmptyString(c)) w.beginObject().fieldString("type", "text").key("text").raw(c).endObject();
  } else if (c != null && c.isArray()) {
    const it = c.iter();
    while (it.next()) {
      const p = it.value;
      if (!p.isObject()) continue;
      const text = partText(p);
      if (text == null || !text.isString() || isEmptyString(text)) continue;
      w.beginObject().fieldString("type", "text").key("text").raw(text);
      writeCacheControl(w, p);
      w.endObject();
    }
  }
  if (hasTools) {
    const it = tcs!.iter();
    while (it.next()) {
      const tc = it.value;
      const fn = tc.get("function")!;
      w.beginObject().fieldString("type", "tool_use").key("id").raw(tc.get("id")!).key("name").raw(fn.get("name")!).key("input");
      writeToolArguments(w, fn.get("arguments"));
      w.endObject();
    }
  }
  w.endArray().endObject();
}

function countAssistantParts(c: JsonValue): i32 {
  let n = 0;
  const it = c.iter();
  while (it.next()) {
    const p = it.value;
    if (!p.isObject()) continue;
    const text = partText(p);
    if (text != null && text.isString() && !isEmptyString(text)) n++;
  }
  return n;
}
