// One request through the operations layer. The stream (plugin/stream.ts) makes one call per hook:
//   request headers   admit()          virtual key (401), budget and limits (429 with retry-after), tags from headers
//   request body end  onRequestBody()  model allowed (403), tags and end user, redaction, cache lookup (a hit answers)
//   response          onResponseHeaders() / onResponseBody()   x-ai-proxy-cache, time to first token, usage of
//                     same-protocol answers, the cache entry, access-log fields
//   access log        onLog()          cost, budget spending, metrics
import {
  BufferType, getBuffer, getHeader, HeaderMapEdits, HeaderPair, MapType, monotonicNanos, nowMillis, removeHeader, replaceBuffer,
  replaceHeader, sendLocalResponse, setProperty,
} from "../abi";
import { ByteBuffer } from "../bytes/buffer";
import { Consumer, OpsConfig } from "../config/ops-config";
import { interopProblem, JsonParser, ObjectEdits, spliceObject } from "../json";
import { Protocol } from "../protocol/api";
import { sendError } from "../plugin/reply";
import { ResponseTranslator, Usage } from "../translate";
import { PassthroughTranslator } from "../translate/passthrough";
import { readAnthropicUsage, readOpenAIUsage } from "../translate/usage";
import { modelLabel, RequestFigures, recordOps } from "../metrics/ops-metrics";
import { admit, isMetered, spend } from "./budgets";
import { cacheGet, cacheKey, cachePut, isCacheable } from "./cache";
import { allowsModel, clientKey, findConsumer } from "./consumers";
import { costMicroUsd } from "./cost";
import { redactRequest, ResponseRedactor } from "./redaction";
import { Attribution, attributionFromBody, labelAttribution, tagFromHeaders } from "./tags";

/** `path` without the first configured base path it starts with (`/anthropic/v1/messages` → `/v1/messages`). */
export function stripBasePath(ops: OpsConfig | null, path: string): string {
  if (ops === null) return path;
  for (let i = 0; i < ops.basePaths.length; i++) {
    const p = ops.basePaths[i];
    if (path.startsWith(p) && (path.length == p.length || path.charCodeAt(p.length) == 0x2F || path.charCodeAt(p.length) == 0x3F)) {
      const rest = path.substring(p.length);
      return rest.length == 0 || rest.charCodeAt(0) != 0x2F ? "/" + rest : rest;
    }
  }
  return path;
}

export class OpsRequest {
  /** The client was answered (refused, or served from the cache): the stream stops here. */
  replied: bool = false;
  consumer: Consumer | null = null;
  attribution: Attribution = new Attribution();
  model: string = "";
  private startNs: u64 = monotonicNanos();
  private firstByteNs: u64 = 0;
  private lastByteNs: u64 = 0;
  private cacheHash: Uint8Array | null = null;
  private cacheHit: bool = false;
  private captured: ByteBuffer | null = null;
  /** Usage read from the answer the client gets (same-protocol answers: the translator does not read it). */
  private meterUsage: Usage | null = null;
  private meterLine: ByteBuffer | null = null;
  private meterParser: JsonParser | null = null;
  private status: i32 = 0;
  private finished: bool = false;
  private figures: RequestFigures = new RequestFigures();
  private translator: ResponseTranslator | null = null;
  private redactor: ResponseRedactor | null = null;
  private settled: bool = false;

  constructor(public ops: OpsConfig, public client: Protocol) {}

