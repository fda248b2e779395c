// OpenAI embeddings request → Vertex AI text embeddings request (`…/publishers/google/models/{model}:predict`,
// https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api):
//   {"instances":[{"content":"…"}, …], "parameters":{"outputDimensionality":N}}
// One instance per input string, in order. `dimensions` → parameters.outputDimensionality. Token-id inputs have no
// Vertex counterpart (it embeds text): refused. `encoding_format` "base64" is honoured on the way back (the answer's
// floats packed as little-endian float32, as OpenAI sends them): the OpenAI Python SDK asks for it by default.
// The model is in the URL, not the body.

import { JsonWriter } from "../../json/writer";
import { readModel, readRequestBody, RequestResult, TranslateOptions } from "../common";
import { isEmptyString, kindName } from "../util";
import { readEncodingFormat } from "../whole-answer";

/** Request fields read here; others are left out and announced (none changes the vectors Vertex returns). */
const MAPPED_FIELDS: Array<string> = ["model", "input", "dimensions", "encoding_format"];

export function openaiToVertexEmbeddingsRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) return read.failure!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");

  const formatProblem = readEncodingFormat(root, opts);
  if (formatProblem.length) return RequestResult.failure(400, formatProblem);

  const w = new JsonWriter(body.length + 64, true);
  w.beginObject().key("instances").beginArray();
  const input = root.get("input");
  if (input != null && input.isString()) {
    w.beginObject().key("content").raw(input).endObject();
  } else if (input != null && input.isArray() && input.length > 0) {
    const it = input.iter();
    while (it.next()) {
      const v = it.value;
      if (!v.isString()) {
        return RequestResult.failure(400, "input." + it.index.toString() + ": must be a string (Vertex AI embeds text, not token ids), got " + kindName(v));
      }
      if (isEmptyString(v)) return RequestResult.failure(400, "input." + it.index.toString() + ": must not be empty");
      w.beginObject().key("content").raw(v).endObject();
    }
  } else {
    return RequestResult.failure(400, "input: must be a string or a non-empty array of strings, got " + kindName(input));
  }
  w.endArray();
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull()) {
    if (!dims.isNumber() || !dims.isInteger() || dims.asI64(0) < 1) return RequestResult.failure(400, "dimensions: must be an integer of at least 1");
    w.key("parameters").beginObject().key("outputDimensionality").raw(dims).endObject();
  }
  w.endObject();

  const it = root.iter();
  while (it.next()) {
    if (it.value.isNull() || MAPPED_FIELDS.includes(it.key!.str())) continue;
    res.drop(it.key!.str());
  }
  res.ok = true;
  res.body = w.take();
  return res;
}
