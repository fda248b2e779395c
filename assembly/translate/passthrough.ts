// Same protocol on both sides: the body goes through byte for byte, except the top-level `model`
// (spliced when the options map it) and Anthropic's required `max_tokens` (added when absent).
// Responses pass through untouched; error bodies not in the client's shape (HTML pages, other
// vendors' JSON) are converted, and a stream that stops before its end marker is closed with an
// in-stream error event.

import { messagesProblem } from "../protocol/validate";
import { ByteBuffer } from "../bytes/buffer";
import { parseJson } from "../json/parse";
import { ObjectEdits, spliceObject } from "../json/splice";
import { Protocol } from "../protocol/api";
import { clientErrorStatus, convertErrorBody, streamErrorEvent } from "../protocol/errors";
import { SseParser } from "../sse/parser";
import { readModel, readRequestBody, RequestResult, ResponseTranslator, TranslateOptions } from "./common";
import { readOpenAIUsage } from "./usage";

const INCLUDE_USAGE: Uint8Array = Uint8Array.wrap(String.UTF8.encode("{\"include_usage\":true}"));

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
  if (edits.length == 0) {
    res.body = body;
  } else {
    const out = spliceObject(root, edits);
    if (out == null) return RequestResult.failure(400, "request body must be a JSON object");
    res.body = out;
  }
  res.ok = true;
  return res;
}

export class PassthroughTranslator extends ResponseTranslator {
  private sse: SseParser | null = null;
  private sawEnd: bool = false;
  /** Bytes of an event not complete yet: forwarded once its blank line arrives. */
  private held: ByteBuffer = new ByteBuffer(64);
  /**
   * OpenAI streams: the plugin added `stream_options.include_usage` the client did not ask for, so usage-only
   * chunks are read into `usage` and not forwarded. Set by the plugin; off by default (byte-for-byte pass-through).
   */
  dropUnaskedUsage: bool = false;

  constructor(protocol: Protocol, opts: TranslateOptions, stream: bool) {
    super(protocol, protocol, opts, stream);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status >= 200 && status < 300) return whole;
    return this.error(status, whole);
  }

  clientStatus(status: i32): i32 {
    if (status >= 200 && status < 300) return status;
    return clientErrorStatus(this.client, status);
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return convertErrorBody(this.client, status, body);
  }

  /**
   * Forwards whole events only (up to the last blank line), so that a stream cut mid-event can
   * still be closed with a clean error event; the partial tail waits for its end.
   */
  chunk(bytes: Uint8Array): Uint8Array {
    if (this.finished || !this.stream) return this.stream ? new Uint8Array(0) : bytes;
    let work = bytes;
    if (this.held.length) {
      this.held.pushBytes(bytes);
      work = this.held.toBytes();
      this.held.clear();
    }
    let cut = lastEventEnd(work);
    if (cut < 0 && work.length > MAX_HELD) cut = work.length;
    if (cut < 0) {
      this.held.pushBytes(work);
      return new Uint8Array(0);
    }
    if (cut < work.length) this.held.pushSlice(work, cut);
    let out = cut == work.length ? work : work.subarray(0, cut);
    // The plugin asked for usage the OpenAI client did not: keep it for metrics, do not forward it.
    if (this.dropUnaskedUsage && !this.clientIncludeUsage) out = this.dropUsageChunks(out);
    if (out.length) this.started = true;
    this.scan(out);
    return out;
  }

  /** `events` (whole events) without the usage-only chunks (`"choices":[]` with a `usage` object). */
  private dropUsageChunks(events: Uint8Array): Uint8Array {
    if (!containsAscii(events, "\"usage\"")) return events;
    const base = events.dataStart;
    const n = events.length;
    let kept: ByteBuffer | null = null;
    let start = 0;
    for (let i = 1; i < n; i++) {
      if (load<u8>(base + <usize>i) != 0x0A) continue;
      let j = i - 1;
      if (load<u8>(base + <usize>j) == 0x0D) j--;
      if (j < 0 || load<u8>(base + <usize>j) != 0x0A) continue;
      const ev = events.subarray(start, i + 1);
      if (this.isUsageOnly(ev)) {
        if (kept == null) { kept = new ByteBuffer(n); kept.pushSlice(events, 0, start); }
      } else if (kept != null) {
        kept.pushBytes(ev);
      }
      start = i + 1;
    }
    if (kept == null) return events;
    if (start < n) kept.pushSlice(events, start, n);
    return kept.take();
  }

  private isUsageOnly(ev: Uint8Array): bool {
    if (!containsAscii(ev, "\"usage\"")) return false;
    const events = new SseParser().push(ev);
    if (events.length != 1) return false;
    const root = parseJson(events[0].data).value;
    if (root == null || !root.isObject()) return false;
    const choices = root.get("choices");
    const usage = root.get("usage");
    if (choices == null || !choices.isArray() || choices.length != 0 || usage == null || !usage.isObject()) return false;
    readOpenAIUsage(usage, this.usage);
    return true;
  }

  private scan(out: Uint8Array): void {
    if (this.sawEnd) return;
    let p = this.sse;
    if (p == null) { p = new SseParser(); this.sse = p; }
    const events = p.push(out);
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (this.client == Protocol.Anthropic) {
        if (ev.event == "message_stop" || ev.event == "error") this.sawEnd = true;
      } else if (ev.isDone() || containsAscii(ev.data, "\"error\"")) {
        this.sawEnd = true;
      }
    }
    if (p.failed) this.sawEnd = true; // cannot judge any more: trust the upstream
  }

  end(): Uint8Array {
    if (this.finished) return new Uint8Array(0);
    this.finished = true;
    if (!this.stream) return new Uint8Array(0);
    if (this.sawEnd) {
      // Whatever followed the end marker (normally nothing) still goes out.
      return this.held.take();
    }
    // The partial event (if any) is dropped: the client gets a clean error event instead.
    this.held.clear();
    return streamErrorEvent(this.client, 502, "upstream stream ended before completion");
  }

  fail(status: i32, message: string): Uint8Array {
    if (this.finished) return new Uint8Array(0);
    this.finished = true;
    this.held.clear();
    return streamErrorEvent(this.client, status, message);
  }
}

const MAX_HELD: i32 = 1 << 20;

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
