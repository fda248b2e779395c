// Higress's Chinese provider types beyond the OpenAI-compatible rows (issue 11), through build/ai-proxy.wasm in the host.
// Hunyuan native (hunyuanAuthId / hunyuanAuthKey): Tencent Cloud API 3.0 ChatCompletions
// (https://cloud.tencent.com/document/api/1729/105701): POST https://hunyuan.tencentcloudapi.com/ with X-TC-Action:
// ChatCompletions, X-TC-Version: 2023-09-01, X-TC-Timestamp and a TC3-HMAC-SHA256 Authorization
// (https://cloud.tencent.com/document/api/1729/101843) over content-type;host;x-tc-action as Higress signs it. The
// signature is recomputed here with Node's crypto from the documented algorithm, over the bytes the upstream received.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"; // 36 characters, as Higress checks
const KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"; // 32 characters
const HOST = "hunyuan.tencentcloudapi.com";
const CREDENTIALS = ["x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"]];
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const bodyOf = (r: any) => Buffer.from(r.upstreamRequest.body).toString();

function tc3(payload: string, timestamp: number, host = HOST): string {
  const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
  const hmac = (k: crypto.BinaryLike, s: string) => crypto.createHmac("sha256", k).update(s).digest();
  const canonical = ["POST", "/", "", `content-type:application/json\nhost:${host}\nx-tc-action:chatcompletions\n`, "content-type;host;x-tc-action", sha(payload)].join("\n");
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/hunyuan/tc3_request`;
  const toSign = ["TC3-HMAC-SHA256", String(timestamp), scope, sha(canonical)].join("\n");
  const key = hmac(hmac(hmac("TC3" + KEY, date), "hunyuan"), "tc3_request");
  return `TC3-HMAC-SHA256 Credential=${ID}/${scope}, SignedHeaders=content-type;host;x-tc-action, Signature=${hmac(key, toSign).toString("hex")}`;
}

function hunyuan(extra: Record<string, unknown> = {}) {
  return { allowOnHeadersStopIteration: true, provider: { type: "hunyuan", hunyuanAuthId: ID, hunyuanAuthKey: KEY, modelMapping: { "*": "hunyuan-turbos-latest" }, ...extra } };
}

// The documented non-streamed answer shape (示例: Response{Note, Choices[{FinishReason, Message}], Created, Id, Usage, RequestId}).
const ANSWER = json({ Response: {
  RequestId: "5c3bb7d5-1d4b-4f28-8f38-7ef1a06b7e0b", Note: "以上内容为AI生成，不代表开发者立场，请勿删除或修改本标记",
  Choices: [{ FinishReason: "stop", Message: { Role: "assistant", Content: "你好！有什么可以帮你？" } }],
  Created: 1715224325, Id: "a6b2fca0-ccbc-4b0b-9e9b-8b0d7d2ff4a2", Usage: { PromptTokens: 3, CompletionTokens: 9, TotalTokens: 12 },
} });

test("hunyuan native: POST hunyuan.tencentcloudapi.com/ with TC3 signature over the sent body, Tencent's capitalised request, answer as an OpenAI completion", async () => {
  const { plugin } = await startPlugin(hunyuan(), { allowOnHeadersStopIteration: true });
  const before = Math.floor(Date.now() / 1000);
  const r = await plugin.exchange({
    request: {
      headers: requestHeaders("/v1/chat/completions", [...clientCreds, ["content-type", "application/json; charset=utf-8"]]),
      body: json({ model: "gpt-4o", temperature: 0.5, top_p: 0.9, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: [{ type: "text", text: "你好" }] }] }),
    },
    upstream: () => ({ status: 200, headers: JSON_CT, body: ANSWER }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, "/");
  assert.equal(bodyOf(r), json({ Model: "hunyuan-turbos-latest", Messages: [{ Role: "system", Content: "Be brief." }, { Role: "user", Content: "你好" }], Temperature: 0.5, TopP: 0.9 }));
  assert.equal(header(up.headers, "x-tc-action"), "ChatCompletions");
  assert.equal(header(up.headers, "x-tc-version"), "2023-09-01");
  assert.equal(header(up.headers, "content-type"), "application/json");
  const ts = Number(header(up.headers, "x-tc-timestamp"));
  assert.ok(ts >= before && ts <= before + 5, "X-TC-Timestamp is the current Unix time");
  assert.equal(header(up.headers, "authorization"), tc3(bodyOf(r), ts));
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), []);
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.bodyText), {
    id: "a6b2fca0-ccbc-4b0b-9e9b-8b0d7d2ff4a2", object: "chat.completion", created: 1715224325, model: "hunyuan-turbos-latest",
    choices: [{ index: 0, message: { role: "assistant", content: "你好！有什么可以帮你？", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } },
  });
});

test("hunyuan native stream: Tencent's data: events (no [DONE]) become OpenAI chunks, usage chunk when asked, [DONE] at the end", async () => {
  const { plugin } = await startPlugin(hunyuan(), { allowOnHeadersStopIteration: true });
  const ev = (delta: object, finish: string, usage: object) => "data: " + json({ Note: "以上内容为AI生成，不代表开发者立场，请勿删除或修改本标记", Choices: [{ Delta: delta, FinishReason: finish }], Created: 1716359713, Id: "086b6b19", Usage: usage }) + "\n\n";
  const sse = ev({ Role: "assistant", Content: "有助" }, "", { PromptTokens: 7, CompletionTokens: 1, TotalTokens: 8 })
    + ev({ Role: "assistant", Content: "于" }, "", { PromptTokens: 7, CompletionTokens: 2, TotalTokens: 9 })
    + ev({ Role: "assistant", Content: "" }, "stop", { PromptTokens: 7, CompletionTokens: 2, TotalTokens: 9 });
  const bytes = Buffer.from(sse);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: [bytes.subarray(0, 50), bytes.subarray(50, 51), bytes.subarray(51)] }),
  });
  assert.equal(bodyOf(r), json({ Model: "hunyuan-turbos-latest", Messages: [{ Role: "user", Content: "hi" }], Stream: true }));
  const head = (choices: object) => "data: " + json({ id: "086b6b19", object: "chat.completion.chunk", created: 1716359713, model: "hunyuan-turbos-latest", ...choices }) + "\n\n";
  const c = (delta: object, finish: string | null) => head({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  assert.equal(r.bodyText,
    c({ role: "assistant", content: "" }, null) + c({ content: "有助" }, null) + c({ content: "于" }, null) + c({}, "stop")
    + head({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, prompt_tokens_details: { cached_tokens: 0 } } })
    + "data: [DONE]\n\n");
});

test("hunyuan native: an API 3.0 error (HTTP 200, Response.Error) becomes the OpenAI error with a fitting status, code kept", async () => {
  const { plugin } = await startPlugin(hunyuan(), { allowOnHeadersStopIteration: true });
  const err = json({ Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "The provided credentials could not be validated." }, RequestId: "r1" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: err }),
  });
  assert.equal(r.status, 401);
  assert.deepEqual(JSON.parse(r.bodyText), { error: { message: "The provided credentials could not be validated.", type: "authentication_error", param: null, code: "AuthFailure.SignatureFailure" } });
  // Tencent answers a streamed request it refuses with the same JSON object: the client gets the HTTP error before any event.
  const s = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ Response: { Error: { Code: "LimitExceeded", Message: "rate limited" }, RequestId: "r2" } }) }),
  });
  assert.equal(s.status, 429);
  assert.deepEqual(JSON.parse(s.bodyText), { error: { message: "rate limited", type: "rate_limit_error", param: null, code: "LimitExceeded" } });
});

test("hunyuan native: an Anthropic client reaches it composed through OpenAI chat; tools and tool turns in Tencent's shape", async () => {
  const { plugin } = await startPlugin(hunyuan(), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: {
      headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]),
      body: json({ model: "claude-x", max_tokens: 100, messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: [{ type: "tool_use", id: "call_1", name: "get_weather", input: { city: "SZ" } }] },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "call_1", content: "sunny" }] },
      ], tools: [{ name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }] }),
    },
    upstream: () => ({ status: 200, headers: JSON_CT, body: ANSWER }),
  });
  const sent = JSON.parse(bodyOf(r));
  assert.deepEqual(sent.Messages, [
    { Role: "user", Content: "weather?" },
    { Role: "assistant", Content: "", ToolCalls: [{ Id: "call_1", Type: "function", Function: { Name: "get_weather", Arguments: '{"city":"SZ"}' } }] },
    { Role: "tool", Content: "sunny", ToolCallId: "call_1" },
  ]);
  assert.deepEqual(sent.Tools, [{ Type: "function", Function: { Name: "get_weather", Description: "Weather", Parameters: '{"type":"object","properties":{"city":{"type":"string"}}}' } }]);
  assert.equal(header(r.upstreamRequest!.headers, "anthropic-version"), undefined);
  const out = JSON.parse(r.bodyText);
  assert.equal(out.type, "message");
  assert.deepEqual(out.content, [{ type: "text", text: "你好！有什么可以帮你？" }]);
  assert.equal(out.usage.input_tokens, 3);
});

test("hunyuan: apiTokens only → the OpenAI-compatible endpoint with Bearer, body untouched; bad key lengths name the field", async () => {
  const { plugin } = await startPlugin({ provider: { type: "hunyuan", apiTokens: ["sk-hy"] } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "hunyuan-lite", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ id: "x", object: "chat.completion", created: 1, model: "hunyuan-lite", choices: [], usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 } }) }),
  });
  assert.equal(r.upstreamRequest!.authority, "api.hunyuan.cloud.tencent.com");
  assert.equal(r.upstreamRequest!.path, "/v1/chat/completions");
  assert.equal(header(r.upstreamRequest!.headers, "authorization"), "Bearer sk-hy");
  assert.equal(header(r.upstreamRequest!.headers, "x-tc-action"), undefined);

  const { vm } = await startPlugin({ provider: { type: "hunyuan", hunyuanAuthId: "short", hunyuanAuthKey: KEY } }).catch((e) => ({ vm: e.vm ?? null } as any));
  if (vm !== null && vm !== undefined) assert.ok(vm.logs.some((l: any) => /hunyuanAuthId/.test(l.message)), "the error names hunyuanAuthId");
});

test("spark: POST spark-api-open.xf-yun.com/v1/chat/completions with Bearer APIKey:APISecret (seed 001)", async () => {
  const { plugin } = await startPlugin({ provider: { type: "spark", apiTokens: ["0123abcd:ZmFrZXNlY3JldA"], modelMapping: { "gpt-4o": "4.0Ultra", "*": "lite" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gpt-4o", messages: [{ role: "user", content: "你好" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ code: 0, message: "Success", sid: "cha000b0003@dx1905cd86d6bb86d552", choices: [{ message: { role: "assistant", content: "你好！" }, index: 0 }], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "spark-api-open.xf-yun.com");
  assert.equal(up.path, "/v1/chat/completions");
  assert.equal(header(up.headers, "authorization"), "Bearer 0123abcd:ZmFrZXNlY3JldA");
  assert.equal(header(up.headers, "x-api-key"), undefined);
  assert.equal(JSON.parse(bodyOf(r)).model, "4.0Ultra");
  assert.equal(JSON.parse(r.bodyText).choices[0].message.content, "你好！");
});

test("hunyuan native: a retry (retryOnFailure) is signed anew over the body it re-sends", async () => {
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: { [HOST]: (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: ANSWER }; } },
  });
  const vm = await host.createVm({ vmId: `hunyuan-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: hunyuan({ retryOnFailure: { enabled: true, maxRetries: 1 } }) });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 503, headers: JSON_CT, body: "overloaded" }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  const h = calls[0].headers;
  const body = Buffer.from(calls[0].body ?? new Uint8Array()).toString();
  assert.equal(body, bodyOf(r));
  assert.equal(header(h, ":path"), "/");
  assert.equal(header(h, "x-tc-action"), "ChatCompletions");
  assert.equal(header(h, "content-type"), "application/json");
  assert.equal(header(h, "authorization"), tc3(body, Number(header(h, "x-tc-timestamp"))));
  assert.equal(JSON.parse(r.bodyText).choices[0].message.content, "你好！有什么可以帮你？");
});

