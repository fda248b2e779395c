// Anthropic Messages answers → OpenAI Chat Completions answers (client speaks OpenAI).
//
// Non-streamed body, keys in this order:
//   {"id","object":"chat.completion","created","model","choices":[{"index":0,"message":{"role":"assistant",
//    "content","reasoning_content"?,"thinking_blocks"?,"tool_calls"?},"logprobs":null,"finish_reason"}],"usage":{…}}
//   content: text blocks joined (null when there is none and tools were called); reasoning_content
//   and thinking_blocks (the verbatim thinking/redacted_thinking blocks, so a client that sends the
//   message back keeps Claude's signatures) only in passthrough mode; in concat mode the thinking
//   text is put in content as <think>…</think>.
//
// Stream: every chunk is
//   {"id","object":"chat.completion.chunk","created","model","choices":[{"index":0,"delta":{…},"logprobs":null,"finish_reason":…}]}
// message_start → role chunk; text_delta → content; tool_use start → tool_calls[{index,id,type,function:{name,arguments:""}}];
// input_json_delta → tool_calls[{index,function:{arguments}}]; thinking_delta → reasoning_content (or content
// in concat mode); message_delta → finish chunk; message_stop → usage chunk (choices [], when the client
// asked with stream_options.include_usage) and `data: [DONE]`; error → error chunk and [DONE].

