// OpenAI Chat Completions answers → Anthropic Messages answers (client speaks Anthropic).
//
// Non-streamed body, keys in this order:
//   {"id","type":"message","role":"assistant","model","content":[…],"stop_reason","stop_sequence":null,"usage":{…}}
//   content: thinking block (reasoning, passthrough mode) · text block · one tool_use block per tool call.
//
// Stream: chat.completion.chunk events → message_start, then for each block content_block_start,
// its deltas, content_block_stop; message_delta (stop_reason + cumulative usage) and message_stop
// are sent when the upstream ends ([DONE], or end of stream after a finish_reason) because
// OpenAI's usage chunk comes after the finish chunk. Blocks never interleave: a new kind of
// delta closes the open block first. Tolerated: comments, empty or non-JSON data frames,
// unknown event names, `usage: null`, repeated finish chunks, chunks after the finish.

import { ByteBuffer } from "../../bytes/buffer";
import { JsonParser, parseJson } from "../../json/parse";
import { utf8Encode, utf8EqualsPtr } from "../../bytes/utf8";
import { JsonDoc, JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { errorInfoFromValue, ErrorInfo, statusOfOpenAIError } from "../../protocol/errors";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";
import {
  readOpenAIUsage, writeAnthropicUsage, stopReasonFromFinish, stopReasonAfterRefusal, reasoningMode,
  REASONING_CONCAT, REASONING_IGNORE, THINK_OPEN, THINK_CLOSE,
} from "../usage";
import { chatMessageProblem, compactBytes, isEmptyString, pushSseEvent, pushStringInner, ToolCallDelta, typeOf, writeToolArguments } from "../util";

const NONE: i32 = 0;
const TEXT: i32 = 1;
const THINKING: i32 = 2;
const TOOL: i32 = 3;

/** One streamed OpenAI tool call and the Anthropic block it became. */
class ToolSlot {
  oaiIndex: i32 = -1;
  id: string = "";
  name: string = "";
  /** Anthropic block index once started, else -1. */
  block: i32 = -1;
  /** Escaped argument fragments received before the name (JSON string contents). */
  pending: ByteBuffer = new ByteBuffer(16);
}

// Fixed pieces of content_block_delta events (exactly what JsonWriter + pushSseEvent write for them).
const DELTA_EVENT = utf8Encode("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":");
const HEAD_TEXT = utf8Encode(",\"delta\":{\"type\":\"text_delta\",\"text\":");
const HEAD_THINKING = utf8Encode(",\"delta\":{\"type\":\"thinking_delta\",\"thinking\":");
const HEAD_JSON = utf8Encode(",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":");
const DELTA_TAIL = utf8Encode("}}\n\n");

export class AnthropicOpenAIResponse extends ConvertingTranslator {
  /** Streaming state, made on the first streamed call (a non-streamed answer never needs it). */
  private streamParts: StreamParts | null = null;

  private messageStarted: bool = false;
  private msgId: string = "";
  private nextBlock: i32 = 0;
  private openKind: i32 = NONE;
  private openBlock: i32 = -1;
  /** Concat mode: "<think>" written, "</think>" not yet. */
  private thinkOpen: bool = false;
  private currentTool: ToolSlot | null = null;
  private finishSeen: bool = false;
  private finishReason: string = "";
  /** The matched stop sequence as a JSON string token, when the upstream said which (vLLM's `stop_reason`). */
  private stopSequence: string = "";
  private sawToolCalls: bool = false;
  /** The upstream streamed a refusal (`delta.refusal`). */
  private refused: bool = false;

  // @ts-ignore: decorator
  @inline private get st(): StreamParts {
    let s = this.streamParts;
    if (s === null) { s = new StreamParts(); this.streamParts = s; }
    return s;
  }

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Anthropic, Protocol.OpenAI, opts, stream);
  }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const r = parseJson(whole);
    const root = r.value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const err = root.get("error");
    if (err != null && err.isObject()) return this.error(502, whole);
    const problem = chatMessageProblem(root);
    if (problem.length) return this.invalid(problem);
    const choice = root.get("choices")!.at(0)!;
    const msg = choice.get("message")!;

    const w = new JsonWriter(whole.length + 256);
    w.beginObject();
    const id = root.get("id");
    w.key("id");
    if (id != null && id.isString() && !isEmptyString(id)) w.raw(id); else w.string("msg_gateway");
    w.fieldString("type", "message").fieldString("role", "assistant");
    const model = root.get("model");
    w.key("model");
    if (model != null && model.isString()) { w.raw(model); this.model = model.str(); } else w.string(this.opts.model);

    w.key("content").beginArray();
    const reasoning = reasoningOf(msg);
    const content = msg.get("content");
    if (reasoning != null && this.mode != REASONING_IGNORE && this.mode != REASONING_CONCAT) {
      w.beginObject().fieldString("type", "thinking").key("thinking").raw(reasoning).fieldString("signature", "").endObject();
    }
    const concat = reasoning != null && this.mode == REASONING_CONCAT;
    writeTextBlock(w, content, concat ? reasoning : null, msg.get("refusal"));
    let tools = 0;
    const tcs = msg.get("tool_calls");
    if (tcs != null && tcs.isArray()) {
      const it = tcs.iter();
      while (it.next()) {
        const tc = it.value;
        if (!tc.isObject()) continue;
        const fn = tc.get("function");
        if (fn == null || !fn.isObject()) continue;
        w.beginObject().fieldString("type", "tool_use").key("id");
        const tid = tc.get("id");
        if (tid != null && tid.isString() && !isEmptyString(tid)) w.raw(tid); else w.string("toolu_gw_" + it.index.toString());
        w.key("name");
        const name = fn.get("name");
        if (name != null && name.isString()) w.raw(name); else w.string("");
        w.key("input");
        writeToolArguments(w, fn.get("arguments"));
        w.endObject();
        tools++;
      }
    }
    w.endArray();

    const fr = choice.get("finish_reason");
    const finish = fr != null && fr.isString() ? fr.str() : "";
    const refusal = msg.get("refusal");
    this.stopReason = stopReasonAfterRefusal(stopReasonFromFinish(finish, tools > 0), refusal != null && refusal.isString() && !isEmptyString(refusal));
    const matched = matchedStop(choice, this.stopReason);
    if (matched != null) w.fieldString("stop_reason", this.stopReason = "stop_sequence").key("stop_sequence").raw(matched);
    else w.fieldString("stop_reason", this.stopReason).fieldNull("stop_sequence");
    const usage = root.get("usage");
    if (usage != null) readOpenAIUsage(usage, this.usage);
    w.key("usage");
    writeAnthropicUsage(w, this.usage);
    w.endObject();
    return w.take();
  }

  protected sseParser(): SseParser { return this.st.sse; }
  protected output(): ByteBuffer { return this.st.out; }

  protected endEarly(): void {
    if (this.finishSeen) this.finishMessage(); // upstream omitted [DONE]
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  /** One event whose data is data[0, len). */
  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    if (len == 6 && utf8EqualsPtr(data.dataStart, 6, "[DONE]")) { this.finishMessage(); return; }
    const root = this.st.parser.parseRange(data, 0, len);
    if (root == null || !root.isObject()) return; // not JSON: ignored (keep-alives, junk)
    const err = root.get("error");
    if (err != null && !err.isNull()) {
      const info = new ErrorInfo();
      errorInfoFromValue(root, info);
      if (info.message.length == 0) info.message = "upstream error";
      this.streamError(statusOfOpenAIError(info.type, info.code), info.message, "");
      return;
    }
    const choices = root.getInto("choices", this.st.vChoices);
    const usage = root.getInto("usage", this.st.vUsage);
    const hasChoice = choices != null && choices.isArray() && choices.length > 0;
    if (!hasChoice && (usage == null || !usage.isObject())) return; // e.g. `data: {}`
    this.ensureStarted(root);
    if (usage != null && usage.isObject()) readOpenAIUsage(usage, this.usage);
    if (!hasChoice) return;
    const choice = choices!.atInto(0, this.st.vChoice);
    if (choice == null || !choice.isObject()) return;
    const delta = choice.getInto("delta", this.st.vDelta);
    if (delta != null && delta.isObject() && !this.finishSeen) {
      const reasoning = reasoningOf(delta, this.st.vReasoning);
      if (reasoning != null) this.onReasoning(reasoning);
      const content = delta.getInto("content", this.st.vContent);
      if (content != null && content.isString() && !isEmptyString(content)) this.onText(content);
      const refusal = delta.get("refusal");
      if (refusal != null && refusal.isString() && !isEmptyString(refusal)) { this.refused = true; this.onText(refusal); }
      const tcs = delta.get("tool_calls");
      if (tcs != null && tcs.isArray()) this.onToolCalls(tcs);
    }
    const fr = choice.getInto("finish_reason", this.st.vFinish);
    if (fr != null && fr.isString() && !this.finishSeen) {
      this.finishSeen = true;
      this.finishReason = fr.str();
      const matched = matchedStop(choice, stopReasonFromFinish(this.finishReason, this.sawToolCalls));
      if (matched != null) this.stopSequence = matched.rawString();
      this.closeOpen();
    }
  }

  private ensureStarted(root: JsonValue): void {
    if (this.messageStarted) return;
    this.messageStarted = true;
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("type", "message_start").key("message").beginObject();
    const id = root.get("id");
    w.key("id");
    if (id != null && id.isString() && !isEmptyString(id)) { w.raw(id); this.msgId = id.str(); } else w.string("msg_gateway");
    w.fieldString("type", "message").fieldString("role", "assistant");
    const model = root.get("model");
    w.key("model");
    if (model != null && model.isString()) { w.raw(model); this.model = model.str(); } else w.string(this.opts.model);
    w.key("content").beginArray().endArray().fieldNull("stop_reason").fieldNull("stop_sequence");
    w.key("usage").beginObject().fieldInt("input_tokens", 0).fieldInt("output_tokens", 0).endObject();
    w.endObject().endObject();
    pushSseEvent(this.st.out, "message_start", w.buf);
  }

  // --- blocks

  private startBlock(kind: i32): i32 {
    const idx = this.nextBlock++;
    this.openKind = kind;
    this.openBlock = idx;
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("type", "content_block_start").fieldInt("index", idx).key("content_block").beginObject();
    if (kind == TEXT) w.fieldString("type", "text").fieldString("text", "");
    else if (kind == THINKING) w.fieldString("type", "thinking").fieldString("thinking", "").fieldString("signature", "");
    else {
      const t = this.currentTool!;
      w.fieldString("type", "tool_use").fieldString("id", t.id).fieldString("name", t.name).key("input").beginObject().endObject();
    }
    w.endObject().endObject();
    pushSseEvent(this.st.out, "content_block_start", w.buf);
    return idx;
  }

  private closeOpen(): void {
    if (this.openKind == NONE) {
      this.flushNamelessTool();
      return;
    }
    if (this.openKind == TEXT && this.thinkOpen) {
      this.textDeltaString(this.openBlock, THINK_CLOSE);
      this.thinkOpen = false;
    }
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("type", "content_block_stop").fieldInt("index", this.openBlock).endObject();
    pushSseEvent(this.st.out, "content_block_stop", w.buf);
    this.openKind = NONE;
    this.openBlock = -1;
  }

  /** A tool call whose name never came still becomes a (nameless) block, so no arguments are lost. */
  private flushNamelessTool(): void {
    const t = this.currentTool;
    if (t == null || t.block >= 0) return;
    this.openToolBlock(t);
    this.closeOpen();
  }

  /**
   * `event: content_block_delta` + `{"type":"content_block_delta","index":N,"delta":{"type":T,K:raw}}`: the bytes
   * beginDelta(index, T).key(K).raw(raw) + endDelta() write, without JsonWriter (the hot path).
   */
  private fastDelta(index: i32, head: Uint8Array, raw: JsonValue): void {
    const out = this.st.out;
    out.reserve(DELTA_EVENT.length + 12 + head.length + (raw.end - raw.start) + 4);
    out.pushBytes(DELTA_EVENT);
    out.pushInt(index);
    out.pushBytes(head);
    out.pushSlice(raw.source, raw.start, raw.end);
    out.pushBytes(DELTA_TAIL);
  }

  private beginDelta(index: i32, type: string): JsonWriter {
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("type", "content_block_delta").fieldInt("index", index).key("delta").beginObject().fieldString("type", type);
    return w;
  }

  private endDelta(): void {
    this.st.w.endObject().endObject();
    pushSseEvent(this.st.out, "content_block_delta", this.st.w.buf);
  }

  private textDelta(index: i32, raw: JsonValue): void {
    this.fastDelta(index, HEAD_TEXT, raw);
  }

  private textDeltaString(index: i32, s: string): void {
    this.beginDelta(index, "text_delta").fieldString("text", s);
    this.endDelta();
  }

  private onReasoning(v: JsonValue): void {
    if (this.mode == REASONING_IGNORE) return;
    if (this.mode == REASONING_CONCAT) {
      if (this.openKind != TEXT) { this.closeOpen(); this.startBlock(TEXT); }
      if (!this.thinkOpen) { this.textDeltaString(this.openBlock, THINK_OPEN); this.thinkOpen = true; }
      this.textDelta(this.openBlock, v);
      return;
    }
    if (this.openKind != THINKING) { this.closeOpen(); this.startBlock(THINKING); }
    this.fastDelta(this.openBlock, HEAD_THINKING, v);
  }

  private onText(v: JsonValue): void {
    if (this.openKind != TEXT) { this.closeOpen(); this.startBlock(TEXT); }
    if (this.thinkOpen) { this.textDeltaString(this.openBlock, THINK_CLOSE); this.thinkOpen = false; }
    this.textDelta(this.openBlock, v);
  }

  private toolDelta: ToolCallDelta = new ToolCallDelta();

  private onToolCalls(tcs: JsonValue): void {
    const it = tcs.iter();
    while (it.next()) {
      const tc = it.value;
      if (!tc.isObject()) continue;
      const d = this.toolDelta;
      d.read(tc, it.index);
      const oaiIndex = d.index, id = d.id, name = d.name, argsV = d.args;

      let slot = this.currentTool;
      const isNew = slot == null || slot.oaiIndex != oaiIndex || (id.length > 0 && slot.id.length > 0 && id != slot.id);
      if (isNew) {
        const old = this.findTool(oaiIndex, id);
        if (old != null && old.block >= 0 && old !== slot) {
          // A late fragment for a tool call whose block is already closed: best effort, same index.
          if (argsV != null) {
            this.beginDelta(old.block, "input_json_delta").key("partial_json").raw(argsV);
            this.endDelta();
          }
          continue;
        }
        this.closeOpen();
        slot = new ToolSlot();
        slot.oaiIndex = oaiIndex;
        slot.id = id.length ? id : "toolu_gw_" + this.st.tools.length.toString();
        this.st.tools.push(slot);
        this.currentTool = slot;
        this.sawToolCalls = true;
      }
      const s = slot!;
      if (s.name.length == 0 && name.length) s.name = name;
      if (s.block < 0 && s.name.length) this.openToolBlock(s);
      if (argsV != null) {
        if (s.block >= 0) {
          this.fastDelta(s.block, HEAD_JSON, argsV);
        } else {
          s.pending.pushSlice(argsV.source, argsV.start + 1, argsV.end - 1);
        }
      }
    }
  }

  private findTool(oaiIndex: i32, id: string): ToolSlot | null {
    for (let i = 0; i < this.st.tools.length; i++) {
      const t = this.st.tools[i];
      if (id.length ? t.id == id : t.oaiIndex == oaiIndex) return t;
    }
    return null;
  }

  private openToolBlock(s: ToolSlot): void {
    if (this.openKind != NONE) this.closeOpen();
    this.currentTool = s;
    s.block = this.startBlock(TOOL);
    if (s.pending.length) {
      const w = this.beginDelta(s.block, "input_json_delta").key("partial_json").openString();
      w.buf.pushBuffer(s.pending);
      w.closeString();
      this.endDelta();
      s.pending.clear();
    }
  }

  private finishMessage(): void {
    if (this.finished) return;
    if (!this.messageStarted) {
      this.messageStarted = true;
      const w = this.st.w;
      w.reset();
      w.beginObject().fieldString("type", "message_start").key("message").beginObject()
        .fieldString("id", "msg_gateway").fieldString("type", "message").fieldString("role", "assistant")
        .fieldString("model", this.opts.model).key("content").beginArray().endArray()
        .fieldNull("stop_reason").fieldNull("stop_sequence")
        .key("usage").beginObject().fieldInt("input_tokens", 0).fieldInt("output_tokens", 0).endObject()
        .endObject().endObject();
      pushSseEvent(this.st.out, "message_start", w.buf);
    }
    this.closeOpen();
    this.stopReason = stopReasonAfterRefusal(stopReasonFromFinish(this.finishReason, this.sawToolCalls), this.refused);
    if (this.stopSequence.length > 0 && this.stopReason == "end_turn") this.stopReason = "stop_sequence";
    const w = this.st.w;
    w.reset();
    w.beginObject().fieldString("type", "message_delta").key("delta").beginObject().fieldString("stop_reason", this.stopReason);
    if (this.stopReason == "stop_sequence") w.key("stop_sequence").rawString(this.stopSequence); else w.fieldNull("stop_sequence");
    w.endObject().key("usage");
    writeAnthropicUsage(w, this.usage);
    w.endObject();
    pushSseEvent(this.st.out, "message_delta", w.buf);
    w.reset();
    w.beginObject().fieldString("type", "message_stop").endObject();
    pushSseEvent(this.st.out, "message_stop", w.buf);
    this.finished = true;
  }
}

