// `claudeCodeMode` on the `claude` provider (Higress's field; seed 001 and Higress's README: the configured key is a
// Claude Code OAuth token and requests go out the way Claude Code sends them). Expected requests follow what the real
// Claude Code CLI sends (tests/clients/recorded/claude-code@*: `POST /v1/messages?beta=true`, `x-app: cli`, a
// `claude-cli/…` user agent, system blocks opening with Claude Code's line) and Higress's values for the OAuth
// headers (`Authorization: Bearer`, anthropic-beta `oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219`).
// The client's own credentials never travel on: the token is the configured one.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const TOKEN = "sk-ant-oat01-configured-token";
const UA = "claude-cli/2.1.2 (external, cli)";
const BETA = "oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219";
const CC = "You are Claude Code, Anthropic's official CLI for Claude.";
const CC_BLOCK = { type: "text", text: CC, cache_control: { type: "ephemeral" } };
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"]];
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const message = {
  id: "msg_01", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "Hello!" }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 12, output_tokens: 3 },
};
const config = (extra: object = {}) => ({ provider: { type: "claude", apiTokens: [TOKEN], claudeCodeMode: true, ...extra } });
const bodyText = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());

function assertClaudeCodeHeaders(headers: Array<[string, string]>, beta = BETA): void {
  assert.equal(header(headers, "authorization"), `Bearer ${TOKEN}`);
  assert.deepEqual(CREDENTIALS.filter((h) => header(headers, h) !== undefined), ["authorization"]);
  assert.equal(header(headers, "user-agent"), UA);
  assert.equal(header(headers, "x-app"), "cli");
  assert.equal(header(headers, "anthropic-beta"), beta);
  assert.equal(header(headers, "anthropic-version"), "2023-06-01");
}

test("claudeCodeMode: an OpenAI client's request goes out as Claude Code's (Bearer token, beta flags, ?beta=true, Claude Code's system line first)", async () => {
  const { plugin } = await startPlugin(config());
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(message) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.anthropic.com");
  assert.equal(up.path, "/v1/messages?beta=true");
  assertClaudeCodeHeaders(up.headers);
  // The client's system prompt follows Claude Code's line (Anthropic refuses OAuth requests whose system prompt does not open with it).
  assert.equal(bodyText(up.body), JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 50, system: [CC_BLOCK, { type: "text", text: "Be brief." }], messages: [{ role: "user", content: "Hi" }] }));
  assert.equal(JSON.parse(r.bodyText).choices[0].message.content, "Hello!");

  // Without a system prompt: Claude Code's line alone, cached as Claude Code caches it.
  const bare = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "List files" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(message) }),
  });
  assert.deepEqual(JSON.parse(bodyText(bare.upstreamRequest!.body)).system, [CC_BLOCK]);
});

test("claudeCodeMode: a Claude Code client keeps its path, system prompt and extra beta flags; the token is still the configured one", async () => {
  const { plugin } = await startPlugin(config());
  const body = { model: "claude-sonnet-4-5", max_tokens: 50, system: [CC_BLOCK, { type: "text", text: "You are an interactive CLI tool." }], messages: [{ role: "user", content: "Hi" }] };
  const r = await plugin.exchange({
    request: {
      headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["anthropic-beta", "claude-code-20250219,context-1m-2025-08-07"], ["user-agent", "claude-cli/2.1.328 (external, cli)"], ...clientCreds]),
      body: json(body),
    },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(message) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/v1/messages?beta=true");
  assertClaudeCodeHeaders(up.headers, BETA + ",context-1m-2025-08-07");
  assert.deepEqual(JSON.parse(bodyText(up.body)), body);
  assert.deepEqual(JSON.parse(r.bodyText), message);
});