import { ByteBuffer } from "../../bytes/buffer";
import { JsonParser, parseJson } from "../../json/parse";
import { utf8Encode } from "../../bytes/utf8";
import { JsonDoc, JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { errorInfoFromValue, ErrorInfo, statusOfAnthropicType } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";
import {
  readAnthropicUsage, writeOpenAIUsage, finishFromStopReason, reasoningMode,
  REASONING_CONCAT, REASONING_IGNORE, THINK_OPEN, THINK_CLOSE,
} from "../usage";
import { beginChunkEnvelope, endChoiceChunk, isEmptyString, pushSseEvent, pushStringInner, typeOf, writeAsJsonString, writeCompact } from "../util";

// Fixed pieces of the streamed chunks (exactly what JsonWriter writes for them).
const DATA_PREFIX = utf8Encode("data: ");
const HEAD_CONTENT = utf8Encode(",\"delta\":{\"content\":");
const HEAD_REASONING = utf8Encode(",\"delta\":{\"reasoning_content\":");
const TAIL_DELTA = utf8Encode("},\"logprobs\":null,\"finish_reason\":null}]}");
const HEAD_TOOL_INDEX = utf8Encode(",\"delta\":{\"tool_calls\":[{\"index\":");
const HEAD_TOOL_ARGS = utf8Encode(",\"function\":{\"arguments\":");
const TAIL_TOOL = utf8Encode("}}]},\"logprobs\":null,\"finish_reason\":null}]}");

/** The (shared, empty) result of a chunk that produced nothing. */
const EMPTY_DOC = new JsonDoc(new Uint8Array(0), new ArrayBuffer(16), 0);

/** What a streamed answer needs, kept out of non-streamed requests. */
class StreamParts {
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  /** One tape reused for every event's JSON. */
  parser: JsonParser = new JsonParser();
  /** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":[{"index":0`, made once per stream. */
  envelope: ByteBuffer = new ByteBuffer(160);
  toolHead: ByteBuffer = new ByteBuffer(64);
  /** Anthropic block index → OpenAI tool_calls index (-1: not a tool block). */
  blockTool: Map<i32, i32> = new Map();
  /** Anthropic block index of a thinking block opened in concat mode. */
  thinkingBlocks: Map<i32, bool> = new Map();
  // Scratch values for the per-event lookups (getInto): no allocation per delta event.
  vDelta: JsonValue = new JsonValue(EMPTY_DOC, 0);
  vText: JsonValue = new JsonValue(EMPTY_DOC, 0);
}

export class OpenAIAnthropicResponse extends ConvertingTranslator {
  /** Streaming state, made on the first streamed call (a non-streamed answer never needs it). */
  private streamParts: StreamParts | null = null;
  private envelopeValid: bool = false;

  private msgId: string = "";
  private messageStarted: bool = false;
  private finishSent: bool = false;
  private toolCount: i32 = 0;

  // @ts-ignore: decorator
  @inline private get st(): StreamParts {
    let s = this.streamParts;
    if (s === null) { s = new StreamParts(); this.streamParts = s; }
    return s;
  }

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Anthropic, opts, stream);
  }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const r = parseJson(whole);
    const root = r.value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    if (typeOf(root) == "error") return this.error(502, whole);
    const content = root.get("content");
    if (content == null || !content.isArray()) return this.invalid("upstream response has no content array");

    const w = new JsonWriter(whole.length + 256);
    w.beginObject().key("id");
    const id = root.get("id");
    if (id != null && id.isString() && !isEmptyString(id)) w.raw(id); else w.string("chatcmpl-gateway");
    w.fieldString("object", "chat.completion").fieldInt("created", this.opts.nowSeconds).key("model");
    const model = root.get("model");
    if (model != null && model.isString()) { w.raw(model); this.model = model.str(); } else w.string(this.opts.model);
    w.key("choices").beginArray().beginObject().fieldInt("index", 0).key("message").beginObject().fieldString("role", "assistant");

    let texts = 0, thinking = 0, tools = 0, signed = 0;
    let it = content.iter();
    while (it.next()) {
      const b = it.value;
      if (!b.isObject()) continue;
      const t = typeOf(b);
      if (t == "text") { const x = b.get("text"); if (x != null && x.isString() && !isEmptyString(x)) texts++; }
      else if (t == "thinking") { const x = b.get("thinking"); if (x != null && x.isString() && !isEmptyString(x)) thinking++; signed++; }
      else if (t == "redacted_thinking") signed++;
      else if (t == "tool_use") tools++;
    }
    const concat = this.mode == REASONING_CONCAT && thinking > 0;
    const passthrough = this.mode != REASONING_CONCAT && this.mode != REASONING_IGNORE;
    w.key("content");
    if (texts == 0 && !concat) {
      if (tools > 0) w.null(); else w.string("");
    } else {
      w.openString();
      if (concat) { w.stringPart(THINK_OPEN); this.joinThinking(w, content); w.stringPart(THINK_CLOSE); }
      it = content.iter();
      while (it.next()) {
        const b = it.value;
        if (!b.isObject() || typeOf(b) != "text") continue;
        const x = b.get("text");
        if (x != null && x.isString()) pushStringInner(w, x);
      }
      w.closeString();
    }
    // Part of OpenAI's message object (https://platform.openai.com/docs/api-reference/chat/object): null, as
    // Claude's refusals arrive as stop_reason "refusal" (finish_reason content_filter) with whatever text came.
    w.fieldNull("refusal");
    if (passthrough && thinking > 0) {
      w.key("reasoning_content").openString();
      this.joinThinking(w, content);
      w.closeString();
    }
    if (passthrough && signed > 0) {
      w.key("thinking_blocks").beginArray();
      it = content.iter();
      while (it.next()) {
        const b = it.value;
        const t = b.isObject() ? typeOf(b) : "";
        if (t == "thinking" || t == "redacted_thinking") writeCompact(w, b);
      }
      w.endArray();
    }
    if (tools > 0) {
      w.key("tool_calls").beginArray();
      it = content.iter();
      while (it.next()) {
        const b = it.value;
        if (!b.isObject() || typeOf(b) != "tool_use") continue;
        w.beginObject().key("id");
        const tid = b.get("id");
        if (tid != null && tid.isString()) w.raw(tid); else w.string("call_gw_" + it.index.toString());
        w.fieldString("type", "function").key("function").beginObject().key("name");
        const name = b.get("name");
        if (name != null && name.isString()) w.raw(name); else w.string("");
        w.key("arguments");
        const input = b.get("input");
        if (input != null && !input.isNull()) writeAsJsonString(w, input); else w.string("{}");
        w.endObject().endObject();
      }
      w.endArray();
    }
    w.endObject().fieldNull("logprobs");
    const sr = root.get("stop_reason");
    const stop = sr != null && sr.isString() ? sr.str() : "";
    this.stopReason = finishFromStopReason(stop);
    w.fieldString("finish_reason", this.stopReason).endObject().endArray();
    const usage = root.get("usage");
    if (usage != null) readAnthropicUsage(usage, this.usage);
    w.key("usage");
    writeOpenAIUsage(w, this.usage);
    w.endObject();
    return w.take();
  }

  private joinThinking(w: JsonWriter, content: JsonValue): void {
    let n = 0;
    const it = content.iter();
    while (it.next()) {
      const b = it.value;
      if (!b.isObject() || typeOf(b) != "thinking") continue;
      const x = b.get("thinking");
      if (x == null || !x.isString() || isEmptyString(x)) continue;
      if (n > 0) w.stringPart("\n");
      pushStringInner(w, x);
      n++;
    }
  }

  protected sseParser(): SseParser { return this.st.sse; }
  protected output(): ByteBuffer { return this.st.out; }

  protected endEarly(): void {
    if (this.finishSent) this.finishStream(); // message_delta came, message_stop did not
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  /** One event whose JSON is data[0, len). */
  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.st.parser.parseRange(data, 0, len);
    if (root == null || !root.isObject()) return;
    const type = typeOf(root);
    if (type == "content_block_delta") {
      this.ensureStarted();
      this.onDelta(root);
    } else if (type == "message_start") {
      this.envelopeValid = false;
      const msg = root.get("message");
      if (msg != null && msg.isObject()) {
        const id = msg.getString("id");
        if (id != null) this.msgId = id;
        const model = msg.getString("model");
        if (model != null) this.model = model;
        const usage = msg.get("usage");
        if (usage != null) readAnthropicUsage(usage, this.usage);
      }
      this.ensureStarted();
    } else if (type == "content_block_start") {
      this.ensureStarted();
      this.onBlockStart(root);
    } else if (type == "content_block_stop") {
      const idx = <i32>root.getInt("index", -1);
      if (this.st.thinkingBlocks.has(idx)) {
        this.st.thinkingBlocks.delete(idx);
        this.contentChunkString(THINK_CLOSE);
      }
    } else if (type == "message_delta") {
      this.ensureStarted();
      const usage = root.get("usage");
      if (usage != null) readAnthropicUsage(usage, this.usage);
      const d = root.get("delta");
      const sr = d != null && d.isObject() ? d.getString("stop_reason") : null;
      if (sr != null && !this.finishSent) {
        this.stopReason = finishFromStopReason(sr);
        this.finishSent = true;
        const w = this.beginChunk();
        w.key("delta").beginObject().endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason);
        this.endChunk();
      }
    } else if (type == "message_stop") {
      this.finishStream();
    } else if (type == "error") {
      const info = new ErrorInfo();
      errorInfoFromValue(root, info);
      if (info.message.length == 0) info.message = "upstream error";
      this.streamError(statusOfAnthropicType(info.type), info.message, info.type);
    }
    // ping and unknown events: nothing to send
  }

  private ensureStarted(): void {
    if (this.messageStarted) return;
    this.messageStarted = true;
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("role", "assistant").fieldString("content", "").endObject();
    w.fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  /** Writes the chunk envelope up to the choice object's first member. */
  private beginChunk(): JsonWriter {
    return beginChunkEnvelope(this.st.w, this.idOr(), this.opts.nowSeconds, this.modelOr()).beginObject().fieldInt("index", 0);
  }

  private endChunk(): void {
    endChoiceChunk(this.st.w, this.st.out);
  }

  private idOr(): string { return this.msgId.length ? this.msgId : "chatcmpl-gateway"; }
  private modelOr(): string { return this.model.length ? this.model : this.opts.model; }

  /** The chunk envelope's bytes (what beginChunk() writes), built once per id/model. */
  private chunkEnvelope(): ByteBuffer {
    const env = this.st.envelope;
    if (!this.envelopeValid) {
      const w = this.beginChunk();
      env.clear();
      env.pushBuffer(w.buf);
      this.envelopeValid = true;
    }
    return env;
  }

  /** `data: ` + envelope + head + raw + tail + blank line: a delta chunk without JsonWriter (the hot path). */
  private fastChunk(head: Uint8Array, raw: JsonValue, tail: Uint8Array): void {
    const env = this.chunkEnvelope();
    const out = this.st.out;
    out.reserve(6 + env.length + head.length + (raw.end - raw.start) + tail.length + 2);
    out.pushBytes(DATA_PREFIX);
    out.pushBuffer(env);
    out.pushBytes(head);
    out.pushSlice(raw.source, raw.start, raw.end);
    out.pushBytes(tail);
    out.push2(0x0A, 0x0A);
  }

  private contentChunk(raw: JsonValue, key: string): void {
    // = beginChunk(); key("delta").beginObject().key(key).raw(raw).endObject().fieldNull("logprobs").fieldNull("finish_reason")
    this.fastChunk(key == "content" ? HEAD_CONTENT : HEAD_REASONING, raw, TAIL_DELTA);
  }

  private contentChunkString(s: string): void {
    const w = this.beginChunk();
    w.key("delta").beginObject().fieldString("content", s).endObject().fieldNull("logprobs").fieldNull("finish_reason");
    this.endChunk();
  }

  private onBlockStart(root: JsonValue): void {
    const idx = <i32>root.getInt("index", -1);
    const cb = root.get("content_block");
    if (cb == null || !cb.isObject()) return;
    const t = typeOf(cb);
    if (t == "text") {
      const text = cb.get("text");
      if (text != null && text.isString() && !isEmptyString(text)) this.contentChunk(text, "content");
    } else if (t == "thinking") {
      if (this.mode == REASONING_CONCAT) {
        this.st.thinkingBlocks.set(idx, true);
        this.contentChunkString(THINK_OPEN);
      }
      const th = cb.get("thinking");
      if (th != null && th.isString() && !isEmptyString(th)) this.onThinking(th);
    } else if (t == "tool_use") {
      const k = this.toolCount++;
      this.st.blockTool.set(idx, k);
      const w = this.beginChunk();
      w.key("delta").beginObject().key("tool_calls").beginArray().beginObject().fieldInt("index", k).key("id");
      const id = cb.get("id");
      if (id != null && id.isString()) w.raw(id); else w.string("call_gw_" + k.toString());
      w.fieldString("type", "function").key("function").beginObject().key("name");
      const name = cb.get("name");
      if (name != null && name.isString()) w.raw(name); else w.string("");
      w.fieldString("arguments", "").endObject().endObject().endArray().endObject();
      w.fieldNull("logprobs").fieldNull("finish_reason");
      this.endChunk();
    }
    // redacted_thinking, server_tool_use, web_search_tool_result…: no OpenAI counterpart
  }

  private onThinking(v: JsonValue): void {
    if (this.mode == REASONING_IGNORE) return;
    this.contentChunk(v, this.mode == REASONING_CONCAT ? "content" : "reasoning_content");
  }

  private onDelta(root: JsonValue): void {
    const d = root.getInto("delta", this.st.vDelta);
    if (d == null || !d.isObject()) return;
    const t = typeOf(d);
    if (t == "text_delta") {
      const text = d.getInto("text", this.st.vText);
      if (text != null && text.isString() && !isEmptyString(text)) this.contentChunk(text, "content");
    } else if (t == "thinking_delta") {
      const th = d.getInto("thinking", this.st.vText);
      if (th != null && th.isString() && !isEmptyString(th)) this.onThinking(th);
    } else if (t == "input_json_delta") {
      const pj = d.getInto("partial_json", this.st.vText);
      if (pj == null || !pj.isString() || isEmptyString(pj)) return;
      const idx = <i32>root.getInt("index", -1);
      if (!this.st.blockTool.has(idx)) return;
      const k = this.st.blockTool.get(idx);
      // {"index":k,"function":{"arguments":pj}} inside delta.tool_calls, as beginChunk()/endChunk() would write it.
      const head = this.st.toolHead;
      head.clear();
      head.pushBytes(HEAD_TOOL_INDEX);
      head.pushInt(k);
      head.pushBytes(HEAD_TOOL_ARGS);
      this.fastChunk(head.view(), pj, TAIL_TOOL);
    }
    // signature_delta, citations_delta: no OpenAI counterpart
  }

  private finishStream(): void {
    if (this.finished) return;
    this.ensureStarted();
    if (!this.finishSent) {
      this.finishSent = true;
      if (this.stopReason.length == 0) this.stopReason = "stop";
      const w = this.beginChunk();
      w.key("delta").beginObject().endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason);
      this.endChunk();
    }
    if (this.clientIncludeUsage) {
      const w = beginChunkEnvelope(this.st.w, this.idOr(), this.opts.nowSeconds, this.modelOr());
      w.endArray().key("usage");
      writeOpenAIUsage(w, this.usage);
      w.endObject();
      pushSseEvent(this.st.out, "", w.buf);
    }
    this.st.out.pushString("data: [DONE]\n\n");
    this.finished = true;
  }
}
