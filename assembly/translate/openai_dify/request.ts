// OpenAI Chat Completions request → a Dify app's API (https://docs.dify.ai/en/openapi-api-access-readme), as Higress
// sends it: the conversation flattened into one prompt ("SYSTEM: \n…\n", "ASSISTANT: \n…\n", "USER: \n…\n" per
// message), response_mode "streaming" or "blocking", user = the request's `user` or "api-user". By the app's botType
// (TranslateOptions.apiVariant, providers/dify.ts):
//   Chat, Agent  POST /v1/chat-messages        {"inputs":{},"query":P,"response_mode","user","auto_generate_name":false,"conversation_id":""}
//   Completion   POST /v1/completion-messages  {"inputs":{"query":P},"response_mode","user"}
//   Workflow     POST /v1/workflows/run        {"inputs":{<inputVariable>:P},"response_mode","user"}
// A Dify app owns its model settings: sampling fields and token limits are left out (announced); tools, images and the
// other fields that change the output are refused unless dropUnsupportedParams.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { RequestResult, TranslateOptions } from "../common";
import { startAppRequest, writeAppUser } from "../app-request";
import { Path, pushContentText } from "../util";

export function openaiToDifyRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startAppRequest(body, opts, "a Dify app");
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;

  const w = new JsonWriter(body.length + 128, true);
  const variant = opts.apiVariant;
  w.beginObject().key("inputs").beginObject();
  if (variant == "Completion") w.key("query");
  else if (variant == "Workflow") w.key(opts.inputField);
  if (variant == "Completion" || variant == "Workflow") {
    const err = writePrompt(w, start.messages!);
    if (err.length) return RequestResult.failure(400, err);
  }
  w.endObject();
  if (variant != "Completion" && variant != "Workflow") {
    w.key("query");
    const err = writePrompt(w, start.messages!);
    if (err.length) return RequestResult.failure(400, err);
  }
  w.fieldString("response_mode", res.stream ? "streaming" : "blocking").key("user");
  writeAppUser(w, root, "api-user");
  if (variant != "Completion" && variant != "Workflow") w.fieldBool("auto_generate_name", false).fieldString("conversation_id", "");
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** The messages as one string: "ROLE: \n<text>\n" each (system, assistant; every other role as USER). */
function writePrompt(w: JsonWriter, messages: JsonValue): string {
  const at = new Path(null, "messages.", 0);
  w.openString();
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    at.idx = it.index;
    if (!m.isObject()) return at.s() + ": must be an object";
    const role = m.get("role");
    w.stringPart(role != null && (role.equals("system") || role.equals("developer")) ? "SYSTEM: \n" : role != null && role.equals("assistant") ? "ASSISTANT: \n" : "USER: \n");
    const err = pushContentText(w, m.get("content"), "", "only text parts reach a Dify app", "must be a string or an array");
    if (err.length) return at.s() + "." + err;
    w.stringPart("\n");
  }
  w.closeString();
  return "";
}
