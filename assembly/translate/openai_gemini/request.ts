// OpenAI Chat Completions request → Gemini generateContent request
// (https://ai.google.dev/api/generate-content#request-body).
//
// Output keys, in this order (absent ones skipped):
//   contents, systemInstruction, tools, toolConfig, generationConfig{stopSequences, maxOutputTokens, temperature,
//   topP, topK, seed, presencePenalty, frequencyPenalty, responseMimeType, responseSchema|responseJsonSchema,
//   thinkingConfig} (generationConfig always, `{}` when empty)
// The model is not in the body: it is in the URL (the provider row's `{model}` template) and `stream` picks the
// endpoint (`:streamGenerateContent?alt=sse`). system/developer messages, wherever they stand, join
// systemInstruction (Gemini has no system turn). user → role "user", assistant → role "model"; consecutive turns of
// one role share one content (tool results and the user text after them). Tool calls are functionCall parts (their
// Gemini thought signature, carried in `extra_content.google.thought_signature` as Google's own OpenAI compatibility
// does, goes back as the part's thoughtSignature); tool messages are functionResponse parts named after the call
// they answer, the text under "output". Images and files as data URLs → inlineData, and so are image URLs the plugin
// fetched (TranslateOptions.fetchedImages); other image URLs → fileData.
// Gemini 3 rejects a function call turn without its signature (a client that dropped it, or an Anthropic client, whose
// tool_use has no place for it): such a turn's first call gets Google's documented sentinel
// "skip_thought_signature_validator" (https://ai.google.dev/gemini-api/docs/thought-signatures), for the models whose
// traits take a thinking level (the Gemini 3 family); later calls of a parallel turn carry none, as Gemini sends them.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Reasoning } from "../../mapping/model-traits";
import { FetchedImage, fetchedImage, readChoicesAndStream, RequestResult, startConversion, TranslateOptions, upstreamTraits, writeStopSequences } from "../common";
import { isEmptyString, isTextOnly, keyIn, kindName, Path, pushStringInner, roleOf, typeOf, writeCompact, writeToolArguments, writeToolResultText } from "../util";
import { TurnWriter, writeTextPart } from "../turns";
import { fitsResponseSchema } from "./response-schema";

/** Google's documented stand-in for a function call signature the history lost. */
const SIGNATURE_SENTINEL = "skip_thought_signature_validator";

/** Gemini takes up to 5 stop sequences (GenerationConfig.stopSequences). */
const MAX_STOP = 5;

/** Top-level fields this converter maps. */
const MAPPED_FIELDS: Array<string> = [
  "model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options", "temperature", "top_p", "top_k",
  "stop", "tools", "tool_choice", "seed", "presence_penalty", "frequency_penalty", "response_format", "reasoning_effort", "n",
];
/** Change what the model produces and have no Gemini counterpart: refused unless dropUnsupportedParams. */
const REFUSED_FIELDS: Array<string> = [
  "logit_bias", "functions", "function_call", "web_search_options", "modalities", "audio", "prediction",
];

/** Budget per reasoning_effort for models that take thinkingBudget (Gemini 2.5). */
function budgetFor(effort: string): i64 {
  if (effort == "none") return 0;
  if (effort == "minimal" || effort == "low") return 1024;
  if (effort == "medium") return 8192;
  return 24576;
}

