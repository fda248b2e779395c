// OpenAI's images APIs on Vertex AI (type "vertex"), converted for Gemini's image models, through build/ai-proxy.wasm
// in the host. Expected requests and answers come from the documentation: OpenAI's images API
// (https://platform.openai.com/docs/api-reference/images: generations JSON; edits and variations multipart or JSON;
// the image response {created, data[{b64_json}], usage}) and Gemini image generation on Vertex AI
// (https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/image-generation: POST …/publishers/google/models/
// {MODEL}:generateContent with contents, generationConfig.responseModalities ["TEXT","IMAGE"] and imageConfig
// {aspectRatio, imageSize "1K"|"2K"|"4K", imageOutputOptions {mimeType, compressionQuality}}; answers with inlineData
// image parts). The service-account key is generated for the test.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { ClusterResponse, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, WASM } from "../support/plugin";

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const SA_KEY = json({ type: "service_account", private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), client_email: "gw@test-project.iam.gserviceaccount.com", token_uri: "https://oauth2.googleapis.com/token" });
const TOKEN_CLUSTER = "outbound|443||vertex-auth.dns";
const SCOPE = "/v1/projects/test-project/locations/us-central1";
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
/** A 1×1 PNG, and its bytes. */
const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG = Buffer.from(PNG_B64, "base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
/** The generated image of the answers (any base64). */
const OUT_B64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

function serviceAccount(extra: Record<string, unknown> = {}) {
  return { provider: { type: "vertex", vertexAuthKey: SA_KEY, vertexRegion: "us-central1", vertexProjectId: "test-project", vertexAuthServiceName: "vertex-auth", ...extra } };
}
const express = (extra: Record<string, unknown> = {}) => ({ provider: { type: "vertex", apiTokens: ["AQ.express-key"], ...extra } });

async function start(config: object) {
  let tokens = 0;
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    now: () => BigInt(NOW) * 1000000n,
    clusters: { [TOKEN_CLUSTER]: (): ClusterResponse => ({ headers: [[":status", "200"], ...JSON_CT], body: json({ access_token: `ya29.img-${++tokens}`, expires_in: 3599 }) }) },
  });
  const vm = await host.createVm({ vmId: `vertex-images-${process.pid}-${Math.random()}` });
  const plugin = vm.startPlugin({ configuration: config });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  return plugin;
}

/** A multipart/form-data body as fetch() would send it. */
async function form(fields: Record<string, string>, files: Array<[string, Buffer, string, string]>): Promise<{ body: Uint8Array; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  for (const [name, bytes, filename, type] of files) fd.append(name, new Blob([bytes], type ? { type } : {}), filename);
  const r = new Response(fd);
  return { body: new Uint8Array(await r.arrayBuffer()), type: r.headers.get("content-type")! };
}

function multipartHeaders(path: string, type: string, extra: Array<[string, string]> = []): Array<[string, string]> {
  return requestHeaders(path, extra).map(([k, v]): [string, string] => [k, k == "content-type" ? type : v]);
}

// Google's documented answer shape: a text part, the image as inlineData, usage split by modality.
const geminiImageAnswer = json({
  candidates: [{
    content: { role: "model", parts: [
      { text: "Drafting the composition…", thought: true },
      { inlineData: { mimeType: "image/png", data: "ZHJhZnQ=" }, thought: true },
      { text: "Here is your cat." },
      { inlineData: { mimeType: "image/png", data: OUT_B64 } },
    ] },
    finishReason: "STOP", index: 0,
  }],
  usageMetadata: {
    promptTokenCount: 271, candidatesTokenCount: 1295, thoughtsTokenCount: 120, totalTokenCount: 1686,
    promptTokensDetails: [{ modality: "TEXT", tokenCount: 13 }, { modality: "IMAGE", tokenCount: 258 }],
  },
  modelVersion: "gemini-2.5-flash-image", responseId: "img-resp-1",
});
const expectedClientAnswer = json({
  created: NOW / 1000,
  data: [{ b64_json: OUT_B64 }],
  usage: { total_tokens: 1686, input_tokens: 271, output_tokens: 1415, input_tokens_details: { text_tokens: 13, image_tokens: 258 } },
});

