// Gemini (type "gemini") embeddings and image generation through build/ai-proxy.wasm in the host. Expected values are
// written from the providers' documentation, not from the code:
// - https://ai.google.dev/api/embeddings#method:-models.batchembedcontents : POST /v1beta/models/{model}:batchEmbedContents,
//   {"requests":[{"model":"models/{model}","content":{"parts":[{"text"}]},"outputDimensionality"}]} → {"embeddings":[{"values"}]}
// - https://ai.google.dev/gemini-api/docs/imagen : POST /v1beta/models/{model}:predict, {"instances":[{"prompt"}],
//   "parameters":{"sampleCount","aspectRatio"}} → {"predictions":[{"bytesBase64Encoded","mimeType"}]}
// - https://platform.openai.com/docs/api-reference/embeddings and /images: what the OpenAI client gets back.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, json, requestHeaders, startPlugin } from "../support/plugin";

const K = "AIzaSy-test-key";
const HOST = "generativelanguage.googleapis.com";
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-goog-api-key", "client-goog"]];
const sent = (r: any) => JSON.parse(Buffer.from(r.upstreamRequest.body).toString());
const PNG1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

// Both settings on, as README's Deploying says: a 200 whose body turns out unusable is answered with its own status.
function gemini(mapping: Record<string, string>, extra: Record<string, unknown> = {}) {
  return { allowOnHeadersStopIteration: true, provider: { type: "gemini", apiTokens: [K], modelMapping: mapping, ...extra } };
}

test("gemini embeddings: OpenAI /v1/embeddings → :batchEmbedContents, one request per input; the answer in OpenAI's list shape", async () => {
  const { plugin } = await startPlugin(gemini({ "text-embedding-3-small": "gemini-embedding-001" }), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings", clientCreds), body: json({ model: "text-embedding-3-small", input: ["Hello", "World"], dimensions: 768, encoding_format: "float", user: "u1" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ embeddings: [{ values: [0.25, -0.5] }, { values: [1, 0] }] }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, "/v1beta/models/gemini-embedding-001:batchEmbedContents");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["x-goog-api-key"]);
  assert.equal(header(up.headers, "x-goog-api-key"), K);
  assert.deepEqual(sent(r), { requests: [
    { model: "models/gemini-embedding-001", content: { parts: [{ text: "Hello" }] }, outputDimensionality: 768 },
    { model: "models/gemini-embedding-001", content: { parts: [{ text: "World" }] }, outputDimensionality: 768 },
  ] });
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.bodyText), {
    object: "list",
    data: [{ object: "embedding", index: 0, embedding: [0.25, -0.5] }, { object: "embedding", index: 1, embedding: [1, 0] }],
    model: "gemini-embedding-001",
    usage: { prompt_tokens: 0, total_tokens: 0 },
  });
});

test("gemini embeddings: encoding_format base64 (the OpenAI SDKs' default) → little-endian float32, base64; a string input is one request", async () => {
  const { plugin } = await startPlugin(gemini({ "*": "gemini-embedding-001" }), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "m", input: "Hello", encoding_format: "base64" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ embeddings: [{ values: [0.25, -0.5, 3] }] }) }),
  });
  assert.deepEqual(sent(r), { requests: [{ model: "models/gemini-embedding-001", content: { parts: [{ text: "Hello" }] } }] });
  const out = JSON.parse(r.bodyText);
  assert.equal(out.data[0].embedding, Buffer.from(new Float32Array([0.25, -0.5, 3]).buffer).toString("base64"));
});

