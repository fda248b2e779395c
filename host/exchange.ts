// Plugin.exchange(): one whole HTTP exchange through the filter, driven the way Envoy's HCM and router would:
// client request (headers, body chunks, trailers) → plugin → upstream (called once the plugin has released the
// whole request) → response chunks → plugin → client, then on_log / on_done / on_delete.

import { HeaderMap, lowerHeaders, type Headers } from "./header-map";
import type { Plugin } from "./plugin";
import { settle } from "./scheduler";
import type { LogEntry, PropertyValue } from "./types";
import type { LocalReply, Stream } from "./filter-chain";
import { randomUUID } from "node:crypto";

export type BodyInput = string | Uint8Array | Array<string | Uint8Array>;

export interface UpstreamRequest {
  headers: Headers;
  body: Uint8Array;
  /** :authority after the plugin ran (sent upstream as Host). */
  authority: string;
  /** :path after the plugin ran. */
  path: string;
  method: string;
  trailers?: Headers;
}

export interface UpstreamResponse {
  status: number;
  headers?: Headers;
  /** Chunks are delivered one body callback each. */
  body?: BodyInput;
  trailers?: Headers;
}

export interface ExchangeOptions {
  request: { headers: Headers; body?: BodyInput; trailers?: Headers };
  upstream?: (req: UpstreamRequest) => Promise<UpstreamResponse> | UpstreamResponse;
  properties?: Record<string, PropertyValue>;
}

export interface ExchangeResult {
  /** What reached the upstream; null when the plugin answered locally before releasing the request. */
  upstreamRequest: UpstreamRequest | null;
  /** :status the client received (0 if the stream was reset before response headers). */
  status: number;
  headers: Headers;
  body: Uint8Array;
  bodyText: string;
  /** What the client received, one entry per data write (empty writes omitted). */
  chunks: Uint8Array[];
  trailers: Headers | null;
  localReply: null | { status: number; details: string };
  /** The stream was reset (close_stream, local reply after response headers went out, …). */
  reset: boolean;
  logs: LogEntry[];
  trap: Error | null;
  /** The stream, for further inspection (properties, filter state). */
  stream: Stream;
}

const utf8 = new TextEncoder();

export function toChunks(body: BodyInput | undefined): Uint8Array[] {
  if (body === undefined) return [];
  const list = Array.isArray(body) ? body : [body];
  const chunks = list.map((c) => (typeof c === "string" ? utf8.encode(c) : c));
  return Array.isArray(body) ? chunks : chunks.filter((c) => c.length > 0);
}

/**
 * Request headers as Envoy's HCM hands them to filters: lower-case keys, Host → :authority, pseudo-headers first,
 * :scheme added, x-forwarded-proto and x-request-id added when missing. A body given as one piece gets a
 * content-length (as curl would send); a chunk array is sent without one (chunked).
 */
export function normalizeRequestHeaders(headers: Headers, body?: BodyInput): Headers {
  const given = lowerHeaders(headers);
  const host = given.find(([k]) => k === "host")?.[1];
  const h = new HeaderMap(given.filter(([k]) => k !== "host"));
  if (!h.has(":authority")) h.add(":authority", host ?? "localhost");
  if (!h.has(":path")) h.add(":path", "/");
  if (!h.has(":method")) h.add(":method", body === undefined ? "GET" : "POST");
  if (!h.has(":scheme")) h.add(":scheme", "http");
  if (!h.has("x-forwarded-proto")) h.add("x-forwarded-proto", h.get(":scheme") ?? "http");
  if (!h.has("x-request-id")) h.add("x-request-id", randomUUID());
  if (body !== undefined && !Array.isArray(body) && !h.has("content-length") && !h.has("transfer-encoding")) {
    const n = typeof body === "string" ? utf8.encode(body).length : body.length;
    if (n > 0) h.add("content-length", String(n));
  }
  return h.toArray();
}

