// Bedrock (type "bedrock") through build/ai-proxy.wasm in the host: the exact upstream request AWS documents
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html: POST
// https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/converse, /converse-stream for streams, the model id
// percent-encoded in the path), signed with SigV4 (service "bedrock") over the exact body sent — each signature is
// recomputed here with Node's crypto (tests/support/aws.ts), not read from the plugin — or a Bedrock API key as Bearer;
// seed 001's fields (awsAccessKey, awsSecretKey, awsRegion, bedrockAdditionalFields); the binary event stream and its
// exceptions; signed retries; OpenAI embeddings through InvokeModel
// (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html) for Titan Text Embeddings
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html) and Cohere Embed
// (https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed-v3.html).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { bedrockEvent, bedrockException, eventStreamFrame, sigV4Authorization } from "../support/aws";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const AK = "AKIDEXAMPLE";
const SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const HOST = "bedrock-runtime.us-west-2.amazonaws.com";
const MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const PATH = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse";
const NOW_S = 1741570283; // 2025-03-10T01:31:23Z
const NOW = { allowOnHeadersStopIteration: true, now: () => BigInt(NOW_S) * 1_000_000_000n };
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization", "x-amz-security-token"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-api-key", "client-other"], ["x-amz-security-token", "client-session"]];
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const answer = json({
  output: { message: { role: "assistant", content: [{ text: "Hi!" }] } },
  stopReason: "end_turn", usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 }, metrics: { latencyMs: 100 },
});
const bodyText = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());

function bedrock(extra: Record<string, unknown> = {}) {
  return { provider: { type: "bedrock", awsAccessKey: AK, awsSecretKey: SK, awsRegion: "us-west-2", modelMapping: { "*": MODEL }, ...extra } };
}

/** The signature AWS expects for what reached the upstream (host, path and body as sent, the x-amz-date sent). */
function expectedAuthorization(up: { authority: string; path: string; headers: Array<[string, string]>; body: Uint8Array | string }, region = "us-west-2"): string {
  return sigV4Authorization({
    method: "POST", path: up.path, body: Buffer.from(typeof up.body === "string" ? up.body : up.body),
    headers: { host: up.authority, "x-amz-date": header(up.headers, "x-amz-date")! },
    accessKey: AK, secretKey: SK, region, service: "bedrock", amzDate: header(up.headers, "x-amz-date")!,
  });
}

test("bedrock: OpenAI chat → POST bedrock-runtime.{region}.amazonaws.com/model/{encoded model}/converse, SigV4 over the final body", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const body = json({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: [body.slice(0, 10), body.slice(10)] },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, PATH);
  assert.equal(bodyText(up.body), '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}],"inferenceConfig":{"maxTokens":100}}');
  assert.equal(header(up.headers, "x-amz-date"), "20250310T013123Z");
  const auth = header(up.headers, "authorization")!;
  assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20250310\/us-west-2\/bedrock\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/);
  assert.equal(auth, expectedAuthorization(up));
  // The client's own credentials never travel on: the signature is the only credential upstream.
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["authorization"]);
  assert.ok(!JSON.stringify(up.headers).includes(SK));
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "chat.completion");
  assert.equal(out.model, MODEL);
  assert.equal(out.choices[0].message.content, "Hi!");
  assert.equal(out.choices[0].finish_reason, "stop");
  // No cache read or written: no prompt_tokens_details (as Higress answers).
  assert.deepEqual(out.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
});

test("bedrock: a Bedrock API key in apiTokens is sent as Bearer (no signature); awsRegion picks the host", async () => {
  const { plugin } = await startPlugin({ provider: { type: "bedrock", apiTokens: ["ABSKQmVkcm9ja0FQSUtleS1test"], awsRegion: "eu-central-1" } }, NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "amazon.nova-lite-v1:0", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "bedrock-runtime.eu-central-1.amazonaws.com");
  assert.equal(up.path, "/model/amazon.nova-lite-v1%3A0/converse");
  assert.equal(header(up.headers, "authorization"), "Bearer ABSKQmVkcm9ja0FQSUtleS1test");
  assert.equal(header(up.headers, "x-amz-date"), undefined);
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["authorization"]);
});

