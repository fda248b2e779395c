// An existing Higress ai-proxy configuration loads unchanged (issue 11): fields are read the way Higress reads
// them (gjson String()/Bool()/Int()), an invalid provider or rule disables only itself with an error naming its
// field, and only what a scope uses must be valid. Higress's own conformance WasmPlugin is the reference case.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { higressPluginConfig } from "../support/higress";
import { header, json, loadHost, requestHeaders, ROOT, startPlugin } from "../support/plugin";

const completion = { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
const ok = () => ({ status: 200, headers: [["content-type", "application/json"]] as Array<[string, string]>, body: json(completion) });
const chat = (model = "gpt-3") => json({ model, messages: [{ role: "user", content: "hi" }] });

async function configure(configuration: object | string, hostOptions = {}) {
  const host = await loadHost(hostOptions);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration });
  const LEVELS: Record<string, number> = { warn: 3, error: 4 };
  const logs = (level?: "warn" | "error") => vm.logs.filter((l) => level === undefined || l.level === LEVELS[level]).map((l) => l.message);
  return { vm, plugin, logs };
}

async function send(plugin: any, opts: { route?: string; authority?: string; model?: string } = {}) {
  const headers = requestHeaders("/v1/chat/completions").map(([k, v]) => [k, k === ":authority" && opts.authority ? opts.authority : v] as [string, string]);
  const r = await plugin.exchange({ request: { headers, body: chat(opts.model) }, upstream: ok, properties: opts.route ? { route_name: opts.route } : {} });
  return { r, sent: r.upstreamRequest && r.upstreamRequest.body.length > 0 ? JSON.parse(Buffer.from(r.upstreamRequest.body).toString()) : null };
}

test("scalars are read as Higress reads them: numbers and booleans as text, a lone token as a list, numeric strings as numbers", async () => {
  const { plugin, logs } = await configure({ provider: {
    type: "minimax", apiTokens: 12345678, minimaxApiType: "pro", minimaxGroupId: 1,
    modelMapping: { "*": 7 }, timeout: "30000", streamIncludeUsage: "FALSE",
  } });
  assert.equal(plugin.ok, true, logs().join("\n"));
  const { r, sent } = await send(plugin);
  assert.equal(r.upstreamRequest?.path, "/v1/text/chatcompletion_pro?GroupId=1");
  assert.equal(header(r.upstreamRequest!.headers, "authorization"), "Bearer 12345678");
  assert.equal(sent.model, "7");
  const warnings = logs("warn").join("\n");
  assert.match(warnings, /provider\.minimaxGroupId: is a number, read as its text \(as Higress reads it\)/);
  assert.match(warnings, /provider\.apiTokens: is not an array, read as a one-item array/);
  assert.match(warnings, /provider\.modelMapping\.\*: is a number, read as its text/);
  assert.match(warnings, /provider\.timeout: is a string, read as the number 30000/);
  assert.match(warnings, /provider\.streamIncludeUsage: is a string, read as false/);
  assert.doesNotMatch(logs().join("\n"), /12345678/, "a token never reaches a log line");
});

test("numbers become text as gjson's String() writes them; a token list may mix numbers and strings", async () => {
  // Raw JSON: JavaScript would write -0 as 0 and 1e3 as 1000.
  const { plugin, logs } = await configure('{"provider": {"type": "openai", "apiTokens": ["k", 7], "modelMapping": {"a": 1.5, "b": 1e3, "c": -0, "d": true}}}');
  assert.equal(plugin.ok, true, logs().join("\n"));
  const models: Record<string, string> = {};
  for (const m of ["a", "b", "c", "d"]) models[m] = (await send(plugin, { model: m })).sent.model;
  assert.deepEqual(models, { a: "1.5", b: "1000", c: "-0", d: "true" });
  assert.match(logs("warn").join("\n"), /provider\.apiTokens\[1\]: is a number, read as its text/);
});

test("what gjson would turn into nonsense stays an error: an object as a string, \"yes\" as a boolean, 1.5 as a whole number", async () => {
  const cases: Array<[object, RegExp]> = [
    [{ type: "openai", apiTokens: [{ key: "k" }] }, /provider\.apiTokens\[0\]: must be a string, got an object/],
    [{ type: "groq", streamIncludeUsage: "yes" }, /provider\.streamIncludeUsage: must be a boolean, got a string/],
    [{ type: "qwen", timeout: 1.5 }, /provider\.timeout: must be a whole number, got 1\.5/],
    [{ type: "qwen", timeout: "soon" }, /provider\.timeout: must be a number, got a string/],
  ];
  for (const [provider, message] of cases) {
    const { plugin, logs } = await configure({ provider });
    assert.equal(plugin.ok, false, JSON.stringify(provider));
    assert.ok(logs("error").some((l) => message.test(l)), logs().join("\n"));
  }
});

