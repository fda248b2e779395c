// Every example configuration of seed 001 (Higress ai-proxy reference) for the providers of issue 4 loads
// unchanged and behaves as the reference describes, plus the context/customSettings/responseJsonSchema fields.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, json, requestHeaders, startPlugin } from "../support/plugin";

const completion = { id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
// DashScope's native text generation answers in its own shape (https://help.aliyun.com/zh/model-studio/qwen-api-reference).
const dashscope = { output: { choices: [{ finish_reason: "stop", message: { role: "assistant", content: "ok" } }] }, usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2 }, request_id: "r-1" };
const ok = (req?: { path: string }) => ({ status: 200, headers: [["content-type", "application/json"]] as Array<[string, string]>,
  body: json(req?.path.startsWith("/api/v1/services/aigc/") ? dashscope : completion) });
/** Qwen's native API (the default) needs its headers held until the body: the Envoy setting and the plugin's. */
const held = { allowOnHeadersStopIteration: true };
const qwen = (provider: object) => ({ ...held, provider: { type: "qwen", ...provider } });
const chat = (model: string, extra: object = {}) => json({ model, messages: [{ role: "user", content: "你好，你是谁？" }], ...extra });

async function send(config: object, model: string, path = "/v1/chat/completions", hostOptions = {}) {
  const { plugin, vm } = await startPlugin(config, { ...held, ...hostOptions });
  const anthropic = path.startsWith("/v1/messages");
  const body = anthropic ? json({ model, max_tokens: 1024, messages: [{ role: "user", content: "你好，你是谁？" }] }) : chat(model);
  const r = await plugin.exchange({ request: { headers: requestHeaders(path, anthropic ? [["anthropic-version", "2023-06-01"]] : []), body }, upstream: ok });
  return { r, vm, sent: r.upstreamRequest ? JSON.parse(Buffer.from(r.upstreamRequest.body).toString()) : null };
}

