// What the DashScope native translators of non-chat APIs (embeddings, rerank) share: one JSON answer, never a stream
// (an event stream in its place ends in an in-stream error, never reaches the client as DashScope's own shape);
// DashScope's error object {"request_id","code","message"} becomes an OpenAI error with its code kept.
import { parseJson } from "../../json/parse";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, convertErrorBody, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { TranslateOptions } from "../common";
import { WholeAnswerTranslator } from "../whole-answer";

/** DashScope's error body as an OpenAI error (its `message` and `code`); other bodies the generic way. */
export function dashScopeError(status: i32, body: Uint8Array): Uint8Array {
  const root = parseJson(body).value;
  const msg = root != null && root.isObject() ? root.getString("message") : null;
  if (msg === null) return convertErrorBody(Protocol.OpenAI, status, body);
  const code = root!.getString("code");
  return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), msg, "", code !== null ? code : ""));
}

export abstract class DashScopeJsonAnswer extends WholeAnswerTranslator {
  constructor(opts: TranslateOptions) {
    super(Protocol.DashScope, opts, "DashScope answered with an event stream, which it does not send for this API");
  }

  error(status: i32, body: Uint8Array): Uint8Array { return dashScopeError(status, body); }
}