test("an invalid provider in a providers list is disabled; the scope works while its active provider is valid", async () => {
  const { plugin, logs } = await configure({
    providers: [
      { id: "main", type: "openai", apiTokens: ["sk-main-token"] },
      { id: "hy", type: "hunyuan", hunyuanAuthId: "x" },
      { id: "cf", type: "cloudflare", apiTokens: ["t"] },
    ],
    activeProviderId: "main",
  });
  assert.equal(plugin.ok, true, logs().join("\n"));
  const errors = logs("error").join("\n");
  assert.match(errors, /providers\[1\]\.hunyuanAuthId: must be a Tencent Cloud SecretId of 36 characters \(with hunyuanAuthKey\) \(providers\[1\] is disabled\)/);
  assert.doesNotMatch(errors, /providers\[2\]/, "Higress accepts cloudflare without cloudflareAccountId: so do we (its requests get an error)");
  assert.match(logs("warn").join("\n"), /providers\[2\]\.cloudflareAccountId: is required for provider type cloudflare: its requests are answered with HTTP 500 until it is set/);
  const { r } = await send(plugin);
  assert.equal(r.upstreamRequest?.authority, "api.openai.com");
});

test("an active provider that is disabled disables its scope; with nothing left the configuration is refused, naming why", async () => {
  const { plugin, logs } = await configure({ providers: [{ id: "a", type: "openai" }, { id: "b", type: "no-such-llm" }], activeProviderId: "b" });
  assert.equal(plugin.ok, false);
  const text = logs("error").join("\n");
  assert.match(text, /providers\[1\]\.type: unknown provider type "no-such-llm" \(providers\[1\] is disabled\)/);
  assert.match(text, /activeProviderId: provider "b" is disabled \(see its errors\) \(the global provider is disabled\)/);
  assert.match(text, /invalid configuration: /);
});

test("an invalid rule is disabled: the other rules and the global provider keep working, its own requests are left alone", async () => {
  const { plugin, logs } = await configure({
    provider: { type: "openai", apiTokens: ["sk-global-token"] },
    _rules_: [
      { _match_domain_: ["bad.example.com"], provider: { type: "azure", apiTokens: ["k"] } },
      { _match_route_: ["claude-route"], provider: { type: "claude", apiTokens: ["sk-claude-token"] } },
      { _match_domain_: ["x.com"], _match_route_: ["r"], provider: { type: "openai" } },
    ],
  });
  assert.equal(plugin.ok, true, logs().join("\n"));
  const errors = logs("error").join("\n");
  assert.match(errors, /_rules_\[0\]\.provider\.azureServiceUrl: is required for provider type azure \(rule _rules_\[0\] is disabled\)/);
  assert.match(errors, /_rules_\[2\]: may use only one of _match_route_, _match_domain_.* \(rule _rules_\[2\] is disabled\)/);
  const byRule = await send(plugin, { route: "claude-route" });
  assert.equal(byRule.r.upstreamRequest?.authority, "api.anthropic.com");
  const global = await send(plugin, { authority: "other.example.com" });
  assert.equal(global.r.upstreamRequest?.authority, "api.openai.com");
  // The disabled rule's request is not handed to the global provider: it passes untouched, no key added.
  const disabled = await send(plugin, { authority: "bad.example.com" });
  assert.equal(disabled.r.upstreamRequest?.authority, "bad.example.com");
  assert.equal(header(disabled.r.upstreamRequest!.headers, "authorization"), undefined);
  assert.equal(disabled.sent.model, "gpt-3");
});

test("still refused as a whole: invalid JSON, a non-object, our own top-level fields, a rule without a matcher, no valid scope", async () => {
  const cases: Array<[string | object, RegExp]> = [
    ["{provider:", /configuration is not valid JSON/],
    [{ maxRequestBodyBytes: "16MB", provider: { type: "openai" } }, /maxRequestBodyBytes: must be a number/],
    [{ provider: { type: "openai" }, _rules_: { _match_route_: ["r"] } }, /_rules_: must be an array, got an object/],
    [{ _rules_: [{ provider: { type: "openai" } }] }, /_rules_\[0\]: needs one of _match_route_/],
    [{ _rules_: [{ _match_route_: ["r"], provider: { type: "no-such-llm" } }] }, /_rules_\[0\]\.provider\.type: unknown provider type "no-such-llm" \(rule _rules_\[0\] is disabled\)/],
  ];
  for (const [config, message] of cases) {
    const { plugin, logs } = await configure(config as object);
    assert.equal(plugin.ok, false, JSON.stringify(config));
    assert.ok(logs("error").some((l) => message.test(l)), logs().join("\n"));
  }
});

