// OpenAI Chat Completions request → Tencent Hunyuan ChatCompletions (API 3.0, version 2023-09-01) request
// (https://cloud.tencent.com/document/api/1729/105701). Tencent's field names are capitalised.
//
// Output keys, in this order (absent ones skipped):
//   Model, Messages[{Role, Content, ToolCallId?, ToolCalls?[{Id, Type, Function{Name, Arguments}}]}], Stream,
//   Temperature, TopP, Seed, Stop, Tools[{Type, Function{Name, Description, Parameters (a JSON string)}}], ToolChoice,
//   CustomTool
// Message content: a string, or the text parts joined (other part types are refused: the native API takes images
// only in Contents of the vision models, use the OpenAI-compatible endpoint, apiTokens, for them). `developer` → system.
// tool_choice: auto / none as they are; a named function → ToolChoice "custom" + CustomTool; "required" has no
// counterpart (refused unless dropUnsupportedParams). max_tokens / max_completion_tokens have no counterpart: left out
// and announced (a limit, not a change of content). Unmapped fields are announced; those that change what the model
// produces and have no counterpart are refused unless dropUnsupportedParams.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readStreamWish, RequestResult, startConversion, TranslateOptions } from "../common";
import { isEmptyString, keyIn, Path, pushContentText, typeOf, writeAsJsonString } from "../util";

const MAPPED_FIELDS: Array<string> = [
  "model", "messages", "stream", "stream_options", "temperature", "top_p", "seed", "stop", "tools", "tool_choice", "n",
];
const REFUSED_FIELDS: Array<string> = [
  "logit_bias", "functions", "function_call", "response_format", "web_search_options", "modalities", "audio", "prediction",
  "presence_penalty", "frequency_penalty", "top_k",
];

const NO_COUNTERPART = "has no counterpart on the Hunyuan native API (the provider's dropUnsupportedParams drops it instead)";

function refusal(field: string): string { return field + ": " + NO_COUNTERPART; }

export function openaiToHunyuanRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const nV = root.get("n");
  if (nV != null && nV.isNumber() && nV.asI64(1) != 1) return RequestResult.failure(400, "n: only 1 choice is supported by the Hunyuan native API");
  const it0 = root.iter();
  while (it0.next()) {
    if (it0.value.isNull() || keyIn(it0.key!, MAPPED_FIELDS)) continue;
    const k = it0.key!.str();
    const v = it0.value;
    if (k == "response_format" && v.isObject() && typeOf(v) == "text") continue;
    if ((k == "logprobs" || k == "store") && v.isBool() && !v.asBool(true)) continue;
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) return RequestResult.failure(400, refusal(k));
    res.drop(k);
  }
  readStreamWish(root, res);

  const w = new JsonWriter(body.length + 128, true);
  w.beginObject().fieldString("Model", res.upstreamModel).key("Messages").beginArray();
  const err = writeMessages(w, messages);
  if (err.length) return RequestResult.failure(400, err);
  w.endArray();
  if (res.stream) w.fieldBool("Stream", true);
  const temp = root.get("temperature");
  if (temp != null && temp.isNumber()) w.key("Temperature").raw(temp);
  const topP = root.get("top_p");
  if (topP != null && topP.isNumber()) w.key("TopP").raw(topP);
  const seed = root.get("seed");
  if (seed != null && seed.isNumber()) w.key("Seed").raw(seed);
  const stop = root.get("stop");
  if (stop != null && stop.isString() && !isEmptyString(stop)) w.key("Stop").beginArray().raw(stop).endArray();
  else if (stop != null && stop.isArray() && stop.length > 0) {
    w.key("Stop").beginArray();
    const it = stop.iter();
    while (it.next()) if (it.value.isString()) w.raw(it.value);
    w.endArray();
  }
  const toolErr = writeTools(w, root, opts, res);
  if (toolErr.length) return RequestResult.failure(400, toolErr);
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

