// OpenAI Chat Completions answers → OpenAI Responses answers (the client called /v1/responses, the upstream speaks
// Chat Completions). References: https://platform.openai.com/docs/api-reference/responses/object and
// https://platform.openai.com/docs/api-reference/responses-streaming
//
// Body: a Response object, keys in the order OpenAI's own answers have:
//   id, object, created_at, status, error, incomplete_details, instructions, max_output_tokens, model, output,
//   parallel_tool_calls, previous_response_id, reasoning, store, temperature, text, tool_choice, tools, top_p,
//   truncation, usage, user, metadata
// (the request's parameters are repeated from TranslateOptions.responsesEcho; `store` is false: nothing is kept).
// output: a reasoning item (reasoning_content, passthrough mode) with one summary_text part, a message item
// (output_text, or a refusal part), then one function_call item per tool call. Ids: resp_/msg_/rs_ + the Chat id,
// fc_ + the call id (a chatcmpl- or msg_ prefix of the Chat id is left out). finish_reason length / content_filter → status "incomplete" with its reason.
//
// Stream: response.created, response.in_progress, then per item output_item.added, its parts and deltas
// (content_part.added, output_text.delta, output_text.done, content_part.done; reasoning_summary_part.added,
// reasoning_summary_text.delta/done, reasoning_summary_part.done; function_call_arguments.delta/done),
// output_item.done; response.completed (or response.incomplete) with the whole output and usage when the upstream
// ends ([DONE], or its end after a finish_reason), because the usage chunk follows the finish chunk. Every event
// carries sequence_number (0, 1, ...). An upstream error or a stream cut before its finish ends with an `error`
// event ({type, code, message, param, sequence_number}), which the SDKs raise as an APIError.

