// Every provider of issue 4 through build/ai-proxy.wasm in the host: a client request in OpenAI and in Anthropic form
// becomes exactly the upstream request the provider documents (the documented URL, auth header, body), and the
// provider's answer comes back in the client's format. The expected URLs are quoted from each provider's docs (cited
// per row), not copied from assembly/providers/table.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { allHeaders, header, json, requestHeaders, startPlugin } from "../support/plugin";

interface Row {
  type: string;
  extra?: Record<string, unknown>;
  /** The chat completions URL as the provider's API reference gives it (cited above the row). */
  chat: string;
  /** The provider's documented Anthropic Messages URL, if any (no conversion for /v1/messages). */
  messages?: string;
  /** The provider's documented embeddings URL, if any. */
  embeddings?: string;
  /** [header, value] carrying the key; null when no token is configured. */
  auth: [string, string] | null;
  /** The provider documents OpenAI's `developer` role (OpenAI, Azure). */
  keepsDeveloper?: boolean;
  /** The provider documents this token-limit field (api.openai.com: max_completion_tokens); else max_tokens. */
  maxTokensField?: string;
}

const K = "sk-test-1";
const bearer: [string, string] = ["authorization", `Bearer ${K}`];

// Each row is what the provider's documentation says (URL quoted from the page cited above it), written
// independently of assembly/providers/table.ts: a wrong row there fails here.
const ROWS: Row[] = [
  // https://platform.openai.com/docs/api-reference/chat/create ; .../embeddings/create ; Bearer ; developer role ;
  // max_completion_tokens ("max_tokens is deprecated ... not compatible with o-series models")
  { type: "openai", chat: "https://api.openai.com/v1/chat/completions", embeddings: "https://api.openai.com/v1/embeddings", auth: bearer, keepsDeveloper: true, maxTokensField: "max_completion_tokens" },
  // https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope (base_url .../compatible-mode/v1;
  // compatible mode is qwenEnableCompatible: true, the native API is the default: cnproviders.test.ts)
  { type: "qwen", extra: { qwenEnableCompatible: true }, chat: "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions", embeddings: "https://dashscope.aliyuncs.com/compatible-mode/v1/embeddings", auth: bearer },
  // https://platform.moonshot.cn/docs/api/chat ; Anthropic base_url https://api.moonshot.cn/anthropic
  { type: "moonshot", chat: "https://api.moonshot.cn/v1/chat/completions", messages: "https://api.moonshot.cn/anthropic/v1/messages", auth: bearer },
  // https://api-docs.deepseek.com/api/create-chat-completion ("POST /chat/completions", base https://api.deepseek.com) ;
  // https://api-docs.deepseek.com/guides/anthropic_api (ANTHROPIC_BASE_URL=https://api.deepseek.com/anthropic)
  { type: "deepseek", chat: "https://api.deepseek.com/chat/completions", messages: "https://api.deepseek.com/anthropic/v1/messages", auth: bearer },
  // https://platform.baichuan-ai.com/docs/api
  { type: "baichuan", chat: "https://api.baichuan-ai.com/v1/chat/completions", embeddings: "https://api.baichuan-ai.com/v1/embeddings", auth: bearer },
  // https://platform.lingyiwanwu.com/docs/api-reference
  { type: "yi", chat: "https://api.lingyiwanwu.com/v1/chat/completions", auth: bearer },
  // https://docs.bigmodel.cn/api-reference (v4) ; Anthropic base https://open.bigmodel.cn/api/anthropic
  { type: "zhipuai", chat: "https://open.bigmodel.cn/api/paas/v4/chat/completions", messages: "https://open.bigmodel.cn/api/anthropic/v1/messages", embeddings: "https://open.bigmodel.cn/api/paas/v4/embeddings", auth: bearer },
  // https://console.groq.com/docs/openai (base_url https://api.groq.com/openai/v1)
  { type: "groq", chat: "https://api.groq.com/openai/v1/chat/completions", auth: bearer },
  // https://docs.x.ai/docs/api-reference (POST https://api.x.ai/v1/chat/completions)
  { type: "grok", chat: "https://api.x.ai/v1/chat/completions", auth: bearer },
  // https://openrouter.ai/docs/api-reference/chat-completion ; .../embeddings
  { type: "openrouter", chat: "https://openrouter.ai/api/v1/chat/completions", embeddings: "https://openrouter.ai/api/v1/embeddings", auth: bearer },
  // https://docs.fireworks.ai/api-reference/post-chatcompletions (base https://api.fireworks.ai/inference/v1)
  { type: "fireworks", chat: "https://api.fireworks.ai/inference/v1/chat/completions", embeddings: "https://api.fireworks.ai/inference/v1/embeddings", auth: bearer },
  // https://ai.360.com/platform/docs/overview (embeddings URL not verified against the page)
  { type: "ai360", chat: "https://api.360.cn/v1/chat/completions", embeddings: "https://api.360.cn/v1/embeddings", auth: bearer },
  // https://docs.github.com/rest/models/inference (POST https://models.github.ai/inference/chat/completions)
  { type: "github", chat: "https://models.github.ai/inference/chat/completions", embeddings: "https://models.github.ai/inference/embeddings", auth: bearer },
  // https://docs.mistral.ai/api/
  { type: "mistral", chat: "https://api.mistral.ai/v1/chat/completions", embeddings: "https://api.mistral.ai/v1/embeddings", auth: bearer },
  // https://platform.stepfun.com/docs/zh/api-reference/chat/chat-completion-create ; .../chat/messages-create (POST /v1/messages)
  { type: "stepfun", chat: "https://api.stepfun.com/v1/chat/completions", messages: "https://api.stepfun.com/v1/messages", auth: bearer },
  // https://docs.together.ai/reference/chat-completions-1
  { type: "together-ai", chat: "https://api.together.xyz/v1/chat/completions", embeddings: "https://api.together.xyz/v1/embeddings", auth: bearer },
  // https://www.volcengine.com/docs/82379/1494384 ; https://www.volcengine.com/docs/82379/1521766
  { type: "doubao", chat: "https://ark.cn-beijing.volces.com/api/v3/chat/completions", embeddings: "https://ark.cn-beijing.volces.com/api/v3/embeddings", auth: bearer },
  // BytePlus ModelArk (https://docs.byteplus.com/en/docs/ModelArk): same paths on ark.ap-southeast.bytepluses.com
  { type: "doubao", extra: { doubaoDomain: "ark.ap-southeast.bytepluses.com" }, chat: "https://ark.ap-southeast.bytepluses.com/api/v3/chat/completions", embeddings: "https://ark.ap-southeast.bytepluses.com/api/v3/embeddings", auth: bearer },
  // https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility (…/accounts/{account_id}/ai/v1/…)
  { type: "cloudflare", extra: { cloudflareAccountId: "acc123" }, chat: "https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/chat/completions", embeddings: "https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/embeddings", auth: bearer },
  // https://cloud.baidu.com/doc/qianfan-api/s/3m7of64lb (POST https://qianfan.baidubce.com/v2/chat/completions)
  { type: "baidu", chat: "https://qianfan.baidubce.com/v2/chat/completions", embeddings: "https://qianfan.baidubce.com/v2/embeddings", auth: bearer },
  // https://platform.minimaxi.com/docs/api-reference/text-post ; Anthropic base https://api.minimaxi.com/anthropic
  { type: "minimax", chat: "https://api.minimaxi.com/v1/text/chatcompletion_v2", messages: "https://api.minimaxi.com/anthropic/v1/messages", auth: bearer },
  // Higress's minimaxApiType "pro" (/work/shared/seeds/001): ChatCompletion Pro, its own format: tests/providers/cnproviders.test.ts
  // https://docs.ollama.com/api/openai-compatibility ; https://docs.ollama.com/api/anthropic-compatibility (host from config)
  { type: "ollama", extra: { ollamaServerHost: "ollama.local", ollamaServerPort: 11434 }, chat: "http://ollama.local:11434/v1/chat/completions", messages: "http://ollama.local:11434/v1/messages", embeddings: "http://ollama.local:11434/v1/embeddings", auth: null },
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (host from config)
  { type: "vllm", extra: { vllmServerHost: "vllm.local:8000" }, chat: "http://vllm.local:8000/v1/chat/completions", embeddings: "http://vllm.local:8000/v1/embeddings", auth: bearer },
  { type: "vllm", extra: { vllmCustomUrl: "https://gpu.example.com/serving/v1" }, chat: "https://gpu.example.com/serving/v1/chat/completions", embeddings: "https://gpu.example.com/serving/v1/embeddings", auth: bearer },
  // Higress "generic": the configured host, the client's own path
  { type: "generic", extra: { genericHost: "llm.internal:8080" }, chat: "http://llm.internal:8080/v1/chat/completions", messages: "http://llm.internal:8080/v1/messages", embeddings: "http://llm.internal:8080/v1/embeddings", auth: bearer },
  // https://longcat.chat/platform/docs/ (OpenAI base https://api.longcat.chat/openai ; Anthropic base https://api.longcat.chat/anthropic)
  { type: "longcat", chat: "https://api.longcat.chat/openai/v1/chat/completions", messages: "https://api.longcat.chat/anthropic/v1/messages", auth: bearer },
  // https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope (international endpoint)
  { type: "qwen", extra: { qwenDomain: "dashscope-intl.aliyuncs.com", qwenEnableCompatible: true }, chat: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions", embeddings: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/embeddings", auth: bearer },
  // https://docs.z.ai/api-reference (base https://api.z.ai/api/paas/v4) ; Anthropic base https://api.z.ai/api/anthropic
  { type: "zhipuai", extra: { zhipuDomain: "api.z.ai" }, chat: "https://api.z.ai/api/paas/v4/chat/completions", messages: "https://api.z.ai/api/anthropic/v1/messages", embeddings: "https://api.z.ai/api/paas/v4/embeddings", auth: bearer },
  // https://cloud.tencent.com/document/product/1729/111007 (OpenAI-compatible: base https://api.hunyuan.cloud.tencent.com/v1,
  // Bearer API key; /chat/completions, /embeddings). The signed native API: tests/providers/cnproviders.test.ts
  { type: "hunyuan", chat: "https://api.hunyuan.cloud.tencent.com/v1/chat/completions", embeddings: "https://api.hunyuan.cloud.tencent.com/v1/embeddings", auth: bearer },
  // https://www.xfyun.cn/doc/spark/HTTP%E8%B0%83%E7%94%A8%E6%96%87%E6%A1%A3.html (POST https://spark-api-open.xf-yun.com/v1/chat/completions,
  // Authorization: Bearer <APIPassword, or APIKey:APISecret as Higress's seed 001 configures it>)
  { type: "spark", chat: "https://spark-api-open.xf-yun.com/v1/chat/completions", auth: bearer },
];

