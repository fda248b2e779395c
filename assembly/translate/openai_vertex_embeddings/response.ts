// Vertex AI text embeddings answer (`:predict`) → OpenAI embeddings list (client speaks OpenAI).
// Vertex (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api):
//   {"predictions":[{"embeddings":{"values":[…],"statistics":{"token_count":N,"truncated":false}}}, …]}
// OpenAI (https://platform.openai.com/docs/api-reference/embeddings/object):
//   {"object":"list","data":[{"object":"embedding","index":i,"embedding":[…] | "<base64>"}],"model":…,
//    "usage":{"prompt_tokens":N,"total_tokens":N}}
// One item per prediction, in request order; usage sums the predictions' token_count. base64 (encoding_format):
// the values as little-endian float32, as OpenAI encodes them. Embeddings never stream.

import { ByteBuffer } from "../../bytes/buffer";
import { base64Encode } from "../../crypto/base64";
import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { streamErrorEvent } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";

export class OpenAIVertexEmbeddingsResponse extends ConvertingTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Gemini, opts, stream);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const list = root != null && root.isObject() ? root.get("predictions") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no predictions");
    this.model = this.opts.model;
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("object", "list").key("data").beginArray();
    let tokens: i64 = 0;
    const it = list.iter();
    while (it.next()) {
      const p = it.value;
      const e = p.isObject() ? p.get("embeddings") : null;
      const values = e != null && e.isObject() ? e.get("values") : null;
      if (values == null || !values.isArray()) return this.invalid("upstream prediction " + it.index.toString() + " has no embeddings.values");
      w.beginObject().fieldString("object", "embedding").fieldInt("index", it.index).key("embedding");
      if (this.opts.embeddingsBase64) {
        const packed = packFloat32(values);
        if (packed === null) return this.invalid("upstream prediction " + it.index.toString() + " has a value that is not a number");
        w.string(base64Encode(packed!));
      } else {
        w.raw(values);
      }
      w.endObject();
      const stats = e!.get("statistics");
      if (stats != null && stats.isObject()) tokens += <i64>stats.getNumber("token_count", 0);
    }
    w.endArray().fieldString("model", this.model).key("usage").beginObject()
      .fieldInt("prompt_tokens", tokens).fieldInt("total_tokens", tokens).endObject().endObject();
    this.usage.inputTokens = tokens;
    this.usage.outputTokens = 0;
    return w.take();
  }

  // Vertex never streams embeddings: an event stream here is not an answer.
  private parser: SseParser | null = null;
  private out: ByteBuffer | null = null;
  protected sseParser(): SseParser { let p = this.parser; if (p === null) { p = new SseParser(); this.parser = p; } return p; }
  protected output(): ByteBuffer { let o = this.out; if (o === null) { o = new ByteBuffer(256); this.out = o; } return o; }
  protected onEvent(data: Uint8Array, len: i32): void {}
  protected endEarly(): void { this.streamFailed(502, "Vertex AI answered embeddings with an event stream, which it does not send"); }
  protected streamFailed(status: i32, message: string): void {
    this.output().pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }
}

/** The numbers of `values` as little-endian float32 bytes; null when one is not a number. */
function packFloat32(values: JsonValue): Uint8Array | null {
  const out = new Uint8Array(values.length * 4);
  const it = values.iter();
  while (it.next()) {
    const v = it.value;
    if (!v.isNumber()) return null;
    store<f32>(out.dataStart + <usize>(it.index * 4), <f32>parseFloat(v.rawString()));
  }
  return out;
}
