// OpenAI Responses request (POST /v1/responses) → OpenAI Chat Completions request, for upstreams that speak Chat
// only (and, chained with openai_anthropic/request.ts, for Anthropic upstreams). Stateless: what needs the
// upstream to keep responses (previous_response_id, conversation, item_reference, background, stored prompts)
// is refused with a 400 that says so. Reference: https://platform.openai.com/docs/api-reference/responses/create
//
// Output keys, in this order (absent ones skipped):
//   model, messages, max_tokens|max_completion_tokens, temperature, top_p, frequency_penalty, presence_penalty,
//   logprobs, top_logprobs, reasoning_effort, response_format, stream, stream_options, tools, tool_choice,
//   parallel_tool_calls, user
// Messages: `instructions` first as a system message, then the input items in order. An assistant message, the
// reasoning item before it and the function_call items after it make one assistant message (content,
// reasoning_content, tool_calls); function_call_output items become `role:"tool"` messages.

import { ByteBuffer } from "../../bytes/buffer";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Reasoning } from "../../mapping/model-traits";
import { readModel, readRequestBody, RequestResult, TranslateOptions, upstreamTraits } from "../common";
import { reasoningMode, REASONING_PASSTHROUGH } from "../usage";
import { compactBytes, isEmptyString, kindName, pushStringInner, typeOf, writeCompact } from "../util";
import { parseJson } from "../../json/parse";

/** Top-level fields that need state the gateway does not keep (nor does a Chat Completions upstream). */
const STATEFUL: Array<string> = ["previous_response_id", "conversation", "prompt"];

/**
 * Converts; never traps; sets `opts.responsesEcho`. Malformed input → RequestResult.failure(400, message). `anthropicNext`: the result is
 * converted on to Anthropic Messages, so reasoning and sampling are left for that converter to judge against the
 * Anthropic model's traits.
 */
