// One HTTP stream through the plugin, with the state machine of Envoy's FilterManager around a single Wasm filter
// (envoy-semantics.md §2–§5): header/body/trailer callbacks with their return values, StopAll vs StopIteration,
// per-filter buffering (StopIterationAndBuffer / Watermark / NoBuffer), continue_stream, local replies through the
// plugin's own response callbacks, buffer limits, fail-closed after a trap, and on_log → on_done → on_delete.
//
// "Request" flows client → plugin → upstream; "response" flows upstream → plugin → client. Whatever the plugin lets
// through is reported to `listener` (the exchange driver or the gateway) and recorded on the stream.

import { StreamType } from "./abi/status";
import { HeaderMap, type Headers } from "./header-map";
import type { Plugin } from "./plugin";
import type { PropertyValue } from "./types";
import type { Vm } from "./vm";

export type Direction = "request" | "response";
type Iteration = "continue" | "stopSingle" | "stopAllBuffer" | "stopAllWatermark";

/** What one direction of the stream looks like from this filter. */
export class Side {
  /** The live header map the plugin may read and write; null once headers continued (Envoy nulls the pointer). */
  headers: HeaderMap | null = null;
  /** The headers as last seen/forwarded (readable in on_log, and for inspection). */
  lastHeaders: HeaderMap | null = null;
  trailers: HeaderMap | null = null;
  lastTrailers: HeaderMap | null = null;
  started = false;
  iteration: Iteration = "continue";
  headersForwarded = false;
  /** Data Envoy holds for this filter (null = no buffer). */
  buffer: Uint8Array | null = null;
  /** The last body callback returned StopIterationAndBuffer: the next one (and reads from other callbacks) see `buffer`. */
  buffering = false;
  /** The chunk a non-buffering body callback sees. */
  chunk: Uint8Array | null = null;
  inBody = false;
  inBodyEos = false;
  dataEnded = false;
  trailersArrived = false;
  trailersCalled = false;
  trailersForwarded = false;
  /** Trailers the plugin created by writing them in the final body callback. */
  addedTrailers: HeaderMap | null = null;
  endForwarded = false;
  bytesIn = 0;
  bytesOut = 0;
  /** Per-direction buffer limit (Higress set_decoder_buffer_limit / set_encoder_buffer_limit change it). */
  limit: number;
  constructor(limit: number) {
    this.limit = limit;
  }
}

/** Receives what the filter lets through. All optional. */
export interface StreamListener {
  upstreamHeaders?(headers: Headers, endOfStream: boolean): void;
  upstreamData?(chunk: Uint8Array, endOfStream: boolean): void;
  upstreamTrailers?(trailers: Headers): void;
  /** The upstream request must be abandoned (local reply, reset, failure). */
  upstreamCancel?(): void;
  downstreamHeaders?(headers: Headers, endOfStream: boolean): void;
  downstreamData?(chunk: Uint8Array, endOfStream: boolean): void;
  downstreamTrailers?(trailers: Headers): void;
  /** The stream was reset (close_stream, local reply after response headers went out, overflow after headers). */
  reset?(reason: string): void;
  /** Something happened (for waiters). */
  changed?(): void;
}

export interface LocalReply {
  status: number;
  details: string;
  headers: Headers;
  body: Uint8Array;
  /** "chain" = passed through the plugin's response callbacks; "direct" = sent without them. */
  path: "chain" | "direct" | "fail";
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

function concat(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a || a.length === 0) return b.length === 0 ? (a ?? b) : b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

let nextConnectionId = 1;

export class Stream {
  readonly kind = "stream" as const;
  readonly id: number;
  readonly vm: Vm;
  readonly req: Side;
  readonly resp: Side;
  listener: StreamListener = {};
  readonly properties: Record<string, PropertyValue>;
  readonly connectionId = nextConnectionId++;
  readonly startNs: bigint;
  endNs: bigint | null = null;