// Qwen with qwenEnableCompatible: false: DashScope's native text generation
// (https://help.aliyun.com/zh/model-studio/qwen-api-reference, the HTTP examples: POST
// https://dashscope.aliyuncs.com/api/v1/services/aigc/text-generation/generation, Bearer key, body {model, input:{messages},
// parameters:{result_format:"message"}}; streams with X-DashScope-SSE: enable and incremental_output).
const QWEN_ANSWER = json({ output: { choices: [{ finish_reason: "stop", message: { role: "assistant", content: "我是阿里云开发的一款超大规模语言模型，我叫通义千问。" } }] }, usage: { total_tokens: 38, output_tokens: 16, input_tokens: 22 }, request_id: "09dceb20-ae2e-999b-85f9-c5ab266198c0" });
const qwenNative = (extra: Record<string, unknown> = {}) => ({ allowOnHeadersStopIteration: true, provider: { type: "qwen", apiTokens: ["sk-dash"], qwenEnableCompatible: false, modelMapping: { "*": "qwen-plus" }, ...extra } });

test("qwen native (qwenEnableCompatible: false): POST /api/v1/services/aigc/text-generation/generation, DashScope's body, answer as an OpenAI completion", async () => {
  const { plugin, vm } = await startPlugin(qwenNative(), { allowOnHeadersStopIteration: true, now: () => 1700000000n * 1_000_000_000n });
  assert.ok(!vm.logs.some((l) => /qwenEnableCompatible/.test(l.message)), "no warning: the native API is served");
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gpt-4o", max_tokens: 100, temperature: 0.7, messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "你是谁？" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: QWEN_ANSWER }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "dashscope.aliyuncs.com");
  assert.equal(up.path, "/api/v1/services/aigc/text-generation/generation");
  assert.equal(header(up.headers, "authorization"), "Bearer sk-dash");
  assert.equal(header(up.headers, "x-dashscope-sse"), undefined);
  assert.equal(bodyOf(r), json({ model: "qwen-plus", input: { messages: [{ role: "system", content: "You are a helpful assistant." }, { role: "user", content: "你是谁？" }] }, parameters: { result_format: "message", max_tokens: 100, temperature: 0.7 } }));
  assert.deepEqual(JSON.parse(r.bodyText), {
    id: "09dceb20-ae2e-999b-85f9-c5ab266198c0", object: "chat.completion", created: 1700000000, model: "qwen-plus",
    choices: [{ index: 0, message: { role: "assistant", content: "我是阿里云开发的一款超大规模语言模型，我叫通义千问。", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 22, completion_tokens: 16, total_tokens: 38, prompt_tokens_details: { cached_tokens: 0 } },
  });
});

test("qwen native stream: X-DashScope-SSE: enable, incremental_output; DashScope's events (finish_reason \"null\") as OpenAI chunks", async () => {
  const { plugin } = await startPlugin(qwenNative(), { allowOnHeadersStopIteration: true, now: () => 1700000000n * 1_000_000_000n });
  const ev = (n: number, text: string, finish: string, out: number) => `id:${n}\nevent:result\n:HTTP_STATUS/200\ndata:` + json({ output: { choices: [{ message: { content: text, role: "assistant" }, finish_reason: finish }] }, usage: { total_tokens: 22 + out, input_tokens: 22, output_tokens: out }, request_id: "req-s" }) + "\n\n";
  const sse = Buffer.from(ev(1, "我是", "null", 1) + ev(2, "通义千问", "null", 3) + ev(3, "", "stop", 3));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "你是谁？" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream;charset=UTF-8"]], body: [sse.subarray(0, 30), sse.subarray(30, 31), sse.subarray(31)] }),
  });
  const up = r.upstreamRequest!;
  assert.equal(header(up.headers, "x-dashscope-sse"), "enable");
  assert.equal(header(up.headers, "accept"), "text/event-stream");
  assert.equal(bodyOf(r), json({ model: "qwen-plus", input: { messages: [{ role: "user", content: "你是谁？" }] }, parameters: { result_format: "message", incremental_output: true } }));
  const head = (rest: object) => "data: " + json({ id: "req-s", object: "chat.completion.chunk", created: 1700000000, model: "qwen-plus", ...rest }) + "\n\n";
  const c = (delta: object, finish: string | null) => head({ choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  assert.equal(r.bodyText, c({ role: "assistant", content: "" }, null) + c({ content: "我是" }, null) + c({ content: "通义千问" }, null) + c({}, "stop")
    + head({ choices: [], usage: { prompt_tokens: 22, completion_tokens: 3, total_tokens: 25, prompt_tokens_details: { cached_tokens: 0 } } }) + "data: [DONE]\n\n");
});

test("qwen native: qwenEnableSearch, qwenFileIds and customSettings in DashScope's shape; errors keep DashScope's code", async () => {
  const { plugin } = await startPlugin(qwenNative({ qwenEnableSearch: true, qwenFileIds: ["file-fe-1"], customSettings: [{ name: "top_k", value: 5 }] }), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "system", content: "S" }, { role: "user", content: "总结" }] }) },
    upstream: () => ({ status: 401, headers: JSON_CT, body: json({ request_id: "r", code: "InvalidApiKey", message: "Invalid API-key provided." }) }),
  });
  assert.deepEqual(JSON.parse(bodyOf(r)), {
    model: "qwen-plus",
    input: { messages: [{ role: "system", content: "S" }, { role: "system", content: "fileid://file-fe-1" }, { role: "user", content: "总结" }] },
    parameters: { result_format: "message", enable_search: true, top_k: 5 },
  });
  assert.equal(r.status, 401);
  assert.deepEqual(JSON.parse(r.bodyText), { error: { message: "Invalid API-key provided.", type: "authentication_error", param: null, code: "InvalidApiKey" } });
});

