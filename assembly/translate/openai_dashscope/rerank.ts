// Rerank (Cohere's / Jina's / DashScope's compatible /reranks shape) ⇄ DashScope native text rerank (Qwen without
// qwenEnableCompatible) (https://help.aliyun.com/zh/model-studio/text-rerank-api: POST
// /api/v1/services/rerank/text-rerank/text-rerank).
//
// Request: {"model","query","documents":[…],"top_n"?,"return_documents"?,"instruct"?} → {"model","input":{"query",
//   "documents"},"parameters"?:{"top_n","return_documents","instruct"}}; other fields are left out (announced).
// Answer: {"output":{"results":[{"index","relevance_score","document"?}]},"usage":{"total_tokens"},"request_id"} →
//   {"object":"list","results":[…],"model","usage":{"total_tokens"},"id":request_id} (results copied as they are).

import { parseJson } from "../../json/parse";
import { JsonWriter } from "../../json/writer";
import { readModel, readRequestBody, RequestResult, TranslateOptions } from "../common";
import { kindName, writeCompact } from "../util";
import { DashScopeJsonAnswer } from "./json-answer";

const PARAMETERS: Array<string> = ["top_n", "return_documents", "instruct"];

export function rerankToDashScopeRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  if (read.root === null) return read.failure!;
  const root = read.root!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");
  const query = root.get("query");
  if (query == null || query.isNull()) return RequestResult.failure(400, "query: field required");
  const docs = root.get("documents");
  if (docs == null || !docs.isArray()) return RequestResult.failure(400, "documents: must be an array, got " + kindName(docs));
  const w = new JsonWriter(body.length + 64, true);
  w.beginObject().fieldString("model", res.upstreamModel).key("input").beginObject().key("query");
  writeCompact(w, query);
  w.key("documents");
  writeCompact(w, docs);
  w.endObject();
  let params = false;
  for (let i = 0; i < PARAMETERS.length; i++) {
    const v = root.get(PARAMETERS[i]);
    if (v == null || v.isNull()) continue;
    if (!params) { w.key("parameters").beginObject(); params = true; }
    w.key(PARAMETERS[i]);
    writeCompact(w, v);
  }
  if (params) w.endObject();
  w.endObject();
  const it = root.iter();
  while (it.next()) {
    const k = it.key!.str();
    if (!it.value.isNull() && k != "model" && k != "query" && k != "documents" && !PARAMETERS.includes(k)) res.drop(k);
  }
  res.ok = true;
  res.body = w.take();
  return res;
}

export class RerankDashScopeResponse extends DashScopeJsonAnswer {
  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const out = root != null && root.isObject() ? root.get("output") : null;
    const results = out != null && out.isObject() ? out.get("results") : null;
    if (results == null || !results.isArray()) return this.invalid("upstream response has no output.results");
    this.model = this.opts.model;
    const usage = root!.get("usage");
    const total = usage != null && usage.isObject() ? usage.getInt("total_tokens", -1) : -1;
    if (total >= 0) this.usage.inputTokens = total;
    const w = new JsonWriter(whole.length + 128);
    w.beginObject().fieldString("object", "list").key("results");
    writeCompact(w, results);
    w.fieldString("model", this.model);
    if (total >= 0) w.key("usage").beginObject().fieldInt("total_tokens", total).endObject();
    const id = root!.get("request_id");
    if (id != null && id.isString()) w.key("id").raw(id);
    w.endObject();
    return w.take();
  }
}
