// OpenAI Chat Completions request → NVIDIA Triton generate request
// (https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html:
// POST /v2/models/{model}[/versions/{version}]/generate and generate_stream, body {"text_input", "parameters"}).
//
// As Higress's triton provider does: `text_input` is the last message's text (the generate extension takes one raw
// prompt; earlier turns are left out and announced as "messages.history"), `parameters.stream` the stream flag. The
// sampling fields go to `parameters` under the names of Triton's TensorRT-LLM and vLLM backends: temperature, top_p,
// top_k, max_tokens (max_completion_tokens first). The model is in the URL (the row's {model} template).
// Output keys: text_input, parameters{stream, temperature, top_p, top_k, max_tokens}.

import { JsonWriter } from "../../json/writer";
import { RequestResult, startConversion, TranslateOptions } from "../common";
import { pushContentText } from "../util";

/** Fields this converter maps or that change nothing in the output. */
const MAPPED: Array<string> = [
  "model", "messages", "stream", "stream_options", "user", "temperature", "top_p", "top_k", "max_tokens", "max_completion_tokens",
];

export function openaiToTritonRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);
  if (res.stream) {
    const so = root.get("stream_options");
    if (so != null && so.isObject()) res.includeUsage = so.getBool("include_usage", false);
  }
  // What the generate extension has no place for changes the output: refused unless dropUnsupportedParams.
  const keys = root.iter();
  while (keys.next()) {
    const k = keys.key!;
    let mapped = false;
    for (let i = 0; i < MAPPED.length; i++) if (k.equals(MAPPED[i])) { mapped = true; break; }
    if (mapped || keys.value.isNull()) continue;
    if (!opts.dropUnsupported) return RequestResult.failure(400, k.str() + ": has no counterpart on a Triton upstream (the provider's dropUnsupportedParams drops it instead)");
    res.drop(k.str());
  }
  const n = messages.length;
  if (n == 0) return RequestResult.failure(400, "messages: must not be empty");
  if (n > 1) res.drop("messages.history");
  const last = messages.at(n - 1)!;
  if (!last.isObject()) return RequestResult.failure(400, "messages." + (n - 1).toString() + ": must be an object");

  const w = new JsonWriter(body.length + 128, true);
  w.beginObject().key("text_input").openString();
  const err = pushContentText(w, last.get("content"), "\n");
  if (err.length) return RequestResult.failure(400, "messages." + (n - 1).toString() + "." + err);
  w.closeString().key("parameters").beginObject().fieldBool("stream", res.stream);
  for (let i = 0; i < 3; i++) {
    const name = i == 0 ? "temperature" : i == 1 ? "top_p" : "top_k";
    const v = root.get(name);
    if (v == null || v.isNull()) continue;
    if (!v.isNumber()) return RequestResult.failure(400, name + ": must be a number");
    w.key(name).raw(v);
  }
  let maxTokens = root.get("max_completion_tokens");
  if (maxTokens == null || maxTokens.isNull()) maxTokens = root.get("max_tokens");
  if (maxTokens != null && !maxTokens.isNull()) {
    if (!maxTokens.isNumber() || !maxTokens.isInteger() || maxTokens.asI64(0) < 1) return RequestResult.failure(400, "max_tokens: must be an integer of at least 1");
    w.key("max_tokens").raw(maxTokens);
  }
  w.endObject().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}