test("bedrock: configuration needs awsRegion and either apiTokens or both AWS keys (errors name the field)", async () => {
  const host = await ProxyWasmHost.load(WASM);
  for (const [provider, message] of [
    [{ type: "bedrock", awsAccessKey: AK, awsSecretKey: SK }, /provider\.awsRegion: is required/],
    [{ type: "bedrock", awsRegion: "us-east-1" }, /provider\.awsAccessKey: is required/],
    [{ type: "bedrock", awsRegion: "us-east-1", awsAccessKey: AK }, /provider\.awsSecretKey: is required/],
    [{ type: "bedrock", awsRegion: "us-east-1/evil", apiTokens: ["k"] }, /provider\.awsRegion: must be an AWS region name/],
  ] as Array<[object, RegExp]>) {
    const vm = await host.createVm();
    const plugin = vm.startPlugin({ configuration: { provider } });
    assert.equal(plugin.ok, false, JSON.stringify(provider));
    assert.ok(vm.logs.some((l) => message.test(l.message)), vm.logs.map((l) => l.message).join("\n"));
  }
});

test("bedrock: bedrockAdditionalFields join additionalModelRequestFields (over the translation's), inside the signed body", async () => {
  const { plugin } = await startPlugin(bedrock({ bedrockAdditionalFields: { top_k: 200, anthropic_beta: ["context-1m-2025-08-07"] } }), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", max_tokens: 4000, reasoning_effort: "low", top_k: 5, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  const sent = JSON.parse(bodyText(up.body));
  assert.deepEqual(sent.additionalModelRequestFields, { thinking: { type: "enabled", budget_tokens: 1024 }, top_k: 200, anthropic_beta: ["context-1m-2025-08-07"] });
  assert.equal(header(up.headers, "authorization"), expectedAuthorization(up));
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "top_k");
});

test("bedrock: stream → /converse-stream; the binary event stream reaches the client as SSE, split anywhere", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const frames = Buffer.concat([
    bedrockEvent("messageStart", { role: "assistant" }),
    bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Hé" } }),
    bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
    bedrockEvent("messageStop", { stopReason: "max_tokens" }),
    bedrockEvent("metadata", { usage: { inputTokens: 7, outputTokens: 1, totalTokens: 8, cacheWriteInputTokens: 5 } }),
  ]);
  const pieces = [frames.subarray(0, 5), frames.subarray(5, 63), frames.subarray(63, 64), frames.subarray(64)];
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/vnd.amazon.eventstream"]], body: pieces }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream");
  assert.equal(header(up.headers, "authorization"), expectedAuthorization(up));
  assert.equal(header(r.headers, "content-type"), "text/event-stream");
  const events = r.bodyText.split("\n\n").filter((e) => e.length).map((e) => e.slice("data: ".length));
  assert.equal(events.at(-1), "[DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
  assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? "").join(""), "Hé");
  assert.equal(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason, "length");
  assert.deepEqual(chunks.at(-1).usage, { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13, prompt_tokens_details: { cached_tokens: 0 }, cache_creation_input_tokens: 5 });
});

test("bedrock: a corrupt frame (CRC mismatch) or an exception ends the client's stream with an error in its protocol", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const good = bedrockEvent("messageStart", { role: "assistant" });
  const bad = Buffer.from(bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "x" } }));
  bad[bad.length - 6] ^= 0xff; // payload byte flipped: the message CRC no longer matches
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/vnd.amazon.eventstream"]], body: [good, bad] }),
  });
  assert.match(r.bodyText, /"message":"upstream sent a malformed event stream: event stream message CRC mismatch","type":"server_error"/);
  assert.ok(r.bodyText.endsWith("data: [DONE]\n\n"));
  assert.ok(!r.bodyText.includes('"content":"x"'));

  // An Anthropic client (composed through OpenAI chat) gets Anthropic's error event for a ConverseStream exception.
  const a = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"], ["x-api-key", "client"]]), body: json({ model: "claude-sonnet-4-5", max_tokens: 50, stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/vnd.amazon.eventstream"]], body: [good, bedrockException("throttlingException", "Too many requests, please wait before trying again.")] }),
  });
  assert.equal(a.upstreamRequest!.path, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream");
  assert.match(a.bodyText, /event: error\ndata: \{"type":"error","error":\{"type":"rate_limit_error","message":"Too many requests, please wait before trying again."\}\}/);

  // A frame larger than the decoder's bound is refused, not buffered.
  const huge = eventStreamFrame({ ":event-type": "contentBlockDelta", ":message-type": "event" }, Buffer.alloc(3 << 20, 0x20));
  const h = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", stream: true, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/vnd.amazon.eventstream"]], body: [good, huge.subarray(0, 64)] }),
  });
  assert.match(h.bodyText, /event stream frame larger than/);
});

