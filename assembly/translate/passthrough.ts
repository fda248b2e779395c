// Same protocol on both sides: the body goes through byte for byte, except the top-level `model`
// (spliced when the options map it) and Anthropic's required `max_tokens` (added when absent).
// Responses pass byte for byte when nothing is wrong with them. What the plugin checks on the way (the cost of
// same-protocol passthrough): a 2xx body is parsed once (not JSON → 502 in the client's shape); a stream is cut
// into whole events, each checked to be framed like the provider's own (stray lines dropped or rewritten, data
// that is not a JSON object dropped, parsed only when it may be an error, which ends the stream); every
// configured key is redacted from error bodies, error events and 2xx bodies; a stream that stops before its end
// marker is closed with an in-stream error event. Error bodies not in the
// client's shape (HTML pages, other vendors' JSON) are converted.

import { messagesProblem } from "../protocol/validate";
import { ByteBuffer } from "../bytes/buffer";
import { concatBytes } from "../bytes/utf8";
import { ObjectEdits, spliceObject } from "../json/splice";
import { Protocol } from "../protocol/api";
import { clientErrorStatus, convertErrorBody, errorBody, ErrorInfo, errorInfoFromValue, statusOfAnthropicType, statusOfOpenAIError, streamErrorEvent } from "../protocol/errors";
import { redactSecrets } from "../protocol/secrets";
import { SseParser } from "../sse/parser";
import { writeSseEvent } from "../sse/writer";
import { JsonParser } from "../json/parse";
import { JsonValue } from "../json/value";
import { ANTHROPIC_VERSION_2026_10_21, readModel, readRequestBody, RequestResult, ResponseTranslator, TranslateOptions } from "./common";
import { readOpenAIUsage } from "./usage";
import { responsesErrorEvent } from "./responses_chat/response";
import { readResponsesUsage } from "./responses_chat/usage";

const INCLUDE_USAGE: Uint8Array = Uint8Array.wrap(String.UTF8.encode("{\"include_usage\":true}"));

const SAMPLING_FIELDS: Array<string> = ["temperature", "top_p", "top_k"];

export function passthroughRequest(protocol: Protocol, body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  const root = read.root;
  if (root === null) return read.failure!;
  const shape = messagesProblem(root, protocol == Protocol.Anthropic);
  if (shape.length) return RequestResult.failure(400, shape);
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  const streamV = root.get("stream");
  res.stream = streamV != null && streamV.asBool(false);
  const edits = new ObjectEdits();
  if (res.upstreamModel != res.requestedModel) edits.setString("model", res.upstreamModel);
  if (protocol == Protocol.OpenAI && res.stream) {
    // The client's own wish decides what it receives (RequestResult.includeUsage); the upstream is asked for
    // usage anyway unless the configuration opts out, and the extra usage chunk is stripped on the way back.
    const so = root.get("stream_options");
    res.includeUsage = so != null && so.isObject() && so.getBool("include_usage", false);
    if (opts.includeUsage && !res.includeUsage) {
      if (so != null && so.isObject()) {
        const merged = spliceObject(so, new ObjectEdits().setBool("include_usage", true));
        if (merged != null) edits.setRaw("stream_options", merged);
      } else {
        edits.setRaw("stream_options", INCLUDE_USAGE);
      }
    }
  }
  if (protocol == Protocol.Anthropic && !root.has("max_tokens") && opts.defaultMaxTokens > 0) edits.setInt("max_tokens", opts.defaultMaxTokens);
  if (protocol == Protocol.Anthropic && opts.anthropicVersionPinned && opts.anthropicVersion >= ANTHROPIC_VERSION_2026_10_21) {
    // The pinned version replaces the client's, and 2026-10-21 rejects sampling parameters the client's own
    // version took: left out and announced rather than a 400 the client could not foresee.
    for (let i = 0; i < SAMPLING_FIELDS.length; i++) {
      if (root.has(SAMPLING_FIELDS[i])) {
        edits.remove(SAMPLING_FIELDS[i]);
        res.drop(SAMPLING_FIELDS[i]);
      }
    }
  }
  if (edits.length == 0) {
    // A UTF-8 byte order mark is allowed by the parser (RFC 8259 §8.1) but refused by providers: not forwarded.
    res.body = hasBom(body) ? body.subarray(3) : body;
  } else {
    const out = spliceObject(root, edits, true);
    if (out == null) return RequestResult.failure(400, "request body must be a JSON object");
    res.body = out;
  }
  res.ok = true;
  return res;
}

