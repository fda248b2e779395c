// The two runtimes every end-to-end test runs on: the TypeScript host (`ai-proxy-wasm serve`) and real Envoy
// (1.40, provisioned in .venv/ by `npm install`). A test calls `forEachRuntime` and gets the same gateway API on
// both, so one set of assertions holds for both. Where they differ, Envoy is right.
import { describe } from "node:test";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { withHeaderStopSetting } from "../../host/envoy/bootstrap";
import { findEnvoy, startEnvoy } from "../../host/envoy/runtime";
import { ROOT } from "./plugin";
import { serve } from "./serve";

export type Runtime = "host" | "envoy";

export interface GatewayUnderTest {
  runtime: Runtime;
  url: string;
  adminUrl: string;
  /** The gateway's log so far (Envoy's log, or the host's), plugin log lines included. */
  output(): string;
  /** Prometheus text from the admin port, by metric name (e.g. "ai_proxy_openai_requests"). */
  metrics(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /**
   * Envoy >= 1.35's allow_on_headers_stop_iteration (default true, as the shipped envoy.yaml sets it); the plugin's
   * `allowOnHeadersStopIteration` follows it unless the configuration states it.
   */
  allowOnHeadersStopIteration?: boolean;
  /** Extra Envoy clusters / host callout targets by cluster name. */
  clusters?: Record<string, string>;
  /** Route timeout (seconds) in Envoy; the host has none. */
  routeTimeoutSeconds?: number;
  concurrency?: number;
  /** Request Host → route name (`route_name`, which `_match_route_` rules match), on both runtimes. */
  routes?: Record<string, string>;
  /** Envoy only: its access log (host/envoy/bootstrap.ts ACCESS_LOG_FORMAT) goes to this file. */
  accessLogPath?: string;
}

/** The module under test: build/ai-proxy.wasm, or $AI_PROXY_WASM (e.g. an older build, to show a test fails there). */
export function wasmUnderTest(): string {
  return process.env.AI_PROXY_WASM || path.join(ROOT, "build", "ai-proxy.wasm");
}

let cached: Runtime[] | null = null;

/**
 * The runtimes to test: $AI_PROXY_RUNTIMES ("host", "envoy" or "host,envoy"), else both when Envoy is provisioned.
 * In CI with python3 present, a missing Envoy is an error rather than a silent host-only run.
 */
export function runtimes(): Runtime[] {
  if (cached !== null) return cached;
  const want = process.env.AI_PROXY_RUNTIMES;
  if (want) {
    cached = want.split(",").map((s) => s.trim()).filter((s): s is Runtime => s === "host" || s === "envoy");
    if (cached.includes("envoy") && findEnvoy() === null) throw new Error("AI_PROXY_RUNTIMES names envoy, but no Envoy is provisioned");
    return cached;
  }
  const envoy = findEnvoy();
  if (envoy === null && process.env.CI && spawnSync("python3", ["--version"]).status === 0) {
    throw new Error("CI with python3, but no Envoy in .venv/: `npm install` should have provisioned it");
  }
  cached = envoy === null ? ["host"] : ["host", "envoy"];
  return cached;
}

/** Runs `body` once per runtime, inside a describe block named after it. */
export function forEachRuntime(body: (runtime: Runtime) => void): void {
  for (const r of runtimes()) describe(`[${r}]`, () => body(r));
}

export function parsePrometheus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:.]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line.trim());
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

/** Starts the gateway on `runtime` with plugin `config`, each provider host mapped to a local upstream URL. */
export async function startGateway(runtime: Runtime, config: object | string, upstreams: Record<string, string>, o: GatewayOptions = {}): Promise<GatewayUnderTest> {
  const configuration = typeof config === "string" ? config : JSON.stringify(config);
  const allow = o.allowOnHeadersStopIteration ?? true;
  if (runtime === "envoy") {
    const e = await startEnvoy({
      wasm: wasmUnderTest(), configuration, upstreams, clusters: o.clusters,
      allowOnHeadersStopIteration: allow, routeTimeoutSeconds: o.routeTimeoutSeconds, concurrency: o.concurrency ?? 1,
      accessLogPath: o.accessLogPath, routes: o.routes,
    });
    return {
      runtime, url: e.url, adminUrl: e.adminUrl, output: e.output, stop: e.stop,
      metrics: async () => parsePrometheus(await (await fetch(`${e.adminUrl}/stats/prometheus`)).text()),
    };
  }
  const extra = allow ? ["--allow-on-headers-stop-iteration"] : [];
  for (const [host, name] of Object.entries(o.routes ?? {})) extra.push("--route", `${host}=${name}`);
  const s = await serve(JSON.parse(withHeaderStopSetting(configuration, allow)), { ...upstreams, ...(o.clusters ?? {}) }, [...extra, "--wasm", wasmUnderTest()]);
  return {
    runtime, url: s.url, adminUrl: s.adminUrl, output: s.output, stop: s.stop,
    metrics: async () => parsePrometheus(await (await fetch(`${s.adminUrl}/metrics`)).text()),
  };
}