  created = false;
  completed = false;
  /** The decoder chain is aborted (local reply): later request data is dropped, held request headers never go. */
  localComplete = false;
  /** Ignore what the upstream sends (local reply replaced the response). */
  ignoreUpstream = false;
  upstreamCancelled = false;
  /** The first local reply (plugin, overflow, or fail-closed). */
  localReply: LocalReply | null = null;
  isReset = false;
  resetReason = "";
  /** response.code: set for local replies, and for upstream responses once headers went downstream (chargeStats). */
  responseCode: number | null = null;
  responseCodeDetails: string | null = null;
  /** Inside proxy_on_log (maps are read-only snapshots). */
  logPhase = false;
  /** Filter state written by proxy_set_property (`wasm.<path>` in Envoy). */
  readonly filterState = new Map<string, Uint8Array>();
  /** Forced stop: send_local_response was called during this stream's callback. */
  private forceStop = false;
  private failHandled = false;

  // Recorded output, for low-level tests.
  readonly forwarded = { headers: null as Headers | null, chunks: [] as Uint8Array[], trailers: null as Headers | null, endOfStream: false };
  readonly downstream = { headers: null as Headers | null, chunks: [] as Uint8Array[], trailers: null as Headers | null, endOfStream: false };

  constructor(
    readonly plugin: Plugin,
    properties: Record<string, PropertyValue>,
  ) {
    this.vm = plugin.vm;
    this.properties = { ...plugin.properties, ...properties };
    this.id = this.vm.allocContextId();
    this.vm.contexts.set(this.id, this);
    this.req = new Side(this.vm.bufferLimit);
    this.resp = new Side(this.vm.bufferLimit);
    this.startNs = this.vm.nowNs();
  }

  private get trueStopIteration(): boolean {
    return !!this.vm.options.allowOnHeadersStopIteration || this.vm.abiVersion === "0_2_100";
  }

  side(d: Direction): Side {
    return d === "request" ? this.req : this.resp;
  }

  /** Current live request headers as the plugin sees them (null once continued). */
  requestHeadersNow(): Headers | null {
    return this.req.headers?.toArray() ?? null;
  }

  responseHeadersNow(): Headers | null {
    return this.resp.headers?.toArray() ?? null;
  }

  /** True once the client has the whole response (or the stream was reset). */
  get finished(): boolean {
    return this.downstream.endOfStream || this.isReset;
  }

  // ---- inputs: client side -----------------------------------------------------------------------------------

  requestHeaders(headers: Headers, endOfStream: boolean): number | null {
    return this.onHeaders("request", new HeaderMap(headers), endOfStream);
  }

  requestBody(data: Uint8Array | string, endOfStream: boolean): number | null {
    return this.onData("request", typeof data === "string" ? utf8.encode(data) : data, endOfStream);
  }

  requestTrailers(trailers: Headers): number | null {
    return this.onTrailers("request", new HeaderMap(trailers));
  }

  // ---- inputs: upstream side ---------------------------------------------------------------------------------

  responseHeaders(headers: Headers, endOfStream: boolean): number | null {
    if (this.ignoreUpstream) return null;
    this.responseCodeDetails ??= "via_upstream";
    return this.onHeaders("response", new HeaderMap(headers), endOfStream);
  }

  responseBody(data: Uint8Array | string, endOfStream: boolean): number | null {
    if (this.ignoreUpstream) return null;
    return this.onData("response", typeof data === "string" ? utf8.encode(data) : data, endOfStream);
  }

  responseTrailers(trailers: Headers): number | null {
    if (this.ignoreUpstream) return null;
    return this.onTrailers("response", new HeaderMap(trailers));
  }

  /**
   * The router could not get a response (connect failure, timeout): Envoy's router sends a local reply, which goes
   * through the encoder filters — this plugin included — like any local reply before the response started.
   */
  upstreamFailure(status: number, body: string, details: string): void {
    if (this.ignoreUpstream || this.finished) return;
    this.sendLocalReply(status, utf8.encode(body), [], details, -1);
  }

  // ---- the state machine -------------------------------------------------------------------------------------

  private ensureCreated(): boolean {
    if (!this.created) {
      this.created = true;
      this.vm.invoke(this.id, "proxy_on_context_create", [this.id, this.plugin.id]);
      this.vm.flushDeferred();
    }
    return !this.vm.trap;
  }

  /** Run a stream callback; null when the VM is failed (the stream then fails closed). */
  private call(name: string, args: number[]): number | null {
    if (this.vm.trap) {
      this.failStream();
      return null;
    }
    this.forceStop = false;
    const r = this.vm.invoke(this.id, name, [this.id, ...args]);
    if (r === null) this.failStream();
    return r;
  }