function writeMessages(w: JsonWriter, messages: JsonValue): string {
  const at = new Path(null, "messages.", 0);
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    at.idx = it.index;
    if (!m.isObject()) return at.s() + ": must be an object";
    const roleV = m.get("role");
    if (roleV == null || !roleV.isString()) return at.s() + ".role: must be a string";
    const role = roleV.str();
    if (role != "system" && role != "developer" && role != "user" && role != "assistant" && role != "tool") {
      return at.s() + ".role: \"" + role + "\" is not a role the Hunyuan native API takes";
    }
    w.beginObject().fieldString("Role", role == "developer" ? "system" : role).key("Content");
    w.openString();
    const err = pushContentText(w, m.get("content"), "", "only text parts are supported by the Hunyuan native API (use apiTokens for the OpenAI-compatible endpoint)", "must be a string or an array");
    if (err.length) return at.s() + "." + err;
    w.closeString();
    if (role == "tool") {
      const id = m.get("tool_call_id");
      if (id != null && id.isString()) w.key("ToolCallId").raw(id);
    }
    const calls = role == "assistant" ? m.get("tool_calls") : null;
    if (calls != null && calls.isArray() && calls.length > 0) {
      w.key("ToolCalls").beginArray();
      const ci = calls.iter();
      while (ci.next()) {
        const call = ci.value;
        const fn = call.isObject() ? call.get("function") : null;
        if (fn == null || !fn.isObject()) return at.s() + ".tool_calls." + ci.index.toString() + ".function: must be an object";
        w.beginObject().key("Id");
        const id = call.get("id");
        if (id != null && id.isString()) w.raw(id); else w.string("");
        w.fieldString("Type", "function").key("Function").beginObject().key("Name");
        const name = fn.get("name");
        if (name != null && name.isString()) w.raw(name); else w.string("");
        w.key("Arguments");
        const args = fn.get("arguments");
        if (args != null && args.isString()) w.raw(args); else if (args != null && !args.isNull()) writeAsJsonString(w, args); else w.string("{}");
        w.endObject().endObject();
      }
      w.endArray();
    }
    w.endObject();
  }
  return "";
}

function writeTools(w: JsonWriter, root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const toolsV = root.get("tools");
  if (toolsV == null || toolsV.isNull()) return "";
  if (!toolsV.isArray()) return "tools: must be an array";
  let n = 0;
  const it = toolsV.iter();
  while (it.next()) {
    const t = it.value;
    const at = "tools." + it.index.toString();
    const fn = t.isObject() ? t.get("function") : null;
    if (fn == null || !fn.isObject()) {
      if (!opts.dropUnsupported) return at + ".type: tool type \"" + typeOf(t) + "\" " + NO_COUNTERPART;
      res.drop("tools." + typeOf(t));
      continue;
    }
    const name = fn.get("name");
    if (name == null || !name.isString() || isEmptyString(name)) return at + ".function.name: must be a non-empty string";
    if (n++ == 0) w.key("Tools").beginArray();
    writeFunction(w, fn, name);
  }
  if (n == 0) return "";
  w.endArray();
  const tc = root.get("tool_choice");
  if (tc == null || tc.isNull()) return "";
  if (tc.isString()) {
    if (tc.equals("auto") || tc.equals("none")) w.key("ToolChoice").raw(tc);
    else if (tc.equals("required")) {
      if (!opts.dropUnsupported) return "tool_choice: \"required\" " + NO_COUNTERPART;
      res.drop("tool_choice");
    } else return "tool_choice: must be auto, required, none or a function";
    return "";
  }
  const fn = tc.isObject() ? tc.get("function") : null;
  const name = fn != null && fn.isObject() ? fn.get("name") : null;
  if (name == null || !name.isString() || isEmptyString(name)) return "tool_choice.function.name: must be a non-empty string";
  // CustomTool names the forced function with its declaration (Tencent's ToolChoice "custom").
  const decl = findTool(toolsV, name);
  w.fieldString("ToolChoice", "custom").key("CustomTool");
  writeFunction(w, decl !== null ? decl : fn!, name);
  return "";
}

function findTool(tools: JsonValue, name: JsonValue): JsonValue | null {
  const it = tools.iter();
  while (it.next()) {
    const fn = it.value.isObject() ? it.value.get("function") : null;
    const n = fn != null && fn.isObject() ? fn.get("name") : null;
    if (n != null && n.isString() && n.str() == name.str()) return fn;
  }
  return null;
}

/** {"Type":"function","Function":{"Name","Description"?,"Parameters"?}}: Parameters is the JSON schema as a string. */
function writeFunction(w: JsonWriter, fn: JsonValue, name: JsonValue): void {
  w.beginObject().fieldString("Type", "function").key("Function").beginObject().key("Name").raw(name);
  const desc = fn.get("description");
  if (desc != null && desc.isString()) w.key("Description").raw(desc);
  const params = fn.get("parameters");
  if (params != null && params.isObject()) { w.key("Parameters"); writeAsJsonString(w, params); }
  w.endObject().endObject();
}
