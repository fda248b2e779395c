// MiniMax ChatCompletion Pro answers → OpenAI Chat Completions answers (client speaks OpenAI).
// Whole: {"created","model","reply","choices":[{"finish_reason","messages":[{"sender_type":"BOT","sender_name","text"}]}],
//   "usage":{"total_tokens",…},"input_sensitive","output_sensitive","id","base_resp":{"status_code","status_msg"}} →
//   content = the first choice's last BOT text (else `reply`), id, created, model from the answer.
// Stream: `data: {…}` events whose choices[0].messages[0].text is the new text; the last event (finish_reason set)
//   repeats the whole reply in `reply` and its message, so only its finish and usage are used. No [DONE] upstream.
// Errors come with HTTP 200 in base_resp (status_code ≠ 0): 1004 (authentication) → 401, 1002 / 1039 (rate and
//   token limits) → 429, 1008 (balance) → 429, 2013 (parameters) → 400, others → 502; the code is kept.

import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { TranslateOptions, Usage } from "../common";
import { OpenAIChunkTranslator } from "../openai_chunks";

function statusOfMiniMaxCode(code: i64): i32 {
  if (code == 1004) return 401;
  if (code == 1002 || code == 1039 || code == 1008) return 429;
  if (code == 2013) return 400;
  return 502;
}

function readMiniMaxUsage(o: JsonValue | null, u: Usage): void {
  if (o == null || !o.isObject()) return;
  const p = o.getInt("prompt_tokens", -1);
  const c = o.getInt("completion_tokens", -1);
  const t = o.getInt("total_tokens", -1);
  if (p >= 0) u.inputTokens = p;
  if (c >= 0) u.outputTokens = c;
  else if (t >= 0) u.outputTokens = t - (p > 0 ? p : 0);
}

/** The first choice's last BOT message text, or null. */
function botText(root: JsonValue): JsonValue | null {
  const choices = root.get("choices");
  const c = choices != null && choices.isArray() ? choices.at(0) : null;
  const msgs = c != null && c.isObject() ? c.get("messages") : null;
  if (msgs == null || !msgs.isArray()) return null;
  let out: JsonValue | null = null;
  const it = msgs.iter();
  while (it.next()) {
    const m = it.value;
    if (!m.isObject()) continue;
    const t = m.get("text");
    const s = m.getString("sender_type");
    if (t != null && t.isString() && (s === null || s == "BOT")) out = t;
  }
  return out;
}

function finishOf(root: JsonValue): string {
  const choices = root.get("choices");
  const c = choices != null && choices.isArray() ? choices.at(0) : null;
  const f = c != null && c.isObject() ? c.getString("finish_reason") : null;
  if (f === null || f.length == 0) return "";
  return f == "length" || f == "max_output" ? "length" : "stop";
}

export class OpenAIMiniMaxProResponse extends OpenAIChunkTranslator {
  private errorStatus: i32 = 0;

  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.MiniMaxPro, opts, stream);
  }

  private readHead(root: JsonValue): void {
    const id = root.getString("id");
    if (id !== null && id.length > 0 && this.respId.length == 0) this.respId = id;
    const created = root.getInt("created", 0);
    if (created > 0 && this.created == 0) this.created = created;
    const model = root.getString("model");
    if (model !== null && model.length > 0 && this.model.length == 0) this.model = model;
    readMiniMaxUsage(root.get("usage"), this.usage);
    if (this.model.length == 0) this.model = this.opts.model;
  }

  /** base_resp with a non-zero status_code, or null. */
  private failure(root: JsonValue): JsonValue | null {
    const b = root.get("base_resp");
    return b != null && b.isObject() && b.getInt("status_code", 0) != 0 ? b : null;
  }

  clientStatus(status: i32): i32 {
    if (this.errorStatus > 0 && status >= 200 && status < 300) return this.errorStatus;
    return super.clientStatus(status);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root == null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    const b = this.failure(root);
    if (b != null) {
      const code = b.getInt("status_code", 0);
      const msg = b.getString("status_msg");
      this.errorStatus = statusOfMiniMaxCode(code);
      return redactSecrets(openaiErrorBody(this.errorStatus, msg !== null && msg.length ? msg : "upstream error " + code.toString(), "", code.toString()));
    }
    let text = botText(root);
    if (text == null) text = root.get("reply");
    if (text == null || !text.isString()) return this.invalid("upstream response has no reply");
    this.readHead(root);
    const w = new JsonWriter(whole.length + 256);
    this.beginMessage(w, null, text, false);
    const f = finishOf(root);
    return this.endMessage(w, f.length ? f : "stop");
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.parse(data, len);
    if (root == null || !root.isObject()) return;
    const b = this.failure(root);
    if (b != null) {
      const code = b.getInt("status_code", 0);
      const msg = b.getString("status_msg");
      this.streamError(statusOfMiniMaxCode(code), msg !== null ? msg : "upstream error", code.toString());
      return;
    }
    this.readHead(root);
    this.roleChunk();
    const f = finishOf(root);
    if (f.length) { this.finishChunk(f); return; }
    this.texts(null, botText(root));
  }
}
