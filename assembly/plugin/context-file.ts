// Provider `context` (and moonshotFileId): text fetched once per root context with an HTTP callout and then
// inserted as system context into chat requests. The request body waits at end_of_stream
// (StopIterationAndBuffer) while the fetch is pending; the callout answer resumes every waiting stream.
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
    if (status === null) {
      entry.state = ContextState.Failed;
      entry.error = "context fetch failed (reset)";
    } else if (!status.startsWith("2")) {
      entry.state = ContextState.Failed;
      entry.error = "context fetch answered HTTP " + status;
    } else {
      entry.state = ContextState.Ready;
      entry.content = body !== null ? String.UTF8.decode(body) : "";
    }
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
  if (entry.state == ContextState.Ready || entry.state == ContextState.Pending) return entry;
  const headers: Array<HeaderPair> = [
    new HeaderPair(":method", "GET"),
    new HeaderPair(":path", source.path),
    new HeaderPair(":authority", source.authority),
    new HeaderPair("accept", "text/plain, */*"),
  ];
  if (source.authorization.length > 0) headers.push(new HeaderPair("authorization", source.authorization));
  entry.state = ContextState.Pending;
  entry.error = "";
  const token = source.cluster.length == 0 ? 0 : dispatchHttpCall(source.cluster, headers, new Uint8Array(0), source.timeoutMs, new ContextFetch(entry, rootId));
  if (token == 0) {
    entry.state = ContextState.Failed;
    entry.error = source.cluster.length == 0 ? "context fetch needs the route's cluster name" : "context fetch refused by the host (unknown cluster \"" + source.cluster + "\"?)";
    logWarn("ai-proxy: " + entry.error);
  }
  return entry;
}
