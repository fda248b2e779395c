// `ai-proxy-wasm serve …` and `ai-proxy-wasm quickstart`: the gateway face of the host.

import * as fs from "node:fs";
import * as path from "node:path";
import { startGateway, type Gateway } from "./gateway";
import { startMockLlm, type MockLlm } from "./mock-llm";
import { ENVOY_VERSION, envoyVersion, findEnvoy, startEnvoy, type EnvoyProcess } from "./envoy/runtime";

const ROOT = path.resolve(__dirname, "..", "..");
const DEFAULT_WASM = path.join(ROOT, "build", "ai-proxy.wasm");

const USAGE = `Usage:
  ai-proxy-wasm serve --config FILE [--port 10000] [--upstream HOST=URL]... [--route HOST=NAME]... [--admin-port N]
                      [--allow-on-headers-stop-iteration] [--wasm FILE] [--host ADDR] [--log-level N] [--quiet]
  ai-proxy-wasm envoy --config FILE [--port 10000] [--upstream HOST=URL]... [--route HOST=NAME]... [--admin-port 9901]
                      [--no-header-stop] [--concurrency N] [--wasm FILE]
  ai-proxy-wasm quickstart [--runtime auto|envoy|host] [--port 10000] [--admin-port N] [--wasm FILE]
  ai-proxy-wasm mock-llm [--port 10000] [--host ADDR]

serve       runs every request through the plugin, then on to the upstream the plugin chose: its :authority
            (sent as Host) at https://AUTHORITY, or at the URL given with --upstream for that host (with or
            without port). FILE is the plugin JSON exactly as Envoy's \`configuration\` carries it.
envoy       the same in real Envoy (the pinned Envoy ${ENVOY_VERSION} that \`npm install\` provisions in .venv/),
            from a generated bootstrap: one cluster per --upstream host, named after it (default https://HOST),
            allow_on_headers_stop_iteration on unless --no-header-stop. Stats: ADMIN/stats/prometheus.
mock-llm    runs only the built-in mock LLM (OpenAI chat/embeddings/models and Anthropic messages), e.g. as
            the upstream of the docker compose demo.
quickstart  serves provider "openai" with $OPENAI_API_KEY, else "claude" with $ANTHROPIC_API_KEY, else
            "openai" against a built-in mock LLM (no key needed); in real Envoy when it is provisioned
            (--runtime auto, the default), else in the TypeScript host.
Options:
  --upstream HOST=URL   e.g. api.openai.com=http://127.0.0.1:8080 (repeatable); also maps http_call clusters
  --route HOST=NAME     requests with that Host match a route named NAME (the route_name _match_route_ rules
                        match, as Higress names routes after ingresses; repeatable)
  --admin-port N        serves GET /metrics (Prometheus text) and /healthz
  --allow-on-headers-stop-iteration   Envoy >= 1.35 behaviour: StopIteration from a header callback is honoured
  --wasm FILE           the plugin (default build/ai-proxy.wasm)
  --log-level N         0 trace … 5 critical (default 2 info)`;

interface Args {
  cmd: string;
  config?: string;
  port: number;
  host?: string;
  adminPort?: number;
  upstreams: Record<string, string>;
  routes: Record<string, string>;
  allowStop: boolean;
  wasm: string;
  logLevel?: number;
  quiet: boolean;
  runtime: "auto" | "envoy" | "host";
  headerStop: boolean;
  concurrency?: number;
}

