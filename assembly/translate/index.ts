// Protocol translation: the public surface the plugin uses. Pure functions over UTF-8 bytes, no host calls.
//
// API schemas (protocol/api.ts `Schema`) are the unit of translation. The registry below maps a (client schema,
// upstream schema) pair to a request translator and a response translator factory, each pair in its own folder
// (`anthropic_openai/`, `openai_anthropic/`, …). Same-schema pairs get the passthrough; a pair with no entry of its
// own is composed through one intermediate schema (client → X → upstream), requests run twice and responses
// chained. This file is the one place a translator is picked.
//
// Nothing here traps on any input: malformed or unexpected bodies become error values
// (RequestResult.ok == false with an HTTP status and a message) or well-formed error replies
// in the client's protocol.

import { chatSchemaOf, Protocol, protocolOf, Schema } from "../protocol/api";
import { TranslateOptions, RequestResult, ResponseTranslator } from "./common";
import { ChainedTranslator } from "./chained";
import { PromoteThinking } from "./promote-thinking";
import { passthroughRequest, PassthroughTranslator } from "./passthrough";
import { anthropicToOpenAIRequest } from "./anthropic_openai/request";
import { AnthropicOpenAIResponse } from "./anthropic_openai/response";
import { openaiToAnthropicRequest } from "./openai_anthropic/request";
import { OpenAIAnthropicResponse } from "./openai_anthropic/response";
import { responsesPassthroughRequest, responsesToChatRequest, responsesToMessagesRequest, ResponsesChatResponse, responsesFromMessages } from "./responses";
import { openaiToGeminiRequest } from "./openai_gemini/request";
import { OpenAIGeminiResponse } from "./openai_gemini/response";
import { openaiToBedrockRequest } from "./openai_bedrock/request";
import { OpenAIBedrockResponse } from "./openai_bedrock/response";
import { openaiToBedrockEmbeddingsRequest, OpenAIBedrockEmbeddingsResponse } from "./openai_bedrock/embeddings";
import { openaiToDeepLRequest } from "./openai_deepl/request";
import { OpenAIDeepLResponse } from "./openai_deepl/response";
import { openaiToTritonRequest } from "./openai_triton/request";
import { OpenAITritonResponse } from "./openai_triton/response";
import { openaiToHunyuanRequest } from "./openai_hunyuan/request";
import { OpenAIHunyuanResponse } from "./openai_hunyuan/response";
import { openaiToDashScopeMultimodalRequest, openaiToDashScopeRequest } from "./openai_dashscope/request";
import { OpenAIDashScopeResponse } from "./openai_dashscope/response";
import { openaiToDashScopeEmbeddingsRequest, OpenAIDashScopeEmbeddings } from "./openai_dashscope/embeddings";
import { rerankToDashScopeRequest, RerankDashScopeResponse } from "./openai_dashscope/rerank";
import { openaiToDifyRequest } from "./openai_dify/request";
import { OpenAIDifyResponse } from "./openai_dify/response";
import { openaiToMiniMaxProRequest } from "./openai_minimax_pro/request";
import { OpenAIMiniMaxProResponse } from "./openai_minimax_pro/response";
import { openaiToGeminiEmbedRequest } from "./openai_gemini_embed/request";
import { OpenAIGeminiEmbedResponse } from "./openai_gemini_embed/response";
import { openaiToImagenRequest } from "./openai_imagen/request";
import { OpenAIImagenResponse } from "./openai_imagen/response";
import { openaiImageEditToGemini, openaiImageGenerationToGemini, openaiImageVariationToGemini } from "./openai_images_gemini/request";
import { OpenAIImagesGeminiResponse } from "./openai_images_gemini/response";
import { openaiToVertexEmbeddingsRequest } from "./openai_vertex_embeddings/request";
import { OpenAIVertexEmbeddingsResponse } from "./openai_vertex_embeddings/response";
import { openaiToCozeRequest } from "./openai_coze/request";
import { OpenAICozeResponse } from "./openai_coze/response";

export { Protocol, Schema } from "../protocol/api";
export { TranslateOptions, RequestResult, ResponseTranslator, Usage } from "./common";

/** Converts a client request body in one schema into the upstream's schema. */
export type RequestFn = (body: Uint8Array, opts: TranslateOptions) => RequestResult;
/** Makes the per-request response translator (upstream answers → client answers); `stream`: the client asked for SSE. */
export type ResponseFn = (opts: TranslateOptions, stream: bool) => ResponseTranslator;

/** One registry entry: how a `client` request reaches an `upstream` schema and how its answers come back. */
export class Translation {
  constructor(public client: Schema, public upstream: Schema, public request: RequestFn, public response: ResponseFn) {}
}