/** A documented URL as the upstream request carries it: authority + path (with query). */
function at(url: string): string {
  const u = new URL(url);
  return u.host + u.pathname + u.search;
}

/** Where a request went: authority + path. */
function reached(up: { authority: string; path: string }): string {
  return up.authority + up.path;
}

function config(row: Row) {
  const tokens = row.auth === null ? {} : { apiTokens: [K] };
  return { provider: { type: row.type, ...tokens, modelMapping: { "client-model": "upstream-model" }, ...(row.extra ?? {}) } };
}

function label(row: Row): string {
  return row.type + (row.extra ? " " + JSON.stringify(row.extra) : "");
}

const openaiClientBody = { model: "client-model", messages: [{ role: "developer", content: "Be brief." }, { role: "user", content: "Hi" }], temperature: 0.2 };
const anthropicClientBody = { model: "client-model", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] };

const completion = {
  id: "chatcmpl-1", object: "chat.completion", created: 1714807624, model: "upstream-model",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
};
const anthropicMessage = {
  id: "msg_1", type: "message", role: "assistant", model: "upstream-model", content: [{ type: "text", text: "Hello!" }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 9, output_tokens: 2 },
};
const jsonHeaders: Array<[string, string]> = [["content-type", "application/json"]];

function sentJson(r: any): any {
  return JSON.parse(Buffer.from(r.upstreamRequest.body).toString());
}

