// Provider `context` (and moonshotFileId): text fetched once per root context with an HTTP callout and then
// inserted as system context into chat requests. The request body waits at end_of_stream
// (StopIterationAndBuffer) while the fetch is pending; the callout answer resumes every waiting stream.
// Other values a request waits for the same way (an OAuth access token: access-token.ts) subclass ContextSource.
import {
  BufferType, dispatchHttpCall, getBuffer, getHeader, HeaderPair, HttpCallHandler, logWarn, MapType, setEffectiveContext,
} from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { moonshotFilePath, moonshotHost } from "../providers/moonshot";
import { parseUrl } from "../providers/resolve";

export const enum ContextState { Idle = 0, Pending = 1, Ready = 2, Failed = 3 }

/** One context source and its cached text, shared by every request of a root context. */
export class ContextEntry {
  state: ContextState = ContextState.Idle;
  content: string = "";
  error: string = "";
  /** The status a request waiting for a failed entry is answered with. */
  errorStatus: i32 = 500;
  /** Until when a Ready value may be used (ms, host clock; 0 = for good): see ContextSource.fresh. */
  expiresAtMs: u64 = 0;
  /** Stream ids waiting at end of request body. */
  waiters: Array<u32> = [];
  constructor(public source: ContextSource) {}
}

/** Where the text comes from: a cluster, and the request to send to it. */
export class ContextSource {
  key: string = "";
  cluster: string = "";
  authority: string = "";
  path: string = "";
  authorization: string = "";
  timeoutMs: u32 = 120000;
  method: string = "GET";
  contentType: string = "";
  body: Uint8Array = new Uint8Array(0);
  /** What is fetched, for messages ("context fetch"). */
  what: string = "context fetch";

  /** A Ready entry's value may still be used. */
  fresh(entry: ContextEntry): bool { return true; }
  /** Fills `entry` (Ready) from a cache other VMs share, without a callout; false when there is nothing usable. */
  reuse(entry: ContextEntry): bool { return false; }
  /** Prepares the request (its body); an error message when it cannot be sent, "" otherwise. */
  prepare(entry: ContextEntry): string { return ""; }
  /** Reads the answer into `entry.content`; an error message when it is not usable, "" otherwise. */
  accept(entry: ContextEntry, status: string, body: ArrayBuffer | null): string {
    if (!status.startsWith("2")) return this.what + " answered HTTP " + status;
    entry.content = body !== null ? String.UTF8.decode(body) : "";
    return "";
  }
}

/**
 * The context source of a provider, or null when it has none. `context` uses Higress's cluster naming for the
 * configured service (`outbound|<port>||<serviceName>`); `moonshotFileId` reads Moonshot's file-content API
 * (https://platform.moonshot.cn/docs/api/files) through the route's own cluster, as Higress does.
 */
export function contextSourceOf(p: ProviderConfig, routeCluster: string, token: string): ContextSource | null {
  const ctx = p.context;
  if (ctx !== null) {
    const s = new ContextSource();
    const u = parseUrl(ctx.fileUrl);
    s.cluster = "outbound|" + ctx.servicePort.toString() + "||" + ctx.serviceName;
    s.authority = u.authority;
    s.path = u.path.length > 0 ? u.path : "/";
    s.timeoutMs = <u32>p.timeout;
    s.key = s.cluster + " " + ctx.fileUrl;
    return s;
  }
  const moonshotPath = moonshotFilePath(p);
  if (moonshotPath.length > 0) {
    const s = new ContextSource();
    s.cluster = routeCluster;
    s.authority = moonshotHost(p);
    s.path = moonshotPath;
    s.authorization = token.length > 0 ? "Bearer " + token : "";
    s.timeoutMs = <u32>p.timeout;
    s.key = "moonshot " + p.moonshotFileId;
    return s;
  }
  return null;
}

/** Called with a waiting stream made the effective context, once its entry is Ready or Failed. */
let resumeWaiter: ((streamId: u32, entry: ContextEntry) => void) | null = null;
export function setContextResume(fn: (streamId: u32, entry: ContextEntry) => void): void {
  resumeWaiter = fn;
}

class ContextFetch extends HttpCallHandler {
  constructor(public entry: ContextEntry, rootId: u32) {
    super();
    this.contextId = rootId;
  }

  onHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    const entry = this.entry;
    // Read the answer before switching the effective context to the waiting streams.
    let status: string | null = null;
    if (numHeaders > 0) status = getHeader(MapType.HttpCallResponseHeaders, ":status");
    let body: ArrayBuffer | null = null;
    if (bodySize > 0) body = getBuffer(BufferType.HttpCallResponseBody, 0, bodySize);
    const error = status === null ? entry.source.what + " failed (reset or timeout)" : entry.source.accept(entry, status, body);
    entry.state = error.length > 0 ? ContextState.Failed : ContextState.Ready;
    entry.error = error;
    if (entry.state == ContextState.Failed) logWarn("ai-proxy: " + entry.error + " (" + entry.source.key + ")");
    resumeAll(entry);
  }
}

function resumeAll(entry: ContextEntry): void {
  const waiters = entry.waiters;
  entry.waiters = [];
  const fn = resumeWaiter;
  if (fn === null) return;
  for (let i = 0; i < waiters.length; i++) {
    setEffectiveContext(waiters[i]);
    fn(waiters[i], entry);
  }
}

/** The cache entry for `source`, with a fetch started when nothing usable is cached (a failure is retried). */
export function ensureContext(cache: Map<string, ContextEntry>, source: ContextSource, rootId: u32): ContextEntry {
  let entry: ContextEntry;
  if (cache.has(source.key)) entry = cache.get(source.key);
  else {
    entry = new ContextEntry(source);
    cache.set(source.key, entry);
  }
  if (entry.state == ContextState.Pending || (entry.state == ContextState.Ready && source.fresh(entry))) return entry;
  if (source.reuse(entry)) {
    entry.state = ContextState.Ready;
    return entry;
  }
  entry.error = source.prepare(entry);
  if (entry.error.length > 0) {
    entry.state = ContextState.Failed;
    logWarn("ai-proxy: " + entry.error);
    return entry;
  }
  const headers: Array<HeaderPair> = [
    new HeaderPair(":method", source.method),
    new HeaderPair(":path", source.path),
    new HeaderPair(":authority", source.authority),
    new HeaderPair("accept", source.contentType.length > 0 ? "application/json" : "text/plain, */*"),
  ];
  if (source.contentType.length > 0) headers.push(new HeaderPair("content-type", source.contentType));
  if (source.authorization.length > 0) headers.push(new HeaderPair("authorization", source.authorization));
  entry.state = ContextState.Pending;
  if (source.cluster.length == 0 || !dispatchHttpCall(source.cluster, headers, source.body, source.timeoutMs, new ContextFetch(entry, rootId))) {
    entry.state = ContextState.Failed;
    entry.error = source.cluster.length == 0 ? source.what + " needs the route's cluster name" : source.what + " refused by the host (unknown cluster \"" + source.cluster + "\"?)";
    logWarn("ai-proxy: " + entry.error);
  }
  return entry;
}
