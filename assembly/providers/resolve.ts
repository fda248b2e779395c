// Where a request goes: authority, path and upstream protocol for (provider, API), from the provider's
// row plus the per-deployment fields of its configuration.
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Protocol } from "../protocol/api";
import { AuthScheme } from "./auth";
import { azureNeedsModel, azurePath } from "./azure";
import { nativeResponsesPath, responsesRoute, ROUTE_MESSAGES, storedResponsesPath } from "./responses";
import { ProviderRow } from "./table";

export class UpstreamTarget {
  /** Empty when the provider cannot serve this API (the plugin answers 404 in the client's protocol). */
  authority: string = "";
  path: string = "";
  upstreamProtocol: Protocol = Protocol.OpenAI;
  auth: AuthScheme = AuthScheme.Bearer;
  /** Bodies pass untouched both ways (protocol "original", or an API we only forward). */
  bodyPassthrough: bool = false;
  unsupportedReason: string = "";
  /** The path still holds the Azure deployment placeholder: it is final only once the body's model is known. */
  needsModelForPath: bool = false;
  /** Anthropic count_tokens on a provider without it: the plugin answers with a local estimate. */
  localCountTokens: bool = false;
  /** OpenAI Responses create: how it reaches the provider (providers/responses.ts ROUTE_*), -1 otherwise. */
  responsesRoute: i32 = -1;
}

/** Splits "https://host:port/base/path?q" into authority and path-with-query (scheme optional). */
export class ParsedUrl {
  constructor(public authority: string, public path: string) {}
}
export function parseUrl(url: string): ParsedUrl {
  let rest = url;
  const scheme = rest.indexOf("://");
  if (scheme >= 0) rest = rest.substring(scheme + 3);
  let slash = rest.indexOf("/");
  const query = rest.indexOf("?");
  if (query >= 0 && (slash < 0 || query < slash)) slash = query;
  if (slash < 0) return new ParsedUrl(rest, "");
  const path = rest.substring(slash);
  return new ParsedUrl(rest.substring(0, slash), path.startsWith("?") ? "/" + path : path);
}

/** Appends the client's query string (if any) to an upstream path that has none of its own. */
export function withQuery(path: string, clientPath: string): string {
  const q = clientPath.indexOf("?");
  if (q < 0) return path;
  return path.indexOf("?") >= 0 ? path + "&" + clientPath.substring(q + 1) : path + clientPath.substring(q);
}

function defaultAuthority(p: ProviderConfig, row: ProviderRow): string {
  if (p.providerDomain.length > 0) return p.providerDomain;
  if (p.type == "azure") return p.azure.authority;
  if (p.type == "vllm" && p.vllmCustomUrl.length > 0) return parseUrl(p.vllmCustomUrl).authority;
  if (p.type == "ollama") return p.ollamaServerHost + ":" + p.ollamaServerPort.toString();
  if (p.type == "vllm" && p.vllmServerHost.length > 0) return p.vllmServerHost;
  if (p.type == "generic") return p.genericHost;
  if (p.type == "qwen" && p.qwenDomain.length > 0) return p.qwenDomain;
  if (p.type == "doubao" && p.doubaoDomain.length > 0) return p.doubaoDomain;
  if (p.type == "zhipuai" && p.zhipuDomain.length > 0) return p.zhipuDomain;
  return row.host;
}

function stripQueryOf(path: string): string {
  const q = path.indexOf("?");
  return q >= 0 ? path.substring(0, q) : path;
}

function trimSuffix(s: string, suffix: string): string {
  return s.endsWith(suffix) ? s.substring(0, s.length - suffix.length) : s;
}

function fillPlaceholders(path: string, p: ProviderConfig): string {
  return path.replaceAll("{cloudflareAccountId}", p.cloudflareAccountId);
}

