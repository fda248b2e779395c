// What OpenAI chat requests to app platforms (a Coze bot, a Dify app) share: the app owns its model, prompt and
// settings, so only the conversation, the stream wish and the user travel. Sampling fields and token limits are left
// out (announced); tools, formats and the other fields that change the output are refused naming the field unless
// dropUnsupportedParams. The two converters differ in how they write the conversation, not in this.

import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { ConversionStart, readStreamWish, screenFields, startConversion, TranslateOptions } from "./common";

const MAPPED_FIELDS: Array<string> = ["model", "messages", "stream", "stream_options", "user"];
const REFUSED_FIELDS: Array<string> = ["tools", "tool_choice", "functions", "function_call", "response_format", "n", "modalities", "audio", "logit_bias"];

/** The checked request (`root`, `messages`, `result` with the stream wish) or its `failure`; `app` names the upstream. */
export function startAppRequest(body: Uint8Array, opts: TranslateOptions, app: string): ConversionStart {
  const start = startConversion(body, opts);
  if (start.failure !== null) return start;
  const refused = screenFields(start.root!, start.result, opts, MAPPED_FIELDS, REFUSED_FIELDS, app);
  if (refused !== null) {
    start.failure = refused;
    return start;
  }
  readStreamWish(start.root!, start.result);
  return start;
}

/** The request's `user` when it is a non-empty string, else the app's `fallback` name for anonymous users. */
export function writeAppUser(w: JsonWriter, root: JsonValue, fallback: string): void {
  const user = root.get("user");
  if (user != null && user.isString() && user.end - user.start > 2) w.raw(user); else w.string(fallback);
}