import { ByteBuffer } from "../../bytes/buffer";
import { utf8Encode, utf8EqualsPtr } from "../../bytes/utf8";
import { JsonParser, parseJson } from "../../json/parse";
import { JsonDoc, JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { ErrorInfo, errorInfoFromValue, statusOfOpenAIError } from "../../protocol/errors";
import { redactString } from "../../protocol/secrets";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { ConvertingTranslator } from "../converting";
import { readOpenAIUsage, REASONING_CONCAT, REASONING_IGNORE, THINK_CLOSE, THINK_OPEN } from "../usage";
import { compactBytes, isEmptyString, pushSseEvent, typeOf } from "../util";
import { writeResponsesUsage } from "./usage";

const NONE: i32 = 0;
const REASONING: i32 = 1;
const MESSAGE: i32 = 2;
const TOOL: i32 = 3;

const PART_NONE: i32 = 0;
const PART_TEXT: i32 = 1;
const PART_REFUSAL: i32 = 2;

/** One streamed tool call and the function_call item it became. */
class CallSlot {
  chatIndex: i32 = -1;
  callId: string = "";
  name: string = "";
  /** output_index once the item was added, else -1. */
  output: i32 = -1;
  /** Argument text so far (JSON string contents, escaped). */
  args: ByteBuffer = new ByteBuffer(32);
}

export class ResponsesChatResponse extends ConvertingTranslator {
  private st: StreamParts | null = null;
  /** The request's repeated parameters (TranslateOptions.responsesEcho), parsed once. */
  private echo: JsonValue | null = null;

  private respId: string = "";
  private createdAt: i64 = 0;
  private seq: i32 = 0;
  private startedEvents: bool = false;
  private finishSeen: bool = false;
  private finishReason: string = "";

  // The open output item.
  private openKind: i32 = NONE;
  private openIndex: i32 = -1;
  private openId: string = "";
  private part: i32 = PART_NONE;
  private partIndex: i32 = -1;
  private thinkOpen: bool = false;
  private currentCall: CallSlot | null = null;
  private reasoningDone: bool = false;
  /** Message items opened so far (a second one gets its own id). */
  private messages: i32 = 0;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.OpenAI, opts, stream);
    const echo = opts.responsesEcho;
    if (echo.length > 0) {
      const r = parseJson(echo);
      const v = r.value;
      if (v != null && v.isObject()) this.echo = v;
    }
    this.createdAt = opts.nowSeconds;
  }

  private get s(): StreamParts {
    let s = this.st;
    if (s === null) { s = new StreamParts(); this.st = s; }
    return s;
  }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const r = parseJson(whole);
    const root = r.value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const err = root.get("error");
    if (err != null && err.isObject()) return this.error(502, whole);
    const choices = root.get("choices");
    let choice: JsonValue | null = null;
    if (choices != null && choices.isArray() && choices.length > 0) choice = choices.at(0);
    if (choice == null || !choice.isObject()) return this.invalid("upstream response has no choices");
    const msg = choice.get("message");
    if (msg == null || !msg.isObject()) return this.invalid("upstream response has no message");
    this.readHead(root);

    const out = new JsonWriter(whole.length + 256);
    out.beginArray();
    const reasoning = reasoningOf(msg);
    // Claude's signed thinking blocks (thinking_blocks, from openai_anthropic/) ride in encrypted_content, so a client
    // that sends the reasoning item back gets them to Claude again (a tool turn with thinking needs them).
    const signed = msg.get("thinking_blocks");
    const hasSigned = signed != null && signed.isArray() && signed.length > 0;
    if ((reasoning != null || hasSigned) && this.mode != REASONING_IGNORE && this.mode != REASONING_CONCAT) {
      out.beginObject().fieldString("id", "rs_" + this.baseId()).fieldString("type", "reasoning").key("summary").beginArray();
      if (reasoning != null) out.beginObject().fieldString("type", "summary_text").key("text").raw(reasoning).endObject();
      out.endArray();
      if (hasSigned) out.key("encrypted_content").stringFromBytes(compactBytes(signed!));
      out.endObject();
    }
    const content = msg.get("content");
    const refusal = msg.get("refusal");
    const text = new ByteBuffer(64);
    if (reasoning != null && this.mode == REASONING_CONCAT) {
      text.pushString("<think>\\n");
      text.pushSlice(reasoning.source, reasoning.start + 1, reasoning.end - 1);
      text.pushString("\\n</think>\\n\\n");
    }
    if (content != null && content.isString()) text.pushSlice(content.source, content.start + 1, content.end - 1);
    else if (content != null && content.isArray()) {
      const it = content.iter();
      while (it.next()) {
        const p = it.value;
        if (!p.isObject() || typeOf(p) != "text") continue;
        const t = p.get("text");
        if (t != null && t.isString()) text.pushSlice(t.source, t.start + 1, t.end - 1);
      }
    }
    const hasRefusal = refusal != null && refusal.isString() && !isEmptyString(refusal);
    if (text.length > 0 || hasRefusal) {
      out.beginObject().fieldString("id", "msg_" + this.baseId()).fieldString("type", "message").fieldString("status", "completed")
        .key("content").beginArray();
      if (text.length > 0) writeTextPart(out, text);
      if (hasRefusal) out.beginObject().fieldString("type", "refusal").key("refusal").raw(refusal!).endObject();
      out.endArray().fieldString("role", "assistant").endObject();
    }
    const tcs = msg.get("tool_calls");
    if (tcs != null && tcs.isArray()) {
      const it = tcs.iter();
      while (it.next()) {
        const tc = it.value;
        if (!tc.isObject()) continue;
        const fn = tc.get("function");
        if (fn == null || !fn.isObject()) continue;
        const tid = tc.get("id");
        const callId = tid != null && tid.isString() && !isEmptyString(tid) ? tid.str() : "call_gw_" + it.index.toString();
        out.beginObject().fieldString("id", "fc_" + callId).fieldString("type", "function_call").fieldString("status", "completed").key("arguments");
        const args = fn.get("arguments");
        if (args != null && args.isString()) out.raw(args);
        else if (args != null && args.isObject()) out.stringFromBytes(args.rawBytes());
        else out.string("{}");
        out.fieldString("call_id", callId).key("name");
        const name = fn.get("name");
        if (name != null && name.isString()) out.raw(name); else out.string("");
        out.endObject();
      }
    }
    out.endArray();
    const fr = choice.get("finish_reason");
    this.finishReason = fr != null && fr.isString() ? fr.str() : "";
    this.stopReason = this.finishReason;
    const usage = root.get("usage");
    if (usage != null) readOpenAIUsage(usage, this.usage);
    const w = new JsonWriter(out.length + 512);
    this.writeResponse(w, this.finalStatus(), out.buf, true);
    return w.take();
  }

  /** id, model and created from the Chat answer (or chunk). */
  private readHead(root: JsonValue): void {
    const id = root.get("id");
    let base = id != null && id.isString() && !isEmptyString(id) ? id.str() : "gateway";
    // The upstream's own prefix would double up (msg_msg_…): resp_/msg_/rs_ go before the bare id.
    if (base.startsWith("chatcmpl-")) base = base.substring(9);
    else if (base.startsWith("msg_")) base = base.substring(4);
    this.respId = base.length ? base : "gateway";
    const model = root.get("model");
    if (model != null && model.isString()) this.model = model.str();
    if (this.model.length == 0) this.model = this.opts.model;
    const created = root.get("created");
    if (created != null && created.isNumber()) this.createdAt = created.asI64();
  }

  private baseId(): string { return this.respId; }

  private finalStatus(): string {
    return this.finishReason == "length" || this.finishReason == "content_filter" ? "incomplete" : "completed";
  }

  /** The Response object; `output` holds the items' JSON (comma-separated, or a whole array when `isArray`). */
  private writeResponse(w: JsonWriter, status: string, output: ByteBuffer | null, isArray: bool): void {
    const e = this.echo;
    w.beginObject().fieldString("id", "resp_" + this.baseId()).fieldString("object", "response").fieldInt("created_at", this.createdAt)
      .fieldString("status", status).fieldNull("error").key("incomplete_details");
    if (status == "incomplete") {
      w.beginObject().fieldString("reason", this.finishReason == "length" ? "max_output_tokens" : "content_filter").endObject();
    } else w.null();
    echoField(w, e, "instructions", "null");
    echoField(w, e, "max_output_tokens", "null");
    w.fieldString("model", this.model).key("output");
    if (output === null) w.beginArray().endArray();
    else if (isArray) w.rawBytes(output.toBytes());
    else { w.beginArray(); w.buf.pushBuffer(output); w.endArray(); }
    echoField(w, e, "parallel_tool_calls", "true");
    w.fieldNull("previous_response_id");
    echoField(w, e, "reasoning", "{\"effort\":null,\"summary\":null}");
    w.fieldBool("store", false);
    echoField(w, e, "temperature", "null");
    echoField(w, e, "text", "{\"format\":{\"type\":\"text\"}}");
    echoField(w, e, "tool_choice", "\"auto\"");
    echoField(w, e, "tools", "[]");
    echoField(w, e, "top_p", "null");
    echoField(w, e, "truncation", "\"disabled\"");
    w.key("usage");
    if (status == "in_progress") w.null(); else writeResponsesUsage(w, this.usage);
    echoField(w, e, "user", "null");
    echoField(w, e, "metadata", "{}");
    w.endObject();
  }

  // ------------------------------------------------------------------ streamed

  protected sseParser(): SseParser { return this.s.sse; }
  protected output(): ByteBuffer { return this.s.out; }

  protected endEarly(): void {
    if (this.finishSeen) this.complete();
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  protected streamFailed(status: i32, message: string): void {
    this.streamError(status, message, "");
  }

  private streamError(status: i32, message: string, code: string): void {
    this.s.out.pushBytes(responsesErrorEvent(status, message, code, this.seq++));
    this.finished = true;
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    if (len == 6 && utf8EqualsPtr(data.dataStart, 6, "[DONE]")) { this.complete(); return; }
    const st = this.s;
    const root = st.parser.parseRange(data, 0, len);
    if (root == null || !root.isObject()) return;
    const err = root.getInto("error", st.vError);
    if (err != null && !err.isNull()) {
      const info = new ErrorInfo();
      errorInfoFromValue(root, info);
      this.streamError(statusOfOpenAIError(info.type, info.code), info.message.length ? info.message : "upstream error", info.code);
      return;
    }
    // Scratch values for the per-event lookups (getInto/atInto): no allocation per event.
    const choices = root.getInto("choices", st.vChoices);
    const usage = root.getInto("usage", st.vUsage);
    const hasChoice = choices != null && choices.isArray() && choices.length > 0;
    if (!hasChoice && (usage == null || !usage.isObject())) return;
    this.ensureStarted(root);
    if (usage != null && usage.isObject()) readOpenAIUsage(usage, this.usage);
    if (!hasChoice) return;
    const choice = choices!.atInto(0, st.vChoice);
    if (choice == null || !choice.isObject()) return;
    const delta = choice.getInto("delta", st.vDelta);
    if (delta != null && delta.isObject() && !this.finishSeen) {
      let reasoning = delta.getInto("reasoning_content", st.vReasoning);
      if (reasoning == null || !reasoning.isString() || isEmptyString(reasoning)) reasoning = delta.getInto("reasoning", st.vReasoning);
      if (reasoning != null && reasoning.isString() && !isEmptyString(reasoning)) this.onReasoning(reasoning);
      const content = delta.getInto("content", st.vContent);
      if (content != null && content.isString() && !isEmptyString(content)) this.onText(content, PART_TEXT);
      if (delta.has("refusal")) {
        const refusal = delta.get("refusal");
        if (refusal != null && refusal.isString() && !isEmptyString(refusal)) this.onText(refusal, PART_REFUSAL);
      }
      if (delta.has("tool_calls")) {
        const tcs = delta.get("tool_calls");
        if (tcs != null && tcs.isArray()) this.onToolCalls(tcs);
      }
    }
    const fr = choice.getInto("finish_reason", st.vFinish);
    if (fr != null && fr.isString() && !this.finishSeen) {
      this.finishSeen = true;
      this.finishReason = fr.str();
      this.stopReason = this.finishReason;
      this.closeItem();
      this.flushNamelessCall();
    }
  }

  private ensureStarted(root: JsonValue | null): void {
    if (this.startedEvents) return;
    this.startedEvents = true;
    if (root !== null) this.readHead(root);
    else { this.respId = "gateway"; this.model = this.opts.model; }
    let w = this.begin("response.created");
    w.key("response");
    this.writeResponse(w, "in_progress", null, false);
    this.emit("response.created");
    w = this.begin("response.in_progress");
    w.key("response");
    this.writeResponse(w, "in_progress", null, false);
    this.emit("response.in_progress");
  }

  /** Starts an event: `{"type":name` (fields follow; emit() adds sequence_number and frames it). */
  private begin(name: string): JsonWriter {
    const w = this.s.w;
    w.reset();
    w.beginObject().fieldString("type", name);
    return w;
  }

  private emit(name: string): void {
    const w = this.s.w;
    w.fieldInt("sequence_number", this.seq++).endObject();
    pushSseEvent(this.s.out, name, w.buf);
  }

  // --- items

  private openItem(kind: i32, id: string): void {
    this.closeItem();
    this.openKind = kind;
    this.openIndex = this.s.itemCount++;
    this.openId = id;
    this.s.text.clear();
    const w = this.begin("response.output_item.added");
    w.fieldInt("output_index", this.openIndex).key("item");
    this.writeOpenItem(w, "in_progress");
    this.emit("response.output_item.added");
  }

  /** The open item as JSON; `status` "in_progress" (empty) or "completed" (with its text). */
  private writeOpenItem(w: JsonWriter, status: string): void {
    const done = status == "completed";
    w.beginObject().fieldString("id", this.openId);
    if (this.openKind == REASONING) {
      w.fieldString("type", "reasoning").key("summary").beginArray();
      if (done) { w.beginObject().fieldString("type", "summary_text").key("text").openString(); w.buf.pushBuffer(this.s.text); w.closeString().endObject(); }
      w.endArray();
    } else if (this.openKind == MESSAGE) {
      w.fieldString("type", "message").fieldString("status", status).key("content").beginArray();
      if (done) w.buf.pushBuffer(this.s.parts);
      w.endArray().fieldString("role", "assistant");
    } else {
      const c = this.currentCall!;
      w.fieldString("type", "function_call").fieldString("status", status).key("arguments").openString();
      if (done) w.buf.pushBuffer(c.args);
      w.closeString().fieldString("call_id", c.callId).fieldString("name", c.name);
    }
    w.endObject();
  }

  private closeItem(): void {
    if (this.openKind == NONE) return;
    const idx = this.openIndex;
    let w: JsonWriter;
    if (this.openKind == REASONING) {
      w = this.begin("response.reasoning_summary_text.done");
      w.fieldString("item_id", this.openId).fieldInt("output_index", idx).fieldInt("summary_index", 0).key("text").openString();
      w.buf.pushBuffer(this.s.text);
      w.closeString();
      this.emit("response.reasoning_summary_text.done");
      w = this.begin("response.reasoning_summary_part.done");
      w.fieldString("item_id", this.openId).fieldInt("output_index", idx).fieldInt("summary_index", 0)
        .key("part").beginObject().fieldString("type", "summary_text").key("text").openString();
      w.buf.pushBuffer(this.s.text);
      w.closeString().endObject();
      this.emit("response.reasoning_summary_part.done");
    } else if (this.openKind == MESSAGE) {
      this.closePart();
    } else {
      const c = this.currentCall!;
      w = this.begin("response.function_call_arguments.done");
      w.fieldString("item_id", this.openId).fieldInt("output_index", idx).key("arguments").openString();
      w.buf.pushBuffer(c.args);
      w.closeString();
      this.emit("response.function_call_arguments.done");
    }
    w = this.begin("response.output_item.done");
    w.fieldInt("output_index", idx).key("item");
    this.writeOpenItem(w, "completed");
    this.emit("response.output_item.done");
    // The finished item, for response.completed.
    const items = this.s.items;
    if (items.length > 0) items.pushByte(0x2C);
    const iw = this.s.iw;
    iw.reset();
    this.writeOpenItem(iw, "completed");
    items.pushBuffer(iw.buf);
    this.openKind = NONE;
    this.openIndex = -1;
    this.s.parts.clear();
    this.part = PART_NONE;
    this.partIndex = -1;
  }

  private openPart(kind: i32): void {
    this.closePart();
    this.part = kind;
    this.partIndex++;
    this.s.text.clear();
    const w = this.begin("response.content_part.added");
    w.fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex).fieldInt("content_index", this.partIndex).key("part");
    if (kind == PART_TEXT) w.beginObject().fieldString("type", "output_text").key("annotations").beginArray().endArray().key("logprobs").beginArray().endArray().fieldString("text", "").endObject();
    else w.beginObject().fieldString("type", "refusal").fieldString("refusal", "").endObject();
    this.emit("response.content_part.added");
    // The delta events' fixed head, up to `"delta":`.
    const name = kind == PART_TEXT ? "response.output_text.delta" : "response.refusal.delta";
    const hw = this.s.iw;
    hw.reset();
    hw.beginObject().fieldString("type", name).fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex)
      .fieldInt("content_index", this.partIndex).key("delta");
    const head = this.s.deltaHead;
    head.clear();
    head.pushString("event: ");
    head.pushString(name);
    head.pushString("\ndata: ");
    head.pushBuffer(hw.buf);
  }

  private closePart(): void {
    if (this.part == PART_NONE) return;
    if (this.thinkOpen) { this.textDelta(utf8Token(THINK_CLOSE)); this.thinkOpen = false; }
    const text = this.part == PART_TEXT;
    let w = this.begin(text ? "response.output_text.done" : "response.refusal.done");
    w.fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex).fieldInt("content_index", this.partIndex)
      .key(text ? "text" : "refusal").openString();
    w.buf.pushBuffer(this.s.text);
    w.closeString();
    if (text) w.key("logprobs").beginArray().endArray();
    this.emit(text ? "response.output_text.done" : "response.refusal.done");
    const pw = this.s.iw;
    pw.reset();
    if (text) writeTextPart(pw, this.s.text);
    else { pw.beginObject().fieldString("type", "refusal").key("refusal").openString(); pw.buf.pushBuffer(this.s.text); pw.closeString().endObject(); }
    w = this.begin("response.content_part.done");
    w.fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex).fieldInt("content_index", this.partIndex).key("part");
    w.rawBytes(pw.buf.toBytes());
    this.emit("response.content_part.done");
    const parts = this.s.parts;
    if (parts.length > 0) parts.pushByte(0x2C);
    parts.pushBuffer(pw.buf);
    this.part = PART_NONE;
  }

  private onReasoning(v: JsonValue): void {
    if (this.mode == REASONING_IGNORE) return;
    if (this.mode == REASONING_CONCAT) {
      if (this.openKind != MESSAGE || this.part != PART_TEXT) this.ensureTextPart(PART_TEXT);
      if (!this.thinkOpen) { this.textDelta(utf8Token(THINK_OPEN)); this.thinkOpen = true; }
      this.textDeltaRaw(v);
      return;
    }
    if (this.openKind != REASONING) {
      // Reasoning after visible output (rare) opens a second reasoning item.
      this.openItem(REASONING, "rs_" + this.baseId() + (this.reasoningDone ? "_" + this.s.itemCount.toString() : ""));
      this.reasoningDone = true;
      const w = this.begin("response.reasoning_summary_part.added");
      w.fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex).fieldInt("summary_index", 0)
        .key("part").beginObject().fieldString("type", "summary_text").fieldString("text", "").endObject();
      this.emit("response.reasoning_summary_part.added");
    }
    const w = this.begin("response.reasoning_summary_text.delta");
    w.fieldString("item_id", this.openId).fieldInt("output_index", this.openIndex).fieldInt("summary_index", 0).key("delta").raw(v);
    this.emit("response.reasoning_summary_text.delta");
    this.s.text.pushSlice(v.source, v.start + 1, v.end - 1);
  }

  private ensureTextPart(kind: i32): void {
    if (this.openKind != MESSAGE) {
      this.openItem(MESSAGE, "msg_" + this.baseId() + (this.messages > 0 ? "_" + this.messages.toString() : ""));
      this.messages++;
    }
    if (this.part != kind) this.openPart(kind);
  }

  private onText(v: JsonValue, kind: i32): void {
    this.ensureTextPart(kind);
    if (this.thinkOpen) { this.textDelta(utf8Token(THINK_CLOSE)); this.thinkOpen = false; }
    this.textDeltaRaw(v);
  }

  private textDeltaRaw(v: JsonValue): void {
    this.textDelta(v.source.subarray(v.start, v.end));
  }

  /**
   * A delta of the open text or refusal part; `token` is a JSON string token (quotes included). The hot path: the
   * event's fixed head (built once per part, openPart) + the token + its tail, the bytes begin()/emit() would write.
   */
  private textDelta(token: Uint8Array): void {
    const st = this.s;
    const out = st.out;
    out.reserve(st.deltaHead.length + token.length + 48);
    out.pushBuffer(st.deltaHead);
    out.pushBytes(token);
    out.pushBytes(this.part == PART_TEXT ? TEXT_DELTA_TAIL : REFUSAL_DELTA_TAIL);
    out.pushInt(this.seq++);
    out.pushBytes(EVENT_END);
    st.text.pushSlice(token, 1, token.length - 1);
  }

  private onToolCalls(tcs: JsonValue): void {
    const it = tcs.iter();
    while (it.next()) {
      const tc = it.value;
      if (!tc.isObject()) continue;
      const idxV = tc.get("index");
      const chatIndex = idxV != null && idxV.isNumber() ? idxV.asI32(it.index) : it.index;
      const idV = tc.get("id");
      const id = idV != null && idV.isString() ? idV.str() : "";
      const fn = tc.get("function");
      let nameV: JsonValue | null = null, argsV: JsonValue | null = null;
      if (fn != null && fn.isObject()) { nameV = fn.get("name"); argsV = fn.get("arguments"); }
      const name = nameV != null && nameV.isString() ? nameV.str() : "";
      let slot = this.currentCall;
      const isNew = slot == null || slot.chatIndex != chatIndex || (id.length > 0 && slot.callId.length > 0 && id != slot.callId);
      if (isNew) {
        if (this.findCall(chatIndex, id)) continue; // a late fragment of a finished call: its item is already done
        this.closeItem();
        this.flushNamelessCall();
        slot = new CallSlot();
        slot.chatIndex = chatIndex;
        slot.callId = id.length ? id : "call_gw_" + this.s.calls.length.toString();
        this.s.calls.push(slot);
        this.currentCall = slot;
      }
      const c = slot!;
      if (c.name.length == 0 && name.length) c.name = name;
      const hasArgs = argsV != null && argsV.isString() && !isEmptyString(argsV);
      if (c.output < 0 && c.name.length) this.openCallItem(c);
      if (hasArgs) {
        if (c.output >= 0) {
          const w = this.begin("response.function_call_arguments.delta");
          w.fieldString("item_id", this.openId).fieldInt("output_index", c.output).key("delta").raw(argsV!);
          this.emit("response.function_call_arguments.delta");
        }
        c.args.pushSlice(argsV!.source, argsV!.start + 1, argsV!.end - 1);
      }
    }
  }

  private findCall(chatIndex: i32, id: string): bool {
    const calls = this.s.calls;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i];
      if (c !== this.currentCall && (id.length ? c.callId == id : c.chatIndex == chatIndex)) return true;
    }
    return false;
  }

  private openCallItem(c: CallSlot): void {
    const pending = c.args.length > 0 ? c.args.toBytes() : null;
    c.args.clear();
    this.openItem(TOOL, "fc_" + c.callId);
    this.currentCall = c;
    c.output = this.openIndex;
    if (pending !== null) {
      const w = this.begin("response.function_call_arguments.delta");
      w.fieldString("item_id", this.openId).fieldInt("output_index", c.output).key("delta").openString();
      w.buf.pushBytes(pending);
      w.closeString();
      this.emit("response.function_call_arguments.delta");
      c.args.pushBytes(pending);
    }
  }

  /** A call whose name never came still becomes an item, so no arguments are lost. */
  private flushNamelessCall(): void {
    const c = this.currentCall;
    if (c === null || c.output >= 0) return;
    this.openCallItem(c);
    this.closeItem();
  }

  private complete(): void {
    if (this.finished) return;
    this.ensureStarted(null);
    this.closeItem();
    this.flushNamelessCall();
    const status = this.finalStatus();
    const name = status == "completed" ? "response.completed" : "response.incomplete";
    const w = this.begin(name);
    w.key("response");
    this.writeResponse(w, status, this.s.items, false);
    this.emit(name);
    this.finished = true;
  }
}