test("Higress's conformance WasmPlugin loads: its 20 rules are active; cloudflare's requests get an error naming cloudflareAccountId", async () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "tests", "fixtures", "higress", "conformance-wasmplugin.json"), "utf8"));
  // Higress holds request headers until the body (its ai-proxy answers HeaderStopIteration): the "qwen" rule speaks
  // DashScope's native API (no qwenEnableCompatible), whose headers follow the body.
  const { plugin, logs } = await configure(higressPluginConfig(fixture.spec), { allowOnHeadersStopIteration: true });
  assert.equal(plugin.ok, true, logs().join("\n"));
  assert.deepEqual(logs("error"), []);
  assert.ok(logs("warn").includes("ai-proxy: configuration: _rules_[13].provider.cloudflareAccountId: is required for provider type cloudflare: its requests are answered with HTTP 500 until it is set"), logs("warn").join("\n"));
  assert.ok(logs("warn").some((l) => /_rules_\[8\]\.provider\.minimaxGroupId: is a number, read as its text/.test(l)), logs("warn").join("\n"));
  assert.ok(!logs("warn").some((l) => /botType/.test(l)), "dify's botType is read");

  // Each rule's route (Higress names it after the ingress) reaches its provider with its model mapping.
  const expected: Array<[string, string | null, string | null]> = [
    ["ai360", "api.360.cn", "360gpt-turbo"],
    ["baichuan", "api.baichuan-ai.com", "baichuan2-13b-chat-v1"],
    ["baidu", "qianfan.baidubce.com", "ernie-3.5-8k"],
    ["deepseek", "api.deepseek.com", "deepseek-reasoner"],
    ["doubao", "ark.cn-beijing.volces.com", "fake_doubao_endpoint"],
    ["github", "models.github.ai", "cohere-command-r-08-2024"],
    ["groq", "api.groq.com", "llama3-8b-8192"],
    ["minimax-v2-api", "api.minimaxi.com", "abab6.5s-chat"],
    ["minimax-pro-api", "api.minimax.chat", "abab6.5s-chat"],
    ["mistral", "api.mistral.ai", "mistral-tiny"],
    ["qwen-compatible-mode", "dashscope.aliyuncs.com", "qwen-turbo"],
    ["qwen", "dashscope.aliyuncs.com", "qwen-turbo"],
    ["stepfun", "api.stepfun.com", "step-1-8k"],
    ["cloudflare", null, null],
    ["together-ai", "api.together.xyz", "meta-llama/Meta-Llama-3-8B-Instruct-Turbo"],
    ["yi", "api.lingyiwanwu.com", "Yi-Medium"],
    ["zhipuai", "open.bigmodel.cn", "glm-4-plus"],
    // Dify's Completion app API (its body names no model).
    ["dify", "api.dify.ai", null],
    ["grok", "api.x.ai", "grok-beta"],
    ["openai", "api.openai.com", "gpt-3"],
  ];
  for (const [name, authority, model] of expected) {
    const { r, sent } = await send(plugin, { route: `higress-conformance-ai-backend/wasmplugin-ai-proxy-${name}` });
    if (authority === null) {
      // Nothing reaches Cloudflare (Higress would send /client/v4/accounts//ai/…): the client learns what is missing.
      assert.equal(r.upstreamRequest, null, name);
      assert.equal(r.status, 500, name);
      assert.equal(JSON.parse(r.bodyText).error.message, "provider cloudflare: cloudflareAccountId is not configured (Cloudflare's Workers AI URL names the account)");
      continue;
    }
    assert.equal(r.upstreamRequest?.authority, authority, name);
    if (model !== null) assert.equal(sent.model, model, name);
    else assert.equal(r.upstreamRequest?.path, "/v1/completion-messages", name);
    if (name.startsWith("qwen")) assert.equal(r.upstreamRequest?.path, name === "qwen" ? "/api/v1/services/aigc/text-generation/generation" : "/compatible-mode/v1/chat/completions", name);
    assert.equal(header(r.upstreamRequest!.headers, "authorization"), "Bearer fake_token", name);
  }
  assert.equal((await send(plugin, { route: "some-other-route" })).r.upstreamRequest?.authority, "gateway.local:10000");
});
