// What the converting translators of APIs that answer once (embeddings, image generation) share: an event stream in
// their place is not an answer, so it ends in an in-stream error; and OpenAI's embedding objects, whose vectors go
// as numbers or, when the client asked `encoding_format: "base64"` (the OpenAI SDKs' default), as the base64 of
// their little-endian float32 values (https://platform.openai.com/docs/api-reference/embeddings/create).
import { ByteBuffer } from "../bytes/buffer";
import { base64Encode } from "../crypto/base64";
import { JsonValue, JsonWriter } from "../json";
import { Protocol } from "../protocol/api";
import { streamErrorEvent } from "../protocol/errors";
import { SseParser } from "../sse/parser";
import { TranslateOptions } from "./common";
import { ConvertingTranslator } from "./converting";
import { writeCompact } from "./util";

export abstract class WholeAnswerTranslator extends ConvertingTranslator {
  private parser: SseParser | null = null;
  private out: ByteBuffer | null = null;

  /** `streamed`: the message a client gets when the upstream answers with an event stream instead. */
  constructor(upstream: Protocol, opts: TranslateOptions, private streamed: string) {
    super(Protocol.OpenAI, upstream, opts, false);
  }

  protected sseParser(): SseParser { let p = this.parser; if (p === null) { p = new SseParser(); this.parser = p; } return p; }
  protected output(): ByteBuffer { let o = this.out; if (o === null) { o = new ByteBuffer(256); this.out = o; } return o; }
  protected onEvent(data: Uint8Array, len: i32): void {}
  protected endEarly(): void { this.streamFailed(502, this.streamed); }
  protected streamFailed(status: i32, message: string): void {
    this.output().pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }

  /** OpenAI's embeddings list (https://platform.openai.com/docs/api-reference/embeddings/object), opened for writeEmbedding items. */
  protected beginEmbeddings(capacity: i32): JsonWriter {
    this.model = this.opts.model;
    const w = new JsonWriter(capacity);
    w.beginObject().fieldString("object", "list").key("data").beginArray();
    return w;
  }

  /** Closes the list with the model and `tokens` as prompt and total tokens; `counted`: the upstream reported them (usage). */
  protected endEmbeddings(w: JsonWriter, tokens: i64, counted: bool): Uint8Array {
    if (counted) {
      this.usage.inputTokens = tokens;
      this.usage.outputTokens = 0;
    }
    w.endArray().fieldString("model", this.model).key("usage").beginObject()
      .fieldInt("prompt_tokens", tokens).fieldInt("total_tokens", tokens).endObject().endObject();
    return w.take();
  }
}

/** One `{"object":"embedding","index":…,"embedding":…}`; false (nothing written) when a value is not a number. */
export function writeEmbedding(w: JsonWriter, index: i64, values: JsonValue, base64: bool): bool {
  let encoded = "";
  if (base64) {
    const bytes = new Uint8Array(values.length * 4);
    const it = values.iter();
    while (it.next()) {
      if (!it.value.isNumber()) return false;
      store<f32>(bytes.dataStart + (<usize>it.index << 2), <f32>it.value.asF64(0));
    }
    encoded = base64Encode(bytes);
  }
  w.beginObject().fieldString("object", "embedding").fieldInt("index", index).key("embedding");
  if (base64) w.string(encoded); else writeCompact(w, values);
  w.endObject();
  return true;
}
