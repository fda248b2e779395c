// Gemini generateContent answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://ai.google.dev/api/generate-content#generatecontentresponse
//
// Non-streamed body, keys in this order:
//   {"id","object":"chat.completion","created","model","choices":[{"index":0,"message":{"role":"assistant","content",
//    "refusal":null,"reasoning_content"?,"tool_calls"?},"logprobs":null,"finish_reason"}],"usage":{…}}
//   id = responseId, model = modelVersion. Parts with `thought: true` are reasoning (reasoning_content, or <think>…
//   </think> before the text in concat mode, or dropped in ignore mode); functionCall parts are tool calls (id: the
//   call's own id, else "call_<responseId>_<n>"; arguments: args as a JSON string; a thoughtSignature rides along in
//   `extra_content.google.thought_signature`, as in Google's OpenAI compatibility, so the next turn can return it).
// Stream (`:streamGenerateContent?alt=sse`): each event is a whole GenerateContentResponse; its parts become content /
//   reasoning_content / tool_calls chunks, its finishReason the finish chunk. Gemini sends no end marker: the usage
//   chunk (when asked) and `data: [DONE]` follow when the upstream ends after a finishReason; an end without one is a
//   cut stream (error chunk + [DONE]). A `data: [DONE]` event (an upstream ending its stream OpenAI's way) is that
//   end, there: nothing follows it. usageMetadata in the last event wins (earlier ones are partial).
// finishReason: STOP → stop (tool_calls when the answer called tools), MAX_TOKENS → length, SAFETY / RECITATION /
//   BLOCKLIST / PROHIBITED_CONTENT / SPII / IMAGE_* → content_filter, others → stop; a prompt blocked by
//   promptFeedback.blockReason → content null, content_filter.
// usage: prompt_tokens = promptTokenCount + toolUsePromptTokenCount (cachedContentTokenCount included, reported as
//   cached_tokens); completion_tokens = candidatesTokenCount + thoughtsTokenCount (reasoning_tokens).
// Errors: Google's {"error":{"code","message","status"}} → OpenAI's error object, the Google status as `code`.