/** The row's path for `api` and the protocol spoken there; "" when the provider has no such endpoint. */
function nativePath(row: ProviderRow, api: ApiName, target: UpstreamTarget): string {
  switch (api) {
    case ApiName.ChatCompletions:
      target.upstreamProtocol = row.protocol;
      return row.chatPath;
    case ApiName.Messages:
      if (row.protocol == Protocol.Anthropic) {
        target.upstreamProtocol = Protocol.Anthropic;
        return row.chatPath;
      }
      if (row.anthropicMessagesPath.length > 0) {
        target.upstreamProtocol = Protocol.Anthropic;
        return row.anthropicMessagesPath;
      }
      target.upstreamProtocol = Protocol.OpenAI;
      return row.chatPath;
    case ApiName.Embeddings:
      target.upstreamProtocol = Protocol.OpenAI;
      target.bodyPassthrough = row.protocol == Protocol.OpenAI;
      return row.protocol == Protocol.OpenAI ? row.embeddingsPath : "";
    case ApiName.Models:
      target.bodyPassthrough = true;
      target.upstreamProtocol = row.protocol;
      return row.modelsPath;
    case ApiName.CountTokens:
    case ApiName.MessageBatches:
    case ApiName.AnthropicComplete:
      // Anthropic-only endpoints: the client's own path on Anthropic-protocol providers (see resolveTarget).
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.Anthropic;
      return "";
    case ApiName.Completions:
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.OpenAI;
      return row.type == "openai" ? "/v1/completions" : "";
    default:
      return "";
  }
}

/**
 * Resolves the upstream for a request; `clientPath` is :path after subPath/basePath handling. The client's
 * query string follows only when no protocol conversion happens (`?beta=true` means nothing to OpenAI).
 */
export function resolveTarget(p: ProviderConfig, api: ApiName, client: Protocol, clientPath: string): UpstreamTarget {
  const target = new UpstreamTarget();
  const row = p.row;
  if (row === null) {
    target.unsupportedReason = "provider type is not supported";
    return target;
  }
  target.auth = row.auth;
  target.authority = defaultAuthority(p, row);

  if (p.protocol == "original") {
    // The client already speaks the provider's own API: only host and auth change.
    target.bodyPassthrough = true;
    target.upstreamProtocol = row.protocol;
    target.path = p.providerBasePath + clientPath;
    return target;
  }
  if (row.chatPath.length == 0) {
    // generic: the client's path is kept (no remapping); the upstream speaks what the client speaks.
    target.upstreamProtocol = client;
    target.bodyPassthrough = !(api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Embeddings);
    target.path = p.providerBasePath + clientPath;
    return target;
  }
  if (api == ApiName.CountTokens && row.protocol != Protocol.Anthropic) {
    // Only Anthropic counts tokens; Claude Code must not fail elsewhere, so the plugin estimates locally.
    target.localCountTokens = true;
    target.upstreamProtocol = Protocol.Anthropic;
    target.bodyPassthrough = true;
    target.path = clientPath;
    return target;
  }

  if (api == ApiName.Responses || api == ApiName.ResponsesStored) return resolveResponses(p, row, api, clientPath, target);
  let path = nativePath(row, api, target);
  // Anthropic-only endpoints keep the client's path on Anthropic-protocol providers.
  if ((api == ApiName.CountTokens || api == ApiName.MessageBatches || api == ApiName.AnthropicComplete) && row.protocol == Protocol.Anthropic) {
    const q = clientPath.indexOf("?");
    const bare = q >= 0 ? clientPath.substring(0, q) : clientPath;
    const v1 = bare.indexOf("/v1/");
    path = v1 >= 0 ? bare.substring(v1) : bare;
  }
  // /v1/models/{id}: keep the id after the provider's models path.
  if (api == ApiName.Models && path.length > 0) {
    const bare = stripQueryOf(clientPath);
    const at = bare.indexOf("/models/");
    if (at >= 0) path += bare.substring(at + 7);
  }
  // Capabilities map an API name to the provider's path for it (Higress "openai/v1/chatcompletions": "/path").
  if (api == ApiName.ChatCompletions && p.capabilities.has("openai/v1/chatcompletions")) path = p.capabilities.get("openai/v1/chatcompletions");
  if (api == ApiName.Embeddings && p.capabilities.has("openai/v1/embeddings")) path = p.capabilities.get("openai/v1/embeddings");
  if (path.length == 0) {
    target.authority = "";
    target.unsupportedReason = "provider \"" + p.type + "\" does not offer this API";
    return target;
  }

  const customUrl = p.type == "openai" ? p.openaiCustomUrl : p.type == "vllm" ? p.vllmCustomUrl : "";
  if (customUrl.length > 0 && target.upstreamProtocol == Protocol.OpenAI && (api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Embeddings)) {
    // openaiCustomUrl / vllmCustomUrl: a full endpoint URL (ending in an API suffix) or a base the suffix is appended to.
    const custom = parseUrl(customUrl);
    target.authority = custom.authority;
    let base = trimSuffix(custom.path, "/");
    base = trimSuffix(trimSuffix(base, "/chat/completions"), "/embeddings");
    path = base + (api == ApiName.Embeddings ? "/embeddings" : "/chat/completions");
  }
  if (p.type == "minimax" && p.minimaxApiType == "pro" && target.upstreamProtocol == Protocol.OpenAI && (api == ApiName.ChatCompletions || api == ApiName.Messages)) {
    // ChatCompletion Pro's own body format (sender_type/bot_setting) is not implemented: Pro configurations are
    // served by ChatCompletion v2 (OpenAI format, same models), with the group id kept in the query.
    path = row.chatPath + "?GroupId=" + p.minimaxGroupId;
  }
  if (p.type == "azure") {
    // The path (and its api-version query) comes from azureServiceUrl; the client's query is not forwarded.
    const suffix = api == ApiName.Embeddings ? "/embeddings" : api == ApiName.Models ? "/models" : "/chat/completions";
    target.path = p.providerBasePath + azurePath(p.azure, suffix, api != ApiName.Models);
    target.needsModelForPath = azureNeedsModel(target.path);
    return target;
  }
  if (p.providerBasePath.length > 0) path = p.providerBasePath + path;
  const filled = fillPlaceholders(path, p);
  target.path = target.upstreamProtocol == client ? withQuery(filled, clientPath) : filled;
  return target;
}

