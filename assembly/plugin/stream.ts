// One HTTP stream through the gateway: pick the provider, rewrite the request, translate the body,
// then translate the response (whole or as an SSE stream) back into the client's protocol.
// Behaviours live in their own files; this is the phase machine that calls them in order.
import {
  BufferType, continueStream, DataAction, getBuffer, getBufferInto, getHeader, getPropertyString, getStream, HeadersAction, HttpContext,
  HeaderMapEdits, hostIsHigress, logInfo, logWarn, MapType, nowMillis, nowNanos, removeHeader, replaceBuffer, replaceHeader, setBuffer, StreamType,
} from "../abi";
import { HeaderPair, sendLocalResponse } from "../abi";
import { acquireLargeBlock, detach, LARGE_BLOCK_BYTES, releaseLargeBlocks } from "../bytes/large-buffers";
import { concatBytes } from "../bytes/utf8";
import { PluginConfig, Scope, selectScope } from "../config/plugin-config";
import { ProviderConfig } from "../config/provider-config";
import { ApiName, clientProtocolOf, detectApi, isChatApi, isChatSchema, isStatefulApi, Protocol, Schema } from "../protocol/api";
import { redactSecrets, stripCredentialParams } from "../protocol/secrets";
import { holdsRequestHeaders, resolveTarget, retargetForModel, UpstreamTarget } from "../providers/resolve";
import { isAvailable } from "../resilience/circuit-breaker";
import { clusterFor, Recovery, rememberCluster } from "../resilience/recovery";
import { bodyDependentHeaders } from "../resilience/upstream-request";
import { optionsFor } from "../providers/translate-options";
import { TokenPool } from "../resilience/token-health";
import { recordRequest } from "../metrics/provider-metrics";
import { answerTranslatorFor, ResponseTranslator, translateBody, TranslateOptions, Usage } from "../translate";
import { PassthroughTranslator } from "../translate/passthrough";
import { upstreamModelOfBody } from "../translate/common";
import { accessTokenFor } from "./access-token";
import { BodyLimit, raiseDecoderBufferLimit, reclaimBeforeLargeBody } from "./body-limit";
import { ContextEntry, ContextState, contextSourceOf, ensureContext, setContextResume } from "./context-file";
import { answerCountTokens, estimateInputTokens } from "./count-tokens";
import { applyTargetHeaders, askForIdentity, clearRouteCache, injectProviderKey, keepClientPath, prepareForBodyRewrite, setProtocolHeaders, stripClientCredentials } from "./headers";
import { pathWithKey } from "../providers/auth";
import { ModelsListTranslator } from "./models-list";
import { sendError, sendJson } from "./reply";
import { fallbackFor, routeAtHeaders, routeByBody, RoutedRequest } from "../routing/router";
import { clientErrorStatus, convertErrorBody, errorBody, printable } from "../protocol/errors";
import { editChatRequestFor } from "./request-edits";
import { readsOriginalBody, withRawSettings } from "./original-body";
import { editClientChat } from "./client-request-edits";
import { applyFirstByteTimeout, applyFirstByteTimeoutAtHeaders, holdsForFirstByteTimeout } from "./first-byte-timeout";
import { AiProxyRoot } from "./root";
import { forwardedBody } from "./forwarded-body";
import { ImageFetch, imageUrlsOf } from "./image-fetch";
import { isForwarded } from "../providers/forwarded";
import { MultipartModelRewriter } from "../multipart/model-field";
import { OpsRequest, stripBasePath } from "../ops/request";

const enum ResponseMode { Untouched, Buffer, Stream }

/**
 * Where one request is. Each ABI callback decides by it (ARCHITECTURE.md tabulates what each callback returns in
 * each phase); only this stream writes it, and Recovery.replied settles Recovering into RepliedLocally.
 */
export const enum Phase {
  /** No provider applies (or no configuration): every callback lets the traffic through untouched. */
  Passive,
  /** Receiving the request (headers forwarded or held; the body read where it is translated or answered). */
  Request,
  /** The request body is complete and waits for its system context (context file / moonshotFileId callout). */
  AwaitingContext,
  /** The request went upstream; no response headers yet. */
  Forwarded,
  /** Response headers are held until the body is known (non-streamed, with allowOnHeadersStopIteration). */
  HoldingResponse,
  /** Response headers went on; the body is translated or passed as it comes. */
  Responding,
  /** A failed answer is being dropped while a retry or fallback callout is in flight. */
  Recovering,
  /** The plugin answered (an error, a local answer, or a recovered attempt): its reply passes untouched. */
  RepliedLocally,
}

export class AiProxyStream extends HttpContext {
  private phase: Phase = Phase.Passive;
  private api: ApiName = ApiName.Unknown;
  private client: Protocol = Protocol.OpenAI;
  private provider: ProviderConfig | null = null;
  private target: UpstreamTarget | null = null;
  /** The request body is translated (model mapping, protocol conversion). */
  private rewritesBody: bool = false;
  /** The body is needed for a local answer (count_tokens estimate). */
  private answersLocally: bool = false;
  /** `protocol: original`, and the body is read anyway: raw customSettings, a signature over it (plugin/original-body.ts). */
  private readsOriginal: bool = false;
  /** The headers wait for the body to learn whether firstByteTimeout applies (plugin/first-byte-timeout.ts). */
  private heldForTimeout: bool = false;
  private limit: BodyLimit = new BodyLimit(0x7FFFFFFF);
  /** The previous body callback returned StopIterationAndBuffer (the host now reports the whole body). */
  private buffering: bool = false;
  /** The chat request waits for its system context (context file / moonshotFileId). */
  private contextEntry: ContextEntry | null = null;
  /** The OAuth access token the request waits for (providers with a token grant: Vertex AI's service account). */
  private tokenEntry: ContextEntry | null = null;
  /** The request's image URLs being fetched to be sent inline (plugin/image-fetch.ts); null when none is. */
  private imageFetch: ImageFetch | null = null;
  /** The size of the whole body a waiting request holds (Higress's test host refuses "the whole buffer", 0xFFFFFFFF). */
  private heldBodySize: u32 = 0xFFFFFFFF;
  private translator: ResponseTranslator | null = null;
  private responseStatus: i32 = 0;
  private responseMode: ResponseMode = ResponseMode.Untouched;
  private scope: Scope | null = null;
  private tokenIndex: i32 = -1;
  private anthropicBeta: string | null = null;
  private clientAnthropicVersion: string | null = null;
  /** Request fields the translator left out (RequestResult.dropped), announced in x-ai-proxy-dropped-params. */
  private droppedParams: string = "";
  private clientPath: string = "";
  /** The client's content-type of a converted upload (multipart/form-data names its boundary). */
  private clientContentType: string = "";
  /** A multipart upload whose model field is mapped as it streams (plugin/forwarded-body.ts). */
  private multipart: MultipartModelRewriter | null = null;
  /** Set when a failed answer may be retried or sent to a fallback provider. */
  private recovery: Recovery | null = null;
  /** Virtual keys, budgets, tags, redaction, cache, cost and metrics (ops/request.ts); null without ops config. */
  private ops: OpsRequest | null = null;
  /** Set in a scope with `routing`: the route and target chosen (pending while the body is awaited). */
  private routed: RoutedRequest | null = null;