/** Every converting pair. A new schema adds its folder and its rows here. */
const REGISTRY: Array<Translation> = [
  new Translation(Schema.AnthropicMessages, Schema.OpenAIChat, anthropicToOpenAIRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new AnthropicOpenAIResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.AnthropicMessages, openaiToAnthropicRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIAnthropicResponse(opts, stream)),
  new Translation(Schema.OpenAIResponses, Schema.OpenAIChat, responsesToChatRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new ResponsesChatResponse(opts, stream)),
  // Through Chat, but registered: reasoning and sampling are judged against the Anthropic model by the second hop.
  new Translation(Schema.OpenAIResponses, Schema.AnthropicMessages, responsesToMessagesRequest, responsesFromMessages),
  new Translation(Schema.OpenAIChat, Schema.GeminiGenerateContent, openaiToGeminiRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIGeminiResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.BedrockConverse, openaiToBedrockRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIBedrockResponse(opts, stream)),
  new Translation(Schema.OpenAIEmbeddings, Schema.BedrockInvokeEmbeddings, openaiToBedrockEmbeddingsRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIBedrockEmbeddingsResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.DeepLTranslate, openaiToDeepLRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIDeepLResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.TritonGenerate, openaiToTritonRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAITritonResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.HunyuanChat, openaiToHunyuanRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIHunyuanResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.DashScopeGeneration, openaiToDashScopeRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIDashScopeResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.DashScopeMultimodal, openaiToDashScopeMultimodalRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIDashScopeResponse(opts, stream)),
  new Translation(Schema.OpenAIEmbeddings, Schema.DashScopeEmbeddings, openaiToDashScopeEmbeddingsRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIDashScopeEmbeddings(opts)),
  new Translation(Schema.Rerank, Schema.DashScopeRerank, rerankToDashScopeRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new RerankDashScopeResponse(opts)),
  new Translation(Schema.OpenAIChat, Schema.DifyApp, openaiToDifyRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIDifyResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.MiniMaxPro, openaiToMiniMaxProRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIMiniMaxProResponse(opts, stream)),
  new Translation(Schema.OpenAIEmbeddings, Schema.GeminiBatchEmbed, openaiToGeminiEmbedRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIGeminiEmbedResponse(opts, stream)),
  new Translation(Schema.OpenAIImageGenerations, Schema.GeminiImagenPredict, openaiToImagenRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIImagenResponse(opts, stream)),
  new Translation(Schema.OpenAIImageGenerations, Schema.GeminiImageContent, openaiImageGenerationToGemini,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIImagesGeminiResponse(opts, stream)),
  new Translation(Schema.OpenAIImageEdits, Schema.GeminiImageContent, openaiImageEditToGemini,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIImagesGeminiResponse(opts, stream)),
  new Translation(Schema.OpenAIImageVariations, Schema.GeminiImageContent, openaiImageVariationToGemini,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIImagesGeminiResponse(opts, stream)),
  new Translation(Schema.OpenAIEmbeddings, Schema.VertexEmbeddings, openaiToVertexEmbeddingsRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAIVertexEmbeddingsResponse(opts, stream)),
  new Translation(Schema.OpenAIChat, Schema.CozeChat, openaiToCozeRequest,
    (opts: TranslateOptions, stream: bool): ResponseTranslator => new OpenAICozeResponse(opts, stream)),
];

function find(client: Schema, upstream: Schema): Translation | null {
  for (let i = 0; i < REGISTRY.length; i++) {
    const t = REGISTRY[i];
    if (t.client == client && t.upstream == upstream) return t;
  }
  return null;
}

/** The first hop of a composed pair: (client, X) such that (X, upstream) is registered; null when none. */
function firstHop(client: Schema, upstream: Schema): Translation | null {
  for (let i = 0; i < REGISTRY.length; i++) {
    const t = REGISTRY[i];
    if (t.client == client && find(t.upstream, upstream) !== null) return t;
  }
  return null;
}

/** Whether the registry has a converter of its own from `client` to `upstream` (not composed, not the passthrough). */
export function hasTranslation(client: Schema, upstream: Schema): bool {
  return find(client, upstream) !== null;
}

/** Whether a client request in `client` can be sent to an upstream speaking `upstream` (same, direct or composed). */
export function canTranslate(client: Schema, upstream: Schema): bool {
  return client == upstream || find(client, upstream) !== null || firstHop(client, upstream) !== null;
}