  /** Request headers: the virtual key, budgets and limits. A refused request has `replied` set. */
  static admit(ops: OpsConfig | null, h: HeaderMapEdits, client: Protocol): OpsRequest | null {
    if (ops === null) return null;
    const r = new OpsRequest(ops, client);
    tagFromHeaders(ops, h, r.attribution);
    if (!ops.hasConsumers) return r;
    const consumer = findConsumer(ops, clientKey(h));
    if (consumer === null) return r.refuse(401, "a valid API key is required (Authorization: Bearer, x-api-key or api-key)", "ai_proxy_unauthorized", null);
    r.consumer = consumer;
    if (isMetered(consumer)) {
      const a = admit(consumer, nowMillis() / 1000);
      if (a.retryAfter > 0) {
        return r.refuse(429, "consumer " + consumer.name + " exceeded its " + a.reason + "; retry after " + a.retryAfter.toString() + " s",
          "ai_proxy_rate_limited", [new HeaderPair("retry-after", a.retryAfter.toString())]);
      }
    }
    return r;
  }

  private refuse(status: i32, message: string, details: string, headers: Array<HeaderPair> | null): OpsRequest {
    this.replied = true;
    this.status = status;
    this.setLogFields();
    sendError(this.client, status, message, details, headers);
    return this;
  }

  /**
   * The client's whole request body (chat APIs): the consumer's model allow-list, tags and end user (LiteLLM's
   * litellm_metadata removed), redaction, and the cache. Returns the body to translate; `replied` when answered.
   * A body that is not valid JSON is returned as it came: the translator refuses it in the client's protocol.
   */
  onRequestBody(body: Uint8Array, scopeKey: string): Uint8Array {
    const ops = this.ops;
    let root = bodyParser.parse(body, 64);
    if (root === null || !root.isObject() || interopProblem(root).length > 0) return body;
    const m = root.get("model");
    this.model = m !== null && m.isString() ? m.str() : "";
    const consumer = this.consumer;
    if (consumer !== null && !allowsModel(consumer, this.model)) {
      this.refuse(403, "consumer " + consumer.name + " may not use model " + printable(this.model), "ai_proxy_model_not_allowed", null);
      return body;
    }
    let out = body;
    if (attributionFromBody(root, this.attribution)) {
      const spliced = spliceObject(root, new ObjectEdits().remove("litellm_metadata"));
      if (spliced !== null) {
        out = spliced;
        root = bodyParser.parse(out, 64);
        if (root === null) return out;
      }
    }
    labelAttribution(ops, this.attribution);
    if (ops.redaction.length > 0) {
      const redacted = redactRequest(ops, root);
      if (redacted !== null) {
        out = redacted;
        root = bodyParser.parse(out, 64);
        if (root === null) return out;
      }
    }
    if (isCacheable(ops, root)) {
      const stream = root.getBool("stream", false);
      const hash = cacheKey(scopeKey + (this.client == Protocol.Anthropic ? " anthropic" : " openai"), root);
      const hit = cacheGet(ops, hash, nowMillis());
      if (hit !== null) {
        this.cacheHit = true;
        this.replied = true;
        this.status = 200;
        this.setLogFields();
        sendLocalResponse(200, "ai_proxy_cache_hit", hit, [
          new HeaderPair("content-type", stream ? "text/event-stream" : "application/json"),
          new HeaderPair("x-ai-proxy-cache", "hit"),
        ]);
        return out;
      }
      this.cacheHash = hash;
    }
    this.setLogFields();
    return out;
  }

  /** Response headers went on (status as the client sees it). */
  onResponseHeaders(translator: ResponseTranslator | null): void {
    this.translator = translator;
    this.status = I32.parseInt(headerOr(":status", "0"));
    if (this.cacheHash !== null) {
      replaceHeader(MapType.HttpResponseHeaders, "x-ai-proxy-cache", "miss");
      if (this.status == 200) this.captured = new ByteBuffer(4096);
    }
    if (translator !== null && translator instanceof PassthroughTranslator) this.meterUsage = new Usage();
    if (this.ops.redactResponses && this.ops.redaction.length > 0) {
      this.redactor = new ResponseRedactor(this.ops);
      removeHeader(MapType.HttpResponseHeaders, "content-length");
    }
  }

