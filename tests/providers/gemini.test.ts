// Gemini (type "gemini") through build/ai-proxy.wasm in the host: the exact upstream request Google's API reference
// documents (https://ai.google.dev/api/generate-content: POST https://generativelanguage.googleapis.com/v1beta/
// models/{model}:generateContent, streams on :streamGenerateContent?alt=sse, key in x-goog-api-key), the seed's
// provider fields (geminiSafetySetting, apiVersion, geminiThinkingBudget, customSettings under generationConfig),
// retries and health checks at the model's URL. Expected values are written from the docs, not from the table row.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const K = "AIzaSy-test-key";
const HOST = "generativelanguage.googleapis.com";
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"], ["x-goog-api-key", "client-goog"]];
const answer = json({
  candidates: [{ content: { parts: [{ text: "Hi!" }], role: "model" }, finishReason: "STOP", index: 0 }],
  usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 },
  modelVersion: "gemini-2.5-flash", responseId: "r1",
});
const sent = (r: any) => JSON.parse(Buffer.from(r.upstreamRequest.body).toString());
const bodyText = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());

function gemini(extra: Record<string, unknown> = {}) {
  return { provider: { type: "gemini", apiTokens: [K], modelMapping: { "*": "gemini-2.5-flash" }, ...extra } };
}

test("gemini: OpenAI chat → POST generativelanguage.googleapis.com/v1beta/models/{mapped model}:generateContent, x-goog-api-key only", async () => {
  const { plugin } = await startPlugin(gemini(), { allowOnHeadersStopIteration: true });
  const body = json({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
  // The body arrives in two pieces: the path is final only once the model is read.
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: [body.slice(0, 10), body.slice(10)] },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, "/v1beta/models/gemini-2.5-flash:generateContent");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["x-goog-api-key"]);
  assert.equal(header(up.headers, "x-goog-api-key"), K);
  assert.equal(header(up.headers, "anthropic-version"), undefined);
  assert.deepEqual(sent(r), { contents: [{ role: "user", parts: [{ text: "Hi" }] }], generationConfig: {} });
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "chat.completion");
  assert.equal(out.choices[0].message.content, "Hi!");
  assert.deepEqual(out.usage.prompt_tokens, 2);
});

test("gemini: stream → :streamGenerateContent?alt=sse; apiVersion v1; a model name is one path segment", async () => {
  const { plugin } = await startPlugin(gemini({ apiVersion: "v1", modelMapping: {} }), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini 2.5/x", stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: 'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}],"role":"model"},"finishReason":"STOP","index":0}]}\r\n\r\n' }),
  });
  assert.equal(r.upstreamRequest!.path, "/v1/models/gemini%202.5%2Fx:streamGenerateContent?alt=sse");
  assert.match(r.bodyText, /"finish_reason":"stop"/);
  assert.ok(r.bodyText.endsWith("data: [DONE]\n\n"));
});

test("gemini: geminiSafetySetting → safetySettings, geminiThinkingBudget and customSettings → generationConfig (seed 001)", async () => {
  const { vm, plugin } = await startPlugin(gemini({
    geminiSafetySetting: { HARM_CATEGORY_HARASSMENT: "BLOCK_NONE", HARM_CATEGORY_DANGEROUS_CONTENT: "BLOCK_ONLY_HIGH" },
    geminiThinkingBudget: 0,
    customSettings: [{ name: "max_tokens", value: 77 }, { name: "top_k", value: 5 }, { name: "seed", value: 1 }, { name: "candidateCount", value: 1, mode: "raw" }],
  }), { allowOnHeadersStopIteration: true });
  assert.ok(!vm.logs.some((l) => /geminiSafetySetting|geminiThinkingBudget/.test(l.message) && /unknown/.test(l.message)), "the module's fields are known");
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", max_tokens: 10, temperature: 0.5, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const b = sent(r);
  assert.deepEqual(b.safetySettings, [
    { category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" },
    { category: "HARM_CATEGORY_DANGEROUS_CONTENT", threshold: "BLOCK_ONLY_HIGH" },
  ]);
  // max_tokens → maxOutputTokens, top_k → topK (seed has no Gemini column), raw names as given; the budget applies.
  assert.deepEqual(b.generationConfig, { maxOutputTokens: 77, temperature: 0.5, topK: 5, candidateCount: 1, thinkingConfig: { thinkingBudget: 0 } });
  assert.equal(b.seed, undefined);

  // A request asking for its own thinking keeps it.
  const own = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", reasoning_effort: "medium", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.deepEqual(sent(own).generationConfig.thinkingConfig, { includeThoughts: true, thinkingBudget: 8192 });
});

test("gemini: an apiVersion other than v1 / v1beta is refused naming the field", async () => {
  const host = await ProxyWasmHost.load(WASM);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration: gemini({ apiVersion: "v2" }) });
  assert.equal(plugin.ok, false);
  assert.ok(vm.logs.some((l) => /provider\.apiVersion: must be v1 or v1beta/.test(l.message)), vm.logs.map((l) => l.message).join("\n"));
});

