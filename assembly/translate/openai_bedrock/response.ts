// Bedrock Converse answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html (response) and
// https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStream.html (events).
//
// Non-streamed body: {"output":{"message":{"role","content":[{text}|{toolUse}|{reasoningContent}]}},"stopReason",
//   "usage":{inputTokens, outputTokens, totalTokens, cacheReadInputTokens, cacheWriteInputTokens},"metrics"} →
//   {"id","object":"chat.completion","created","model","choices":[{"index":0,"message":{"role":"assistant","content",
//   "refusal":null,"reasoning_content"?,"thinking_blocks"?,"tool_calls"?},"logprobs":null,"finish_reason"}],"usage"}.
//   Converse names neither an id nor the model: id "chatcmpl-bedrock", model the one sent. Reasoning text follows
//   reasoningContentMode; in passthrough mode the signed blocks also ride in thinking_blocks (as from Anthropic), so
//   a client can send them back in its next tool turn.
// Stream: binary event stream frames (event-stream.ts), re-chunked into chat.completion.chunk events: messageStart →
//   the role chunk, contentBlockStart(toolUse) → a tool call's id and name, contentBlockDelta → text /
//   reasoning_content / arguments, messageStop → the finish chunk, metadata (usage, the last event) → the usage
//   chunk when asked and [DONE]. An exception frame (`:message-type exception`, e.g. throttlingException) → an error
//   chunk with the matching status; a stream cut before messageStop → an error chunk.
// stopReason: end_turn / stop_sequence → stop, tool_use → tool_calls, max_tokens / model_context_window_exceeded →
//   length, guardrail_intervened / content_filtered → content_filter.
// usage: inputTokens excludes cache reads and writes (as Anthropic's input_tokens): prompt_tokens = input + read +
//   write, cached_tokens = read; no prompt_tokens_details when the cache was neither read nor written (as Higress).

import { ByteBuffer } from "../../bytes/buffer";
import { JsonParser, parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { streamErrorEvent } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions, Usage } from "../common";
import { ConvertingTranslator } from "../converting";
import { REASONING_CONCAT, REASONING_IGNORE, THINK_CLOSE, THINK_OPEN, writeOpenAIUsage } from "../usage";
import { isEmptyString, pushSseEvent, pushStringInner, writeAsJsonString } from "../util";
import { EventStreamDecoder } from "./event-stream";

const NOTHING = new Uint8Array(0);
const ID = "chatcmpl-bedrock";

function readBedrockUsage(o: JsonValue, u: Usage): void {
  if (!o.isObject()) return;
  const input = o.getInt("inputTokens", -1);
  const output = o.getInt("outputTokens", -1);
  const read = o.getInt("cacheReadInputTokens", -1);
  const write = o.getInt("cacheWriteInputTokens", -1);
  if (input >= 0) u.inputTokens = input;
  if (output >= 0) u.outputTokens = output;
  if (read >= 0) u.cacheReadTokens = read;
  if (write >= 0) u.cacheCreationTokens = write;
}

function finishFromBedrock(reason: string, sawTools: bool): string {
  if (reason == "max_tokens" || reason == "model_context_window_exceeded") return "length";
  if (reason == "guardrail_intervened" || reason == "content_filtered") return "content_filter";
  if (reason == "tool_use") return "tool_calls";
  return sawTools ? "tool_calls" : "stop";
}

/** HTTP status of a ConverseStream exception event (the statuses the same errors carry on Converse). */
function exceptionStatus(type: string): i32 {
  if (type == "throttlingException") return 429;
  if (type == "validationException") return 400;
  if (type == "serviceUnavailableException") return 503;
  if (type == "modelTimeoutException") return 408;
  if (type == "modelStreamErrorException") return 424;
  return 500; // internalServerException and unknown ones
}

class StreamParts {
  events: EventStreamDecoder = new EventStreamDecoder();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  parser: JsonParser = new JsonParser();
}

