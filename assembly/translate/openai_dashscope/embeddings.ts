// OpenAI embeddings ⇄ DashScope native text embedding (Qwen without qwenEnableCompatible)
// (https://www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api: POST
// /api/v1/services/embeddings/text-embedding/text-embedding).
//
// Request: {"model","input":"…"|["…",…],"dimensions"?,"encoding_format"?} → {"model","input":{"texts":[…]},
//   "parameters"?:{"dimension"}}. Token-id inputs have no counterpart (refused naming the field); `user` is left out.
// Answer: {"output":{"embeddings":[{"text_index","embedding":[…]}]},"usage":{"total_tokens"},"request_id"} →
//   {"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage":{"prompt_tokens",
//   "total_tokens"}}. encoding_format "base64" (the OpenAI SDKs' default) gets each vector as base64 of little-endian
//   float32, as OpenAI sends it.

import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readModel, readRequestBody, RequestResult, TranslateOptions } from "../common";
import { kindName, writeCompact } from "../util";
import { DashScopeJsonAnswer } from "./json-answer";
import { readEncodingFormat, writeEmbedding } from "../whole-answer";

const KNOWN: Array<string> = ["model", "input", "dimensions", "encoding_format"];

export function openaiToDashScopeEmbeddingsRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  if (read.root === null) return read.failure!;
  const root = read.root!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");
  const input = root.get("input");
  const w = new JsonWriter(body.length + 64, true);
  w.beginObject().fieldString("model", res.upstreamModel).key("input").beginObject().key("texts").beginArray();
  if (input != null && input.isString()) w.raw(input);
  else if (input != null && input.isArray() && input.length > 0) {
    const it = input.iter();
    while (it.next()) {
      if (!it.value.isString()) return RequestResult.failure(400, "input." + it.index.toString() + ": must be a string (DashScope's native embeddings take text, not token ids)");
      w.raw(it.value);
    }
  } else return RequestResult.failure(400, "input: must be a string or a non-empty array of strings, got " + kindName(input));
  w.endArray().endObject();
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull()) {
    if (!dims.isNumber()) return RequestResult.failure(400, "dimensions: must be a number");
    w.key("parameters").beginObject().key("dimension").raw(dims).endObject();
  }
  w.endObject();
  const formatProblem = readEncodingFormat(root, opts);
  if (formatProblem.length) return RequestResult.failure(400, formatProblem);
  const it = root.iter();
  while (it.next()) if (!it.value.isNull() && !KNOWN.includes(it.key!.str())) res.drop(it.key!.str());
  res.ok = true;
  res.body = w.take();
  return res;
}

export class OpenAIDashScopeEmbeddings extends DashScopeJsonAnswer {
  constructor(opts: TranslateOptions) { super(opts); }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const out = root != null && root.isObject() ? root.get("output") : null;
    const list = out != null && out.isObject() ? out.get("embeddings") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no output.embeddings");
    this.model = this.opts.model;
    const usage = root!.get("usage");
    const total = usage != null && usage.isObject() ? usage.getInt("total_tokens", -1) : -1;
    if (total >= 0) this.usage.inputTokens = total;
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("object", "list").key("data").beginArray();
    const it = list.iter();
    while (it.next()) {
      const e = it.value;
      const vec = e.isObject() ? e.get("embedding") : null;
      if (vec == null || !vec.isArray()) return this.invalid("upstream embedding " + it.index.toString() + " has no vector");
      const index = e.getInt("text_index", it.index);
      if (!writeEmbedding(w, index, vec, this.opts.embeddingsBase64)) return this.invalid("upstream embedding " + it.index.toString() + " has a value that is not a number");
    }
    w.endArray().fieldString("model", this.model).key("usage").beginObject()
      .fieldInt("prompt_tokens", total >= 0 ? total : 0).fieldInt("total_tokens", total >= 0 ? total : 0).endObject();
    w.endObject();
    return w.take();
  }
}
