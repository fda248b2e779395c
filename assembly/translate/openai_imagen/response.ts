// Imagen predict answers → OpenAI image generation answers (client speaks OpenAI).
// Imagen: {"predictions":[{"bytesBase64Encoded":…,"mimeType":"image/png"}…]}; an image its safety filter withheld comes
// as {"raiFilteredReason":…} instead (https://ai.google.dev/gemini-api/docs/imagen). OpenAI:
// {"created":…,"data":[{"b64_json":…}…]} (https://platform.openai.com/docs/api-reference/images/object). When every
// image was withheld the client gets OpenAI's 400 with the filter's reason (OpenAI answers a refused prompt so).
// Never streamed.

import { ByteBuffer } from "../../bytes/buffer";
import { parseJson } from "../../json/parse";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { openaiErrorBody, streamErrorEvent } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";

export class OpenAIImagenResponse extends ConvertingTranslator {
  /** Every image was withheld by Imagen's filter: the 2xx becomes a 400. */
  private refused: bool = false;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Gemini, opts, stream);
  }

  clientStatus(status: i32): i32 {
    if (this.refused && status >= 200 && status < 300) return 400;
    return super.clientStatus(status);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const list = root.get("predictions");
    this.model = this.opts.model;
    const w = new JsonWriter(whole.length + 64);
    w.beginObject().fieldInt("created", this.opts.nowSeconds).key("data").beginArray();
    let images = 0;
    let reason = "";
    if (list != null && list.isArray()) {
      const it = list.iter();
      while (it.next()) {
        const p = it.value;
        if (!p.isObject()) continue;
        const b64 = p.get("bytesBase64Encoded");
        if (b64 != null && b64.isString()) {
          w.beginObject().key("b64_json").raw(b64).endObject();
          images++;
          continue;
        }
        const why = p.get("raiFilteredReason");
        if (why != null && why.isString() && reason.length == 0) reason = why.str();
      }
    }
    if (images == 0) {
      if (list != null && !list.isArray()) return this.invalid("upstream predictions is not an array");
      // Imagen answers a prompt its filter refused with no predictions at all (or only filtered ones).
      this.refused = true;
      return openaiErrorBody(400, "the image generation was refused by Imagen's safety filter" + (reason.length ? ": " + reason : ""), "invalid_request_error", "content_policy_violation");
    }
    w.endArray().endObject();
    return w.take();
  }

  // Image generation never streams here: an event stream is not an answer.
  private parser: SseParser | null = null;
  private out: ByteBuffer | null = null;
  protected sseParser(): SseParser { let p = this.parser; if (p === null) { p = new SseParser(); this.parser = p; } return p; }
  protected output(): ByteBuffer { let o = this.out; if (o === null) { o = new ByteBuffer(256); this.out = o; } return o; }
  protected onEvent(data: Uint8Array, len: i32): void {}
  protected endEarly(): void { this.streamFailed(502, "Imagen answered with an event stream"); }
  protected streamFailed(status: i32, message: string): void {
    this.output().pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }
}
