// OpenAI embeddings ⇄ Bedrock InvokeModel (`POST /model/{modelId}/invoke`,
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html), whose body is the model's own:
// - Titan Text Embeddings (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html):
//   {"inputText":"…"} (V2 also "dimensions", "normalize": true, OpenAI's vectors being unit length) →
//   {"embedding":[…],"inputTextTokenCount":N}. One text per call: an `input` array of more than one string is refused.
// - Cohere Embed (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html, …-embed-v4.html):
//   {"texts":[…],"input_type":"search_document"} (the client's own `input_type` wins; v4: `dimensions` →
//   "output_dimension") → {"embeddings":[[…],…]} (v4 may answer {"embeddings":{"float":[[…],…]}}); its token count comes
//   in the X-Amzn-Bedrock-Input-Token-Count response header.
// Other model families are refused naming the model. The answer is OpenAI's list (base64 float32 vectors when the
// client asked `encoding_format: "base64"`); embeddings never stream.

import { parseJson } from "../../json/parse";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { RequestResult, TranslateOptions } from "../common";
import { startEmbeddings } from "../embeddings";
import { WholeAnswerTranslator, writeEmbedding } from "../whole-answer";

const TITAN_V1: i32 = 1;
const TITAN_V2: i32 = 2;
const COHERE: i32 = 3;
const COHERE_V4: i32 = 4;

/** Request fields read here; others (`user` …) are left out and announced. */
const KNOWN: Array<string> = ["model", "input", "dimensions", "encoding_format", "input_type"];

/** The embedding family a Bedrock model id (a cross-region `us.`/`eu.` prefix allowed) belongs to; 0 none converted. */
function familyOf(model: string): i32 {
  if (model.includes("amazon.titan-embed-text-v2")) return TITAN_V2;
  if (model.includes("amazon.titan-embed-text-v1") || model.includes("amazon.titan-embed-g1-text")) return TITAN_V1;
  if (model.includes("cohere.embed-v4")) return COHERE_V4;
  if (model.includes("cohere.embed-")) return COHERE;
  return 0;
}

export function openaiToBedrockEmbeddingsRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startEmbeddings(body, opts, "Bedrock", KNOWN);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const model = res.upstreamModel;
  const family = familyOf(model);
  if (family == 0) {
    return RequestResult.failure(400, "model: \"" + model + "\" is not a Bedrock embedding model this gateway converts for (amazon.titan-embed-text-*, cohere.embed-*)");
  }
  const input = root.get("input")!;
  const texts = input.isArray() ? input.length : 1;
  const dims = root.get("dimensions");
  const hasDims = dims != null && !dims.isNull();
  if (hasDims && family != TITAN_V2 && family != COHERE_V4 && !(family == TITAN_V1 && dims!.asI64(0) == 1536)) {
    return RequestResult.failure(400, "dimensions: " + model + " returns vectors of one size only");
  }

  const w = new JsonWriter(body.length + 64);
  w.beginObject();
  if (family == TITAN_V1 || family == TITAN_V2) {
    if (texts > 1) {
      return RequestResult.failure(400, "input: " + model + " embeds one text per request (Titan's inputText), got an array of " + texts.toString() + "; send one string per request");
    }
    w.key("inputText").raw(input.isArray() ? input.at(0)! : input);
    if (family == TITAN_V2) {
      if (hasDims) w.key("dimensions").raw(dims!);
      w.fieldBool("normalize", true);
    }
  } else {
    w.key("texts").beginArray();
    if (input.isString()) w.raw(input);
    else {
      const it = input.iter();
      while (it.next()) w.raw(it.value);
    }
    w.endArray();
    const inputType = root.get("input_type");
    if (inputType != null && inputType.isString()) w.key("input_type").raw(inputType);
    else w.fieldString("input_type", "search_document");
    if (hasDims) w.key("output_dimension").raw(dims!);
  }
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

export class OpenAIBedrockEmbeddingsResponse extends WholeAnswerTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Bedrock, opts, "Bedrock answered embeddings with an event stream, which it does not send");
  }

  usageHeader(): string { return "x-amzn-bedrock-input-token-count"; }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream response is not a JSON object");
    const w = this.beginEmbeddings(whole.length + 256);
    const family = familyOf(this.model);
    let tokens: i64 = this.usageHeaderValue.length > 0 ? I64.parseInt(this.usageHeaderValue) : -1;
    if (family == TITAN_V1 || family == TITAN_V2) {
      let vector = root.get("embedding");
      if (vector == null || !vector.isArray()) {
        const byType = root.get("embeddingsByType");
        vector = byType != null && byType.isObject() ? byType.get("float") : null;
      }
      if (vector == null || !vector.isArray()) return this.invalid("upstream response has no embedding");
      if (!writeEmbedding(w, 0, vector, this.opts.embeddingsBase64)) return this.invalid("upstream embedding has a value that is not a number");
      const counted = root.getInt("inputTextTokenCount", -1);
      if (counted >= 0) tokens = counted;
    } else {
      let list = root.get("embeddings");
      if (list != null && list.isObject()) list = list.get("float");
      if (list == null || !list.isArray()) return this.invalid("upstream response has no embeddings");
      const it = list.iter();
      while (it.next()) {
        const v = it.value;
        if (!v.isArray() || !writeEmbedding(w, it.index, v, this.opts.embeddingsBase64)) return this.invalid("upstream embedding " + it.index.toString() + " is not an array of numbers");
      }
    }
    return this.endEmbeddings(w, max<i64>(tokens, 0), tokens >= 0);
  }
}
