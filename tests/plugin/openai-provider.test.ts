// Provider "openai": the foundation's end-to-end path through build/ai-proxy.wasm under stock Envoy semantics.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { allHeaders, header, json, requestHeaders, startPlugin } from "../support/plugin";

const CONFIG = {
  provider: {
    type: "openai",
    apiTokens: ["sk-provider-1"],
    modelMapping: { "gpt-4": "gpt-4o", "gpt-3.5-*": "gpt-4o-mini", "*": "gpt-4.1" },
  },
};

const completion = {
  id: "chatcmpl-abc123",
  object: "chat.completion",
  created: 1714807624,
  model: "gpt-4o-2024-08-06",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
};

function clientHeaders() {
  return requestHeaders("/v1/chat/completions", [["authorization", "Bearer client-secret"], ["x-api-key", "client-other-secret"], ["accept-encoding", "gzip"]]);
}

test("non-streamed chat: host, path and key rewritten, client credentials dropped, model mapped, answer untouched", async () => {
  const { plugin } = await startPlugin(CONFIG);
  const body = `{"model":"gpt-4","messages":[{"role":"user","content":"Hi"}],"temperature":0.3}`;
  const upstreamBody = json(completion);
  const r = await plugin.exchange({
    request: { headers: clientHeaders(), body },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"], ["content-length", String(upstreamBody.length)]], body: upstreamBody }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.openai.com");
  assert.equal(up.path, "/v1/chat/completions");
  assert.deepEqual(allHeaders(up.headers, "authorization"), ["Bearer sk-provider-1"]);
  assert.equal(header(up.headers, "x-api-key"), undefined);
  assert.equal(header(up.headers, "accept-encoding"), "identity"); // the plugin reads answers: never compressed
  const sentText = Buffer.from(up.body).toString();
  assert.ok(!sentText.includes("client-secret"));
  assert.deepEqual(JSON.parse(sentText), { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], temperature: 0.3 });
  assert.equal(r.status, 200);
  assert.equal(r.bodyText, upstreamBody);
  assert.equal(r.trap, null);
});

test("modelMapping: exact key, prefix key, then \"*\"", async () => {
  const { plugin } = await startPlugin(CONFIG);
  for (const [asked, sent] of [["gpt-4", "gpt-4o"], ["gpt-3.5-turbo", "gpt-4o-mini"], ["o3", "gpt-4.1"]]) {
    const r = await plugin.exchange({
      request: { headers: clientHeaders(), body: json({ model: asked, messages: [{ role: "user", content: "x" }] }) },
      upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json(completion) }),
    });
    assert.equal(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).model, sent, asked);
  }
});

test("an empty mapping target keeps the requested model", async () => {
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["k"], modelMapping: { "*": "" } } });
  const r = await plugin.exchange({
    request: { headers: clientHeaders(), body: json({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json(completion) }),
  });
  assert.equal(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).model, "gpt-4o");
});

test("apiTokens: each request carries one of the configured tokens", async () => {
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-a", "sk-b", "sk-c"] } });
  const seen = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const r = await plugin.exchange({
      request: { headers: clientHeaders(), body: json({ model: "gpt-4o", messages: [{ role: "user", content: "x" }] }) },
      upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json(completion) }),
    });
    seen.add(header(r.upstreamRequest!.headers, "authorization")!);
  }
  assert.deepEqual([...seen].sort(), ["Bearer sk-a", "Bearer sk-b", "Bearer sk-c"]);
});

test("streamed chat: SSE passes through chunk by chunk, byte for byte", async () => {
  const { plugin } = await startPlugin(CONFIG);
  const events = [
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n`,
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}\n\n`,
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\n`,
    `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}\n\n`,
    `data: [DONE]\n\n`,
  ];
  const r = await plugin.exchange({
    request: { headers: clientHeaders(), body: json({ model: "gpt-4", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: events }),
  });
  const sent = JSON.parse(Buffer.from(r.upstreamRequest!.body).toString());
  assert.equal(sent.model, "gpt-4o");
  assert.equal(sent.stream, true);
  assert.equal(r.status, 200);
  assert.equal(r.bodyText, events.join(""));
  assert.ok(r.chunks.length >= events.length - 1, "delivered incrementally, not as one buffered body");
});

test("an unknown path gets a 404 in OpenAI's error format and never reaches the upstream", async () => {
  const { plugin } = await startPlugin(CONFIG);
  let called = false;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/unknown-thing"), body: "{}" },
    upstream: () => { called = true; return { status: 200 }; },
  });
  assert.equal(called, false);
  assert.equal(r.status, 404);
  const err = JSON.parse(r.bodyText);
  assert.equal(typeof err.error.message, "string");
  assert.match(err.error.message, /unknown-thing/);
});

test("a request that is not JSON gets a 400 in the client's protocol; the VM keeps serving", async () => {
  const { vm, plugin } = await startPlugin(CONFIG);
  const bad = await plugin.exchange({ request: { headers: clientHeaders(), body: "{\"model\": \"gpt-4\", " }, upstream: () => ({ status: 200 }) });
  assert.equal(bad.status, 400);
  assert.equal(JSON.parse(bad.bodyText).error.type, "invalid_request_error");
  const anthropic = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: "not json" },
    upstream: () => ({ status: 200 }),
  });
  assert.equal(anthropic.status, 400);
  assert.equal(JSON.parse(anthropic.bodyText).type, "error");
  const good = await plugin.exchange({
    request: { headers: clientHeaders(), body: json({ model: "gpt-4", messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json(completion) }),
  });
  assert.equal(good.status, 200);
  assert.equal(vm.trap, null);
});
