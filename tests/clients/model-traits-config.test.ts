// The provider field `modelTraits`: rows checked before the built-in table, so an operator can describe a model
// the gateway does not know (a self-hosted reasoning model, a new Claude release) without a new build; invalid
// rows refuse the configuration with a message naming the field.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, loadHost, requestHeaders, startPlugin } from "../support/plugin";

const OPENAI_ANSWER = JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const CLAUDE_ANSWER = JSON.stringify({ id: "m", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });

async function through(provider: object, path: string, body: object, answer: string) {
  const { plugin } = await startPlugin({ provider });
  const extra: Array<[string, string]> = path === "/v1/messages" ? [["anthropic-version", "2023-06-01"]] : [];
  const r = await plugin.exchange({
    request: { headers: requestHeaders(path, extra), body: Buffer.from(JSON.stringify(body)) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: [Buffer.from(answer)] }),
  });
  assert.equal(r.status, 200, r.bodyText);
  return { sent: JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()), dropped: header(r.headers, "x-ai-proxy-dropped-params") ?? "" };
}

test("a configured OpenAI-protocol reasoning model gets reasoning_effort at its own levels and no sampling", async () => {
  const provider = { type: "vllm", vllmServerHost: "vllm.local:8000", modelTraits: [{ pattern: "my-reasoner-*", reasoning: "effort", efforts: ["low", "high"], sampling: false }] };
  const body = { model: "my-reasoner-7b", max_tokens: 100, temperature: 0.3, thinking: { type: "adaptive" }, output_config: { effort: "medium" }, messages: [{ role: "user", content: "hi" }] };
  const r = await through(provider, "/v1/messages", body, OPENAI_ANSWER);
  assert.equal(r.sent.reasoning_effort, "low"); // medium is between low and high: ties go to the lower level
  assert.equal("temperature" in r.sent, false);
  assert.equal(r.dropped, "temperature");
  // Without the row the same model is unknown: no reasoning control, sampling kept.
  const plain = await through({ type: "vllm", vllmServerHost: "vllm.local:8000" }, "/v1/messages", body, OPENAI_ANSWER);
  assert.equal("reasoning_effort" in plain.sent, false);
  assert.equal(plain.sent.temperature, 0.3);
  assert.equal(plain.dropped, "output_config.effort");
});

test("a configured row overrides the built-in one for a Claude model", async () => {
  const body = { model: "claude-opus-5-5", reasoning_effort: "high", temperature: 0.5, max_completion_tokens: 8000, messages: [{ role: "user", content: "hi" }] };
  const builtIn = await through({ type: "claude", apiTokens: ["k"] }, "/v1/chat/completions", body, CLAUDE_ANSWER);
  assert.deepEqual(builtIn.sent.thinking, { type: "adaptive" });
  assert.deepEqual(builtIn.sent.output_config, { effort: "high" });
  const custom = await through({ type: "claude", apiTokens: ["k"], modelTraits: [{ pattern: "claude-opus-5*", reasoning: "budget" }] }, "/v1/chat/completions", body, CLAUDE_ANSWER);
  assert.deepEqual(custom.sent.thinking, { type: "enabled", budget_tokens: 4096 });
  assert.equal("output_config" in custom.sent, false);
});

const BAD: Array<[string, object, RegExp]> = [
  ["not an array", { type: "openai", modelTraits: {} }, /provider\.modelTraits: must be an array/],
  ["row without pattern", { type: "openai", modelTraits: [{ reasoning: "none" }] }, /provider\.modelTraits\[0\]\.pattern: is required/],
  ["unknown reasoning kind", { type: "openai", modelTraits: [{ pattern: "x", reasoning: "deep" }] }, /provider\.modelTraits\[0\]\.reasoning: must be one of none, budget, adaptive, effort/],
  ["unknown effort level", { type: "openai", modelTraits: [{ pattern: "x", reasoning: "effort", efforts: ["huge"] }] }, /provider\.modelTraits\[0\]\.efforts\[0\]: must be one of none, minimal, low, medium, high, xhigh, max/],
  ["effort without levels", { type: "openai", modelTraits: [{ pattern: "x", reasoning: "effort" }] }, /provider\.modelTraits\[0\]\.efforts: is required when reasoning is "effort"/],
];

for (const [name, provider, want] of BAD) {
  test(`modelTraits refused: ${name}`, async () => {
    const host = await loadHost({});
    const vm = await host.createVm();
    const plugin = vm.startPlugin({ configuration: { provider } });
    assert.equal(plugin.ok, false);
    const logs = vm.logs.map((l) => l.message).join("\n");
    assert.match(logs, want);
  });
}
