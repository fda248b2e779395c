// What the translators from a provider's own chat schema to OpenAI chat share (openai_hunyuan, openai_dashscope):
// writing OpenAI chunks (role chunk first, content / reasoning_content / tool_calls deltas, the finish chunk, the
// usage chunk when asked, [DONE]), reasoningContentMode for streamed reasoning text, and the stream's end. Each pair
// reads its own events (onEvent) and whole bodies.
import { ByteBuffer } from "../bytes/buffer";
import { JsonParser } from "../json/parse";
import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { Protocol } from "../protocol/api";
import { streamErrorEvent } from "../protocol/errors";
import { SseParser } from "../sse/parser";
import { TranslateOptions } from "./common";
import { ConvertingTranslator } from "./converting";
import { REASONING_CONCAT, REASONING_IGNORE, THINK_CLOSE, THINK_OPEN, writeOpenAIUsage } from "./usage";
import { isEmptyString, pushSseEvent, pushStringInner } from "./util";

class StreamParts {
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  parser: JsonParser = new JsonParser();
}

export abstract class OpenAIChunkTranslator extends ConvertingTranslator {
  private parts: StreamParts | null = null;
  protected respId: string = "";
  /** The upstream's creation time when it sends one; 0: the gateway's clock. */
  protected created: i64 = 0;
  protected finishSent: bool = false;
  private roleSent: bool = false;
  private thinkingOpen: bool = false;

  constructor(upstream: Protocol, opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, upstream, opts, stream);
  }

  protected get st(): StreamParts {
    let s = this.parts;
    if (s === null) { s = new StreamParts(); this.parts = s; }
    return s;
  }

  /** The id the stream's first chunk carried: every chunk of a stream has the same id (an upstream may name it late). */
  private streamId: string = "";

  protected idOr(): string {
    if (this.streamId.length) return this.streamId;
    return this.respId.length ? this.respId : "chatcmpl-gateway";
  }
  protected createdOr(): i64 { return this.created > 0 ? this.created : this.opts.nowSeconds; }

  protected sseParser(): SseParser { return this.st.sse; }
  protected output(): ByteBuffer { return this.st.out; }
  protected parse(data: Uint8Array, len: i32): JsonValue | null { return this.st.parser.parseRange(data, 0, len); }

  protected endEarly(): void {
    if (this.finishSent) this.finishStream();
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  protected streamFailed(status: i32, message: string): void { this.streamError(status, message, ""); }

  protected streamError(status: i32, message: string, type: string): void {
    this.st.out.pushBytes(streamErrorEvent(Protocol.OpenAI, status, message, type));
    this.finished = true;
  }

  /** The opening chunk (role assistant), once. */
  protected roleChunk(): void {
    if (this.roleSent) return;
    this.roleSent = true;
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("role", "assistant").fieldString("content", "").endObject();
    this.endChunk(w, "");
  }

  /** Reasoning and visible text of one event, per reasoningContentMode; null or empty strings write nothing. */
  protected texts(reasoning: JsonValue | null, content: JsonValue | null): void {
    if (reasoning != null && reasoning.isString() && !isEmptyString(reasoning) && this.mode != REASONING_IGNORE) {
      if (this.mode == REASONING_CONCAT) {
        if (!this.thinkingOpen) { this.thinkingOpen = true; this.textChunk(null, THINK_OPEN, "content"); }
        this.textChunk(reasoning, "", "content");
      } else this.textChunk(reasoning, "", "reasoning_content");
    }
    if (content != null && content.isString() && !isEmptyString(content)) {
      this.closeThinking();
      this.textChunk(content, "", "content");
    }
  }

  /** The finish chunk, once. */
  protected finishChunk(reason: string): void {
    if (this.finishSent) return;
    this.closeThinking();
    this.finishSent = true;
    this.stopReason = reason;
    const w = this.beginChunk();
    w.key("delta").beginObject().endObject();
    this.endChunk(w, reason);
  }

  protected closeThinking(): void {
    if (!this.thinkingOpen) return;
    this.thinkingOpen = false;
    this.textChunk(null, THINK_CLOSE, "content");
  }

  /** A chunk up to its first choice's `index`; the caller writes `delta`, then endChunk. */
  protected beginChunk(): JsonWriter {
    const w = this.st.w;
    w.reset();
    if (this.streamId.length == 0) this.streamId = this.idOr();
    w.beginObject().fieldString("id", this.idOr()).fieldString("object", "chat.completion.chunk")
      .fieldInt("created", this.createdOr()).fieldString("model", this.model)
      .key("choices").beginArray().beginObject().fieldInt("index", 0);
    return w;
  }

  protected endChunk(w: JsonWriter, finish: string): void {
    w.fieldNull("logprobs").key("finish_reason");
    if (finish.length) w.string(finish); else w.null();
    w.endObject().endArray().endObject();
    pushSseEvent(this.st.out, "", w.buf);
  }

  private textChunk(raw: JsonValue | null, s: string, key: string): void {
    const w = this.beginChunk();
    w.key("delta").beginObject().key(key);
    if (raw !== null) w.raw(raw); else w.string(s);
    w.endObject();
    this.endChunk(w, "");
  }

  private finishStream(): void {
    if (this.clientIncludeUsage) {
      const w = this.st.w;
      w.reset();
      w.beginObject().fieldString("id", this.idOr()).fieldString("object", "chat.completion.chunk")
        .fieldInt("created", this.createdOr()).fieldString("model", this.model)
        .key("choices").beginArray().endArray().key("usage");
      writeOpenAIUsage(w, this.usage);
      w.endObject();
      pushSseEvent(this.st.out, "", w.buf);
    }
    this.st.out.pushString("data: [DONE]\n\n");
    this.finished = true;
  }

  /**
   * A non-streamed answer's head, up to and including the message's content: {"id","object","created","model",
   * "choices":[{"index":0,"message":{"role":"assistant","content": …; reasoning per reasoningContentMode follows in
   * endMessage.
   */
  protected beginMessage(w: JsonWriter, reasoning: JsonValue | null, content: JsonValue | null, hasCalls: bool): void {
    const hasReasoning = reasoning != null && reasoning.isString() && !isEmptyString(reasoning) && this.mode != REASONING_IGNORE;
    const text = content != null && content.isString() && !isEmptyString(content);
    w.beginObject().fieldString("id", this.idOr()).fieldString("object", "chat.completion").fieldInt("created", this.createdOr())
      .fieldString("model", this.model)
      .key("choices").beginArray().beginObject().fieldInt("index", 0).key("message").beginObject().fieldString("role", "assistant").key("content");
    if (hasReasoning && this.mode == REASONING_CONCAT) {
      w.openString().stringPart(THINK_OPEN);
      pushStringInner(w, reasoning!);
      w.stringPart(THINK_CLOSE);
      if (text) pushStringInner(w, content!);
      w.closeString();
    } else if (text) w.raw(content!);
    else if (hasCalls) w.null();
    else w.string("");
    w.fieldNull("refusal");
    if (hasReasoning && this.mode != REASONING_CONCAT) w.key("reasoning_content").raw(reasoning!);
  }

  /** Closes the message written by beginMessage (after its tool_calls) with finish_reason and usage. */
  protected endMessage(w: JsonWriter, finish: string): Uint8Array {
    this.stopReason = finish;
    w.endObject().fieldNull("logprobs").fieldString("finish_reason", finish).endObject().endArray().key("usage");
    writeOpenAIUsage(w, this.usage);
    w.endObject();
    return w.take();
  }
}
