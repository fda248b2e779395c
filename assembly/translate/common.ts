// Types shared by every translator: options, the request result, usage, and the
// ResponseTranslator base class (one instance per request; streaming state lives in the
// subclasses' typed fields).

import { interopProblem } from "../json/interop";
import { parseJson } from "../json/parse";
import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { ModelMapping } from "../mapping/model-mapping";
import { ModelTraits, ModelTraitsTable, traitsFor } from "../mapping/model-traits";
import { Protocol } from "../protocol/api";
import { topLevelProblem } from "../protocol/validate";
import { isEmptyString, keyIn, kindName, typeOf } from "./util";

/** Per-request translation options (built by the plugin from its configuration). */
export class TranslateOptions {
  /** OpenAI chat clients: a choice with reasoning but no text gets the reasoning as text (promote-thinking.ts). */
  promoteThinkingOnEmpty: bool = false;
  /** The model to put upstream; "" applies `modelMapping` (or keeps the request's own). */
  model: string = "";
  /** The provider's modelMapping, applied to the requested model while the body is parsed anyway. */
  modelMapping: ModelMapping | null = null;
  /**
   * What to do with reasoning text in responses (OpenAI `reasoning_content`/`reasoning` ⇄
   * Anthropic `thinking` blocks): "passthrough" converts it, "ignore" drops it, "concat"
   * puts it in the visible text wrapped in `<think>…</think>`. Unknown values act as
   * "passthrough". In requests, "passthrough" also forwards assistant thinking history as
   * `reasoning_content` to OpenAI upstreams; the other modes drop it.
   */
  reasoningContentMode: string = "passthrough";
  /** `max_tokens` for Anthropic upstreams when the OpenAI client sent none (Anthropic requires it). */
  defaultMaxTokens: i32 = 4096;
  /** Ask OpenAI upstreams for the usage chunk (`stream_options.include_usage`) on streams. */
  includeUsage: bool = true;
  /** Field that carries the token limit to OpenAI upstreams: "max_tokens" or "max_completion_tokens". */
  maxTokensField: string = "max_tokens";
  /** Forward Anthropic `top_k` to OpenAI upstreams (vLLM, Qwen… accept it; api.openai.com rejects it). */
  forwardTopK: bool = false;
  /** Unix time in seconds for OpenAI `created` (Anthropic answers carry none); the plugin sets it from the host clock. */
  nowSeconds: i64 = 0;
  /** The provider's model traits rows (null: the built-in table); read for the upstream model. */
  modelTraits: ModelTraitsTable | null = null;
  /** Fields that change the output but have no upstream counterpart are dropped (and announced) instead of refused. */
  dropUnsupported: bool = false;
  /** The anthropic-version an Anthropic upstream will get ("" when not known); "2026-10-21" rejects more fields. */
  anthropicVersion: string = "";
  /** The configuration pins anthropicVersion (claudeVersion): it replaces the Anthropic client's own. */
  anthropicVersionPinned: bool = false;
  /** The upstream API's variant when its provider module names one (Dify's botType: Chat, Completion, Agent, Workflow). */
  apiVariant: string = "";
  /** Where the upstream takes the prompt and gives the answer when its module names them (Dify's input/outputVariable). */
  inputField: string = "";
  outputField: string = "";
  /**
   * Responses client, converted: the request parameters its Response object repeats (compact JSON object), set by
   * translateResponsesRequest for the response translator.
   */
  responsesEcho: Uint8Array = new Uint8Array(0);
  /** An embeddings request converted for a provider's own schema asked for `encoding_format: "base64"` (set by it). */
  embeddingsBase64: bool = false;
  /** DeepL's `target_lang` (the provider's targetLang). */
  targetLang: string = "";
  /** Image URLs of the request the plugin fetched (plugin/image-fetch.ts): sent inline instead of as URLs. */
  fetchedImages: Array<FetchedImage> | null = null;
  /** The client request's content-type (a multipart/form-data upload names its boundary there). */
  contentType: string = "";
  /** Bedrock prompt caching: the provider's promptCacheRetention (a request's prompt_cache_retention wins; "" = none). */
  promptCacheRetention: string = "";
  /** Where Bedrock cache points go (openai_bedrock/request.ts CACHE_POINT_* bits; default: after the system prompt). */
  cachePointPositions: i32 = 1;