test("gemini: Anthropic clients are served through the registry (Anthropic → OpenAI → Gemini); count_tokens is estimated; models listed", async () => {
  const { plugin } = await startPlugin(gemini(), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["x-api-key", "client"]]), body: json({ model: "claude-sonnet-4-5", max_tokens: 100, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.equal(r.upstreamRequest!.path, "/v1beta/models/gemini-2.5-flash:generateContent");
  assert.deepEqual(sent(r), { contents: [{ role: "user", parts: [{ text: "Hi" }] }], systemInstruction: { parts: [{ text: "Be brief." }] }, generationConfig: { maxOutputTokens: 100 } });
  const msg = JSON.parse(r.bodyText);
  assert.equal(msg.type, "message");
  assert.deepEqual(msg.content, [{ type: "text", text: "Hi!" }]);
  assert.equal(msg.stop_reason, "end_turn");
  assert.deepEqual(msg.usage, { input_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 2 });

  const err = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "c", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 400, headers: JSON_CT, body: json({ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }) }),
  });
  assert.equal(err.status, 400);
  assert.deepEqual(JSON.parse(err.bodyText), { type: "error", error: { type: "invalid_request_error", message: "API key not valid. Please pass a valid API key." } });

  let called = false;
  const count = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages/count_tokens", [["anthropic-version", "2023-06-01"]]), body: json({ model: "c", messages: [{ role: "user", content: "Hello there" }] }) },
    upstream: () => { called = true; return { status: 500 }; },
  });
  assert.equal(called, false);
  assert.equal(count.status, 200);
  assert.ok(JSON.parse(count.bodyText).input_tokens > 0);

  const models = await plugin.exchange({
    request: { headers: requestHeaders("/v1/models", [], "GET") },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ models: [{ name: "models/gemini-2.5-flash" }] }) }),
  });
  assert.equal(models.upstreamRequest!.path, "/v1beta/models");
  assert.equal(header(models.upstreamRequest!.headers, "x-goog-api-key"), K);
});

test("gemini: a retry re-sends to the model's URL; a health check probes it with generateContent", async () => {
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: { [HOST]: (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: answer }; } },
  });
  const vm = await host.createVm({ vmId: `gemini-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: { allowOnHeadersStopIteration: true, ...gemini({
    apiTokens: ["k-one", "k-two"], retryOnFailure: { enabled: true, maxRetries: 1 },
    failover: { enabled: true, failureThreshold: 1, healthCheckInterval: 1000, healthCheckModel: "gemini-2.5-flash-lite" },
  }) } });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 503, headers: JSON_CT, body: json({ error: { code: 503, message: "The model is overloaded.", status: "UNAVAILABLE" } }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  assert.equal(header(calls[0].headers, ":path"), "/v1beta/models/gemini-2.5-flash:generateContent");
  assert.equal(bodyText(calls[0].body), bodyText(r.upstreamRequest!.body));
  assert.equal(header(calls[0].headers, "authorization"), undefined);
  assert.ok(["k-one", "k-two"].includes(header(calls[0].headers, "x-goog-api-key")!));

  // The token that answered 503 left rotation (failureThreshold 1): the health check probes it.
  calls.length = 0;
  await vm.tick(1000);
  assert.equal(calls.length, 1, vm.logs.map((l) => l.message).join("\n"));
  assert.equal(header(calls[0].headers, ":path"), "/v1beta/models/gemini-2.5-flash-lite:generateContent");
  assert.equal(header(calls[0].headers, "x-goog-api-key"), header(r.upstreamRequest!.headers, "x-goog-api-key"));
  assert.deepEqual(JSON.parse(bodyText(calls[0].body)), { contents: [{ role: "user", parts: [{ text: "ping" }] }], generationConfig: { maxOutputTokens: 1 } });
});

test("gemini: a function call turn without its signature gets Google's sentinel on Gemini 3 (first call only), nothing on 2.5", async () => {
  const turn = (model: string, sig?: string) => json({
    model, messages: [
      { role: "user", content: "Weather in Paris and Rome?" },
      { role: "assistant", content: null, tool_calls: [
        { id: "c1", type: "function", function: { name: "w", arguments: "{\"city\":\"Paris\"}" }, ...(sig ? { extra_content: { google: { thought_signature: sig } } } : {}) },
        { id: "c2", type: "function", function: { name: "w", arguments: "{\"city\":\"Rome\"}" } }] },
      { role: "tool", tool_call_id: "c1", content: "18" }, { role: "tool", tool_call_id: "c2", content: "21" },
    ],
  });
  const { plugin } = await startPlugin({ provider: { type: "gemini", apiTokens: [K] } }, { allowOnHeadersStopIteration: true });
  const send = async (body: string) => sent(await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  })).contents[1].parts;
  // https://ai.google.dev/gemini-api/docs/thought-signatures: parallel calls carry one signature, on the first part.
  assert.deepEqual((await send(turn("gemini-3-flash-preview"))).map((p: any) => p.thoughtSignature), ["skip_thought_signature_validator", undefined]);
  assert.deepEqual((await send(turn("gemini-3-flash-preview", "c2lnLTE="))).map((p: any) => p.thoughtSignature), ["c2lnLTE=", undefined]);
  assert.deepEqual((await send(turn("gemini-2.5-flash"))).map((p: any) => p.thoughtSignature), [undefined, undefined]);
  // An Anthropic client's tool_use has no place for the signature: the composed request gets the sentinel too.
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "gemini-3-pro-preview", max_tokens: 100, messages: [
      { role: "user", content: "Weather?" },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "w", input: { city: "Paris" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "18" }] },
    ] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.deepEqual(sent(r).contents[1], { role: "model", parts: [{ functionCall: { name: "w", args: { city: "Paris" } }, thoughtSignature: "skip_thought_signature_validator" }] });
});
