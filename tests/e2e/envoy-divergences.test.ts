// Where real Envoy and the TypeScript host once disagreed, checked on both runtimes and under both header-stop
// settings (Envoy's allow_on_headers_stop_iteration, which the plugin's allowOnHeadersStopIteration follows):
// local answers that need the body, retries after a failed answer with a body, a 2xx whose body is broken, and
// callouts to the clusters the deployment names. Plus the plugin's metrics on the admin port.
import { after, before, beforeEach, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const KEY = "sk-ant-upstream-secret-0123456789";
type Answer = { status: number; headers?: Record<string, string>; body: string };

/** An upstream that answers each request with the next scripted answer (then a default success), recording what it got. */
class ScriptedUpstream {
  seen: { host: string; path: string; key: string; body: string }[] = [];
  script: Answer[] = [];
  private server: TestUpstream | null = null;
  get url(): string { return this.server!.url; }
  async start(): Promise<void> {
    this.server = await startUpstream((req, body, res) => this.handle(req, body, res));
  }
  close(): Promise<void> { return this.server!.close(); }
  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    this.seen.push({ host: String(req.headers.host), path: req.url!, key: String(req.headers["x-api-key"] ?? req.headers.authorization ?? ""), body });
    const a = this.script.shift() ?? defaultAnswer(req.url!, body);
    res.writeHead(a.status, { "content-type": "application/json", ...(a.headers ?? {}) });
    res.end(a.body);
  }
}

