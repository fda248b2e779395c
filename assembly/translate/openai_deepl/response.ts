// DeepL translate answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://developers.deepl.com/api-reference/translate (200: {"translations":[{"detected_source_language",
// "text"}]}; errors {"message"} with 400, 403, 413, 429, 456 quota exceeded, 5xx).
//
// As Higress's deepl provider answers (seed 001): one choice per translation, in request order, the detected source
// language as the message's `name`. Keys: id, object, created, model, choices[{index, message{role, content, name},
// logprobs, finish_reason}]. DeepL counts characters, not tokens: no usage object. Requests never stream (the
// request translator refuses stream: true), so only whole bodies arrive here.

import { parseJson } from "../../json/parse";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { convertErrorBody, streamErrorEvent } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { ByteBuffer } from "../../bytes/buffer";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";

export class OpenAIDeepLResponse extends ConvertingTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.DeepL, opts, stream);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    const list = root != null && root.isObject() ? root.get("translations") : null;
    if (list == null || !list.isArray()) return this.invalid("upstream response has no translations");
    this.model = this.opts.model;
    this.stopReason = "stop";
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("id", "chatcmpl-deepl").fieldString("object", "chat.completion").fieldInt("created", this.opts.nowSeconds)
      .fieldString("model", this.model).key("choices").beginArray();
    const it = list.iter();
    while (it.next()) {
      const t = it.value;
      const text = t.isObject() ? t.get("text") : null;
      if (text == null || !text.isString()) return this.invalid("upstream translation " + it.index.toString() + " has no text");
      w.beginObject().fieldInt("index", it.index).key("message").beginObject().fieldString("role", "assistant").key("content").raw(text);
      const lang = t.get("detected_source_language");
      if (lang != null && lang.isString()) w.key("name").raw(lang);
      w.endObject().fieldNull("logprobs").fieldString("finish_reason", "stop").endObject();
    }
    w.endArray().endObject();
    return w.take();
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(Protocol.OpenAI, status, body);
  }

  // DeepL never streams: a body that arrives as SSE (no such answer exists) is not a translation.
  private parser: SseParser | null = null;
  private out: ByteBuffer | null = null;
  protected sseParser(): SseParser { let p = this.parser; if (p === null) { p = new SseParser(); this.parser = p; } return p; }
  protected output(): ByteBuffer { let o = this.out; if (o === null) { o = new ByteBuffer(256); this.out = o; } return o; }
  protected onEvent(data: Uint8Array, len: i32): void {}
  protected endEarly(): void { this.streamFailed(502, "DeepL answered with an event stream, which it does not send"); }
  protected streamFailed(status: i32, message: string): void {
    this.output().pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }
}