function parse(argv: string[]): Args {
  const a: Args = { cmd: argv[0] ?? "", port: 10000, upstreams: {}, routes: {}, allowStop: false, wasm: DEFAULT_WASM, quiet: false, runtime: "auto", headerStop: true };
  for (let i = 1; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes("=") && flag.startsWith("--") ? [flag.slice(0, flag.indexOf("=")), flag.slice(flag.indexOf("=") + 1)] : [flag, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case "--config":
        a.config = value();
        break;
      case "--port":
        a.port = num(value(), name);
        break;
      case "--host":
        a.host = value();
        break;
      case "--admin-port":
        a.adminPort = num(value(), name);
        break;
      case "--upstream": {
        const v = value();
        const eq = v.indexOf("=");
        if (eq <= 0) throw new UsageError(`--upstream wants HOST=URL, got "${v}"`);
        const url = v.slice(eq + 1);
        try {
          new URL(url);
        } catch {
          throw new UsageError(`--upstream ${v}: "${url}" is not a URL`);
        }
        a.upstreams[v.slice(0, eq)] = url;
        break;
      }
      case "--route": {
        const v = value();
        const eq = v.indexOf("=");
        if (eq <= 0) throw new UsageError(`--route wants HOST=NAME, got "${v}"`);
        a.routes[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case "--allow-on-headers-stop-iteration":
        a.allowStop = true;
        break;
      case "--runtime": {
        const v = value();
        if (v !== "auto" && v !== "envoy" && v !== "host") throw new UsageError(`--runtime wants auto, envoy or host, got "${v}"`);
        a.runtime = v;
        break;
      }
      case "--no-header-stop":
        a.headerStop = false;
        break;
      case "--concurrency":
        a.concurrency = num(value(), name);
        break;
      case "--wasm":
        a.wasm = value();
        break;
      case "--log-level":
        a.logLevel = num(value(), name);
        break;
      case "--quiet":
        a.quiet = true;
        break;
      case "-h":
      case "--help":
        a.cmd = "help";
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return a;
}

class UsageError extends Error {}

function num(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${name} wants a port number, got "${v}"`);
  return n;
}

/** Resolve when SIGINT/SIGTERM arrives. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

function requireWasm(file: string): void {
  if (!fs.existsSync(file)) throw new UsageError(`${file} does not exist; run \`npm run build\` first (or pass --wasm)`);
}

async function serve(a: Args): Promise<Gateway> {
  if (!a.config) throw new UsageError("serve needs --config FILE");
  requireWasm(a.wasm);
  const configuration = fs.readFileSync(a.config, "utf8");
  const gw = await startGateway({
    wasm: a.wasm,
    configuration,
    port: a.port,
    host: a.host,
    adminPort: a.adminPort,
    upstreams: a.upstreams,
    routes: a.routes,
    allowOnHeadersStopIteration: a.allowStop,
    logLevel: a.logLevel,
    quiet: a.quiet,
  });
  const ups = Object.entries(a.upstreams).map(([h, u]) => `${h} -> ${u}`).join(", ") || "none (https://AUTHORITY)";
  console.log(`ai-proxy-wasm gateway listening on ${gw.url} (plugin ${path.relative(process.cwd(), a.wasm) || a.wasm}, config ${a.config})`);
  console.log(`  upstream mappings: ${ups}`);
  if (gw.adminUrl) console.log(`  admin: ${gw.adminUrl}/metrics  ${gw.adminUrl}/healthz`);
  return gw;
}

/** The gateway in real Envoy; the upstream of each provider host is its --upstream URL, else https://HOST. */
async function serveEnvoy(a: Args, hosts: string[] = []): Promise<EnvoyProcess> {
  if (!a.config) throw new UsageError("envoy needs --config FILE");
  requireWasm(a.wasm);
  const binary = findEnvoy();
  if (binary === null) throw new UsageError("no Envoy is provisioned: run `npm install` with python3 present (it installs Envoy into .venv/)");
  const upstreams: Record<string, string> = {};
  for (const h of hosts) upstreams[h] = `https://${h}`;
  Object.assign(upstreams, a.upstreams);
  const e = await startEnvoy({
    binary, wasm: path.resolve(a.wasm), configuration: fs.readFileSync(a.config, "utf8"), upstreams, routes: a.routes,
    port: a.port, adminPort: a.adminPort ?? 9901, listenAddress: a.host, allowOnHeadersStopIteration: a.headerStop,
    concurrency: a.concurrency, echo: !a.quiet,
  });
  console.log(`ai-proxy-wasm in Envoy ${envoyVersion(binary) ?? "?"} listening on ${e.url} (plugin ${path.relative(process.cwd(), a.wasm) || a.wasm}, config ${a.config})`);
  console.log(`  clusters: ${Object.entries(upstreams).map(([h, u]) => `${h} -> ${u}`).join(", ") || "none"}`);
  console.log(`  admin: ${e.adminUrl}/stats/prometheus`);
  return e;
}

interface Running { url: string; close(): Promise<void> }

async function quickstart(a: Args): Promise<{ gw: Running; mock: MockLlm | null }> {
  requireWasm(a.wasm);
  let config: object;
  let mock: MockLlm | null = null;
  let mode: string;
  if (process.env.OPENAI_API_KEY) {
    config = { provider: { type: "openai", apiTokens: [process.env.OPENAI_API_KEY] } };
    mode = "provider openai with $OPENAI_API_KEY (real api.openai.com)";
  } else if (process.env.ANTHROPIC_API_KEY) {
    config = { provider: { type: "claude", apiTokens: [process.env.ANTHROPIC_API_KEY] } };
    mode = "provider claude with $ANTHROPIC_API_KEY (real api.anthropic.com)";
  } else {
    mock = await startMockLlm({ port: 0 });
    a.upstreams["api.openai.com"] ??= mock.url;
    config = { provider: { type: "openai", apiTokens: ["mock-key"] } };
    mode = `provider openai against the built-in mock LLM at ${mock.url} (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one)`;
  }
  const dir = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "ai-proxy-wasm-"));
  const file = path.join(dir, "quickstart.json");
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  a.config = file;
  const envoy = a.runtime !== "host" ? findEnvoy() : null;
  if (a.runtime === "envoy" && envoy === null) throw new UsageError("--runtime envoy: no Envoy is provisioned (run `npm install` with python3 present)");
  let gw: Running;
  let runtime: string;
  if (envoy !== null) {
    const e = await serveEnvoy({ ...a, quiet: true }, ["api.openai.com", "api.anthropic.com"]);
    gw = { url: e.url, close: e.stop };
    runtime = `real Envoy ${envoyVersion(envoy) ?? ""} (.venv/bin/envoy), admin ${e.adminUrl}`;
  } else {
    gw = await serve({ ...a, quiet: a.quiet });
    runtime = a.runtime === "host" ? "the TypeScript host (--runtime host)" : "the TypeScript host (no Envoy provisioned: `npm install` with python3 present installs it)";
  }
  console.log(`
  ai-proxy-wasm quickstart: ${mode}
  runtime: ${runtime}

  Try:
    curl ${gw.url}/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}'

  Streaming:
    curl -N ${gw.url}/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}'

  Ctrl-C to stop.
`);
  return { gw, mock };
}

/** Entry point used by bin/ai-proxy-wasm.js. Resolves with the exit code once the server stops. */
export async function main(argv: string[]): Promise<number> {
  let a: Args;
  try {
    a = parse(argv);
  } catch (e) {
    console.error(`ai-proxy-wasm: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    if (a.cmd === "serve") {
      const gw = await serve(a);
      await untilSignal();
      await gw.close();
      return 0;
    }
    if (a.cmd === "envoy") {
      const e = await serveEnvoy(a);
      await Promise.race([untilSignal(), new Promise((r) => e.child.once("exit", r))]);
      await e.stop();
      return e.child.exitCode ?? 0;
    }
    if (a.cmd === "quickstart") {
      const { gw, mock } = await quickstart(a);
      await untilSignal();
      await gw.close();
      await mock?.close();
      return 0;
    }
    if (a.cmd === "mock-llm") {
      const mock = await startMockLlm({ port: a.port, host: a.host ?? "127.0.0.1" });
      console.log(`ai-proxy-wasm mock LLM listening on ${mock.url}`);
      await untilSignal();
      await mock.close();
      return 0;
    }
    if (a.cmd === "help" || a.cmd === "" || a.cmd === "--help" || a.cmd === "-h") {
      console.log(USAGE);
      return a.cmd === "" ? 2 : 0;
    }
    console.error(`ai-proxy-wasm: unknown command "${a.cmd}"\n\n${USAGE}`);
    return 2;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`ai-proxy-wasm: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if ((e as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`ai-proxy-wasm: ${(e as Error).message}`);
      return 1;
    }
    console.error(`ai-proxy-wasm: ${(e as Error).stack ?? e}`);
    return 1;
  }
}
