// Where a request goes: authority, path, schema and auth for (provider, API), from the provider's row (its
// endpoints and path templates) plus the per-deployment fields of its configuration.
import { HeaderPair } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { ApiName, clientSchemaOf, Protocol, protocolOf, Schema } from "../protocol/api";
import { AuthScheme } from "./auth";
import { DEPLOYMENT_PLACEHOLDER, MODEL_PLACEHOLDER } from "./module";
import { AzureUrl } from "./azure";
import { azureResponsesPath, storedResponsePath } from "./responses";
import { isForwarded, resolveForwarded } from "./forwarded";
import { Endpoint, ProviderRow } from "./table";
import { hasTranslation } from "../translate";

export class UpstreamTarget {
  /** Empty when the provider cannot serve this API (the plugin answers 404 in the client's protocol). */
  authority: string = "";
  path: string = "";
  upstreamProtocol: Protocol = Protocol.OpenAI;
  /** The schema the client's body is written in, and the one the upstream endpoint speaks (translate/index.ts). */
  clientSchema: Schema = Schema.None;
  upstreamSchema: Schema = Schema.None;
  auth: AuthScheme = AuthScheme.Bearer;
  /** Bodies pass untouched both ways (protocol "original", or an API we only forward). */
  bodyPassthrough: bool = false;
  unsupportedReason: string = "";
  /**
   * The path is final only once the body is read: it names the model (`{model}`, Azure's `{deployment}`) or streamed
   * requests go elsewhere (`streamPath`). The plugin holds the request headers until `finishPath`.
   */
  pathNeedsBody: bool = false;
  /** The path of streamed requests when it differs from `path` (filled like it). */
  streamPath: string = "";
  /** Headers computed from the final body are added then (providers/module.ts bodyHeaders); the headers wait for it. */
  bodyHeaders: bool = false;
  /** Anthropic count_tokens on a provider without it: the plugin answers with a local estimate. */
  localCountTokens: bool = false;
  /** The upstream model decides the endpoint (retargetForModel before the body is translated). */
  modelPicksEndpoint: bool = false;
  /** The OAuth access token the request carried (providers/module.ts tokenGrant); retries carry it too. */
  accessToken: string = "";
  /**
   * Headers the provider's configuration adds to every request (providers/module.ts adjustTarget), set over the
   * client's; `anthropic-beta` flags join the client's own (plugin/headers.ts applyTargetHeaders).
   */
  headers: Array<HeaderPair> = [];

  /** Makes the path final for the request's upstream model and stream flag; false when the model is missing. */
  finishPath(model: string, stream: bool): bool {
    if (!this.pathNeedsBody) return true;
    let path = stream && this.streamPath.length > 0 ? this.streamPath : this.path;
    if (path.includes(MODEL_PLACEHOLDER) || path.includes(DEPLOYMENT_PLACEHOLDER)) {
      if (model.length == 0) return false;
      const enc = pathSegment(model);
      path = path.replace(MODEL_PLACEHOLDER, enc).replace(DEPLOYMENT_PLACEHOLDER, enc);
    }
    this.path = path;
    this.streamPath = "";
    this.pathNeedsBody = false;
    return true;
  }
}

/**
 * What to send for `pair` (one of UpstreamTarget.headers) when the request already carries `existing`: anthropic-beta
 * flags join (the target's first, then the client's other ones), other headers replace the client's.
 */
export function targetHeaderValue(pair: HeaderPair, existing: string | null): string {
  if (pair.key != "anthropic-beta" || existing === null) return pair.value;
  let out = pair.value;
  const own = pair.value.split(",");
  const theirs = existing.split(",");
  for (let i = 0; i < theirs.length; i++) {
    const flag = theirs[i].trim();
    if (flag.length > 0 && !own.includes(flag)) {
      out += "," + flag;
      own.push(flag);
    }
  }
  return out;
}

