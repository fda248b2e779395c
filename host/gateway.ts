// The local gateway: a node:http server that runs every request through the plugin (one VM, one root context —
// like a single Envoy worker) and on to the upstream the plugin chose: the :authority after the plugin ran (sent as
// Host, as Envoy does) at https://AUTHORITY, or at the URL mapped with --upstream for that host. Bodies stream
// chunk by chunk both ways: each upstream chunk is one on_response_body call and is written to the client at once.

import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { HeaderMap, type Headers } from "./header-map";
import { ProxyWasmHost } from "./host";
import type { Plugin } from "./plugin";
import type { ClusterHandler, ClusterResponse, LogEntry } from "./types";
import type { Vm } from "./vm";

export interface GatewayOptions {
  wasm: string | Uint8Array;
  /** The plugin configuration exactly as Envoy's `configuration` carries it. */
  configuration: string;
  port?: number;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** HOST or HOST:PORT (or a cluster name) → base URL, e.g. {"api.openai.com": "http://127.0.0.1:8080"}. */
  upstreams?: Record<string, string>;
  adminPort?: number;
  allowOnHeadersStopIteration?: boolean;
  logLevel?: number;
  vmId?: string;
  pluginName?: string;
  rootId?: string;
  /** Where gateway and plugin log lines go (default: stderr). */
  log?: (line: string) => void;
  /** No access log lines. */
  quiet?: boolean;
  /**
   * Request Host (without port) → the route's name, answered as the `route_name` property (Envoy: the name of the
   * route the request matched; Higress names routes after ingresses, which `_match_route_` rules name).
   */
  routes?: Record<string, string>;
}

export interface Gateway {
  url: string;
  port: number;
  adminUrl: string | null;
  vm: Vm;
  plugin: Plugin;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "http2-settings"]);
const LEVELS = ["trace", "debug", "info", "warn", "error", "critical"];

/** Find the base URL for an authority: exact "host:port" key, then bare host; default https://authority. */
export function resolveUpstream(authority: string, upstreams: Record<string, string>): URL {
  const host = authority.replace(/:\d+$/, "");
  const mapped = upstreams[authority] ?? upstreams[host] ?? Object.entries(upstreams).find(([k]) => k.replace(/:\d+$/, "") === host)?.[1];
  return new URL(mapped ?? `https://${authority}`);
}

/** Cluster name → base URL: a mapped name, Istio/Higress "outbound|PORT|SUBSET|HOST", or a host name. */
export function resolveClusterUrl(name: string, upstreams: Record<string, string>): URL | undefined {
  if (upstreams[name]) return new URL(upstreams[name]);
  const m = /^outbound\|(\d+)\|[^|]*\|(.+)$/.exec(name);
  if (m) {
    const [, port, host] = m;
    const mapped = upstreams[`${host}:${port}`] ?? upstreams[host];
    if (mapped) return new URL(mapped);
    return new URL(`${port === "80" ? "http" : "https"}://${host}${port === "80" || port === "443" ? "" : `:${port}`}`);
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i.test(name)) return resolveUpstream(name, upstreams);
  return undefined;
}

function joinPath(base: URL, path: string): string {
  const prefix = base.pathname.replace(/\/$/, "");
  return prefix + (path.startsWith("/") ? path : `/${path}`);
}

/** Envoy's router reads this request header (the per-try timeout) and removes it before the request goes upstream. */
const PER_TRY_TIMEOUT = "x-envoy-upstream-rq-per-try-timeout-ms";

function outgoingHeaders(h: Headers, authority: string): http.OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of h) {
    if (k.startsWith(":") || HOP_BY_HOP.has(k) || k === "host" || k === PER_TRY_TIMEOUT) continue;
    const cur = out[k];
    out[k] = cur === undefined ? v : Array.isArray(cur) ? [...cur, v] : [cur, v];
  }
  out.host = authority;
  return out;
}

function incomingHeaders(raw: string[]): Headers {
  const h: Headers = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (!HOP_BY_HOP.has(k)) h.push([k, raw[i + 1]]);
  }
  return h;
}

function clientFor(url: URL): typeof http | typeof https {
  return url.protocol === "https:" ? https : http;
}

