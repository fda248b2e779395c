// OpenAI Chat Completions request → MiniMax ChatCompletion Pro (`POST /v1/text/chatcompletion_pro?GroupId=…`,
// minimaxApiType "pro"), shaped as Higress sends it:
//   {"model","stream"?,"tokens_to_generate"?,"temperature"?,"top_p"?,"mask_sensitive_info":true,
//    "messages":[{"sender_type":"USER"|"BOT","sender_name","text"}],"bot_setting":[{"bot_name","content"}],
//    "reply_constraints":{"sender_type":"BOT","sender_name"}}
// system messages are bot settings (bot_name: the message's name, else "MM智能助理"); user turns are USER (name, else
// "小明"), assistant turns BOT; without a system message the bot gets MiniMax's documented example setting. The reply
// is constrained to the (last) bot name. Tools and images are refused (Pro's functions are not mapped); other
// unmapped fields are announced.

import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { readStreamWish, RequestResult, screenFields, startConversion, TranslateOptions } from "../common";
import { Path, pushStringInner, typeOf } from "../util";

const BOT_NAME = "MM智能助理";
const USER_NAME = "小明";
const BOT_CONTENT = "MM智能助理是一款由MiniMax自研的，没有调用其他产品的接口的大型语言模型。MiniMax是一家中国科技公司，一直致力于进行大模型相关的研究。";
const MAPPED_FIELDS: Array<string> = ["model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "temperature", "top_p"];
const REFUSED_FIELDS: Array<string> = ["tools", "tool_choice", "functions", "function_call", "response_format", "n", "logit_bias"];

function nameOr(m: JsonValue, def: string): string {
  const n = m.getString("name");
  return n !== null && n.length > 0 ? n : def;
}

/** The message's text: a string, or its text parts joined; null when another part type is in it. */
function writeText(w: JsonWriter, c: JsonValue | null): bool {
  if (c == null || c.isNull()) { w.string(""); return true; }
  if (c.isString()) { w.raw(c); return true; }
  if (!c.isArray()) return false;
  w.openString();
  const it = c.iter();
  while (it.next()) {
    const p = it.value;
    const text = p.isObject() ? p.get("text") : null;
    if (!p.isObject() || typeOf(p) != "text" || text == null || !text.isString()) return false;
    pushStringInner(w, text);
  }
  w.closeString();
  return true;
}

export function openaiToMiniMaxProRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const res = start.result;
  const refused = screenFields(root, res, opts, MAPPED_FIELDS, REFUSED_FIELDS, "MiniMax ChatCompletion Pro");
  if (refused !== null) return refused;
  readStreamWish(root, res);
  const w = new JsonWriter(body.length + 256, true);
  w.beginObject().fieldString("model", res.upstreamModel);
  if (res.stream) w.fieldBool("stream", true);
  let maxTokens = root.get("max_completion_tokens");
  if (maxTokens == null || maxTokens.isNull()) maxTokens = root.get("max_tokens");
  if (maxTokens != null && maxTokens.isNumber()) w.key("tokens_to_generate").raw(maxTokens);
  const temp = root.get("temperature");
  if (temp != null && temp.isNumber()) w.key("temperature").raw(temp);
  const topP = root.get("top_p");
  if (topP != null && topP.isNumber()) w.key("top_p").raw(topP);
  w.fieldBool("mask_sensitive_info", true).key("messages").beginArray();
  const at = new Path(null, "messages.", 0);
  const messages = start.messages!;
  let it = messages.iter();
  let bots = 0;
  let botName = BOT_NAME;
  while (it.next()) {
    const m = it.value;
    at.idx = it.index;
    if (!m.isObject()) return RequestResult.failure(400, at.s() + ": must be an object");
    const role = m.getString("role");
    if (role == "system" || role == "developer") { bots++; botName = nameOr(m, BOT_NAME); continue; }
    if (role != "user" && role != "assistant") return RequestResult.failure(400, at.s() + ".role: \"" + (role !== null ? role! : "") + "\" has no counterpart on MiniMax ChatCompletion Pro");
    const user = role == "user";
    w.beginObject().fieldString("sender_type", user ? "USER" : "BOT").fieldString("sender_name", nameOr(m, user ? USER_NAME : BOT_NAME)).key("text");
    if (!writeText(w, m.get("content"))) return RequestResult.failure(400, at.s() + ".content: only text reaches MiniMax ChatCompletion Pro");
    w.endObject();
  }
  w.endArray().key("bot_setting").beginArray();
  if (bots == 0) w.beginObject().fieldString("bot_name", BOT_NAME).fieldString("content", BOT_CONTENT).endObject();
  it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const role = m.getString("role");
    if (role != "system" && role != "developer") continue;
    w.beginObject().fieldString("bot_name", nameOr(m, BOT_NAME)).key("content");
    if (!writeText(w, m.get("content"))) return RequestResult.failure(400, "messages." + it.index.toString() + ".content: only text reaches MiniMax ChatCompletion Pro");
    w.endObject();
  }
  w.endArray().key("reply_constraints").beginObject().fieldString("sender_type", "BOT").fieldString("sender_name", botName).endObject();
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}
