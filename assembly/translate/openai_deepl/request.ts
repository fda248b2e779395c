// OpenAI Chat Completions request → DeepL translate request (https://developers.deepl.com/api-reference/translate,
// POST /v2/translate). As Higress's deepl provider does (seed 001, "使用 OpenAI 协议代理 DeepL 文本翻译服务"): every
// non-system message's text is one entry of `text` (one translation, one choice, each), system messages are
// `context` (text that informs the translation but is not translated; several join with "\n"), the target language
// is the provider's targetLang. The model ("Free" / "Pro" in Higress's examples) selects nothing in the body.
//
// Output keys: text, target_lang, context. DeepL answers whole texts: `stream: true` is refused (no SSE to give);
// sampling and tool fields mean nothing to a translation: left out and announced.

import { JsonWriter } from "../../json/writer";
import { RequestResult, startConversion, TranslateOptions } from "../common";
import { pushContentText } from "../util";

/** Fields a translation request reads or that change nothing in a translation's output. */
const KEPT: Array<string> = ["model", "messages", "stream", "stream_options", "user"];

export function openaiToDeepLRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start.failure!;
  const root = start.root!;
  const messages = start.messages!;
  const res = start.result;
  const streamV = root.get("stream");
  if (streamV != null && streamV.asBool(false)) return RequestResult.failure(400, "stream: DeepL translates whole texts and does not stream; send stream false");
  if (opts.targetLang.length == 0) return RequestResult.failure(500, "the provider's targetLang is not set");
  const keys = root.iter();
  while (keys.next()) {
    const k = keys.key!;
    let kept = false;
    for (let i = 0; i < KEPT.length; i++) if (k.equals(KEPT[i])) { kept = true; break; }
    if (!kept) res.drop(k.str());
  }

  const w = new JsonWriter(body.length + 64, true);
  const ctx = new JsonWriter(64);
  w.beginObject().key("text").beginArray();
  let texts = 0, contexts = 0;
  const it = messages.iter();
  while (it.next()) {
    const m = it.value;
    const at = "messages." + it.index.toString() + ".";
    if (!m.isObject()) return RequestResult.failure(400, at + "role: each message must be an object");
    let err = "";
    if (m.memberEquals("role", "system") || m.memberEquals("role", "developer")) {
      if (contexts++ == 0) ctx.openString(); else ctx.stringPart("\n");
      err = pushContentText(ctx, m.get("content"), "\n");
    } else {
      w.openString();
      err = pushContentText(w, m.get("content"), "\n");
      w.closeString();
      texts++;
    }
    if (err.length) return RequestResult.failure(400, at + err);
  }
  if (texts == 0) return RequestResult.failure(400, "messages: at least one non-system message holds the text to translate");
  w.endArray().fieldString("target_lang", opts.targetLang);
  if (contexts > 0) w.key("context").rawBytes(ctx.closeString().take());
  w.endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}
