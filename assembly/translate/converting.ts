// What the two converting translators (anthropic_openai, openai_anthropic) share: statuses for unusable 2xx bodies,
// error conversion, the SSE event loop over each chunk, the end-of-stream handling and output flushing. Each pair
// supplies its stream state (parser, output buffer), what one event becomes, and how a stream ends early or fails.
import { ByteBuffer } from "../bytes/buffer";
import { clientErrorStatus, convertErrorBody, errorBody, streamErrorEvent } from "../protocol/errors";
import { SseParser } from "../sse/parser";
import { ResponseTranslator, TranslateOptions } from "./common";
import { reasoningMode } from "./usage";
import { Protocol } from "../protocol/api";

const NOTHING = new Uint8Array(0);

export abstract class ConvertingTranslator extends ResponseTranslator {
  /** A 2xx body could not be converted: its status becomes 502. */
  protected invalidBody: bool = false;
  /** reasoningContentMode, decoded once. */
  protected mode: i32;
  /** The `event:` name of the event onEvent is given ("" when it has none): Coze names its events only there. */
  protected eventName: string = "";

  constructor(client: Protocol, upstream: Protocol, opts: TranslateOptions, stream: bool) {
    super(client, upstream, opts, stream);
    this.mode = reasoningMode(opts.reasoningContentMode);
  }

  /** The streamed answer's SSE parser and output buffer (made on first use by the pair's stream state). */
  protected abstract sseParser(): SseParser;
  protected abstract output(): ByteBuffer;
  /** One event whose data is data[0, len). */
  protected abstract onEvent(data: Uint8Array, len: i32): void;
  /** The upstream stream ended before its proper end: terminate the client's stream well-formed. */
  protected abstract endEarly(): void;

  /** A failure seen by the plugin (upstream reset, timeout…) as an in-stream error event. */
  protected streamFailed(status: i32, message: string): void {
    this.streamError(status, message, "");
  }

  /** An in-stream error event in the client's protocol; the stream is finished afterwards. */
  protected streamError(status: i32, message: string, type: string): void {
    this.output().pushBytes(streamErrorEvent(this.client, status, message, type));
    this.finished = true;
  }

  protected invalid(message: string): Uint8Array {
    this.invalidBody = true;
    return errorBody(this.client, 502, message);
  }

  /** The provider's error object came with a 2xx: the status its code names, which the client gets (0: none). */
  protected errorIn2xx: i32 = 0;

  /** The provider's error object sent with a 2xx status: an error for the client, with that code's status (400–599, else 502). */
  protected errorAnswer(code: i64, whole: Uint8Array): Uint8Array {
    const status = code >= 400 && code <= 599 ? <i32>code : 502;
    this.errorIn2xx = status;
    return this.error(status, whole);
  }

  clientStatus(status: i32): i32 {
    if (status >= 200 && status < 300) return this.errorIn2xx > 0 ? clientErrorStatus(this.client, this.errorIn2xx) : this.invalidBody ? 502 : status;
    return clientErrorStatus(this.client, status);
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(this.client, status, body);
  }

  chunk(bytes: Uint8Array): Uint8Array {
    if (this.finished) return NOTHING;
    const sse = this.sseParser();
    sse.begin(bytes);
    while (!this.finished && sse.next()) {
      this.eventName = sse.event;
      this.onEvent(sse.dataBuffer(), sse.dataLength);
    }
    return this.flush();
  }

  end(): Uint8Array {
    if (this.finished) return NOTHING;
    const events = this.sseParser().finish();
    for (let i = 0; i < events.length && !this.finished; i++) {
      this.eventName = events[i].event;
      this.onEvent(events[i].data, events[i].data.length);
    }
    if (!this.finished) this.endEarly();
    return this.flush();
  }

  fail(status: i32, message: string): Uint8Array {
    if (this.finished) return NOTHING;
    this.streamFailed(status, message);
    return this.flush();
  }

  /** What was written since the last call, as an exact-size copy: the buffer keeps its capacity for the next chunk. */
  protected flush(): Uint8Array {
    const out = this.output();
    if (out.length == 0) return NOTHING;
    this.started = true;
    const bytes = out.toBytes();
    out.clear();
    return bytes;
  }
}
