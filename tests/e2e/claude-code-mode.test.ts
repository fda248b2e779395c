// claudeCodeMode end to end on both runtimes (the TypeScript host and real Envoy): the official Anthropic and OpenAI
// SDKs through the gateway reach a mock of Anthropic's API that receives what Claude Code sends with a subscription's
// OAuth token (Bearer token, Claude Code's beta flags, user agent and x-app, `?beta=true`, Claude Code's system line
// first), and never the client's own key.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const TOKEN = "sk-ant-oat01-e2e-configured-token";
const CC = "You are Claude Code, Anthropic's official CLI for Claude.";
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: any }> = [];
let upstream: TestUpstream;
before(async () => {
  upstream = await startUpstream((req, body, res) => {
    seen.push({ url: req.url!, headers: req.headers, body: JSON.parse(body) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "Hello!" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 9, output_tokens: 2 } }));
  });
});
after(() => upstream.close());

function assertClaudeCode(s: { url: string; headers: http.IncomingHttpHeaders }, beta: string): void {
  assert.equal(s.url, "/v1/messages?beta=true");
  assert.equal(s.headers.authorization, `Bearer ${TOKEN}`);
  assert.equal(s.headers["x-api-key"], undefined);
  assert.equal(s.headers["anthropic-beta"], beta);
  assert.equal(s.headers["user-agent"], "claude-cli/2.1.2 (external, cli)");
  assert.equal(s.headers["x-app"], "cli");
}

forEachRuntime((runtime: Runtime) => {
  let g: GatewayUnderTest;
  before(async () => {
    g = await startGateway(runtime, { provider: { type: "claude", apiTokens: [TOKEN], claudeCodeMode: true } }, { "api.anthropic.com": upstream.url });
  });
  after(() => g?.stop());

  test("@anthropic-ai/sdk: the request goes out as Claude Code's, its beta flag kept after Claude Code's", async () => {
    seen.length = 0;
    const client = new Anthropic({ baseURL: g.url, apiKey: "client-anthropic-key", maxRetries: 0 });
    const msg = await client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] },
      { headers: { "anthropic-beta": "context-1m-2025-08-07" } });
    assert.equal((msg.content[0] as Anthropic.TextBlock).text, "Hello!");
    assertClaudeCode(seen[0], "oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219,context-1m-2025-08-07");
    assert.deepEqual(seen[0].body.system, [{ type: "text", text: CC, cache_control: { type: "ephemeral" } }]);
  });

  test("openai SDK: converted, the client's system prompt after Claude Code's line", async () => {
    seen.length = 0;
    const client = new OpenAI({ baseURL: `${g.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });
    const r = await client.chat.completions.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] });
    assert.equal(r.choices[0].message.content, "Hello!");
    assertClaudeCode(seen[0], "oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219");
    assert.deepEqual(seen[0].body.system, [{ type: "text", text: CC, cache_control: { type: "ephemeral" } }, { type: "text", text: "Be brief." }]);
  });
});
