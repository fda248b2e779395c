// Tencent Hunyuan ChatCompletions answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://cloud.tencent.com/document/api/1729/105701 (output parameters), API 3.0 errors:
// https://cloud.tencent.com/document/api/1729/101839 (common error codes).
//
// Non-streamed: {"Response":{"Id","Created","Note","Choices":[{"FinishReason","Message":{"Role","Content",
//   "ReasoningContent"?,"ToolCalls"?}}],"Usage":{"PromptTokens","CompletionTokens","TotalTokens"},"RequestId"}}
//   → {"id":Id,"object":"chat.completion","created":Created,"model":<upstream model>,"choices":[…],"usage":{…}}.
// Errors come with HTTP 200 as {"Response":{"Error":{"Code","Message"},"RequestId"}}: the client gets an OpenAI error
//   with a status from the code's class (AuthFailure → 401, LimitExceeded / RequestLimitExceeded → 429,
//   InvalidParameter / MissingParameter / UnsupportedOperation → 400, ResourceNotFound → 404, others → 502), the
//   Tencent code as `code`.
// Stream: `data: {…}` events without the Response wrapper, each a chunk (Choices[0].Delta, FinishReason "" until the
//   last one, cumulative Usage); no [DONE]: the usage chunk (when asked) and `data: [DONE]` follow when the upstream
//   ends after a FinishReason. An error before the stream starts comes as the JSON error object above.
// FinishReason: stop → stop, tool_calls → tool_calls, length → length, sensitive → content_filter.

import { ByteBuffer } from "../../bytes/buffer";
import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { TranslateOptions, Usage } from "../common";
import { OpenAIChunkTranslator } from "../openai_chunks";

/** The first bytes of a stream kept to read a JSON error answered instead of events. */
const ERROR_PEEK = 4096;

function readHunyuanUsage(o: JsonValue | null, u: Usage): void {
  if (o == null || !o.isObject()) return;
  const p = o.getInt("PromptTokens", -1);
  const c = o.getInt("CompletionTokens", -1);
  if (p >= 0) u.inputTokens = p;
  if (c >= 0) u.outputTokens = c;
}

function finishFromHunyuan(reason: string): string {
  if (reason == "sensitive") return "content_filter";
  if (reason == "tool_calls" || reason == "length") return reason;
  return "stop";
}

/** HTTP status for a Tencent Cloud API 3.0 error code. */
function statusOfTencentCode(code: string): i32 {
  if (code.startsWith("AuthFailure")) return 401;
  if (code.startsWith("LimitExceeded") || code.startsWith("RequestLimitExceeded")) return 429;
  if (code.startsWith("InvalidParameter") || code.startsWith("MissingParameter") || code.startsWith("UnsupportedOperation") || code.startsWith("UnknownParameter")) return 400;
  if (code.startsWith("ResourceNotFound")) return 404;
  if (code.startsWith("UnauthorizedOperation")) return 403;
  return 502;
}

/** The Error object of a Tencent error answer (wrapped in Response or not); null when it is none. */
function errorOf(root: JsonValue): JsonValue | null {
  const r = root.get("Response");
  const e = r != null && r.isObject() ? r.get("Error") : root.get("Error");
  return e != null && e.isObject() ? e : null;
}