  private get config(): PluginConfig | null {
    return (this.root as AiProxyRoot).config;
  }

  onRequestHeaders(numHeaders: u32, endOfStream: bool): HeadersAction {
    const config = this.config;
    if (config === null) return HeadersAction.Continue;
    // Read once, edited here, written back once (commit) on every path that forwards the request.
    const h = HeaderMapEdits.load(MapType.HttpRequestHeaders);
    const authority = h.getOr(":authority", "");
    const routeName = config.needsRouteName ? matchedName("route_name") : "";
    const clusterName = config.needsClusterName ? matchedName("cluster_name") : "";
    const scope = selectScope(config, routeName, clusterName, authority);
    if (scope === null) return HeadersAction.Continue;
    if (scope.routing !== null && this.routed === null) {
      const decided = this.routed = routeAtHeaders(scope, h, endOfStream);
      if (decided.provider === null) return this.unrouted(decided, scope, config.maxRequestBodyBytes);
    }
    const routed = this.routed;
    const provider = routed !== null ? routed.provider : chooseProvider(scope);
    if (provider === null) return HeadersAction.Continue;
    this.phase = Phase.Request;
    this.scope = scope;
    this.provider = provider;
    this.limit = new BodyLimit(config.maxRequestBodyBytes);
    if (routed !== null) routed.sent();

    const received = h.getOr(":path", "/");
    const path = stripCredentialParams(stripPathPrefixes(stripBasePath(config.ops, received), provider));
    this.api = detectApi(path);
    const anthropicClient = h.get("anthropic-version") !== null;
    this.client = clientProtocolOf(this.api, anthropicClient);
    const ops = this.ops = OpsRequest.admit(config.ops, h, this.client);
    if (ops !== null && ops.replied) {
      this.phase = Phase.RepliedLocally;
      return HeadersAction.StopIteration;
    }
    if (this.api == ApiName.Unknown && provider.protocol != "original" && !keepsClientPath(provider)) {
      return this.refuse(404, "unsupported API path " + safePath(path), "ai_proxy_unknown_api");
    }
    if (postOnly(this.api)) {
      const method = h.getOr(":method", "POST");
      if (method != "POST") {
        this.phase = Phase.RepliedLocally;
        sendError(this.client, 405, "method " + method + " is not allowed on " + safePath(path) + "; use POST", "ai_proxy_method_not_allowed", [new HeaderPair("allow", "POST")]);
        return HeadersAction.StopIteration;
      }
    }
    const target = resolveTarget(provider, this.api, this.client, path);
    if (target.authority.length == 0 && keepsClientPath(provider)) target.authority = authority; // generic without genericHost
    if (provider.basePathHandling == "prepend" && provider.basePath.length > 0 && !target.path.startsWith(provider.basePath)) {
      target.path = provider.basePath + target.path;
    }
    this.target = target;
    const contentLength = h.getOr("content-length", "");
    if (contentLength.length > 0 && I64.parseInt(contentLength) > config.maxRequestBodyBytes) {
      return this.refuse(413, "request body exceeds " + config.maxRequestBodyBytes.toString() + " bytes", "ai_proxy_body_too_large");
    }
    if (target.localCountTokens) {
      // Answered from the body at its end; nothing of it reaches a provider. With a true StopIteration the headers
      // wait here; otherwise they go on towards the provider's cluster (a catch-all route could answer before the
      // body arrives), whose request is reset when the local answer goes out.
      this.answersLocally = true;
      stripClientCredentials(h);
      raiseDecoderBufferLimit(config.maxRequestBodyBytes);
      if (endOfStream) return this.refuse(400, "request body is required", "ai_proxy_empty_body");
      if (config.allowOnHeadersStopIteration) return HeadersAction.StopIteration;
      h.set(":authority", target.authority);
      h.commit();
      clearRouteCache();
      return HeadersAction.Continue;
    }
    if (target.authority.length == 0) {
      // The refused request names the provider that does not offer the API (access logs print :authority), as
      // Higress's rewritten headers do; nothing reaches it.
      const row = provider.row;
      if (row !== null && row.host.length > 0) {
        h.set(":authority", row.host);
        h.commit();
      }
      return this.refuse(404, target.unsupportedReason.length > 0 ? target.unsupportedReason : "unsupported API", "ai_proxy_unsupported_api");
    }
    if (forwardedAsIs(this.api, target)) this.multipart = forwardedBody(h, this.api, path, provider, target);
    else if (isForwarded(this.api)) {
      // Converted (Vertex AI's images, Imagen, DashScope's rerank): the upstream gets JSON; the translator reads a multipart upload's boundary.
      this.clientContentType = h.getOr("content-type", "");
      h.set("content-type", "application/json");
    }
    if (this.multipart !== null && target.pathNeedsBody) raiseDecoderBufferLimit(config.maxRequestBodyBytes);
    // count_tokens forwarded to an Anthropic provider is checked like a same-protocol request (finishRequestBody).
    this.rewritesBody = !target.bodyPassthrough || this.api == ApiName.Embeddings || (this.api == ApiName.Completions && provider.protocol != "original") ||
      (this.api == ApiName.CountTokens && target.upstreamProtocol == Protocol.Anthropic && provider.protocol != "original");

    this.readsOriginal = !this.rewritesBody && this.multipart === null && readsOriginalBody(provider);
    this.clientPath = path;
    if (provider.unusable.length > 0) {
      return this.refuse(500, "provider " + (provider.id.length > 0 ? provider.id : provider.type) + ": " + provider.unusable, "ai_proxy_provider_misconfigured");
    }
    this.tokenIndex = new TokenPool(provider).pick(-1, isStatefulApi(this.api) ? h.getOr("x-mse-consumer", "") : "");
    if (this.tokenIndex < 0 && provider.apiTokens.length > 0) {
      return this.refuse(503, "no API token of provider " + (provider.id.length > 0 ? provider.id : provider.type) + " is in rotation (all failed health checks)", "ai_proxy_no_token");
    }
    const token = this.token();
    if (mayRecover(provider, scope)) {
      this.anthropicBeta = h.get("anthropic-beta");
      if (this.client == Protocol.Anthropic) this.clientAnthropicVersion = h.get("anthropic-version");
    }
    stripClientCredentials(h);
    askForIdentity(h);
    injectProviderKey(h, target.auth, token);
    keepClientPath(h, target.auth, token, received);
    setProtocolHeaders(h, target.upstreamProtocol, provider.claudeVersion, provider.claudeVersionPinned || this.client != Protocol.Anthropic);
    applyTargetHeaders(h, target);
    h.set(":authority", target.authority);
    // A path waiting only for body-dependent headers (DashScope's stream switch, a signature) is already known.
    if (!target.pathNeedsBody || (target.streamPath.length == 0 && !target.path.includes("{"))) h.set(":path", this.upstreamPath());
    if (this.api == ApiName.Models && this.client == Protocol.Anthropic && target.upstreamProtocol == Protocol.OpenAI) {
      this.translator = new ModelsListTranslator(new TranslateOptions());
    } else if (this.api == ApiName.Models && provider.protocol != "original") {
      // A model list is JSON too: an HTML page or a cut body answered with 200 becomes a 502 (passthrough.ts).
      this.translator = new PassthroughTranslator(this.client, new TranslateOptions(), false);
    }
    // A provider taking an OAuth token (Vertex AI's service account): a token at hand goes with the headers; else the
    // headers wait for it at the end of the body (finishRequestBody), which protocol original then passes untouched.
    const auth = accessTokenFor(provider, (this.root as AiProxyRoot).contexts, this.root.id);
    let heldForToken = false;
    if (auth !== null && auth.state == ContextState.Ready) h.set("authorization", "Bearer " + auth.content);
    else if (auth !== null && (this.rewritesBody || provider.protocol == "original")) heldForToken = this.rewritesBody = true;
    if (this.rewritesBody) {
      prepareForBodyRewrite(h);
      raiseDecoderBufferLimit(config.maxRequestBodyBytes);
      if (endOfStream) return this.refuse(400, "request body is required", "ai_proxy_empty_body");
      if (isChatApi(this.api, target.upstreamSchema)) this.startContextFetch(provider, token);
      this.tokenEntry = auth;
    }
    if (this.readsOriginal) {
      prepareForBodyRewrite(h);
      raiseDecoderBufferLimit(config.maxRequestBodyBytes);
      if (endOfStream) this.finishOriginalBody(h, new Uint8Array(0));
    }
    h.commit();
    clearRouteCache();
    // A signature over the original body goes on the headers: they wait for it (holdsRequestHeaders).
    if (this.readsOriginal && !endOfStream && holdsRequestHeaders(provider)) return HeadersAction.StopIteration;
    // A URL naming the (mapped) model (Gemini, Azure's resource-only form) is final only once the body is read, so
    // the headers wait (a true StopIteration needs Envoy >= 1.35 allow_on_headers_stop_iteration).
    this.heldForTimeout = holdsForFirstByteTimeout(provider, config.allowOnHeadersStopIteration, this.rewritesBody);
    applyFirstByteTimeoutAtHeaders(provider, this.rewritesBody);
    if (target.pathNeedsBody || heldForToken) warnHoldWithoutSetting(provider, config.allowOnHeadersStopIteration);
    return target.pathNeedsBody || this.heldForTimeout || heldForToken ? HeadersAction.StopIteration : HeadersAction.Continue;
  }