/** /v1/responses: natively where the provider serves it, else converted; stored responses only natively. */
function resolveResponses(p: ProviderConfig, row: ProviderRow, api: ApiName, clientPath: string, target: UpstreamTarget): UpstreamTarget {
  const native = nativeResponsesPath(p, row);
  let path = "";
  if (api == ApiName.ResponsesStored) {
    target.bodyPassthrough = true;
    path = storedResponsesPath(native, clientPath);
    if (path.length == 0) target.unsupportedReason = "provider \"" + p.type + "\" keeps no responses: its Responses requests are converted, statelessly";
  } else {
    target.responsesRoute = responsesRoute(row, native);
    if (native.length > 0) path = native;
    else if (target.responsesRoute == ROUTE_MESSAGES) path = row.chatPath;
    else path = p.capabilities.has("openai/v1/chatcompletions") ? p.capabilities.get("openai/v1/chatcompletions") : row.chatPath;
    if (native.length == 0 && p.type == "azure") path = "";
  }
  target.upstreamProtocol = target.responsesRoute == ROUTE_MESSAGES ? Protocol.Anthropic : Protocol.OpenAI;
  if (path.length == 0) {
    target.authority = "";
    if (target.unsupportedReason.length == 0) target.unsupportedReason = "provider \"" + p.type + "\" does not offer this API";
    return target;
  }
  if (p.type == "openai" && p.openaiCustomUrl.length > 0) {
    // openaiCustomUrl: its base (without an API suffix) serves /responses too.
    const custom = parseUrl(p.openaiCustomUrl);
    target.authority = custom.authority;
    const base = trimSuffix(trimSuffix(trimSuffix(custom.path, "/"), "/chat/completions"), "/embeddings");
    path = base + path.substring(3); // "/v1/responses…" → base + "/responses…"
  }
  if (p.type != "azure" && p.providerBasePath.length > 0) path = p.providerBasePath + path;
  target.path = fillPlaceholders(path, p);
  return target;
}
