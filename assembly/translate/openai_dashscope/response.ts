// DashScope native text generation answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://help.aliyun.com/zh/model-studio/qwen-api-reference (DashScope HTTP, result_format "message").
//
// Non-streamed: {"output":{"choices":[{"finish_reason","message":{"role","content","reasoning_content"?,
//   "tool_calls"?}}]},"usage":{"input_tokens","output_tokens","total_tokens","prompt_tokens_details"?{"cached_tokens"}},
//   "request_id"} → {"id":request_id,"object":"chat.completion","created",model,"choices":[…],"usage":{…}}; the
//   message's tool_calls keep OpenAI's shape (DashScope writes them so).
// Stream (X-DashScope-SSE: enable, incremental_output): `event:result` events whose data is the same object with only
//   the new text; finish_reason is the string "null" until the last event; no [DONE] (added after the finish).
// Errors: HTTP 4xx/5xx {"request_id","code","message"} (an `event:error` in streams) → OpenAI error, code kept.

import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { TranslateOptions, Usage } from "../common";
import { OpenAIChunkTranslator } from "../openai_chunks";
import { pushStringInner, writeCompact } from "../util";

function readDashScopeUsage(o: JsonValue | null, u: Usage): void {
  if (o == null || !o.isObject()) return;
  const input = o.getInt("input_tokens", -1);
  const output = o.getInt("output_tokens", -1);
  const details = o.get("prompt_tokens_details");
  const cached = details != null && details.isObject() ? details.getInt("cached_tokens", -1) : -1;
  if (input >= 0) u.inputTokens = input - (cached > 0 ? cached : 0);
  if (cached >= 0) u.cacheReadTokens = cached;
  if (output >= 0) u.outputTokens = output;
}

/** The first choice, or null. */
function choiceOf(root: JsonValue): JsonValue | null {
  const out = root.get("output");
  const choices = out != null && out.isObject() ? out.get("choices") : null;
  const c = choices != null && choices.isArray() ? choices.at(0) : null;
  return c != null && c.isObject() ? c : null;
}

/**
 * A message's text as one JSON string: the string itself, or the multimodal endpoint's [{"text"}, …] list joined;
 * null when there is none.
 */
function textOf(content: JsonValue | null): JsonValue | null {
  if (content == null || !content.isArray()) return content;
  const w = new JsonWriter(64);
  w.openString();
  const it = content.iter();
  while (it.next()) {
    const t = it.value.isObject() ? it.value.get("text") : null;
    if (t != null && t.isString()) pushStringInner(w, t);
  }
  w.closeString();
  return parseJson(w.take()).value;
}

/** finish_reason, "" while generating (DashScope writes null or the string "null"). */
function finishOf(choice: JsonValue): string {
  const f = choice.getString("finish_reason");
  return f === null || f == "null" ? "" : f;
}

export class OpenAIDashScopeResponse extends OpenAIChunkTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.DashScope, opts, stream);
  }

  private readHead(root: JsonValue): void {
    const id = root.getString("request_id");
    if (id !== null && this.respId.length == 0) this.respId = id;
    readDashScopeUsage(root.get("usage"), this.usage);
    if (this.model.length == 0) this.model = this.opts.model;
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    const root = parseJson(body).value;
    const msg = root != null && root.isObject() ? root.getString("message") : null;
    if (msg === null) return super.error(status, body);
    const code = root!.getString("code");
    return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), msg, "", code !== null ? code : ""));
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const choice = choiceOf(root);
    const msg = choice != null ? choice.get("message") : null;
    if (msg == null || !msg.isObject()) return this.invalid("upstream response has no output.choices");
    this.readHead(root);
    const calls = msg.get("tool_calls");
    const hasCalls = calls != null && calls.isArray() && calls.length > 0;
    const w = new JsonWriter(whole.length + 256);
    this.beginMessage(w, msg.get("reasoning_content"), textOf(msg.get("content")), hasCalls);
    if (hasCalls) { w.key("tool_calls"); writeCompact(w, calls!); }
    const finish = finishOf(choice!);
    return this.endMessage(w, finish.length ? finish : "stop");
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.parse(data, len);
    if (root == null || !root.isObject()) return;
    if (!root.has("output") && root.has("code")) {
      // An `event:error` (DashScope's error object in a stream).
      const msg = root.getString("message");
      const code = root.getString("code");
      this.streamError(500, msg !== null ? msg : "upstream error", code !== null ? code : "");
      return;
    }
    this.readHead(root);
    this.roleChunk();
    const choice = choiceOf(root);
    if (choice == null) return;
    const m = choice.get("message");
    if (m != null && m.isObject()) {
      this.texts(m.get("reasoning_content"), textOf(m.get("content")));
      const calls = m.get("tool_calls");
      if (calls != null && calls.isArray() && calls.length > 0) {
        this.closeThinking();
        const w = this.beginChunk();
        w.key("delta").beginObject().key("tool_calls");
        writeCompact(w, calls);
        w.endObject();
        this.endChunk(w, "");
      }
    }
    const finish = finishOf(choice);
    if (finish.length) this.finishChunk(finish);
  }
}
