// API-name detection from the request path. Pure: no host calls, no allocation beyond the
// trimmed path. The path's query string and fragment are ignored, so Claude Code's
// `/v1/messages?beta=true` is Messages.

/** The wire protocol a client or an upstream speaks. */
export enum Protocol {
  /** OpenAI Chat Completions and friends (`/v1/chat/completions`, `/v1/embeddings`, ...). */
  OpenAI = 0,
  /** Anthropic Messages (`/v1/messages`, `/v1/messages/count_tokens`, ...). */
  Anthropic = 1,
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

