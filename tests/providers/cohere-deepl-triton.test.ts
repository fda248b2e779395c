// Higress's cohere, deepl and triton provider types through build/ai-proxy.wasm in the host: the exact upstream
// request each vendor documents (host, path, key header, body) and the seed's fields (targetLang, tritonDomain,
// tritonModelVersion / modelVersion). Expected values come from the vendors' API references, not from the table rows:
// - Cohere's OpenAI Compatibility API https://docs.cohere.com/docs/compatibility-api (base /compatibility/v1, Bearer)
// - DeepL https://developers.deepl.com/api-reference/translate (POST /v2/translate, Authorization: DeepL-Auth-Key;
//   Free keys end in ":fx" and use api-free.deepl.com, https://developers.deepl.com/docs/getting-started/auth)
// - Triton https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const SSE_CT: Array<[string, string]> = [["content-type", "text/event-stream"]];
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"]];
const sent = (r: any) => JSON.parse(Buffer.from(r.upstreamRequest.body).toString());
const credentialsUpstream = (r: any) => CREDENTIALS.filter((h) => header(r.upstreamRequest.headers, h) !== undefined);
const chat = (extra: Record<string, unknown> = {}) => json({ model: "m", messages: [{ role: "user", content: "Hi" }], ...extra });
const openaiAnswer = json({ id: "c1", object: "chat.completion", created: 1, model: "command-a-03-2025",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } });

async function configureFails(config: object): Promise<string> {
  const host = await ProxyWasmHost.load(WASM);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration: config });
  assert.equal(plugin.ok, false);
  return vm.logs.map((l) => l.message).join("\n");
}

// ------------------------------------------------------------------ cohere

test("cohere: OpenAI chat → POST api.cohere.com/compatibility/v1/chat/completions, Bearer key only, stream_options taken out", async () => {
  const { plugin } = await startPlugin({ provider: { type: "cohere", apiTokens: ["co-key"], modelMapping: { "*": "command-a-03-2025" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: chat({ stream: true, stream_options: { include_usage: true } }) },
    upstream: () => ({ status: 200, headers: SSE_CT, body: 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"command-a-03-2025","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.cohere.com");
  assert.equal(up.path, "/compatibility/v1/chat/completions");
  assert.deepEqual(credentialsUpstream(r), ["authorization"]);
  assert.equal(header(up.headers, "authorization"), "Bearer co-key");
  assert.deepEqual(sent(r), { model: "command-a-03-2025", messages: [{ role: "user", content: "Hi" }], stream: true });
  assert.match(r.bodyText, /"content":"Hi"/);
});

test("cohere: an Anthropic client is converted (no stream_options asked for); embeddings at /compatibility/v1/embeddings", async () => {
  const { plugin } = await startPlugin({ provider: { type: "cohere", apiTokens: ["co-key"], modelMapping: { "*": "command-a-03-2025" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: SSE_CT, body: 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"command-a-03-2025","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}\n\ndata: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"command-a-03-2025","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n' }),
  });
  assert.equal(r.upstreamRequest!.path, "/compatibility/v1/chat/completions");
  const b = sent(r);
  assert.equal(b.model, "command-a-03-2025");
  assert.equal(b.stream, true);
  assert.equal(b.stream_options, undefined);
  assert.match(r.bodyText, /event: message_start/);
  assert.match(r.bodyText, /"text":"Hello"/);
  assert.match(r.bodyText, /event: message_stop/);

  const e = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "embed-v4.0", input: ["hello"], encoding_format: "float" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ object: "list", data: [{ object: "embedding", index: 0, embedding: [0.1] }], model: "embed-v4.0", usage: { prompt_tokens: 1, total_tokens: 1 } }) }),
  });
  assert.equal(e.upstreamRequest!.authority, "api.cohere.com");
  assert.equal(e.upstreamRequest!.path, "/compatibility/v1/embeddings");
  assert.equal(JSON.parse(e.bodyText).data[0].embedding[0], 0.1);
});

test("cohere: streamIncludeUsage true asks for the usage chunk again", async () => {
  const { plugin } = await startPlugin({ provider: { type: "cohere", apiTokens: ["co-key"], streamIncludeUsage: true } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: chat({ stream: true }) },
    upstream: () => ({ status: 200, headers: SSE_CT, body: "data: [DONE]\n\n" }),
  });
  // The module still takes stream_options out of chat requests: Cohere rejects the field.
  assert.equal(sent(r).stream_options, undefined);
  const plain = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: chat() },
    upstream: () => ({ status: 200, headers: JSON_CT, body: openaiAnswer }),
  });
  assert.equal(JSON.parse(plain.bodyText).choices[0].message.content, "Hello");
});