// [name, config, request model, client path, expected authority, expected path, expected upstream model]
const EXAMPLES: Array<[string, object, string, string, string, string, string]> = [
  ["Azure OpenAI (full URL)", { provider: { type: "azure", apiTokens: ["YOUR_AZURE_OPENAI_API_TOKEN"], azureServiceUrl: "https://YOUR_RESOURCE_NAME.openai.azure.com/openai/deployments/YOUR_DEPLOYMENT_NAME/chat/completions?api-version=2024-02-15-preview" } },
    "gpt-3", "/v1/chat/completions", "YOUR_RESOURCE_NAME.openai.azure.com", "/openai/deployments/YOUR_DEPLOYMENT_NAME/chat/completions?api-version=2024-02-15-preview", "gpt-3"],
  ["Qwen with model mapping", qwen({ apiTokens: ["YOUR_QWEN_API_TOKEN"], modelMapping: { "gpt-3": "qwen-turbo", "gpt-35-turbo": "qwen-plus", "gpt-4-turbo": "qwen-max", "gpt-4-*": "qwen-max", "gpt-4o": "qwen-vl-plus", "text-embedding-v1": "text-embedding-v1", "*": "qwen-turbo" } }),
    "gpt-4-0613", "/v1/chat/completions", "dashscope.aliyuncs.com", "/api/v1/services/aigc/text-generation/generation", "qwen-max"],
  ["Doubao", { provider: { type: "doubao", apiTokens: ["YOUR_DOUBAO_API_KEY"], modelMapping: { "*": "YOUR_DOUBAO_ENDPOINT" }, timeout: 1200000 } },
    "gpt-4o", "/v1/chat/completions", "ark.cn-beijing.volces.com", "/api/v3/chat/completions", "YOUR_DOUBAO_ENDPOINT"],
  ["Groq", { provider: { type: "groq", apiTokens: ["YOUR_GROQ_API_TOKEN"] } }, "llama3-8b-8192", "/v1/chat/completions", "api.groq.com", "/openai/v1/chat/completions", "llama3-8b-8192"],
  ["Grok", { provider: { type: "grok", apiTokens: ["YOUR_GROK_API_TOKEN"] } }, "grok-4", "/v1/chat/completions", "api.x.ai", "/v1/chat/completions", "grok-4"],
  ["OpenRouter", { provider: { type: "openrouter", apiTokens: ["YOUR_OPENROUTER_API_TOKEN"], modelMapping: { "gpt-4": "openai/gpt-4-turbo-preview", "gpt-3.5-turbo": "openai/gpt-3.5-turbo", "claude-3": "anthropic/claude-3-opus", "*": "openai/gpt-3.5-turbo" } } },
    "gpt-4", "/v1/chat/completions", "openrouter.ai", "/api/v1/chat/completions", "openai/gpt-4-turbo-preview"],
  ["Fireworks", { provider: { type: "fireworks", apiTokens: ["YOUR_FIREWORKS_API_TOKEN"], modelMapping: { "gpt-4": "accounts/fireworks/models/llama-v3p1-70b-instruct", "gpt-3.5-turbo": "accounts/fireworks/models/llama-v3p1-8b-instruct", "*": "accounts/fireworks/models/llama-v3p1-8b-instruct" } } },
    "gpt-4", "/v1/chat/completions", "api.fireworks.ai", "/inference/v1/chat/completions", "accounts/fireworks/models/llama-v3p1-70b-instruct"],
  ["Claude (OpenAI request)", { provider: { type: "claude", apiTokens: ["YOUR_CLAUDE_API_TOKEN"], version: "2023-06-01" } },
    "claude-3-opus-20240229", "/v1/chat/completions", "api.anthropic.com", "/v1/messages", "claude-3-opus-20240229"],
  ["Claude (Claude request)", { provider: { type: "claude", apiTokens: ["YOUR_CLAUDE_API_TOKEN"], version: "2023-06-01" } },
    "claude-3-opus-20240229", "/v1/messages", "api.anthropic.com", "/v1/messages", "claude-3-opus-20240229"],
  ["Qwen converting a Claude request", qwen({ apiTokens: ["YOUR_QWEN_API_TOKEN"], modelMapping: { "claude-3-opus-20240229": "qwen-max", "*": "qwen-turbo" } }),
    "claude-3-opus-20240229", "/v1/messages", "dashscope.aliyuncs.com", "/api/v1/services/aigc/text-generation/generation", "qwen-max"],
  ["Baidu", { provider: { type: "baidu", apiTokens: ["YOUR_BAIDU_API_TOKEN"], modelMapping: { "gpt-3": "ERNIE-4.0", "*": "ERNIE-4.0" } } },
    "gpt-4-turbo", "/v1/chat/completions", "qianfan.baidubce.com", "/v2/chat/completions", "ERNIE-4.0"],
  ["MiniMax", { provider: { type: "minimax", apiTokens: ["YOUR_MINIMAX_API_TOKEN"], modelMapping: { "gpt-3": "abab6.5s-chat", "gpt-4": "abab6.5g-chat", "*": "abab6.5t-chat" } } },
    "gpt-3", "/v1/chat/completions", "api.minimaxi.com", "/v1/text/chatcompletion_v2", "abab6.5s-chat"],
  ["GitHub", { provider: { type: "github", apiTokens: ["YOUR_GITHUB_ACCESS_TOKEN"], modelMapping: { "gpt-4o": "gpt-4o", "gpt-4": "Phi-3.5-MoE-instruct", "gpt-3.5": "cohere-command-r-08-2024", "text-embedding-3-large": "text-embedding-3-large" } } },
    "gpt-4", "/v1/chat/completions", "models.github.ai", "/inference/chat/completions", "Phi-3.5-MoE-instruct"],
  ["360", { provider: { type: "ai360", apiTokens: ["YOUR_360_API_TOKEN"], modelMapping: { "gpt-4o": "360gpt-turbo-responsibility-8k", "gpt-4": "360gpt2-pro", "gpt-3.5": "360gpt-turbo", "text-embedding-3-small": "embedding_s1_v1.2", "*": "360gpt-pro" } } },
    "gpt-4o", "/v1/chat/completions", "api.360.cn", "/v1/chat/completions", "360gpt-turbo-responsibility-8k"],
  ["Cloudflare", { provider: { type: "cloudflare", apiTokens: ["YOUR_WORKERS_AI_API_TOKEN"], cloudflareAccountId: "YOUR_CLOUDFLARE_ACCOUNT_ID", modelMapping: { "*": "@cf/meta/llama-3-8b-instruct" } } },
    "gpt-3.5", "/v1/chat/completions", "api.cloudflare.com", "/client/v4/accounts/YOUR_CLOUDFLARE_ACCOUNT_ID/ai/v1/chat/completions", "@cf/meta/llama-3-8b-instruct"],
  ["Together-AI", { provider: { type: "together-ai", apiTokens: ["YOUR_TOGETHER_AI_API_TOKEN"], modelMapping: { "*": "Qwen/Qwen2.5-72B-Instruct-Turbo" } } },
    "Qwen/Qwen2.5-72B-Instruct-Turbo", "/v1/chat/completions", "api.together.xyz", "/v1/chat/completions", "Qwen/Qwen2.5-72B-Instruct-Turbo"],
];

