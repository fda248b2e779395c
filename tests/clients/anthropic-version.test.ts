// anthropic-version and anthropic-beta towards an Anthropic upstream: the client's own reach it (the version
// decides which fields the API takes; the current SDK majors send 2026-10-21) unless the provider pins
// claudeVersion (or apiVersion); converted OpenAI requests get claudeVersion; OpenAI upstreams get neither.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, requestHeaders, startPlugin } from "../support/plugin";

const MESSAGE = JSON.stringify({ id: "m", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });
const COMPLETION = JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });

async function upstreamHeaders(provider: object, path: string, headers: Array<[string, string]>, body: object, answer: string) {
  const { plugin } = await startPlugin({ provider });
  const r = await plugin.exchange({
    request: { headers: requestHeaders(path, headers), body: Buffer.from(JSON.stringify(body)) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: [Buffer.from(answer)] }),
  });
  assert.equal(r.status, 200, r.bodyText);
  return r.upstreamRequest!.headers;
}

const ANTHROPIC_BODY = { model: "claude-opus-5-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
const SDK_HEADERS: Array<[string, string]> = [["anthropic-version", "2026-10-21"], ["anthropic-beta", "files-api-2025-04-14"], ["authorization", "Bearer sk-ant-client"]];

test("an Anthropic client's version and betas reach claude when claudeVersion is not configured", async () => {
  const h = await upstreamHeaders({ type: "claude", apiTokens: ["sk-ant-upstream"] }, "/v1/messages", SDK_HEADERS, ANTHROPIC_BODY, MESSAGE);
  assert.equal(header(h, "anthropic-version"), "2026-10-21");
  assert.equal(header(h, "anthropic-beta"), "files-api-2025-04-14");
  assert.equal(header(h, "x-api-key"), "sk-ant-upstream");
  assert.equal(header(h, "authorization"), undefined, "the client's Bearer key never reaches the provider");
});

test("claudeVersion (or apiVersion) pins anthropic-version; the betas still pass", async () => {
  for (const pin of [{ claudeVersion: "2023-06-01" }, { apiVersion: "2023-06-01" }]) {
    const h = await upstreamHeaders({ type: "claude", apiTokens: ["k"], ...pin }, "/v1/messages", SDK_HEADERS, ANTHROPIC_BODY, MESSAGE);
    assert.equal(header(h, "anthropic-version"), "2023-06-01", JSON.stringify(pin));
    assert.equal(header(h, "anthropic-beta"), "files-api-2025-04-14");
  }
});

test("a converted OpenAI request gets claudeVersion (2023-06-01 by default)", async () => {
  const body = { model: "claude-opus-5-5", messages: [{ role: "user", content: "hi" }] };
  let h = await upstreamHeaders({ type: "claude", apiTokens: ["k"] }, "/v1/chat/completions", [["authorization", "Bearer c"]], body, MESSAGE);
  assert.equal(header(h, "anthropic-version"), "2023-06-01");
  h = await upstreamHeaders({ type: "claude", apiTokens: ["k"], claudeVersion: "2026-10-21" }, "/v1/chat/completions", [["authorization", "Bearer c"]], body, MESSAGE);
  assert.equal(header(h, "anthropic-version"), "2026-10-21");
});

test("an OpenAI-protocol upstream gets no Anthropic headers", async () => {
  const h = await upstreamHeaders({ type: "openai", apiTokens: ["k"] }, "/v1/messages", SDK_HEADERS, ANTHROPIC_BODY, COMPLETION);
  assert.equal(header(h, "anthropic-version"), undefined);
  assert.equal(header(h, "anthropic-beta"), undefined);
});

test("claudeVersion pinned to 2026-10-21: an Anthropic client's sampling parameters (which its own older version took) are left out and announced", async () => {
  const { plugin } = await startPlugin({ provider: { type: "claude", apiTokens: ["sk-ant-upstream-0123456789"], claudeVersion: "2026-10-21" } });
  const body = { model: "claude-sonnet-4-5", max_tokens: 10, temperature: 0.2, top_k: 5, messages: [{ role: "user", content: "hi" }] };
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"], ["x-api-key", "client"]]), body: Buffer.from(JSON.stringify(body)) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: [Buffer.from(MESSAGE)] }),
  });
  assert.equal(r.status, 200, r.bodyText);
  assert.equal(header(r.upstreamRequest!.headers, "anthropic-version"), "2026-10-21");
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }));
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "temperature,top_k");

  // The client's own version 2026-10-21 (nothing pinned): the client chose it, so its body goes as sent.
  const { plugin: unpinned } = await startPlugin({ provider: { type: "claude", apiTokens: ["sk-ant-upstream-0123456789"] } });
  const own = await unpinned.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"], ["x-api-key", "client"]]), body: Buffer.from(JSON.stringify(body)) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: [Buffer.from(MESSAGE)] }),
  });
  assert.equal(Buffer.from(own.upstreamRequest!.body).toString(), JSON.stringify(body));
  assert.equal(header(own.headers, "x-ai-proxy-dropped-params"), undefined);
});