export class PassthroughTranslator extends ResponseTranslator {
  private sse: SseParser = new SseParser();
  private json: JsonParser = new JsonParser();
  private info: ErrorInfo = new ErrorInfo();
  /** The stream's end marker (or an error event) went out: nothing after it is forwarded. */
  private sawEnd: bool = false;
  /** OpenAI: `data: [DONE]` went out (an error chunk without it gets one at the end). */
  private doneSent: bool = false;
  /** The answer turned out to be SSE (also when the request was not streamed). */
  private sseSeen: bool = false;
  /** end() is judging the stream's tail (bytes after the last blank line). */
  private flushing: bool = false;
  /** A 2xx body that was not JSON: replaced by an error, and the client status becomes 502. */
  private invalidBody: bool = false;
  /** Bytes of an event not complete yet: forwarded once its blank line arrives. */
  private held: ByteBuffer = new ByteBuffer(64);
  /**
   * OpenAI streams: the plugin added `stream_options.include_usage` the client did not ask for, so usage-only
   * chunks are read into `usage` and not forwarded. Set by the plugin; off by default (byte-for-byte pass-through).
   */
  dropUnaskedUsage: bool = false;
  /**
   * The answer is OpenAI Responses' (/v1/responses): a stream ends with response.completed / incomplete / failed or
   * an `error` event, never `[DONE]`; an early end gets Responses' `error` event; usage is read from the answer.
   */
  responses: bool = false;
  /** Responses: events forwarded (the next sequence_number, for an error event the gateway adds). */
  private events: i32 = 0;

  constructor(protocol: Protocol, opts: TranslateOptions, stream: bool) {
    super(protocol, protocol, opts, stream);
  }

