// OpenAI Chat Completions request → DashScope native text generation (Qwen without qwenEnableCompatible)
// (https://help.aliyun.com/zh/model-studio/qwen-api-reference: POST /api/v1/services/aigc/text-generation/generation),
// and multimodal generation for the qwen-vl models (…/multimodal-generation/generation: content as item lists).
//
// Output: {"model","input":{"messages":[…]},"parameters":{"result_format":"message","incremental_output"? (streams),
//   "max_tokens","temperature","top_p","top_k","seed","stop","presence_penalty","response_format","tools","tool_choice",
//   "parallel_tool_calls","enable_thinking"?}} — absent ones skipped.
// Messages keep OpenAI's shape (role, content, name, tool_calls, tool_call_id); `developer` → system; content parts
// are joined as text (the text-generation endpoint takes strings; image parts are refused naming the part: the qwen-vl
// models take them, on the multimodal endpoint). Streams ask for incremental_output so each event carries only the new
// text, as OpenAI chunks do.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readStreamWish, RequestResult, startConversion, TranslateOptions } from "../common";
import { keyIn, Path, pushContentText, typeOf, writeCompact } from "../util";

/** Top-level fields copied into parameters under the same name. */
const PARAMETERS: Array<string> = [
  "temperature", "top_p", "top_k", "seed", "stop", "presence_penalty", "response_format", "tools", "tool_choice", "parallel_tool_calls",
  "enable_thinking", "thinking_budget", "enable_search",
];
const MAPPED_FIELDS: Array<string> = ["model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "n"];
/** Message members kept as they are (DashScope takes OpenAI's). */
const KEPT: Array<string> = ["name", "tool_calls", "tool_call_id"];
const REFUSED_FIELDS: Array<string> = ["logit_bias", "functions", "function_call", "modalities", "audio", "prediction", "frequency_penalty", "web_search_options"];

export function openaiToDashScopeRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return toDashScope(body, opts, false);
}

/**
 * The same request for multimodal generation (the qwen-vl models, /api/v1/services/aigc/multimodal-generation/
 * generation): every message's content is a list of {"text"} and {"image": URL or data URL} items.
 */
export function openaiToDashScopeMultimodalRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return toDashScope(body, opts, true);
}

function toDashScope(body: Uint8Array, opts: TranslateOptions, multimodal: bool): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const nV = root.get("n");
  if (nV != null && nV.isNumber() && nV.asI64(1) != 1) return RequestResult.failure(400, "n: only 1 choice is supported by the DashScope native API (qwenEnableCompatible: true serves n)");
  const it0 = root.iter();
  while (it0.next()) {
    if (it0.value.isNull() || keyIn(it0.key!, MAPPED_FIELDS) || keyIn(it0.key!, PARAMETERS)) continue;
    const k = it0.key!.str();
    if (REFUSED_FIELDS.includes(k) && !opts.dropUnsupported) {
      return RequestResult.failure(400, k + ": has no counterpart on the DashScope native API (the provider's dropUnsupportedParams drops it instead)");
    }
    res.drop(k);
  }
  readStreamWish(root, res);

  const w = new JsonWriter(body.length + 128, true);
  w.beginObject().fieldString("model", res.upstreamModel).key("input").beginObject().key("messages").beginArray();
  const err = writeMessages(w, start.messages!, multimodal);
  if (err.length) return RequestResult.failure(400, err);
  w.endArray().endObject().key("parameters").beginObject().fieldString("result_format", "message");
  if (res.stream) w.fieldBool("incremental_output", true);
  let maxTokens = root.get("max_completion_tokens");
  if (maxTokens == null || maxTokens.isNull()) maxTokens = root.get("max_tokens");
  if (maxTokens != null && !maxTokens.isNull()) w.key("max_tokens").raw(maxTokens);
  for (let i = 0; i < PARAMETERS.length; i++) {
    const v = root.get(PARAMETERS[i]);
    if (v != null && !v.isNull()) { w.key(PARAMETERS[i]); writeCompact(w, v); }
  }
  w.endObject().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

function writeMessages(w: JsonWriter, messages: JsonValue, multimodal: bool): string {
  const at = new Path(null, "messages.", 0);
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    at.idx = it.index;
    if (!m.isObject()) return at.s() + ": must be an object";
    const role = m.get("role");
    if (role == null || !role.isString()) return at.s() + ".role: must be a string";
    w.beginObject().key("role");
    if (role.equals("developer")) w.string("system"); else w.raw(role);
    const c = m.get("content");
    w.key("content");
    if (multimodal) {
      const err = writeMultimodalContent(w, c, at.s() + ".content");
      if (err.length) return err;
    } else {
      w.openString();
      const err = pushContentText(w, c, "", "only text parts are supported by the DashScope text-generation API (qwenEnableCompatible: true serves images)", "must be a string or an array");
      if (err.length) return at.s() + "." + err;
      w.closeString();
    }
    for (let i = 0; i < KEPT.length; i++) {
      const v = m.get(KEPT[i]);
      if (v != null && !v.isNull()) { w.key(KEPT[i]); writeCompact(w, v); }
    }
    w.endObject();
  }
  return "";
}

/** OpenAI content as DashScope's multimodal list: text → {"text"}, image_url → {"image"}; other parts are refused. */
function writeMultimodalContent(w: JsonWriter, c: JsonValue | null, at: string): string {
  w.beginArray();
  if (c != null && c.isString()) w.beginObject().key("text").raw(c).endObject();
  else if (c != null && c.isArray()) {
    const parts = c.iter();
    while (parts.next()) {
      const p = parts.value;
      const kind = p.isObject() ? typeOf(p) : "";
      const text = p.isObject() ? p.get("text") : null;
      let image = p.isObject() ? p.get("image_url") : null;
      if (image != null && image.isObject()) image = image.get("url");
      if (kind == "text" && text != null && text.isString()) w.beginObject().key("text").raw(text).endObject();
      else if (kind == "image_url" && image != null && image.isString()) w.beginObject().key("image").raw(image).endObject();
      else return at + "." + parts.index.toString() + ": only text and image_url parts are supported by the DashScope multimodal API";
    }
  } else if (c != null && !c.isNull()) return at + ": must be a string or an array";
  w.endArray();
  return "";
}