test("claudeCodeMode: an Anthropic client's string system prompt follows Claude Code's line; a request using all four cache breakpoints gets the line uncached", async () => {
  const { plugin } = await startPlugin(config());
  const send = (body: object) => plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json(body) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(message) }),
  });
  const s = await send({ model: "claude-sonnet-4-5", max_tokens: 50, system: "Answer in French.", messages: [{ role: "user", content: "Hi" }] });
  assert.equal(s.upstreamRequest!.path, "/v1/messages?beta=true");
  assert.deepEqual(JSON.parse(bodyText(s.upstreamRequest!.body)).system, [CC_BLOCK, { type: "text", text: "Answer in French." }]);

  const marked = { type: "text", text: "x", cache_control: { type: "ephemeral" } };
  const full = await send({
    model: "claude-sonnet-4-5", max_tokens: 50, system: [marked, marked],
    tools: [{ name: "t", input_schema: { type: "object" }, cache_control: { type: "ephemeral" } }],
    messages: [{ role: "user", content: [marked] }],
  });
  assert.deepEqual(JSON.parse(bodyText(full.upstreamRequest!.body)).system, [{ type: "text", text: CC }, marked, marked]);
});

test("claudeCodeMode: other Anthropic APIs (models list, count_tokens) carry the same headers and ?beta=true; without the mode nothing changes", async () => {
  const { plugin } = await startPlugin(config());
  const models = await plugin.exchange({
    request: { headers: requestHeaders("/v1/models?limit=5", [["anthropic-version", "2023-06-01"]], "GET") },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ data: [], has_more: false, first_id: null, last_id: null }) }),
  });
  assert.equal(models.upstreamRequest!.path, "/v1/models?limit=5&beta=true");
  assertClaudeCodeHeaders(models.upstreamRequest!.headers);
  const count = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages/count_tokens?beta=true", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ input_tokens: 9 }) }),
  });
  assert.equal(count.upstreamRequest!.path, "/v1/messages/count_tokens?beta=true");
  assertClaudeCodeHeaders(count.upstreamRequest!.headers);

  const standard = await startPlugin({ provider: { type: "claude", apiTokens: [TOKEN] } });
  const r = await standard.plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(message) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/v1/messages");
  assert.equal(header(up.headers, "x-api-key"), TOKEN);
  assert.equal(header(up.headers, "authorization"), undefined);
  assert.equal(header(up.headers, "x-app"), undefined);
  assert.equal(JSON.parse(bodyText(up.body)).system, undefined);
});

test("claudeCodeMode: a retry goes out with the same Claude Code headers, path and body", async () => {
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    clusters: { "api.anthropic.com": (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: json(message) }; } },
  });
  const vm = await host.createVm({ vmId: `claude-code-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: config({ retryOnFailure: { enabled: true, maxRetries: 1 } }) });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"], ["anthropic-beta", "context-1m-2025-08-07"], ...clientCreds]), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 429, headers: JSON_CT, body: json({ type: "error", error: { type: "rate_limit_error", message: "slow down" } }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  assert.equal(header(calls[0].headers, ":path"), "/v1/messages?beta=true");
  assertClaudeCodeHeaders(calls[0].headers, BETA + ",context-1m-2025-08-07");
  assert.equal(bodyText(calls[0].body), bodyText(r.upstreamRequest!.body));
  assert.deepEqual(JSON.parse(bodyText(calls[0].body)).system, [CC_BLOCK]);
});

test("claudeCodeMode: a health check of a token out of rotation is a Claude Code request too", async () => {
  const checks: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    clusters: { "api.anthropic.com": (req) => { checks.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: json(message) }; } },
  });
  const vm = await host.createVm({ vmId: `claude-code-hc-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: config({ apiTokens: [TOKEN], failover: { enabled: true, failureThreshold: 1, healthCheckInterval: 1000, healthCheckModel: "claude-haiku-4-5" } }) });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 401, headers: JSON_CT, body: json({ type: "error", error: { type: "authentication_error", message: "invalid token" } }) }),
  });
  assert.equal(r.status, 401);
  await vm.tick(1000);
  assert.equal(checks.length, 1);
  assert.equal(header(checks[0].headers, ":path"), "/v1/messages?beta=true");
  assertClaudeCodeHeaders(checks[0].headers);
  assert.deepEqual(JSON.parse(bodyText(checks[0].body)), { model: "claude-haiku-4-5", max_tokens: 1, system: [CC_BLOCK], messages: [{ role: "user", content: "ping" }] });
});