function checkAuth(row: Row, headers: Array<[string, string]>) {
  assert.deepEqual(allHeaders(headers, "x-api-key"), [], "client x-api-key dropped");
  if (row.auth === null) {
    assert.deepEqual(allHeaders(headers, "authorization"), [], "no key configured: no authorization");
  } else {
    assert.deepEqual(allHeaders(headers, row.auth[0]), [row.auth[1]]);
  }
}

const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"]];

for (const row of ROWS) {
  test(`${label(row)}: OpenAI client chat → ${row.chat}, mapped model, key, answer unchanged`, async () => {
    const { plugin } = await startPlugin(config(row));
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json(openaiClientBody) },
      upstream: () => ({ status: 200, headers: jsonHeaders, body: json(completion) }),
    });
    const up = r.upstreamRequest!;
    assert.equal(reached(up), at(row.chat));
    checkAuth(row, up.headers);
    const role = row.keepsDeveloper ? "developer" : "system";
    assert.deepEqual(sentJson(r), { model: "upstream-model", messages: [{ role, content: "Be brief." }, { role: "user", content: "Hi" }], temperature: 0.2 });
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.bodyText), completion);
    assert.equal(r.trap, null);
  });

  test(`${label(row)}: Anthropic client /v1/messages → ${row.messages ? "native " + row.messages : "converted to " + row.chat}`, async () => {
    const { plugin } = await startPlugin(config(row));
    const native = row.messages !== undefined;
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["anthropic-beta", "tools-2024"], ...clientCreds]), body: json(anthropicClientBody) },
      upstream: () => native
        ? { status: 200, headers: jsonHeaders, body: json(anthropicMessage) }
        : { status: 200, headers: jsonHeaders, body: json(completion) },
    });
    const up = r.upstreamRequest!;
    checkAuth(row, up.headers);
    if (native) {
      assert.equal(reached(up), at(row.messages!) + "?beta=true", "same protocol: the client's query is kept");
      assert.equal(header(up.headers, "anthropic-version"), "2023-06-01");
      assert.equal(header(up.headers, "anthropic-beta"), "tools-2024");
      assert.deepEqual(sentJson(r), { ...anthropicClientBody, model: "upstream-model" });
      assert.deepEqual(JSON.parse(r.bodyText), anthropicMessage);
    } else {
      assert.equal(reached(up), at(row.chat), "converted: the Anthropic query string is not forwarded");
      assert.equal(header(up.headers, "anthropic-version"), undefined);
      assert.equal(header(up.headers, "anthropic-beta"), undefined);
      assert.deepEqual(sentJson(r), {
        model: "upstream-model",
        messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }],
        [row.maxTokensField ?? "max_tokens"]: 100,
      });
      const out = JSON.parse(r.bodyText);
      assert.equal(out.type, "message");
      assert.equal(out.role, "assistant");
      assert.deepEqual(out.content, [{ type: "text", text: "Hello!" }]);
      assert.equal(out.stop_reason, "end_turn");
      assert.deepEqual(out.usage, { input_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 2 });
    }
    assert.equal(r.status, 200);
    assert.equal(r.trap, null);
  });

  test(`${label(row)}: /v1/embeddings ${row.embeddings ? "→ " + row.embeddings : "→ 404 in OpenAI's format"}`, async () => {
    const { plugin } = await startPlugin(config(row));
    const answer = { object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1, -0.2] }], model: "upstream-model", usage: { prompt_tokens: 1, total_tokens: 1 } };
    let called = false;
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/embeddings", clientCreds), body: json({ model: "client-model", input: "Hello" }) },
      upstream: () => { called = true; return { status: 200, headers: jsonHeaders, body: json(answer) }; },
    });
    if (row.embeddings) {
      const up = r.upstreamRequest!;
      assert.equal(reached(up), at(row.embeddings));
      checkAuth(row, up.headers);
      assert.deepEqual(sentJson(r), { model: "upstream-model", input: "Hello" });
      assert.deepEqual(JSON.parse(r.bodyText), answer);
    } else {
      assert.equal(called, false);
      assert.equal(r.status, 404);
      assert.equal(typeof JSON.parse(r.bodyText).error.message, "string");
    }
    assert.equal(r.trap, null);
  });
}

