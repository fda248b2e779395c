// proxy_on_configure: 1 for a valid configuration, 0 with a log line naming the field for an invalid one;
// the module works without proxy_on_vm_start and when root context 1 is configured again.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, loadHost, requestHeaders } from "../support/plugin";

async function configure(configuration: string | object, opts = {}) {
  const host = await loadHost(opts);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration });
  return { vm, plugin };
}

const BAD: Array<[string, string | object, RegExp]> = [
  ["not JSON", "{provider:", /configuration is not valid JSON/],
  ["not an object", "[1,2]", /must be a JSON object/],
  ["no provider", {}, /provider: is required/],
  ["unknown type", { provider: { type: "nope" } }, /provider\.type: unknown provider type "nope"/],
  ["missing type", { provider: { apiTokens: ["k"] } }, /provider\.type: is required/],
  ["token not a string", { provider: { type: "openai", apiTokens: ["k", 7] } }, /provider\.apiTokens\[1\]: must be a string/],
  ["bad regex mapping", { provider: { type: "openai", modelMapping: { "~gpt(": "x" } } }, /provider\.modelMapping\.~gpt\(: invalid regular expression/],
  ["azure without URL", { provider: { type: "azure", apiTokens: ["k"] } }, /provider\.azureServiceUrl: is required/],
  ["bad protocol", { provider: { type: "openai", protocol: "grpc" } }, /provider\.protocol: must be one of openai, original/],
  ["unknown activeProviderId", { providers: [{ id: "a", type: "openai" }], activeProviderId: "b" }, /activeProviderId: no provider has id "b"/],
  ["rule without matcher", { provider: { type: "openai" }, _rules_: [{ provider: { type: "claude" } }] }, /_rules_\[0\]: needs one of _match_route_/],
];

for (const [name, config, message] of BAD) {
  test(`refuses an invalid configuration (${name}) with a log line naming the field`, async () => {
    const { vm, plugin } = await configure(config);
    assert.equal(plugin.ok, false);
    assert.ok(vm.logs.some((l) => message.test(l.message)), vm.logs.map((l) => l.message).join("\n"));
    assert.equal(vm.trap, null);
  });
}

test("accepts a valid configuration and logs unknown fields as warnings (Higress ignores them)", async () => {
  const { vm, plugin } = await configure({ provider: { type: "openai", apiTokens: ["k"], geminiSafetySetting: {} } });
  assert.equal(plugin.ok, true);
  assert.ok(vm.logs.some((l) => /provider\.geminiSafetySetting: unknown field, ignored/.test(l.message)));
});

test("works when proxy_on_vm_start is never called", async () => {
  const { plugin } = await configure({ provider: { type: "openai", apiTokens: ["k"] } }, { callVmStart: false });
  assert.equal(plugin.ok, true);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }),
  });
  assert.equal(r.upstreamRequest?.authority, "api.openai.com");
});

test("root context 1 configured again in the same instance takes the new configuration", async () => {
  const host = await loadHost();
  const vm = await host.createVm();
  const first = vm.startPlugin({ configuration: { provider: { type: "openai", apiTokens: ["k"] } } });
  assert.equal(first.ok, true);
  const second = vm.startPlugin({ configuration: { provider: { type: "claude", apiTokens: ["k2"] } }, rootContextId: 1 } as any);
  assert.equal(second.ok, true);
  const r = await second.exchange({
    request: { headers: requestHeaders("/v1/messages"), body: json({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }),
  });
  assert.equal(r.upstreamRequest?.authority, "api.anthropic.com");
});