  private onHeaders(d: Direction, map: HeaderMap, eos: boolean): number | null {
    const s = this.side(d);
    if (this.completed || this.isReset || (d === "request" && this.localComplete)) return null;
    s.started = true;
    s.headers = map;
    s.lastHeaders = map;
    s.dataEnded = eos;
    if (this.vm.trap && !this.created) {
      // Envoy adds an empty, failed Context for new streams on a failed VM: 503 at decodeHeaders, no callbacks.
      this.failStream();
      return null;
    }
    if (d === "request" && !this.ensureCreated()) {
      this.failStream();
      return null;
    }
    const r = this.call(d === "request" ? "proxy_on_request_headers" : "proxy_on_response_headers", [map.size, eos ? 1 : 0]);
    if (r !== null) this.afterHeaders(d, r);
    this.vm.flushDeferred();
    this.notify();
    return r;
  }

  private afterHeaders(d: Direction, r: number): void {
    const s = this.side(d);
    if (this.forceStop) {
      s.iteration = "stopAllWatermark"; // send_local_response forces a stop whatever the plugin returned
      return;
    }
    if (r === 0 || r === 2) {
      // Continue; ContinueAndEndStream has no case in convertFilterHeadersStatus and acts as Continue.
      this.commonContinue(d, false);
    } else if (r === 1 && this.trueStopIteration) {
      s.iteration = "stopSingle";
    } else if (r === 3) {
      s.iteration = "stopAllBuffer";
    } else {
      // 4, >4, and StopIteration under stock Envoy ABI 0.2.1: StopAllIterationAndWatermark.
      s.iteration = "stopAllWatermark";
    }
  }

  private onData(d: Direction, chunk: Uint8Array, eos: boolean): number | null {
    const s = this.side(d);
    if (this.completed || this.isReset || (d === "request" && this.localComplete) || s.dataEnded) return null;
    s.dataEnded = eos;
    s.bytesIn += chunk.length;
    if (this.vm.trap) {
      this.failStream();
      return null;
    }
    if (s.iteration === "stopAllBuffer" || s.iteration === "stopAllWatermark") {
      // Held by StopAll: Envoy buffers without calling the filter. Only the Buffer variant has a hard limit.
      s.buffer = concat(s.buffer ?? EMPTY, chunk);
      if (s.iteration === "stopAllBuffer" && s.buffer.length > s.limit) this.overflow(d);
      this.notify();
      return null;
    }
    const r = this.callBody(d, chunk, eos);
    this.vm.flushDeferred();
    this.notify();
    return r;
  }

  /** Deliver a chunk to the body callback and apply its result. */
  private callBody(d: Direction, chunk: Uint8Array, eos: boolean): number | null {
    const s = this.side(d);
    const wasBuffering = s.buffering;
    let size: number;
    if (wasBuffering) {
      // Envoy first adds the chunk to its buffer: the callback sees the whole accumulated body.
      s.buffer = concat(s.buffer ?? EMPTY, chunk);
      size = s.buffer.length;
    } else {
      s.chunk = chunk;
      size = chunk.length;
    }
    s.inBody = true;
    s.inBodyEos = eos;
    const r = this.call(d === "request" ? "proxy_on_request_body" : "proxy_on_response_body", [size, eos ? 1 : 0]);
    s.inBody = false;
    const cur = wasBuffering ? EMPTY : (s.chunk ?? EMPTY);
    s.chunk = null;
    s.buffering = false;
    if (r === null) return null;
    if (this.forceStop || (d === "request" && this.localComplete)) return r;
    if (r === 0) {
      if (s.iteration === "continue" && !s.buffer) {
        this.forwardData(d, cur, s.dataEnded && !s.trailersArrived);
      } else {
        // Continue after an earlier stop releases everything held (headers under true StopIteration, buffered data).
        s.buffer = concat(s.buffer ?? EMPTY, cur);
        this.commonContinue(d, false);
      }
    } else {
      s.iteration = "stopSingle";
      if (r === 1 || r === 2) {
        if (!wasBuffering) s.buffer = concat(s.buffer ?? EMPTY, cur);
        if (r === 1) {
          s.buffering = true;
          if (s.buffer!.length > s.limit) this.overflow(d);
        }
      }
      // r >= 3 (StopIterationNoBuffer): the chunk is dropped; anything already buffered stays.
    }
    return r;
  }