// ---- claude ----

test("claude: Anthropic client → api.anthropic.com/v1/messages with x-api-key, anthropic-version and the client's anthropic-beta", async () => {
  const { plugin } = await startPlugin({ provider: { type: "claude", apiTokens: [K], modelMapping: { "client-model": "claude-sonnet-4-5" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["anthropic-beta", "interleaved-thinking-2025-05-14"], ...clientCreds]), body: json(anthropicClientBody) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(anthropicMessage) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.anthropic.com");
  assert.equal(up.path, "/v1/messages?beta=true");
  assert.deepEqual(allHeaders(up.headers, "x-api-key"), [K]);
  assert.deepEqual(allHeaders(up.headers, "authorization"), []);
  assert.equal(header(up.headers, "anthropic-version"), "2023-06-01");
  assert.equal(header(up.headers, "anthropic-beta"), "interleaved-thinking-2025-05-14");
  assert.deepEqual(sentJson(r), { ...anthropicClientBody, model: "claude-sonnet-4-5" });
  assert.deepEqual(JSON.parse(r.bodyText), anthropicMessage);
});

test("claude: OpenAI client → converted Messages request, claudeVersion header, answer converted back", async () => {
  const { plugin } = await startPlugin({ provider: { type: "claude", apiTokens: [K], claudeVersion: "2023-01-01" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json({ ...anthropicMessage, model: "claude-sonnet-4-5" }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/v1/messages");
  assert.equal(header(up.headers, "anthropic-version"), "2023-01-01");
  assert.deepEqual(sentJson(r), { model: "claude-sonnet-4-5", max_tokens: 50, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] });
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "chat.completion");
  assert.equal(out.choices[0].message.content, "Hello!");
  assert.equal(out.choices[0].finish_reason, "stop");
});

test("claude: /v1/messages/count_tokens, batches (create, list, retrieve, cancel, results), /v1/models and /v1/complete pass with rewritten headers and untouched bodies", async () => {
  const { plugin } = await startPlugin({ provider: { type: "claude", apiTokens: [K], modelMapping: { "*": "claude-opus-4-1" } } });
  const cases: Array<[string, string, string | undefined]> = [
    ["POST", "/v1/messages/count_tokens", json(anthropicClientBody)],
    ["POST", "/v1/messages/batches", json({ requests: [{ custom_id: "a", params: anthropicClientBody }] })],
    ["GET", "/v1/messages/batches?limit=10", undefined],
    ["GET", "/v1/messages/batches/msgbatch_1", undefined],
    ["POST", "/v1/messages/batches/msgbatch_1/cancel", ""],
    ["GET", "/v1/messages/batches/msgbatch_1/results", undefined],
    ["GET", "/v1/models?limit=5", undefined],
    ["GET", "/v1/models/claude-opus-4-1", undefined],
    ["POST", "/v1/complete", json({ model: "claude-2.1", prompt: "\n\nHuman: hi\n\nAssistant:", max_tokens_to_sample: 10 })],
  ];
  for (const [method, path, body] of cases) {
    const answer = json({ ok: path });
    const r = await plugin.exchange({
      request: { headers: requestHeaders(path, [["anthropic-version", "2023-06-01"], ...clientCreds], method), body },
      upstream: () => ({ status: 200, headers: jsonHeaders, body: answer }),
    });
    const up = r.upstreamRequest!;
    assert.equal(up.authority, "api.anthropic.com", path);
    assert.equal(up.path, path, path);
    assert.deepEqual(allHeaders(up.headers, "x-api-key"), [K], path);
    assert.deepEqual(allHeaders(up.headers, "authorization"), [], path);
    assert.equal(header(up.headers, "anthropic-version"), "2023-06-01", path);
    assert.equal(Buffer.from(up.body).toString(), body ?? "", path + ": body untouched (no model mapping)");
    assert.equal(r.bodyText, answer, path);
  }
});

// ---- count_tokens estimate, models list, usage, original ----

test("count_tokens on a provider without it is answered locally with an estimate and says so", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepseek", apiTokens: [K] } });
  let called = false;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages/count_tokens?beta=true", [["anthropic-version", "2023-06-01"]]), body: json({ model: "x", system: "You are terse.", messages: [{ role: "user", content: "Hello there, how are you today?" }], tools: [{ name: "t", input_schema: { type: "object" } }] }) },
    upstream: () => { called = true; return { status: 200 }; },
  });
  assert.equal(called, false);
  assert.equal(r.status, 200);
  assert.equal(header(r.headers, "x-ai-proxy-token-count"), "estimated");
  const out = JSON.parse(r.bodyText);
  assert.deepEqual(Object.keys(out), ["input_tokens"]);
  assert.ok(out.input_tokens > 5 && out.input_tokens < 60, String(out.input_tokens));
});

test("/v1/models: OpenAI clients get the provider's list untouched; Anthropic clients get Anthropic's shape", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepseek", apiTokens: [K] } });
  const list = { object: "list", data: [{ id: "deepseek-chat", object: "model", created: 1700000000, owned_by: "deepseek" }, { id: "deepseek-reasoner", object: "model", created: 0, owned_by: "deepseek" }] };
  const openai = await plugin.exchange({
    request: { headers: requestHeaders("/v1/models", clientCreds, "GET") },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(list) }),
  });
  assert.equal(openai.upstreamRequest!.path, "/models");
  assert.equal(openai.upstreamRequest!.authority, "api.deepseek.com");
  assert.deepEqual(JSON.parse(openai.bodyText), list);
  const anthropic = await plugin.exchange({
    request: { headers: requestHeaders("/v1/models?limit=20", [["anthropic-version", "2023-06-01"]], "GET") },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(list) }),
  });
  assert.equal(anthropic.upstreamRequest!.path, "/models");
  assert.deepEqual(JSON.parse(anthropic.bodyText), {
    data: [
      { type: "model", id: "deepseek-chat", display_name: "deepseek-chat", created_at: "2023-11-14T22:13:20Z" },
      { type: "model", id: "deepseek-reasoner", display_name: "deepseek-reasoner", created_at: "1970-01-01T00:00:00Z" },
    ],
    has_more: false, first_id: "deepseek-chat", last_id: "deepseek-reasoner",
  });
});