test("vertex images: generation (service account) → {region}…/models/{mapped model}:generateContent, size → aspectRatio + imageSize, output_format → imageOutputOptions, geminiSafetySetting → safetySettings; inlineData → b64_json", async () => {
  const plugin = await start(serviceAccount({
    modelMapping: { "gpt-image-1": "gemini-2.5-flash-image" },
    geminiSafetySetting: { HARM_CATEGORY_DANGEROUS_CONTENT: "BLOCK_MEDIUM_AND_ABOVE" },
  }));
  const r = await plugin.exchange({
    request: {
      headers: requestHeaders("/v1/images/generations", [["authorization", "Bearer client-secret"]]),
      body: json({ model: "gpt-image-1", prompt: "A cat napping in the sun", size: "1536x1024", output_format: "jpeg", output_compression: 80, n: 1, response_format: "b64_json", quality: "auto" }),
    },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "us-central1-aiplatform.googleapis.com");
  assert.equal(up.path, `${SCOPE}/publishers/google/models/gemini-2.5-flash-image:generateContent`);
  assert.equal(header(up.headers, "authorization"), "Bearer ya29.img-1");
  assert.equal(header(up.headers, "content-type"), "application/json");
  assert.equal(Buffer.from(up.body).toString(), json({
    contents: [{ role: "user", parts: [{ text: "A cat napping in the sun" }] }],
    generationConfig: { responseModalities: ["TEXT", "IMAGE"], imageConfig: { aspectRatio: "3:2", imageSize: "2K", imageOutputOptions: { mimeType: "image/jpeg", compressionQuality: 80 } } },
    safetySettings: [{ category: "HARM_CATEGORY_DANGEROUS_CONTENT", threshold: "BLOCK_MEDIUM_AND_ABOVE" }],
  }));
  assert.equal(r.status, 200);
  assert.equal(header(r.headers, "content-type"), "application/json");
  assert.equal(r.bodyText, expectedClientAnswer);
});

test("vertex images: OpenAI's sizes → Gemini's documented aspect ratios; 1 MP and less sends no imageSize (1K is the default), 4096x4096 → 4K; no size → no imageConfig", async () => {
  const plugin = await start(express());
  const cases: Array<[string | undefined, unknown]> = [
    ["1024x1024", { aspectRatio: "1:1" }],
    ["1792x1024", { aspectRatio: "16:9", imageSize: "2K" }],
    ["1024x1792", { aspectRatio: "9:16", imageSize: "2K" }],
    ["1024x1536", { aspectRatio: "2:3", imageSize: "2K" }],
    ["512x512", { aspectRatio: "1:1" }],
    ["1024x768", { aspectRatio: "4:3" }],
    ["1280x1024", { aspectRatio: "5:4" }],
    ["2560x1080", { aspectRatio: "21:9", imageSize: "2K" }],
    ["4096x4096", { aspectRatio: "1:1", imageSize: "4K" }],
    ["auto", undefined],
    [undefined, undefined],
  ];
  for (const [size, imageConfig] of cases) {
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "gemini-2.5-flash-image", prompt: "A lighthouse", size }) },
      upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
    });
    assert.equal(r.upstreamRequest!.path, "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key");
    const gen = JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).generationConfig;
    assert.deepEqual(gen, imageConfig === undefined ? { responseModalities: ["TEXT", "IMAGE"] } : { responseModalities: ["TEXT", "IMAGE"], imageConfig }, String(size));
  }
});