test("qwen without qwenEnableCompatible speaks DashScope's native API (seed 001's default and Higress's); true keeps compatible mode", async () => {
  const { plugin } = await startPlugin({ allowOnHeadersStopIteration: true, provider: { type: "qwen", apiTokens: ["sk-dash"] } }, { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "qwen-plus", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: QWEN_ANSWER }),
  });
  assert.equal(r.upstreamRequest!.path, "/api/v1/services/aigc/text-generation/generation");
  const compatible = await startPlugin({ provider: { type: "qwen", apiTokens: ["sk-dash"], qwenEnableCompatible: true } });
  const c = await compatible.plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "qwen-plus", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ id: "x", object: "chat.completion", created: 1, model: "qwen-plus", choices: [], usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 } }) }),
  });
  assert.equal(c.upstreamRequest!.path, "/compatible-mode/v1/chat/completions");
});

// The qwen-vl models on DashScope's multimodal generation (https://help.aliyun.com/zh/model-studio/qwen-api-reference:
// POST /api/v1/services/aigc/multimodal-generation/generation, content as [{"image"}, {"text"}]; answers' content
// likewise a list), with seed 001's multimodal example request (gpt-4o mapped to qwen-vl-plus).
test("qwen native vision: qwen-vl models go to multimodal generation; content lists both ways (text joined for the OpenAI client)", async () => {
  const { plugin } = await startPlugin(qwenNative({ modelMapping: { "gpt-4o": "qwen-vl-plus" } }), { allowOnHeadersStopIteration: true, now: () => 1723949230n * 1_000_000_000n });
  const image = "https://dashscope.oss-cn-beijing.aliyuncs.com/images/dog_and_girl.jpeg";
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gpt-4o", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: image } }, { type: "text", text: "这个图片是哪里？" }] }], temperature: 0.3 }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ output: { choices: [{ finish_reason: "stop", message: { role: "assistant", content: [{ text: "这是一片海滩。" }, { text: "一位女士和一只狗。" }] } }] }, usage: { output_tokens: 78, input_tokens: 1279 }, request_id: "17c5955d-af9c-9f28-bbde-293a9c9a3515" }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/api/v1/services/aigc/multimodal-generation/generation");
  assert.equal(bodyOf(r), json({ model: "qwen-vl-plus", input: { messages: [{ role: "user", content: [{ image }, { text: "这个图片是哪里？" }] }] }, parameters: { result_format: "message", temperature: 0.3 } }));
  assert.deepEqual(JSON.parse(r.bodyText), {
    id: "17c5955d-af9c-9f28-bbde-293a9c9a3515", object: "chat.completion", created: 1723949230, model: "qwen-vl-plus",
    choices: [{ index: 0, message: { role: "assistant", content: "这是一片海滩。一位女士和一只狗。", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 1279, completion_tokens: 78, total_tokens: 1357, prompt_tokens_details: { cached_tokens: 0 } },
  });
});

test("qwen native vision stream: incremental content lists become OpenAI content deltas", async () => {
  const { plugin } = await startPlugin(qwenNative({ modelMapping: { "*": "qwen-vl-max" } }), { allowOnHeadersStopIteration: true, now: () => 1700000000n * 1_000_000_000n });
  const ev = (n: number, text: string, finish: string) => `id:${n}\nevent:result\n:HTTP_STATUS/200\ndata:` + json({ output: { choices: [{ message: { content: text ? [{ text }] : [], role: "assistant" }, finish_reason: finish }] }, usage: { input_tokens: 1279, output_tokens: n }, request_id: "req-v" }) + "\n\n";
  const sse = Buffer.from(ev(1, "这是", "null") + ev(2, "海滩。", "null") + ev(3, "", "stop"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: [{ type: "text", text: "哪里？" }] }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream;charset=UTF-8"]], body: [sse.subarray(0, 41), sse.subarray(41)] }),
  });
  assert.equal(r.upstreamRequest!.path, "/api/v1/services/aigc/multimodal-generation/generation");
  assert.equal(header(r.upstreamRequest!.headers, "x-dashscope-sse"), "enable");
  assert.equal(bodyOf(r), json({ model: "qwen-vl-max", input: { messages: [{ role: "user", content: [{ text: "哪里？" }] }] }, parameters: { result_format: "message", incremental_output: true } }));
  const c = (delta: object, finish: string | null) => "data: " + json({ id: "req-v", object: "chat.completion.chunk", created: 1700000000, model: "qwen-vl-max", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }) + "\n\n";
  assert.equal(r.bodyText, c({ role: "assistant", content: "" }, null) + c({ content: "这是" }, null) + c({ content: "海滩。" }, null) + c({}, "stop") + "data: [DONE]\n\n");
});