export function responsesToChatRequest(body: Uint8Array, opts: TranslateOptions, anthropicNext: bool = false): RequestResult {
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) return read.failure!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");
  for (let i = 0; i < STATEFUL.length; i++) {
    const v = root.get(STATEFUL[i]);
    if (v != null && !v.isNull()) {
      return RequestResult.failure(400, STATEFUL[i] + ": this gateway converts the Responses API to a provider that keeps no responses; send the whole conversation in `input` instead");
    }
  }
  const bg = root.get("background");
  if (bg != null && bg.asBool(false)) return RequestResult.failure(400, "background: background responses need an upstream that keeps responses; this provider's requests are converted");
  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);

  const w = new JsonWriter(body.length + 512);
  w.beginObject();
  w.fieldString("model", res.upstreamModel);
  w.key("messages").beginArray();
  const instructions = root.get("instructions");
  if (instructions != null && !instructions.isNull()) {
    if (!instructions.isString()) return RequestResult.failure(400, "instructions: must be a string");
    if (!isEmptyString(instructions)) w.beginObject().fieldString("role", "system").key("content").raw(instructions).endObject();
  }
  const input = root.get("input");
  let err = "";
  if (input == null || input.isNull()) return RequestResult.failure(400, "input: field required");
  if (input.isString()) w.beginObject().fieldString("role", "user").key("content").raw(input).endObject();
  else if (input.isArray()) err = writeItems(w, input, opts, res);
  else return RequestResult.failure(400, "input: must be a string or an array of input items, got " + kindName(input));
  if (err.length) return RequestResult.failure(400, err);
  w.endArray();

  const maxOut = root.get("max_output_tokens");
  if (maxOut != null && !maxOut.isNull()) {
    if (!maxOut.isNumber()) return RequestResult.failure(400, "max_output_tokens: must be an integer");
    w.key(opts.maxTokensField == "max_completion_tokens" ? "max_completion_tokens" : "max_tokens").raw(maxOut);
  }
  const traits = upstreamTraits(opts, res.upstreamModel, false);
  const sampling = anthropicNext || traits.sampling;
  const NUMBERS: Array<string> = ["temperature", "top_p", "frequency_penalty", "presence_penalty"];
  for (let i = 0; i < NUMBERS.length; i++) {
    const v = root.get(NUMBERS[i]);
    if (v == null || v.isNull()) continue;
    if (!v.isNumber()) return RequestResult.failure(400, NUMBERS[i] + ": must be a number");
    if (sampling || i >= 2) w.key(NUMBERS[i]).raw(v); else res.drop(NUMBERS[i]);
  }
  const topLogprobs = root.get("top_logprobs");
  if (topLogprobs != null && !topLogprobs.isNull()) {
    if (!topLogprobs.isNumber()) return RequestResult.failure(400, "top_logprobs: must be an integer");
    if (topLogprobs.asI64() > 0) w.fieldBool("logprobs", true).key("top_logprobs").raw(topLogprobs);
  }

  const reasoning = root.get("reasoning");
  if (reasoning != null && !reasoning.isNull()) {
    if (!reasoning.isObject()) return RequestResult.failure(400, "reasoning: must be an object");
    const effort = reasoning.get("effort");
    if (effort != null && !effort.isNull()) {
      if (!effort.isString()) return RequestResult.failure(400, "reasoning.effort: must be a string");
      if (anthropicNext) w.key("reasoning_effort").raw(effort);
      else {
        const level = traits.reasoning == Reasoning.Effort ? traits.nearestEffort(effort.str()) : "";
        if (level.length > 0) w.fieldString("reasoning_effort", level); else res.drop("reasoning.effort");
      }
    }
  }
  const text = root.get("text");
  if (text != null && !text.isNull()) {
    if (!text.isObject()) return RequestResult.failure(400, "text: must be an object");
    err = writeTextFormat(w, text.get("format"));
    if (err.length) return RequestResult.failure(400, err);
    const verbosity = text.get("verbosity");
    if (verbosity != null && !verbosity.isNull()) res.drop("text.verbosity");
  }

  if (res.stream) {
    w.fieldBool("stream", true);
    // The usage chunk fills response.completed's usage; the client never sees Chat chunks.
    if (opts.includeUsage || anthropicNext) w.key("stream_options").beginObject().fieldBool("include_usage", true).endObject();
  }

  const tools = root.get("tools");
  let toolCount = 0;
  if (tools != null && !tools.isNull()) {
    if (!tools.isArray()) return RequestResult.failure(400, "tools: must be an array");
    const tt = tools.iter();
    while (tt.next()) {
      const t = tt.value;
      const at = "tools[" + tt.index.toString() + "]";
      if (!t.isObject()) return RequestResult.failure(400, at + ": must be an object");
      const type = typeOf(t);
      if (type != "function") {
        // Hosted tools (web_search, file_search, code_interpreter, mcp, ...) run at OpenAI only.
        if (opts.dropUnsupported) { res.drop("tools." + type); continue; }
        return RequestResult.failure(400, at + ": tool type \"" + type + "\" runs only on providers that serve the Responses API natively; only function tools convert");
      }
      const name = t.get("name");
      if (name == null || !name.isString()) return RequestResult.failure(400, at + ".name: must be a string");
      if (toolCount == 0) w.key("tools").beginArray();
      toolCount++;
      w.beginObject().fieldString("type", "function").key("function").beginObject().key("name").raw(name);
      const desc = t.get("description");
      if (desc != null && desc.isString()) w.key("description").raw(desc);
      const params = t.get("parameters");
      if (params != null && params.isObject()) { w.key("parameters"); writeCompact(w, params); }
      const strict = t.get("strict");
      if (strict != null && strict.isBool()) w.key("strict").raw(strict);
      w.endObject().endObject();
    }
    if (toolCount > 0) w.endArray();
  }
  const choice = root.get("tool_choice");
  if (choice != null && !choice.isNull() && toolCount > 0) {
    err = writeToolChoice(w, choice, opts, res);
    if (err.length) return RequestResult.failure(400, err);
  }
  const parallel = root.get("parallel_tool_calls");
  if (parallel != null && parallel.isBool() && toolCount > 0) w.key("parallel_tool_calls").raw(parallel);
  const user = root.get("user");
  const safety = root.get("safety_identifier");
  if (user != null && user.isString() && !isEmptyString(user)) w.key("user").raw(user);
  else if (safety != null && safety.isString() && !isEmptyString(safety)) w.key("user").raw(safety);
  w.endObject();

  opts.responsesEcho = echoOf(root);
  res.ok = true;
  res.body = w.take();
  return res;
}

/** One assistant turn being gathered from consecutive items (reasoning, message, function calls). */
class AssistantTurn {
  open: bool = false;
  content: ByteBuffer = new ByteBuffer(64);
  hasContent: bool = false;
  refusal: ByteBuffer = new ByteBuffer(0);
  reasoning: ByteBuffer = new ByteBuffer(0);
  /** Signed thinking blocks carried in a reasoning item's encrypted_content (a JSON array), for Claude. */
  thinkingBlocks: Uint8Array | null = null;
  calls: JsonWriter = new JsonWriter(64);
  callCount: i32 = 0;
}