  /** A copy that sends `model` as it is (no mapping): the second hop of a composed translation. */
  forModel(model: string): TranslateOptions {
    const o = new TranslateOptions();
    o.model = model;
    o.reasoningContentMode = this.reasoningContentMode;
    o.defaultMaxTokens = this.defaultMaxTokens;
    o.includeUsage = this.includeUsage;
    o.maxTokensField = this.maxTokensField;
    o.forwardTopK = this.forwardTopK;
    o.nowSeconds = this.nowSeconds;
    o.modelTraits = this.modelTraits;
    o.dropUnsupported = this.dropUnsupported;
    o.anthropicVersion = this.anthropicVersion;
    o.anthropicVersionPinned = this.anthropicVersionPinned;
    o.apiVariant = this.apiVariant;
    o.inputField = this.inputField;
    o.outputField = this.outputField;
    o.responsesEcho = this.responsesEcho;
    o.embeddingsBase64 = this.embeddingsBase64;
    o.targetLang = this.targetLang;
    o.fetchedImages = this.fetchedImages;
    o.contentType = this.contentType;
    o.promptCacheRetention = this.promptCacheRetention;
    o.cachePointPositions = this.cachePointPositions;
    return o;
  }
}

/** An image the plugin fetched for a URL in the request: its MIME type and its bytes in base64. */
export class FetchedImage {
  constructor(public url: string, public mimeType: string, public base64: Uint8Array) {}
}

/** The fetched image for `url`, or null. */
export function fetchedImage(images: Array<FetchedImage> | null, url: string): FetchedImage | null {
  if (images === null) return null;
  for (let i = 0; i < images.length; i++) if (images[i].url == url) return images[i];
  return null;
}

/** The Anthropic API version that rejects sampling parameters, assistant documents and user-text citations. */
export const ANTHROPIC_VERSION_2026_10_21 = "2026-10-21";

/** The model traits of the upstream model (`anthropic`: the upstream speaks the Anthropic protocol). */
export function upstreamTraits(opts: TranslateOptions, upstreamModel: string, anthropic: bool): ModelTraits {
  return traitsFor(opts.modelTraits, upstreamModel, anthropic);
}

/** The upstream model for `requested`: the forced `opts.model`, else the mapping's answer, else `requested`. */
export function upstreamModelFor(opts: TranslateOptions, requested: string): string {
  if (opts.model.length > 0) return opts.model;
  const mapping = opts.modelMapping;
  return mapping === null ? requested : mapping.map(requested);
}

/** The upstream model of a client body, read ahead of its translation (the provider's endpoint depends on it). */
export function upstreamModelOfBody(body: Uint8Array, opts: TranslateOptions): string {
  if (opts.model.length > 0) return opts.model;
  const root = parseJson(body).value;
  const m = root !== null && root.isObject() ? root.get("model") : null;
  return upstreamModelFor(opts, m !== null && m.isString() ? m.str() : "");
}

/** What translateRequest produced. */
export class RequestResult {
  /** false: do not send upstream; answer the client with errorStatus/errorMessage. */
  ok: bool = false;
  /** The body to send upstream (empty when !ok). */
  body: Uint8Array = new Uint8Array(0);
  /** The client asked for a streamed (SSE) answer. */
  stream: bool = false;
  /** The model the client asked for ("" when absent). */
  requestedModel: string = "";
  /** The model sent upstream. */
  upstreamModel: string = "";
  /**
   * OpenAI client only: it asked for `stream_options.include_usage`, so its stream must end with
   * the usage-only chunk. Pass it to newResponseTranslator.
   */
  includeUsage: bool = false;
  /** HTTP status for the client when !ok (400 for malformed input). */
  errorStatus: i32 = 0;
  errorMessage: string = "";
  /**
   * Request fields left out of the upstream request (each with its documented reason in
   * docs/field-policy.md): the plugin announces them in the `x-ai-proxy-dropped-params` response
   * header and a log line.
   */
  dropped: Array<string> = [];

  /** Records a dropped field (once). */
  drop(field: string): void {
    if (!this.dropped.includes(field)) this.dropped.push(field);
  }

  static failure(status: i32, message: string): RequestResult {
    const r = new RequestResult();
    r.ok = false;
    r.errorStatus = status;
    r.errorMessage = message;
    return r;
  }
}

