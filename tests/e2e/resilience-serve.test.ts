// Failover, retry and fallback end to end on both runtimes (the TypeScript host's `serve` and real Envoy) and under
// both header-stop settings (Envoy's allow_on_headers_stop_iteration on and off), against an upstream that fails on
// demand per provider host and per key.
import { after, before, beforeEach, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

interface Seen { host: string; key: string; path: string; body: any }

class FlakyUpstream {
  seen: Seen[] = [];
  /** Keys (Authorization or x-api-key values) answered with 503. */
  failingKeys = new Set<string>();
  /** Hosts answered with 500. */
  failingHosts = new Set<string>();
  private server: TestUpstream | null = null;
  get url(): string { return this.server!.url; }

  async start(): Promise<void> {
    this.server = await startUpstream((req, raw, res) => this.handle(req, raw, res));
  }

  close(): Promise<void> {
    return this.server!.close();
  }

  private handle(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const host = String(req.headers.host);
    const key = String(req.headers.authorization ?? req.headers["x-api-key"] ?? "");
    const body = JSON.parse(raw || "{}");
    this.seen.push({ host, key, path: req.url!, body });
    if (this.failingKeys.has(key)) return send(res, 503, { error: { message: "key unavailable", type: "server_error" } });
    if (this.failingHosts.has(host)) return send(res, 500, { error: { message: "provider down", type: "server_error" } });
    if (req.url === "/v1/messages") {
      return send(res, 200, { id: "msg_01", type: "message", role: "assistant", model: body.model, content: [{ type: "text", text: `anthropic:${body.model}` }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 3, output_tokens: 2 } });
    }
    send(res, 200, { id: "chatcmpl-1", object: "chat.completion", created: 1, model: body.model, choices: [{ index: 0, message: { role: "assistant", content: `openai:${body.model}` }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
  }
}

function send(res: http.ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const upstream = new FlakyUpstream();
const gateways: GatewayUnderTest[] = [];
before(() => upstream.start());
beforeEach(() => {
  upstream.failingKeys.clear();
  upstream.failingHosts.clear();
  upstream.seen = [];
});
after(async () => {
  for (const g of gateways) await g.stop();
  await upstream.close();
});

async function chat(g: GatewayUnderTest, model = "gpt-4o"): Promise<{ status: number; body: any; attempts: string | null }> {
  const res = await fetch(`${g.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer client" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "hi" }] }),
  });
  return { status: res.status, body: await res.json(), attempts: res.headers.get("x-ai-proxy-attempts") };
}

async function eventually(what: string, check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting until ${what}`);
}

forEachRuntime((runtime: Runtime) => {
for (const allowOnHeadersStopIteration of [true, false]) describe(`allow_on_headers_stop_iteration: ${allowOnHeadersStopIteration}`, () => {
  async function gateway(config: object): Promise<GatewayUnderTest> {
    const g = await startGateway(runtime, config, { "api.openai.com": upstream.url, "api.anthropic.com": upstream.url }, { allowOnHeadersStopIteration });
    gateways.push(g);
    return g;
  }

  test("a retry uses another token and the client only sees the success", async () => {
    const g = await gateway({ provider: { type: "openai", apiTokens: ["sk-flaky", "sk-solid"], retryOnFailure: { enabled: true, maxRetries: 1 } } });
    upstream.failingKeys = new Set(["Bearer sk-flaky"]);
    upstream.seen = [];
    for (let i = 0; i < 12; i++) {
      const r = await chat(g);
      assert.equal(r.status, 200);
      assert.equal(r.body.choices[0].message.content, "openai:gpt-4o");
    }
    const flaky = upstream.seen.filter((s) => s.key === "Bearer sk-flaky").length;
    assert.ok(flaky > 0, "some first attempts went to the flaky key");
    assert.equal(upstream.seen.length, 12 + flaky, "each failure was retried exactly once, with the other key");
    upstream.failingKeys.clear();
  });

  test("a failing token leaves rotation and rejoins after a passing health check", async () => {
    const g = await gateway({ provider: { id: "rotating", type: "openai", apiTokens: ["sk-a", "sk-b"], failover: { enabled: true, failureThreshold: 1, successThreshold: 1, healthCheckInterval: 200, healthCheckTimeout: 1000, healthCheckModel: "gpt-4o-mini" } } });
    upstream.failingKeys = new Set(["Bearer sk-a"]);
    await eventually("sk-a failed once", async () => {
      await chat(g);
      return upstream.seen.some((s) => s.key === "Bearer sk-a");
    });
    upstream.seen = [];
    for (let i = 0; i < 10; i++) assert.equal((await chat(g)).status, 200);
    assert.ok(upstream.seen.filter((s) => s.body.model === "gpt-4o").every((s) => s.key === "Bearer sk-b"), "sk-a is out of rotation");
    upstream.failingKeys.clear();
    await eventually("a health check with the model passed", async () => upstream.seen.some((s) => s.key === "Bearer sk-a" && s.body.model === "gpt-4o-mini"));
    await eventually("sk-a serves requests again", async () => {
      upstream.seen = [];
      for (let i = 0; i < 6; i++) await chat(g);
      return upstream.seen.some((s) => s.key === "Bearer sk-a" && s.body.model === "gpt-4o");
    });
  });

  test("a tripped provider is skipped, its requests served by the fallback, and it comes back after the cool-down", async () => {
    const g = await gateway({
      providers: [
        { id: "main", type: "openai", apiTokens: ["sk-main"] },
        { id: "spare", type: "claude", apiTokens: ["sk-spare"], modelMapping: { "*": "claude-haiku-4-5" } },
      ],
      activeProviderId: "main",
      fallback: { providers: ["spare"], consecutiveFailures: 2, coolDownMs: 600 },
    });
    upstream.failingHosts = new Set(["api.openai.com"]);
    upstream.seen = [];
    for (let i = 0; i < 2; i++) {
      const r = await chat(g);
      assert.equal(r.status, 200, "recovered by the fallback, never a 5xx");
      assert.equal(r.body.choices[0].message.content, "anthropic:claude-haiku-4-5");
    }
    upstream.seen = [];
    const skipped = await chat(g);
    assert.equal(skipped.status, 200);
    assert.deepEqual(upstream.seen.map((s) => s.host), ["api.anthropic.com"], "the tripped provider is not even tried");
    upstream.failingHosts.clear();
    await new Promise((r) => setTimeout(r, 700));
    upstream.seen = [];
    const back = await chat(g);
    assert.equal(back.body.choices[0].message.content, "openai:gpt-4o");
    assert.deepEqual(upstream.seen.map((s) => s.host), ["api.openai.com"], "the provider is back after the cool-down");
  });
});
});
