// Per-provider metrics: requests by status class, token usage from converted answers, retries; no secrets in names.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, requestHeaders, startPlugin } from "../support/plugin";

test("counts requests, status classes and token usage per provider, and never names a key", async () => {
  const { vm, plugin } = await startPlugin({ provider: { id: "main", type: "openai", apiTokens: ["sk-secret-value"] } });
  const completion = json({
    id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 4 } },
  });
  for (let i = 0; i < 3; i++) {
    await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "gpt-4o", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }) },
      upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: completion }),
    });
  }
  await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gpt-4o", messages: [] }) },
    upstream: () => ({ status: 429, headers: [["content-type", "application/json"]], body: json({ error: { message: "slow down" } }) }),
  });
  const m = vm.metrics();
  const get = (name: string) => m.get(name) ?? m.get(`wasmcustom.${name}`);
  assert.equal(get("ai_proxy.main.requests"), 4);
  assert.equal(get("ai_proxy.main.responses_2xx"), 3);
  assert.equal(get("ai_proxy.main.responses_4xx"), 1);
  assert.equal(get("ai_proxy.main.input_tokens"), 36, "prompt tokens, cached included, of the three converted answers");
  assert.equal(get("ai_proxy.main.output_tokens"), 15);
  assert.equal(get("ai_proxy.main.cache_read_tokens"), 12);
  for (const name of m.keys()) assert.ok(!name.includes("sk-secret"), name);
  assert.ok(!vm.prometheus().includes("sk-secret"));
});

test("reports its VM's linear memory as the gauge ai_proxy.vm.linear_memory_bytes, following its growth", async () => {
  const { vm, plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-secret-value"] } });
  const completion = json({
    id: "chatcmpl-1", object: "chat.completion", created: 1, model: "gpt-4o",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  });
  const ask = (content: string) => plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gpt-4o", messages: [{ role: "user", content }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: completion }),
  });
  const gauge = () => vm.metrics().get("ai_proxy.vm.linear_memory_bytes") ?? vm.metrics().get("wasmcustom.ai_proxy.vm.linear_memory_bytes");
  await ask("hi");
  const small = gauge();
  assert.equal(small, vm.memoryBytes(), "the VM's memory size after the first request");
  // A 4 MB message makes the VM grow; the gauge follows at the end of that request.
  await ask("x".repeat(4 << 20));
  assert.ok(vm.memoryBytes() > small!, "memory grew");
  assert.equal(gauge(), vm.memoryBytes());
});