/** Token usage as seen in the upstream answer, in neutral terms. -1: not reported. */
export class Usage {
  /** Prompt tokens not read from cache and not written to it (Anthropic `input_tokens`). */
  inputTokens: i64 = -1;
  outputTokens: i64 = -1;
  /** Prompt tokens read from cache (Anthropic `cache_read_input_tokens`, OpenAI `cached_tokens`). */
  cacheReadTokens: i64 = -1;
  /** Prompt tokens written to cache (Anthropic `cache_creation_input_tokens`). */
  cacheCreationTokens: i64 = -1;
  /** Reasoning tokens when reported (OpenAI `completion_tokens_details.reasoning_tokens`). */
  reasoningTokens: i64 = -1;

  /** All prompt tokens, cached included (OpenAI `prompt_tokens`). */
  promptTotal(): i64 {
    let t: i64 = 0;
    if (this.inputTokens > 0) t += this.inputTokens;
    if (this.cacheReadTokens > 0) t += this.cacheReadTokens;
    if (this.cacheCreationTokens > 0) t += this.cacheCreationTokens;
    return t;
  }
}

/**
 * Per-request response translation. Created by `newResponseTranslator`. Every method returns
 * the bytes to send to the client now (possibly empty) and never traps.
 */
export class ResponseTranslator {
  /** Usage seen so far (translating pairs fill it; pass-through leaves it at -1). */
  usage: Usage = new Usage();
  /** The model the upstream reported ("" until seen). */
  model: string = "";
  /** The stop reason in the client's vocabulary ("" until seen). */
  stopReason: string = "";
  /** Stream bytes have been produced (a failure must now be an in-stream error event). */
  started: bool = false;
  /** The client stream has been terminated (further input is ignored). */
  finished: bool = false;

  /** OpenAI clients: end streams with the usage-only chunk (RequestResult.includeUsage). */
  clientIncludeUsage: bool = false;

  /** A response header carrying usage the body lacks (Bedrock InvokeModel's input token count); "" none. */
  usageHeader(): string { return ""; }
  /** That header's value, set by the plugin before the body is given (empty when absent). */
  usageHeaderValue: string = "";

  constructor(public client: Protocol, public upstream: Protocol, public opts: TranslateOptions, public stream: bool) {}

  /**
   * A whole (non-streamed) upstream body with its HTTP status. 2xx bodies are converted to the
   * client's schema; other statuses go through `error`. Use `clientStatus(status)` as the
   * status of the reply.
   */
  body(whole: Uint8Array, status: i32): Uint8Array { return whole; }

  /** The HTTP status to give the client for an upstream status (529 → 503 for OpenAI clients). */
  clientStatus(status: i32): i32 { return status; }

  /** A piece of a streamed (SSE) upstream body, split anywhere. */
  chunk(bytes: Uint8Array): Uint8Array { return bytes; }

  /**
   * End of the upstream stream. Flushes what is pending; if the upstream stopped before its
   * proper end, terminates the client stream well-formed (an error event in the client's
   * protocol, then the protocol's final marker).
   */
  end(): Uint8Array { return new Uint8Array(0); }

  /** An upstream error body (non-2xx status) as an error body in the client's protocol. */
  error(status: i32, body: Uint8Array): Uint8Array { return body; }

  /**
   * The upstream streams although the client asked for one answer (Coze): its SSE body is collected and given to
   * body() whole, and the client gets JSON.
   */
  collectsStream(): bool { return false; }

  /**
   * Ends a started client stream because of a failure seen by the plugin (upstream reset,
   * timeout…): an in-stream error event in the client's protocol. Empty once finished.
   */
  fail(status: i32, message: string): Uint8Array { return new Uint8Array(0); }
}

/** A request body after the checks every translator makes first. `root` is null when `failure` says why. */
export class RequestBody {
  root: JsonValue | null = null;
  failure: RequestResult | null = null;
}

/**
 * Parses a client request body: valid JSON, an object, nothing parsers would read differently, and top-level
 * fields of the right types (400 otherwise). Converted and same-protocol requests share these checks.
 */
export function readRequestBody(body: Uint8Array): RequestBody {
  const out = new RequestBody();
  const r = parseJson(body);
  const root = r.value;
  if (root == null) out.failure = RequestResult.failure(400, "request body is not valid JSON: " + r.error);
  else if (!root.isObject()) out.failure = RequestResult.failure(400, "request body must be a JSON object");
  else {
    const problem = interopProblem(root);
    const fields = problem.length ? "" : topLevelProblem(root);
    if (problem.length) out.failure = RequestResult.failure(400, "request body: " + problem);
    else if (fields.length) out.failure = RequestResult.failure(400, fields);
    else out.root = root;
  }
  return out;
}

