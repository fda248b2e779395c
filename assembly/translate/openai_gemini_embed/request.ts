// OpenAI embeddings request → Gemini batchEmbedContents request
// (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents):
//   {"requests":[{"model":"models/<model>","content":{"parts":[{"text":<input>}]},"outputDimensionality":<dimensions>}…]}
// One request per input string, in order (the answer's embeddings come back in the same order). The model is in the
// URL too (`models/{model}:batchEmbedContents`); every request repeats it, as the API requires. Gemini embeds text:
// token-id inputs are refused. `encoding_format: "base64"` (the OpenAI SDKs' default) is honoured by the response
// translator (TranslateOptions.embeddingsBase64).

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { RequestResult, TranslateOptions } from "../common";
import { startEmbeddings } from "../embeddings";

/** Fields with a meaning here; `user` changes nothing in the vectors and is left out silently. */
const KNOWN: Array<string> = ["model", "input", "dimensions", "encoding_format", "user"];

export function openaiToGeminiEmbedRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startEmbeddings(body, opts, "Gemini", KNOWN);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const input = root.get("input")!;
  const dims = root.get("dimensions");
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