for (const [name, config, model, path, authority, upPath, upModel] of EXAMPLES) {
  test(`seed 001 example loads and routes: ${name}`, async () => {
    const { r, sent } = await send(config, model, path);
    assert.equal(r.upstreamRequest?.authority, authority);
    assert.equal(r.upstreamRequest?.path, upPath);
    assert.equal(sent.model, upModel);
    assert.equal(r.status, 200);
    assert.equal(r.trap, null);
  });
}

test("seed 001: the Qwen embeddings example maps text-embedding-v1 and answers in the example's shape", async () => {
  const { plugin } = await startPlugin(qwen({ apiTokens: ["t"], modelMapping: { "text-embedding-v1": "text-embedding-v1", "*": "qwen-turbo" } }), held);
  // DashScope's native text embedding (https://www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api)
  const native = { output: { embeddings: [{ text_index: 0, embedding: [-1.0437825918197632, 5.208984375, -0.5885213017463684] }] }, usage: { total_tokens: 1 }, request_id: "e-1" };
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "text-embedding-v1", input: "Hello" }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json(native) }),
  });
  assert.equal(r.upstreamRequest?.path, "/api/v1/services/embeddings/text-embedding/text-embedding");
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), json({ model: "text-embedding-v1", input: { texts: ["Hello"] } }));
  // The seed's response example, vector shortened.
  assert.deepEqual(JSON.parse(r.bodyText), { object: "list", data: [{ object: "embedding", index: 0, embedding: [-1.0437825918197632, 5.208984375, -0.5885213017463684] }], model: "text-embedding-v1", usage: { prompt_tokens: 1, total_tokens: 1 } });
});

test("seed 001: qwenFileIds become a fileid:// system message for qwen-long", async () => {
  const { sent } = await send(qwen({ apiTokens: ["t"], modelMapping: { "*": "qwen-long" }, qwenFileIds: ["file-fe-xxx", "file-fe-yyy"] }), "gpt-4-turbo");
  assert.equal(sent.model, "qwen-long");
  assert.deepEqual(sent.input.messages[0], { role: "system", content: "fileid://file-fe-xxx,fileid://file-fe-yyy" });
  assert.equal(sent.input.messages[1].role, "user");
  const compatible = await send(qwen({ apiTokens: ["t"], modelMapping: { "*": "qwen-long" }, qwenFileIds: ["file-fe-xxx"], qwenEnableCompatible: true }), "gpt-4-turbo");
  assert.deepEqual(compatible.sent.messages[0], { role: "system", content: "fileid://file-fe-xxx" });
});

test("qwenEnableSearch adds enable_search to compatible-mode requests", async () => {
  const { sent } = await send({ provider: { type: "qwen", apiTokens: ["t"], qwenEnableSearch: true, qwenEnableCompatible: true } }, "qwen-max");
  assert.equal(sent.enable_search, true);
});

test("seed 001: the original-protocol Bailian app example passes the body untouched", async () => {
  const { plugin } = await startPlugin({ provider: { type: "qwen", apiTokens: ["YOUR_DASHSCOPE_API_TOKEN"], protocol: "original" } });
  const body = `{"input":{"prompt":"介绍一下Dubbo"},"parameters":{},"debug":{}}`;
  const r = await plugin.exchange({ request: { headers: requestHeaders("/api/v1/apps/APP_ID/completion"), body }, upstream: ok });
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
  assert.equal(r.upstreamRequest!.authority, "dashscope.aliyuncs.com");
});