export function openaiToGeminiRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const head = readChoicesAndStream(root, res, "Gemini upstreams");
  if (head !== null) return head;
  const top = checkTopLevel(root, opts, res);
  if (top.length) return RequestResult.failure(400, top);

  // The request body for the host: a large one lives in a reused block (bytes/large-buffers.ts).
  const w = new JsonWriter(body.length + 256, true);
  w.beginObject().key("contents").beginArray();
  const needsSignatures = upstreamTraits(opts, res.upstreamModel, false).reasoning == Reasoning.Effort;
  const err = writeContents(w, messages, needsSignatures, opts.fetchedImages);
  if (err.length) return RequestResult.failure(400, err);
  w.endArray();
  writeSystemInstruction(w, messages);

  // Tools: one Tool holding every function declaration; parameters as JSON Schema (parametersJsonSchema).
  const toolsV = root.get("tools");
  let tools = 0;
  if (toolsV != null && toolsV.isArray()) {
    const it = toolsV.iter();
    while (it.next()) {
      const t = it.value;
      const at = "tools." + it.index.toString();
      if (!t.isObject()) return RequestResult.failure(400, at + ": must be an object");
      const fn = t.get("function");
      if (fn == null || !fn.isObject()) {
        if (!opts.dropUnsupported) return RequestResult.failure(400, at + ".type: tool type \"" + typeOf(t) + "\" has no counterpart on a Gemini upstream (the provider's dropUnsupportedParams drops it instead)");
        res.drop("tools." + typeOf(t));
        continue;
      }
      const name = fn.get("name");
      if (name == null || !name.isString() || isEmptyString(name)) return RequestResult.failure(400, at + ".function.name: must be a non-empty string");
      if (tools == 0) w.key("tools").beginArray().beginObject().key("functionDeclarations").beginArray();
      w.beginObject().key("name").raw(name);
      const desc = fn.get("description");
      if (desc != null && desc.isString()) w.key("description").raw(desc);
      const params = fn.get("parameters");
      if (params != null && params.isObject()) { w.key("parametersJsonSchema"); writeCompact(w, params); }
      w.endObject();
      tools++;
    }
    if (tools > 0) w.endArray().endObject().endArray();
  } else if (toolsV != null && !toolsV.isNull()) return RequestResult.failure(400, "tools: must be an array");

  if (tools > 0) {
    const tc = root.get("tool_choice");
    if (tc != null && tc.isString()) {
      let mode = "";
      if (tc.equals("auto")) mode = "AUTO";
      else if (tc.equals("required")) mode = "ANY";
      else if (tc.equals("none")) mode = "NONE";
      else return RequestResult.failure(400, "tool_choice: must be auto, required, none or a function");
      w.key("toolConfig").beginObject().key("functionCallingConfig").beginObject().fieldString("mode", mode).endObject().endObject();
    } else if (tc != null && tc.isObject()) {
      const fn = tc.get("function");
      const n = fn != null && fn.isObject() ? fn.get("name") : null;
      if (n == null || !n.isString() || isEmptyString(n)) return RequestResult.failure(400, "tool_choice.function.name: must be a non-empty string");
      w.key("toolConfig").beginObject().key("functionCallingConfig").beginObject().fieldString("mode", "ANY")
        .key("allowedFunctionNames").beginArray().raw(n).endArray().endObject().endObject();
    } else if (tc != null && !tc.isNull()) return RequestResult.failure(400, "tool_choice: must be a string or an object");
  }

  const g = new JsonWriter(256);
  g.beginObject();
  writeStopSequences(g, root.get("stop"), "stopSequences", MAX_STOP, res);
  let maxTokens = root.get("max_completion_tokens");
  if (maxTokens == null || maxTokens.isNull()) maxTokens = root.get("max_tokens");
  if (maxTokens != null && !maxTokens.isNull()) {
    if (!maxTokens.isNumber() || !maxTokens.isInteger() || maxTokens.asI64(0) < 1) return RequestResult.failure(400, "max_tokens: must be an integer of at least 1");
    g.key("maxOutputTokens").raw(maxTokens);
  }
  copyNumber(root, "temperature", g, "temperature");
  copyNumber(root, "top_p", g, "topP");
  copyNumber(root, "top_k", g, "topK");
  copyNumber(root, "seed", g, "seed");
  copyNumber(root, "presence_penalty", g, "presencePenalty");
  copyNumber(root, "frequency_penalty", g, "frequencyPenalty");

  const rf = root.get("response_format");
  if (rf != null && !rf.isNull()) {
    if (!rf.isObject()) return RequestResult.failure(400, "response_format: must be an object");
    const t = typeOf(rf);
    // OpenAI's JSON Schema goes to responseSchema, unchanged, when it is within Google's Schema object (every Gemini
    // model takes it), else to responseJsonSchema (JSON Schema: $ref, $defs…; Gemini 2.5 and later). Clients that put
    // the schema itself in json_schema, or in response_format (a JSON Schema type in `type`), are served as Higress
    // serves them.
    let schema: JsonValue | null = null;
    if (t == "json_schema") {
      const js = rf.get("json_schema");
      const sc = js != null && js.isObject() ? js.get("schema") : null;
      schema = sc != null && sc.isObject() ? sc : js != null && js.isObject() && looksLikeSchema(js) ? js : null;
      if (schema == null) {
        const problem = js == null || !js.isObject() ? "must be an object, got " + kindName(js) : "schema must be an object, got " + kindName(sc);
        return RequestResult.failure(400, "invalid response_format.json_schema: " + problem);
      }
    } else if (t == "json_object") {
      g.fieldString("responseMimeType", "application/json");
    } else if ((t.length == 0 || SCHEMA_TYPES.includes(t)) && looksLikeSchema(rf)) {
      schema = rf;
    } else if (t != "text") return RequestResult.failure(400, "response_format.type: must be text, json_schema or json_object");
    if (schema != null) {
      g.fieldString("responseMimeType", "application/json").key(fitsResponseSchema(schema) ? "responseSchema" : "responseJsonSchema");
      writeCompact(g, schema);
    }
  }

  // reasoning_effort → thinkingConfig: a level (Gemini 3) or a budget (Gemini 2.5), per the model's traits; thought
  // summaries are asked for unless the configuration ignores reasoning text.
  const effortV = root.get("reasoning_effort");
  if (effortV != null && !effortV.isNull()) {
    if (!effortV.isString()) return RequestResult.failure(400, "reasoning_effort: must be a string");
    const effort = effortV.str();
    const traits = upstreamTraits(opts, res.upstreamModel, false);
    const thoughts = opts.reasoningContentMode != "ignore" && effort != "none";
    if (traits.reasoning == Reasoning.Effort) {
      const level = traits.nearestEffort(effort);
      g.key("thinkingConfig").beginObject();
      if (thoughts) g.fieldBool("includeThoughts", true);
      g.fieldString("thinkingLevel", level).endObject();
    } else if (traits.reasoning == Reasoning.Budget) {
      g.key("thinkingConfig").beginObject();
      if (thoughts) g.fieldBool("includeThoughts", true);
      g.fieldInt("thinkingBudget", budgetFor(effort)).endObject();
    } else res.drop("reasoning_effort");
  }
  // Always sent, `{}` when empty, as Higress sends it (Google takes an empty GenerationConfig).
  g.endObject();
  w.key("generationConfig").rawBytes(g.take());
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** JSON Schema's type names (a response_format whose `type` is one of them is a schema itself). */
const SCHEMA_TYPES: Array<string> = ["object", "array", "string", "number", "integer", "boolean", "null"];

