// Coze chat v3 answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Reference: https://www.coze.cn/open/docs/developer_guides/chat_v3 (streaming response, events by `event:` name):
//   conversation.chat.created / in_progress  {"id" (the chat),"conversation_id","bot_id","created_at","status",…}
//   conversation.message.delta   {"id","role":"assistant","type":"answer","content","content_type","reasoning_content"?}
//                                → content (and reasoning_content) deltas; other message types (function_call,
//                                tool_output, knowledge, verbose, follow_up) are the bot's own work, not its reply
//   conversation.message.completed  the whole message again: nothing new for the client
//   conversation.chat.completed  {"usage":{"token_count","output_count","input_count"}} → finish "stop" with usage
//   conversation.chat.failed     {"last_error":{"code","msg"}} → an in-stream error
//   conversation.chat.requires_action  the bot waits for a client-side plugin's output: an in-stream error (an OpenAI
//                                client cannot submit it)
//   error {"code","msg"} → an in-stream error;  done "[DONE]" → [DONE] after the finish
// A client that asked for one answer gets the stream collected into a chat.completion (collectsStream). The chat id
// is the completion id; the model is the bot id sent. Errors: {"code","msg"} (with HTTP 200 or an error status) →
// an OpenAI error; code 4100/4101 (authentication) → 401, other 4xxx → 400, the rest → 502.

import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { SseParser } from "../../sse/parser";
import { TranslateOptions } from "../common";
import { OpenAIChunkTranslator } from "../openai_chunks";
import { isEmptyString, pushStringInner } from "../util";

function statusOfCozeCode(code: i64): i32 {
  if (code == 4100 || code == 4101) return 401;
  if (code >= 4000 && code < 5000) return 400;
  return 502;
}

/** What a collected (non-streamed) answer gathers from the events. */
class Collected {
  content: JsonWriter = new JsonWriter(256);
  reasoning: JsonWriter = new JsonWriter(64);
  hasReasoning: bool = false;
  completed: bool = false;
  errorStatus: i32 = 0;
  errorMessage: string = "";
  errorCode: string = "";
  constructor() {
    this.content.openString();
    this.reasoning.openString();
  }
}

