// Gemini batchEmbedContents answers → OpenAI embeddings answers (client speaks OpenAI).
// Gemini: {"embeddings":[{"values":[0.1,…]}…]} in request order (https://ai.google.dev/api/embeddings#response-body_1).
// OpenAI: {"object":"list","data":[{"object":"embedding","index":i,"embedding":[…]}…],"model":…,"usage":{
// "prompt_tokens","total_tokens"}} (https://platform.openai.com/docs/api-reference/embeddings/object). Gemini reports no
// token count for embeddings: usage is zeros unless the answer carries usageMetadata.promptTokenCount. With
// `encoding_format: "base64"` each vector is the base64 of its little-endian float32 values, as OpenAI sends it.
// Never streamed.

import { parseJson } from "../../json/parse";
import { Protocol } from "../../protocol/api";
import { TranslateOptions } from "../common";
import { WholeAnswerTranslator, writeEmbedding } from "../whole-answer";

export class OpenAIGeminiEmbedResponse extends WholeAnswerTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Gemini, opts, "Gemini answered embeddings with an event stream");
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const list = root != null && root.isObject() ? root.get("embeddings") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no embeddings");
    const w = this.beginEmbeddings(whole.length + 64 * (list.length + 1));
    const it = list.iter();
    while (it.next()) {
      const e = it.value;
      const values = e.isObject() ? e.get("values") : null;
      if (values == null || !values.isArray()) return this.invalid("upstream embedding " + it.index.toString() + " has no values");
      if (!writeEmbedding(w, it.index, values, this.opts.embeddingsBase64)) return this.invalid("upstream embedding " + it.index.toString() + " has a value that is not a number");
    }
    const meta = root!.get("usageMetadata");
    const prompt = meta != null && meta.isObject() ? meta.getInt("promptTokenCount", 0) : 0;
    return this.endEmbeddings(w, prompt, prompt > 0);
  }

}