  onRequestBody(bodySize: u32, endOfStream: bool): DataAction {
    const action = this.requestBody(bodySize, endOfStream);
    releaseLargeBlocks(); // the body and its translation went to the host (or were refused)
    // Answered locally in this callback: the host stops the stream whatever is returned (Envoy's send_local_response
    // sets stopNextIteration, proxy-wasm-cpp-host exports.cc); Continue is what Higress's plugins return after their
    // error replies, so a host that checks the code sees the same.
    if (this.phase == Phase.RepliedLocally && action == DataAction.StopIterationNoBuffer) return DataAction.Continue;
    return action;
  }

  private requestBody(bodySize: u32, endOfStream: bool): DataAction {
    if (this.phase != Phase.Request) return DataAction.Continue;
    const accumulated = this.buffering;
    if (this.limit.exceeded(bodySize, accumulated)) {
      return this.refuseBody(413, "request body exceeds " + this.limit.max.toString() + " bytes", "ai_proxy_body_too_large");
    }
    const routed = this.routed;
    if (routed !== null && routed.pending) {
      if (!endOfStream) {
        this.buffering = true;
        return DataAction.StopIterationAndBuffer;
      }
      reclaimBeforeLargeBody(this.limit.seen);
      this.routed = routeByBody(this.scope!, readRequestBody(bodySize));
      if (this.routed!.provider === null) return this.refuseBody(this.routed!.errorStatus, this.routed!.error, "ai_proxy_no_route");
      // The held request headers are rewritten for the chosen provider, as they would have been on arrival.
      this.onRequestHeaders(0, false);
      if (this.phase != Phase.Request) return DataAction.StopIterationNoBuffer;
    }
    if (this.multipart !== null) return this.rewriteMultipart(bodySize, endOfStream);
    if (!this.rewritesBody && !this.answersLocally && !this.readsOriginal) return DataAction.Continue;
    if (!endOfStream) {
      this.buffering = true;
      return DataAction.StopIterationAndBuffer;
    }
    reclaimBeforeLargeBody(this.limit.seen);
    if (this.answersLocally) {
      const body = readRequestBody(bodySize);
      const tokens = estimateInputTokens(body);
      if (tokens < 0) return this.refuseBody(400, "request body is not a JSON object", "ai_proxy_bad_request");
      this.phase = Phase.RepliedLocally;
      answerCountTokens(tokens);
      return DataAction.StopIterationNoBuffer;
    }
    if (this.readsOriginal) {
      this.finishOriginalBody(null, readRequestBody(bodySize));
      return DataAction.Continue;
    }
    if (this.waitsForCallouts(bodySize)) {
      // Resumed from the callout answer (resumeAfterContext).
      this.phase = Phase.AwaitingContext;
      this.buffering = true;
      this.heldBodySize = bodySize;
      return DataAction.StopIterationAndBuffer;
    }
    return this.finishRequestBody(bodySize) ? DataAction.Continue : DataAction.StopIterationNoBuffer;
  }