test("vertex images: multipart edit (express mode) → the uploads as inlineData after the prompt, content-type application/json, the key as ?key= (no key header); the client's key never forwarded", async () => {
  const plugin = await start(express({ modelMapping: { "gpt-image-1": "gemini-2.5-flash-image" } }));
  // The OpenAI SDK sends image[] for several images; a JPEG sent as application/octet-stream is recognised by its bytes.
  const { body, type } = await form({ model: "gpt-image-1", prompt: "Put the cat on the beach", size: "1024x1024" }, [
    ["image[]", PNG, "cat.png", "image/png"],
    ["image[]", JPEG, "beach.bin", "application/octet-stream"],
  ]);
  const r = await plugin.exchange({
    request: { headers: multipartHeaders("/v1/images/edits", type, [["authorization", "Bearer client-secret"]]), body: [body.subarray(0, 100), body.subarray(100)] },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "aiplatform.googleapis.com");
  assert.equal(up.path, "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key");
  assert.equal(header(up.headers, "x-goog-api-key"), undefined);
  assert.equal(header(up.headers, "x-envoy-original-path"), "/v1/images/edits");
  assert.equal(header(up.headers, "authorization"), undefined);
  assert.equal(header(up.headers, "content-type"), "application/json");
  assert.equal(Buffer.from(up.body).toString(), json({
    contents: [{ role: "user", parts: [
      { text: "Put the cat on the beach" },
      { inlineData: { mimeType: "image/png", data: PNG_B64 } },
      { inlineData: { mimeType: "image/jpeg", data: JPEG.toString("base64") } },
    ] }],
    generationConfig: { responseModalities: ["TEXT", "IMAGE"], imageConfig: { aspectRatio: "1:1" } },
  }));
  assert.equal(r.bodyText, expectedClientAnswer);
});

test("vertex images: JSON edit with images [{image_url}] (data URL and https URL) → inlineData and fileData; JSON variation → Higress's default prompt", async () => {
  const plugin = await start(express());
  const edit = await plugin.exchange({
    request: {
      headers: requestHeaders("/v1/images/edits"),
      body: json({ model: "gemini-2.5-flash-image", prompt: "Add a hat", images: [{ image_url: `data:image/png;base64,${PNG_B64}` }, { image_url: "https://example.com/style.webp?v=2" }] }),
    },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  assert.equal(edit.upstreamRequest!.path, "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key");
  assert.deepEqual(JSON.parse(Buffer.from(edit.upstreamRequest!.body).toString()).contents, [{ role: "user", parts: [
    { text: "Add a hat" },
    { inlineData: { mimeType: "image/png", data: PNG_B64 } },
    { fileData: { mimeType: "image/webp", fileUri: "https://example.com/style.webp?v=2" } },
  ] }]);

  const variation = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/variations"), body: json({ model: "gemini-2.5-flash-image", image: `data:image/jpeg;base64,${JPEG.toString("base64")}` }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  assert.equal(variation.upstreamRequest!.path, "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key");
  assert.deepEqual(JSON.parse(Buffer.from(variation.upstreamRequest!.body).toString()).contents, [{ role: "user", parts: [
    { text: "Create variations of the provided image." },
    { inlineData: { mimeType: "image/jpeg", data: JPEG.toString("base64") } },
  ] }]);
  assert.equal(variation.bodyText, expectedClientAnswer);
});

test("vertex images: multipart variation (service account) waits for the access token like chat does", async () => {
  const plugin = await start(serviceAccount());
  const { body, type } = await form({ model: "gemini-2.5-flash-image" }, [["image", PNG, "cat.png", ""]]);
  const r = await plugin.exchange({
    request: { headers: multipartHeaders("/v1/images/variations", type), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.path, `${SCOPE}/publishers/google/models/gemini-2.5-flash-image:generateContent`);
  assert.equal(header(up.headers, "authorization"), "Bearer ya29.img-1");
  assert.deepEqual(JSON.parse(Buffer.from(up.body).toString()).contents[0].parts, [
    { text: "Create variations of the provided image." },
    { inlineData: { mimeType: "image/png", data: PNG_B64 } },
  ]);
});

test("vertex images: no image in the answer (finishReason SAFETY) → 200 with data [] as Higress answers; Google's error → OpenAI's error object with its status", async () => {
  const plugin = await start(express());
  const blocked = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "gemini-2.5-flash-image", prompt: "something" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ candidates: [{ content: { role: "model", parts: [{ text: "I can't make that image." }] }, finishReason: "SAFETY" }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 10, totalTokenCount: 15 } }) }),
  });
  assert.equal(blocked.status, 200);
  assert.equal(blocked.bodyText, json({ created: NOW / 1000, data: [], usage: { total_tokens: 15, input_tokens: 5, output_tokens: 10, input_tokens_details: { text_tokens: 5, image_tokens: 0 } } }));

  const failed = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "gemini-2.5-flash-image", prompt: "x" }) },
    upstream: () => ({ status: 400, headers: JSON_CT, body: json({ error: { code: 400, message: "Request contains an invalid argument.", status: "INVALID_ARGUMENT" } }) }),
  });
  assert.equal(failed.status, 400);
  const e = JSON.parse(failed.bodyText).error;
  assert.equal(e.message, "Request contains an invalid argument.");
  assert.equal(e.code, "INVALID_ARGUMENT");
});