export class OpenAICozeResponse extends OpenAIChunkTranslator {
  private errorStatus: i32 = 0;
  /** Set while body() collects a stream: events fill it instead of writing chunks. */
  private collected: Collected | null = null;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Coze, opts, stream);
  }

  collectsStream(): bool { return !this.stream; }

  private readChat(root: JsonValue): void {
    const id = root.getString("id");
    if (id !== null && id.length > 0 && this.respId.length == 0) this.respId = id;
    const created = root.getInt("created_at", 0);
    if (created > 0 && this.created == 0) this.created = created;
    const usage = root.get("usage");
    if (usage != null && usage.isObject()) {
      const input = usage.getInt("input_count", -1);
      const output = usage.getInt("output_count", -1);
      if (input >= 0) this.usage.inputTokens = input;
      if (output >= 0) this.usage.outputTokens = output;
    }
    if (this.model.length == 0) this.model = this.opts.model;
  }

  clientStatus(status: i32): i32 {
    if (this.errorStatus > 0 && status >= 200 && status < 300) return this.errorStatus;
    return super.clientStatus(status);
  }

  private errorReply(code: i64, msg: string | null): Uint8Array {
    this.errorStatus = statusOfCozeCode(code);
    return redactSecrets(openaiErrorBody(this.errorStatus, msg !== null && msg.length ? msg : "upstream error " + code.toString(), "", code.toString()));
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    const root = parseJson(body).value;
    const msg = root != null && root.isObject() ? root.getString("msg") : null;
    if (msg === null) return super.error(status, body);
    const code = root!.getInt("code", 0);
    return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), msg, "", code.toString()));
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    let i = 0;
    while (i < whole.length && (whole[i] == 0x20 || whole[i] == 0x0a || whole[i] == 0x0d || whole[i] == 0x09)) i++;
    if (i < whole.length && whole[i] == 0x7b /* { */) {
      // JSON instead of a stream: Coze's error envelope (a code of 0 would be a chat still in progress).
      const root = parseJson(whole).value;
      if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
      const code = root.getInt("code", 0);
      if (code != 0) return this.errorReply(code, root.getString("msg"));
      return this.invalid("upstream answered without the bot's reply (a chat in progress)");
    }
    const c = new Collected();
    this.collected = c;
    const sse = new SseParser();
    sse.begin(whole);
    while (sse.next()) {
      this.eventName = sse.event;
      this.onEvent(sse.dataBuffer(), sse.dataLength);
      if (c.errorStatus > 0) break;
    }
    if (c.errorStatus == 0 && !c.completed) {
      const rest = sse.finish();
      for (let k = 0; k < rest.length && c.errorStatus == 0; k++) {
        this.eventName = rest[k].event;
        this.onEvent(rest[k].data, rest[k].data.length);
      }
    }
    this.collected = null;
    if (c.errorStatus > 0) {
      this.errorStatus = c.errorStatus;
      return redactSecrets(openaiErrorBody(c.errorStatus, c.errorMessage, "", c.errorCode));
    }
    if (!c.completed) return this.invalid("upstream stream ended before the chat completed");
    if (this.model.length == 0) this.model = this.opts.model;
    const content = parseJson(c.content.closeString().take()).value;
    const reasoning = c.hasReasoning ? parseJson(c.reasoning.closeString().take()).value : null;
    const w = new JsonWriter(whole.length / 2 + 256);
    this.beginMessage(w, reasoning, content, false);
    return this.endMessage(w, "stop");
  }

  private fault(status: i32, message: string, code: string): void {
    const c = this.collected;
    if (c === null) {
      this.streamError(status, message, code);
      return;
    }
    c.errorStatus = status;
    c.errorMessage = message;
    c.errorCode = code;
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    const ev = this.eventName;
    if (ev == "done") {
      if (this.collected === null && this.finishSent) this.endEarly();
      return;
    }
    if (len == 0) return;
    const root = this.parse(data, len);
    if (root == null || !root.isObject()) return;
    const c = this.collected;
    if (ev == "conversation.message.delta") {
      const type = root.getString("type");
      if (type === null || type != "answer") return;
      if (this.respId.length == 0) {
        const chat = root.getString("chat_id");
        if (chat !== null) this.respId = chat;
      }
      if (this.model.length == 0) this.model = this.opts.model;
      const reasoning = root.get("reasoning_content");
      const content = root.get("content");
      if (c !== null) {
        if (reasoning != null && reasoning.isString() && !isEmptyString(reasoning)) { pushStringInner(c.reasoning, reasoning); c.hasReasoning = true; }
        if (content != null && content.isString()) pushStringInner(c.content, content);
        return;
      }
      this.roleChunk();
      this.texts(reasoning, content);
    } else if (ev == "conversation.chat.created" || ev == "conversation.chat.in_progress") {
      this.readChat(root);
    } else if (ev == "conversation.chat.completed") {
      this.readChat(root);
      if (c !== null) { c.completed = true; return; }
      this.roleChunk();
      this.finishChunk("stop");
    } else if (ev == "conversation.chat.failed") {
      const e = root.get("last_error");
      const code = e != null && e.isObject() ? e.getInt("code", 0) : 0;
      const msg = e != null && e.isObject() ? e.getString("msg") : null;
      this.fault(statusOfCozeCode(code), msg !== null && msg.length ? msg : "the bot's chat failed", code.toString());
    } else if (ev == "conversation.chat.requires_action") {
      this.fault(502, "the bot waits for a client-side plugin's output (requires_action), which an OpenAI client cannot submit", "");
    } else if (ev == "error") {
      const code = root.getInt("code", 0);
      const msg = root.getString("msg");
      this.fault(statusOfCozeCode(code), msg !== null && msg.length ? msg : "upstream error " + code.toString(), code.toString());
    }
  }
}