  /** After the stream wrote this callback's client-bound bytes and let them go on. */
  onResponseBody(endOfStream: bool, stream: bool): void {
    if (this.finished) return;
    const capture = this.captured;
    const meter = this.meterUsage;
    const redactor = this.redactor;
    if (this.firstByteNs == 0 || capture !== null || meter !== null || redactor !== null) {
      const buf = getBuffer(BufferType.HttpResponseBody);
      let bytes = buf === null ? new Uint8Array(0) : Uint8Array.wrap(buf);
      if (redactor !== null) {
        const out = redactor.push(bytes, endOfStream);
        if (out !== bytes) {
          replaceBuffer(BufferType.HttpResponseBody, out);
          // A held answer went out with its exact length (stream.ts releaseHeldResponse): keep it exact.
          if (!stream && getHeader(MapType.HttpResponseHeaders, "content-length") !== null) {
            replaceHeader(MapType.HttpResponseHeaders, "content-length", out.length.toString());
          }
        }
        bytes = out;
      }
      const n = bytes.length;
      if (n > 0) {
        const now = monotonicNanos();
        if (this.firstByteNs == 0) this.firstByteNs = now;
        this.lastByteNs = now;
        if (capture !== null) {
          if (<i64>(capture.length + n) > this.ops.cacheMaxEntryBytes) this.captured = null;
          else capture.pushBytes(bytes);
        }
        if (meter !== null) {
          if (stream) this.meter(bytes);
          else if (endOfStream) this.readUsage(bytes); // a whole body comes in one piece (buffered by the stream)
        }
      }
    }
    if (!endOfStream) return;
    this.finished = true;
    this.settle(this.translator);
    // A held answer's status is final only now (once headers went on, runtimes may no longer show them: keep ours).
    const final = I32.parseInt(headerOr(":status", "0"));
    if (final != 0) this.status = final;
    const c = this.captured;
    const hash = this.cacheHash;
    if (c !== null && hash !== null && this.status == 200) {
      const answer = c.take();
      // A stream that ended in an error event (or a body carrying one) is not an answer to repeat.
      if (!contains(answer, "\"error\"")) cachePut(this.ops, hash, nowMillis(), answer);
    }
    this.captured = null;
  }