test("gemini embeddings: token-id input is refused (Gemini embeds text); Google's error reaches the client in OpenAI's shape", async () => {
  const { plugin } = await startPlugin(gemini({ "*": "gemini-embedding-001" }), { allowOnHeadersStopIteration: true });
  let called = false;
  const refused = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "m", input: [[1, 2, 3]] }) },
    upstream: () => { called = true; return { status: 200, headers: JSON_CT, body: "{}" }; },
  });
  assert.equal(called, false);
  assert.equal(refused.status, 400);
  assert.match(JSON.parse(refused.bodyText).error.message, /^input\.0: must be a string/);
  // https://ai.google.dev/gemini-api/docs/troubleshooting: errors are {"error":{"code","message","status"}}.
  const failed = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "m", input: "Hello" }) },
    upstream: () => ({ status: 400, headers: JSON_CT, body: json({ error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } }) }),
  });
  assert.equal(failed.status, 400);
  assert.equal(JSON.parse(failed.bodyText).error.message, "API key not valid. Please pass a valid API key.");
});

test("gemini images: OpenAI /v1/images/generations → Imagen :predict (n → sampleCount, size → aspectRatio); predictions → data[].b64_json", async () => {
  const { plugin } = await startPlugin(gemini({ "dall-e-3": "imagen-4.0-generate-001" }), { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations", clientCreds), body: json({ model: "dall-e-3", prompt: "A robot holding a red skateboard", n: 2, size: "1792x1024", response_format: "b64_json", quality: "hd" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ predictions: [{ bytesBase64Encoded: PNG1, mimeType: "image/png" }, { bytesBase64Encoded: "AAAA", mimeType: "image/png" }] }) }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, HOST);
  assert.equal(up.path, "/v1beta/models/imagen-4.0-generate-001:predict");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), ["x-goog-api-key"]);
  assert.deepEqual(sent(r), { instances: [{ prompt: "A robot holding a red skateboard" }], parameters: { sampleCount: 2, aspectRatio: "16:9" } });
  assert.equal(r.status, 200);
  // quality has no Imagen counterpart: left out and announced.
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "quality");
  const out = JSON.parse(r.bodyText);
  assert.equal(typeof out.created, "number");
  assert.deepEqual(out.data, [{ b64_json: PNG1 }, { b64_json: "AAAA" }]);
  assert.deepEqual(Object.keys(out), ["created", "data"]);
});

test("gemini images: one image by default (Imagen's own default is 4); response_format url is refused; a prompt Imagen filtered is OpenAI's 400", async () => {
  const { plugin } = await startPlugin(gemini({ "*": "imagen-4.0-generate-001" }), { allowOnHeadersStopIteration: true });
  const one = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "dall-e-3", prompt: "A cat", size: "1024x1536" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ predictions: [{ bytesBase64Encoded: PNG1, mimeType: "image/png" }] }) }),
  });
  assert.deepEqual(sent(one), { instances: [{ prompt: "A cat" }], parameters: { sampleCount: 1, aspectRatio: "3:4" } });
  let called = false;
  const url = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "dall-e-3", prompt: "A cat", response_format: "url" }) },
    upstream: () => { called = true; return { status: 200, headers: JSON_CT, body: "{}" }; },
  });
  assert.equal(called, false);
  assert.equal(url.status, 400);
  assert.match(JSON.parse(url.bodyText).error.message, /^response_format: /);
  const filtered = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "dall-e-3", prompt: "something refused" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: "{}" }),
  });
  assert.equal(filtered.status, 400);
  assert.equal(JSON.parse(filtered.bodyText).error.code, "content_policy_violation");
});

test("gemini images: a capability naming the image path forwards the request there as it is", async () => {
  const { plugin } = await startPlugin(gemini({}, { capabilities: { "openai/v1/imagegeneration": "/v1beta/openai/images/generations" } }), { allowOnHeadersStopIteration: true });
  const body = json({ model: "imagen-4.0-generate-001", prompt: "A cat", response_format: "b64_json" });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ created: 1, data: [{ b64_json: PNG1 }] }) }),
  });
  assert.equal(r.upstreamRequest!.path, "/v1beta/openai/images/generations");
  assert.deepEqual(sent(r), JSON.parse(body));
  assert.deepEqual(JSON.parse(r.bodyText), { created: 1, data: [{ b64_json: PNG1 }] });
});