/** A model name as one path segment: URL-safe characters kept, other ASCII percent-encoded, the rest `_`. */
function pathSegment(model: string): string {
  let enc = "";
  for (let i = 0; i < model.length; i++) {
    const c = model.charCodeAt(i);
    // Unreserved characters and "@" (RFC 3986 pchar: Vertex AI's model ids read claude-sonnet-4-5@20250929).
    const safe = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x40;
    if (safe) enc += String.fromCharCode(c);
    else if (c < 0x80) enc += "%" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
    else enc += "_";
  }
  return enc;
}

/**
 * Image generation reaches a provider whose image API has its own schema (Gemini's Imagen :predict) converted, unless
 * a capability names another path for it (then it is forwarded there as it is).
 */
function convertedImages(p: ProviderConfig, row: ProviderRow, api: ApiName): bool {
  if (api == ApiName.ImageGenerations && p.capabilities.has("openai/v1/imagegeneration")) return false;
  return translatedEndpoint(row, imageSchemaOf(api)) !== null;
}

/** Whether requests to `p` must hold their headers until the body is read (see UpstreamTarget.pathNeedsBody). */
export function holdsRequestHeaders(p: ProviderConfig): bool {
  const row = p.row;
  if (row === null) return false;
  const mod = row.module;
  // An original-protocol body is signed once read (plugin/original-body.ts).
  if (p.protocol == "original") return mod !== null && mod.signsRequests(p);
  if (mod !== null && (mod.namesModelInPath(p) || mod.addsBodyHeaders(p))) return true;
  for (let i = 0; i < row.endpoints.length; i++) {
    const e = row.endpoints[i];
    if (e.path.includes(MODEL_PLACEHOLDER) || e.streamPath.length > 0) return true;
  }
  return false;
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
  if (q < 0 || q == clientPath.length - 1) return path;
  if (path.indexOf("?") < 0) return path + clientPath.substring(q);
  // An empty query ("/v1/files?") takes no "&" before what follows.
  return path.endsWith("?") || path.endsWith("&") ? path + clientPath.substring(q + 1) : path + "&" + clientPath.substring(q + 1);
}

/** The OpenAI API paths Higress takes as a "direct" custom URL's end (an endpoint URL rather than a base). */
const API_SUFFIXES: Array<string> = [
  "/chat/completions", "/completions", "/embeddings", "/audio/speech", "/audio/transcriptions", "/audio/translations",
  "/images/generations", "/images/variations", "/images/edits", "/models", "/responses", "/fine_tuning/jobs",
  "/fine_tuning/checkpoints", "/realtime", "/videos",
];

/**
 * openaiCustomUrl / vllmCustomUrl as an authority and the base every OpenAI API hangs under (what the client's path
 * has after /v1): an endpoint URL (ending in an API path) loses that ending; null when the field is unset.
 */
export function customBaseOf(p: ProviderConfig): ParsedUrl | null {
  const url = p.type == "openai" ? p.openaiCustomUrl : p.type == "vllm" ? p.vllmCustomUrl : "";
  if (url.length == 0) return null;
  const parsed = parseUrl(url);
  let base = stripQueryOf(parsed.path);
  while (base.endsWith("/")) base = base.substring(0, base.length - 1);
  for (let i = 0; i < API_SUFFIXES.length; i++) {
    if (base.endsWith(API_SUFFIXES[i])) {
      base = base.substring(0, base.length - API_SUFFIXES[i].length);
      break;
    }
  }
  return new ParsedUrl(parsed.authority, base);
}

function defaultAuthority(p: ProviderConfig, row: ProviderRow): string {
  if (p.providerDomain.length > 0) return p.providerDomain;
  if (p.type == "vllm" && p.vllmCustomUrl.length > 0) return parseUrl(p.vllmCustomUrl).authority;
  if (p.type == "vllm" && p.vllmServerHost.length > 0) return p.vllmServerHost;
  const mod = row.module;
  const own = mod !== null ? mod.authority(p) : "";
  if (own.length > 0) return own;
  return row.host;
}