/** A chat request about to be converted: its body, a model to send, and `messages` as an array. */
export class ConversionStart {
  root: JsonValue | null = null;
  messages: JsonValue | null = null;
  result: RequestResult = new RequestResult();
  failure: RequestResult | null = null;
}

/** `stream` and, for a stream, the client's own `stream_options.include_usage` of an OpenAI chat request, into `res`. */
export function readStreamWish(root: JsonValue, res: RequestResult): void {
  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);
  if (!res.stream) return;
  const so = root.get("stream_options");
  if (so != null && so.isObject()) res.includeUsage = so.getBool("include_usage", false);
}

/**
 * The top-level fields of an OpenAI chat request for an upstream that reads only `mapped`: one in `refused` is a 400
 * naming it and `where` (unless dropUnsupportedParams), the others are left out and announced; `n: 1` and a `text`
 * response_format ask for nothing and pass. The failure, or null when the request goes on.
 */
export function screenFields(root: JsonValue, res: RequestResult, opts: TranslateOptions, mapped: Array<string>, refused: Array<string>, where: string): RequestResult | null {
  const it = root.iter();
  while (it.next()) {
    if (it.value.isNull() || keyIn(it.key!, mapped)) continue;
    const k = it.key!.str();
    const v = it.value;
    if ((k == "n" && v.isNumber() && v.asI64(0) == 1) || (k == "response_format" && v.isObject() && typeOf(v) == "text")) continue;
    if (refused.includes(k) && !opts.dropUnsupported) {
      return RequestResult.failure(400, k + ": has no counterpart on " + where + " (the provider's dropUnsupportedParams drops it instead)");
    }
    res.drop(k);
  }
  return null;
}

/** The checks both converters make first (`failure` set when one fails, `root` and `messages` null then). */
export function startConversion(body: Uint8Array, opts: TranslateOptions): ConversionStart {
  const out = new ConversionStart();
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) {
    out.failure = read.failure;
    return out;
  }
  const modelProblem = readModel(root, opts, out.result);
  if (modelProblem.length) out.failure = RequestResult.failure(400, modelProblem);
  else if (out.result.upstreamModel.length == 0) out.failure = RequestResult.failure(400, "model: field required");
  else {
    const messages = root.get("messages");
    if (messages == null || !messages.isArray()) out.failure = RequestResult.failure(400, "messages: must be an array, got " + kindName(messages));
    else {
      out.root = root;
      out.messages = messages;
    }
  }
  return out;
}

/** An OpenAI chat request's `n` (one choice only: `upstreams` names who cannot give more) and `stream` flags. */
export function readChoicesAndStream(root: JsonValue, res: RequestResult, upstreams: string): RequestResult | null {
  const nV = root.get("n");
  if (nV != null && nV.isNumber() && nV.asI64(1) != 1) return RequestResult.failure(400, "n: only 1 choice is supported by " + upstreams);
  readStreamWish(root, res);
  return null;
}

/**
 * An OpenAI chat request's `stop` (a string or an array of them; empty ones left out) as `key`: [...], at most `max`
 * (the rest left out, "stop" announced). Whether anything was written.
 */
export function writeStopSequences(w: JsonWriter, stop: JsonValue | null, key: string, max: i32, res: RequestResult): bool {
  if (stop != null && stop.isString() && !isEmptyString(stop)) {
    w.key(key).beginArray().raw(stop).endArray();
    return true;
  }
  if (stop == null || !stop.isArray()) return false;
  let n = 0;
  const it = stop.iter();
  while (it.next()) {
    const s = it.value;
    if (!s.isString() || isEmptyString(s)) continue;
    if (n == max) { res.drop("stop"); break; }
    if (n == 0) w.key(key).beginArray();
    w.raw(s);
    n++;
  }
  if (n == 0) return false;
  w.endArray();
  return true;
}

/** Fills `res.requestedModel` and `res.upstreamModel` (mapped); a message when `model` is not a string. */
export function readModel(root: JsonValue, opts: TranslateOptions, res: RequestResult): string {
  const modelV = root.get("model");
  if (modelV != null && !modelV.isString() && !modelV.isNull()) return "model: must be a string";
  res.requestedModel = modelV != null ? modelV.str() : "";
  res.upstreamModel = upstreamModelFor(opts, res.requestedModel);
  return "";
}