  /** A 2xx body goes through byte for byte when it is a JSON object (keys redacted); anything else becomes a 502. */
  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = this.json.parse(whole);
    if (root == null || !root.isObject()) {
      this.invalidBody = true;
      return errorBody(this.client, 502, whole.length == 0 ? "upstream returned an empty response" : "upstream returned a response that is not JSON");
    }
    if (this.responses) {
      const usage = root.get("usage");
      if (usage != null) readResponsesUsage(usage, this.usage);
    }
    return redactSecrets(whole);
  }

  clientStatus(status: i32): i32 {
    if (status >= 200 && status < 300) return this.invalidBody ? 502 : status;
    return clientErrorStatus(this.client, status);
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(this.client, status, body);
  }

  /**
   * Forwards whole events only (up to the last blank line), so that a stream cut mid-event can still be closed
   * with a clean error event; the partial tail waits for its end. Events pass byte for byte unless they are
   * broken (data that is not JSON, stray lines: dropped or rewritten), echo a key (redacted, in any event) or follow the end.
   */
  chunk(bytes: Uint8Array): Uint8Array {
    this.sseSeen = true;
    if (this.finished) return new Uint8Array(0);
    let work = bytes;
    if (this.held.length) {
      this.held.pushBytes(bytes);
      work = this.held.toBytes();
      this.held.clear();
    }
    const cut = lastEventEnd(work);
    if (cut < 0) {
      if (work.length > MAX_HELD) return this.fail(502, "upstream sent an SSE event over " + MAX_HELD.toString() + " bytes");
      this.held.pushBytes(work);
      return new Uint8Array(0);
    }
    if (cut < work.length) this.held.pushSlice(work, cut);
    const out = this.cleanEvents(cut == work.length ? work : work.subarray(0, cut));
    if (out.length) this.started = true;
    return out;
  }

  /** `events` (whole events) as the client should see them: the same array when nothing had to change. */
  private cleanEvents(events: Uint8Array): Uint8Array {
    const base = events.dataStart;
    const n = events.length;
    let kept: ByteBuffer | null = null;
    let start = 0;
    for (let i = 1; i < n; i++) {
      if (load<u8>(base + <usize>i) != 0x0A) continue;
      let j = i - 1;
      if (load<u8>(base + <usize>j) == 0x0D) j--;
      if (j >= 0 && load<u8>(base + <usize>j) != 0x0A) continue;
      const ev = events.subarray(start, i + 1);
      const replaced = this.cleanEvent(ev);
      if (replaced !== ev) {
        if (kept == null) { kept = new ByteBuffer(n + 64); kept.pushSlice(events, 0, start); }
        kept.pushBytes(replaced);
      } else if (kept != null) {
        kept.pushBytes(ev);
      }
      start = i + 1;
    }
    // Any event may echo a key (not only error events: DashScope's {"code","message"}, Tencent's Response.Error).
    // Events are whole here, so a key is never split; nothing is copied when none is found.
    return redactSecrets(kept == null ? events : kept.take());
  }

  /** One whole event: itself when it passes unchanged, else what replaces it (possibly nothing). */
  private cleanEvent(ev: Uint8Array): Uint8Array {
    if (this.sawEnd) {
      // After the end only OpenAI's [DONE] after an error chunk may follow.
      if (this.client == Protocol.OpenAI && !this.doneSent && isDoneEvent(ev)) { this.doneSent = true; return ev; }
      return EMPTY;
    }
    const p = this.sse;
    p.reset();
    p.begin(ev);
    if (!p.next()) return onlyComments(ev) ? ev : EMPTY; // keep-alive comments pass; stray lines do not
    const name = p.event;
    const data = p.dataBuffer().subarray(0, p.dataLength);
    if (this.client == Protocol.OpenAI && p.dataEquals("[DONE]")) {
      this.sawEnd = true;
      this.doneSent = true;
      return ev;
    }
    // Data that is not a JSON object is of no use to any client. Events are parsed only when they may be an error
    // (or a usage chunk to drop): a full parse of every delta would double the cost of passing a stream through.
    // An empty `data:` (a keep-alive in recorded OpenAI streams) passes as it came, but not as a stream's cut tail.
    if (data.length == 0) return name.length == 0 && !this.flushing ? ev : EMPTY;
    if (!looksLikeObject(data)) return EMPTY;
    // The tail of a stream that ended without its blank line is parsed in full: it may be cut anywhere.
    if (this.flushing) {
      const whole = this.json.parse(data);
      if (whole == null || !whole.isObject()) return EMPTY;
    }
    if (this.responses) return this.responsesEvent(ev, name, data);
    const anthropic = this.client == Protocol.Anthropic;
    const usage = !anthropic && this.dropUnaskedUsage && !this.clientIncludeUsage && containsAscii(data, "\"usage\"");
    if ((anthropic && name == "error") || containsAscii(data, "\"error\"") || usage) {
      const root = this.json.parse(data);
      if (root == null || !root.isObject()) return EMPTY;
      let isError = false;
      if (anthropic) {
        const t = root.get("type");
        isError = name == "error" || (t != null && t.equals("error"));
      } else {
        isError = root.has("error");
        if (!isError && usage && this.isUsageOnly(root)) return EMPTY;
      }
      if (isError) return this.errorEvent(ev, root, name);
    }
    if (anthropic && name == "message_stop") this.sawEnd = true;
    return wellFormed(ev) ? ev : rewritten(name, data);
  }

  /** A Responses event: the terminal ones end the stream (usage read; error events redacted). */
  private responsesEvent(ev: Uint8Array, name: string, data: Uint8Array): Uint8Array {
    this.events++;
    let type = name;
    if (type.length == 0 || containsAscii(data, "\"error\"") || type == "response.completed" || type == "response.incomplete") {
      const root = this.json.parse(data);
      if (root == null || !root.isObject()) return EMPTY;
      if (type.length == 0) {
        const t = root.getString("type");
        if (t !== null) type = t;
      }
      if (root.has("error") && type.length == 0) return this.errorEvent(ev, root, name);
      if (type == "response.completed" || type == "response.incomplete" || type == "response.failed") {
        const resp = root.get("response");
        const usage = resp != null ? resp.get("usage") : null;
        if (usage != null) readResponsesUsage(usage, this.usage);
      }
    }
    if (type == "response.completed" || type == "response.incomplete" || type == "response.failed" || type == "error") {
      this.sawEnd = true;
      return redactSecrets(wellFormed(ev) ? ev : rewritten(name, data));
    }
    return wellFormed(ev) ? ev : rewritten(name, data);
  }

  /** An upstream error event: passed (redacted) when the client's SDK can read it, else rebuilt; the stream ends. */
  private errorEvent(ev: Uint8Array, root: JsonValue, name: string): Uint8Array {
    this.sawEnd = true;
    const info = this.info;
    info.message = ""; info.type = ""; info.code = ""; info.anthropicShape = false; info.openaiShape = false;
    errorInfoFromValue(root, info);
    const readable = this.client == Protocol.Anthropic ? info.anthropicShape && name == "error" : info.openaiShape;
    if (readable && wellFormed(ev)) return redactSecrets(ev);
    const status = this.client == Protocol.Anthropic ? statusOfAnthropicType(info.type) : statusOfOpenAIError(info.type, info.code);
    if (this.client == Protocol.OpenAI) this.doneSent = true; // streamErrorEvent ends with [DONE]
    return streamErrorEvent(this.client, status, info.message.length ? info.message : "upstream stream failed", info.type);
  }

  /** A usage-only chunk (`"choices":[]` with a `usage` object), read into `usage`. */
  private isUsageOnly(root: JsonValue): bool {
    const choices = root.get("choices");
    const usage = root.get("usage");
    if (choices == null || !choices.isArray() || choices.length != 0 || usage == null || !usage.isObject()) return false;
    readOpenAIUsage(usage, this.usage);
    return true;
  }

  end(): Uint8Array {
    if (this.finished) return new Uint8Array(0);
    if (!this.stream && !this.sseSeen) { this.finished = true; return new Uint8Array(0); }
    // A last event whose blank line never came (e.g. "data: [DONE]\n" at the very end) still counts.
    let out = EMPTY;
    if (this.held.length) {
      this.held.pushString("\n\n");
      this.flushing = true;
      out = this.cleanEvents(this.held.take());
    }
    this.finished = true;
    if (this.sawEnd) {
      if (this.client == Protocol.OpenAI && !this.doneSent && !this.responses) return concatBytes(out, DONE);
      return out;
    }
    return concatBytes(out, this.streamError(502, "upstream stream ended before completion"));
  }

  private streamError(status: i32, message: string): Uint8Array {
    return this.responses ? responsesErrorEvent(status, message, "", this.events) : streamErrorEvent(this.client, status, message);
  }

  fail(status: i32, message: string): Uint8Array {
    if (this.finished) return new Uint8Array(0);
    this.finished = true;
    this.held.clear();
    if (this.sawEnd) return this.client == Protocol.OpenAI && !this.doneSent && !this.responses ? DONE : new Uint8Array(0);
    return this.streamError(status, message);
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);
const DONE: Uint8Array = Uint8Array.wrap(String.UTF8.encode("data: [DONE]\n\n"));


