// Vertex AI text embeddings answer (`:predict`) → OpenAI embeddings list (client speaks OpenAI).
// Vertex (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api):
//   {"predictions":[{"embeddings":{"values":[…],"statistics":{"token_count":N,"truncated":false}}}, …]}
// OpenAI (https://platform.openai.com/docs/api-reference/embeddings/object):
//   {"object":"list","data":[{"object":"embedding","index":i,"embedding":[…] | "<base64>"}],"model":…,
//    "usage":{"prompt_tokens":N,"total_tokens":N}}
// One item per prediction, in request order; usage sums the predictions' token_count. base64 (encoding_format):
// the values as little-endian float32, as OpenAI encodes them. Embeddings never stream.

import { parseJson } from "../../json/parse";
import { Protocol } from "../../protocol/api";
import { TranslateOptions } from "../common";
import { WholeAnswerTranslator, writeEmbedding } from "../whole-answer";

export class OpenAIVertexEmbeddingsResponse extends WholeAnswerTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Gemini, opts, "Vertex AI answered embeddings with an event stream, which it does not send");
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const list = root != null && root.isObject() ? root.get("predictions") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no predictions");
    const w = this.beginEmbeddings(whole.length + 256);
    let tokens: i64 = 0;
    const it = list.iter();
    while (it.next()) {
      const p = it.value;
      const e = p.isObject() ? p.get("embeddings") : null;
      const values = e != null && e.isObject() ? e.get("values") : null;
      if (values == null || !values.isArray()) return this.invalid("upstream prediction " + it.index.toString() + " has no embeddings.values");
      if (!writeEmbedding(w, it.index, values, this.opts.embeddingsBase64)) return this.invalid("upstream prediction " + it.index.toString() + " has a value that is not a number");
      const stats = e!.get("statistics");
      if (stats != null && stats.isObject()) tokens += <i64>stats.getNumber("token_count", 0);
    }
    return this.endEmbeddings(w, tokens, true);
  }

}