// DashScope's native text embedding (https://www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api:
// POST /api/v1/services/embeddings/text-embedding/text-embedding, {model, input:{texts}, parameters:{dimension}}; answer
// {output:{embeddings:[{text_index, embedding}]}, usage:{total_tokens}, request_id}) as OpenAI's embeddings API answers.
test("qwen native embeddings: input → input.texts, dimensions → parameters.dimension; vectors as OpenAI data (float, and base64 as the SDKs ask)", async () => {
  const { plugin } = await startPlugin({ provider: { type: "qwen", apiTokens: ["sk-dash"], modelMapping: { "text-embedding-3-small": "text-embedding-v4" } } });
  const native = json({ output: { embeddings: [{ embedding: [1.0, -2.5], text_index: 0 }, { embedding: [0.5, 0.25], text_index: 1 }] }, usage: { total_tokens: 12 }, request_id: "b5f5f8b8-0a4e-9e2c-8b0e-6c1d6b2f0e4a" });
  const send = (extra: object) => plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings", clientCreds), body: json({ model: "text-embedding-3-small", input: ["风急天高猿啸哀", "渚清沙白鸟飞回"], dimensions: 1024, ...extra }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: native }),
  });
  const r = await send({});
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "dashscope.aliyuncs.com");
  assert.equal(up.path, "/api/v1/services/embeddings/text-embedding/text-embedding");
  assert.equal(header(up.headers, "authorization"), "Bearer sk-dash");
  assert.equal(bodyOf(r), json({ model: "text-embedding-v4", input: { texts: ["风急天高猿啸哀", "渚清沙白鸟飞回"] }, parameters: { dimension: 1024 } }));
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.bodyText), {
    object: "list", data: [{ object: "embedding", index: 0, embedding: [1.0, -2.5] }, { object: "embedding", index: 1, embedding: [0.5, 0.25] }],
    model: "text-embedding-v4", usage: { prompt_tokens: 12, total_tokens: 12 },
  });
  // OpenAI's base64 encoding: the vector's little-endian float32 bytes.
  const b = JSON.parse((await send({ encoding_format: "base64" })).bodyText);
  assert.equal(b.data[0].embedding, Buffer.from(new Float32Array([1.0, -2.5]).buffer).toString("base64"));
  assert.equal(b.data[1].embedding, Buffer.from(new Float32Array([0.5, 0.25]).buffer).toString("base64"));
  const tokens = await send({ input: [[1, 2, 3]] });
  assert.equal(tokens.upstreamRequest, null);
  assert.equal(tokens.status, 400);
  assert.match(JSON.parse(tokens.bodyText).error.message, /input\.0: must be a string/);
});

