// OpenAI embeddings request → Vertex AI text embeddings request (`…/publishers/google/models/{model}:predict`,
// https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api):
//   {"instances":[{"content":"…"}, …], "parameters":{"outputDimensionality":N}}
// One instance per input string, in order. `dimensions` → parameters.outputDimensionality. Token-id inputs have no
// Vertex counterpart (it embeds text): refused. `encoding_format` "base64" is honoured on the way back (the answer's
// floats packed as little-endian float32, as OpenAI sends them): the OpenAI Python SDK asks for it by default.
// The model is in the URL, not the body.

import { JsonWriter } from "../../json/writer";
import { RequestResult, TranslateOptions } from "../common";
import { startEmbeddings } from "../embeddings";
import { isEmptyString } from "../util";

/** Request fields read here; others are left out and announced (none changes the vectors Vertex returns). */
const MAPPED_FIELDS: Array<string> = ["model", "input", "dimensions", "encoding_format"];

export function openaiToVertexEmbeddingsRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startEmbeddings(body, opts, "Vertex AI", MAPPED_FIELDS);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const w = new JsonWriter(body.length + 64, true);
  w.beginObject().key("instances").beginArray();
  const input = root.get("input")!;
  if (input.isString()) {
    w.beginObject().key("content").raw(input).endObject();
  } else {
    const it = input.iter();
    while (it.next()) {
      if (isEmptyString(it.value)) return RequestResult.failure(400, "input." + it.index.toString() + ": must not be empty");
      w.beginObject().key("content").raw(it.value).endObject();
    }
  }
  w.endArray();
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull()) w.key("parameters").beginObject().key("outputDimensionality").raw(dims).endObject();
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}