  private onTrailers(d: Direction, map: HeaderMap): number | null {
    const s = this.side(d);
    if (this.completed || this.isReset || (d === "request" && this.localComplete) || s.trailersArrived) return null;
    s.trailersArrived = true;
    s.dataEnded = true;
    s.lastTrailers = map;
    if (this.vm.trap) {
      this.failStream();
      return null;
    }
    if (s.iteration === "stopAllBuffer" || s.iteration === "stopAllWatermark") {
      this.notify();
      return null; // held with everything else until the plugin continues
    }
    const r = this.callTrailers(d);
    this.vm.flushDeferred();
    this.notify();
    return r;
  }

  private callTrailers(d: Direction): number | null {
    const s = this.side(d);
    s.trailersCalled = true;
    s.trailers = s.lastTrailers;
    const r = this.call(d === "request" ? "proxy_on_request_trailers" : "proxy_on_response_trailers", [s.trailers!.size]);
    if (r === null || this.forceStop) return r;
    if (r === 0) {
      if (s.iteration === "continue" && !s.buffer) this.forwardTrailers(d);
      else this.commonContinue(d, false);
    } else {
      s.iteration = "stopSingle";
    }
    return r;
  }

  /**
   * Envoy's ActiveStreamFilterBase::commonContinue: forward held headers, then buffered data, then trailers.
   * `fromCurrent` (after StopAll) re-delivers the buffered body to this plugin in ONE body callback first.
   */
  private commonContinue(d: Direction, fromCurrent: boolean): void {
    const s = this.side(d);
    if (d === "request" && this.localComplete) return;
    if (d === "response" && (this.isReset || this.downstream.endOfStream)) return;
    s.iteration = "continue";
    if (!s.headersForwarded) {
      s.headers = null;
      this.forwardHeaders(d, s.dataEnded && s.buffer === null && !s.trailersArrived);
    }
    const trailersPending = s.trailersArrived && !s.trailersForwarded;
    if (s.buffer !== null) {
      const data = s.buffer;
      s.buffer = null;
      s.buffering = false;
      const eos = s.dataEnded && !trailersPending;
      if (fromCurrent) {
        this.callBody(d, data, eos);
        if (s.iteration !== "continue") return;
      } else {
        this.forwardData(d, data, eos);
      }
    }
    if (trailersPending && s.iteration === "continue" && !s.trailersForwarded) {
      if (!s.trailersCalled && fromCurrent) this.callTrailers(d);
      else this.forwardTrailers(d);
    }
  }

  // ---- outputs -----------------------------------------------------------------------------------------------

  private forwardHeaders(d: Direction, eos: boolean): void {
    const s = this.side(d);
    s.headersForwarded = true;
    const h = s.lastHeaders!.toArray();
    if (eos) s.endForwarded = true;
    if (d === "request") {
      this.forwarded.headers = h;
      this.forwarded.endOfStream = eos;
      this.listener.upstreamHeaders?.(h, eos);
    } else {
      // chargeStats runs after the encoder filters: only now is response.code known for upstream responses.
      this.responseCode ??= Number(s.lastHeaders!.get(":status") ?? 0);
      this.downstream.headers = h;
      this.downstream.endOfStream = eos;
      this.listener.downstreamHeaders?.(h, eos);
      if (eos) this.onDownstreamEnd();
    }
  }

  private forwardData(d: Direction, data: Uint8Array, eos: boolean): void {
    const s = this.side(d);
    if (s.endForwarded) return;
    let end = eos;
    if (eos && s.addedTrailers) end = false;
    s.bytesOut += data.length;
    if (end) s.endForwarded = true;
    if (d === "request") {
      if (data.length) this.forwarded.chunks.push(data);
      this.forwarded.endOfStream = end;
      this.listener.upstreamData?.(data, end);
    } else {
      if (data.length) this.downstream.chunks.push(data);
      this.downstream.endOfStream = end;
      this.listener.downstreamData?.(data, end);
      if (end) this.onDownstreamEnd();
    }
    if (eos && s.addedTrailers) {
      s.lastTrailers = s.addedTrailers;
      s.trailersArrived = true;
      this.forwardTrailers(d);
    }
  }