test("vertex images: fields without a Gemini counterpart are refused naming the field (400, nothing sent), or left out and announced with dropUnsupportedParams", async () => {
  const plugin = await start(express());
  const refusals: Array<[string, string, string]> = [
    ["/v1/images/generations", json({ model: "m", prompt: "p", n: 2 }), "n (more than one image)"],
    ["/v1/images/generations", json({ model: "m", prompt: "p", response_format: "url" }), "response_format url"],
    ["/v1/images/generations", json({ model: "m", prompt: "p", style: "vivid" }), "style"],
    ["/v1/images/generations", json({ model: "m", prompt: "p", background: "transparent" }), "background"],
    ["/v1/images/edits", json({ model: "m", prompt: "p", image: `data:image/png;base64,${PNG_B64}`, mask: `data:image/png;base64,${PNG_B64}` }), "mask"],
  ];
  for (const [path, body, field] of refusals) {
    const r = await plugin.exchange({ request: { headers: requestHeaders(path), body }, upstream: () => { throw new Error("must not be sent"); } });
    assert.equal(r.status, 400, body);
    assert.equal(r.upstreamRequest, null);
    const message = JSON.parse(r.bodyText).error.message;
    assert.ok(message.startsWith(field), message);
  }
  const invalid: Array<[string, string, string]> = [
    ["/v1/images/generations", json({ model: "m", prompt: "p", size: "big" }), "size: must be auto or WIDTHxHEIGHT"],
    ["/v1/images/generations", json({ model: "m", prompt: "p", stream: true }), "stream:"],
    ["/v1/images/generations", json({ model: "m" }), "prompt: is required"],
    ["/v1/images/edits", json({ model: "m", prompt: "p" }), "image: an input image is required"],
    ["/v1/images/edits", json({ model: "m", prompt: "p", images: [{ file_id: "file-abc" }] }), "images[0].file_id"],
    ["/v1/images/generations", json({ model: "m", prompt: "p", output_format: "bmp" }), "output_format:"],
  ];
  for (const [path, body, start] of invalid) {
    const r = await plugin.exchange({ request: { headers: requestHeaders(path), body }, upstream: () => { throw new Error("must not be sent"); } });
    assert.equal(r.status, 400, body);
    assert.ok(JSON.parse(r.bodyText).error.message.startsWith(start), r.bodyText);
  }

  const lenient = await start(express({ dropUnsupportedParams: true }));
  const r = await lenient.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body: json({ model: "gemini-2.5-flash-image", prompt: "p", n: 3, style: "vivid" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
  });
  assert.equal(r.status, 200);
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "n,style");
  assert.deepEqual(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()), { contents: [{ role: "user", parts: [{ text: "p" }] }], generationConfig: { responseModalities: ["TEXT", "IMAGE"] } });
});