function concatAll(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** Wait until `done()` holds, failing clearly when the stream can no longer make progress. */
export async function waitFor(stream: Stream, done: () => boolean, what: string): Promise<void> {
  const vm = stream.vm;
  const stallMs = vm.options.stallTimeoutMs ?? 2000;
  let lastProgress = vm.progress;
  let since = Date.now();
  while (!done()) {
    await settle(1);
    if (done()) return;
    if (vm.progress !== lastProgress) {
      lastProgress = vm.progress;
      since = Date.now();
    }
    const idle = vm.pendingWork() === 0 && vm.scheduler.pending() === 0;
    if (idle) await settle(3); // let just-resolved work land before calling it a stall
    if (done()) return;
    if ((idle && vm.pendingWork() === 0 && vm.progress === lastProgress) || Date.now() - since > stallMs) {
      throw new Error(
        `exchange stalled waiting for ${what}: the plugin holds the stream ` +
          `(request ${stream.req.iteration}, response ${stream.resp.iteration}) and nothing pending will resume it` +
          (vm.trap ? `; VM trap: ${vm.trap.message}` : ""),
      );
    }
    if (!idle) await new Promise((r) => setTimeout(r, 1));
  }
}

export async function exchange(plugin: Plugin, opts: ExchangeOptions): Promise<ExchangeResult> {
  const vm = plugin.vm;
  if (!plugin.ok) {
    throw new Error("plugin configuration was refused (proxy_on_configure returned 0); Envoy would reject this config");
  }
  const logStart = vm.logs.length;
  const stream = plugin.newStream({ properties: opts.properties });
  const up = { ended: false };
  stream.listener = {
    upstreamHeaders: (_h, eos) => void (eos && (up.ended = true)),
    upstreamData: (_c, eos) => void (eos && (up.ended = true)),
    upstreamTrailers: () => void (up.ended = true),
  };

  const reqChunks = toChunks(opts.request.body);
  const reqTrailers = opts.request.trailers?.length ? opts.request.trailers : undefined;
  stream.requestHeaders(normalizeRequestHeaders(opts.request.headers, opts.request.body), reqChunks.length === 0 && !reqTrailers);
  for (let i = 0; i < reqChunks.length; i++) {
    await settle(1);
    stream.requestBody(reqChunks[i], i === reqChunks.length - 1 && !reqTrailers);
  }
  if (reqTrailers) stream.requestTrailers(lowerHeaders(reqTrailers));

  await waitFor(stream, () => up.ended || stream.upstreamCancelled || stream.finished, "the request to reach the upstream");

  let upstreamRequest: UpstreamRequest | null = null;
  if (up.ended && !stream.upstreamCancelled && !stream.finished) {
    const f = stream.forwarded;
    const h = new HeaderMap(f.headers ?? []);
    upstreamRequest = {
      headers: f.headers ?? [],
      body: concatAll(f.chunks),
      authority: h.get(":authority") ?? "",
      path: h.get(":path") ?? "",
      method: h.get(":method") ?? "",
      ...(f.trailers ? { trailers: f.trailers } : {}),
    };
    const resp: UpstreamResponse = opts.upstream ? await opts.upstream(upstreamRequest) : { status: 200 };
    const isHead = upstreamRequest.method.toUpperCase() === "HEAD";
    const chunks = isHead ? [] : toChunks(resp.body);
    const trailers = resp.trailers?.length ? lowerHeaders(resp.trailers) : undefined;
    const respHeaders: Headers = [[":status", String(resp.status)], ...lowerHeaders(resp.headers ?? []).filter(([k]) => k !== ":status")];
    stream.responseHeaders(respHeaders, chunks.length === 0 && !trailers);
    for (let i = 0; i < chunks.length && !stream.ignoreUpstream; i++) {
      await settle(1);
      stream.responseBody(chunks[i], i === chunks.length - 1 && !trailers);
    }
    if (trailers && !stream.ignoreUpstream) stream.responseTrailers(trailers);
  }

  await waitFor(stream, () => stream.finished, "the response to reach the client");
  stream.complete();

  const d = stream.downstream;
  const body = concatAll(d.chunks);
  const lr: LocalReply | null = stream.localReply;
  return {
    upstreamRequest,
    status: Number(new HeaderMap(d.headers ?? []).get(":status") ?? 0),
    headers: d.headers ?? [],
    body,
    bodyText: Buffer.from(body).toString("utf8"),
    chunks: d.chunks.slice(),
    trailers: d.trailers,
    localReply: lr ? { status: lr.status, details: lr.details } : null,
    reset: stream.isReset,
    logs: vm.logs.slice(logStart),
    trap: vm.trap,
    stream,
  };
}