function writeItems(w: JsonWriter, input: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const turn = new AssistantTurn();
  const it = input.iter();
  while (it.next()) {
    const item = it.value;
    const at = "input[" + it.index.toString() + "]";
    if (!item.isObject()) return at + ": must be an object";
    let type = typeOf(item);
    if (type.length == 0 && item.has("role")) type = "message";
    let err = "";
    if (type == "message") {
      const role = item.get("role");
      if (role == null || !role.isString()) return at + ".role: must be a string";
      if (role.equals("assistant")) {
        // A second assistant message (or one after tool calls) starts a new turn.
        if (turn.hasContent || turn.callCount > 0) flushAssistant(w, turn, opts);
        err = gatherAssistant(turn, item, at);
      }
      else {
        flushAssistant(w, turn, opts);
        err = writeMessage(w, item, role, at);
      }
    } else if (type == "function_call") {
      err = gatherCall(turn, item, at);
    } else if (type == "reasoning") {
      if (turn.open && (turn.hasContent || turn.callCount > 0)) flushAssistant(w, turn, opts);
      gatherReasoning(turn, item);
    } else if (type == "function_call_output") {
      flushAssistant(w, turn, opts);
      err = writeToolOutput(w, item, at);
    } else if (type == "item_reference") {
      return at + ": item_reference needs stored responses; this provider's requests are converted and keep none, so send the item itself";
    } else {
      return at + ": input item type \"" + type + "\" converts only to providers that serve the Responses API natively";
    }
    if (err.length) return err;
  }
  flushAssistant(w, turn, opts);
  return "";
}

function writeMessage(w: JsonWriter, item: JsonValue, role: JsonValue, at: string): string {
  if (!(role.equals("user") || role.equals("system") || role.equals("developer"))) return at + ".role: must be user, assistant, system or developer";
  const content = item.get("content");
  w.beginObject().key("role").raw(role).key("content");
  if (content != null && content.isString()) w.raw(content);
  else if (content != null && content.isArray()) {
    w.beginArray();
    const pt = content.iter();
    while (pt.next()) {
      const err = writeInputPart(w, pt.value, at + ".content[" + pt.index.toString() + "]");
      if (err.length) return err;
    }
    w.endArray();
  } else return at + ".content: must be a string or an array of content parts";
  w.endObject();
  return "";
}

/** input_text / input_image / input_file → Chat text / image_url / file parts. */
function writeInputPart(w: JsonWriter, p: JsonValue, at: string): string {
  if (!p.isObject()) return at + ": must be an object";
  const type = typeOf(p);
  if (type == "input_text" || type == "output_text" || type == "text") {
    const t = p.get("text");
    if (t == null || !t.isString()) return at + ".text: must be a string";
    w.beginObject().fieldString("type", "text").key("text").raw(t).endObject();
    return "";
  }
  if (type == "input_image") {
    const url = p.get("image_url");
    if (url == null || !url.isString()) {
      if (p.has("file_id")) return at + ".file_id: uploaded files live at OpenAI; send the image as image_url (a URL or a data: URL)";
      return at + ".image_url: must be a string";
    }
    w.beginObject().fieldString("type", "image_url").key("image_url").beginObject().key("url").raw(url);
    const detail = p.get("detail");
    if (detail != null && detail.isString()) w.key("detail").raw(detail);
    w.endObject().endObject();
    return "";
  }
  if (type == "input_file") {
    const data = p.get("file_data");
    const fileId = p.get("file_id");
    if (data != null && data.isString()) {
      w.beginObject().fieldString("type", "file").key("file").beginObject();
      const name = p.get("filename");
      if (name != null && name.isString()) w.key("filename").raw(name);
      w.key("file_data").raw(data).endObject().endObject();
      return "";
    }
    if (fileId != null && fileId.isString()) {
      w.beginObject().fieldString("type", "file").key("file").beginObject().key("file_id").raw(fileId).endObject().endObject();
      return "";
    }
    return at + ": input_file converts with file_data or file_id only (file_url needs the Responses API upstream)";
  }
  return at + ".type: content part \"" + type + "\" has no Chat Completions counterpart";
}