  onResponseHeaders(numHeaders: u32, endOfStream: bool): HeadersAction {
    const action = this.responseHeaders(endOfStream);
    const ops = this.ops;
    if (ops !== null && (this.phase == Phase.Responding || this.phase == Phase.HoldingResponse)) ops.onResponseHeaders(this.translator);
    return action;
  }

  private responseHeaders(endOfStream: bool): HeadersAction {
    this.settleRecovery();
    if (this.routed !== null) this.routed!.firstByte();
    // Request (headers forwarded, body still coming): the upstream may answer before the request ends.
    if (this.phase != Phase.Forwarded && this.phase != Phase.Request) return HeadersAction.Continue;
    const translator = this.translator;
    this.responseStatus = I32.parseInt(headerOr(MapType.HttpResponseHeaders, ":status", "0"));
    const status = this.responseStatus;
    if (isAnotherFiltersAnswer(status)) {
      this.phase = Phase.Passive;
      return HeadersAction.Continue;
    }
    if (this.recoverFrom(status)) {
      this.phase = Phase.Recovering;
      return HeadersAction.StopIteration;
    }
    this.phase = Phase.Responding;
    if (this.droppedParams.length > 0) replaceHeader(MapType.HttpResponseHeaders, "x-ai-proxy-dropped-params", this.droppedParams);
    if (isCompressed()) return this.refuseCompressed(endOfStream);
    if (translator === null) return this.guardUntranslatedError();
    const usageHeader = translator.usageHeader();
    if (usageHeader.length > 0) translator.usageHeaderValue = headerOr(MapType.HttpResponseHeaders, usageHeader, "");
    const ok = status >= 200 && status < 300;
    const contentType = headerOr(MapType.HttpResponseHeaders, "content-type", "").toLowerCase();
    // Bedrock's ConverseStream answers in binary event stream frames; the client gets them re-chunked as SSE.
    const eventStream = ok && contentType.startsWith("application/vnd.amazon.eventstream");
    if (eventStream) replaceHeader(MapType.HttpResponseHeaders, "content-type", "text/event-stream");
    const sse = eventStream || contentType.startsWith("text/event-stream");
    if (ok && sse && !translator.collectsStream()) this.responseMode = ResponseMode.Stream;
    else this.responseMode = ResponseMode.Buffer; // same protocol too: a 2xx body is checked (passthrough.ts)
    removeHeader(MapType.HttpResponseHeaders, "content-length");
    if (endOfStream) return this.answerEmptyBody(translator, status);
    if (this.responseMode == ResponseMode.Buffer && this.config!.allowOnHeadersStopIteration) {
      // Status and content type are written once the body is known (a 200 with a broken body becomes a 502).
      this.phase = Phase.HoldingResponse;
      return HeadersAction.StopIteration;
    }
    const clientStatus = translator.clientStatus(status);
    if (clientStatus != status) replaceHeader(MapType.HttpResponseHeaders, ":status", clientStatus.toString());
    if (this.responseMode == ResponseMode.Buffer) replaceHeader(MapType.HttpResponseHeaders, "content-type", "application/json");
    return HeadersAction.Continue;
  }

  /**
   * The headers ended the response (a 429 or 5xx with no body, an empty 200): no body callback follows, so the
   * answer in the client's protocol goes out as a local reply instead of an empty body.
   */
  private answerEmptyBody(translator: ResponseTranslator, status: i32): HeadersAction {
    const empty = new Uint8Array(0);
    const stream = this.responseMode == ResponseMode.Stream;
    const out = stream ? concatBytes(translator.chunk(empty), translator.end())
      : (status >= 200 && status < 300 ? translator.body(empty, status) : translator.error(status, empty));
    const headers: Array<HeaderPair> = [new HeaderPair("content-type", stream ? "text/event-stream" : "application/json")];
    const retry = getHeader(MapType.HttpResponseHeaders, "retry-after");
    if (retry !== null) headers.push(new HeaderPair("retry-after", retry));
    if (this.droppedParams.length > 0) headers.push(new HeaderPair("x-ai-proxy-dropped-params", this.droppedParams));
    this.phase = Phase.RepliedLocally;
    sendLocalResponse(<u32>(stream ? status : translator.clientStatus(status)), "ai_proxy_upstream_empty_body", out, headers);
    return HeadersAction.StopIteration;
  }

  onResponseBody(bodySize: u32, endOfStream: bool): DataAction {
    const action = this.responseBody(bodySize, endOfStream);
    const ops = this.ops;
    if (ops !== null && action == DataAction.Continue && this.phase == Phase.Responding) ops.onResponseBody(endOfStream, this.responseMode == ResponseMode.Stream);
    return action;
  }

  private responseBody(bodySize: u32, endOfStream: bool): DataAction {
    this.settleRecovery();
    // Not one byte of a failed attempt reaches the client (Envoy calls this while a true StopIteration holds the
    // failed answer's headers).
    if (this.phase == Phase.Recovering) return DataAction.StopIterationNoBuffer;
    if (this.phase == Phase.HoldingResponse) return this.releaseHeldResponse(bodySize, endOfStream);
    if (this.phase != Phase.Responding) return DataAction.Continue;
    if (this.compressed) return this.replaceCompressedBody(endOfStream);
    if (this.redactBody) return this.convertUntranslated ? this.convertErrorBody(bodySize, endOfStream) : redactErrorBody(bodySize, endOfStream);
    if (this.responseMode == ResponseMode.Untouched) return DataAction.Continue;
    const translator = this.translator!;
    if (this.responseMode == ResponseMode.Stream) {
      if (bodySize > STREAM_SLICE) return translateStreamInSlices(translator, bodySize, endOfStream);
      let out = translator.chunk(readBody(BufferType.HttpResponseBody, bodySize));
      if (endOfStream) out = concatBytes(out, translator.end());
      replaceBuffer(BufferType.HttpResponseBody, out);
      return DataAction.Continue;
    }
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    replaceBuffer(BufferType.HttpResponseBody, this.translateWhole(translator, bodySize));
    return DataAction.Continue;
  }

