// Dify app answers → OpenAI Chat Completions answers (client speaks OpenAI), as Higress converts them.
// Reference: https://docs.dify.ai/en/openapi-api-access-readme (chat-messages, completion-messages, workflows/run).
//
// Blocking: Chat/Agent/Completion {"event":"message","message_id","conversation_id","mode","answer","metadata":
//   {"usage":{"prompt_tokens","completion_tokens","total_tokens",…}},"created_at"} → content = answer, id =
//   conversation_id (Chat/Agent: the handle of the Dify conversation) or message_id (Completion);
//   Workflow {"workflow_run_id","data":{"workflow_id","status","outputs":{…},"total_tokens",…}} → content =
//   outputs[outputVariable] (a non-string output as its JSON text), id = workflow_id.
// Streaming (`data: {"event":…}`): message / agent_message → content deltas (answer); message_end → finish "stop"
//   with metadata.usage; workflow_finished → outputs[outputVariable] then finish; error → an in-stream error;
//   the others (ping, agent_thought, message_file, workflow_started, node_*, text_chunk, tts_*) carry nothing for
//   the client. No [DONE] upstream: it follows the finish.
// Errors: HTTP 4xx/5xx {"code","message","status"} → OpenAI error, Dify's code kept.

import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { TranslateOptions, Usage } from "../common";
import { OpenAIChunkTranslator } from "../openai_chunks";
import { compactBytes } from "../util";

function readDifyUsage(root: JsonValue, u: Usage): void {
  const meta = root.get("metadata");
  const usage = meta != null && meta.isObject() ? meta.get("usage") : null;
  if (usage == null || !usage.isObject()) return;
  const p = usage.getInt("prompt_tokens", -1);
  const c = usage.getInt("completion_tokens", -1);
  if (p >= 0) u.inputTokens = p;
  if (c >= 0) u.outputTokens = c;
}

export class OpenAIDifyResponse extends OpenAIChunkTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Dify, opts, stream);
  }

  private get workflow(): bool { return this.opts.apiVariant == "Workflow"; }

  private readHead(root: JsonValue): void {
    if (this.respId.length == 0) {
      let id: string | null = null;
      if (this.workflow) {
        const data = root.get("data");
        id = data != null && data.isObject() ? data.getString("workflow_id") : null;
      } else id = root.getString(this.opts.apiVariant == "Completion" ? "message_id" : "conversation_id");
      if (id !== null) this.respId = id;
    }
    const created = root.getInt("created_at", 0);
    if (created > 0 && this.created == 0) this.created = created;
    readDifyUsage(root, this.usage);
    if (this.model.length == 0) this.model = this.opts.model;
  }

  /** outputs[outputVariable] of a workflow answer as a JSON string value; null when absent. */
  private workflowOutput(root: JsonValue): Uint8Array | null {
    const data = root.get("data");
    const outputs = data != null && data.isObject() ? data.get("outputs") : null;
    const v = outputs != null && outputs.isObject() ? outputs.get(this.opts.outputField) : null;
    if (v == null || v.isNull()) return null;
    if (v.isString()) return compactBytes(v);
    const w = new JsonWriter(v.end - v.start + 8);
    w.stringFromBytes(compactBytes(v));
    return w.take();
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
    this.readHead(root);
    const w = new JsonWriter(whole.length + 256);
    if (this.workflow) {
      const out = this.workflowOutput(root);
      const doc = parseJson(out !== null ? out : Uint8Array.wrap(String.UTF8.encode("\"\""))).value;
      this.beginMessage(w, null, doc, false);
    } else {
      const answer = root.get("answer");
      if (answer == null || !answer.isString()) return this.invalid("upstream response has no answer");
      this.beginMessage(w, null, answer, false);
    }
    return this.endMessage(w, "stop");
  }

  protected onEvent(data: Uint8Array, len: i32): void {
    if (len == 0) return;
    const root = this.parse(data, len);
    if (root == null || !root.isObject()) return;
    const event = root.getString("event");
    if (event === null) return;
    if (event == "error") {
      const msg = root.getString("message");
      const code = root.getString("code");
      this.streamError(<i32>root.getInt("status", 500), msg !== null ? msg : "upstream error", code !== null ? code : "");
      return;
    }
    if (event == "message" || event == "agent_message") {
      this.readHead(root);
      this.roleChunk();
      this.texts(null, root.get("answer"));
    } else if (event == "message_end") {
      this.readHead(root);
      this.roleChunk();
      this.finishChunk("stop");
    } else if (event == "workflow_finished") {
      this.readHead(root);
      this.roleChunk();
      const out = this.workflowOutput(root);
      if (out !== null) {
        const v = this.parse(out, out.length);
        this.texts(null, v);
      }
      this.finishChunk("stop");
    }
  }
}