/**
 * The Responses stream's `error` event: `{"type":"error","code","message","param":null,"sequence_number"}`
 * (the SDKs raise it as an APIError). `code` "" → from the status.
 */
export function responsesErrorEvent(status: i32, message: string, code: string, seq: i32): Uint8Array {
  const w = new JsonWriter(128 + message.length);
  w.beginObject().fieldString("type", "error")
    .fieldString("code", code.length ? code : status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error")
    .fieldString("message", redactString(message)).fieldNull("param").fieldInt("sequence_number", seq).endObject();
  const out = new ByteBuffer(w.length + 32);
  pushSseEvent(out, "error", w.buf);
  return out.take();
}

/** A text part `{"type":"output_text","annotations":[],"logprobs":[],"text":…}`; `text` holds escaped contents. */
function writeTextPart(w: JsonWriter, text: ByteBuffer): void {
  w.beginObject().fieldString("type", "output_text").key("annotations").beginArray().endArray().key("logprobs").beginArray().endArray()
    .key("text").openString();
  w.buf.pushBuffer(text);
  w.closeString().endObject();
}

/** Writes member `key` of the echoed request parameters, else `def` (raw JSON). */
function echoField(w: JsonWriter, echo: JsonValue | null, key: string, def: string): void {
  w.key(key);
  const v = echo !== null ? echo.get(key) : null;
  if (v != null && !(v.isNull() && def != "null")) w.raw(v); else w.rawString(def);
}

/** `s` as a JSON string token. */
function utf8Token(s: string): Uint8Array {
  const w = new JsonWriter(s.length + 8);
  w.string(s);
  return w.take();
}

function reasoningOf(o: JsonValue): JsonValue | null {
  let r = o.get("reasoning_content");
  if (r != null && r.isString() && !isEmptyString(r)) return r;
  r = o.get("reasoning");
  if (r != null && r.isString() && !isEmptyString(r)) return r;
  return null;
}

const TEXT_DELTA_TAIL = utf8Encode(",\"logprobs\":[],\"sequence_number\":");
const REFUSAL_DELTA_TAIL = utf8Encode(",\"sequence_number\":");
const EVENT_END = utf8Encode("}\n\n");

class StreamParts {
  /** The open part's delta event up to `"delta":` (textDelta). */
  deltaHead: ByteBuffer = new ByteBuffer(160);
  vError: JsonValue = scratch();
  vChoices: JsonValue = scratch();
  vUsage: JsonValue = scratch();
  vChoice: JsonValue = scratch();
  vDelta: JsonValue = scratch();
  vReasoning: JsonValue = scratch();
  vContent: JsonValue = scratch();
  vFinish: JsonValue = scratch();
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  iw: JsonWriter = new JsonWriter(256);
  parser: JsonParser = new JsonParser();
  /** Finished items' JSON, comma-separated (response.completed's output). */
  items: ByteBuffer = new ByteBuffer(256);
  /** The open message's finished content parts, comma-separated. */
  parts: ByteBuffer = new ByteBuffer(128);
  /** The open part's (or reasoning summary's) text so far, escaped. */
  text: ByteBuffer = new ByteBuffer(256);
  itemCount: i32 = 0;
  calls: Array<CallSlot> = [];
}

/** A value to re-target with getInto()/atInto(). */
function scratch(): JsonValue { return new JsonValue(EMPTY_DOC, 0); }
const EMPTY_DOC = new JsonDoc(new Uint8Array(0), new ArrayBuffer(16), 0);