// DashScope's native text rerank (https://help.aliyun.com/zh/model-studio/text-rerank-api: POST
// /api/v1/services/rerank/text-rerank/text-rerank, {model, input:{query, documents}, parameters:{return_documents, top_n}};
// answer {output:{results:[{document:{text}, index, relevance_score}]}, usage:{total_tokens}, request_id}), the
// documented example; the client speaks the rerank shape of /v1/reranks (DashScope's compatible API) and /v1/rerank.
test("qwen native rerank: /v1/reranks and /v1/rerank → text-rerank with input and parameters; results back with model, usage and id", async () => {
  const { plugin } = await startPlugin({ provider: { type: "qwen", apiTokens: ["sk-dash"], modelMapping: { "*": "gte-rerank-v2" } } });
  const docs = ["文本排序模型广泛用于搜索引擎和推荐系统中，它们根据文本相关性对候选文本进行排序", "量子计算是计算科学的一个前沿领域", "预训练语言模型的发展给文本排序模型带来了新的进展"];
  const results = [{ document: { text: docs[0] }, index: 0, relevance_score: 0.9334521846032026 }, { document: { text: docs[2] }, index: 2, relevance_score: 0.34100082626411193 }];
  for (const path of ["/v1/reranks", "/v1/rerank"]) {
    const r = await plugin.exchange({
      request: { headers: requestHeaders(path, clientCreds), body: json({ model: "qwen3-rerank", query: "什么是文本排序模型", documents: docs, top_n: 2, return_documents: true }) },
      upstream: () => ({ status: 200, headers: JSON_CT, body: json({ output: { results }, usage: { total_tokens: 79 }, request_id: "0a1f2b3c-rerank" }) }),
    });
    const up = r.upstreamRequest!;
    assert.equal(up.path, "/api/v1/services/rerank/text-rerank/text-rerank", path);
    assert.equal(header(up.headers, "authorization"), "Bearer sk-dash");
    assert.equal(bodyOf(r), json({ model: "gte-rerank-v2", input: { query: "什么是文本排序模型", documents: docs }, parameters: { top_n: 2, return_documents: true } }));
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.bodyText), { object: "list", results, model: "gte-rerank-v2", usage: { total_tokens: 79 }, id: "0a1f2b3c-rerank" });
  }
  const err = await plugin.exchange({
    request: { headers: requestHeaders("/v1/reranks"), body: json({ model: "m", query: "q", documents: ["a"] }) },
    upstream: () => ({ status: 400, headers: JSON_CT, body: json({ request_id: "r", code: "InvalidParameter", message: "Model not exist." }) }),
  });
  assert.equal(err.status, 400);
  assert.deepEqual(JSON.parse(err.bodyText), { error: { message: "Model not exist.", type: "invalid_request_error", param: null, code: "InvalidParameter" } });
});

