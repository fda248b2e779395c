// What the DashScope native translators of non-chat APIs (embeddings, rerank) share: one JSON answer, never a stream;
// DashScope's error object {"request_id","code","message"} becomes an OpenAI error with its code kept.
import { parseJson } from "../../json/parse";
import { Protocol } from "../../protocol/api";
import { clientErrorStatus, convertErrorBody, errorBody, openaiErrorBody } from "../../protocol/errors";
import { redactSecrets } from "../../protocol/secrets";
import { ResponseTranslator, TranslateOptions } from "../common";

/** DashScope's error body as an OpenAI error (its `message` and `code`); other bodies the generic way. */
export function dashScopeError(status: i32, body: Uint8Array): Uint8Array {
  const root = parseJson(body).value;
  const msg = root != null && root.isObject() ? root.getString("message") : null;
  if (msg === null) return convertErrorBody(Protocol.OpenAI, status, body);
  const code = root!.getString("code");
  return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), msg, "", code !== null ? code : ""));
}

export abstract class DashScopeJsonAnswer extends ResponseTranslator {
  /** A 2xx body could not be converted: the client gets 502. */
  protected invalidBody: bool = false;

  constructor(opts: TranslateOptions) {
    super(Protocol.OpenAI, Protocol.DashScope, opts, false);
  }

  protected invalid(message: string): Uint8Array {
    this.invalidBody = true;
    return errorBody(Protocol.OpenAI, 502, message);
  }

  clientStatus(status: i32): i32 {
    if (status >= 200 && status < 300) return this.invalidBody ? 502 : status;
    return clientErrorStatus(Protocol.OpenAI, status);
  }

  error(status: i32, body: Uint8Array): Uint8Array { return dashScopeError(status, body); }
}