function gatherAssistant(turn: AssistantTurn, item: JsonValue, at: string): string {
  turn.open = true;
  const content = item.get("content");
  if (content != null && content.isString()) {
    pushStringInner2(turn.content, content);
    turn.hasContent = true;
  } else if (content != null && content.isArray()) {
    const pt = content.iter();
    while (pt.next()) {
      const p = pt.value;
      const pat = at + ".content[" + pt.index.toString() + "]";
      if (!p.isObject()) return pat + ": must be an object";
      const type = typeOf(p);
      if (type == "output_text" || type == "input_text" || type == "text") {
        const t = p.get("text");
        if (t == null || !t.isString()) return pat + ".text: must be a string";
        pushStringInner2(turn.content, t);
        turn.hasContent = true;
      } else if (type == "refusal") {
        const r = p.get("refusal");
        if (r != null && r.isString()) pushStringInner2(turn.refusal, r);
      } else return pat + ".type: assistant content part \"" + type + "\" has no Chat Completions counterpart";
    }
  } else if (content != null && !content.isNull()) return at + ".content: must be a string or an array of content parts";
  return "";
}

function gatherCall(turn: AssistantTurn, item: JsonValue, at: string): string {
  const callId = item.get("call_id");
  if (callId == null || !callId.isString()) return at + ".call_id: must be a string";
  const name = item.get("name");
  if (name == null || !name.isString()) return at + ".name: must be a string";
  const args = item.get("arguments");
  if (args != null && !args.isString() && !args.isNull()) return at + ".arguments: must be a string";
  turn.open = true;
  const c = turn.calls;
  c.beginObject().key("id").raw(callId).fieldString("type", "function").key("function").beginObject().key("name").raw(name).key("arguments");
  if (args != null && args.isString()) c.raw(args); else c.string("{}");
  c.endObject().endObject();
  turn.callCount++;
  return "";
}

function gatherReasoning(turn: AssistantTurn, item: JsonValue): void {
  turn.open = true;
  // encrypted_content that is this gateway's own (a JSON array of thinking blocks, see responses_chat/response.ts);
  // OpenAI's opaque blobs are not JSON and mean nothing to another provider.
  const enc = item.get("encrypted_content");
  if (enc != null && enc.isString()) {
    const blocks = parseJson(enc.strBytes()).value;
    if (blocks != null && blocks.isArray() && blocks.length > 0 && isThinkingBlocks(blocks)) turn.thinkingBlocks = compactBytes(blocks);
  }
  // Summary texts (and full reasoning text where a provider returned it) in order, blank-line separated.
  const NAMES: Array<string> = ["summary", "content"];
  for (let k = 0; k < NAMES.length; k++) {
    const parts = item.get(NAMES[k]);
    if (parts == null || !parts.isArray()) continue;
    const it = parts.iter();
    while (it.next()) {
      const p = it.value;
      if (!p.isObject()) continue;
      const t = p.get("text");
      if (t == null || !t.isString() || isEmptyString(t)) continue;
      if (turn.reasoning.length) turn.reasoning.pushString("\\n\\n");
      pushStringInner2(turn.reasoning, t);
    }
  }
}

function flushAssistant(w: JsonWriter, turn: AssistantTurn, opts: TranslateOptions): void {
  if (!turn.open) return;
  const reasoning = turn.reasoning.length > 0 && reasoningMode(opts.reasoningContentMode) == REASONING_PASSTHROUGH;
  if (turn.hasContent || turn.callCount > 0 || turn.refusal.length > 0 || reasoning || turn.thinkingBlocks !== null) {
    w.beginObject().fieldString("role", "assistant").key("content");
    if (turn.hasContent) w.openString().buf.pushBuffer(turn.content);
    if (turn.hasContent) w.closeString(); else w.null();
    if (turn.refusal.length) { w.key("refusal").openString().buf.pushBuffer(turn.refusal); w.closeString(); }
    if (reasoning) { w.key("reasoning_content").openString().buf.pushBuffer(turn.reasoning); w.closeString(); }
    const blocks = turn.thinkingBlocks;
    if (blocks !== null) w.key("thinking_blocks").rawBytes(blocks);
    if (turn.callCount > 0) { w.key("tool_calls").beginArray(); w.buf.pushBuffer(turn.calls.buf); w.endArray(); }
    w.endObject();
  }
  turn.open = false;
  turn.hasContent = false;
  turn.content.clear();
  turn.refusal.clear();
  turn.reasoning.clear();
  turn.calls.reset();
  turn.callCount = 0;
  turn.thinkingBlocks = null;
}

function isThinkingBlocks(blocks: JsonValue): bool {
  const it = blocks.iter();
  while (it.next()) {
    const b = it.value;
    if (!b.isObject()) return false;
    const t = typeOf(b);
    if (t != "thinking" && t != "redacted_thinking") return false;
  }
  return true;
}