test("bedrock: a Converse error answer (ValidationException) reaches an OpenAI client as OpenAI's error object", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 403, headers: [...JSON_CT, ["x-amzn-errortype", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"]], body: json({ message: "You don't have access to the model with the specified model ID." }) }),
  });
  assert.equal(r.status, 403);
  assert.deepEqual(JSON.parse(r.bodyText), { error: { message: "You don't have access to the model with the specified model ID.", type: "permission_error", param: null, code: null } });
});

test("bedrock: images go as bytes with their format; links, unknown formats and response_format are refused naming the field", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const ask = (content: unknown, extra: object = {}) => plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content }], ...extra }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const ok = await ask([{ type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } }, { type: "image_url", image_url: { url: "s3://bucket/cat.webp" } }]);
  assert.deepEqual(JSON.parse(bodyText(ok.upstreamRequest!.body)).messages[0].content, [
    { image: { format: "jpeg", source: { bytes: "/9j/4AAQ" } } },
    { image: { format: "webp", source: { s3Location: { uri: "s3://bucket/cat.webp" } } } },
  ]);
  const link = await ask([{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }]);
  assert.equal(link.status, 400);
  assert.match(JSON.parse(link.bodyText).error.message, /^messages\.0\.content\.0\.image_url\.url: Bedrock takes images as data: URLs/);
  const tiff = await ask([{ type: "image_url", image_url: { url: "data:image/tiff;base64,AAAA" } }]);
  assert.match(JSON.parse(tiff.bodyText).error.message, /png, jpeg, gif or webp/);
  const rf = await ask("Hi", { response_format: { type: "json_object" } });
  assert.equal(rf.status, 400);
  assert.match(JSON.parse(rf.bodyText).error.message, /^response_format: has no counterpart on a Bedrock Converse upstream/);
});

