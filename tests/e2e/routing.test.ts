// Routing end to end on both runtimes (real Envoy and the TypeScript host): one listener, three mock providers of
// different protocols (OpenAI, Anthropic, DeepSeek), requests routed by their model and by what they look like
// (Claude Code's background, thinking and long-context requests), weighted and latency-aware balancing, and an open
// circuit breaker moving a target's traffic to the others.
import { after, before, beforeEach, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { envoyBootstrap } from "../../host/envoy/bootstrap";
import { findEnvoy, freePort, runEnvoyFile } from "../../host/envoy/runtime";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway, wasmUnderTest } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";
import { ROUTED_CONFIG } from "../routing/config";

interface Seen { host: string; path: string; key: string; body: any }

/** Three providers on one server, told apart by Host; per-host delays and failures on demand. */
class Providers {
  seen: Seen[] = [];
  delayMs: Record<string, number> = {};
  failing = new Set<string>();
  private server: TestUpstream | null = null;
  get url(): string { return this.server!.url; }
  get upstreams(): Record<string, string> {
    return { "api.openai.com": this.url, "api.anthropic.com": this.url, "api.deepseek.com": this.url };
  }
  async start(): Promise<void> {
    this.server = await startUpstream((req, raw, res) => {
      const host = String(req.headers.host);
      this.seen.push({ host, path: req.url!, key: String(req.headers.authorization ?? req.headers["x-api-key"] ?? ""), body: JSON.parse(raw || "{}") });
      setTimeout(() => this.answer(host, req, raw, res), this.delayMs[host] ?? 0);
    });
  }
  close(): Promise<void> { return this.server!.close(); }
  count(host: string): number { return this.seen.filter((s) => s.host === host).length; }

  private answer(host: string, req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const body = JSON.parse(raw || "{}");
    res.writeHead(this.failing.has(host) ? 500 : 200, { "content-type": "application/json" });
    if (this.failing.has(host)) return void res.end(JSON.stringify({ error: { message: "provider down", type: "server_error" } }));
    if (req.url!.includes("/messages")) {
      return void res.end(JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: body.model, content: [{ type: "text", text: `${host}:${body.model}` }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 } }));
    }
    res.end(JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", created: 1, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: `${host}:${body.model}` }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } }));
  }
}

const providers = new Providers();
const gateways: GatewayUnderTest[] = [];
before(() => providers.start());
beforeEach(() => {
  providers.seen = [];
  providers.delayMs = {};
  providers.failing.clear();
});
after(async () => {
  for (const g of gateways) await g.stop();
  await providers.close();
});

