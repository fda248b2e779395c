// Gemini batchEmbedContents answers → OpenAI embeddings answers (client speaks OpenAI).
// Gemini: {"embeddings":[{"values":[0.1,…]}…]} in request order (https://ai.google.dev/api/embeddings#response-body_1).
// OpenAI: {"object":"list","data":[{"object":"embedding","index":i,"embedding":[…]}…],"model":…,"usage":{
// "prompt_tokens","total_tokens"}} (https://platform.openai.com/docs/api-reference/embeddings/object). Gemini reports no
// token count for embeddings: usage is zeros unless the answer carries usageMetadata.promptTokenCount. With
// `encoding_format: "base64"` each vector is the base64 of its little-endian float32 values, as OpenAI sends it.
// Never streamed.

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
import { writeCompact } from "../util";

export class OpenAIGeminiEmbedResponse extends ConvertingTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Gemini, opts, stream);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const list = root != null && root.isObject() ? root.get("embeddings") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no embeddings");
    this.model = this.opts.model;
    const w = new JsonWriter(whole.length + 64 * (list.length + 1));
    w.beginObject().fieldString("object", "list").key("data").beginArray();
    const it = list.iter();
    while (it.next()) {
      const e = it.value;
      const values = e.isObject() ? e.get("values") : null;
      if (values == null || !values.isArray()) return this.invalid("upstream embedding " + it.index.toString() + " has no values");
      w.beginObject().fieldString("object", "embedding").fieldInt("index", it.index).key("embedding");
      if (this.opts.embeddingsBase64) {
        const b = float32Bytes(values);
        if (b === null) return this.invalid("upstream embedding " + it.index.toString() + " has a value that is not a number");
        w.string(base64Encode(b));
      } else writeCompact(w, values);
      w.endObject();
    }
    w.endArray().fieldString("model", this.model);
    const meta = root!.get("usageMetadata");
    const prompt = meta != null && meta.isObject() ? meta.getInt("promptTokenCount", 0) : 0;
    if (prompt > 0) this.usage.inputTokens = prompt;
    w.key("usage").beginObject().fieldInt("prompt_tokens", prompt).fieldInt("total_tokens", prompt).endObject();
    w.endObject();
    return w.take();
  }

  // Embeddings never stream: an event stream here is not an answer.
  private parser: SseParser | null = null;
  private out: ByteBuffer | null = null;
  protected sseParser(): SseParser { let p = this.parser; if (p === null) { p = new SseParser(); this.parser = p; } return p; }
  protected output(): ByteBuffer { let o = this.out; if (o === null) { o = new ByteBuffer(256); this.out = o; } return o; }
  protected onEvent(data: Uint8Array, len: i32): void {}
  protected endEarly(): void { this.streamFailed(502, "Gemini answered embeddings with an event stream"); }
  protected streamFailed(status: i32, message: string): void {
    this.output().pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }
}

/** The values as little-endian float32 bytes (OpenAI's base64 embedding); null when one is not a number. */
function float32Bytes(values: JsonValue): Uint8Array | null {
  const out = new Uint8Array(values.length * 4);
  const it = values.iter();
  while (it.next()) {
    const v = it.value;
    if (!v.isNumber()) return null;
    store<f32>(out.dataStart + (<usize>it.index << 2), <f32>v.asF64(0));
  }
  return out;
}
