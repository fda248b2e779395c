// API-name detection from the request path. Pure: no host calls, no allocation beyond the
// trimmed path. The path's query string and fragment are ignored, so Claude Code's
// `/v1/messages?beta=true` is Messages.

/** The wire protocol a client or an upstream speaks. */
export enum Protocol {
  /** OpenAI Chat Completions and friends (`/v1/chat/completions`, `/v1/embeddings`, ...). */
  OpenAI = 0,
  /** Anthropic Messages (`/v1/messages`, `/v1/messages/count_tokens`, ...). */
  Anthropic = 1,
  /** Google Gemini API (`models/{model}:generateContent`, ...): spoken by upstreams only. */
  Gemini = 2,
  /** Amazon Bedrock Converse (`/model/{modelId}/converse`): spoken by upstreams only. */
  Bedrock = 3,
  /** DeepL `/v2/translate`: spoken by upstreams only (error bodies `{"message"}`). */
  DeepL = 4,
  /** NVIDIA Triton's generate extension (`/v2/models/{model}/generate`): spoken by upstreams only. */
  Triton = 5,
  /** Tencent Hunyuan's native ChatCompletions (API 3.0, capitalised fields): spoken by upstreams only. */
  Hunyuan = 6,
  /** Alibaba DashScope's native text generation (Qwen, qwenEnableCompatible false): spoken by upstreams only. */
  DashScope = 7,
  /** Dify's app APIs (chat-messages, completion-messages, workflows/run): spoken by upstreams only. */
  Dify = 8,
  /** MiniMax ChatCompletion Pro (sender_type / bot_setting): spoken by upstreams only. */
  MiniMaxPro = 9,
  /** Coze's chat API v3 (bot_id, additional_messages, conversation.* SSE events): spoken by upstreams only. */
  Coze = 10,
}

/**
 * An API schema: the unit of translation. translate/index.ts keeps a registry keyed by (client schema, upstream
 * schema); a provider row (providers/table.ts) says which schemas it speaks at which path templates.
 */
export enum Schema {
  /** Not translated: bodies pass as they are (model lists, batches, legacy completions, `protocol: original`). */
  None = 0,
  /** OpenAI `/v1/chat/completions`. */
  OpenAIChat = 1,
  /** OpenAI `/v1/embeddings`. */
  OpenAIEmbeddings = 2,
  /** Anthropic `/v1/messages`. */
  AnthropicMessages = 3,
  /** Anthropic `/v1/messages/count_tokens`. */
  AnthropicCountTokens = 4,
  /** Gemini `models/{model}:generateContent` and `:streamGenerateContent`. */
  GeminiGenerateContent = 5,
  /** OpenAI `/v1/models` list. */
  OpenAIModels = 6,
  /** Anthropic `/v1/models` list. */
  AnthropicModels = 7,
  /** Gemini `models` list. */
  GeminiModels = 8,
  /** OpenAI legacy `/v1/completions`. */
  OpenAICompletions = 9,
  /** OpenAI `/v1/responses` (create). */
  OpenAIResponses = 10,
  /** Amazon Bedrock `/model/{modelId}/converse` and `/converse-stream`. */
  BedrockConverse = 11,
  /** DeepL `/v2/translate` (text array in, translations out; no stream). */
  DeepLTranslate = 12,
  /** Triton `/v2/models/{model}[/versions/{v}]/generate` and `generate_stream` (text_input in, text_output out). */
  TritonGenerate = 13,
  /** Tencent Hunyuan native ChatCompletions (`POST /`, X-TC-Action: ChatCompletions). */
  HunyuanChat = 14,
  /** DashScope native `/api/v1/services/aigc/text-generation/generation` (input.messages, parameters). */
  DashScopeGeneration = 15,
  /** Dify `/v1/chat-messages`, `/v1/completion-messages`, `/v1/workflows/run` (botType decides which). */
  DifyApp = 16,
  /** MiniMax `/v1/text/chatcompletion_pro` (minimaxApiType "pro"). */
  MiniMaxPro = 17,
  /** Rerank as clients send it (Cohere's, Jina's, DashScope's compatible /reranks: model, query, documents, top_n). */
  Rerank = 18,
  /** DashScope native `/api/v1/services/embeddings/text-embedding/text-embedding` (input.texts). */
  DashScopeEmbeddings = 19,
  /** DashScope native `/api/v1/services/rerank/text-rerank/text-rerank` (input.query, input.documents). */
  DashScopeRerank = 20,
  /** DashScope native `/api/v1/services/aigc/multimodal-generation/generation` (content as [{text}, {image}]). */
  DashScopeMultimodal = 21,
  /** OpenAI `/v1/images/generations` when converted for a provider's own image API (else forwarded, Schema.None). */
  OpenAIImageGenerations = 22,
  /** Gemini `models/{model}:batchEmbedContents` (requests[].content.parts → embeddings[].values). */
  GeminiBatchEmbed = 23,
  /** Gemini API Imagen `models/{model}:predict` (instances[].prompt → predictions[].bytesBase64Encoded). */
  GeminiImagenPredict = 24,
  /** OpenAI `/v1/images/edits` (JSON or multipart/form-data), likewise. */
  OpenAIImageEdits = 25,
  /** OpenAI `/v1/images/variations` (JSON or multipart/form-data), likewise. */
  OpenAIImageVariations = 26,
  /** Gemini `models/{model}:generateContent` asked for images (responseModalities IMAGE): Gemini's image models. */
  GeminiImageContent = 27,
  /** Vertex AI text embeddings `publishers/google/models/{model}:predict` (instances[].content in, predictions out). */
  VertexEmbeddings = 28,
  /** Coze `/v3/chat` (a bot's chat; always streamed upstream). */
  CozeChat = 29,
  /** Bedrock InvokeModel `/model/{modelId}/invoke` for an embedding model (Titan's inputText, Cohere's texts). */
  BedrockInvokeEmbeddings = 30,
}