/**
 * Translates a client request body into the body to send upstream.
 *
 * - same schema: the body is kept byte for byte except the top-level `model`, which is replaced by `opts.model`
 *   when that is not empty (a splice, no re-encoding).
 * - a registered pair: its request translator; an unregistered pair: composed through one intermediate schema.
 *
 * Never traps: a body that is not JSON, or has wrong types where the mapping needs a field, gives `ok == false`,
 * `errorStatus` 400 and `errorMessage`; answer it with `errorBody(client, result.errorStatus, result.errorMessage)`.
 */
export function translateBody(client: Schema, upstream: Schema, body: Uint8Array, opts: TranslateOptions): RequestResult {
  if (client == upstream) return client == Schema.OpenAIResponses ? responsesPassthroughRequest(body, opts) : passthroughRequest(protocolOf(client), body, opts);
  const direct = find(client, upstream);
  if (direct !== null) return direct.request(body, opts);
  const first = firstHop(client, upstream);
  if (first === null) return RequestResult.failure(404, "this API cannot be translated for the provider's API");
  const mid = first.request(body, opts);
  if (!mid.ok) return mid;
  // The second hop sends the model the first one chose, without mapping it again.
  const second = find(first.upstream, upstream)!;
  const out = second.request(mid.body, opts.forModel(mid.upstreamModel));
  if (!out.ok) return out;
  out.requestedModel = mid.requestedModel;
  out.stream = mid.stream;
  out.includeUsage = mid.includeUsage;
  for (let i = 0; i < out.dropped.length; i++) mid.drop(out.dropped[i]);
  out.dropped = mid.dropped;
  return out;
}

/**
 * The per-request response translator for (client, upstream) schemas. `stream` is `RequestResult.stream` (the
 * client asked for SSE); `clientIncludeUsage` is `RequestResult.includeUsage` (an OpenAI client asked for the usage
 * chunk). Same schemas give a pass-through translator that still converts error bodies it cannot vouch for into
 * the client's format.
 */
export function responseTranslatorFor(client: Schema, upstream: Schema, opts: TranslateOptions, stream: bool, clientIncludeUsage: bool = false): ResponseTranslator {
  let t: ResponseTranslator;
  const direct: Translation | null = client == upstream ? null : find(client, upstream);
  const first: Translation | null = client == upstream || direct !== null ? null : firstHop(client, upstream);
  if (direct !== null) t = direct.response(opts, stream);
  else if (first !== null) {
    const outer = first.response(opts, stream);
    const inner = find(first.upstream, upstream)!.response(opts, stream);
    // The intermediate stream carries usage, so the outer translator reports it.
    inner.clientIncludeUsage = true;
    t = new ChainedTranslator(outer, inner);
  } else {
    const p = new PassthroughTranslator(protocolOf(client), opts, stream);
    p.responses = client == Schema.OpenAIResponses;
    t = p;
  }
  t.clientIncludeUsage = clientIncludeUsage;
  return t;
}

/**
 * The translator of a forwarded request's answer: `responseTranslatorFor` plus what the plugin changed in the
 * request (`opts.includeUsage`: usage asked for the plugin only, so a pass-through drops the usage chunk the client
 * did not ask for) and the provider's answer edits (promoteThinkingOnEmpty).
 */
export function answerTranslatorFor(client: Schema, upstream: Schema, opts: TranslateOptions, stream: bool, clientIncludeUsage: bool): ResponseTranslator {
  const t = responseTranslatorFor(client, upstream, opts, stream, clientIncludeUsage);
  if (t instanceof PassthroughTranslator && client == Schema.OpenAIChat && stream && opts.includeUsage && !clientIncludeUsage) {
    (t as PassthroughTranslator).dropUnaskedUsage = true;
  }
  // Anthropic clients: where the answer is converted (Higress promotes in OpenAI form, then converts to Claude).
  const promotes = client == Schema.OpenAIChat || (client == Schema.AnthropicMessages && upstream != Schema.AnthropicMessages);
  return opts.promoteThinkingOnEmpty && promotes ? new PromoteThinking(t) : t;
}

/** `translateBody` for the chat schemas of two protocols. */
export function translateRequest(client: Protocol, upstream: Protocol, body: Uint8Array, opts: TranslateOptions): RequestResult {
  return translateBody(chatSchemaOf(client), chatSchemaOf(upstream), body, opts);
}

/** `responseTranslatorFor` for the chat schemas of two protocols. */
export function newResponseTranslator(client: Protocol, upstream: Protocol, opts: TranslateOptions, stream: bool, clientIncludeUsage: bool = false): ResponseTranslator {
  return responseTranslatorFor(chatSchemaOf(client), chatSchemaOf(upstream), opts, stream, clientIncludeUsage);
}
