// OpenAI's images APIs on Vertex AI (express mode) on both runtimes (TypeScript host and real Envoy), called with the
// official OpenAI SDK: images.generate (JSON), images.edit (multipart/form-data, a file upload) and
// images.createVariation (multipart). A mock Vertex AI answers as Gemini's image models do
// (https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/image-generation: inlineData image parts).
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import OpenAI, { toFile } from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
/** An upload large enough to reach the plugin in several body callbacks (a real photo's size class). */
const PHOTO = Buffer.concat([Buffer.from(PNG_B64, "base64"), Buffer.alloc(300 * 1024, 7)]);
const OUT_B64 = "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";

interface Seen { path: string; host: string; keyHeader: string; type: string; body: any }
let seen: Seen[] = [];
let vertexMock: TestUpstream;

before(async () => {
  vertexMock = await startUpstream((req, body, res) => {
    seen.push({ path: req.url!, host: req.headers.host!, keyHeader: String(req.headers["x-goog-api-key"] ?? ""), type: String(req.headers["content-type"] ?? ""), body: JSON.parse(body) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({
      candidates: [{ content: { role: "model", parts: [{ text: "Here you go." }, { inlineData: { mimeType: "image/png", data: OUT_B64 } }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1290, totalTokenCount: 1300 },
    }));
  });
});
after(async () => { await vertexMock?.close(); });

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    seen = [];
    gw = await startGateway(runtime, {
      provider: { type: "vertex", apiTokens: ["AQ.e2e-express"], modelMapping: { "gpt-image-1": "gemini-2.5-flash-image" } },
    }, { "aiplatform.googleapis.com": vertexMock.url });
  });
  after(async () => { await gw?.stop(); });

  test("images.generate, images.edit (file upload) and images.createVariation through the gateway to Gemini's generateContent", async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });
    const gen = await openai.images.generate({ model: "gpt-image-1", prompt: "A red bicycle", size: "1536x1024" });
    assert.deepEqual(gen.data, [{ b64_json: OUT_B64 }]);
    assert.deepEqual(gen.usage, { total_tokens: 1300, input_tokens: 10, output_tokens: 1290, input_tokens_details: { text_tokens: 10, image_tokens: 0 } });

    const edit = await openai.images.edit({ model: "gpt-image-1", prompt: "Make it blue", image: await toFile(PHOTO, "bike.png", { type: "image/png" }) });
    assert.deepEqual(edit.data, [{ b64_json: OUT_B64 }]);

    const variation = await openai.images.createVariation({ model: "gpt-image-1", image: await toFile(PHOTO, "bike.png", { type: "image/png" }) });
    assert.deepEqual(variation.data, [{ b64_json: OUT_B64 }]);

    // Express mode: the key as ?key= (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference), no key header.
    const path = "/v1/publishers/google/models/gemini-2.5-flash-image:generateContent?key=AQ.e2e-express";
    assert.deepEqual(seen.map((s) => [s.host, s.path, s.keyHeader, s.type]), [
      ["aiplatform.googleapis.com", path, "", "application/json"],
      ["aiplatform.googleapis.com", path, "", "application/json"],
      ["aiplatform.googleapis.com", path, "", "application/json"],
    ], gw.output().slice(-2000));
    assert.deepEqual(seen[0].body, {
      contents: [{ role: "user", parts: [{ text: "A red bicycle" }] }],
      generationConfig: { responseModalities: ["TEXT", "IMAGE"], imageConfig: { aspectRatio: "3:2", imageSize: "2K" } },
    });
    assert.deepEqual(seen[1].body.contents, [{ role: "user", parts: [{ text: "Make it blue" }, { inlineData: { mimeType: "image/png", data: PHOTO.toString("base64") } }] }]);
    assert.deepEqual(seen[2].body.contents, [{ role: "user", parts: [{ text: "Create variations of the provided image." }, { inlineData: { mimeType: "image/png", data: PHOTO.toString("base64") } }] }]);
  });
});