function rewritten(name: string, data: Uint8Array): Uint8Array {
  const b = new ByteBuffer(data.length + name.length + 16);
  writeSseEvent(b, name, data);
  return b.take();
}

function isDoneEvent(ev: Uint8Array): bool {
  const p = new SseParser();
  p.begin(ev);
  return p.next() && p.dataEquals("[DONE]");
}

/** Every line of the event is a field providers send (`data:`, `event:`, `id:`, `retry:`) or a comment. */
function wellFormed(ev: Uint8Array): bool {
  const base = ev.dataStart;
  const n = ev.length;
  let i = 0;
  while (i < n) {
    const c = load<u8>(base + <usize>i);
    if (c == 0x0A || c == 0x0D) { i++; continue; }
    if (!(startsWith(ev, i, "data:") || startsWith(ev, i, "event:") || startsWith(ev, i, "id:") || startsWith(ev, i, "retry:") || c == 0x3A)) return false;
    while (i < n && load<u8>(base + <usize>i) != 0x0A && load<u8>(base + <usize>i) != 0x0D) i++;
  }
  return true;
}

/** The event holds comment lines only (keep-alives such as `: ping`). */
function onlyComments(ev: Uint8Array): bool {
  const base = ev.dataStart;
  const n = ev.length;
  let lineStart = true;
  let any = false;
  for (let i = 0; i < n; i++) {
    const c = load<u8>(base + <usize>i);
    if (c == 0x0A || c == 0x0D) { lineStart = true; continue; }
    if (lineStart && c != 0x3A) return false;
    if (lineStart) any = true;
    lineStart = false;
  }
  return any;
}