  private translateWhole(translator: ResponseTranslator, bodySize: u32): Uint8Array {
    const bytes = readBody(BufferType.HttpResponseBody, bodySize);
    const status = this.responseStatus;
    return status >= 200 && status < 300 ? translator.body(bytes, status) : translator.error(status, bytes);
  }

  /** The held response's body is complete: its headers go out with the status the body earned. */
  private releaseHeldResponse(bodySize: u32, endOfStream: bool): DataAction {
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    const translator = this.translator!;
    const out = this.translateWhole(translator, bodySize);
    replaceBuffer(BufferType.HttpResponseBody, out);
    const h = HeaderMapEdits.load(MapType.HttpResponseHeaders);
    h.set(":status", translator.clientStatus(this.responseStatus).toString());
    h.set("content-type", "application/json");
    h.set("content-length", out.length.toString());
    h.commit();
    this.phase = Phase.Responding;
    return DataAction.Continue;
  }

  /** A recovery that has sent its answer leaves the stream answered locally. */
  private settleRecovery(): void {
    const rec = this.recovery;
    if (this.phase == Phase.Recovering && rec !== null && rec.replied) this.phase = Phase.RepliedLocally;
  }

  onLog(): void {
    const provider = this.provider;
    if (this.phase == Phase.Passive || provider === null) return;
    const status = I32.parseInt(headerOr(MapType.HttpResponseHeaders, ":status", "0"));
    const translator = this.translator;
    const rec = this.recovery;
    const usage: Usage | null = translator === null ? null : translator.usage;
    const extra = rec === null ? 0 : rec.attempts - 1;
    const local = this.phase == Phase.RepliedLocally && (rec === null || rec.attempts <= 1);
    recordRequest(provider.id.length > 0 ? provider.id : provider.type, status, usage, extra, local);
    if (this.routed !== null) this.routed!.finish(status, usage, extra, local);
    if (this.ops !== null) this.ops!.onLog(provider.id.length > 0 ? provider.id : provider.type, status, translator);
  }

  /** The callout for this request's system context answered (this stream is the effective context). */
  resumeAfterContext(): void {
    if (this.phase != Phase.AwaitingContext) return;
    if (this.waitsForCallouts(this.heldBodySize)) return;
    this.phase = Phase.Request;
    const forwarded = this.finishRequestBody(this.heldBodySize);
    releaseLargeBlocks();
    if (forwarded) continueStream(StreamType.Request);
  }

  /**
   * The whole request body is here: translate it, apply the provider's edits, finish Azure's path, and set up
   * the response translator. False when the client was answered with an error instead.
   */
  private finishRequestBody(bodySize: u32): bool {
    const provider = this.provider!;
    const target = this.target!;
    const entry = this.contextEntry;
    if (entry !== null && entry.state == ContextState.Failed) {
      this.phase = Phase.RepliedLocally;
      sendError(this.client, 500, "failed to load the AI context: " + entry.error, "ai_proxy_context_failed");
      return false;
    }
    const auth = this.tokenEntry;
    if (provider.protocol == "original" && auth !== null && auth.state == ContextState.Failed) return this.refuseForToken(auth);
    if (provider.protocol == "original" && auth !== null) {
      // The provider's own API, waiting for its token only: the body stays as it came.
      target.accessToken = auth.content;
      replaceHeader(MapType.HttpRequestHeaders, "authorization", "Bearer " + auth.content);
      this.phase = Phase.Forwarded;
      return true;
    }
    const opts = optionsFor(provider, <i64>(nowNanos() / 1000000000));
    if (this.imageFetch !== null) opts.fetchedImages = this.imageFetch!.images;
    opts.includeUsage = opts.includeUsage && isChatApi(this.api, target.upstreamSchema);
    opts.contentType = this.clientContentType;
    if (this.routed !== null) opts.model = this.routed!.model; // the route's model rewrite ("" keeps modelMapping)
    if (this.api == ApiName.CountTokens) {
      // Checked like a messages request, but forwarded byte for byte: no max_tokens added, no model mapped.
      opts.defaultMaxTokens = 0;
      opts.model = "";
      opts.modelMapping = null;
    }
    const ops = this.ops;
    let clientBody = ops === null ? readRequestBody(bodySize)
      : ops.onRequestBody(readRequestBody(bodySize), provider.id + "/" + provider.type + this.clientPath);
    if (ops !== null && ops.replied) {
      this.phase = Phase.RepliedLocally;
      return false;
    }
    clientBody = editClientChat(clientBody, target.clientSchema, provider);
    if (target.modelPicksEndpoint) retargetForModel(provider, target, upstreamModelOfBody(clientBody, opts));
    const result = translateBody(target.clientSchema, target.upstreamSchema, clientBody, opts);
    if (!result.ok) return this.fail(result.errorStatus, result.errorMessage);
    if (result.dropped.length > 0) {
      this.droppedParams = result.dropped.join(",");
      logInfo("ai-proxy: left out of the upstream request (no counterpart or not accepted by " + result.upstreamModel + "): " + this.droppedParams);
    }
    opts.model = result.upstreamModel;
    let body = result.body;
    if (isChatApi(this.api, target.upstreamSchema)) {
      const edited = editChatRequestFor(body, target, provider, opts.maxTokensField, entry !== null ? entry.content : "");
      if (!edited.ok) return this.fail(400, edited.error);
      body = edited.body;
    } else if (target.clientSchema != target.upstreamSchema) {
      const own = moduleEdits(provider, body, target.upstreamSchema);
      if (own !== null) body = own;
    }
    if (target.pathNeedsBody) {
      if (!target.finishPath(result.upstreamModel, result.stream)) return this.fail(400, "model is required: the provider's URL names it");
      replaceHeader(MapType.HttpRequestHeaders, ":path", this.upstreamPath());
      // The headers are still held: a provider that signs the final body (SigV4, TC3) signs here.
      const signed = bodyDependentHeaders(provider, target, body, <i64>(nowNanos() / 1000000));
      for (let i = 0; i < signed.length; i++) replaceHeader(MapType.HttpRequestHeaders, signed[i].key, signed[i].value);
    }
    if (this.heldForTimeout) applyFirstByteTimeout(provider, result.stream);
    replaceBuffer(BufferType.HttpRequestBody, body);
    if (auth !== null) {
      // Checked once the body is translated: the client's own mistakes (the 400s above) are answered first.
      if (auth.state == ContextState.Failed) return this.refuseForToken(auth);
      target.accessToken = auth.content;
      replaceHeader(MapType.HttpRequestHeaders, "authorization", "Bearer " + auth.content);
    }
    const translator = answerTranslatorFor(target.clientSchema, target.upstreamSchema, opts, result.stream, result.includeUsage);
    // Forwarded APIs: answers as they come (unless converted from a provider's own schema: DashScope's native rerank, Imagen).
    this.translator = forwardedAsIs(this.api, target) ? null : translator;
    const scope = this.scope!;
    if (mayRecover(provider, scope)) {
      const fallback = fallbackFor(this.routed, scope.fallback);
      const rec = new Recovery(this.client, this.api, this.clientPath, provider, target, this.tokenIndex, opts, fallback);
      // Only a fallback provider needs the client's own body (to convert it anew); retries re-send `body`. Keeping
      // it otherwise would hold one more copy of every large request in flight (README, Robustness, Memory).
      if (fallback !== null) rec.clientBody = detach(clientBody);
      rec.upstreamBody = detach(body);
      rec.anthropicBeta = this.anthropicBeta;
      rec.clientAnthropicVersion = this.clientAnthropicVersion;
      rec.dropped = this.droppedParams;
      rec.stream = result.stream;
      rec.clientIncludeUsage = result.includeUsage;
      rec.contextId = this.id;
      this.recovery = rec;
    }
    this.phase = Phase.Forwarded;
    return true;
  }