/** An http_call cluster backed by a real HTTP request. */
function clusterHandler(base: URL): ClusterHandler {
  return (req) =>
    new Promise<ClusterResponse>((resolve, reject) => {
      const h = new HeaderMap(req.headers);
      const authority = h.get(":authority") ?? base.host;
      const r = clientFor(base).request(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port || undefined,
          method: h.get(":method") ?? "GET",
          path: joinPath(base, h.get(":path") ?? "/"),
          headers: outgoingHeaders(req.headers, authority),
          servername: base.hostname,
        },
        (resp) => {
          const chunks: Buffer[] = [];
          resp.on("data", (c: Buffer) => chunks.push(c));
          resp.on("end", () => resolve({ headers: [[":status", String(resp.statusCode)], ...incomingHeaders(resp.rawHeaders)], body: new Uint8Array(Buffer.concat(chunks)) }));
          resp.on("error", reject);
        },
      );
      r.on("error", reject);
      if (req.timeoutMs > 0) r.setTimeout(req.timeoutMs + 1000, () => r.destroy(new Error("timeout")));
      r.end(Buffer.from(req.body));
    });
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const upstreams = opts.upstreams ?? {};
  const host = await ProxyWasmHost.load(opts.wasm, {
    timers: "real",
    allowOnHeadersStopIteration: opts.allowOnHeadersStopIteration,
    logLevel: opts.logLevel,
    resolveCluster: (name) => {
      const url = resolveClusterUrl(name, upstreams);
      return url ? clusterHandler(url) : undefined;
    },
    onLog: (e: LogEntry, vm) => log(`[${LEVELS[e.level] ?? e.level}] wasm log ${opts.pluginName ?? ""} ${opts.rootId ?? ""} ${vm.vmId}: ${e.message}`),
    onTrap: (err) => log(`[critical] ${err.stack ?? err.message}`),
  });
  const vm = await host.createVm({ vmId: opts.vmId ?? "" });
  const plugin = vm.startPlugin({ configuration: opts.configuration, name: opts.pluginName, rootId: opts.rootId });
  if (!plugin.ok) {
    vm.close();
    throw new Error("the plugin refused its configuration (proxy_on_configure returned 0); see the log lines above");
  }

  const server = http.createServer((req, res) => handleRequest(req, res, plugin, upstreams, log, !!opts.quiet, opts.routes ?? {}));
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const listenHost = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 10000, listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let admin: http.Server | null = null;
  let adminUrl: string | null = null;
  if (opts.adminPort !== undefined) {
    admin = http.createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (path === "/metrics" || path === "/stats/prometheus") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        res.end(vm.prometheus());
      } else if (path === "/healthz" || path === "/ready") {
        const bad = vm.trap;
        res.writeHead(bad ? 503 : 200, { "content-type": "text/plain" });
        res.end(bad ? `wasm VM failed: ${bad.message}\n` : "ok\n");
      } else {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("GET /metrics or /healthz\n");
      }
    });
    await new Promise<void>((resolve, reject) => {
      admin!.once("error", reject);
      admin!.listen(opts.adminPort, listenHost, () => resolve());
    });
    adminUrl = `http://${listenHost}:${(admin.address() as AddressInfo).port}`;
  }

  return {
    url: `http://${listenHost}:${port}`,
    port,
    adminUrl,
    vm,
    plugin,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      if (admin) await new Promise<void>((r) => admin!.close(() => r()));
      vm.close();
    },
  };
}

/** The `route_name` property for a request Host, when a route is named for it. */
function routeNameOf(host: string | undefined, routes: Record<string, string>): Record<string, string> {
  const name = host !== undefined ? routes[host.replace(/:\d+$/, "")] : undefined;
  return name !== undefined ? { route_name: name } : {};
}

function handleRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  plugin: Plugin,
  upstreams: Record<string, string>,
  log: (line: string) => void,
  quiet: boolean,
  routes: Record<string, string>,
): void {
  const started = Date.now();
  const stream = plugin.newStream({
    properties: {
      "source.address": `${req.socket.remoteAddress}:${req.socket.remotePort}`,
      "destination.address": `${req.socket.localAddress}:${req.socket.localPort}`,
      "request.protocol": `HTTP/${req.httpVersion}`,
      ...routeNameOf(req.headers.host, routes),
    },
  });
  // What Envoy's HTTP/1 codec + HCM hand to filters.
  const headers = new HeaderMap();
  const given = incomingHeaders(req.rawHeaders);
  headers.add(":authority", req.headers.host ?? "localhost");
  headers.add(":path", req.url ?? "/");
  headers.add(":method", req.method ?? "GET");
  headers.add(":scheme", "http");
  for (const [k, v] of given) if (k !== "host") headers.add(k, v);
  if (!headers.has("x-forwarded-proto")) headers.add("x-forwarded-proto", "http");
  if (!headers.has("x-request-id")) headers.add("x-request-id", randomUUID());
  const isHead = req.method === "HEAD";
  const hasBody = (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") || req.headers["transfer-encoding"] !== undefined;

  let upReq: http.ClientRequest | null = null;
  let target = "";
  // Envoy's per-try timeout: from the request's end until the response starts; then 504 "upstream request timeout".
  let perTryMs = 0;
  let perTryTimer: NodeJS.Timeout | null = null;
  let timedOut = false;
  const requestSent = () => {
    if (perTryMs <= 0 || perTryTimer) return;
    perTryTimer = setTimeout(() => {
      if (stream.resp.started || stream.finished) return;
      timedOut = true;
      upReq?.destroy();
      stream.upstreamFailure(504, "upstream request timeout", "upstream_per_try_timeout");
    }, perTryMs);
  };
  let sentBytes = 0;
  let declaredLength: number | null = null;
  const finish = () => stream.complete();

  stream.listener = {
    upstreamHeaders(h, eos) {
      const m = new HeaderMap(h);
      const authority = m.get(":authority") ?? "";
      const base = resolveUpstream(authority, upstreams);
      const path = joinPath(base, m.get(":path") ?? "/");
      target = `${base.origin}${path}`;
      perTryMs = Number(m.get(PER_TRY_TIMEOUT) ?? 0) || 0;
      upReq = clientFor(base).request({
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port || undefined,
        method: m.get(":method") ?? "GET",
        path,
        headers: outgoingHeaders(h, authority),
        servername: base.hostname,
      });
      upReq.on("response", (ur) => {
        if (perTryTimer) clearTimeout(perTryTimer);
        if (!timedOut) onUpstreamResponse(ur);
      });
      upReq.on("error", (err) => {
        if (perTryTimer) clearTimeout(perTryTimer);
        if (timedOut) return;
        if (!stream.resp.started) {
          stream.upstreamFailure(
            503,
            `upstream connect error or disconnect/reset before headers. reset reason: connection failure, transport failure reason: ${err.message}`,
            "upstream_reset_before_response_started{connection_failure}",
          );
        } else if (!stream.finished) {
          res.destroy();
        }
      });
      if (eos) { upReq.end(); requestSent(); }
    },
    upstreamData(c, eos) {
      if (!upReq) return;
      if (c.length) upReq.write(c);
      if (eos) { upReq.end(); requestSent(); }
    },
    upstreamTrailers(t) {
      upReq?.addTrailers(Object.fromEntries(t));
      upReq?.end();
    },
    upstreamCancel() {
      upReq?.destroy();
    },
    downstreamHeaders(h, eos) {
      const m = new HeaderMap(h);
      const status = Number(m.get(":status") ?? 200);
      const grouped = new Map<string, string[]>();
      for (const [k, v] of h) {
        if (k.startsWith(":") || HOP_BY_HOP.has(k)) continue;
        grouped.set(k, [...(grouped.get(k) ?? []), v]);
      }
      for (const [k, v] of grouped) res.setHeader(k, v.length === 1 ? v[0] : v);
      const cl = m.get("content-length");
      declaredLength = cl !== undefined ? Number(cl) : null;
      res.writeHead(status);
      if (eos) res.end();
      else res.flushHeaders();
    },
    downstreamData(c, eos) {
      if (c.length) {
        sentBytes += c.length;
        res.write(c);
      }
      if (eos) {
        if (declaredLength !== null && declaredLength !== sentBytes && !isHead) {
          log(`[warn] response body is ${sentBytes} bytes but content-length says ${declaredLength}: the plugin changed the body without removing content-length (Envoy would mis-frame it too)`);
        }
        res.end();
      }
    },
    downstreamTrailers(t) {
      res.addTrailers(Object.fromEntries(t));
      res.end();
    },
    reset() {
      if (perTryTimer) clearTimeout(perTryTimer);
      upReq?.destroy();
      res.destroy();
    },
  };

  const onUpstreamResponse = (ur: http.IncomingMessage) => {
    const status = ur.statusCode ?? 502;
    const h: Headers = [[":status", String(status)], ...incomingHeaders(ur.rawHeaders)];
    const noBody = isHead || status === 204 || status === 304 || (status >= 100 && status < 200) || ur.headers["content-length"] === "0";
    stream.responseHeaders(h, noBody);
    if (noBody) {
      ur.resume();
      return;
    }
    ur.on("data", (c: Buffer) => stream.responseBody(new Uint8Array(c), false));
    ur.on("end", () => {
      const trailers = incomingHeaders(ur.rawTrailers);
      if (trailers.length) stream.responseTrailers(trailers);
      else stream.responseBody(new Uint8Array(0), true); // HTTP/1 message complete: an empty final data frame
    });
    ur.on("error", () => {
      if (!stream.finished) res.destroy();
    });
  };

  res.on("close", () => {
    if (!res.writableFinished) upReq?.destroy(); // client went away
    if (!quiet) {
      const status = stream.isReset ? "reset" : String(res.statusCode);
      log(`[gateway] ${req.method} ${req.url} -> ${target || "(local reply)"} ${status} ${Date.now() - started}ms`);
    }
    finish();
  });

  stream.requestHeaders(headers.toArray(), !hasBody);
  if (hasBody) {
    req.on("data", (c: Buffer) => stream.requestBody(new Uint8Array(c), false));
    req.on("end", () => {
      const trailers = incomingHeaders(req.rawTrailers);
      if (trailers.length) stream.requestTrailers(trailers);
      else stream.requestBody(new Uint8Array(0), true);
    });
  } else {
    req.resume();
  }
}
