// firstByteTimeout in the host: which requests carry Envoy's per-try timeout header (streamed ones whose headers
// could wait for the body), and the configure-time warning when they cannot. The behaviour itself (504 before the
// first byte, nothing after it) runs on both runtimes in tests/e2e/first-byte-timeout.test.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, json, requestHeaders, startPlugin } from "../support/plugin";

const SSE: Array<[string, string]> = [["content-type", "text/event-stream"]];
const config = { provider: { type: "openai", apiTokens: ["sk-test"], firstByteTimeout: 3000 } };
const body = (stream: boolean) => json({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content: "Hi" }] });

test("firstByteTimeout: a streamed request's held headers get x-envoy-upstream-rq-per-try-timeout-ms; a whole one's do not", async () => {
  const { plugin } = await startPlugin({ ...config, allowOnHeadersStopIteration: true }, { allowOnHeadersStopIteration: true });
  const s = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: body(true) }, upstream: () => ({ status: 200, headers: SSE, body: "data: [DONE]\n\n" }) });
  assert.equal(header(s.upstreamRequest!.headers, "x-envoy-upstream-rq-per-try-timeout-ms"), "3000");
  const w = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: body(false) }, upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }) });
  assert.equal(header(w.upstreamRequest!.headers, "x-envoy-upstream-rq-per-try-timeout-ms"), undefined);
});

test("firstByteTimeout without allowOnHeadersStopIteration: not applied, and the configuration says so", async () => {
  const { vm, plugin } = await startPlugin(config);
  assert.ok(vm.logs.some((l) => /firstByteTimeout is not applied: it needs allowOnHeadersStopIteration/.test(l.message)));
  const s = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: body(true) }, upstream: () => ({ status: 200, headers: SSE, body: "data: [DONE]\n\n" }) });
  assert.equal(header(s.upstreamRequest!.headers, "x-envoy-upstream-rq-per-try-timeout-ms"), undefined);
});

test("firstByteTimeout on the generic provider: every request gets it at once, streamed or not, without any header wait", async () => {
  // Higress's generic provider applies it so (it never reads the body); the headers go on unheld on stock Envoy too.
  const { vm, plugin } = await startPlugin({ provider: { type: "generic", apiTokens: ["sk-generic"], genericHost: "backend.internal", firstByteTimeout: 1500 } });
  assert.ok(!vm.logs.some((l) => /firstByteTimeout is not applied/.test(l.message)));
  for (const stream of [true, false]) {
    const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: body(stream) }, upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }) });
    assert.equal(header(r.upstreamRequest!.headers, "x-envoy-upstream-rq-per-try-timeout-ms"), "1500");
    assert.equal(header(r.upstreamRequest!.headers, ":authority"), "backend.internal");
    assert.equal(header(r.upstreamRequest!.headers, "accept"), undefined);
  }
});