/** The wire protocol a schema belongs to: it decides error shapes and protocol headers. */
export function protocolOf(s: Schema): Protocol {
  switch (s) {
    case Schema.AnthropicMessages:
    case Schema.AnthropicCountTokens:
    case Schema.AnthropicModels:
      return Protocol.Anthropic;
    case Schema.GeminiGenerateContent:
    case Schema.GeminiModels:
    case Schema.GeminiBatchEmbed:
    case Schema.GeminiImagenPredict:
    case Schema.GeminiImageContent:
    case Schema.VertexEmbeddings:
      return Protocol.Gemini;
    case Schema.BedrockConverse:
    case Schema.BedrockInvokeEmbeddings:
      return Protocol.Bedrock;
    case Schema.DeepLTranslate:
      return Protocol.DeepL;
    case Schema.TritonGenerate:
      return Protocol.Triton;
    case Schema.HunyuanChat:
      return Protocol.Hunyuan;
    case Schema.DashScopeGeneration:
    case Schema.DashScopeMultimodal:
    case Schema.DashScopeEmbeddings:
    case Schema.DashScopeRerank:
      return Protocol.DashScope;
    case Schema.DifyApp:
      return Protocol.Dify;
    case Schema.MiniMaxPro:
      return Protocol.MiniMaxPro;
    case Schema.CozeChat:
      return Protocol.Coze;
    default:
      return Protocol.OpenAI;
  }
}

/** The chat schema of a protocol (the one a chat request of that protocol is written in). */
export function chatSchemaOf(p: Protocol): Schema {
  if (p == Protocol.Anthropic) return Schema.AnthropicMessages;
  if (p == Protocol.Gemini) return Schema.GeminiGenerateContent;
  if (p == Protocol.Bedrock) return Schema.BedrockConverse;
  if (p == Protocol.DeepL) return Schema.DeepLTranslate;
  if (p == Protocol.Triton) return Schema.TritonGenerate;
  if (p == Protocol.Hunyuan) return Schema.HunyuanChat;
  if (p == Protocol.DashScope) return Schema.DashScopeGeneration;
  if (p == Protocol.Dify) return Schema.DifyApp;
  if (p == Protocol.MiniMaxPro) return Schema.MiniMaxPro;
  if (p == Protocol.Coze) return Schema.CozeChat;
  return Schema.OpenAIChat;
}