function writeToolOutput(w: JsonWriter, item: JsonValue, at: string): string {
  const callId = item.get("call_id");
  if (callId == null || !callId.isString()) return at + ".call_id: must be a string";
  const output = item.get("output");
  w.beginObject().fieldString("role", "tool").key("tool_call_id").raw(callId).key("content");
  if (output != null && output.isString()) w.raw(output);
  else if (output != null && output.isArray()) {
    // Text parts joined; Chat tool messages carry text only.
    w.openString();
    const it = output.iter();
    let n = 0;
    while (it.next()) {
      const p = it.value;
      if (!p.isObject()) return at + ".output[" + it.index.toString() + "]: must be an object";
      const type = typeOf(p);
      if (type != "input_text" && type != "output_text" && type != "text") {
        return at + ".output[" + it.index.toString() + "]: tool output part \"" + type + "\" has no Chat Completions counterpart (text only)";
      }
      const t = p.get("text");
      if (t == null || !t.isString()) continue;
      if (n++ > 0) w.buf.pushString("\\n");
      pushStringInner(w, t);
    }
    w.closeString();
  } else return at + ".output: must be a string or an array of content parts";
  w.endObject();
  return "";
}

function writeTextFormat(w: JsonWriter, format: JsonValue | null): string {
  if (format == null || format.isNull()) return "";
  if (!format.isObject()) return "text.format: must be an object";
  const type = typeOf(format);
  if (type == "text") return "";
  if (type == "json_object") { w.key("response_format").beginObject().fieldString("type", "json_object").endObject(); return ""; }
  if (type != "json_schema") return "text.format.type: must be text, json_schema or json_object";
  const name = format.get("name");
  const schema = format.get("schema");
  if (name == null || !name.isString()) return "text.format.name: must be a string";
  if (schema == null || !schema.isObject()) return "text.format.schema: must be an object";
  w.key("response_format").beginObject().fieldString("type", "json_schema").key("json_schema").beginObject().key("name").raw(name);
  const desc = format.get("description");
  if (desc != null && desc.isString()) w.key("description").raw(desc);
  w.key("schema");
  writeCompact(w, schema);
  const strict = format.get("strict");
  if (strict != null && strict.isBool()) w.key("strict").raw(strict);
  w.endObject().endObject();
  return "";
}

function writeToolChoice(w: JsonWriter, choice: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  if (choice.isString()) {
    if (!(choice.equals("auto") || choice.equals("none") || choice.equals("required"))) return "tool_choice: must be auto, none, required or an object";
    w.key("tool_choice").raw(choice);
    return "";
  }
  if (!choice.isObject()) return "tool_choice: must be a string or an object";
  const type = typeOf(choice);
  if (type == "function") {
    const name = choice.get("name");
    if (name == null || !name.isString()) return "tool_choice.name: must be a string";
    w.key("tool_choice").beginObject().fieldString("type", "function").key("function").beginObject().key("name").raw(name).endObject().endObject();
    return "";
  }
  if (type == "allowed_tools") {
    const mode = choice.get("mode");
    if (mode != null && mode.isString()) { w.key("tool_choice").raw(mode); res.drop("tool_choice.tools"); return ""; }
  }
  if (opts.dropUnsupported) { res.drop("tool_choice"); return ""; }
  return "tool_choice: \"" + type + "\" has no Chat Completions counterpart";
}

/**
 * The request parameters a Response object repeats (instructions, max_output_tokens, temperature, top_p,
 * tool_choice, tools, text, reasoning, parallel_tool_calls, metadata, user, store, truncation): compact JSON of
 * an object the response translator reads.
 */
function echoOf(root: JsonValue): Uint8Array {
  const ECHO: Array<string> = ["instructions", "max_output_tokens", "metadata", "parallel_tool_calls", "reasoning", "store",
    "temperature", "text", "tool_choice", "tools", "top_p", "truncation", "user"];
  const w = new JsonWriter(256);
  w.beginObject();
  for (let i = 0; i < ECHO.length; i++) {
    const v = root.get(ECHO[i]);
    if (v != null) { w.key(ECHO[i]); writeCompact(w, v); }
  }
  w.endObject();
  return w.take();
}

/** Appends string token `v`'s escaped contents (no quotes) to `b`. */
function pushStringInner2(b: ByteBuffer, v: JsonValue): void {
  b.pushSlice(v.source, v.start + 1, v.end - 1);
}