export class OpenAIHunyuanResponse extends OpenAIChunkTranslator {
  private errorStatus: i32 = 0;
  private sawEvent: bool = false;
  private peek: ByteBuffer | null = null;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Hunyuan, opts, stream);
  }

  private readHead(r: JsonValue): void {
    const id = r.getString("Id");
    if (id !== null && this.respId.length == 0) this.respId = id;
    const created = r.getInt("Created", 0);
    if (created > 0 && this.created == 0) this.created = created;
    readHunyuanUsage(r.get("Usage"), this.usage);
    if (this.model.length == 0) this.model = this.opts.model;
  }

  clientStatus(status: i32): i32 {
    if (this.errorStatus > 0 && status >= 200 && status < 300) return this.errorStatus;
    return super.clientStatus(status);
  }

  private tencentError(e: JsonValue): Uint8Array {
    const code = e.getString("Code");
    const msg = e.getString("Message");
    const c = code !== null ? code : "";
    this.errorStatus = statusOfTencentCode(c);
    return redactSecrets(openaiErrorBody(this.errorStatus, msg !== null && msg.length ? msg : "upstream error " + c, "", c));
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    const root = parseJson(body).value;
    const e = root != null && root.isObject() ? errorOf(root) : null;
    if (e == null) return super.error(status, body);
    const out = this.tencentError(e);
    this.errorStatus = 0;
    return out;
  }

  // ------------------------------------------------------------------ non-streamed

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const top = parseJson(whole).value;
    if (top == null || !top.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const e = errorOf(top);
    if (e != null) return this.tencentError(e);
    const r = top.get("Response");
    if (r == null || !r.isObject()) return this.invalid("upstream response has no Response object");
    const choices = r.get("Choices");
    const choice = choices != null && choices.isArray() ? choices.at(0) : null;
    const msg = choice != null && choice.isObject() ? choice.get("Message") : null;
    if (msg == null || !msg.isObject()) return this.invalid("upstream response has no Choices");
    this.readHead(r);
    const calls = msg.get("ToolCalls");
    const hasCalls = calls != null && calls.isArray() && calls.length > 0;
    const w = new JsonWriter(whole.length + 256);
    this.beginMessage(w, msg.get("ReasoningContent"), msg.get("Content"), hasCalls);
    if (hasCalls) {
      w.key("tool_calls").beginArray();
      const it = calls!.iter();
      while (it.next()) { w.beginObject(); writeToolCall(w, it.value, -1); w.endObject(); }
      w.endArray();
    }
    const fr = choice!.getString("FinishReason");
    return this.endMessage(w, finishFromHunyuan(fr !== null ? fr : ""));
  }

  // ------------------------------------------------------------------ stream

  chunk(bytes: Uint8Array): Uint8Array {
    if (!this.sawEvent) {
      let peek = this.peek;
      if (peek === null) { peek = new ByteBuffer(256); this.peek = peek; }
      if (peek.length < ERROR_PEEK) peek.pushBytes(bytes.length > ERROR_PEEK ? bytes.subarray(0, ERROR_PEEK) : bytes);
    }
    return super.chunk(bytes);
  }

  protected endEarly(): void {
    const peek = this.peek;
    if (!this.finishSent && !this.sawEvent && peek !== null) {
      // Tencent answers a request it refuses with a JSON error object (HTTP 200), not with events.
      const root = parseJson(peek.toBytes()).value;
      const e = root != null && root.isObject() ? errorOf(root) : null;
      if (e != null) { this.streamTencentError(e); return; }
    }
    super.endEarly();
  }

  private streamTencentError(e: JsonValue): void {
    const code = e.getString("Code");
    const msg = e.getString("Message");
    this.streamError(statusOfTencentCode(code !== null ? code : ""), msg !== null ? msg : "upstream error", code !== null ? code : "");
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.parse(data, len);
    if (root == null || !root.isObject()) return;
    this.sawEvent = true;
    const e = errorOf(root);
    if (e != null) { this.streamTencentError(e); return; }
    this.readHead(root);
    this.roleChunk();
    const choices = root.get("Choices");
    const choice = choices != null && choices.isArray() ? choices.at(0) : null;
    if (choice == null || !choice.isObject()) return;
    const delta = choice.get("Delta");
    if (delta != null && delta.isObject()) {
      this.texts(delta.get("ReasoningContent"), delta.get("Content"));
      const calls = delta.get("ToolCalls");
      if (calls != null && calls.isArray()) {
        const it = calls.iter();
        while (it.next()) {
          this.closeThinking();
          const w = this.beginChunk();
          w.key("delta").beginObject().key("tool_calls").beginArray().beginObject();
          writeToolCall(w, it.value, it.index);
          w.endObject().endArray().endObject();
          this.endChunk(w, "");
        }
      }
    }
    const fr = choice.getString("FinishReason");
    if (fr !== null && fr.length > 0) this.finishChunk(finishFromHunyuan(fr));
  }
}

/** {"index"?, "id", "type":"function", "function":{"name","arguments"}} from a Hunyuan ToolCall; index < 0: none. */
function writeToolCall(w: JsonWriter, call: JsonValue, fallbackIndex: i32): void {
  if (fallbackIndex >= 0) w.fieldInt("index", call.getInt("Index", fallbackIndex));
  const fn = call.isObject() ? call.get("Function") : null;
  w.key("id");
  const id = call.isObject() ? call.get("Id") : null;
  if (id != null && id.isString()) w.raw(id); else w.string("");
  w.fieldString("type", "function").key("function").beginObject().key("name");
  const name = fn != null && fn.isObject() ? fn.get("Name") : null;
  if (name != null && name.isString()) w.raw(name); else w.string("");
  w.key("arguments");
  const args = fn != null && fn.isObject() ? fn.get("Arguments") : null;
  if (args != null && args.isString()) w.raw(args); else w.string("");
  w.endObject();
}