// Compatible mode (qwenEnableCompatible: true): DashScope's Responses API at /compatible-mode/v1/responses
// (https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope), request and answer passed as they are.
test("qwen compatible mode: /v1/responses reaches /compatible-mode/v1/responses, the Response object passes through", async () => {
  const { plugin } = await startPlugin({ provider: { type: "qwen", apiTokens: ["sk-dash"], qwenEnableCompatible: true, modelMapping: { "*": "qwen-plus" } } });
  const answer = json({ id: "resp_123", object: "response", created_at: 1700000000, status: "completed", model: "qwen-plus", output: [{ type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "hello", annotations: [] }] }], usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/responses", clientCreds), body: json({ model: "gpt-4.1", input: "test" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/compatible-mode/v1/responses");
  assert.equal(header(up.headers, "authorization"), "Bearer sk-dash");
  assert.deepEqual(JSON.parse(bodyOf(r)), { model: "qwen-plus", input: "test" });
  assert.deepEqual(JSON.parse(r.bodyText), JSON.parse(answer));
});

// Dify apps (https://docs.dify.ai/en/openapi-api-access-readme: chat-messages, completion-messages, workflows/run),
// requests shaped as Higress sends them; answers from the documented examples.
const DIFY_CHAT_ANSWER = json({ event: "message", task_id: "c3800678-a077-43df-a102-53f23ed20b88", id: "9da23599-e713-473b-982c-4328d4f5c78a", message_id: "9da23599-e713-473b-982c-4328d4f5c78a", conversation_id: "45701982-8118-4bc5-8e9b-64562b4555f2", mode: "chat", answer: "iPhone 13 Pro Max specs are listed here.", metadata: { usage: { prompt_tokens: 1033, prompt_unit_price: "0.001", prompt_price_unit: "0.001", prompt_price: "0.0010330", completion_tokens: 128, completion_unit_price: "0.002", completion_price_unit: "0.001", completion_price: "0.0002560", total_tokens: 1161, total_price: "0.0012890", currency: "USD", latency: 0.768 }, retriever_resources: [] }, created_at: 1705407629 });
const difyChat = json({ model: "dify", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "iPhone 13 Pro Max specs?" }] });

