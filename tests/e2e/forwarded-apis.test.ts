// Forwarded APIs through the official Node `openai` SDK on both runtimes (TypeScript host, real Envoy): a 2 MB
// audio upload (multipart, the model field mapped as the body streams through), speech (a binary answer passed
// as it came) and image generation (JSON, the model mapped), to groq and openai; an image edit to Azure's
// resource-only form, whose deployment is named after the upload's mapped model field.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import OpenAI, { toFile } from "openai";
import { forEachRuntime, GatewayUnderTest, startGateway } from "../support/runtimes";
import type { TestUpstream } from "../support/upstream";

interface Seen { url: string; headers: http.IncomingHttpHeaders; body: Buffer }

const SPEECH = Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00, 0x0f, 0xf0, 0x00, 0x00, 0x69]);

forEachRuntime((runtime) => {
  describe("forwarded APIs through the official Node SDK", () => {
    const seen: Seen[] = [];
    let mock: TestUpstream | undefined;
    let groq: GatewayUnderTest;
    let openai: GatewayUnderTest;
    let azure: GatewayUnderTest;
    before(async () => {
      // support/upstream hands over the body as text; uploads need the bytes, so this mock reads them itself.
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          seen.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
          if ((req.url ?? "").includes("/audio/speech")) {
            res.writeHead(200, { "content-type": "audio/mpeg" });
            res.end(SPEECH);
          } else if ((req.url ?? "").includes("/audio/transcriptions")) {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ text: "hello world" }));
          } else {
            res.writeHead(200, { "content-type": "application/json" });
            res.end(JSON.stringify({ created: 1764600000, data: [{ b64_json: "aGk=" }] }));
          }
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const url = `http://127.0.0.1:${(server.address() as import("node:net").AddressInfo).port}`;
      mock = { url, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(() => r())); } };
      groq = await startGateway(runtime, { provider: { type: "groq", apiTokens: ["gsk-upstream"], modelMapping: { "gpt-4o-transcribe": "whisper-large-v3" } } }, { "api.groq.com": url });
      openai = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-openai-upstream"], modelMapping: { "tts-1": "gpt-4o-mini-tts", "dall-e-3": "gpt-image-1" } } }, { "api.openai.com": url });
      azure = await startGateway(runtime, { provider: { type: "azure", apiTokens: ["azure-upstream"], azureServiceUrl: "https://res.openai.azure.com?api-version=2025-04-01-preview", modelMapping: { "gpt-image-1.5": "gpt-image-1" } } }, { "res.openai.azure.com": url });
    });
    after(async () => {
      await groq?.stop();
      await openai?.stop();
      await azure?.stop();
      await mock?.close();
    });

    test("audio.transcriptions.create: a 2 MB upload reaches groq whole, its model mapped", async () => {
      const audio = Buffer.alloc(2 * 1024 * 1024);
      for (let i = 0; i < audio.length; i++) audio[i] = (i * 31 + 7) & 0xff;
      const client = new OpenAI({ baseURL: groq.url + "/v1", apiKey: "sk-client", maxRetries: 0 });
      const t = await client.audio.transcriptions.create({ file: await toFile(audio, "speech.mp3", { type: "audio/mpeg" }), model: "gpt-4o-transcribe" });
      assert.equal(t.text, "hello world");
      const s = seen.at(-1)!;
      assert.equal(s.url, "/openai/v1/audio/transcriptions");
      assert.equal(s.headers.authorization, "Bearer gsk-upstream");
      const boundary = /boundary=(.+)$/.exec(String(s.headers["content-type"]))![1];
      const text = s.body.toString("latin1");
      assert.match(text, new RegExp(`name="model"\\r\\n\\r\\nwhisper-large-v3\\r\\n--${boundary.replace(/[-]/g, "\\-")}`));
      assert.equal(text.includes("gpt-4o-transcribe"), false);
      // The file part arrives byte for byte.
      const start = s.body.indexOf(Buffer.from("\r\n\r\n", "latin1"), s.body.indexOf(Buffer.from('filename="speech.mp3"'))) + 4;
      assert.ok(s.body.subarray(start, start + audio.length).equals(audio));
    });

    test("audio.speech.create: the binary answer passes as it came; the model is mapped", async () => {
      const client = new OpenAI({ baseURL: openai.url + "/v1", apiKey: "sk-client", maxRetries: 0 });
      const res = await client.audio.speech.create({ model: "tts-1", voice: "alloy", input: "Hello" });
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(SPEECH));
      const s = seen.at(-1)!;
      assert.equal(s.url, "/v1/audio/speech");
      assert.equal(JSON.parse(s.body.toString()).model, "gpt-4o-mini-tts");
      assert.equal(s.headers.authorization, "Bearer sk-openai-upstream");
    });

    test("images.generate: the model is mapped", async () => {
      const client = new OpenAI({ baseURL: openai.url + "/v1", apiKey: "sk-client", maxRetries: 0 });
      const img = await client.images.generate({ model: "dall-e-3", prompt: "A cat" });
      assert.equal(img.data?.[0].b64_json, "aGk=");
      const s = seen.at(-1)!;
      assert.equal(s.url, "/v1/images/generations");
      assert.deepEqual(JSON.parse(s.body.toString()), { model: "gpt-image-1", prompt: "A cat" });
    });

    test("images.edit to Azure's resource-only form: the deployment is the upload's mapped model, the upload whole", async () => {
      // https://learn.microsoft.com/azure/ai-foundry/openai/reference-preview  POST {endpoint}/openai/deployments/{deployment-id}/images/edits?api-version=…
      const png = Buffer.alloc(300 * 1024);
      for (let i = 0; i < png.length; i++) png[i] = (i * 17 + 3) & 0xff;
      const client = new OpenAI({ baseURL: azure.url + "/v1", apiKey: "sk-client", maxRetries: 0 });
      const img = await client.images.edit({ model: "gpt-image-1.5", prompt: "make the dog white", image: await toFile(png, "dog.png", { type: "image/png" }) });
      assert.equal(img.data?.[0].b64_json, "aGk=");
      const s = seen.at(-1)!;
      assert.equal(s.url, "/openai/deployments/gpt-image-1/images/edits?api-version=2025-04-01-preview");
      assert.equal(s.headers["api-key"], "azure-upstream");
      assert.equal(s.headers.authorization, undefined);
      const text = s.body.toString("latin1");
      assert.match(text, /name="model"\r\n\r\ngpt-image-1\r\n/);
      assert.equal(text.includes("gpt-image-1.5"), false);
      const start = s.body.indexOf(Buffer.from("\r\n\r\n", "latin1"), s.body.indexOf(Buffer.from('filename="dog.png"'))) + 4;
      assert.ok(s.body.subarray(start, start + png.length).equals(png));
    });
  });
});