const chunks = [
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":null}\n\n`,
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n`,
  `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}\n\n`,
  `data: [DONE]\n\n`,
];

test("streaming chat asks for usage; a client that did not ask does not get the usage-only chunk", async () => {
  const { plugin } = await startPlugin({ provider: { type: "groq", apiTokens: [K] } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: chunks }),
  });
  assert.deepEqual(sentJson(r).stream_options, { include_usage: true });
  assert.equal(r.bodyText, chunks[0] + chunks[1] + chunks[3]);
  const asked = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: chunks }),
  });
  assert.equal(asked.bodyText, chunks.join(""));
});

test("streamIncludeUsage: false leaves the request and the stream alone", async () => {
  const { plugin } = await startPlugin({ provider: { type: "groq", apiTokens: [K], streamIncludeUsage: false } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: chunks }),
  });
  assert.equal(sentJson(r).stream_options, undefined);
  assert.equal(r.bodyText, chunks.join(""));
});

test("protocol original: host, path and auth rewritten, bodies untouched both ways", async () => {
  const { plugin } = await startPlugin({ provider: { type: "qwen", apiTokens: [K], protocol: "original", modelMapping: { "*": "never" } } });
  const body = `{"input":{"prompt":"介绍一下Dubbo"},"parameters":{},"debug":{}}`;
  const answer = `{"output":{"finish_reason":"stop","text":"Apache Dubbo"},"request_id":"r1"}`;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/api/v1/apps/app-1/completion", clientCreds), body },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "dashscope.aliyuncs.com");
  assert.equal(up.path, "/api/v1/apps/app-1/completion");
  assert.deepEqual(allHeaders(up.headers, "authorization"), [`Bearer ${K}`]);
  assert.equal(Buffer.from(up.body).toString(), body);
  assert.equal(r.bodyText, answer);
});

// ---- azure ----

const azureAnswer = { ...completion, model: "gpt-4o-2024-08-06" };

test("azure full URL form: every chat request goes to the configured URL with api-key; developer is kept", async () => {
  const { plugin } = await startPlugin({ provider: { type: "azure", apiTokens: [K], azureServiceUrl: "https://res1.openai.azure.com/openai/deployments/dep1/chat/completions?api-version=2024-02-15-preview" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json(openaiClientBody) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(azureAnswer) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "res1.openai.azure.com");
  assert.equal(up.path, "/openai/deployments/dep1/chat/completions?api-version=2024-02-15-preview");
  assert.deepEqual(allHeaders(up.headers, "api-key"), [K]);
  assert.deepEqual(allHeaders(up.headers, "authorization"), []);
  assert.equal(sentJson(r).messages[0].role, "developer");
  assert.deepEqual(JSON.parse(r.bodyText), azureAnswer);
});

test("azure deployment form: the API suffix is appended, the deployment kept, api-version kept", async () => {
  const { plugin } = await startPlugin({ provider: { type: "azure", apiTokens: [K], azureServiceUrl: "https://res1.openai.azure.com/openai/deployments/dep1?api-version=2024-10-21", modelMapping: { "*": "gpt-4o" } } });
  const chat = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json(openaiClientBody) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(azureAnswer) }),
  });
  assert.equal(chat.upstreamRequest!.path, "/openai/deployments/dep1/chat/completions?api-version=2024-10-21");
  const emb = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "text-embedding-3-small", input: "x" }) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: "{}" }),
  });
  assert.equal(emb.upstreamRequest!.path, "/openai/deployments/dep1/embeddings?api-version=2024-10-21");
  const anthropic = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json(anthropicClientBody) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(azureAnswer) }),
  });
  assert.equal(anthropic.upstreamRequest!.path, "/openai/deployments/dep1/chat/completions?api-version=2024-10-21");
  assert.equal(JSON.parse(anthropic.bodyText).type, "message");
});

test("azure resource form: the deployment is the mapped model; request headers wait for the body (Envoy >= 1.35)", async () => {
  const { vm, plugin } = await startPlugin(
    { provider: { type: "azure", apiTokens: [K], azureServiceUrl: "https://res1.openai.azure.com?api-version=2024-10-21", modelMapping: { "gpt-4": "prod-gpt4o" } } },
    { allowOnHeadersStopIteration: true },
  );
  assert.ok(vm.logs.some((l) => /allow_on_headers_stop_iteration/.test(l.message)), "configure-time info line");
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: [json({ ...openaiClientBody, model: "gpt-4" }).slice(0, 20), json({ ...openaiClientBody, model: "gpt-4" }).slice(20)] },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(azureAnswer) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "res1.openai.azure.com");
  assert.equal(up.path, "/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21");
  assert.deepEqual(allHeaders(up.headers, "api-key"), [K]);
  assert.equal(sentJson(r).model, "prod-gpt4o");
  const models = await plugin.exchange({
    request: { headers: requestHeaders("/v1/models", [], "GET") },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json({ object: "list", data: [] }) }),
  });
  assert.equal(models.upstreamRequest!.path, "/openai/models?api-version=2024-10-21");
});

test("azure /openai/v1 form: OpenAI-style paths, no dated api-version needed", async () => {
  const { plugin } = await startPlugin({ provider: { type: "azure", apiTokens: [K], azureServiceUrl: "https://res1.openai.azure.com/openai/v1" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json(openaiClientBody) },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json(azureAnswer) }),
  });
  assert.equal(r.upstreamRequest!.path, "/openai/v1/chat/completions");
});

// ---- openai custom URL, base paths ----

test("openaiCustomUrl as a full endpoint and as a base; providerBasePath; basePath removePrefix and prepend; subPath", async () => {
  const cases: Array<[object, string, string, string]> = [
    [{ openaiCustomUrl: "www.example.com/myai/v1/chat/completions" }, "/v1/chat/completions", "www.example.com", "/myai/v1/chat/completions"],
    [{ openaiCustomUrl: "https://www.example.com/myai/v1" }, "/v1/chat/completions", "www.example.com", "/myai/v1/chat/completions"],
    [{ providerBasePath: "/proxy" }, "/v1/chat/completions", "api.openai.com", "/proxy/v1/chat/completions"],
    [{ basePath: "/team-a" }, "/team-a/v1/chat/completions", "api.openai.com", "/v1/chat/completions"],
    [{ basePath: "/gw", basePathHandling: "prepend" }, "/v1/chat/completions", "api.openai.com", "/gw/v1/chat/completions"],
    [{ subPath: "/ai" }, "/ai/v1/chat/completions", "api.openai.com", "/v1/chat/completions"],
    [{ providerDomain: "openai-proxy.corp:8443" }, "/v1/chat/completions", "openai-proxy.corp:8443", "/v1/chat/completions"],
    [{ capabilities: { "openai/v1/chatcompletions": "/custom/chat" } }, "/v1/chat/completions", "api.openai.com", "/custom/chat"],
  ];
  for (const [extra, clientPath, authority, path] of cases) {
    const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: [K], ...extra } });
    const r = await plugin.exchange({
      request: { headers: requestHeaders(clientPath), body: json(openaiClientBody) },
      upstream: () => ({ status: 200, headers: jsonHeaders, body: json(completion) }),
    });
    assert.equal(r.upstreamRequest?.authority, authority, JSON.stringify(extra));
    assert.equal(r.upstreamRequest?.path, path, JSON.stringify(extra));
  }
});

test("protocol original: raw customSettings are set at the top of a JSON body (as Higress does); auto ones and other bodies pass as sent", async () => {
  const { plugin } = await startPlugin({ provider: { type: "openai", protocol: "original", apiTokens: [K], customSettings: [
    { name: "service_tier", value: "flex", mode: "raw" }, { name: "temperature", value: 0.1 },
  ] } });
  const body = json({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], temperature: 1 });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: [body.slice(0, 9), body.slice(9)] },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json({ id: "x" }) }),
  });
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), json({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], temperature: 1, service_tier: "flex" }));
  assert.equal(header(r.upstreamRequest!.headers, "content-length"), undefined);
  const text = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: "not json" },
    upstream: () => ({ status: 200, headers: jsonHeaders, body: json({ id: "x" }) }),
  });
  assert.equal(Buffer.from(text.upstreamRequest!.body).toString(), "not json");
});