/** First and last non-blank bytes are `{` and `}` (a cut or junk data line is not). */
function looksLikeObject(d: Uint8Array): bool {
  const base = d.dataStart;
  let i = 0, j = d.length - 1;
  while (i <= j && isBlank(load<u8>(base + <usize>i))) i++;
  while (j >= i && isBlank(load<u8>(base + <usize>j))) j--;
  return j > i && load<u8>(base + <usize>i) == 0x7B && load<u8>(base + <usize>j) == 0x7D;
}

function isBlank(c: u8): bool {
  return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D;
}

/** Whether ASCII `needle` occurs in `hay`. */
function containsAscii(hay: Uint8Array, needle: string): bool {
  const n = needle.length, m = hay.length;
  if (n == 0) return true;
  const base = hay.dataStart;
  const first = <u8>needle.charCodeAt(0);
  for (let i = 0; i + n <= m; i++) {
    if (load<u8>(base + <usize>i) != first) continue;
    let k = 1;
    while (k < n && load<u8>(base + <usize>(i + k)) == <u8>needle.charCodeAt(k)) k++;
    if (k == n) return true;
  }
  return false;
}

function startsWith(b: Uint8Array, at: i32, s: string): bool {
  if (at + s.length > b.length) return false;
  for (let k = 0; k < s.length; k++) if (load<u8>(b.dataStart + <usize>(at + k)) != <u8>s.charCodeAt(k)) return false;
  return true;
}

const MAX_HELD: i32 = 1 << 20;

function hasBom(b: Uint8Array): bool {
  return b.length >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
}

/**
 * Offset just past the last blank line (event end) in `b`, or -1. A blank line is a LF whose
 * previous non-CR byte is a LF (covers LF and CRLF streams).
 */
function lastEventEnd(b: Uint8Array): i32 {
  const base = b.dataStart;
  for (let i = b.length - 1; i > 0; i--) {
    if (load<u8>(base + <usize>i) != 0x0A) continue;
    let j = i - 1;
    if (load<u8>(base + <usize>j) == 0x0D) j--;
    if (j >= 0 && load<u8>(base + <usize>j) == 0x0A) return i + 1;
  }
  return -1;
}
