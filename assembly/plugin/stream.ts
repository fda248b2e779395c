// One HTTP stream through the gateway: pick the provider, rewrite the request, translate the body,
// then translate the response (whole or as an SSE stream) back into the client's protocol.
import {
  BufferType, DataAction, getBuffer, getHeader, getPropertyString, HeadersAction, HttpContext, logDebug,
  MapType, nowNanos, randomU32, removeHeader, replaceBuffer, replaceHeader,
} from "../abi";
import { PluginConfig, selectScope } from "../config/plugin-config";
import { ProviderConfig } from "../config/provider-config";
import { ApiName, clientProtocolOf, detectApi, Protocol } from "../protocol/api";
import { resolveTarget, UpstreamTarget } from "../providers/resolve";
import { newResponseTranslator, ResponseTranslator, translateRequest, TranslateOptions } from "../translate";
import { clearRouteCache, injectProviderKey, prepareForBodyRewrite, setProtocolHeaders, stripClientCredentials } from "./headers";
import { sendError } from "./reply";
import { AiProxyRoot } from "./root";

const enum ResponseMode { Untouched, Buffer, Stream }

export class AiProxyStream extends HttpContext {
  /** The plugin handles this request (a provider was selected for its route). */
  private active: bool = false;
  /** The plugin answered locally: its own reply passes back through the response callbacks untouched. */
  private replied: bool = false;
  private api: ApiName = ApiName.Unknown;
  private client: Protocol = Protocol.OpenAI;
  private provider: ProviderConfig | null = null;
  private target: UpstreamTarget | null = null;
  /** The request body is translated (model mapping, protocol conversion). */
  private rewritesBody: bool = false;
  private translator: ResponseTranslator | null = null;
  private responseStatus: i32 = 0;
  private responseMode: ResponseMode = ResponseMode.Untouched;

  private get config(): PluginConfig | null {
    return (this.root as AiProxyRoot).config;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): HeadersAction {
    const config = this.config;
    if (config === null) return HeadersAction.Continue;
    const authority = headerOr(MapType.HttpRequestHeaders, ":authority", "");
    const routeName = config.needsRouteName ? propertyOr("route_name") : "";
    const clusterName = config.needsClusterName ? propertyOr("cluster_name") : "";
    const scope = selectScope(config, routeName, clusterName, authority);
    if (scope === null) return HeadersAction.Continue;
    const provider = scope.active;
    if (provider === null) return HeadersAction.Continue;
    this.active = true;
    this.provider = provider;

    const path = stripPathPrefixes(headerOr(MapType.HttpRequestHeaders, ":path", "/"), provider);
    this.api = detectApi(path);
    const anthropicClient = getHeader(MapType.HttpRequestHeaders, "anthropic-version") !== null;
    this.client = clientProtocolOf(this.api, anthropicClient);
    if (this.api == ApiName.Unknown && provider.protocol != "original") {
      return this.refuse(404, "unsupported API path " + safePath(path), "ai_proxy_unknown_api");
    }
    const target = resolveTarget(provider, this.api, this.client, path);
    if (target.authority.length == 0) {
      return this.refuse(404, target.unsupportedReason.length > 0 ? target.unsupportedReason : "unsupported API", "ai_proxy_unsupported_api");
    }
    this.target = target;
    this.rewritesBody = !target.bodyPassthrough || this.api == ApiName.Embeddings;

    stripClientCredentials();
    injectProviderKey(target.auth, pickToken(provider));
    setProtocolHeaders(target.upstreamProtocol, provider.claudeVersion);
    replaceHeader(MapType.HttpRequestHeaders, ":authority", target.authority);
    replaceHeader(MapType.HttpRequestHeaders, ":path", target.path);
    clearRouteCache();
    if (this.rewritesBody) {
      prepareForBodyRewrite();
      if (endOfStream) return this.refuse(400, "request body is required", "ai_proxy_empty_body");
    }
    logDebug("ai-proxy: " + provider.type + " -> " + target.authority + target.path);
    return HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): DataAction {
    if (!this.active || this.replied || !this.rewritesBody) return DataAction.Continue;
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    const provider = this.provider!;
    const target = this.target!;
    const body = getBuffer(BufferType.HttpRequestBody, 0, bodySize);
    const bytes = body === null ? new Uint8Array(0) : Uint8Array.wrap(body);
    const opts = new TranslateOptions();
    opts.modelMapping = provider.modelMapping;
    opts.reasoningContentMode = provider.reasoningContentMode;
    opts.includeUsage = provider.streamIncludeUsage;
    opts.maxTokensField = provider.row!.maxTokensField;
    opts.nowSeconds = <i64>(nowNanos() / 1000000000);
    const result = translateRequest(this.client, target.upstreamProtocol, bytes, opts);
    if (!result.ok) return this.refuseBody(result.errorStatus, result.errorMessage);
    opts.model = result.upstreamModel;
    replaceBuffer(BufferType.HttpRequestBody, result.body.buffer.slice(result.body.byteOffset, result.body.byteOffset + result.body.byteLength));
    this.translator = newResponseTranslator(this.client, target.upstreamProtocol, opts, result.stream, result.includeUsage);
    return DataAction.Continue;
  }

