// NVIDIA Triton generate answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html
// (200: {"model_name","model_version","text_output"}; errors {"error": "…"} with 400; generate_stream: SSE events
// `data: {…"text_output"}`, each a piece of the answer, and no end marker: the stream's end is the answer's end).
//
// Non-streamed: {"id","object":"chat.completion","created","model","choices":[{"index":0,"message":{"role":"assistant",
// "content","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage"} (model = model_name; Triton reports no
// token counts: usage zeros). Streamed: a role chunk, one content chunk per event, and at the upstream's end the finish
// chunk ("stop"), the usage chunk when asked, `data: [DONE]`. An event carrying "error" ends the stream with an error
// chunk.

import { ByteBuffer } from "../../bytes/buffer";
import { JsonParser, parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { convertErrorBody, streamErrorEvent } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";
import { writeOpenAIUsage } from "../usage";
import { pushSseEvent } from "../util";

class TritonStream {
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(512);
  w: JsonWriter = new JsonWriter(256);
  parser: JsonParser = new JsonParser();
}

export class OpenAITritonResponse extends ConvertingTranslator {
  private st_: TritonStream | null = null;
  private id: string = "chatcmpl-triton";
  private roleSent: bool = false;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Triton, opts, stream);
  }

  private get st(): TritonStream {
    let s = this.st_;
    if (s === null) { s = new TritonStream(); this.st_ = s; }
    return s;
  }

  private readHead(root: JsonValue): void {
    const model = root.getString("model_name");
    if (model !== null && model.length > 0 && this.model.length == 0) this.model = model;
    const id = root.getString("id");
    if (id !== null && id.length > 0) this.id = id;
  }
  private modelOr(): string { return this.model.length ? this.model : this.opts.model; }

  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(Protocol.OpenAI, status, body);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    if (root.has("error")) return this.errorAnswer(500, whole);
    const text = root.get("text_output");
    if (text == null || !text.isString()) return this.invalid("upstream response has no text_output");
    this.readHead(root);
    this.stopReason = "stop";
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("id", this.id).fieldString("object", "chat.completion").fieldInt("created", this.opts.nowSeconds)
      .fieldString("model", this.modelOr()).key("choices").beginArray().beginObject().fieldInt("index", 0)
      .key("message").beginObject().fieldString("role", "assistant").key("content").raw(text).fieldNull("refusal").endObject()
      .fieldNull("logprobs").fieldString("finish_reason", "stop").endObject().endArray().key("usage");
    writeOpenAIUsage(w, this.usage);
    w.endObject();
    return w.take();
  }

  protected sseParser(): SseParser { return this.st.sse; }
  protected output(): ByteBuffer { return this.st.out; }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.st.parser.parseRange(data, 0, len);
    if (root == null || !root.isObject()) return;
    const e = root.get("error");
    if (e != null && !e.isNull()) {
      this.streamFailed(500, e.isString() ? e.str() : "upstream error");
      return;
    }
    this.readHead(root);
    this.sendRole();
    const text = root.get("text_output");
    if (text == null || !text.isString() || text.end - text.start <= 2) return;
    const w = this.beginChunk();
    w.key("delta").beginObject().key("content").raw(text).endObject().fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  /** Triton's stream has no end marker: its end (after at least one event) is the answer's end. */
  protected endEarly(): void {
    if (!this.roleSent) {
      this.streamFailed(502, "upstream stream ended before completion");
      return;
    }
    this.stopReason = "stop";
    const w = this.beginChunk();
    w.key("delta").beginObject().endObject().fieldNull("logprobs").fieldString("finish_reason", "stop");
    this.endChunk();
    if (this.clientIncludeUsage) {
      w.reset();
      w.beginObject().fieldString("id", this.id).fieldString("object", "chat.completion.chunk").fieldInt("created", this.opts.nowSeconds)
        .fieldString("model", this.modelOr()).key("choices").beginArray().endArray().key("usage");
      writeOpenAIUsage(w, this.usage);
      w.endObject();
      pushSseEvent(this.st.out, "", w.buf);
    }
    this.st.out.pushString("data: [DONE]\n\n");
    this.finished = true;
  }

  protected streamFailed(status: i32, message: string): void {
    this.st.out.pushBytes(streamErrorEvent(Protocol.OpenAI, status, message));
    this.finished = true;
  }

  private sendRole(): void {
    if (this.roleSent) return;
    this.roleSent = true;
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("role", "assistant").fieldString("content", "").endObject().fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  private beginChunk(): JsonWriter {
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("id", this.id).fieldString("object", "chat.completion.chunk").fieldInt("created", this.opts.nowSeconds)
      .fieldString("model", this.modelOr()).key("choices").beginArray().beginObject().fieldInt("index", 0);
    return w;
  }

  private endChunk(): void {
    this.st.w.endObject().endArray().endObject();
    pushSseEvent(this.st.out, "", this.st.w.buf);
  }
}