test("vertex images: a retry after 429 (retryOnFailure) re-sends the converted multipart edit and converts its answer", async () => {
  const calls: Array<{ headers: Array<[string, string]>; body: Uint8Array }> = [];
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    now: () => BigInt(NOW) * 1000000n,
    clusters: { "aiplatform.googleapis.com": (req): ClusterResponse => { calls.push({ headers: req.headers, body: req.body }); return { headers: [[":status", "200"], ...JSON_CT], body: geminiImageAnswer }; } },
  });
  const vm = await host.createVm({ vmId: `vertex-images-retry-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: { allowOnHeadersStopIteration: true, ...express({ retryOnFailure: { enabled: true, maxRetries: 1 } }) } });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  const { body, type } = await form({ model: "gemini-2.5-flash-image", prompt: "Add a hat" }, [["image", PNG, "cat.png", "image/png"]]);
  const r = await plugin.exchange({
    request: { headers: multipartHeaders("/v1/images/edits", type), body },
    upstream: () => ({ status: 429, headers: JSON_CT, body: json({ error: { code: 429, message: "Resource exhausted.", status: "RESOURCE_EXHAUSTED" } }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  assert.equal(header(calls[0].headers, ":path"), "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.express-key");
  assert.equal(header(calls[0].headers, "content-type"), "application/json");
  assert.equal(header(calls[0].headers, "x-goog-api-key"), undefined);
  assert.equal(Buffer.from(calls[0].body).toString(), Buffer.from(r.upstreamRequest!.body).toString());
  assert.equal(r.bodyText, expectedClientAnswer);
});

test("vertex images: a multipart upload cut anywhere, or with its bytes garbled, is answered 400 naming the problem, never a trap", async () => {
  const plugin = await start(express());
  const { body, type } = await form({ model: "gemini-2.5-flash-image", prompt: "Add a hat" }, [["image", PNG, "cat.png", "image/png"]]);
  // Every cut before the close delimiter's "--" (only the epilogue's CRLF after it is optional).
  for (let cut = 0; cut < body.length - 2; cut += 7) {
    const r = await plugin.exchange({
      request: { headers: multipartHeaders("/v1/images/edits", type), body: body.subarray(0, cut) },
      upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }),
    });
    assert.equal(r.trap, null, `cut at ${cut}`);
    assert.equal(r.status, 400, `cut at ${cut}: ${r.bodyText}`);
    assert.ok(JSON.parse(r.bodyText).error.message.length > 0);
  }
  const garbled = Uint8Array.from(body);
  for (let i = 0; i < garbled.length; i += 13) garbled[i] ^= 0x5a;
  const r = await plugin.exchange({ request: { headers: multipartHeaders("/v1/images/edits", type), body: garbled }, upstream: () => ({ status: 200, headers: JSON_CT, body: geminiImageAnswer }) });
  assert.equal(r.trap, null);
  assert.ok(r.status == 400 || r.status == 200, String(r.status));
});

test("images on other providers are still forwarded as they are (openai: same path, body untouched)", async () => {
  const plugin = await start({ provider: { type: "openai", apiTokens: ["sk-test"] } });
  const body = json({ model: "gpt-image-1", prompt: "A cat", n: 2 });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/images/generations"), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json({ created: 1, data: [{ b64_json: "eA==" }, { b64_json: "eQ==" }] }) }),
  });
  assert.equal(r.upstreamRequest!.path, "/v1/images/generations");
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
  assert.equal(r.bodyText, json({ created: 1, data: [{ b64_json: "eA==" }, { b64_json: "eQ==" }] }));
});