  /** The provider's access token could not be had (a key that cannot sign, a refused grant): nothing goes upstream. */
  private refuseForToken(auth: ContextEntry): bool {
    this.phase = Phase.RepliedLocally;
    sendError(this.client, auth.errorStatus, "no access token for the provider: " + auth.error, "ai_proxy_access_token_failed");
    return false;
  }

  /**
   * Whether the complete request body must wait for a callout (access token, system context, then its image URLs),
   * starting the image fetches when their turn comes; the callout's answer resumes it (resumeAfterContext).
   */
  private waitsForCallouts(bodySize: u32): bool {
    const entry = this.pendingEntry();
    if (entry !== null) {
      entry.waiters.push(this.id);
      return true;
    }
    const images = this.imageFetch;
    if (images !== null) return !images.done;
    const provider = this.provider!;
    const target = this.target!;
    const row = provider.row;
    const mod = row !== null ? row.module : null;
    if (mod === null || !mod.inlinesImageUrls(provider) || target.clientSchema != Schema.OpenAIChat || target.upstreamSchema != Schema.GeminiGenerateContent) return false;
    const urls = imageUrlsOf(readRequestBody(bodySize));
    if (urls.length == 0) return false;
    const cluster = propertyOr("cluster_name");
    const f = new ImageFetch(this.id, <i32>min<i64>(this.limit.max, 0x7FFFFFFF), resumeAfterImages);
    this.imageFetch = f;
    return f.start(urls, cluster.length > 0 ? cluster : clusterFor(provider, target));
  }

  /**
   * An original-protocol body, read: raw customSettings set in it and, for a provider that signs, the signature over
   * it set on the held headers (`h` while they are being edited, else through the host).
   */
  private finishOriginalBody(h: HeaderMapEdits | null, sent: Uint8Array): void {
    const provider = this.provider!;
    const body = withRawSettings(sent, provider);
    if (body !== sent) replaceBuffer(BufferType.HttpRequestBody, body);
    const signed = bodyDependentHeaders(provider, this.target!, body, <i64>(nowNanos() / 1000000));
    for (let i = 0; i < signed.length; i++) {
      if (h !== null) h.set(signed[i].key, signed[i].value);
      else replaceHeader(MapType.HttpRequestHeaders, signed[i].key, signed[i].value);
    }
  }

  /** A callout this request's body waits for (access token first, then system context); null when none is pending. */
  private pendingEntry(): ContextEntry | null {
    const auth = this.tokenEntry;
    if (auth !== null && auth.state == ContextState.Pending) return auth;
    const entry = this.contextEntry;
    return entry !== null && entry.state == ContextState.Pending ? entry : null;
  }

  /** An upload streams through the multipart rewriter (its model field mapped), chunk by chunk. */
  private rewriteMultipart(bodySize: u32, endOfStream: bool): DataAction {
    const mp = this.multipart!;
    const target = this.target!;
    if (target.pathNeedsBody) {
      // Azure's resource-only form names the deployment after the upload's (mapped) model: the held headers wait
      // for the whole upload.
      if (!endOfStream) {
        this.buffering = true;
        return DataAction.StopIterationAndBuffer;
      }
      const whole = concatBytes(mp.push(readRequestBody(bodySize)), mp.finish());
      if (mp.error.length > 0) return this.refuseBody(400, mp.error, "ai_proxy_bad_request");
      if (!target.finishPath(mp.upstreamModel, false)) return this.refuseBody(400, "model is required: the provider's URL names it", "ai_proxy_bad_request");
      replaceHeader(MapType.HttpRequestHeaders, ":path", this.upstreamPath());
      replaceBuffer(BufferType.HttpRequestBody, whole);
      return DataAction.Continue;
    }
    let out = mp.push(readBody(BufferType.HttpRequestBody, bodySize));
    if (endOfStream) out = concatBytes(out, mp.finish());
    if (mp.error.length > 0) return this.refuseBody(400, mp.error, "ai_proxy_bad_request");
    replaceBuffer(BufferType.HttpRequestBody, out);
    return DataAction.Continue;
  }