/** Schemas a chat request can be served in. */
/** The upstream body of an `api` request sent in `upstream` is a chat request (a Responses request converted to one included): chat edits apply. */
export function isChatApi(api: ApiName, upstream: Schema): bool {
  return api == ApiName.ChatCompletions || api == ApiName.Messages || (api == ApiName.Responses && isChatSchema(upstream));
}

export function isChatSchema(s: Schema): bool {
  return s == Schema.OpenAIChat || s == Schema.AnthropicMessages || s == Schema.GeminiGenerateContent || s == Schema.BedrockConverse ||
    s == Schema.DeepLTranslate || s == Schema.TritonGenerate || s == Schema.HunyuanChat || s == Schema.DashScopeGeneration ||
    s == Schema.DifyApp || s == Schema.MiniMaxPro || s == Schema.DashScopeMultimodal || s == Schema.CozeChat;
}

/** The schema a client calling `api` in `client`'s protocol writes its body in. */
export function clientSchemaOf(api: ApiName, client: Protocol): Schema {
  switch (api) {
    case ApiName.ChatCompletions: return Schema.OpenAIChat;
    case ApiName.Messages: return Schema.AnthropicMessages;
    case ApiName.Embeddings: return Schema.OpenAIEmbeddings;
    case ApiName.CountTokens: return Schema.AnthropicCountTokens;
    case ApiName.Completions: return Schema.OpenAICompletions;
    case ApiName.Responses: return Schema.OpenAIResponses;
    case ApiName.Models: return client == Protocol.Anthropic ? Schema.AnthropicModels : Schema.OpenAIModels;
    case ApiName.Rerank: return Schema.Rerank;
    default: return Schema.None;
  }
}

/** The API a request path names. */
export enum ApiName {
  Unknown = 0,
  /** OpenAI `/v1/chat/completions`. */
  ChatCompletions = 1,
  /** Anthropic `/v1/messages`. */
  Messages = 2,
  /** OpenAI `/v1/embeddings`. */
  Embeddings = 3,
  /** `/v1/models` and `/v1/models/{id}` (both vendors use the same path). */
  Models = 4,
  /** Anthropic `/v1/messages/count_tokens`. */
  CountTokens = 5,
  /** Anthropic `/v1/messages/batches` and everything below it. */
  MessageBatches = 6,
  /** OpenAI legacy `/v1/completions`. */
  Completions = 7,
  /** Anthropic legacy `/v1/complete`. */
  AnthropicComplete = 8,
  /** OpenAI `/v1/responses` (create). */
  Responses = 9,
  /** OpenAI `/v1/responses/{id}` and below (retrieve, delete, cancel, input_items, input_tokens, compact): stored responses. */
  ResponsesStored = 10,
  // Forwarded with host, path and auth rewritten and the model mapped (providers/forwarded.ts); answers untouched.
  /** OpenAI `/v1/images/generations`. */
  ImageGenerations = 11,
  /** OpenAI `/v1/images/edits` (multipart). */
  ImageEdits = 12,
  /** OpenAI `/v1/images/variations` (multipart). */
  ImageVariations = 13,
  /** OpenAI `/v1/audio/speech`. */
  AudioSpeech = 14,
  /** OpenAI `/v1/audio/transcriptions` (multipart). */
  AudioTranscriptions = 15,
  /** OpenAI `/v1/audio/translations` (multipart). */
  AudioTranslations = 16,
  /** OpenAI `/v1/moderations`. */
  Moderations = 17,
  /** `/v1/files` and below (OpenAI's, or Anthropic's Files API with `anthropic-version`). */
  Files = 18,
  /** OpenAI `/v1/batches` and below. */
  Batches = 19,
  /** OpenAI `/v1/fine_tuning/…`. */
  FineTuning = 20,
  /** Rerank (`/v1/rerank`, Cohere's and the compatible servers'; `/v1/reranks`, DashScope's compatible API and Higress's). */
  Rerank = 21,
  /** OpenAI `/v1/conversations` and below. */
  Conversations = 22,
  /** OpenAI `/v1/realtime` (the WebSocket handshake, `?model=`). */
  Realtime = 23,
}


/** `path` without its query string or fragment and without trailing slashes. */
export function stripQuery(path: string): string {
  let end = path.length;
  const q = path.indexOf("?");
  if (q >= 0 && q < end) end = q;
  const h = path.indexOf("#");
  if (h >= 0 && h < end) end = h;
  while (end > 1 && path.charCodeAt(end - 1) == 0x2f /* / */) end--;
  return end == path.length ? path : path.substring(0, end);
}

