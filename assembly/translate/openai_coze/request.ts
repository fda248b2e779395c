// OpenAI Chat Completions request → Coze's chat API v3 (https://www.coze.cn/open/docs/developer_guides/chat_v3):
//   POST /v3/chat {"bot_id","user_id","stream":true,"auto_save_history":false,"additional_messages":[…]}
// The model names the bot (modelMapping maps client models to bot ids); user_id is the request's `user`, else
// "ai-proxy". Coze answers a non-streamed chat before the bot has replied (the reply must then be polled), so the
// request always streams and a client that asked for one JSON answer gets the stream collected
// (OpenAICozeResponse.collectsStream). auto_save_history false: the conversation stays the client's, as OpenAI's is.
// additional_messages take user and assistant turns only: system and developer messages go as user questions at
// their place (the bot's own persona prompt stays in force). A Coze bot owns its model settings: sampling fields
// and token limits are left out (announced); tools, images and the other fields that change the output are refused
// unless dropUnsupportedParams.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { RequestResult, TranslateOptions } from "../common";
import { startAppRequest, writeAppUser } from "../app-request";
import { Path, pushContentText } from "../util";

export function openaiToCozeRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startAppRequest(body, opts, "a Coze bot");
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;

  const w = new JsonWriter(body.length + 128, true);
  w.beginObject().fieldString("bot_id", res.upstreamModel).key("user_id");
  writeAppUser(w, root, "ai-proxy");
  w.fieldBool("stream", true).fieldBool("auto_save_history", false).key("additional_messages").beginArray();
  const err = writeMessages(w, start.messages!, opts.dropUnsupported, res);
  if (err.length) return RequestResult.failure(400, err);
  w.endArray().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** Each message as {"role","content","content_type":"text","type"}: assistant → answer, every other role → question. */
function writeMessages(w: JsonWriter, messages: JsonValue, dropUnsupported: bool, res: RequestResult): string {
  const at = new Path(null, "messages.", 0);
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    at.idx = it.index;
    if (!m.isObject()) return at.s() + ": must be an object";
    const role = m.get("role");
    const assistant = role != null && role.equals("assistant");
    if (role != null && (role.equals("tool") || role.equals("function"))) {
      if (!dropUnsupported) return at.s() + ".role: tool results have no counterpart on a Coze bot";
      res.drop(at.s());
      continue;
    }
    const calls = m.get("tool_calls");
    if (assistant && calls != null && !calls.isNull()) {
      if (!dropUnsupported) return at.s() + ".tool_calls: have no counterpart on a Coze bot";
      res.drop(at.s() + ".tool_calls");
    }
    w.beginObject().fieldString("role", assistant ? "assistant" : "user").key("content").openString();
    const err = pushContentText(w, m.get("content"), "", "only text parts reach a Coze bot", "must be a string or an array");
    if (err.length) return at.s() + "." + err;
    w.closeString().fieldString("content_type", "text").fieldString("type", assistant ? "answer" : "question").endObject();
  }
  return "";
}