/**
 * `reasoning_content` (DeepSeek, Qwen, vLLM) or `reasoning` (OpenRouter, newer vLLM) when a non-empty string;
 * with `into`, the result is that scratch value (no allocation).
 */
function reasoningOf(o: JsonValue, into: JsonValue | null = null): JsonValue | null {
  let r = into != null ? o.getInto("reasoning_content", into) : o.get("reasoning_content");
  if (r != null && r.isString() && !isEmptyString(r)) return r;
  r = into != null ? o.getInto("reasoning", into) : o.get("reasoning");
  if (r != null && r.isString() && !isEmptyString(r)) return r;
  return null;
}

/** What a streamed answer needs, kept out of non-streamed requests. */
class StreamParts {
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  /** One tape reused for every event's JSON. */
  parser: JsonParser = new JsonParser();
  tools: Array<ToolSlot> = [];
  // Scratch values for the per-event lookups (getInto/atInto): no allocation per event.
  vChoices: JsonValue = scratch();
  vUsage: JsonValue = scratch();
  vChoice: JsonValue = scratch();
  vDelta: JsonValue = scratch();
  vContent: JsonValue = scratch();
  vReasoning: JsonValue = scratch();
  vFinish: JsonValue = scratch();
}

/** A value to re-target with getInto()/atInto(). */
function scratch(): JsonValue { return new JsonValue(EMPTY_DOC, 0); }
/** The (shared, empty) result of a chunk that produced nothing. */
const EMPTY_DOC = new JsonDoc(new Uint8Array(0), new ArrayBuffer(16), 0);