  private forwardTrailers(d: Direction): void {
    const s = this.side(d);
    s.trailersForwarded = true;
    s.trailers = null;
    s.endForwarded = true;
    const t = s.lastTrailers!.toArray();
    if (d === "request") {
      this.forwarded.trailers = t;
      this.forwarded.endOfStream = true;
      this.listener.upstreamTrailers?.(t);
    } else {
      this.downstream.trailers = t;
      this.downstream.endOfStream = true;
      this.listener.downstreamTrailers?.(t);
      this.onDownstreamEnd();
    }
  }

  private onDownstreamEnd(): void {
    this.endNs ??= this.vm.nowNs();
    this.notify();
  }

  private notify(): void {
    this.listener.changed?.();
  }

  // ---- plugin-initiated actions (called from hostcalls) --------------------------------------------------------

  /** proxy_continue_stream: drop the map pointers now, continue after the callback returns. */
  continueStream(type: StreamType.Request | StreamType.Response): void {
    const d: Direction = type === StreamType.Request ? "request" : "response";
    const s = this.side(d);
    s.headers = null;
    s.trailers = null;
    this.vm.defer(() => {
      if (s.iteration === "continue" || this.completed) return;
      this.commonContinue(d, s.iteration === "stopAllBuffer" || s.iteration === "stopAllWatermark");
      this.notify();
    });
  }

  /** proxy_close_stream: a reset (not a local reply), after the callback returns. */
  closeStream(): void {
    this.vm.defer(() => {
      this.responseCodeDetails ??= "wasm_close_stream";
      this.resetStream("wasm_close_stream");
    });
  }

  /** proxy_send_local_response from a callback: forces a stop now, the reply itself runs after the callback. */
  sendLocalResponse(status: number, details: string, body: Uint8Array, headers: Headers, grpcStatus: number): void {
    if (this.vm.inCallback && this.vm.currentContextId === this.id) this.forceStop = true;
    this.vm.defer(() => this.sendLocalReply(status, body, headers, details.replace(/ /g, "_"), grpcStatus));
  }

  /**
   * Envoy's sendLocalReply: through the encoder chain (this plugin included) when no response has started; directly
   * to the client when upstream headers arrived but none went downstream; a reset once headers went downstream.
   */
  private sendLocalReply(status: number, body: Uint8Array, extra: Headers, details: string, grpcStatus: number): void {
    if (this.completed || this.isReset || this.downstream.endOfStream) return;
    const isHead = (this.req.lastHeaders?.get(":method") ?? "").toUpperCase() === "HEAD";
    const headers = buildLocalReplyHeaders(status, body, extra, this.req.lastHeaders, grpcStatus);
    const grpc = (this.req.lastHeaders?.get("content-type") ?? "").startsWith("application/grpc");
    const sendBody = grpc || isHead ? EMPTY : body;
    const viaChain = !this.resp.started;
    this.localReply ??= { status, details, headers: headers.toArray(), body: sendBody, path: viaChain ? "chain" : "direct" };
    this.responseCodeDetails = details;
    this.localComplete = true;
    this.abandonUpstream();
    if (this.resp.headersForwarded) {
      this.resetStream(details);
      return;
    }
    this.responseCode = Number(headers.get(":status"));
    if (viaChain) {
      // The plugin's own on_response_headers / on_response_body run for its local reply.
      this.onHeaders("response", headers, sendBody.length === 0);
      if (sendBody.length) this.onData("response", sendBody, true);
    } else {
      // Direct reply: the upstream response (and anything held of it) is discarded; the plugin is not called.
      const r = this.resp;
      r.buffer = null;
      r.buffering = false;
      r.headers = null;
      r.iteration = "continue";
      r.lastHeaders = headers;
      r.dataEnded = true;
      this.forwardHeaders("response", sendBody.length === 0);
      if (sendBody.length) this.forwardData("response", sendBody, true);
    }
  }

  private abandonUpstream(): void {
    this.ignoreUpstream = true;
    if (!this.upstreamCancelled && !this.resp.started) {
      this.upstreamCancelled = true;
      this.listener.upstreamCancel?.();
    }
  }

