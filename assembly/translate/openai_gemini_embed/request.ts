// OpenAI embeddings request → Gemini batchEmbedContents request
// (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents):
//   {"requests":[{"model":"models/<model>","content":{"parts":[{"text":<input>}]},"outputDimensionality":<dimensions>}…]}
// One request per input string, in order (the answer's embeddings come back in the same order). The model is in the
// URL too (`models/{model}:batchEmbedContents`); every request repeats it, as the API requires. Gemini embeds text:
// token-id inputs are refused. `encoding_format: "base64"` (the OpenAI SDKs' default) is honoured by the response
// translator (TranslateOptions.embeddingsBase64).

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readModel, readRequestBody, RequestResult, TranslateOptions } from "../common";
import { keyIn, kindName } from "../util";
import { readEncodingFormat } from "../whole-answer";

/** Fields with a meaning here; `user` changes nothing in the vectors and is left out silently. */
const KNOWN: Array<string> = ["model", "input", "dimensions", "encoding_format", "user"];

export function openaiToGeminiEmbedRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  if (read.failure !== null) return read.failure!;
  const root = read.root!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");

  const input = root.get("input");
  if (input == null || !(input.isString() || input.isArray())) return RequestResult.failure(400, "input: must be a string or an array of strings, got " + kindName(input));
  if (input.isArray()) {
    if (input.length == 0) return RequestResult.failure(400, "input: must not be empty");
    const it = input.iter();
    while (it.next()) {
      if (!it.value.isString()) return RequestResult.failure(400, "input." + it.index.toString() + ": must be a string (Gemini embeds text, not token ids), got " + kindName(it.value));
    }
  }
  const dims = root.get("dimensions");
  if (dims != null && !dims.isNull() && (!dims.isNumber() || !dims.isInteger() || dims.asI64(0) < 1)) return RequestResult.failure(400, "dimensions: must be an integer of at least 1");
  const formatProblem = readEncodingFormat(root, opts);
  if (formatProblem.length) return RequestResult.failure(400, formatProblem);
  const fields = root.iter();
  while (fields.next()) if (!fields.value.isNull() && !keyIn(fields.key!, KNOWN)) res.drop(fields.key!.str());

  const model = "models/" + res.upstreamModel;
  const w = new JsonWriter(body.length + 128 * (input.isArray() ? input.length : 1));
  w.beginObject().key("requests").beginArray();
  if (input.isString()) writeRequest(w, model, input, dims);
  else {
    const it = input.iter();
    while (it.next()) writeRequest(w, model, it.value, dims);
  }
  w.endArray().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

function writeRequest(w: JsonWriter, model: string, text: JsonValue, dims: JsonValue | null): void {
  w.beginObject().fieldString("model", model).key("content").beginObject().key("parts").beginArray()
    .beginObject().key("text").raw(text).endObject().endArray().endObject();
  if (dims != null && dims.isNumber()) w.key("outputDimensionality").raw(dims);
  w.endObject();
}