const contextFile = "这份文案是关于 Higress 的介绍。";
/** Host options with clusters: a function-valued option keeps support/plugin.ts from sharing a cached host. */
const own = (clusters: Record<string, any>) => ({ clusters, onLog: () => {}, ...held });
function fileCluster(calls: string[], status = 200) {
  return {
    "outbound|80||file.dns": async (req: any) => {
      calls.push(req.headers.find(([k]: [string, string]) => k === ":path")[1]);
      return { status, headers: [["content-type", "text/plain"]] as Array<[string, string]>, body: status === 200 ? contextFile : "nope" };
    },
  };
}
const contextConfig = qwen({ apiTokens: ["t"], modelMapping: { "*": "qwen-turbo" }, context: { fileUrl: "http://file.default.svc.cluster.local/ai/context.txt", serviceName: "file.dns", servicePort: 80 } });

test("seed 001 context example: the file is fetched once per root context and inserted as system context (OpenAI and Anthropic clients)", async () => {
  const calls: string[] = [];
  const { plugin } = await startPlugin(contextConfig, own(fileCluster(calls)));
  const first = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gpt-3", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "请概述文案内容" }] }) }, upstream: ok });
  const sent = JSON.parse(Buffer.from(first.upstreamRequest!.body).toString());
  assert.deepEqual(sent.input.messages, [{ role: "system", content: "Be brief." }, { role: "system", content: contextFile }, { role: "user", content: "请概述文案内容" }]);
  const second = await plugin.exchange({ request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }) }, upstream: ok });
  const sent2 = JSON.parse(Buffer.from(second.upstreamRequest!.body).toString());
  assert.deepEqual(sent2.input.messages[0], { role: "system", content: contextFile });
  assert.deepEqual(calls, ["/ai/context.txt"], "cached after the first fetch");
});

test("context on an Anthropic upstream is prepended to system", async () => {
  const calls: string[] = [];
  const { plugin } = await startPlugin({ provider: { type: "claude", apiTokens: ["t"], context: { fileUrl: "http://file/ai/context.txt", serviceName: "file.dns", servicePort: 80 } } }, own(fileCluster(calls)));
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-x", max_tokens: 10, system: "Be brief.", messages: [{ role: "user", content: "hi" }] }) }, upstream: ok });
  assert.equal(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).system, contextFile + "\nBe brief.");
});

test("a failed context fetch answers 500 in the client's protocol and the next request retries", async () => {
  const calls: string[] = [];
  const { plugin } = await startPlugin(contextConfig, own(fileCluster(calls, 404)));
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }) }, upstream: ok });
  assert.equal(r.upstreamRequest, null);
  assert.equal(r.status, 500);
  assert.equal(JSON.parse(r.bodyText).type, "error");
  await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat("x") }, upstream: ok });
  assert.equal(calls.length, 2);
});

test("customSettings: auto mode renames per protocol, raw mode sets as given, overwrite false only fills", async () => {
  const customSettings = [
    { name: "max_tokens", value: 77 },
    { name: "temperature", value: 0.1, overwrite: false },
    { name: "top_k", value: 5 },
    { name: "seed", value: 42 },
    { name: "enable_thinking", value: false, mode: "raw" },
  ];
  const openai = await send({ provider: { type: "deepseek", apiTokens: ["t"], customSettings } }, "m");
  const o = JSON.parse(Buffer.from(openai.r.upstreamRequest!.body).toString());
  assert.equal(o.max_tokens, 77);
  assert.equal(o.temperature, 0.1, "filled when absent");
  assert.equal(o.top_k, undefined, "top_k is none for openai");
  assert.equal(o.seed, 42);
  assert.equal(o.enable_thinking, false);
  const filled = await startPlugin({ provider: { type: "deepseek", apiTokens: ["t"], customSettings } });
  const kept = await filled.plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat("m", { temperature: 0.9 }) }, upstream: ok });
  assert.equal(JSON.parse(Buffer.from(kept.upstreamRequest!.body).toString()).temperature, 0.9);
  const claude = await send({ provider: { type: "claude", apiTokens: ["t"], customSettings } }, "m");
  const c = JSON.parse(Buffer.from(claude.r.upstreamRequest!.body).toString());
  assert.equal(c.max_tokens, 77);
  assert.equal(c.top_k, 5);
  assert.equal(c.seed, undefined, "seed is none for claude");
  assert.equal(c.temperature, 0.1);
});