/** An object that reads as a JSON Schema: a schema type, or keywords only schemas have. */
function looksLikeSchema(v: JsonValue): bool {
  return SCHEMA_TYPES.includes(typeOf(v)) || v.has("properties") || v.has("items") || v.has("anyOf") || v.has("enum") || v.has("$ref");
}

function copyNumber(root: JsonValue, from: string, g: JsonWriter, to: string): void {
  const v = root.get(from);
  if (v != null && v.isNumber()) g.key(to).raw(v);
}

function checkTopLevel(root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const it = root.iter();
  while (it.next()) {
    if (it.value.isNull() || keyIn(it.key!, MAPPED_FIELDS)) continue;
    const k = it.key!.str();
    const v = it.value;
    if ((k == "logprobs" || k == "store") && v.isBool() && !v.asBool(true)) continue;
    if (k == "logit_bias" && v.isObject() && v.length == 0) continue;
    if (k == "modalities" && isTextOnly(v)) continue;
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) {
      return k + ": has no counterpart on a Gemini upstream (the provider's dropUnsupportedParams drops it instead)";
    }
    res.drop(k);
  }
  return "";
}

/** Writes contents; consecutive turns of one Gemini role share one content. Returns an error message or "". */
function writeContents(w: JsonWriter, messages: JsonValue, needsSignatures: bool, images: Array<FetchedImage> | null): string {
  const turns = new GeminiContents(needsSignatures, images);
  const err = turns.write(w, messages);
  if (err.length) return err;
  if (turns.open.length) w.endArray().endObject();
  return "";
}

