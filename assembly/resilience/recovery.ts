// Retries and provider fallback before the first response byte reaches the client. When the upstream answers a
// retryable status, the stream holds the response headers and this handler re-sends the request through HTTP
// callouts: first the same provider with another token (retryOnFailure), then the fallback providers in order,
// each with its own protocol conversion and model mapping. The final answer is converted like a forwarded one
// would have been and sent as a local reply, which in Envoy replaces the held upstream response.
import {
  BufferType, dispatchHttpCall, getBuffer, getHeader, HeaderPair, HttpCallHandler, logInfo, MapType,
  nowMillis, sendLocalResponse,
} from "../abi";
import { FallbackConfig } from "../config/fallback-config";
import { ProviderConfig } from "../config/provider-config";
import { concatBytes } from "../bytes/utf8";
import { errorBody } from "../protocol/errors";
import { ApiName, isChatApi, Protocol } from "../protocol/api";
import { editChatRequestFor } from "../plugin/request-edits";
import { resolveTarget, UpstreamTarget } from "../providers/resolve";
import { optionsFor } from "../providers/translate-options";
import { detach } from "../bytes/large-buffers";
import { answerTranslatorFor, translateBody, TranslateOptions } from "../translate";
import { isAvailable, recordOutcome } from "./circuit-breaker";
import { TokenPool } from "./token-health";
import { calloutHeaders, withBodyHeaders } from "./upstream-request";

/** Learned cluster names per provider (Envoy cluster of its last forwarded request), else its host. */
const clusters = new Map<string, string>();
export function rememberCluster(p: ProviderConfig, cluster: string): void {
  if (cluster.length > 0) clusters.set(providerName(p), cluster);
}
/** The Envoy cluster for callouts to `p`: the configured one, else the one its traffic last went to, else its host. */
export function clusterFor(p: ProviderConfig, target: UpstreamTarget): string {
  if (p.calloutCluster.length > 0) return p.calloutCluster;
  const name = providerName(p);
  return clusters.has(name) ? clusters.get(name) : target.authority;
}
function providerName(p: ProviderConfig): string {
  return p.id.length > 0 ? p.id : p.type;
}

export class Recovery extends HttpCallHandler {
  // What the client sent, kept to re-send it.
  clientBody: Uint8Array = new Uint8Array(0);
  anthropicBeta: string | null = null;
  /** The Anthropic client's own anthropic-version: it reaches providers that do not pin claudeVersion. */
  clientAnthropicVersion: string | null = null;
  /** Fields the current attempt's translation left out (x-ai-proxy-dropped-params), comma-separated. */
  dropped: string = "";
  // The attempt in flight (initially the forwarded request).
  provider: ProviderConfig;
  target: UpstreamTarget;
  tokenIndex: i32;
  upstreamBody: Uint8Array = new Uint8Array(0);
  opts: TranslateOptions;
  stream: bool = false;
  clientIncludeUsage: bool = false;
  cluster: string = "";
  attempts: i32 = 1;
  /** The final answer went out as a local reply (it replaces the held upstream response). */
  replied: bool = false;
  private retriesLeft: i32;
  private retryDeadlineMs: u64;
  private nextFallback: i32 = 0;

  constructor(
    public client: Protocol, public api: ApiName, public clientPath: string,
    provider: ProviderConfig, target: UpstreamTarget, tokenIndex: i32, opts: TranslateOptions,
    public fallback: FallbackConfig | null,
  ) {
    super();
    this.provider = provider;
    this.target = target;
    this.tokenIndex = tokenIndex;
    this.opts = opts;
    const r = provider.retryOnFailure;
    this.retriesLeft = r.enabled ? r.maxRetries : 0;
    this.retryDeadlineMs = nowMillis() + <u64>r.retryTimeout;
  }

  /** Whether a failed answer with `status` (0: no answer) can still be recovered from. */
  canRecover(status: i32): bool {
    return this.canRetry(status) || this.nextFallbackIndex(status) >= 0;
  }

  private canRetry(status: i32): bool {
    if (this.retriesLeft <= 0 || nowMillis() >= this.retryDeadlineMs) return false;
    return this.provider.retryOnFailure.retryOnStatus.matches(statusText(status));
  }

  private nextFallbackIndex(status: i32): i32 {
    const f = this.fallback;
    if (f === null || !f.onStatus.matches(statusText(status))) return -1;
    const now = nowMillis();
    for (let i = this.nextFallback; i < f.providers.length; i++) {
      const p = f.providers[i];
      if (p !== this.provider && isAvailable(p, now)) return i;
    }
    return -1;
  }

  /** Counts an answer of the current attempt against its token and its provider's breaker. */
  recordAnswer(status: i32): void {
    const effective = status == 0 ? 503 : status;
    new TokenPool(this.provider).recordStatus(this.tokenIndex, effective);
    const f = this.fallback;
    if (f !== null && recordOutcome(this.provider, f.breaker, f.onStatus.matches(effective.toString()), nowMillis())) {
      logInfo("ai-proxy: provider " + providerName(this.provider) + " is failing; skipping it for " + f.breaker.coolDownMs.toString() + " ms");
    }
  }