  /** The key this request uses, picked once at its headers ("" for a provider without keys). */
  private token(): string {
    return this.tokenIndex >= 0 ? this.provider!.apiTokens[this.tokenIndex] : "";
  }

  /** The upstream path as sent: with the request's key where the provider takes it in the query (Vertex express). */
  private upstreamPath(): string {
    const target = this.target!;
    return pathWithKey(target.auth, target.path, this.token());
  }

  private startContextFetch(provider: ProviderConfig, token: string): void {
    if (provider.context === null && provider.moonshotFileId.length == 0) return;
    const source = contextSourceOf(provider, propertyOr("cluster_name"), token);
    if (source === null) return;
    const root = this.root as AiProxyRoot;
    this.contextEntry = ensureContext(root.contexts, source, root.id);
  }

  /** The upstream compressed its answer although asked for identity: the client gets a 502 instead. */
  private compressed: bool = false;
  private refuseCompressed(endOfStream: bool): HeadersAction {
    const encoding = headerOr(MapType.HttpResponseHeaders, "content-encoding", "");
    const message = "upstream answered with content-encoding " + printable(encoding, 40) + " although asked for identity";
    if (endOfStream) return this.refuse(502, message, "ai_proxy_upstream_compressed");
    this.compressed = true;
    this.compressedMessage = message;
    replaceHeader(MapType.HttpResponseHeaders, ":status", "502");
    replaceHeader(MapType.HttpResponseHeaders, "content-type", "application/json");
    removeHeader(MapType.HttpResponseHeaders, "content-encoding");
    removeHeader(MapType.HttpResponseHeaders, "content-length");
    return HeadersAction.Continue;
  }
  private compressedMessage: string = "";

  private convertErrorBody(bodySize: u32, endOfStream: bool): DataAction {
    if (!endOfStream) return DataAction.StopIterationAndBuffer;
    replaceBuffer(BufferType.HttpResponseBody, convertErrorBody(this.client, this.responseStatus, readBody(BufferType.HttpResponseBody, bodySize)));
    return DataAction.Continue;
  }
  /** The compressed bytes never reach the client (nor the JSON reader); the error goes out at the end. */
  private replaceCompressedBody(endOfStream: bool): DataAction {
    replaceBuffer(BufferType.HttpResponseBody, endOfStream ? errorBody(this.client, 502, this.compressedMessage) : new Uint8Array(0));
    return DataAction.Continue;
  }

  /** An API forwarded without translation: its error body may still echo the provider key (redacted). */
  private redactBody: bool = false;
  /** The error body of a known API (not `protocol: original`) is also put in the client's shape. */
  private convertUntranslated: bool = false;
  private guardUntranslatedError(): HeadersAction {
    const status = I32.parseInt(headerOr(MapType.HttpResponseHeaders, ":status", "0"));
    if (status >= 200 && status < 300) return HeadersAction.Continue;
    this.redactBody = true;
    removeHeader(MapType.HttpResponseHeaders, "content-length");
    if (this.api != ApiName.Unknown && this.provider!.protocol != "original") {
      this.convertUntranslated = true;
      const clientStatus = clientErrorStatus(this.client, status);
      if (clientStatus != status) replaceHeader(MapType.HttpResponseHeaders, ":status", clientStatus.toString());
      replaceHeader(MapType.HttpResponseHeaders, "content-type", "application/json");
    }
    return HeadersAction.Continue;
  }

  /**
   * Records the answer against the token and the provider's breaker; for a failed answer that can still be
   * recovered from, starts the next attempt (the response headers stay held until it answers).
   */
  private recoverFrom(status: i32): bool {
    const provider = this.provider!;
    const rec = this.recovery;
    // Only providers the plugin may call itself (retries, fallback, health checks) need their cluster learned.
    const cluster = rec !== null || provider.failover.enabled ? propertyOr("cluster_name") : "";
    rememberCluster(provider, cluster);
    if (rec === null) {
      new TokenPool(provider).recordStatus(this.tokenIndex, status);
      return false;
    }
    rec.recordAnswer(status);
    if ((status >= 200 && status < 300) || !rec.canRecover(status)) return false;
    rec.cluster = clusterFor(provider, this.target!);
    // The recovered answer arrives as a local reply that replaces this response.
    return rec.startNext(status);
  }

  /** Routing answered at the headers (model list, no route) or holds them until the body names the model. */
  private unrouted(r: RoutedRequest, scope: Scope, maxBody: i64): HeadersAction {
    this.api = r.api;
    this.client = r.client;
    this.scope = scope;
    if (r.pending) {
      this.phase = Phase.Request;
      this.limit = new BodyLimit(maxBody);
      raiseDecoderBufferLimit(maxBody);
      return HeadersAction.StopIteration;
    }
    this.routed = null;
    this.phase = Phase.RepliedLocally;
    if (r.answer !== null) sendJson(200, r.answer!, []);
    else sendError(this.client, r.errorStatus, r.error, "ai_proxy_no_route");
    return HeadersAction.StopIteration;
  }

  private refuse(status: i32, message: string, details: string): HeadersAction {
    this.phase = Phase.RepliedLocally;
    sendError(this.client, status, message, details);
    return HeadersAction.StopIteration;
  }

  private refuseBody(status: i32, message: string, details: string): DataAction {
    this.phase = Phase.RepliedLocally;
    sendError(this.client, status, message, details);
    return DataAction.StopIterationNoBuffer;
  }

  private fail(status: i32, message: string): bool {
    this.phase = Phase.RepliedLocally;
    sendError(this.client, status, message, "ai_proxy_bad_request");
    return false;
  }
}

/** The context-file callout resumes its waiting streams through here (context-file.ts knows no stream type). */
function resumeAfterContext(streamId: u32, entry: ContextEntry): void {
  const s = getStream(streamId);
  if (s !== null && s instanceof AiProxyStream) (s as AiProxyStream).resumeAfterContext();
}
setContextResume(resumeAfterContext);

/** The image fetches of a stream's request are all answered (image-fetch.ts; the stream is the effective context). */
function resumeAfterImages(streamId: u32): void {
  const s = getStream(streamId);
  if (s !== null && s instanceof AiProxyStream) (s as AiProxyStream).resumeAfterContext();
}