test("cohere: /v1/rerank is forwarded to api.cohere.com/v1/rerank (Higress's cohere/v1/rerank capability), the model mapped", async () => {
  const { plugin } = await startPlugin({ provider: { type: "cohere", apiTokens: ["co-key"], modelMapping: { "*": "rerank-v3.5" } } });
  // https://docs.cohere.com/v1/reference/rerank: POST https://api.cohere.com/v1/rerank {model, query, documents, top_n}
  const answer = json({ id: "r1", results: [{ index: 1, relevance_score: 0.9 }], meta: { api_version: { version: "1" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/rerank", clientCreds), body: json({ model: "rerank", query: "q", documents: ["a", "b"], top_n: 1 }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.equal(r.upstreamRequest!.authority, "api.cohere.com");
  assert.equal(r.upstreamRequest!.path, "/v1/rerank");
  assert.deepEqual(credentialsUpstream(r), ["authorization"]);
  assert.equal(header(r.upstreamRequest!.headers, "authorization"), "Bearer co-key");
  assert.deepEqual(sent(r), { model: "rerank-v3.5", query: "q", documents: ["a", "b"], top_n: 1 });
  assert.equal(r.bodyText, answer);
});

// ------------------------------------------------------------------ deepl

test("deepl: POST api.deepl.com/v2/translate with DeepL-Auth-Key; system → context, others → text, targetLang → target_lang", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepl", apiTokens: ["dl-key"], targetLang: "ZH" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "Pro", temperature: 0.2, messages: [
      { role: "system", content: "money" }, { role: "user", content: [{ type: "text", text: "sit by" }, { type: "text", text: "the bank" }] },
    ] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ translations: [{ detected_source_language: "EN", text: "坐在岸边" }] }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "api.deepl.com");
  assert.equal(up.path, "/v2/translate");
  assert.deepEqual(credentialsUpstream(r), ["authorization"]);
  assert.equal(header(up.headers, "authorization"), "DeepL-Auth-Key dl-key");
  assert.deepEqual(sent(r), { text: ["sit by\nthe bank"], target_lang: "ZH", context: "money" });
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "temperature");
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "chat.completion");
  assert.equal(out.model, "Pro");
  assert.deepEqual(out.choices, [{ index: 0, message: { role: "assistant", content: "坐在岸边", name: "EN" }, logprobs: null, finish_reason: "stop" }]);
});

test("deepl: Free keys (ending in :fx) go to api-free.deepl.com; stream true is refused naming the field; targetLang is required", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepl", apiTokens: ["dl-key:fx"], targetLang: "DE" } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "Free", messages: [{ role: "user", content: "Hello" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ translations: [{ detected_source_language: "EN", text: "Hallo" }] }) }),
  });
  assert.equal(r.upstreamRequest!.authority, "api-free.deepl.com");
  assert.equal(header(r.upstreamRequest!.headers, "authorization"), "DeepL-Auth-Key dl-key:fx");

  const s = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "Free", stream: true, messages: [{ role: "user", content: "Hello" }] }) },
    upstream: () => { throw new Error("must not reach the upstream"); },
  });
  assert.equal(s.status, 400);
  assert.match(JSON.parse(s.bodyText).error.message, /^stream: DeepL translates whole texts/);

  const errors = await configureFails({ provider: { type: "deepl", apiTokens: ["k"] } });
  assert.match(errors, /provider\.targetLang: is required for provider type deepl/);
});

// ------------------------------------------------------------------ triton

