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
  ["token an object", { provider: { type: "openai", apiTokens: ["k", {}] } }, /provider\.apiTokens\[1\]: must be a string/],
  ["bad regex mapping", { provider: { type: "openai", modelMapping: { "~gpt(": "x" } } }, /provider\.modelMapping\.~gpt\(: invalid regular expression/],
  ["azure without URL", { provider: { type: "azure", apiTokens: ["k"] } }, /provider\.azureServiceUrl: is required/],
  ["bad protocol", { provider: { type: "openai", protocol: "grpc" } }, /provider\.protocol: must be one of openai, original/],
  ["unknown activeProviderId", { providers: [{ id: "a", type: "openai" }], activeProviderId: "b" }, /activeProviderId: no provider has id "b"/],
  ["rule without matcher", { provider: { type: "openai" }, _rules_: [{ provider: { type: "claude" } }] }, /_rules_\[0\]: needs one of _match_route_/],
  // issue 4 rules
  ["azure URL without api-version", { provider: { type: "azure", apiTokens: ["k"], azureServiceUrl: "https://r.openai.azure.com/openai/deployments/d" } }, /provider\.azureServiceUrl: must carry the api-version/],
  ["azure with two tokens", { provider: { type: "azure", apiTokens: ["a", "b"], azureServiceUrl: "https://r.openai.azure.com?api-version=1" } }, /provider\.apiTokens: azure supports a single token/],
  ["maxRequestBodyBytes not a number", { maxRequestBodyBytes: "16MB", provider: { type: "openai" } }, /configuration: maxRequestBodyBytes: must be a number/],
  ["maxRequestBodyBytes zero", { maxRequestBodyBytes: 0, provider: { type: "openai" } }, /configuration: maxRequestBodyBytes: must be between 1 and/],
  ["maxRequestBodyBytes fractional", { maxRequestBodyBytes: 1.5, provider: { type: "openai" } }, /configuration: maxRequestBodyBytes: must be a whole number/],
  ["basePath without slash", { provider: { type: "openai", basePath: "v1" } }, /provider\.basePath: must start with "\/"/],
  ["providerBasePath with a query", { provider: { type: "openai", providerBasePath: "/x?y=1" } }, /provider\.providerBasePath: must be a path without query/],
  ["basePathHandling unknown", { provider: { type: "openai", basePathHandling: "append" } }, /provider\.basePathHandling: must be one of removePrefix, prepend/],
  ["openaiCustomUrl with another scheme", { provider: { type: "openai", openaiCustomUrl: "ftp://x/v1" } }, /provider\.openaiCustomUrl: must be an http\(s\) URL/],
  ["vllmCustomUrl without host", { provider: { type: "vllm", vllmCustomUrl: "https:///v1" } }, /provider\.vllmCustomUrl: has no host/],
  ["providerDomain as a URL", { provider: { type: "openai", providerDomain: "https://x.com/v1" } }, /provider\.providerDomain: must be a host/],
  ["context without serviceName", { provider: { type: "qwen", context: { fileUrl: "http://f/c.txt", servicePort: 80 } } }, /provider\.context\.serviceName: is required/],
  ["context with a bad port", { provider: { type: "qwen", context: { fileUrl: "http://f/c.txt", serviceName: "f.dns", servicePort: 70000 } } }, /provider\.context\.servicePort: must be between 1 and 65535/],
  ["context and moonshotFileId", { provider: { type: "moonshot", moonshotFileId: "f", context: { fileUrl: "http://f/c.txt", serviceName: "f.dns", servicePort: 80 } } }, /provider\.context: cannot be combined with moonshotFileId/],
  ["customSettings item not an object", { provider: { type: "openai", customSettings: ["max_tokens"] } }, /provider\.customSettings\[0\]: must be an object/],
  ["customSettings without value", { provider: { type: "openai", customSettings: [{ name: "max_tokens" }] } }, /provider\.customSettings\[0\]\.value: is required/],
  ["customSettings bad mode", { provider: { type: "openai", customSettings: [{ name: "x", value: 1, mode: "rename" }] } }, /provider\.customSettings\[0\]\.mode: must be one of auto, raw/],
  ["customSettings overwrite not a boolean", { provider: { type: "openai", customSettings: [{ name: "seed", value: 1, overwrite: "no" }] } }, /provider\.customSettings\[0\]\.overwrite: must be a boolean/],
  ["responseJsonSchema not an object", { provider: { type: "openai", responseJsonSchema: "json" } }, /provider\.responseJsonSchema: must be an object/],
  ["capabilities path without slash", { provider: { type: "openai", capabilities: { "openai/v1/chatcompletions": "chat" } } }, /provider\.capabilities\.openai\/v1\/chatcompletions: must be a path/],
  ["minimax pro without group id", { provider: { type: "minimax", minimaxApiType: "pro" } }, /provider\.minimaxGroupId: is required when minimaxApiType is pro/],
  ["minimax unknown api type", { provider: { type: "minimax", minimaxApiType: "v3" } }, /provider\.minimaxApiType: must be one of v2, pro/],
  ["ollama without host", { provider: { type: "ollama" } }, /provider\.ollamaServerHost: is required/],
  ["ollama port out of range", { provider: { type: "ollama", ollamaServerHost: "h", ollamaServerPort: 0 } }, /provider\.ollamaServerPort: must be between 1 and 65535/],
  ["vllm without host or URL", { provider: { type: "vllm" } }, /provider\.vllmServerHost: vllmServerHost or vllmCustomUrl is required/],
  ["timeout zero", { provider: { type: "qwen", timeout: 0 } }, /provider\.timeout: must be between 1/],
  ["streamIncludeUsage not a boolean", { provider: { type: "groq", streamIncludeUsage: "yes" } }, /provider\.streamIncludeUsage: must be a boolean/],
  ["qwenFileIds not strings", { provider: { type: "qwen", qwenFileIds: [[1]] } }, /provider\.qwenFileIds\[0\]: must be a string/],
  ["reasoningContentMode unknown", { provider: { type: "qwen", reasoningContentMode: "hide" } }, /provider\.reasoningContentMode: must be one of passthrough, ignore, concat/],
  ["modelMapping target not a string", { provider: { type: "openai", modelMapping: { "*": [1] } } }, /provider\.modelMapping\.\*: must be a string/],
  // A bad rule alone disables that rule (tests/config/higress-leniency.test.ts); with no other scope it is refused.
  ["only rule with a bad provider", { _rules_: [{ _match_domain_: ["a.com"], provider: { type: "azure" } }] }, /_rules_\[0\]\.provider\.azureServiceUrl: is required/],
  ["providers without id", { providers: [{ type: "openai" }] }, /providers\[0\]\.id: is required/],
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

test("claudeCodeMode, qwenEnableCompatible: false and minimax pro load without a warning (all served); claudeCodeMode on another type is an unknown field", async () => {
  const { vm, plugin } = await configure({
    providers: [
      { id: "c", type: "claude", apiTokens: ["k"], claudeCodeMode: true },
      { id: "q", type: "qwen", apiTokens: ["k"], qwenEnableCompatible: false },
      { id: "m", type: "minimax", apiTokens: ["k"], minimaxApiType: "pro", minimaxGroupId: "g" },
      { id: "o", type: "openai", apiTokens: ["k"], claudeCodeMode: true },
    ],
    activeProviderId: "c",
  });
  assert.equal(plugin.ok, true);
  const text = vm.logs.map((l) => l.message).join("\n");
  assert.doesNotMatch(text, /providers\[0\]|qwenEnableCompatible|minimaxApiType/);
  assert.match(text, /providers\[3\]\.claudeCodeMode/);
});

test("modelMapping order: exact, longest prefix, regexes in config order with groups, then \"*\"", async () => {
  const { plugin } = await configure({ provider: { type: "openai", apiTokens: ["k"], modelMapping: {
    "*": "fallback", "~^claude-(\\w+)-(.*)$": "anthropic/$1-$2", "gpt-*": "short-prefix", "gpt-4o-*": "long-prefix", "gpt-4o-mini": "exact", "~^claude": "never-second-regex", "keep": "",
  } } });
  const cases: Array<[string, string]> = [["gpt-4o-mini", "exact"], ["gpt-4o-2024", "long-prefix"], ["gpt-3.5", "short-prefix"], ["claude-sonnet-4", "anthropic/sonnet-4"], ["o3", "fallback"], ["keep", "keep"]];
  for (const [asked, sent] of cases) {
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: asked, messages: [{ role: "user", content: "x" }] }) },
      upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }),
    });
    assert.equal(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).model, sent, asked);
  }
});