async function chat(g: GatewayUnderTest, model: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${g.url}/v1/chat/completions`, {
    method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-key" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: res.status, body: await res.json() };
}

async function messages(g: GatewayUnderTest, body: object): Promise<{ status: number; body: any }> {
  const res = await fetch(`${g.url}/v1/messages?beta=true`, {
    method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "client-key" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 1000, messages: [{ role: "user", content: "hi" }], ...body }),
  });
  return { status: res.status, body: await res.json() };
}

/** `n` requests, `parallel` at a time; the hosts that served them. */
async function spread(g: GatewayUnderTest, model: string, n: number, parallel: number): Promise<Record<string, number>> {
  const before = providers.seen.length;
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const r = await chat(g, model);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const out: Record<string, number> = {};
  for (const s of providers.seen.slice(before)) out[s.host] = (out[s.host] ?? 0) + 1;
  return out;
}

forEachRuntime((runtime: Runtime) => {
  describe("model and trait routing through one listener", () => {
    let g: GatewayUnderTest;
    before(async () => {
      g = await startGateway(runtime, ROUTED_CONFIG, providers.upstreams, { allowOnHeadersStopIteration: true });
      gateways.push(g);
    });

    test("requests naming different models reach the right provider with the right conversion", async () => {
      const gpt = await chat(g, "gpt-4o");
      assert.equal(gpt.status, 200);
      assert.equal(gpt.body.choices[0].message.content, "api.openai.com:gpt-4o");
      const claude = await chat(g, "claude-sonnet-4-5");
      assert.equal(claude.body.object, "chat.completion", "Anthropic's answer converted for the OpenAI client");
      assert.equal(claude.body.choices[0].message.content, "api.anthropic.com:claude-sonnet-4-5");
      const ds = await chat(g, "deepseek-v3");
      assert.equal(ds.body.choices[0].message.content, "api.deepseek.com:deepseek-chat");
      const fromClaudeCode = await messages(g, { model: "gpt-4o-mini" });
      assert.equal(fromClaudeCode.body.type, "message", "OpenAI's answer converted for the Anthropic client");
      assert.equal(fromClaudeCode.body.content[0].text, "api.openai.com:gpt-4o-mini");
      assert.deepEqual(providers.seen.map((s) => [s.host, s.path, s.key]), [
        ["api.openai.com", "/v1/chat/completions", "Bearer sk-openai-key-1"],
        ["api.anthropic.com", "/v1/messages", "sk-ant-key-1"],
        ["api.deepseek.com", "/chat/completions", "Bearer sk-deepseek-key-1"],
        ["api.openai.com", "/v1/chat/completions", "Bearer sk-openai-key-1"],
      ]);
      assert.deepEqual(providers.seen[1].body.messages, [{ role: "user", content: "hi" }], "Anthropic's request shape");
      assert.equal(typeof providers.seen[1].body.max_tokens, "number", "max_tokens, which Anthropic requires, added");
      assert.equal(providers.seen[3].body.max_completion_tokens, 1000);
      const none = await chat(g, "llama-3");
      assert.equal(none.status, 404);
      assert.match(none.body.error.message, /matches no route/);
      assert.equal(providers.seen.length, 4, "an unroutable model reaches no provider");
    });

    test("Claude Code's background, thinking and long-context requests reach their configured targets", async () => {
      const background = await messages(g, { model: "claude-haiku-4-5-20251001" });
      const thinking = await messages(g, { thinking: { type: "enabled", budget_tokens: 1024 } });
      const long = await messages(g, { messages: [{ role: "user", content: "lorem ipsum ".repeat(2000) }] });
      const main = await messages(g, {});
      for (const r of [background, thinking, long, main]) assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(providers.seen.map((s) => [s.host, s.path.split("?")[0], s.body.model]), [
        ["api.deepseek.com", "/anthropic/v1/messages", "deepseek-chat"],
        ["api.deepseek.com", "/anthropic/v1/messages", "deepseek-reasoner"],
        ["api.openai.com", "/v1/chat/completions", "gpt-4.1"],
        ["api.anthropic.com", "/v1/messages", "claude-sonnet-4-5"],
      ]);
      assert.equal(long.body.type, "message");
    });

    test("GET /v1/models lists the routable names", async () => {
      const res = await fetch(`${g.url}/v1/models`);
      assert.deepEqual(((await res.json()) as any).data.map((m: any) => m.id), ["fast", "quick"]);
    });

    test("weights 3:1 split within ±5%, counted per route and target", async () => {
      const n = runtime === "envoy" ? 4000 : 1000; // 4,000 on the host: tests/routing/routing.test.ts
      const started = Date.now();
      const hosts = await spread(g, "fast", n, 8);
      const share = (hosts["api.openai.com"] ?? 0) / n;
      console.log(`# [${runtime}] weighted 3:1 over ${n} requests: openai ${(share * 100).toFixed(1)}% in ${Date.now() - started} ms`);
      assert.ok(Math.abs(share - 0.75) <= 0.05, JSON.stringify(hosts));
      const m = await g.metrics();
      assert.equal(m["ai_proxy_route_fast_openai_requests"], hosts["api.openai.com"]);
      assert.equal(m["ai_proxy_route_fast_deepseek_requests"], hosts["api.deepseek.com"]);
    });

    test("a target whose latency rises receives less traffic under the latency-aware policy", async () => {
      providers.delayMs = { "api.openai.com": 5, "api.deepseek.com": 5 };
      const even = await spread(g, "quick", 100, 1);
      providers.delayMs["api.deepseek.com"] = 150;
      await spread(g, "quick", 40, 1);
      const slow = await spread(g, "quick", 150, 1);
      console.log(`# [${runtime}] latency-aware: both 5 ms ${JSON.stringify(even)}; deepseek at 150 ms ${JSON.stringify(slow)}`);
      // Equal delays still measure a few ms apart under load, and the share goes with the square: both get traffic.
      assert.ok((even["api.deepseek.com"] ?? 0) >= 10 && (even["api.openai.com"] ?? 0) >= 10, `both took traffic while equally fast: ${JSON.stringify(even)}`);
      assert.ok((slow["api.deepseek.com"] ?? 0) / 150 < 0.15, `the slow target's share fell: ${JSON.stringify(slow)}`);
    });
  });

  describe("an open circuit breaker takes a target out of the choice", () => {
    let g: GatewayUnderTest;
    before(async () => {
      const config = {
        ...ROUTED_CONFIG,
        fallback: { providers: ["anthropic"], onStatus: ["5.*"], consecutiveFailures: 3, coolDownMs: 60000 },
        routing: { models: [
          { match: "pair", targets: [{ provider: "openai", model: "gpt-4o-mini" }, { provider: "deepseek", model: "deepseek-chat" }] },
          { match: "gpt-*", provider: "openai" },
        ] },
      };
      g = await startGateway(runtime, config, providers.upstreams, { allowOnHeadersStopIteration: true });
      gateways.push(g);
    });

    test("a failing target's requests fall back to the route's other target, then its breaker opens and its traffic moves", async () => {
      providers.failing.add("api.openai.com");
      const hosts = await spread(g, "pair", 40, 1);
      assert.equal(hosts["api.openai.com"], 3, `three failures open the breaker, then no more requests: ${JSON.stringify(hosts)}`);
      assert.equal(hosts["api.deepseek.com"], 40, "every request answered by the other target (3 of them as fallbacks)");
      assert.ok(providers.seen.filter((s) => s.host === "api.deepseek.com").every((s) => s.body.model === "deepseek-chat"), "fallbacks carry the target's model");
      assert.equal(hosts["api.anthropic.com"], undefined, "the route's own targets come before the scope's fallback providers");
      // A route whose only target's breaker is open sends straight to the scope's fallback provider.
      const before = providers.count("api.openai.com");
      const gpt = await chat(g, "gpt-4o");
      assert.equal(gpt.status, 200);
      assert.equal(gpt.body.choices[0].message.content, "api.anthropic.com:gpt-4o");
      assert.equal(providers.count("api.openai.com"), before, "the open breaker's provider was not tried");
    });
  });
});

