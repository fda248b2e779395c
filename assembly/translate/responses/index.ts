// OpenAI Responses (/v1/responses) as a client API, whatever the upstream speaks:
//   Native    the upstream serves the Responses API (openai, azure, ...): model mapped, answers checked (passthrough.ts)
//   Chat      the upstream speaks Chat Completions only: converted both ways (responses_chat/)
//   Messages  the upstream speaks Anthropic Messages: Responses → Chat → Messages and back, chaining responses_chat/
//             with openai_anthropic/ (one converter per idea; the Chat request in between is never sent)
// Conversion is stateless: previous_response_id and friends get a 400 (responses_chat/request.ts).
import { concatBytes } from "../../bytes/utf8";
import { ObjectEdits, spliceObject } from "../../json/splice";
import { readModel, readRequestBody, RequestResult, ResponseTranslator, TranslateOptions } from "../common";
import { openaiToAnthropicRequest } from "../openai_anthropic/request";
import { OpenAIAnthropicResponse } from "../openai_anthropic/response";
import { PassthroughTranslator } from "../passthrough";
import { Protocol } from "../../protocol/api";
import { responsesToChatRequest } from "../responses_chat/request";
import { ResponsesChatResponse } from "../responses_chat/response";

export const enum ResponsesRoute { Native = 0, Chat = 1, Messages = 2 }

/** Translates a Responses request for `route`; converted routes also set `opts.responsesEcho` for the answer. */
export function translateResponsesRequest(route: ResponsesRoute, body: Uint8Array, opts: TranslateOptions): RequestResult {
  if (route == ResponsesRoute.Native) return nativeRequest(body, opts);
  if (route == ResponsesRoute.Chat) return responsesToChatRequest(body, opts);
  const chat = responsesToChatRequest(body, opts, true);
  if (!chat.ok) return chat;
  // The Chat request names the upstream model already: no second mapping.
  const inner = new TranslateOptions();
  copyOptions(opts, inner);
  inner.responsesEcho = opts.responsesEcho;
  inner.model = chat.upstreamModel;
  const res = openaiToAnthropicRequest(chat.body, inner);
  if (!res.ok) return res;
  res.requestedModel = chat.requestedModel;
  for (let i = 0; i < chat.dropped.length; i++) res.drop(chat.dropped[i]);
  return res;
}

/** The answer's translator for `route` (converted routes read `opts.responsesEcho`). */
export function newResponsesTranslator(route: ResponsesRoute, opts: TranslateOptions, stream: bool): ResponseTranslator {
  if (route == ResponsesRoute.Native) {
    const t = new PassthroughTranslator(Protocol.OpenAI, opts, stream);
    t.responses = true;
    return t;
  }
  const outer = new ResponsesChatResponse(opts, stream, opts.responsesEcho);
  if (route == ResponsesRoute.Chat) return outer;
  return new ChainedTranslator(new OpenAIAnthropicResponse(opts, stream), outer);
}

/** Same model mapping and stream flag as any passthrough; nothing added (Responses takes no stream_options.include_usage). */
function nativeRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) return read.failure!;
  const res = new RequestResult();
  const problem = readModel(root, opts, res);
  if (problem.length) return RequestResult.failure(400, problem);
  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);
  if (res.upstreamModel != res.requestedModel) {
    const out = spliceObject(root, new ObjectEdits().setString("model", res.upstreamModel));
    if (out == null) return RequestResult.failure(400, "request body must be a JSON object");
    res.body = out;
  } else {
    res.body = body.length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? body.subarray(3) : body;
  }
  res.ok = true;
  return res;
}

function copyOptions(from: TranslateOptions, to: TranslateOptions): void {
  to.reasoningContentMode = from.reasoningContentMode;
  to.defaultMaxTokens = from.defaultMaxTokens;
  to.includeUsage = from.includeUsage;
  to.maxTokensField = from.maxTokensField;
  to.forwardTopK = from.forwardTopK;
  to.nowSeconds = from.nowSeconds;
  to.modelTraits = from.modelTraits;
  to.dropUnsupported = from.dropUnsupported;
  to.anthropicVersion = from.anthropicVersion;
  to.anthropicVersionPinned = from.anthropicVersionPinned;
}

/**
 * Anthropic answers → Chat answers → Responses answers: the first translator's output is the second's input, for
 * whole bodies and stream chunks alike. Usage and model come from the first (it reads the upstream).
 */
export class ChainedTranslator extends ResponseTranslator {
  constructor(private inner: ResponseTranslator, private outer: ResponseTranslator) {
    super(outer.client, inner.upstream, outer.opts, outer.stream);
    inner.clientIncludeUsage = true; // the usage chunk fills response.completed's usage
    this.usage = inner.usage;
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    const chat = this.inner.body(whole, status);
    const out = this.outer.body(chat, this.inner.clientStatus(status));
    this.sync();
    return out;
  }

  clientStatus(status: i32): i32 { return this.outer.clientStatus(this.inner.clientStatus(status)); }

  chunk(bytes: Uint8Array): Uint8Array {
    const out = this.outer.chunk(this.inner.chunk(bytes));
    this.sync();
    return out;
  }

  end(): Uint8Array {
    const tail = this.outer.chunk(this.inner.end());
    const out = this.outer.finished ? tail : concatBytes(tail, this.outer.end());
    this.sync();
    return out;
  }

  error(status: i32, body: Uint8Array): Uint8Array { return this.outer.error(status, this.inner.error(status, body)); }

  fail(status: i32, message: string): Uint8Array {
    const out = this.outer.fail(status, message);
    this.sync();
    return out;
  }

  private sync(): void {
    this.model = this.inner.model;
    this.stopReason = this.outer.stopReason;
    this.started = this.outer.started;
    this.finished = this.outer.finished;
  }
}


/** translateResponsesRequest for a route given as providers/responses.ts's number (the plugin's side). */
export function responsesRequest(route: i32, body: Uint8Array, opts: TranslateOptions): RequestResult {
  return translateResponsesRequest(<ResponsesRoute>route, body, opts);
}

/** newResponsesTranslator for a route given as a number. */
export function responsesTranslator(route: i32, opts: TranslateOptions, stream: bool): ResponseTranslator {
  return newResponsesTranslator(<ResponsesRoute>route, opts, stream);
}

/** The request body becomes a chat request (Chat or Messages), so the provider's chat edits apply. */
export function convertsToChat(route: i32): bool {
  return route == ResponsesRoute.Chat || route == ResponsesRoute.Messages;
}