export class OpenAIBedrockResponse extends ConvertingTranslator {
  private streamParts: StreamParts | null = null;
  private started_: bool = false;
  private finishSent: bool = false;
  private sawTools: bool = false;
  private toolCount: i32 = 0;
  private thinkingOpen: bool = false;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Bedrock, opts, stream);
  }

  // @ts-ignore: decorator
  @inline private get st(): StreamParts {
    let s = this.streamParts;
    if (s === null) { s = new StreamParts(); this.streamParts = s; }
    return s;
  }

  private modelOr(): string { return this.model.length ? this.model : this.opts.model; }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const output = root.get("output");
    const message = output != null && output.isObject() ? output.get("message") : null;
    const content = message != null && message.isObject() ? message.get("content") : null;
    if (content == null || !content.isArray()) return this.invalid("upstream response has no output message");
    const usage = root.get("usage");
    if (usage != null) readBedrockUsage(usage, this.usage);
    let texts = 0, thoughts = 0, tools = 0;
    const it = content.iter();
    while (it.next()) {
      const b = it.value;
      if (!b.isObject()) continue;
      if (b.has("toolUse")) tools++;
      else if (b.has("reasoningContent")) thoughts++;
      else {
        const text = b.get("text");
        if (text != null && text.isString() && !isEmptyString(text)) texts++;
      }
    }
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("id", ID).fieldString("object", "chat.completion").fieldInt("created", this.opts.nowSeconds)
      .fieldString("model", this.modelOr())
      .key("choices").beginArray().beginObject().fieldInt("index", 0).key("message").beginObject().fieldString("role", "assistant");
    const concat = this.mode == REASONING_CONCAT && thoughts > 0;
    w.key("content");
    if (texts == 0 && !concat) {
      if (tools > 0) w.null(); else w.string("");
    } else {
      w.openString();
      if (concat) { w.stringPart(THINK_OPEN); joinReasoning(w, content); w.stringPart(THINK_CLOSE); }
      joinTexts(w, content);
      w.closeString();
    }
    w.fieldNull("refusal");
    if (thoughts > 0 && this.mode != REASONING_CONCAT && this.mode != REASONING_IGNORE) {
      w.key("reasoning_content").openString();
      joinReasoning(w, content);
      w.closeString();
      writeThinkingBlocks(w, content);
    }
    if (tools > 0) {
      w.key("tool_calls").beginArray();
      const tit = content.iter();
      while (tit.next()) {
        const b = tit.value;
        const tu = b.isObject() ? b.get("toolUse") : null;
        if (tu == null || !tu.isObject()) continue;
        w.beginObject();
        writeToolCall(w, tu, true);
        w.endObject();
      }
      w.endArray();
    }
    const reason = root.getString("stopReason");
    this.stopReason = finishFromBedrock(reason !== null ? reason : "", tools > 0);
    w.endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason).endObject().endArray().key("usage");
    writeOpenAIUsage(w, this.usage, true);
    w.endObject();
    return w.take();
  }

  // ------------------------------------------------------------------ stream

  // The SSE loop of ConvertingTranslator is replaced by the event stream decoder (chunk / end below).
  protected sseParser(): SseParser { return new SseParser(); }
  protected output(): ByteBuffer { return this.st.out; }
  protected onEvent(data: Uint8Array, len: i32): void {}

  chunk(bytes: Uint8Array): Uint8Array {
    if (this.finished) return NOTHING;
    const ev = this.st.events;
    ev.begin(bytes);
    while (!this.finished && ev.next()) this.onFrame(ev);
    if (!this.finished && ev.error.length) this.streamError(502, "upstream sent a malformed event stream: " + ev.error, "");
    return this.flush();
  }

  end(): Uint8Array {
    if (this.finished) return NOTHING;
    this.endEarly();
    return this.flush();
  }

  protected endEarly(): void {
    if (this.finishSent) this.finishStream();
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  private onFrame(ev: EventStreamDecoder): void {
    const root = this.st.parser.parseRange(ev.frame, ev.payloadStart, ev.payloadEnd);
    if (ev.messageType == "exception" || ev.messageType == "error") {
      const type = ev.messageType == "error" ? ev.errorCode : ev.exceptionType;
      let msg = ev.errorMessage;
      if (root != null && root.isObject()) {
        const m = root.getString("message");
        if (m !== null && m.length) msg = m;
      }
      this.streamError(exceptionStatus(type), msg.length ? msg : "upstream error " + type, type);
      return;
    }
    if (root == null || !root.isObject()) return;
    const type = ev.eventType;
    if (type == "messageStart") { this.ensureStarted(); return; }
    if (type == "contentBlockStart") {
      this.ensureStarted();
      const s = root.get("start");
      const tu = s != null && s.isObject() ? s.get("toolUse") : null;
      if (tu == null || !tu.isObject()) return;
      this.closeThinking();
      this.sawTools = true;
      const k = this.toolCount++;
      const w = this.beginChunk();
      w.key("delta").beginObject().key("tool_calls").beginArray().beginObject().fieldInt("index", k);
      writeToolCall(w, tu, false);
      w.endObject().endArray().endObject().fieldNull("logprobs").fieldNull("finish_reason");
      this.endChunk();
      return;
    }
    if (type == "contentBlockDelta") {
      this.ensureStarted();
      const d = root.get("delta");
      if (d == null || !d.isObject()) return;
      const text = d.get("text");
      if (text != null && text.isString()) {
        if (isEmptyString(text)) return;
        this.closeThinking();
        this.contentChunk(text, "content");
        return;
      }
      const tu = d.get("toolUse");
      if (tu != null && tu.isObject()) {
        const input = tu.get("input");
        if (input == null || !input.isString() || isEmptyString(input) || this.toolCount == 0) return;
        const w = this.beginChunk();
        w.key("delta").beginObject().key("tool_calls").beginArray().beginObject().fieldInt("index", this.toolCount - 1)
          .key("function").beginObject().key("arguments").raw(input).endObject().endObject().endArray().endObject()
          .fieldNull("logprobs").fieldNull("finish_reason");
        this.endChunk();
        return;
      }
      const rc = d.get("reasoningContent");
      const rt = rc != null && rc.isObject() ? rc.get("text") : null;
      if (rt == null || !rt.isString() || isEmptyString(rt) || this.mode == REASONING_IGNORE) return;
      if (this.mode == REASONING_CONCAT && !this.thinkingOpen) {
        this.thinkingOpen = true;
        this.contentString(THINK_OPEN);
      }
      this.contentChunk(rt, this.mode == REASONING_CONCAT ? "content" : "reasoning_content");
      return;
    }
    if (type == "messageStop") {
      if (this.finishSent) return;
      this.ensureStarted();
      this.closeThinking();
      this.finishSent = true;
      const reason = root.getString("stopReason");
      this.stopReason = finishFromBedrock(reason !== null ? reason : "", this.sawTools);
      const w = this.beginChunk();
      w.key("delta").beginObject().endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason);
      this.endChunk();
      return;
    }
    if (type == "metadata") {
      const u = root.get("usage");
      if (u != null) readBedrockUsage(u, this.usage);
      // The last event of a ConverseStream: the answer is complete.
      if (this.finishSent) this.finishStream();
    }
  }

  private closeThinking(): void {
    if (!this.thinkingOpen) return;
    this.thinkingOpen = false;
    this.contentString(THINK_CLOSE);
  }

  private ensureStarted(): void {
    if (this.started_) return;
    this.started_ = true;
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("role", "assistant").fieldString("content", "").endObject();
    w.fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  private beginChunk(): JsonWriter {
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("id", ID).fieldString("object", "chat.completion.chunk")
      .fieldInt("created", this.opts.nowSeconds).fieldString("model", this.modelOr())
      .key("choices").beginArray().beginObject().fieldInt("index", 0);
    return w;
  }

  private endChunk(): void {
    this.st.w.endObject().endArray().endObject();
    pushSseEvent(this.st.out, "", this.st.w.buf);
  }

  private contentChunk(raw: JsonValue, key: string): void {
    const w = this.beginChunk();
    w.key("delta").beginObject().key(key).raw(raw).endObject().fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  private contentString(s: string): void {
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("content", s).endObject().fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  private finishStream(): void {
    if (this.finished) return;
    if (this.clientIncludeUsage) {
      const w = this.st.w;
      w.reset();
      w.beginObject().fieldString("id", ID).fieldString("object", "chat.completion.chunk")
        .fieldInt("created", this.opts.nowSeconds).fieldString("model", this.modelOr())
        .key("choices").beginArray().endArray().key("usage");
      writeOpenAIUsage(w, this.usage, true);
      w.endObject();
      pushSseEvent(this.st.out, "", w.buf);
    }
    this.st.out.pushString("data: [DONE]\n\n");
    this.finished = true;
  }
}

/** A tool call {id, type, function{name, arguments}} from a toolUse block (streams: arguments "" then deltas). */
function writeToolCall(w: JsonWriter, tu: JsonValue, whole: bool): void {
  w.key("id");
  const id = tu.get("toolUseId");
  if (id != null && id.isString()) w.raw(id); else w.string("");
  w.fieldString("type", "function").key("function").beginObject().key("name");
  const name = tu.get("name");
  if (name != null && name.isString()) w.raw(name); else w.string("");
  w.key("arguments");
  const input = whole ? tu.get("input") : null;
  if (input != null && !input.isNull()) writeAsJsonString(w, input); else w.string(whole ? "{}" : "");
  w.endObject();
}

function joinTexts(w: JsonWriter, content: JsonValue): void {
  const it = content.iter();
  while (it.next()) {
    const b = it.value;
    if (!b.isObject()) continue;
    const text = b.get("text");
    if (text != null && text.isString()) pushStringInner(w, text);
  }
}

/** reasoningContent.reasoningText of a block, or null. */
function reasoningText(b: JsonValue): JsonValue | null {
  const rc = b.isObject() ? b.get("reasoningContent") : null;
  const rt = rc != null && rc.isObject() ? rc.get("reasoningText") : null;
  return rt != null && rt.isObject() ? rt : null;
}

function joinReasoning(w: JsonWriter, content: JsonValue): void {
  const it = content.iter();
  while (it.next()) {
    const rt = reasoningText(it.value);
    const text = rt != null ? rt.get("text") : null;
    if (text != null && text.isString()) pushStringInner(w, text);
  }
}

/** thinking_blocks: [{type:"thinking", thinking, signature}] / [{type:"redacted_thinking", data}], as from Anthropic. */
function writeThinkingBlocks(w: JsonWriter, content: JsonValue): void {
  w.key("thinking_blocks").beginArray();
  const it = content.iter();
  while (it.next()) {
    const b = it.value;
    const rc = b.isObject() ? b.get("reasoningContent") : null;
    if (rc == null || !rc.isObject()) continue;
    const rt = reasoningText(b);
    if (rt != null) {
      const text = rt.get("text");
      const sig = rt.get("signature");
      w.beginObject().fieldString("type", "thinking").key("thinking");
      if (text != null && text.isString()) w.raw(text); else w.string("");
      w.key("signature");
      if (sig != null && sig.isString()) w.raw(sig); else w.string("");
      w.endObject();
      continue;
    }
    const red = rc.get("redactedContent");
    if (red != null && red.isString()) w.beginObject().fieldString("type", "redacted_thinking").key("data").raw(red).endObject();
  }
  w.endArray();
}