describe("[envoy] access log", { skip: findEnvoy() === null ? "no Envoy provisioned" : false }, () => {
  test("Envoy's access log names the route and the target from the plugin's filter state", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-routing-"));
    const file = path.join(dir, "envoy.json");
    const bootstrap: any = envoyBootstrap({
      wasm: wasmUnderTest(), configuration: JSON.stringify(ROUTED_CONFIG), upstreams: providers.upstreams,
      allowOnHeadersStopIteration: true, listenPort: 0, adminPort: 0,
    });
    const hcm = bootstrap.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
    hcm.access_log = [{
      name: "envoy.access_loggers.stdout",
      typed_config: {
        "@type": "type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog",
        log_format: { text_format_source: { inline_string: "ACCESS route=%FILTER_STATE(wasm.ai_proxy.route:PLAIN)% target=%FILTER_STATE(wasm.ai_proxy.target:PLAIN)% status=%RESPONSE_CODE%\n" } },
      },
    }];
    const port = await freePort();
    const adminPort = await freePort();
    bootstrap.static_resources.listeners[0].address.socket_address.port_value = port;
    bootstrap.admin.address.socket_address.port_value = adminPort;
    fs.writeFileSync(file, JSON.stringify(bootstrap));
    const e = await runEnvoyFile(file, port, adminPort, { concurrency: 1 }, () => fs.rmSync(dir, { recursive: true, force: true }));
    try {
      // One request: Envoy flushes the first access-log line at once, later ones on its 10 s file-flush timer.
      const before = providers.seen.length;
      assert.equal((await chat({ url: e.url } as GatewayUnderTest, "fast")).status, 200);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && !/^ACCESS /m.test(e.output())) await new Promise((r) => setTimeout(r, 50));
      const served = providers.seen[before].host === "api.openai.com" ? "openai" : "deepseek";
      assert.deepEqual(e.output().split("\n").filter((l) => l.startsWith("ACCESS ")), [`ACCESS route=fast target=${served} status=200`]);
    } finally {
      await e.stop();
    }
  });
});