test("responseJsonSchema becomes response_format on OpenAI-protocol providers", async () => {
  const format = { type: "json_schema", json_schema: { name: "answer", schema: { type: "object", properties: { a: { type: "string" } } } } };
  const { sent } = await send({ provider: { type: "openai", apiTokens: ["t"], responseJsonSchema: format } }, "gpt-4o");
  assert.deepEqual(sent.response_format, format);
});

test("moonshotFileId: the file content is fetched through the route's cluster and inserted as system context", async () => {
  const calls: Array<[string, string]> = [];
  const clusters = {
    "outbound|443||moonshot.dns": async (req: any) => {
      const h = (k: string) => req.headers.find(([n]: [string, string]) => n === k)?.[1];
      calls.push([h(":path"), h("authorization")]);
      return { status: 200, headers: [["content-type", "application/json"]] as Array<[string, string]>, body: `{"content":"file text","type":"file"}` };
    },
  };
  const { plugin } = await startPlugin({ provider: { type: "moonshot", apiTokens: ["YOUR_MOONSHOT_API_TOKEN"], moonshotFileId: "YOUR_MOONSHOT_FILE_ID", modelMapping: { "*": "moonshot-v1-32k" } } }, own(clusters));
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat("gpt-4-turbo") }, upstream: ok, properties: { cluster_name: "outbound|443||moonshot.dns" } });
  const sent = JSON.parse(Buffer.from(r.upstreamRequest!.body).toString());
  assert.equal(sent.model, "moonshot-v1-32k");
  assert.deepEqual(sent.messages[0], { role: "system", content: `{"content":"file text","type":"file"}` });
  assert.deepEqual(calls, [["/v1/files/YOUR_MOONSHOT_FILE_ID/content", "Bearer YOUR_MOONSHOT_API_TOKEN"]]);
});

test("_rules_ pick the provider per route and per domain; the global provider serves the rest", async () => {
  const config = {
    provider: { type: "openai", apiTokens: ["g"] },
    _rules_: [
      { _match_route_: ["route-claude"], provider: { type: "claude", apiTokens: ["c"] } },
      { _match_domain_: ["*.deepseek.example.com"], provider: { type: "deepseek", apiTokens: ["d"] } },
      { _match_route_prefix_: ["qwen-"], provider: { type: "qwen", apiTokens: ["q"], qwenEnableCompatible: true } },
    ],
  };
  const { plugin } = await startPlugin(config);
  const go = async (authority: string, route: string) => {
    const headers = requestHeaders("/v1/chat/completions").map(([k, v]) => [k, k === ":authority" ? authority : v]) as Array<[string, string]>;
    const r = await plugin.exchange({ request: { headers, body: chat("m") }, upstream: ok, properties: { route_name: route } });
    return r.upstreamRequest!.authority;
  };
  assert.equal(await go("gw.example.com", "route-claude"), "api.anthropic.com");
  assert.equal(await go("api.deepseek.example.com:8080", "other"), "api.deepseek.com");
  assert.equal(await go("gw.example.com", "qwen-prod"), "dashscope.aliyuncs.com");
  assert.equal(await go("gw.example.com", "other"), "api.openai.com");
});

test("maxRequestBodyBytes: a body over the limit gets 413 in the client's protocol without reaching the upstream", async () => {
  const { plugin } = await startPlugin({ maxRequestBodyBytes: 1000, provider: { type: "openai", apiTokens: ["t"] } });
  const big = "x".repeat(600);
  let called = false;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: [json({ model: "m", max_tokens: 5, messages: [{ role: "user", content: big }] }).slice(0, 500), big, "\"}]}"] },
    upstream: () => { called = true; return ok(); },
  });
  assert.equal(called, false);
  assert.equal(r.status, 413);
  assert.equal(JSON.parse(r.bodyText).type, "error");
  const declared = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat(big + big) }, upstream: ok });
  assert.equal(declared.status, 413, "content-length over the limit is refused at once");
  assert.equal(JSON.parse(declared.bodyText).error.type !== undefined, true);
  const small = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat("m") }, upstream: ok });
  assert.equal(small.status, 200);
  assert.equal(header(small.headers, "content-type"), "application/json");
});
