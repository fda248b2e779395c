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
import { JsonWriter } from "../../json/writer";
import { RequestResult, TranslateOptions } from "../common";
import { startEmbeddings } from "../embeddings";
import { DashScopeJsonAnswer } from "./json-answer";
import { writeEmbedding } from "../whole-answer";

const KNOWN: Array<string> = ["model", "input", "dimensions", "encoding_format"];

export function openaiToDashScopeEmbeddingsRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startEmbeddings(body, opts, "DashScope", KNOWN);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const input = root.get("input")!;
  const w = new JsonWriter(body.length + 64, true);
  w.beginObject().fieldString("model", res.upstreamModel).key("input").beginObject().key("texts").beginArray();
  if (input.isString()) w.raw(input);
  else {
    const it = input.iter();
    while (it.next()) w.raw(it.value);
  }
  w.endArray().endObject();
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull()) w.key("parameters").beginObject().key("dimension").raw(dims).endObject();
  w.endObject();
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
    const usage = root!.get("usage");
    const total = usage != null && usage.isObject() ? usage.getInt("total_tokens", -1) : -1;
    const w = this.beginEmbeddings(whole.length + 256);
    const it = list.iter();
    while (it.next()) {
      const e = it.value;
      const vec = e.isObject() ? e.get("embedding") : null;
      if (vec == null || !vec.isArray()) return this.invalid("upstream embedding " + it.index.toString() + " has no vector");
      const index = e.getInt("text_index", it.index);
      if (!writeEmbedding(w, index, vec, this.opts.embeddingsBase64)) return this.invalid("upstream embedding " + it.index.toString() + " has a value that is not a number");
    }
    return this.endEmbeddings(w, max<i64>(total, 0), total >= 0);
  }
}