/** Gemini's turns: roles user and model, parts under "parts". */
class GeminiContents extends TurnWriter {
  private needsSignatures: bool;
  private images: Array<FetchedImage> | null;

  constructor(needsSignatures: bool, images: Array<FetchedImage> | null) {
    super("model", "parts");
    this.needsSignatures = needsSignatures;
    this.images = images;
  }

  /** A data URL, or an http(s) URL the plugin fetched, goes inline; other URLs as fileData (Gemini fetches them). */
  protected writeImage(w: JsonWriter, url: JsonValue, at: Path): string {
    const images = this.images;
    const fetched = images !== null ? fetchedImage(images, url.str()) : null;
    if (fetched !== null) {
      w.beginObject().key("inlineData").beginObject().fieldString("mimeType", fetched.mimeType).key("data").openString();
      w.buf.pushBytes(fetched.base64);
      w.closeString().endObject().endObject();
    } else if (!writeInlineData(w, url)) w.beginObject().key("fileData").beginObject().key("fileUri").raw(url).endObject().endObject();
    return "";
  }

  protected writeOtherPart(w: JsonWriter, p: JsonValue, type: string, at: Path): string {
    if (type == "file") {
      const f = p.get("file");
      const data = f != null && f.isObject() ? f.get("file_data") : null;
      if (data == null || !data.isString() || !writeInlineData(w, data)) return at.s() + ".file: only inline file_data (a data: URL) can be sent to Gemini upstreams";
    } else if (type == "input_audio") {
      const a = p.get("input_audio");
      const data = a != null && a.isObject() ? a.get("data") : null;
      const format = a != null && a.isObject() ? a.get("format") : null;
      if (data == null || !data.isString() || format == null || !format.isString()) return at.s() + ".input_audio: must have data and format strings";
      w.beginObject().key("inlineData").beginObject().key("mimeType").openString();
      w.stringPart("audio/");
      pushStringInner(w, format);
      w.closeString().key("data").raw(data).endObject().endObject();
    } else return at.s() + ".type: must be text, image_url, file or input_audio";
    return "";
  }

  protected writeToolCalls(w: JsonWriter, tcs: JsonValue, at: Path): string {
    return writeFunctionCalls(w, tcs, at, this.needsSignatures);
  }

  protected writeToolResult(w: JsonWriter, m: JsonValue, messages: JsonValue, index: i32, at: Path): string {
    return writeFunctionResponse(w, m, messages, index, at);
  }
}

/** A data URL (`data:<type>;base64,<data>`) as an inlineData part; false when `url` is not one. */
function writeInlineData(w: JsonWriter, url: JsonValue): bool {
  const src = url.source;
  const s = url.start + 1, e = url.end - 1;
  if (e - s < 5 || src[s] != 0x64 || src[s + 1] != 0x61 || src[s + 2] != 0x74 || src[s + 3] != 0x61 || src[s + 4] != 0x3A) return false;
  let semi = -1, comma = -1;
  for (let i = s + 5; i < e; i++) {
    const ch = src[i];
    if (ch == 0x3B && semi < 0) semi = i;
    if (ch == 0x2C) { comma = i; break; }
  }
  if (comma < 0) return false;
  w.beginObject().key("inlineData").beginObject().key("mimeType").openString();
  w.buf.pushSlice(src, s + 5, semi > 0 ? semi : comma);
  w.closeString().key("data").openString();
  w.buf.pushSlice(src, comma + 1, e);
  w.closeString().endObject().endObject();
  return true;
}