  onResponseHeaders(numHeaders: u32, endOfStream: bool): HeadersAction {
    if (!this.active || this.replied) return HeadersAction.Continue;
    const translator = this.translator;
    if (translator === null) return HeadersAction.Continue;
    this.responseStatus = I32.parseInt(headerOr(MapType.HttpResponseHeaders, ":status", "0"));
    const status = this.responseStatus;
    const ok = status >= 200 && status < 300;
    const sse = headerOr(MapType.HttpResponseHeaders, "content-type", "").startsWith("text/event-stream");
    const converts = this.client != this.target!.upstreamProtocol;
    if (ok && sse) this.responseMode = ResponseMode.Stream;
    else if (!ok || converts) this.responseMode = ResponseMode.Buffer;
    else this.responseMode = ResponseMode.Untouched;
    if (this.responseMode == ResponseMode.Untouched) return HeadersAction.Continue;
    removeHeader(MapType.HttpResponseHeaders, "content-length");
    const clientStatus = translator.clientStatus(status);
    if (clientStatus != status) replaceHeader(MapType.HttpResponseHeaders, ":status", clientStatus.toString());
    if (this.responseMode == ResponseMode.Buffer) replaceHeader(MapType.HttpResponseHeaders, "content-type", "application/json");
    return HeadersAction.Continue;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): DataAction {
    if (!this.active || this.replied || this.responseMode == ResponseMode.Untouched) return DataAction.Continue;
    const translator = this.translator!;
    if (this.responseMode == ResponseMode.Stream) {
      const chunk = getBuffer(BufferType.HttpResponseBody, 0, bodySize);
      let out = translator.chunk(chunk === null ? new Uint8Array(0) : Uint8Array.wrap(chunk));
      if (endOfStream) out = concat(out, translator.end());
      replaceBuffer(BufferType.HttpResponseBody, out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
      return DataAction.Continue;
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    const whole = getBuffer(BufferType.HttpResponseBody, 0, bodySize);
    const bytes = whole === null ? new Uint8Array(0) : Uint8Array.wrap(whole);
    const status = this.responseStatus;
    const out = status >= 200 && status < 300 ? translator.body(bytes, status) : translator.error(status, bytes);
    replaceBuffer(BufferType.HttpResponseBody, out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
    return DataAction.Continue;
  }

  private refuse(status: i32, message: string, details: string): HeadersAction {
    this.replied = true;
    sendError(this.client, status, message, details);
    return HeadersAction.StopIteration;
  }

  private refuseBody(status: i32, message: string): DataAction {
    this.replied = true;
    sendError(this.client, status, message, "ai_proxy_bad_request");
    return DataAction.StopIterationNoBuffer;
  }
}

function headerOr(map: MapType, key: string, def: string): string {
  const v = getHeader(map, key);
  return v === null ? def : v;
}

function propertyOr(name: string): string {
  const v = getPropertyString([name]);
  return v === null ? "" : v;
}

/** Applies subPath and basePath (removePrefix) before the API is detected. */
function stripPathPrefixes(path: string, p: ProviderConfig): string {
  let out = path;
  if (p.subPath.length > 0 && out.startsWith(p.subPath)) out = out.substring(p.subPath.length);
  if (p.basePath.length > 0 && p.basePathHandling == "removePrefix" && out.startsWith(p.basePath)) out = out.substring(p.basePath.length);
  if (!out.startsWith("/")) out = "/" + out;
  return out;
}

/** A path echoed in an error, without its query string (which may carry keys). */
function safePath(path: string): string {
  const q = path.indexOf("?");
  const p = q >= 0 ? path.substring(0, q) : path;
  return p.length > 200 ? p.substring(0, 200) : p;
}

function pickToken(p: ProviderConfig): string {
  const n = p.apiTokens.length;
  if (n == 0) return "";
  return n == 1 ? p.apiTokens[0] : p.apiTokens[<i32>(randomU32() % <u32>n)];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length == 0) return a;
  if (a.length == 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
