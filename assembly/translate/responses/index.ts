// OpenAI Responses (/v1/responses) as a client API, registered in translate/index.ts:
//   (Responses, Responses)  the upstream serves it (openai, azure, ...): model mapped, answers checked (passthrough.ts)
//   (Responses, Chat)       converted both ways (responses_chat/)
//   (Responses, Messages)   Responses → Chat → Messages and back: responses_chat/ chained with openai_anthropic/; the
//                           Chat request in between is never sent, and the Messages converter judges reasoning and
//                           sampling against the Anthropic model's traits
//   other chat schemas      composed by the registry through Chat
// Conversion is stateless: previous_response_id and friends get a 400 (responses_chat/request.ts).
import { ObjectEdits, spliceObject } from "../../json/splice";
import { ChainedTranslator } from "../chained";
import { readModel, readRequestBody, RequestResult, ResponseTranslator, TranslateOptions } from "../common";
import { openaiToAnthropicRequest } from "../openai_anthropic/request";
import { OpenAIAnthropicResponse } from "../openai_anthropic/response";
import { responsesToChatRequest as toChat } from "../responses_chat/request";
import { ResponsesChatResponse } from "../responses_chat/response";

export { ResponsesChatResponse } from "../responses_chat/response";

/** Responses → Chat Completions (the registry's request function; sets `opts.responsesEcho`). */
export function responsesToChatRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return toChat(body, opts, false);
}

/** Responses → Messages, through a Chat request that is never sent. */
export function responsesToMessagesRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const chat = toChat(body, opts, true);
  if (!chat.ok) return chat;
  // The Chat request names the upstream model already: no second mapping.
  const res = openaiToAnthropicRequest(chat.body, opts.forModel(chat.upstreamModel));
  if (!res.ok) return res;
  res.requestedModel = chat.requestedModel;
  for (let i = 0; i < res.dropped.length; i++) chat.drop(res.dropped[i]);
  res.dropped = chat.dropped;
  return res;
}

/** Messages answers → Chat answers → Responses answers. */
export function responsesFromMessages(opts: TranslateOptions, stream: bool): ResponseTranslator {
  const inner = new OpenAIAnthropicResponse(opts, stream);
  inner.clientIncludeUsage = true; // the usage chunk fills response.completed's usage
  return new ChainedTranslator(new ResponsesChatResponse(opts, stream), inner);
}

/** Same schema: the model mapped (a splice), nothing added (Responses takes no stream_options.include_usage). */
export function responsesPassthroughRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
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