function stripQueryOf(path: string): string {
  const q = path.indexOf("?");
  return q >= 0 ? path.substring(0, q) : path;
}

function fillPlaceholders(path: string, p: ProviderConfig): string {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  return mod === null ? path : mod.fillPath(p, path);
}

/** The client schema of OpenAI's images APIs (converted where a row serves them; forwarded elsewhere); None for others. */
function imageSchemaOf(api: ApiName): Schema {
  if (api == ApiName.ImageGenerations) return Schema.OpenAIImageGenerations;
  if (api == ApiName.ImageEdits) return Schema.OpenAIImageEdits;
  if (api == ApiName.ImageVariations) return Schema.OpenAIImageVariations;
  return Schema.None;
}

/** The row's endpoint a `client` request is converted for (Vertex AI's images through Gemini's image models); null when none. */
function translatedEndpoint(row: ProviderRow, client: Schema): Endpoint | null {
  if (client == Schema.None) return null;
  for (let i = 0; i < row.endpoints.length; i++) if (hasTranslation(client, row.endpoints[i].schema)) return row.endpoints[i];
  return null;
}

/** Uses `e` for the request: its path, its schema and the protocol spoken there; "" when there is none. */
function use(e: Endpoint | null, target: UpstreamTarget): string {
  if (e === null) return "";
  target.upstreamSchema = e.schema;
  target.upstreamProtocol = protocolOf(e.schema);
  target.streamPath = e.streamPath;
  return e.path;
}

/** The row's path for `api` and the schema spoken there; "" when the provider has no such endpoint. */
function nativePath(p: ProviderConfig, row: ProviderRow, api: ApiName, target: UpstreamTarget): string {
  const mod = row.module;
  const own = mod !== null && (api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Responses) ? mod.chatSchema(p) : Schema.None;
  // An Anthropic client keeps a native Anthropic endpoint when the row has one (MiniMax's, under minimaxApiType pro).
  if (own != Schema.None && !(api == ApiName.Messages && row.endpoint(Schema.AnthropicMessages) !== null)) return use(row.endpoint(own), target);
  switch (api) {
    case ApiName.ChatCompletions: {
      const e = row.endpoint(Schema.OpenAIChat);
      return use(e !== null ? e : row.endpoint(row.chatSchema), target);
    }
    case ApiName.Messages: {
      const e = row.endpoint(Schema.AnthropicMessages);
      return use(e !== null ? e : row.endpoint(row.chatSchema), target);
    }
    case ApiName.Embeddings: {
      const e = row.endpoint(Schema.OpenAIEmbeddings);
      const converted = e === null ? translatedEndpoint(row, Schema.OpenAIEmbeddings) : null; // Gemini's, Vertex AI's, Bedrock's
      if (converted !== null) return use(converted, target);
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.OpenAI;
      return use(e, target);
    }
    case ApiName.Models:
      target.bodyPassthrough = true;
      target.upstreamProtocol = protocolOf(row.chatSchema);
      return use(row.modelsEndpoint(), target);
    case ApiName.CountTokens:
    case ApiName.MessageBatches:
    case ApiName.AnthropicComplete:
      // Anthropic-only endpoints: the client's own path on Anthropic-protocol providers (see resolveTarget).
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.Anthropic;
      target.upstreamSchema = target.clientSchema;
      return "";
    case ApiName.Completions:
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.OpenAI;
      return use(row.endpoint(Schema.OpenAICompletions), target);
    case ApiName.Responses: {
      // Natively where the provider serves it; else converted for its chat endpoint (translate/responses_chat/).
      const e = row.endpoint(Schema.OpenAIResponses);
      return use(e !== null ? e : row.endpoint(row.chatSchema), target);
    }
    case ApiName.ResponsesStored:
      // Retrieve, delete, cancel, input_items: only where responses are kept (natively).
      target.bodyPassthrough = true;
      target.upstreamProtocol = Protocol.OpenAI;
      return use(row.endpoint(Schema.OpenAIResponses), target);
    case ApiName.ImageGenerations:
    case ApiName.ImageEdits:
    case ApiName.ImageVariations:
      target.clientSchema = imageSchemaOf(api);
      return use(translatedEndpoint(row, target.clientSchema), target);
    default:
      return "";
  }
}