/**
 * The text block of a non-streamed answer: [<think>reasoning</think>] + content (string or text
 * parts), or the refusal when there is no content. Returns whether a block was written.
 */
function writeTextBlock(w: JsonWriter, content: JsonValue | null, concatReasoning: JsonValue | null, refusal: JsonValue | null): bool {
  let hasContent = false;
  if (content != null) {
    if (content.isString()) hasContent = !isEmptyString(content);
    else if (content.isArray()) {
      const it = content.iter();
      while (it.next()) {
        const p = it.value;
        if (p.isObject() && typeOf(p) == "text") {
          const t = p.get("text");
          if (t != null && t.isString() && !isEmptyString(t)) hasContent = true;
        }
      }
    }
  }
  let useRefusal = false;
  if (!hasContent && refusal != null) useRefusal = refusal.isString() && !isEmptyString(refusal);
  if (!hasContent && !useRefusal && concatReasoning == null) return false;
  w.beginObject().fieldString("type", "text").key("text").openString();
  if (concatReasoning != null) {
    w.stringPart(THINK_OPEN);
    pushStringInner(w, concatReasoning);
    w.stringPart(THINK_CLOSE);
  }
  if (useRefusal) pushStringInner(w, refusal!);
  else if (hasContent) {
    if (content!.isString()) pushStringInner(w, content!);
    else {
      const it = content!.iter();
      while (it.next()) {
        const p = it.value;
        if (!p.isObject() || typeOf(p) != "text") continue;
        const t = p.get("text");
        if (t != null && t.isString()) pushStringInner(w, t);
      }
    }
  }
  w.closeString().endObject();
  return true;
}

/**
 * The stop sequence a finish "stop" hit, when the upstream names it: vLLM and SGLang put the matched
 * string in the choice's `stop_reason` (a number there is a stop token id, not a sequence).
 */
function matchedStop(choice: JsonValue, stopReason: string): JsonValue | null {
  if (stopReason != "end_turn") return null;
  const sr = choice.get("stop_reason");
  return sr != null && sr.isString() && !isEmptyString(sr) ? sr : null;
}