/** The provider module's edits of a converted non-chat request (Vertex AI's safetySettings on images); null: none. */
function moduleEdits(p: ProviderConfig, body: Uint8Array, upstream: Schema): Uint8Array | null {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  return mod !== null ? mod.editRequest(p, body, upstream) : null;
}

let warnedHold = false;

/**
 * Once per VM: a request whose headers wait for its body on a host that may not let them (stock Envoy without
 * allow_on_headers_stop_iteration turns the wait into a stall; Higress keeps it, see abi/exports.ts).
 */
function warnHoldWithoutSetting(p: ProviderConfig, allowed: bool): void {
  if (warnedHold || allowed || hostIsHigress()) return;
  warnedHold = true;
  logWarn("ai-proxy: provider " + p.type + " needs the request body before its headers can go (a model in the URL, a signature over the body): " +
    "on Envoy set allow_on_headers_stop_iteration: true and the top-level allowOnHeadersStopIteration: true, or such requests stall");
}

/** A forwarded API not converted to a provider's own schema (DashScope's native rerank, Imagen are): body and answer pass as they are, the model mapped. */
function forwardedAsIs(api: ApiName, target: UpstreamTarget): bool {
  return isForwarded(api) && (target.upstreamSchema == Schema.None || target.upstreamSchema == target.clientSchema);
}


/** The answer is compressed (content-encoding other than identity): the plugin asked for identity everywhere. */
function isCompressed(): bool {
  const e = getHeader(MapType.HttpResponseHeaders, "content-encoding");
  if (e === null) return false;
  const v = e.trim().toLowerCase();
  return v.length > 0 && v != "identity";
}


/**
 * A fast upstream can hand one body callback megabytes of SSE. Translating it whole would size the VM's linear memory
 * (which never shrinks) after the largest read; slice by slice, each slice's output appended behind the unread input
 * and the input drained at the end, the VM holds one slice and its output at a time.
 */
const STREAM_SLICE: u32 = 65536;
function translateStreamInSlices(translator: ResponseTranslator, bodySize: u32, endOfStream: bool): DataAction {
  let written: u32 = 0;
  for (let at: u32 = 0; at < bodySize; at += STREAM_SLICE) {
    const slice = getBuffer(BufferType.HttpResponseBody, at, min(STREAM_SLICE, bodySize - at));
    if (slice === null) break;
    written += appendToBody(translator.chunk(Uint8Array.wrap(slice)), bodySize + written);
  }
  if (endOfStream) written += appendToBody(translator.end(), bodySize + written);
  setBuffer(BufferType.HttpResponseBody, 0, bodySize, new Uint8Array(0));
  return DataAction.Continue;
}

function appendToBody(out: Uint8Array, at: u32): u32 {
  if (out.length == 0) return 0;
  setBuffer(BufferType.HttpResponseBody, at, 0, out);
  return <u32>out.length;
}

function redactErrorBody(bodySize: u32, endOfStream: bool): DataAction {
  if (!endOfStream) return DataAction.StopIterationAndBuffer;
  const whole = getBuffer(BufferType.HttpResponseBody, 0, bodySize);
  if (whole === null) return DataAction.Continue;
  const bytes = Uint8Array.wrap(whole);
  const out = redactSecrets(bytes);
  if (out !== bytes) replaceBuffer(BufferType.HttpResponseBody, out);
  return DataAction.Continue;
}

/** APIs that only take a POST with a JSON body (GET /v1/models and the batches API take other methods). */
function postOnly(api: ApiName): bool {
  return api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Embeddings || api == ApiName.CountTokens ||
    api == ApiName.Completions || api == ApiName.AnthropicComplete || api == ApiName.Responses;
}

function headerOr(map: MapType, key: string, def: string): string {
  const v = getHeader(map, key);
  return v === null ? def : v;
}

function propertyOr(name: string): string {
  const v = getPropertyString([name]);
  return v === null ? "" : v;
}

/**
 * The route or cluster name a rule matches: Higress (Envoy 1.27) answers it at the top level, upstream Envoy only as
 * `xds.<name>` (asked only when the configuration has such rules).
 */
function matchedName(name: string): string {
  let v = getPropertyString([name]);
  if (v === null) v = getPropertyString(["xds", name]);
  return v === null ? "" : v;
}

/** The whole request body; a large one is read into a reused block (bytes/large-buffers.ts), valid until the callback returns. */
function readRequestBody(size: u32): Uint8Array {
  if (size < <u32>LARGE_BLOCK_BYTES || size == 0xFFFFFFFF) return readBody(BufferType.HttpRequestBody, size);
  const block = acquireLargeBlock(<i32>size);
  const n = getBufferInto(BufferType.HttpRequestBody, block);
  return n <= 0 ? new Uint8Array(0) : Uint8Array.wrap(block, 0, n);
}

function readBody(type: BufferType, size: u32): Uint8Array {
  const b = getBuffer(type, 0, size);
  return b === null ? new Uint8Array(0) : Uint8Array.wrap(b);
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

/** The active provider, or the first fallback provider whose circuit breaker lets traffic through. */
function chooseProvider(scope: Scope): ProviderConfig | null {
  const active = scope.active;
  const fallback = scope.fallback;
  if (active === null || fallback === null) return active;
  const now = nowMillis();
  if (isAvailable(active, now)) return active;
  for (let i = 0; i < fallback.providers.length; i++) if (isAvailable(fallback.providers[i], now)) return fallback.providers[i];
  return active; // every provider is cooling down: keep trying the primary rather than failing outright
}

/** generic: any path goes on as it came (host and key rewritten), the client's host when genericHost is unset. */
function keepsClientPath(p: ProviderConfig): bool {
  const row = p.row;
  return row !== null && row.endpoints.length == 0;
}

function mayRecover(p: ProviderConfig, scope: Scope): bool {
  return p.retryOnFailure.enabled || scope.fallback !== null;
}

/**
 * A success the host does not report as the upstream's (`response.code_details` other than `via_upstream`: a cache
 * filter's answer, Higress's ai-cache, a test host that marks nothing) is not in the provider's wire format: it passes
 * untouched, as Higress's ai-proxy leaves it. Errors are still answered in the client's protocol whatever made them.
 */
function isAnotherFiltersAnswer(status: i32): bool {
  if (status >= 300) return false;
  const details = getPropertyString(["response", "code_details"]);
  return details === null || details != "via_upstream";
}