/**
 * Resolves the upstream for a request; `clientPath` is :path after subPath/basePath handling. The client's
 * query string follows only when no protocol conversion happens (`?beta=true` means nothing to OpenAI).
 */
export function resolveTarget(p: ProviderConfig, api: ApiName, client: Protocol, clientPath: string): UpstreamTarget {
  const target = resolveRowTarget(p, api, client, clientPath);
  const row = p.row;
  const mod = row !== null ? row.module : null;
  if (mod !== null && target.authority.length > 0) mod.adjustTarget(p, api, target);
  return target;
}

function resolveRowTarget(p: ProviderConfig, api: ApiName, client: Protocol, clientPath: string): UpstreamTarget {
  const target = new UpstreamTarget();
  const row = p.row;
  if (row === null) {
    target.unsupportedReason = "provider type is not supported";
    return target;
  }
  target.auth = row.auth;
  target.authority = defaultAuthority(p, row);
  target.clientSchema = clientSchemaOf(api, client);

  if (p.protocol == "original") {
    // The client already speaks the provider's own API: only host and auth change.
    target.bodyPassthrough = true;
    target.upstreamProtocol = protocolOf(row.chatSchema);
    target.upstreamSchema = target.clientSchema;
    target.path = p.providerBasePath + clientPath;
    return target;
  }
  if (row.endpoints.length == 0) {
    // generic: the client's path is kept (no remapping); the upstream speaks what the client speaks.
    target.upstreamProtocol = client;
    target.upstreamSchema = target.clientSchema;
    target.bodyPassthrough = !(api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Embeddings);
    target.path = p.providerBasePath + clientPath;
    return target;
  }
  const anthropicNative = row.chatSchema == Schema.AnthropicMessages;
  if (api == ApiName.CountTokens && !anthropicNative) {
    // Only Anthropic counts tokens; Claude Code must not fail elsewhere, so the plugin estimates locally.
    target.localCountTokens = true;
    target.upstreamProtocol = Protocol.Anthropic;
    target.upstreamSchema = target.clientSchema;
    target.bodyPassthrough = true;
    target.path = clientPath;
    return target;
  }

  const picked = row.module !== null ? row.module!.apiSchema(p, api) : Schema.None;
  if (picked == Schema.None && isForwarded(api) && !convertedImages(p, row, api)) return resolveForwarded(p, row, api, client, clientPath, target);
  let path = picked != Schema.None ? use(row.endpoint(picked), target) : nativePath(p, row, api, target);
  // Anthropic-only endpoints keep the client's path on Anthropic-protocol providers.
  if ((api == ApiName.CountTokens || api == ApiName.MessageBatches || api == ApiName.AnthropicComplete) && anthropicNative) {
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
  // /v1/responses/{id}…: the id (and the rest) after the provider's responses path.
  if (api == ApiName.ResponsesStored && path.length > 0) path = storedResponsePath(path, clientPath);
  else if (api == ApiName.ResponsesStored) {
    target.authority = "";
    target.unsupportedReason = "provider \"" + p.type + "\" keeps no responses: its Responses requests are converted, statelessly";
    return target;
  }
  // Capabilities map an API name to the provider's path for it (Higress "openai/v1/chatcompletions": "/path").
  if ((api == ApiName.ChatCompletions || (api == ApiName.Responses && target.upstreamSchema == Schema.OpenAIChat)) && p.capabilities.has("openai/v1/chatcompletions")) path = p.capabilities.get("openai/v1/chatcompletions");
  if (api == ApiName.Responses && p.capabilities.has("openai/v1/responses")) {
    path = p.capabilities.get("openai/v1/responses");
    target.upstreamSchema = Schema.OpenAIResponses;
    target.upstreamProtocol = Protocol.OpenAI;
  }
  if (api == ApiName.Embeddings && p.capabilities.has("openai/v1/embeddings")) path = p.capabilities.get("openai/v1/embeddings");
  if (path.length == 0) {
    target.authority = "";
    target.unsupportedReason = "provider \"" + p.type + "\" does not offer this API";
    return target;
  }

  const custom = target.upstreamProtocol == Protocol.OpenAI ? customBaseOf(p) : null;
  if (custom !== null) {
    // Every OpenAI API of the row (chat, embeddings, models, completions, responses…) under the custom base.
    target.authority = custom.authority;
    path = custom.path + (path.startsWith("/v1/") ? path.substring(3) : path);
  }
  const settings = p.settings;
  if (target.upstreamSchema == Schema.OpenAIResponses && settings !== null && settings instanceof AzureUrl) {
    // Azure's Responses live outside deployments: /openai/v1/responses…, or /openai/responses…?api-version=…
    target.path = p.providerBasePath + azureResponsesPath(settings as AzureUrl, path.substring(path.indexOf("/responses")));
    return target;
  }
  const mod = row.module;
  const own = mod !== null ? mod.path(p, api) : "";
  if (own.length > 0) {
    // The configuration decides the whole path (and its query); the client's query is not forwarded.
    target.path = p.providerBasePath + own;
    target.pathNeedsBody = own.includes(MODEL_PLACEHOLDER) || own.includes(DEPLOYMENT_PLACEHOLDER);
    return target;
  }
  if (p.providerBasePath.length > 0) path = p.providerBasePath + path;
  const filled = fillPlaceholders(path, p);
  // A URL naming the model is the provider's own (Vertex AI's rawPredict): Google refuses query parameters it does not know.
  const ownUrl = filled.includes(MODEL_PLACEHOLDER);
  target.path = target.upstreamSchema == target.clientSchema && api != ApiName.ResponsesStored && !ownUrl ? withQuery(filled, clientPath) : filled;
  if (target.streamPath.length > 0) target.streamPath = fillPlaceholders(p.providerBasePath + target.streamPath, p);
  // A chat request sent in the schema the module picked gets the module's body-dependent headers (a signature …).
  target.bodyHeaders = mod !== null && target.upstreamSchema != Schema.None && target.upstreamSchema == mod.chatSchema(p) && mod.addsBodyHeaders(p);
  // A signature covers the final body, so the headers wait for it even where a capability names a path without {model}.
  target.pathNeedsBody = target.path.includes(MODEL_PLACEHOLDER) || target.streamPath.length > 0 || target.bodyHeaders || (mod !== null && mod.signsRequests(p));
  target.modelPicksEndpoint = target.pathNeedsBody && mod !== null && (api == ApiName.ChatCompletions || api == ApiName.Messages) &&
    mod.schemaForModel(p, "") != Schema.None;
  return target;
}

/**
 * Moves a request whose upstream `model` is served at another of the row's chat endpoints (Vertex AI's Claude models)
 * to that endpoint and its schema, before the body is translated into it.
 */
export function retargetForModel(p: ProviderConfig, target: UpstreamTarget, model: string): void {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  if (mod === null || !target.modelPicksEndpoint) return;
  const schema = mod.schemaForModel(p, model);
  if (schema == Schema.None || schema == target.upstreamSchema) return;
  const path = use(row!.endpoint(schema), target);
  if (path.length == 0) return;
  target.path = fillPlaceholders(p.providerBasePath + path, p);
  if (target.streamPath.length > 0) target.streamPath = fillPlaceholders(p.providerBasePath + target.streamPath, p);
}