test("dify Chat (default botType): POST api.dify.ai/v1/chat-messages, the flattened query, blocking; answer as an OpenAI completion", async () => {
  const { plugin } = await startPlugin({ provider: { type: "dify", apiTokens: ["app-key"] } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: difyChat },
    upstream: () => ({ status: 200, headers: JSON_CT, body: DIFY_CHAT_ANSWER }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.dify.ai");
  assert.equal(up.path, "/v1/chat-messages");
  assert.equal(header(up.headers, "authorization"), "Bearer app-key");
  assert.equal(bodyOf(r), json({ inputs: {}, query: "SYSTEM: \nBe brief.\nUSER: \niPhone 13 Pro Max specs?\n", response_mode: "blocking", user: "api-user", auto_generate_name: false, conversation_id: "" }));
  assert.deepEqual(JSON.parse(r.bodyText), {
    id: "45701982-8118-4bc5-8e9b-64562b4555f2", object: "chat.completion", created: 1705407629, model: "dify",
    choices: [{ index: 0, message: { role: "assistant", content: "iPhone 13 Pro Max specs are listed here.", refusal: null }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 1033, completion_tokens: 128, total_tokens: 1161, prompt_tokens_details: { cached_tokens: 0 } },
  });
});

test("dify Agent streaming on a self-hosted difyApiUrl: message / agent_message / message_end events as OpenAI chunks", async () => {
  const { plugin } = await startPlugin({ provider: { type: "dify", apiTokens: ["app-key"], difyApiUrl: "https://dify.internal.example.com", botType: "Agent" } });
  const ev = (o: object) => "data: " + json(o) + "\n\n";
  const sse = Buffer.from(ev({ event: "agent_thought", id: "t1", thought: "", created_at: 1679586595 })
    + ev({ event: "agent_message", message_id: "m1", conversation_id: "c1", answer: " I", created_at: 1679586595 })
    + "event: ping\n\n"
    + ev({ event: "agent_message", message_id: "m1", conversation_id: "c1", answer: "'m", created_at: 1679586595 })
    + ev({ event: "message_end", id: "m1", conversation_id: "c1", metadata: { usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } } }));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "agent", stream: true, user: "u-7", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: [sse.subarray(0, 40), sse.subarray(40)] }),
  });
  assert.equal(r.upstreamRequest!.authority, "dify.internal.example.com");
  assert.equal(r.upstreamRequest!.path, "/v1/chat-messages");
  assert.equal(bodyOf(r), json({ inputs: {}, query: "USER: \nhi\n", response_mode: "streaming", user: "u-7", auto_generate_name: false, conversation_id: "" }));
  const c = (delta: object, finish: string | null) => "data: " + json({ id: "c1", object: "chat.completion.chunk", created: 1679586595, model: "agent", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }) + "\n\n";
  assert.equal(r.bodyText, c({ role: "assistant", content: "" }, null) + c({ content: " I" }, null) + c({ content: "'m" }, null) + c({}, "stop") + "data: [DONE]\n\n");
});

test("dify Workflow: inputs[inputVariable] → /v1/workflows/run; outputs[outputVariable] is the answer; Completion → inputs.query", async () => {
  const { plugin } = await startPlugin({ provider: { type: "dify", apiTokens: ["app-key"], botType: "Workflow", inputVariable: "question", outputVariable: "text" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "wf", messages: [{ role: "user", content: "Hello" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ workflow_run_id: "djflajgkldjgd", task_id: "9da23599", data: { id: "fdlsjfjejkghjda", workflow_id: "fldjaslkfjlsda", status: "succeeded", outputs: { text: "Nice to meet you." }, error: null, elapsed_time: 0.875, total_tokens: 3562, total_steps: 8, created_at: 1705407629, finished_at: 1727807631 } }) }),
  });
  assert.equal(r.upstreamRequest!.path, "/v1/workflows/run");
  assert.equal(bodyOf(r), json({ inputs: { question: "USER: \nHello\n" }, response_mode: "blocking", user: "api-user" }));
  const out = JSON.parse(r.bodyText);
  assert.equal(out.id, "fldjaslkfjlsda");
  assert.equal(out.choices[0].message.content, "Nice to meet you.");

  const { plugin: completion } = await startPlugin({ provider: { type: "dify", apiTokens: ["app-key"], botType: "Completion" } });
  const c = await completion.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "c", messages: [{ role: "user", content: "Hello" }] }) },
    upstream: () => ({ status: 400, headers: JSON_CT, body: json({ code: "invalid_param", message: "query is required", status: 400 }) }),
  });
  assert.equal(c.upstreamRequest!.path, "/v1/completion-messages");
  assert.equal(bodyOf(c), json({ inputs: { query: "USER: \nHello\n" }, response_mode: "blocking", user: "api-user" }));
  assert.equal(c.status, 400);
  assert.deepEqual(JSON.parse(c.bodyText), { error: { message: "query is required", type: "invalid_request_error", param: null, code: "invalid_param" } });
});

