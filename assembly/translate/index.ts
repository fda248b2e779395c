// Protocol translation: the public surface the plugin uses. Pure functions over UTF-8 bytes,
// no host calls. One translator per (client schema, upstream schema) pair lives in its own
// folder (`anthropic_openai/`, `openai_anthropic/`), and `newResponseTranslator` below is the
// one place that picks it.
//
// Nothing here traps on any input: malformed or unexpected bodies become error values
// (RequestResult.ok == false with an HTTP status and a message) or well-formed error replies
// in the client's protocol.

import { Protocol } from "../protocol/api";
import { TranslateOptions, RequestResult, ResponseTranslator, Usage } from "./common";
import { passthroughRequest, PassthroughTranslator } from "./passthrough";
import { anthropicToOpenAIRequest } from "./anthropic_openai/request";
import { AnthropicOpenAIResponse } from "./anthropic_openai/response";
import { openaiToAnthropicRequest } from "./openai_anthropic/request";
import { OpenAIAnthropicResponse } from "./openai_anthropic/response";

export { Protocol } from "../protocol/api";
export { TranslateOptions, RequestResult, ResponseTranslator, Usage } from "./common";

/**
 * Translates a client request body into the body to send upstream.
 *
 * - client == upstream: the body is kept byte for byte except the top-level `model`, which is
 *   replaced by `opts.model` when that is not empty (a splice, no re-encoding).
 * - Anthropic client, OpenAI upstream: Messages request → Chat Completions request.
 * - OpenAI client, Anthropic upstream: Chat Completions request → Messages request.
 *
 * Never traps: a body that is not JSON, or has wrong types where the mapping needs a field,
 * gives `ok == false`, `errorStatus` 400 and `errorMessage`; answer it with
 * `errorBody(client, result.errorStatus, result.errorMessage)` from `protocol`.
 */
export function translateRequest(client: Protocol, upstream: Protocol, body: Uint8Array, opts: TranslateOptions): RequestResult {
  if (client == upstream) return passthroughRequest(client, body, opts);
  if (client == Protocol.Anthropic) return anthropicToOpenAIRequest(body, opts);
  return openaiToAnthropicRequest(body, opts);
}

/**
 * The per-request response translator for (client, upstream). `stream` is
 * `RequestResult.stream` (the client asked for SSE); `clientIncludeUsage` is
 * `RequestResult.includeUsage` (an OpenAI client asked for the usage chunk). Same protocols give a pass-through
 * translator that still converts error bodies it cannot vouch for into the client's format.
 */
export function newResponseTranslator(client: Protocol, upstream: Protocol, opts: TranslateOptions, stream: bool, clientIncludeUsage: bool = false): ResponseTranslator {
  let t: ResponseTranslator;
  if (client == upstream) t = new PassthroughTranslator(client, opts, stream);
  else if (client == Protocol.Anthropic) t = new AnthropicOpenAIResponse(opts, stream);
  else t = new OpenAIAnthropicResponse(opts, stream);
  t.clientIncludeUsage = clientIncludeUsage;
  return t;
}