/** Tool calls → functionCall parts (a signature-less Gemini 3 turn's first call gets the sentinel). */
function writeFunctionCalls(w: JsonWriter, tcs: JsonValue, at: Path, needsSignatures: bool): string {
  let signed = false;
  const sc = tcs.iter();
  while (sc.next()) if (sc.value.isObject() && thoughtSignature(sc.value) != null) signed = true;
  const it = tcs.iter();
  const tat = new Path(at, ".tool_calls.", 0);
  while (it.next()) {
    const tc = it.value;
    tat.idx = it.index;
    const fn = tc.isObject() ? tc.get("function") : null;
    const name = fn != null && fn.isObject() ? fn.get("name") : null;
    if (name == null || !name.isString() || isEmptyString(name)) return tat.s() + ".function.name: must be a non-empty string";
    w.beginObject().key("functionCall").beginObject().key("name").raw(name).key("args");
    writeToolArguments(w, fn!.get("arguments"));
    w.endObject();
    const sig = thoughtSignature(tc);
    if (sig != null) w.key("thoughtSignature").raw(sig);
    else if (needsSignatures && !signed && it.index == 0) w.fieldString("thoughtSignature", SIGNATURE_SENTINEL);
    w.endObject();
  }
  return "";
}

/** `extra_content.google.thought_signature` of a tool call (Google's OpenAI compatibility), or null. */
function thoughtSignature(tc: JsonValue): JsonValue | null {
  const extra = tc.get("extra_content");
  const google = extra != null && extra.isObject() ? extra.get("google") : null;
  const sig = google != null && google.isObject() ? google.get("thought_signature") : null;
  return sig != null && sig.isString() && !isEmptyString(sig) ? sig : null;
}

/** A tool message → a functionResponse part named after the call it answers (the nearest earlier assistant turn). */
function writeFunctionResponse(w: JsonWriter, m: JsonValue, messages: JsonValue, index: i32, at: Path): string {
  const id = m.get("tool_call_id");
  if (id == null || !id.isString() || isEmptyString(id)) return at.s() + ".tool_call_id: must be a non-empty string";
  const name = callName(messages, index, id);
  if (name == null) return at.s() + ".tool_call_id: no earlier assistant tool call has this id";
  w.beginObject().key("functionResponse").beginObject().key("name").raw(name).key("response").beginObject().key("output");
  if (!writeToolResultText(w, m.get("content"))) return at.s() + ".content: must be a string or an array of text parts";
  w.endObject().endObject().endObject();
  return "";
}

function callName(messages: JsonValue, before: i32, id: JsonValue): JsonValue | null {
  for (let i = before - 1; i >= 0; i--) {
    const m = messages.at(i);
    if (m == null || !m.isObject() || roleOf(m) != "assistant") continue;
    const tcs = m.get("tool_calls");
    if (tcs == null || !tcs.isArray()) continue;
    const it = tcs.iter();
    while (it.next()) {
      const tc = it.value;
      const tid = tc.isObject() ? tc.get("id") : null;
      if (tid == null || !tid.isString() || !sameString(tid, id)) continue;
      const fn = tc.get("function");
      const name = fn != null && fn.isObject() ? fn.get("name") : null;
      if (name != null && name.isString()) return name;
    }
  }
  return null;
}

function sameString(a: JsonValue, b: JsonValue): bool {
  const n = a.end - a.start;
  if (n != b.end - b.start) return false;
  for (let i = 0; i < n; i++) if (a.source[a.start + i] != b.source[b.start + i]) return false;
  return true;
}

/** system/developer messages → systemInstruction: one text part per message (text parts joined by "\n\n"). */
function writeSystemInstruction(w: JsonWriter, messages: JsonValue): void {
  let n = 0;
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = roleOf(m);
    if (role != "system" && role != "developer") continue;
    const c = m.get("content")!;
    if (c.isString() && isEmptyString(c)) continue;
    if (n == 0) w.key("systemInstruction").beginObject().key("parts").beginArray();
    n++;
    if (c.isString()) { writeTextPart(w, c); continue; }
    w.beginObject().key("text").openString();
    let k = 0;
    const pit = c.iter();
    while (pit.next()) {
      const p = pit.value;
      const text = p.isObject() ? p.get("text") : null;
      if (text == null || !text.isString()) continue;
      if (k++ > 0) w.stringPart("\n\n");
      pushStringInner(w, text);
    }
    w.closeString().endObject();
  }
  if (n > 0) w.endArray().endObject();
}