// MiniMax ChatCompletion Pro (minimaxApiType "pro", seed 001): POST /v1/text/chatcompletion_pro?GroupId=<id> with
// MiniMax's Pro body (sender_type / bot_setting / reply_constraints) as Higress builds it; answers and base_resp errors.
const minimaxPro = { provider: { type: "minimax", apiTokens: ["mm-key"], minimaxApiType: "pro", minimaxGroupId: "1782658868262748467", modelMapping: { "*": "abab6.5s-chat" } } };
const PRO_ANSWER = json({ created: 1689747323, model: "abab6.5s-chat", reply: "你好，有什么可以帮你？", choices: [{ finish_reason: "stop", messages: [{ sender_type: "BOT", sender_name: "MM智能助理", text: "你好，有什么可以帮你？" }] }], usage: { total_tokens: 149 }, input_sensitive: false, output_sensitive: false, id: "01b2d08e8c1f3a84fd1b5bb4eb1b1e31", base_resp: { status_code: 0, status_msg: "success" } });

test("minimax pro: /v1/text/chatcompletion_pro?GroupId=…, the Pro body (bot_setting from system, USER/BOT turns, reply_constraints); answer as OpenAI", async () => {
  const { plugin, vm } = await startPlugin(minimaxPro);
  assert.ok(!vm.logs.some((l) => /minimaxApiType/.test(l.message)));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gpt-4o", max_tokens: 256, temperature: 0.1, messages: [{ role: "system", content: "你是助手。" }, { role: "user", content: "你好" }, { role: "assistant", content: "你好！" }, { role: "user", content: "再说一次" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: PRO_ANSWER }),
  });
  const up = r.upstreamRequest!;
  // Pro goes to Higress's MiniMax host (MiniMax serves its API on both api.minimax.chat and api.minimaxi.com).
  assert.equal(up.authority, "api.minimax.chat");
  assert.equal(up.path, "/v1/text/chatcompletion_pro?GroupId=1782658868262748467");
  assert.equal(header(up.headers, "authorization"), "Bearer mm-key");
  assert.equal(bodyOf(r), json({
    model: "abab6.5s-chat", tokens_to_generate: 256, temperature: 0.1, mask_sensitive_info: true,
    messages: [{ sender_type: "USER", sender_name: "小明", text: "你好" }, { sender_type: "BOT", sender_name: "MM智能助理", text: "你好！" }, { sender_type: "USER", sender_name: "小明", text: "再说一次" }],
    bot_setting: [{ bot_name: "MM智能助理", content: "你是助手。" }],
    reply_constraints: { sender_type: "BOT", sender_name: "MM智能助理" },
  }));
  const out = JSON.parse(r.bodyText);
  assert.deepEqual([out.id, out.created, out.model, out.choices[0].message.content, out.choices[0].finish_reason, out.usage.total_tokens],
    ["01b2d08e8c1f3a84fd1b5bb4eb1b1e31", 1689747323, "abab6.5s-chat", "你好，有什么可以帮你？", "stop", 149]);
});

test("minimax pro stream: text deltas; the last event (whole reply, finish_reason) only finishes; base_resp errors get their status", async () => {
  const { plugin } = await startPlugin({ allowOnHeadersStopIteration: true, ...minimaxPro }, { allowOnHeadersStopIteration: true });
  const ev = (o: object) => "data: " + json(o) + "\n\n";
  const msg = (text: string) => [{ sender_type: "BOT", sender_name: "MM智能助理", text }];
  const sse = ev({ created: 1, model: "abab6.5s-chat", reply: "", choices: [{ messages: msg("你好") }], output_sensitive: false })
    + ev({ created: 1, model: "abab6.5s-chat", reply: "", choices: [{ messages: msg("！") }], output_sensitive: false })
    + ev({ created: 1, model: "abab6.5s-chat", reply: "你好！", choices: [{ finish_reason: "stop", messages: msg("你好！") }], usage: { total_tokens: 20 }, input_sensitive: false, output_sensitive: false, id: "id-1", base_resp: { status_code: 0, status_msg: "" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: sse }),
  });
  assert.equal(JSON.parse(bodyOf(r)).stream, true);
  const chunks = r.bodyText.split("\n\n").filter((s) => s.startsWith("data: {")).map((s) => JSON.parse(s.slice(6)));
  assert.deepEqual(chunks.map((c) => [c.choices[0].delta.content ?? null, c.choices[0].finish_reason]), [["", null], ["你好", null], ["！", null], [null, "stop"]]);
  assert.ok(r.bodyText.endsWith("data: [DONE]\n\n"));

  const e = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ created: 0, model: "", reply: "", base_resp: { status_code: 1004, status_msg: "login fail: Please carry the API secret key in the 'Authorization' field of the request header" } }) }),
  });
  assert.equal(e.status, 401);
  assert.deepEqual(JSON.parse(e.bodyText).error.code, "1004");
});

test("minimax pro: an Anthropic client keeps MiniMax's native Anthropic endpoint", async () => {
  const { plugin } = await startPlugin(minimaxPro);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ id: "msg_1", type: "message", role: "assistant", model: "abab6.5s-chat", content: [{ type: "text", text: "hi" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }) }),
  });
  assert.equal(r.upstreamRequest!.path, "/anthropic/v1/messages");
});