  /** Usage from the client-bound SSE: `data:` lines that carry `"usage"` (split anywhere across callbacks). */
  private meter(bytes: Uint8Array): void {
    let line = this.meterLine;
    if (line === null) { line = new ByteBuffer(256); this.meterLine = line; }
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] != 0x0A) continue;
      line.pushSlice(bytes, from, i);
      this.meterLineDone(line);
      from = i + 1;
    }
    if (from < bytes.length && line.length < 1048576) line.pushSlice(bytes, from, bytes.length);
  }

  private meterLineDone(line: ByteBuffer): void {
    const b = line.take();
    if (b.length > 6 && b[0] == 0x64 && b[4] == 0x3A && contains(b, "\"usage\"")) this.readUsage(b.subarray(5));
  }

  private readUsage(json: Uint8Array): void {
    let p = this.meterParser;
    if (p === null) { p = new JsonParser(); this.meterParser = p; }
    const root = p.parse(json, 64);
    if (root === null || !root.isObject()) return;
    const u = this.meterUsage!;
    if (this.client == Protocol.Anthropic) {
      const msg = root.get("message");
      const usage = msg !== null && msg.isObject() ? msg.get("usage") : root.get("usage");
      if (usage !== null) readAnthropicUsage(usage, u);
    } else {
      const usage = root.get("usage");
      if (usage !== null) readOpenAIUsage(usage, u);
    }
  }

  /**
   * Usage and cost, once the answer is complete (its end, or the access-log phase for answers that ended otherwise),
   * written to filter state so Envoy's access log can print them.
   */
  private settle(translator: ResponseTranslator | null): void {
    if (this.settled) return;
    this.settled = true;
    const f = this.figures;
    const meter = this.meterUsage;
    const usage: Usage | null = meter !== null ? meter : (translator !== null ? translator.usage : null);
    if (usage !== null && !this.cacheHit) {
      f.inputTokens = usage.inputTokens;
      f.outputTokens = usage.outputTokens;
      f.cacheReadTokens = usage.cacheReadTokens;
      f.cacheWriteTokens = usage.cacheCreationTokens;
      f.microUsd = costMicroUsd(this.ops, translator !== null && translator.model.length > 0 ? translator.model : this.model, usage);
    }
    setField("input_tokens", (pos(f.inputTokens) + pos(f.cacheReadTokens) + pos(f.cacheWriteTokens)).toString());
    setField("output_tokens", pos(f.outputTokens).toString());
    setField("cost_usd", microToUsd(f.microUsd));
  }

  /** Access-log phase: the consumer's spending, metrics. */
  onLog(provider: string, status: i32, translator: ResponseTranslator | null): void {
    const f = this.figures;
    f.status = this.status != 0 ? this.status : status;
    f.cacheHit = this.cacheHit;
    this.settle(translator);
    const end = monotonicNanos();
    f.latencyMs = <i64>((end - this.startNs) / 1000000);
    if (this.firstByteNs > 0) {
      f.ttftMs = <i64>((this.firstByteNs - this.startNs) / 1000000);
      const spanNs = this.lastByteNs > this.firstByteNs ? this.lastByteNs - this.firstByteNs : end - this.startNs;
      if (f.outputTokens > 0 && spanNs > 0) f.tokensPerSecond = <i64>(<f64>f.outputTokens * 1e9 / <f64>spanNs);
    }
    const tokens = pos(f.inputTokens) + pos(f.outputTokens) + pos(f.cacheReadTokens) + pos(f.cacheWriteTokens);
    const consumer = this.consumer;
    if (consumer !== null && isMetered(consumer)) spend(consumer, nowMillis() / 1000, tokens, f.microUsd);
    const a = this.attribution;
    if (a.tagLabel == "none" && a.tag.length > 0) labelAttribution(this.ops, a);
    recordOps(provider, modelLabel(this.model), consumer !== null ? consumer.label : "none", a.tagLabel, a.userLabel, f);
  }

  /** Request fields for the access log (filter state `wasm.ai_proxy.*`, see envoy/envoy.yaml). */
  private setLogFields(): void {
    setField("model", this.model);
    const c = this.consumer;
    if (c !== null) setField("consumer", c.name);
    if (this.attribution.tag.length > 0) setField("tag", this.attribution.tag);
    if (this.attribution.user.length > 0) setField("user", this.attribution.user);
    if (this.cacheHit) setField("cache", "hit");
  }
}

/** One parse tape for every request body of this VM (values never outlive onRequestBody). */
const bodyParser = new JsonParser();

function setField(name: string, value: string): void {
  setProperty(["ai_proxy." + name], String.UTF8.encode(value));
}

@inline function pos(n: i64): i64 { return n > 0 ? n : 0; }

function microToUsd(micro: i64): string {
  const whole = micro / 1000000;
  let frac = (micro % 1000000).toString();
  while (frac.length < 6) frac = "0" + frac;
  return whole.toString() + "." + frac;
}

function contains(b: Uint8Array, needle: string): bool {
  const n = needle.length;
  for (let i = 0; i + n <= b.length; i++) {
    let j = 0;
    while (j < n && <i32>b[i + j] == needle.charCodeAt(j)) j++;
    if (j == n) return true;
  }
  return false;
}

function printable(s: string): string {
  let out = "";
  for (let i = 0; i < s.length && i < 100; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7F && c != 0x22 && c != 0x5C ? String.fromCharCode(c) : "?";
  }
  return out;
}

function headerOr(key: string, def: string): string {
  const v = getHeader(MapType.HttpResponseHeaders, key);
  return v === null ? def : v;
}