/**
 * The API named by the path's suffix. Prefixes are free (`/anthropic/v1/messages`,
 * `/openai/deployments/x/chat/completions`); more specific suffixes are tested first.
 */
export function detectApi(path: string): ApiName {
  const p = stripQuery(path);
  if (p.endsWith("/chat/completions")) return ApiName.ChatCompletions;
  if (p.endsWith("/v1/messages/count_tokens")) return ApiName.CountTokens;
  if (p.endsWith("/v1/messages/batches") || p.includes("/v1/messages/batches/")) return ApiName.MessageBatches;
  if (p.endsWith("/v1/messages")) return ApiName.Messages;
  if (p.endsWith("/embeddings")) return ApiName.Embeddings;
  if (p.endsWith("/v1/models") || p.includes("/v1/models/")) return ApiName.Models;
  if (p.endsWith("/v1/completions")) return ApiName.Completions;
  if (p.endsWith("/v1/complete")) return ApiName.AnthropicComplete;
  if (p.endsWith("/v1/responses")) return ApiName.Responses;
  if (p.includes("/v1/responses/")) return ApiName.ResponsesStored;
  if (p.endsWith("/images/generations")) return ApiName.ImageGenerations;
  if (p.endsWith("/images/edits")) return ApiName.ImageEdits;
  if (p.endsWith("/images/variations")) return ApiName.ImageVariations;
  if (p.endsWith("/audio/speech")) return ApiName.AudioSpeech;
  if (p.endsWith("/audio/transcriptions")) return ApiName.AudioTranscriptions;
  if (p.endsWith("/audio/translations")) return ApiName.AudioTranslations;
  if (p.endsWith("/v1/moderations")) return ApiName.Moderations;
  if (p.endsWith("/v1/files") || p.includes("/v1/files/")) return ApiName.Files;
  if (p.endsWith("/v1/batches") || p.includes("/v1/batches/")) return ApiName.Batches;
  if (p.includes("/v1/fine_tuning/")) return ApiName.FineTuning;
  if (p.endsWith("/rerank") || p.endsWith("/v1/reranks")) return ApiName.Rerank;
  if (p.endsWith("/v1/conversations") || p.includes("/v1/conversations/")) return ApiName.Conversations;
  if (p.endsWith("/v1/realtime") || p.includes("/v1/realtime/")) return ApiName.Realtime;
  return ApiName.Unknown;
}

/**
 * The protocol of the client that called `api`: it decides the format of every reply the
 * client gets, errors included. `/v1/models` is shared by both vendors: pass
 * `anthropicHeaders` = the request carried `anthropic-version` (or `x-api-key` without
 * `authorization`) to answer it the Anthropic way.
 */
export function clientProtocolOf(api: ApiName, anthropicHeaders: bool = false): Protocol {
  switch (api) {
    case ApiName.Messages:
    case ApiName.CountTokens:
    case ApiName.MessageBatches:
    case ApiName.AnthropicComplete:
      return Protocol.Anthropic;
    case ApiName.Models:
    case ApiName.Files:
      return anthropicHeaders ? Protocol.Anthropic : Protocol.OpenAI;
    case ApiName.Unknown:
      return anthropicHeaders ? Protocol.Anthropic : Protocol.OpenAI;
    default:
      return Protocol.OpenAI;
  }
}

/** Convenience: `clientProtocolOf(detectApi(path), anthropicHeaders)`. */
export function clientProtocolForPath(path: string, anthropicHeaders: bool = false): Protocol {
  return clientProtocolOf(detectApi(path), anthropicHeaders);
}

/**
 * APIs whose objects live at the provider under the key that made them (stored responses, files, batches,
 * fine-tuning jobs, conversations): Higress keeps a consumer (`x-mse-consumer`) on one key for these.
 */
export function isStatefulApi(api: ApiName): bool {
  return api == ApiName.Responses || api == ApiName.ResponsesStored || api == ApiName.Files || api == ApiName.Batches ||
    api == ApiName.FineTuning || api == ApiName.MessageBatches || api == ApiName.Conversations;
}