  /** Buffer over the limit under StopIterationAndBuffer / StopAllIterationAndBuffer (HG filter_manager.cc). */
  private overflow(d: Direction): void {
    const s = this.side(d);
    s.buffer = null;
    s.buffering = false;
    if (d === "request") {
      this.vm.defer(() => this.sendLocalReply(413, utf8.encode("Payload Too Large"), [], "request_payload_too_large", -1));
    } else if (!this.resp.headersForwarded) {
      this.vm.defer(() => this.sendLocalReply(500, utf8.encode("Internal Server Error"), [], "response_payload_too_large", -1));
    } else {
      this.vm.defer(() => this.resetStream("response_payload_too_large"));
    }
    this.vm.flushDeferred();
  }

  private resetStream(reason: string): void {
    if (this.isReset || this.completed) return;
    this.isReset = true;
    this.resetReason = reason;
    this.localComplete = true;
    this.abandonUpstream();
    this.endNs ??= this.vm.nowNs();
    this.listener.reset?.(reason);
    this.notify();
  }

  /**
   * Fail-closed after a trap (Envoy Context::failStream): 503 with details wasm_fail_stream and no body, sent
   * without calling the failed plugin; a reset if response headers already went out.
   */
  private failStream(): void {
    if (this.failHandled || this.completed || this.isReset || this.downstream.endOfStream) return;
    this.failHandled = true;
    const headers = new HeaderMap([[":status", "503"]]);
    this.localReply ??= { status: 503, details: "wasm_fail_stream", headers: headers.toArray(), body: EMPTY, path: "fail" };
    this.responseCodeDetails = "wasm_fail_stream";
    this.localComplete = true;
    this.abandonUpstream();
    if (this.resp.headersForwarded) {
      this.resetStream("wasm_fail_stream");
      return;
    }
    this.responseCode = 503;
    this.resp.iteration = "continue";
    this.resp.buffer = null;
    this.resp.lastHeaders = headers;
    this.resp.dataEnded = true;
    this.forwardHeaders("response", true);
  }

  // ---- end of stream -----------------------------------------------------------------------------------------

  /**
   * The stream is over: proxy_on_log → proxy_on_done → proxy_on_delete (Envoy: access log before destroyFilters).
   * The context is created first if the plugin never saw request headers. Nothing is called on a failed VM.
   */
  complete(): void {
    if (this.completed) return;
    this.completed = true;
    this.endNs ??= this.vm.nowNs();
    const vm = this.vm;
    if (!vm.trap) {
      this.ensureCreated();
      this.logPhase = true;
      this.req.headers = null;
      this.resp.headers = null;
      vm.invoke(this.id, "proxy_on_log", [this.id]);
      vm.flushDeferred();
      this.logPhase = false;
      vm.invoke(this.id, "proxy_on_done", [this.id]); // its result is ignored for HTTP streams
      vm.flushDeferred();
      vm.invoke(this.id, "proxy_on_delete", [this.id]);
      vm.flushDeferred();
    }
    vm.contexts.delete(this.id);
    this.notify();
  }
}

/** Envoy's prepareLocalReply for proxy_send_local_response (HG utility.cc). */
function buildLocalReplyHeaders(status: number, body: Uint8Array, extra: Headers, request: HeaderMap | null, grpcStatus: number): HeaderMap {
  const h = new HeaderMap([[":status", String(status)]]);
  for (const [k, v] of extra) h.add(k, v);
  const isGrpc = (request?.get("content-type") ?? "").startsWith("application/grpc");
  if (isGrpc) {
    h.replace(":status", "200");
    h.replace("content-type", "application/grpc");
    const g = grpcStatus >= 0 && grpcStatus <= 16 ? grpcStatus : httpToGrpc(status);
    h.replace("grpc-status", String(g));
    if (body.length) h.replace("grpc-message", Buffer.from(body).toString("utf8"));
    h.remove("content-length");
    return h;
  }
  if (body.length) {
    h.replace("content-length", String(body.length));
    if (!h.has("content-type")) h.add("content-type", "text/plain");
  } else {
    // An empty body strips both, even when the plugin set them.
    h.remove("content-length");
    h.remove("content-type");
  }
  return h;
}

function httpToGrpc(status: number): number {
  switch (status) {
    case 400:
      return 13;
    case 401:
      return 16;
    case 403:
      return 7;
    case 404:
      return 12;
    case 429:
    case 502:
    case 503:
    case 504:
      return 14;
    default:
      return 2;
  }
}
