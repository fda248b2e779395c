// The gateway face: node:http → plugin → upstream chosen by the plugin's :authority, streamed chunk by chunk;
// admin /metrics and /healthz; the mock LLM's protocols.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { startGateway, resolveUpstream, resolveClusterUrl } from "../../host/gateway";
import { startMockLlm } from "../../host/mock-llm";
import { compileWat } from "./harness";

function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string; chunks: Array<{ at: number; text: string }> }>((resolve, reject) => {
    const t0 = Date.now();
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      const chunks: Array<{ at: number; text: string }> = [];
      res.on("data", (c: Buffer) => chunks.push({ at: Date.now() - t0, text: c.toString() }));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: chunks.map((c) => c.text).join(""), chunks }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

test("upstream resolution: host:port, bare host, default https; cluster names", () => {
  const map = { "api.openai.com": "http://127.0.0.1:9", "x.local:8080": "http://127.0.0.1:10/pre" };
  assert.equal(resolveUpstream("api.openai.com", map).href, "http://127.0.0.1:9/");
  assert.equal(resolveUpstream("api.openai.com:443", map).href, "http://127.0.0.1:9/");
  assert.equal(resolveUpstream("x.local:8080", map).href, "http://127.0.0.1:10/pre");
  assert.equal(resolveUpstream("x.local", map).href, "http://127.0.0.1:10/pre");
  assert.equal(resolveUpstream("api.anthropic.com", map).href, "https://api.anthropic.com/");
  assert.equal(resolveClusterUrl("outbound|443||api.openai.com", map)?.href, "http://127.0.0.1:9/");
  assert.equal(resolveClusterUrl("outbound|8443||other.example", map)?.href, "https://other.example:8443/");
  assert.equal(resolveClusterUrl("api.openai.com", map)?.href, "http://127.0.0.1:9/");
  assert.equal(resolveClusterUrl("no_such_cluster", map), undefined);
});

test("gateway forwards to the plugin's :authority (as Host), streams SSE chunk by chunk, serves /metrics and /healthz", async () => {
  const mock = await startMockLlm({ chunkDelayMs: 60 });
  const gw = await startGateway({
    wasm: await compileWat("header-rewrite.wat"),
    configuration: "{}",
    port: 0,
    adminPort: 0,
    upstreams: { "upstream.example": mock.url },
    quiet: true,
    log: () => {},
  });
  try {
    const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "one two three four" }] });
    const r = await request(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer k", "x-drop": "1" }, body });
    assert.equal(r.status, 200);
    assert.equal(r.headers["x-wat-response"], "seen");
    assert.equal(r.headers["content-type"], "text/event-stream");
    const rec = mock.requests[0];
    assert.equal(rec.headers.host, "upstream.example");
    assert.equal(rec.headers["x-wat"], "1");
    assert.equal(rec.headers["x-drop"], undefined);
    assert.equal(rec.body, body);
    assert.match(r.body, /data: \[DONE\]\n\n$/);
    // Chunk by chunk: the first event reached the client long before the last one was written upstream.
    assert.ok(r.chunks.length >= 5, `got ${r.chunks.length} chunks`);
    const first = r.chunks[0].at;
    const last = r.chunks[r.chunks.length - 1].at;
    assert.ok(last - first >= 200, `first chunk at ${first}ms, last at ${last}ms`);

    const health = await request(`${gw.adminUrl}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(health.body, "ok\n");
    const metrics = await request(`${gw.adminUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.headers["content-type"]), /^text\/plain/);
  } finally {
    await gw.close();
    await mock.close();
  }
});

test("gateway: an unreachable upstream becomes Envoy's 503 local reply, passed through the plugin", async () => {
  const gw = await startGateway({
    wasm: await compileWat("header-rewrite.wat"),
    configuration: "{}",
    port: 0,
    upstreams: { "upstream.example": "http://127.0.0.1:1" },
    quiet: true,
    log: () => {},
  });
  try {
    const r = await request(`${gw.url}/x`);
    assert.equal(r.status, 503);
    assert.match(r.body, /^upstream connect error or disconnect\/reset before headers\. reset reason: connection failure/);
    assert.equal(r.headers["x-wat-response"], "seen");
  } finally {
    await gw.close();
  }
});