import { ByteBuffer } from "../../bytes/buffer";
import { utf8EqualsPtr } from "../../bytes/utf8";
import { JsonParser, parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, convertErrorBody, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { SseParser } from "../../sse/parser";
import { TranslateOptions, Usage } from "../common";
import { ConvertingTranslator } from "../converting";
import { REASONING_CONCAT, REASONING_IGNORE, THINK_CLOSE, THINK_OPEN, writeOpenAIUsage } from "../usage";
import { beginChunkEnvelope, endChoiceChunk, isEmptyString, pushSseEvent, pushStringInner, writeAsJsonString } from "../util";

/** Reads usageMetadata into `u` (every field it carries overwrites). */
function readGeminiUsage(o: JsonValue, u: Usage): void {
  if (!o.isObject()) return;
  const prompt = o.getInt("promptTokenCount", -1);
  const toolUse = o.getInt("toolUsePromptTokenCount", 0);
  const cached = o.getInt("cachedContentTokenCount", -1);
  const output = o.getInt("candidatesTokenCount", -1);
  const thoughts = o.getInt("thoughtsTokenCount", -1);
  if (prompt >= 0) {
    const input = prompt + toolUse - (cached > 0 ? cached : 0);
    u.inputTokens = input < 0 ? 0 : input;
  }
  if (cached >= 0) u.cacheReadTokens = cached;
  if (output >= 0 || thoughts >= 0) u.outputTokens = (output > 0 ? output : 0) + (thoughts > 0 ? thoughts : 0);
  if (thoughts >= 0) u.reasoningTokens = thoughts;
}

/** Gemini finishReason → OpenAI finish_reason. */
function finishFromGemini(reason: string, sawTools: bool): string {
  if (reason == "MAX_TOKENS") return "length";
  if (reason == "SAFETY" || reason == "RECITATION" || reason == "BLOCKLIST" || reason == "PROHIBITED_CONTENT" || reason == "SPII" ||
    reason.startsWith("IMAGE_")) return "content_filter";
  return sawTools ? "tool_calls" : "stop";
}

function isThought(part: JsonValue): bool {
  const t = part.get("thought");
  return t != null && t.asBool(false);
}

/** The first candidate's parts, or null. */
function partsOf(root: JsonValue): JsonValue | null {
  const cands = root.get("candidates");
  const c = cands != null && cands.isArray() ? cands.at(0) : null;
  const content = c != null && c.isObject() ? c.get("content") : null;
  const parts = content != null && content.isObject() ? content.get("parts") : null;
  return parts != null && parts.isArray() ? parts : null;
}

function finishReasonOf(root: JsonValue): string {
  const cands = root.get("candidates");
  const c = cands != null && cands.isArray() ? cands.at(0) : null;
  const f = c != null && c.isObject() ? c.get("finishReason") : null;
  if (f != null && f.isString()) return f.str();
  const fb = root.get("promptFeedback");
  const block = fb != null && fb.isObject() ? fb.get("blockReason") : null;
  return block != null && block.isString() ? "SAFETY" : "";
}

/** Writes a tool call object {id, type, function{name, arguments}, extra_content?} for a functionCall part. */
function writeToolCall(w: JsonWriter, part: JsonValue, fc: JsonValue, fallbackId: string): void {
  w.key("id");
  const id = fc.get("id");
  if (id != null && id.isString() && !isEmptyString(id)) w.raw(id); else w.string(fallbackId);
  w.fieldString("type", "function").key("function").beginObject().key("name");
  const name = fc.get("name");
  if (name != null && name.isString()) w.raw(name); else w.string("");
  w.key("arguments");
  const args = fc.get("args");
  if (args != null && !args.isNull()) writeAsJsonString(w, args); else w.string("{}");
  w.endObject();
  const sig = part.get("thoughtSignature");
  if (sig != null && sig.isString() && !isEmptyString(sig)) {
    w.key("extra_content").beginObject().key("google").beginObject().key("thought_signature").raw(sig).endObject().endObject();
  }
}

class StreamParts {
  sse: SseParser = new SseParser();
  out: ByteBuffer = new ByteBuffer(1024);
  w: JsonWriter = new JsonWriter(512);
  parser: JsonParser = new JsonParser();
}

export class OpenAIGeminiResponse extends ConvertingTranslator {
  private streamParts: StreamParts | null = null;
  private respId: string = "";
  private started_: bool = false;
  private finishSent: bool = false;
  private sawTools: bool = false;
  private toolCount: i32 = 0;
  private thinkingOpen: bool = false;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.OpenAI, Protocol.Gemini, opts, stream);
  }

  // @ts-ignore: decorator
  @inline private get st(): StreamParts {
    let s = this.streamParts;
    if (s === null) { s = new StreamParts(); this.streamParts = s; }
    return s;
  }

  private callId(k: i32): string {
    return "call_" + (this.respId.length ? this.respId + "_" : "gw_") + k.toString();
  }

  private idOr(): string { return this.respId.length ? this.respId : "chatcmpl-gateway"; }
  private modelOr(): string { return this.model.length ? this.model : this.opts.model; }

  private readHead(root: JsonValue): void {
    const id = root.getString("responseId");
    if (id !== null && this.respId.length == 0) this.respId = id;
    const model = root.getString("modelVersion");
    if (model !== null && this.model.length == 0) this.model = model;
    const usage = root.get("usageMetadata");
    if (usage != null) readGeminiUsage(usage, this.usage);
  }

  // ------------------------------------------------------------------ errors

  error(status: i32, body: Uint8Array): Uint8Array {
    const root = parseJson(body).value;
    const e = root != null && root.isObject() ? root.get("error") : null;
    const message = e != null && e.isObject() ? e.get("message") : null;
    if (message == null || !message.isString()) return convertErrorBody(Protocol.OpenAI, status, body);
    const gStatus = e!.getString("status");
    return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), message.str(), "", gStatus !== null ? gStatus : ""));
  }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    if (root.has("error")) return this.errorAnswer(root.get("error")!.getInt("code", 502), whole);
    this.readHead(root);
    const parts = partsOf(root);
    const reason = finishReasonOf(root);
    if (parts == null && reason.length == 0) return this.invalid("upstream response has no candidates");

    let texts = 0, thoughts = 0, tools = 0;
    if (parts != null) {
      const it = parts.iter();
      while (it.next()) {
        const p = it.value;
        if (!p.isObject()) continue;
        const text = p.get("text");
        if (p.has("functionCall")) tools++;
        else if (text != null && text.isString() && !isEmptyString(text)) { if (isThought(p)) thoughts++; else texts++; }
      }
    }
    const w = new JsonWriter(whole.length + 256);
    w.beginObject().fieldString("id", this.idOr()).fieldString("object", "chat.completion").fieldInt("created", this.opts.nowSeconds)
      .fieldString("model", this.modelOr())
      .key("choices").beginArray().beginObject().fieldInt("index", 0).key("message").beginObject().fieldString("role", "assistant");
    const concat = this.mode == REASONING_CONCAT && thoughts > 0;
    w.key("content");
    if (texts == 0 && !concat) {
      if (tools > 0 || parts == null) w.null(); else w.string("");
    } else {
      w.openString();
      if (concat) { w.stringPart(THINK_OPEN); this.joinTexts(w, parts!, true); w.stringPart(THINK_CLOSE); }
      this.joinTexts(w, parts!, false);
      w.closeString();
    }
    w.fieldNull("refusal");
    if (thoughts > 0 && this.mode != REASONING_CONCAT && this.mode != REASONING_IGNORE) {
      w.key("reasoning_content").openString();
      this.joinTexts(w, parts!, true);
      w.closeString();
    }
    if (tools > 0) {
      w.key("tool_calls").beginArray();
      const it = parts!.iter();
      let k = 0;
      while (it.next()) {
        const p = it.value;
        const fc = p.isObject() ? p.get("functionCall") : null;
        if (fc == null || !fc.isObject()) continue;
        w.beginObject();
        writeToolCall(w, p, fc, this.callId(k++));
        w.endObject();
      }
      w.endArray();
    }
    this.stopReason = finishFromGemini(reason, tools > 0);
    w.endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason).endObject().endArray().key("usage");
    writeOpenAIUsage(w, this.usage);
    w.endObject();
    return w.take();
  }

  private joinTexts(w: JsonWriter, parts: JsonValue, thought: bool): void {
    const it = parts.iter();
    while (it.next()) {
      const p = it.value;
      if (!p.isObject() || p.has("functionCall") || isThought(p) != thought) continue;
      const text = p.get("text");
      if (text != null && text.isString()) pushStringInner(w, text);
    }
  }

  // ------------------------------------------------------------------ stream

  protected sseParser(): SseParser { return this.st.sse; }
  protected output(): ByteBuffer { return this.st.out; }

  protected endEarly(): void {
    if (this.finishSent) this.finishStream();
    else this.streamError(502, "upstream stream ended before completion", "");
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    // An upstream that ends its stream OpenAI's way: the client's stream ends here, as at the upstream's end.
    if (len == 6 && utf8EqualsPtr(data.dataStart, 6, "[DONE]")) {
      this.endEarly();
      return;
    }
    const root = this.st.parser.parseRange(data, 0, len);
    if (root == null || !root.isObject()) return;
    const e = root.get("error");
    if (e != null && e.isObject()) {
      const msg = e.getString("message");
      const gStatus = e.getString("status");
      this.streamError(<i32>e.getInt("code", 500), msg !== null && msg.length ? msg : "upstream error", gStatus !== null ? gStatus : "");
      return;
    }
    this.readHead(root);
    this.ensureStarted();
    const parts = partsOf(root);
    if (parts != null) {
      const it = parts.iter();
      while (it.next()) {
        const p = it.value;
        if (p.isObject()) this.onPart(p);
      }
    }
    const reason = finishReasonOf(root);
    if (reason.length && !this.finishSent) {
      this.closeThinking();
      this.finishSent = true;
      this.stopReason = finishFromGemini(reason, this.sawTools);
      const w = this.beginChunk();
      w.key("delta").beginObject().endObject().fieldNull("logprobs").fieldString("finish_reason", this.stopReason);
      this.endChunk();
    }
  }

  private onPart(p: JsonValue): void {
    const fc = p.get("functionCall");
    if (fc != null && fc.isObject()) {
      this.closeThinking();
      this.sawTools = true;
      const k = this.toolCount++;
      const w = this.beginChunk();
      w.key("delta").beginObject().key("tool_calls").beginArray().beginObject().fieldInt("index", k);
      writeToolCall(w, p, fc, this.callId(k));
      w.endObject().endArray().endObject().fieldNull("logprobs").fieldNull("finish_reason");
      this.endChunk();
      return;
    }
    const text = p.get("text");
    if (text == null || !text.isString() || isEmptyString(text)) return;
    if (isThought(p)) {
      if (this.mode == REASONING_IGNORE) return;
      if (this.mode == REASONING_CONCAT && !this.thinkingOpen) {
        this.thinkingOpen = true;
        this.contentString(THINK_OPEN);
      }
      this.contentChunk(text, this.mode == REASONING_CONCAT ? "content" : "reasoning_content");
      return;
    }
    this.closeThinking();
    this.contentChunk(text, "content");
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
    return beginChunkEnvelope(this.st.w, this.idOr(), this.opts.nowSeconds, this.modelOr()).beginObject().fieldInt("index", 0);
  }

  private endChunk(): void {
    endChoiceChunk(this.st.w, this.st.out);
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
