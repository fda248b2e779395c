// Higress's "generic" provider (its README, "通用代理（Generic）"/"Generic"): no capability mapping — any path goes on
// as the client sent it (basePath removed or prepended), to genericHost (unset: the client's host), with
// `Authorization: Bearer <token>`; the body reaches the backend as sent (no `stream_options` added: the backend is
// unknown and may refuse fields the client did not send) and the answer reaches the client as sent.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { allHeaders, requestHeaders, splitAt, startPlugin } from "../support/plugin";

const K = "sk-generic-1";

async function send(provider: object, path: string, body: string, answer: { type: string; body: string }) {
  const { plugin } = await startPlugin({ provider: { type: "generic", apiTokens: [K], ...provider } });
  const bytes = Buffer.from(body);
  return plugin.exchange({
    request: { headers: requestHeaders(path, [["authorization", "Bearer client-key"]]), body: splitAt(bytes, [5, 11]) },
    upstream: () => ({ status: 200, headers: [["content-type", answer.type]], body: answer.body }),
  });
}

test("generic: a path that is no OpenAI or Anthropic API goes on with basePath removed, host and key rewritten, bodies as sent", async () => {
  const body = '{"ping": [1, 2, 3]}';
  const r = await send({ genericHost: "basepath.backend.internal", basePath: "/proxy", basePathHandling: "removePrefix" }, "/proxy/service/echo?x=1", body, { type: "text/plain", body: "pong" });
  assert.equal(r.trap, null, String(r.trap));
  const up = r.upstreamRequest!;
  assert.ok(up, `not forwarded: ${r.status} ${r.bodyText}`);
  assert.equal(up.authority, "basepath.backend.internal");
  assert.equal(up.path, "/service/echo?x=1");
  assert.deepEqual(allHeaders(up.headers, "authorization"), [`Bearer ${K}`]);
  assert.equal(Buffer.from(up.body).toString(), body);
  assert.equal(r.status, 200);
  assert.equal(r.bodyText, "pong");
});

test("generic: basePathHandling prepend puts basePath before the client's path", async () => {
  const r = await send({ genericHost: "prepend.backend.internal", basePath: "/custom", basePathHandling: "prepend" }, "/v1/echo", "{}", { type: "application/json", body: "{}" });
  assert.equal(r.upstreamRequest!.authority, "prepend.backend.internal");
  assert.equal(r.upstreamRequest!.path, "/custom/v1/echo");
});

test("generic: without genericHost the client's host is kept", async () => {
  const r = await send({}, "/v1/chat/completions", '{"model":"m","messages":[{"role":"user","content":"hi"}]}', { type: "application/json", body: '{"id":"c","object":"chat.completion","choices":[]}' });
  assert.equal(r.upstreamRequest!.authority, "gateway.local:10000");
  assert.deepEqual(allHeaders(r.upstreamRequest!.headers, "authorization"), [`Bearer ${K}`]);
});

test("generic: a streamed chat request reaches the backend as sent (no stream_options added) and its stream the client as sent", async () => {
  const body = '{"model":"gpt-any","stream":true,"messages":[{"role":"user","content":"hi"}]}';
  const sse = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-any","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
  const r = await send({ genericHost: "stream.backend.internal" }, "/v1/chat/completions", body, { type: "text/event-stream", body: sse });
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
  assert.equal(r.bodyText, sse);
});

test("generic: streamIncludeUsage true still asks for usage, and the client that did not ask gets no usage chunk", async () => {
  const body = '{"model":"gpt-any","stream":true,"messages":[{"role":"user","content":"hi"}]}';
  const chunk = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-any","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\n';
  const usage = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-any","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n';
  const r = await send({ genericHost: "stream.backend.internal", streamIncludeUsage: true }, "/v1/chat/completions", body, { type: "text/event-stream", body: chunk + usage + "data: [DONE]\n\n" });
  assert.deepEqual(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).stream_options, { include_usage: true });
  assert.equal(r.bodyText, chunk + "data: [DONE]\n\n");
});