function defaultAnswer(path: string, body: string): Answer {
  const model = (JSON.parse(body || "{}") as { model?: string }).model ?? "m";
  if (path.startsWith("/v1/messages")) {
    return { status: 200, body: JSON.stringify({ id: "msg_01", type: "message", role: "assistant", model, content: [{ type: "text", text: "recovered" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 4, output_tokens: 1 } }) };
  }
  return { status: 200, body: JSON.stringify({ id: "chatcmpl-1", object: "chat.completion", created: 1, model, choices: [{ index: 0, message: { role: "assistant", content: "recovered" }, finish_reason: "stop" }], usage: { prompt_tokens: 4, completion_tokens: 1, total_tokens: 5 } }) };
}

const upstream = new ScriptedUpstream();
const gateways: GatewayUnderTest[] = [];
before(() => upstream.start());
beforeEach(() => {
  upstream.seen = [];
  upstream.script = [];
});
after(async () => {
  for (const g of gateways) await g.stop();
  await upstream.close();
});

async function post(g: GatewayUnderTest, path: string, body: object, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${g.url}${path}`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-credential", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const chatBody = { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] };

forEachRuntime((runtime: Runtime) => {
  for (const allow of [true, false]) describe(`allow_on_headers_stop_iteration: ${allow}`, () => {
    const gw = new Map<string, GatewayUnderTest>();
    async function gateway(name: string, config: object, extra: { clusters?: Record<string, string>; upstreams?: Record<string, string> } = {}): Promise<GatewayUnderTest> {
      const key = name;
      if (!gw.has(key)) {
        const g = await startGateway(runtime, config, extra.upstreams ?? { "api.openai.com": upstream.url, "api.anthropic.com": upstream.url, "api.deepseek.com": upstream.url }, { allowOnHeadersStopIteration: allow, clusters: extra.clusters });
        gateways.push(g);
        gw.set(key, g);
      }
      return gw.get(key)!;
    }

    test("count_tokens on a provider without it is answered locally (the catch-all route never answers it)", async () => {
      const g = await gateway("deepseek", { provider: { type: "deepseek", apiTokens: ["sk-deepseek-0123456789"] } });
      const r = await post(g, "/v1/messages/count_tokens", { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hello there, how are you today?" }] }, { "anthropic-version": "2023-06-01" });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-ai-proxy-token-count"), "estimated");
      const out = JSON.parse(r.text);
      assert.deepEqual(Object.keys(out), ["input_tokens"]);
      assert.ok(out.input_tokens > 3 && out.input_tokens < 40, String(out.input_tokens));
      assert.equal(upstream.seen.filter((s) => s.body.length > 0).length, 0, "no body reached a provider");
    });

    test("a retried failure with a body: the client gets only the retry's converted answer, never the failed bytes or the key", async () => {
      const g = await gateway("claude-retry", { provider: { type: "claude", apiTokens: [KEY], retryOnFailure: { enabled: true, maxRetries: 2 } } });
      upstream.script = [{ status: 529, body: JSON.stringify({ type: "error", error: { type: "overloaded_error", message: `Overloaded key=${KEY}` } }) }];
      const r = await post(g, "/v1/chat/completions", chatBody);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-ai-proxy-attempts"), "2");
      const out = JSON.parse(r.text);
      assert.equal(out.object, "chat.completion");
      assert.equal(out.choices[0].message.content, "recovered");
      assert.ok(!r.text.includes(KEY) && !r.text.includes("overloaded"), r.text);
      assert.equal(upstream.seen.length, 2);
      assert.ok(upstream.seen.every((s) => s.path === "/v1/messages" && s.key === KEY));
    });

    test("a retried failure with an HTML body, retried until the attempts run out: the last failure in the client's shape", async () => {
      const g = await gateway("openai-retry", { provider: { type: "openai", apiTokens: ["sk-openai-aaaaaaaaaaaa", "sk-openai-bbbbbbbbbbbb"], retryOnFailure: { enabled: true, maxRetries: 1 } } });
      const html = { status: 502, headers: { "content-type": "text/html" }, body: "<html><body>Bad gateway sk-openai-aaaaaaaaaaaa</body></html>" };
      upstream.script = [html, html];
      const r = await post(g, "/v1/messages", { model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { "anthropic-version": "2023-06-01" });
      assert.equal(r.status, 502, r.text);
      assert.equal(r.headers.get("x-ai-proxy-attempts"), "2");
      const out = JSON.parse(r.text);
      assert.equal(out.type, "error");
      assert.ok(!r.text.includes("sk-openai-"), r.text);
      assert.equal(upstream.seen.length, 2);
    });

    test(allow
      ? "a 200 whose body is not JSON becomes a 502 in the client's shape (the response is held until its body is known)"
      : "a 200 whose body is not JSON: the converted error object under the status already sent (no header hold without the setting)", async () => {
      const g = await gateway("openai", { provider: { type: "openai", apiTokens: ["sk-openai-cccccccccccc"] } });
      upstream.script = [{ status: 200, body: "this is not json" }];
      const r = await post(g, "/v1/messages", { model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { "anthropic-version": "2023-06-01" });
      assert.equal(r.status, allow ? 502 : 200, r.text);
      const out = JSON.parse(r.text);
      assert.equal(out.type, "error");
      assert.equal(out.error.type, "api_error");
      if (allow) assert.equal(r.headers.get("content-length"), String(Buffer.byteLength(r.text)));
    });

    test("retries go to the cluster the provider names (calloutCluster) from the first request", async () => {
      const g = await gateway("named-cluster", {
        provider: { type: "openai", apiTokens: ["sk-openai-dddddddddddd"], calloutCluster: "openai_backup", retryOnFailure: { enabled: true, maxRetries: 1 } },
      }, { clusters: { openai_backup: upstream.url } });
      upstream.script = [{ status: 503, body: JSON.stringify({ error: { message: "busy", type: "server_error" } }) }];
      const r = await post(g, "/v1/chat/completions", chatBody);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers.get("x-ai-proxy-attempts"), "2");
      assert.equal(upstream.seen.length, 2);
    });

    test("the plugin's metrics are on the admin port", async () => {
      const g = await gateway("openai", { provider: { type: "openai", apiTokens: ["sk-openai-cccccccccccc"] } });
      const start = await g.metrics();
      const before = start.ai_proxy_openai_requests ?? 0;
      const r = await post(g, "/v1/messages", { model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { "anthropic-version": "2023-06-01" });
      assert.equal(r.status, 200);
      let m: Record<string, number> = {};
      for (let i = 0; i < 40; i++) { // counted in the access-log phase, just after the response
        m = await g.metrics();
        if (m.ai_proxy_openai_requests === before + 1) break;
        await new Promise((res) => setTimeout(res, 25));
      }
      assert.equal(m.ai_proxy_openai_requests, before + 1);
      assert.equal(m.ai_proxy_openai_output_tokens - (start.ai_proxy_openai_output_tokens ?? 0), 1);
      assert.equal(m.ai_proxy_openai_input_tokens - (start.ai_proxy_openai_input_tokens ?? 0), 4);
      assert.ok(Object.keys(m).every((k) => !k.includes("sk-")), "no key in a metric name");
      const linear = m.ai_proxy_vm_linear_memory_bytes;
      assert.ok(linear >= 65536 && linear % 65536 === 0, `the VM's linear memory gauge, in whole 64 KiB pages: ${linear}`);
    });
  });
});