  /** Starts the next attempt for a failed `status`; false when there is none left (or none could be sent). */
  startNext(status: i32): bool {
    while (true) {
      if (this.canRetry(status)) {
        this.retriesLeft--;
        const pool = new TokenPool(this.provider);
        const token = pool.pick(this.tokenIndex);
        if (token >= 0) this.tokenIndex = token;
        if (this.send()) return true;
        continue;
      }
      const i = this.nextFallbackIndex(status);
      if (i < 0) return false;
      this.nextFallback = i + 1;
      const models = this.fallback!.models;
      if (this.switchTo(this.fallback!.providers[i], i < models.length ? models[i] : "")) {
        if (this.send()) return true;
      }
    }
    return false;
  }

  private switchTo(p: ProviderConfig, model: string): bool {
    const target = resolveTarget(p, this.api, this.client, this.clientPath);
    if (target.authority.length == 0) return false;
    const opts = optionsFor(p, this.opts.nowSeconds);
    opts.model = model;
    opts.contentType = this.opts.contentType; // a multipart upload converted anew (Vertex AI's image edits)
    const translated = translateBody(target.clientSchema, target.upstreamSchema, this.clientBody, opts);
    if (!translated.ok || !target.finishPath(translated.upstreamModel, translated.stream)) return false;
    opts.model = translated.upstreamModel;
    let body = translated.body;
    if (isChatApi(this.api, target.upstreamSchema)) {
      // The fallback provider's own request edits, as its forwarded requests get them (customSettings,
      // bedrockAdditionalFields, claudeCodeMode's system line, Vertex AI's anthropic_version …).
      const edited = editChatRequestFor(body, target, p, opts.maxTokensField, "");
      if (!edited.ok) return false;
      body = edited.body;
    }
    const token = new TokenPool(p).pick();
    if (token < 0 && p.apiTokens.length > 0) return false;
    this.provider = p;
    this.target = target;
    this.opts = opts;
    this.tokenIndex = token;
    this.upstreamBody = detach(body); // kept for further attempts, past this callback (bytes/large-buffers.ts)
    this.dropped = translated.dropped.join(",");
    this.cluster = clusterFor(p, target);
    this.retriesLeft = p.retryOnFailure.enabled ? p.retryOnFailure.maxRetries : 0;
    this.retryDeadlineMs = nowMillis() + <u64>p.retryOnFailure.retryTimeout;
    logInfo("ai-proxy: falling back to provider " + providerName(p));
    return true;
  }

  private send(): bool {
    const token = this.tokenIndex >= 0 && this.tokenIndex < this.provider.apiTokens.length ? this.provider.apiTokens[this.tokenIndex] : "";
    const version = this.provider.claudeVersionPinned || this.clientAnthropicVersion === null ? this.provider.claudeVersion : this.clientAnthropicVersion!;
    const headers = withBodyHeaders(calloutHeaders(this.target, token, version, this.anthropicBeta), this.provider, this.target, this.upstreamBody, <i64>nowMillis());
    const timeout = <u32>min(<u64>this.provider.timeout, max<u64>(1000, this.retryDeadlineMs - min(this.retryDeadlineMs, nowMillis())));
    const cluster = this.cluster.length > 0 ? this.cluster : this.target.authority;
    this.attempts++;
    return dispatchHttpCall(cluster, headers, this.upstreamBody, timeout, this);
  }

  onHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    const status = numHeaders == 0 ? 0 : I32.parseInt(headerOr(":status", "0"));
    const contentType = numHeaders == 0 ? "" : headerOr("content-type", "");
    const raw = bodySize > 0 ? getBuffer(BufferType.HttpCallResponseBody, 0, bodySize) : null;
    const body = raw === null ? new Uint8Array(0) : Uint8Array.wrap(raw);
    this.recordAnswer(status);
    if (status >= 200 && status < 300) {
      this.reply(status, contentType, body);
      return;
    }
    if (this.startNext(status)) return;
    this.reply(status, contentType, body);
  }

  /** The final answer, converted for the client, replacing the held upstream response. */
  reply(status: i32, contentType: string, body: Uint8Array): void {
    const tr = answerTranslatorFor(this.target.clientSchema, this.target.upstreamSchema, this.opts, this.stream, this.clientIncludeUsage);
    let out: Uint8Array;
    let clientStatus = status;
    let outType = "application/json";
    if (status == 0) {
      clientStatus = 503;
      out = errorBody(this.client, 503, "upstream unavailable after " + this.attempts.toString() + " attempt(s)");
    } else if (status >= 200 && status < 300 && contentType.startsWith("text/event-stream")) {
      out = concatBytes(tr.chunk(body), tr.end());
      outType = "text/event-stream";
    } else if (status >= 200 && status < 300) {
      // A 2xx comes from a callout answer, whose headers are at hand.
      const usageHeader = tr.usageHeader();
      if (usageHeader.length > 0) tr.usageHeaderValue = headerOr(usageHeader, "");
      out = tr.body(body, status);
      clientStatus = tr.clientStatus(status);
    } else {
      out = tr.error(status, body);
      clientStatus = tr.clientStatus(status);
    }
    const headers: Array<HeaderPair> = [
      new HeaderPair("content-type", outType),
      new HeaderPair("x-ai-proxy-attempts", this.attempts.toString()),
    ];
    if (this.dropped.length > 0) headers.push(new HeaderPair("x-ai-proxy-dropped-params", this.dropped));
    this.replied = true;
    sendLocalResponse(<u32>clientStatus, "ai_proxy_recovered", out, headers);
  }
}

function statusText(status: i32): string {
  return (status == 0 ? 503 : status).toString();
}

function headerOr(key: string, def: string): string {
  const v = getHeader(MapType.HttpCallResponseHeaders, key);
  return v === null ? def : v;
}