test("bedrock: a retry after 429 is signed anew over the body it re-sends", async () => {
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    ...NOW,
    clusters: { [HOST]: (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: answer }; } },
  });
  const vm = await host.createVm({ vmId: `bedrock-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: { allowOnHeadersStopIteration: true, ...bedrock({ retryOnFailure: { enabled: true, maxRetries: 1 } }) } });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 429, headers: JSON_CT, body: json({ message: "Too many requests, please wait before trying again." }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  const c = calls[0];
  const path = header(c.headers, ":path")!;
  assert.equal(path, PATH);
  assert.equal(bodyText(c.body), bodyText(r.upstreamRequest!.body));
  assert.equal(header(c.headers, "authorization"), expectedAuthorization({ authority: header(c.headers, ":authority")!, path, headers: c.headers, body: c.body }));
});

test("bedrock: an OpenAI Responses client is served through the registry (Responses → chat → Converse)", async () => {
  const { plugin } = await startPlugin(bedrock(), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/responses"), body: json({ model: "gpt-4o", input: "Hi", instructions: "Be brief." }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, PATH);
  assert.equal(bodyText(up.body), '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}]}');
  assert.equal(header(up.headers, "authorization"), expectedAuthorization(up));
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "response");
  assert.equal(out.output[0].content[0].text, "Hi!");
});

test("bedrock: protocol original with access keys — the client's Converse body is read, raw customSettings set in it (as Higress does), and SigV4 signs what is sent", async () => {
  const path = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream";
  const body = json({ messages: [{ role: "user", content: [{ text: "Hello" }] }], inferenceConfig: { maxTokens: 64 } });
  const { plugin } = await startPlugin(bedrock({ protocol: "original" }), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders(path, clientCreds), body: [body.slice(0, 7), body.slice(7)] },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, path);
  assert.equal(bodyText(up.body), body);
  assert.equal(header(up.headers, "x-amz-date"), "20250310T013123Z");
  assert.equal(header(up.headers, "authorization"), expectedAuthorization(up));
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["authorization"]);
  assert.equal(bodyText(r.bodyText), bodyText(answer)); // the answer passes untouched

  const withSettings = await startPlugin(bedrock({ protocol: "original", customSettings: [
    { name: "foo", value: "bar", mode: "raw" }, { name: "inferenceConfig", value: { maxTokens: 8 }, mode: "raw", overwrite: false },
    { name: "temperature", value: 0.2 },
  ] }), NOW);
  const s = await withSettings.plugin.exchange({
    request: { headers: requestHeaders(path), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const sup = s.upstreamRequest!;
  // Raw settings at the top level (an existing field kept when overwrite is false); auto-mode names have no meaning in the provider's own schema.
  assert.equal(bodyText(sup.body), json({ messages: [{ role: "user", content: [{ text: "Hello" }] }], inferenceConfig: { maxTokens: 64 }, foo: "bar" }));
  assert.equal(header(sup.headers, "content-length"), undefined);
  assert.equal(header(sup.headers, "authorization"), expectedAuthorization(sup));

  // A Bedrock API key: the original body passes unread, with the key as Bearer.
  const keyed = await startPlugin({ provider: { type: "bedrock", protocol: "original", apiTokens: ["ABSK-key"], awsRegion: "us-west-2" } }, NOW);
  const k = await keyed.plugin.exchange({
    request: { headers: requestHeaders(path), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.equal(header(k.upstreamRequest!.headers, "authorization"), "Bearer ABSK-key");
  assert.equal(header(k.upstreamRequest!.headers, "x-amz-date"), undefined);
  assert.equal(bodyText(k.upstreamRequest!.body), body);
});

const TITAN = "amazon.titan-embed-text-v2:0";
const TITAN_PATH = "/model/amazon.titan-embed-text-v2%3A0/invoke";
/** OpenAI's base64 embedding: the vector's little-endian float32 bytes (https://platform.openai.com/docs/api-reference/embeddings/create). */
const float32Base64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString("base64");

test("bedrock embeddings: Titan V2 → POST /model/{encoded model}/invoke with inputText, dimensions and normalize, SigV4-signed; OpenAI's list back", async () => {
  const { plugin } = await startPlugin(bedrock({ modelMapping: { "text-embedding-3-small": TITAN } }), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings", clientCreds), body: json({ model: "text-embedding-3-small", input: "Hello from embeddings", dimensions: 256, encoding_format: "float", user: "u-1" }) },
    upstream: () => ({ status: 200, headers: [...JSON_CT, ["x-amzn-bedrock-input-token-count", "4"]], body: json({ embedding: [0.5, -0.25, 0.125], inputTextTokenCount: 4, embeddingsByType: { float: [0.5, -0.25, 0.125] } }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, TITAN_PATH);
  assert.equal(bodyText(up.body), '{"inputText":"Hello from embeddings","dimensions":256,"normalize":true}');
  assert.equal(header(up.headers, "x-amz-date"), "20250310T013123Z");
  const auth = header(up.headers, "authorization")!;
  assert.match(auth, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20250310\/us-west-2\/bedrock\/aws4_request, SignedHeaders=host;x-amz-date, Signature=[0-9a-f]{64}$/);
  assert.equal(auth, expectedAuthorization(up));
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["authorization"]);
  assert.equal(r.status, 200);
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "user");
  assert.equal(r.bodyText, '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-0.25,0.125]}],"model":"amazon.titan-embed-text-v2:0","usage":{"prompt_tokens":4,"total_tokens":4}}');

  // The OpenAI SDKs' default, base64: the vector as little-endian float32.
  const b = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "text-embedding-3-small", input: ["Hi"], encoding_format: "base64" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ embedding: [0.5, -0.25], inputTextTokenCount: 1 }) }),
  });
  assert.equal(bodyText(b.upstreamRequest!.body), '{"inputText":"Hi","normalize":true}');
  assert.deepEqual(JSON.parse(b.bodyText), { object: "list", data: [{ object: "embedding", index: 0, embedding: float32Base64([0.5, -0.25]) }], model: TITAN, usage: { prompt_tokens: 1, total_tokens: 1 } });
});

test("bedrock embeddings: Titan takes one text per call — an input of several strings is refused naming input; token ids and other model families too", async () => {
  const { plugin } = await startPlugin(bedrock({ modelMapping: { "text-embedding-3-small": TITAN, "claude": MODEL, "v1": "amazon.titan-embed-text-v1" } }), NOW);
  const ask = (body: object) => plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json(body) },
    upstream: () => { throw new Error("nothing may reach Bedrock"); },
  });
  const cases: Array<[object, RegExp]> = [
    [{ model: "text-embedding-3-small", input: ["one", "two"] }, /^input: amazon\.titan-embed-text-v2:0 embeds one text per request \(Titan's inputText\), got an array of 2; send one string per request$/],
    [{ model: "text-embedding-3-small", input: [[1, 2, 3]] }, /^input\.0: must be a string \(Bedrock embeds text, not token ids\), got an array$/],
    [{ model: "text-embedding-3-small", input: [] }, /^input: must be a string or a non-empty array of strings/],
    [{ model: "claude", input: "Hi" }, /^model: "us\.anthropic\.claude-sonnet-4-5-20250929-v1:0" is not a Bedrock embedding model this gateway converts for \(amazon\.titan-embed-text-\*, cohere\.embed-\*\)$/],
    [{ model: "v1", input: "Hi", dimensions: 256 }, /^dimensions: amazon\.titan-embed-text-v1 returns vectors of one size only$/],
    [{ model: "text-embedding-3-small", input: "Hi", encoding_format: "int8" }, /^encoding_format: must be float or base64$/],
  ];
  for (const [body, message] of cases) {
    const r = await ask(body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(!r.upstreamRequest, "nothing reaches Bedrock");
    const err = JSON.parse(r.bodyText).error;
    assert.match(err.message, message);
    assert.equal(err.type, "invalid_request_error");
  }
});

test("bedrock embeddings: Cohere Embed takes the array as texts (input_type search_document unless the client names one); usage from X-Amzn-Bedrock-Input-Token-Count; Bearer with a Bedrock API key", async () => {
  const { plugin } = await startPlugin({ provider: { type: "bedrock", apiTokens: ["ABSK-bedrock-key"], awsRegion: "us-east-1", modelMapping: { "*": "cohere.embed-english-v3" } } }, NOW);
  const answer = json({ embeddings: [[0.5, 0.25], [-1, 0]], id: "2f5b3d6e-7a1c-4f0e-9b2d-1c3e5a7b9d0f", response_type: "embeddings_floats", texts: ["hello", "world"] });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings", clientCreds), body: json({ model: "text-embedding-3-small", input: ["hello", "world"] }) },
    upstream: () => ({ status: 200, headers: [...JSON_CT, ["x-amzn-bedrock-input-token-count", "7"], ["x-amzn-bedrock-invocation-latency", "45"]], body: answer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "bedrock-runtime.us-east-1.amazonaws.com");
  assert.equal(up.path, "/model/cohere.embed-english-v3/invoke");
  assert.equal(bodyText(up.body), '{"texts":["hello","world"],"input_type":"search_document"}');
  assert.equal(header(up.headers, "authorization"), "Bearer ABSK-bedrock-key");
  assert.equal(header(up.headers, "x-amz-date"), undefined);
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["authorization"]);
  assert.equal(r.bodyText, '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]},{"object":"embedding","index":1,"embedding":[-1,0]}],"model":"cohere.embed-english-v3","usage":{"prompt_tokens":7,"total_tokens":7}}');

  // The client's input_type goes through; Embed v4's by-type answer ({"float": [...]}) is read too; no header: usage 0.
  const v4 = await startPlugin({ provider: { type: "bedrock", apiTokens: ["ABSK-bedrock-key"], awsRegion: "us-east-1", modelMapping: { "*": "us.cohere.embed-v4:0" } } }, NOW);
  const q = await v4.plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "m", input: "what is bedrock?", input_type: "search_query", dimensions: 256 }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ id: "x", embeddings: { float: [[0.125, -0.5]] }, response_type: "embeddings_by_type", texts: ["what is bedrock?"] }) }),
  });
  assert.equal(q.upstreamRequest!.path, "/model/us.cohere.embed-v4%3A0/invoke");
  assert.equal(bodyText(q.upstreamRequest!.body), '{"texts":["what is bedrock?"],"input_type":"search_query","output_dimension":256}');
  assert.equal(q.bodyText, '{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.125,-0.5]}],"model":"us.cohere.embed-v4:0","usage":{"prompt_tokens":0,"total_tokens":0}}');

  // Bedrock's error answer reaches the client as OpenAI's error object.
  const e = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "m", input: "x" }) },
    upstream: () => ({ status: 400, headers: [...JSON_CT, ["x-amzn-errortype", "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/"]], body: json({ message: "Malformed input request: #: required key [input_type] not found, please reformat your input and try again." }) }),
  });
  assert.equal(e.status, 400);
  assert.equal(JSON.parse(e.bodyText).error.message, "Malformed input request: #: required key [input_type] not found, please reformat your input and try again.");
});

test("bedrock embeddings: a capability naming the invoke path (Higress's form) is signed over the converted body", async () => {
  const { plugin } = await startPlugin(bedrock({ capabilities: { "openai/v1/embeddings": "/model/amazon.titan-embed-text-v2:0/invoke" }, modelMapping: { "*": TITAN } }), NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "text-embedding-3-small", input: "Hello from embeddings" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ embedding: [1], inputTextTokenCount: 3 }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, "/model/amazon.titan-embed-text-v2:0/invoke");
  assert.equal(bodyText(up.body), '{"inputText":"Hello from embeddings","normalize":true}');
  assert.equal(header(up.headers, "authorization"), expectedAuthorization(up));
  assert.equal(JSON.parse(r.bodyText).usage.prompt_tokens, 3);
});