test("triton: tritonDomain host, tritonModelVersion in the path, generate_stream for streams, the configured key as Bearer", async () => {
  const { plugin } = await startPlugin({ provider: { type: "triton", tritonDomain: "triton.internal:8000", tritonModelVersion: 2, apiTokens: ["tr-key"], modelMapping: { "*": "ensemble" } } }, { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: chat({ temperature: 0.7, top_p: 0.9, top_k: 40, max_completion_tokens: 16 }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ model_name: "ensemble", model_version: "2", text_output: "Hello" }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "triton.internal:8000");
  assert.equal(up.path, "/v2/models/ensemble/versions/2/generate");
  assert.deepEqual(credentialsUpstream(r), ["authorization"]);
  assert.equal(header(up.headers, "authorization"), "Bearer tr-key");
  assert.deepEqual(sent(r), { text_input: "Hi", parameters: { stream: false, temperature: 0.7, top_p: 0.9, top_k: 40, max_tokens: 16 } });
  assert.equal(JSON.parse(r.bodyText).choices[0].message.content, "Hello");

  const s = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: chat({ stream: true }) },
    upstream: () => ({ status: 200, headers: SSE_CT, body: 'data: {"model_name":"ensemble","model_version":"2","text_output":"Hel"}\n\ndata: {"model_name":"ensemble","model_version":"2","text_output":"lo"}\n\n' }),
  });
  assert.equal(s.upstreamRequest!.path, "/v2/models/ensemble/versions/2/generate_stream");
  assert.equal(sent(s).parameters.stream, true);
  const contents = s.bodyText.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content).filter((c) => c);
  assert.deepEqual(contents, ["Hel", "lo"]);
  assert.ok(s.bodyText.endsWith('"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'));
});

test("triton: seed 001's modelVersion is read too, none leaves the version out; tritonDomain is required; fields Triton has no place for are refused or dropped", async () => {
  const { plugin } = await startPlugin({ provider: { type: "triton", tritonDomain: "triton.internal", modelVersion: "3", apiTokens: ["k"] } }, { allowOnHeadersStopIteration: true });
  const answer = () => ({ status: 200, headers: JSON_CT, body: json({ model_name: "m", model_version: "3", text_output: "ok" }) });
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat() }, upstream: answer });
  assert.equal(r.upstreamRequest!.path, "/v2/models/m/versions/3/generate");
  const t = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: chat({ tools: [{ type: "function", function: { name: "f", parameters: {} } }] }) },
    upstream: () => { throw new Error("must not reach the upstream"); },
  });
  assert.equal(t.status, 400);
  assert.match(JSON.parse(t.bodyText).error.message, /^tools: has no counterpart on a Triton upstream/);

  const { plugin: lenient } = await startPlugin({ provider: { type: "triton", tritonDomain: "triton.internal", dropUnsupportedParams: true } }, { allowOnHeadersStopIteration: true });
  const d = await lenient.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chat({ stop: ["x"] }) }, upstream: answer });
  assert.equal(d.upstreamRequest!.path, "/v2/models/m/generate");
  assert.equal(header(d.upstreamRequest!.headers, "authorization"), undefined);
  assert.equal(header(d.headers, "x-ai-proxy-dropped-params"), "stop");

  const errors = await configureFails({ provider: { type: "triton", apiTokens: ["k"] } });
  assert.match(errors, /provider\.tritonDomain: is required for provider type triton/);
});

test("triton and deepl serve Anthropic clients through OpenAI chat (Anthropic → OpenAI → native, answers back the same way)", async () => {
  const { plugin } = await startPlugin({ provider: { type: "triton", tritonDomain: "triton.internal", apiTokens: ["k"], modelMapping: { "*": "ensemble" } } }, { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5", max_tokens: 32, stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: SSE_CT, body: 'data: {"model_name":"ensemble","model_version":"1","text_output":"Hel"}\n\ndata: {"model_name":"ensemble","model_version":"1","text_output":"lo"}\n\n' }),
  });
  assert.equal(r.upstreamRequest!.path, "/v2/models/ensemble/generate_stream");
  assert.deepEqual(sent(r), { text_input: "Hi", parameters: { stream: true, max_tokens: 32 } });
  const events = r.bodyText.split("\n\n").filter((e) => e.startsWith("event: ")).map((e) => e.slice(7, e.indexOf("\n")));
  assert.deepEqual(events, ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
  assert.match(r.bodyText, /"stop_reason":"end_turn"/);

  const { plugin: deepl } = await startPlugin({ provider: { type: "deepl", apiTokens: ["dl-key"], targetLang: "DE" } });
  const d = await deepl.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "Pro", max_tokens: 32, system: "greeting", messages: [{ role: "user", content: "Hello" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ translations: [{ detected_source_language: "EN", text: "Hallo" }] }) }),
  });
  assert.deepEqual(sent(d), { text: ["Hello"], target_lang: "DE", context: "greeting" });
  const out = JSON.parse(d.bodyText);
  assert.equal(out.type, "message");
  assert.deepEqual(out.content, [{ type: "text", text: "Hallo" }]);
  assert.equal(out.stop_reason, "end_turn");
});
