// The official OpenAI SDK's embeddings and images calls, and a chat with an image URL, through the gateway (on both
// runtimes) to provider gemini, against a stand-in for Google's API answering as its documentation shows
// (https://ai.google.dev/api/embeddings#method:-models.batchembedcontents, https://ai.google.dev/gemini-api/docs/imagen):
// the SDK asks for base64 embeddings by default and decodes them itself, and reads images from data[].b64_json. The
// stand-in also serves the image the gateway fetches (through the Gemini cluster, which points at it here).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

const PNG1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
interface Seen { path: string; headers: http.IncomingHttpHeaders; json: any }
const seen: Seen[] = [];
let server: http.Server;
let url = "";

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || "{}");
      seen.push({ path: req.url ?? "", headers: req.headers, json: body });
      let answer: unknown = { error: { code: 404, message: "not found", status: "NOT_FOUND" } };
      let status = 404;
      if (req.method === "GET" && req.url === "/cat.png") {
        res.writeHead(200, { "content-type": "image/png" });
        res.end(Buffer.from(PNG1, "base64"));
        return;
      }
      if ((req.url ?? "").endsWith(":generateContent")) {
        status = 200;
        answer = { candidates: [{ content: { parts: [{ text: "A tiny image." }], role: "model" }, finishReason: "STOP", index: 0 }] };
      } else if ((req.url ?? "").endsWith(":batchEmbedContents")) {
        status = 200;
        answer = { embeddings: body.requests.map((_: unknown, i: number) => ({ values: [0.5 + i, -0.25, 0.125] })) };
      } else if ((req.url ?? "").endsWith(":predict")) {
        status = 200;
        answer = { predictions: Array.from({ length: body.parameters.sampleCount }, () => ({ bytesBase64Encoded: PNG1, mimeType: "image/png" })) };
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { provider: { type: "gemini", apiTokens: ["AIza-upstream"], modelMapping: { "text-embedding-3-small": "gemini-embedding-001", "dall-e-3": "imagen-4.0-generate-001" } } },
      { "generativelanguage.googleapis.com": url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → gemini embeddings and Imagen", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });

    test("embeddings.create: the SDK's base64 request decoded to the vectors Gemini sent; the upstream saw batchEmbedContents", async () => {
      seen.length = 0;
      const r = await client().embeddings.create({ model: "text-embedding-3-small", input: ["Hello", "World"] });
      assert.deepEqual(r.data.map((d) => [d.index, d.embedding]), [[0, [0.5, -0.25, 0.125]], [1, [1.5, -0.25, 0.125]]]);
      assert.equal(r.model, "gemini-embedding-001");
      const s = seen.at(-1)!;
      assert.equal(s.path, "/v1beta/models/gemini-embedding-001:batchEmbedContents");
      assert.equal(s.headers["x-goog-api-key"], "AIza-upstream");
      assert.equal(s.headers.authorization, undefined);
      assert.deepEqual(s.json.requests.map((q: any) => q.content.parts[0].text), ["Hello", "World"]);
    });

    test("images.generate: b64_json images from Imagen's predictions", async () => {
      seen.length = 0;
      const r = await client().images.generate({ model: "dall-e-3", prompt: "A cat", n: 2, size: "1024x1024", response_format: "b64_json" });
      assert.deepEqual(r.data!.map((d) => d.b64_json), [PNG1, PNG1]);
      const s = seen.at(-1)!;
      assert.equal(s.path, "/v1beta/models/imagen-4.0-generate-001:predict");
      assert.deepEqual(s.json, { instances: [{ prompt: "A cat" }], parameters: { sampleCount: 2, aspectRatio: "1:1" } });
    });

    test("chat with an image URL: the gateway fetches the image and Gemini gets it inline", async () => {
      seen.length = 0;
      const host = new URL(url).host;
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: [
        { type: "text", text: "What is this?" }, { type: "image_url", image_url: { url: `http://${host}/cat.png` } }] }] });
      assert.equal(r.choices[0].message.content, "A tiny image.");
      assert.equal(seen[0].path, "/cat.png");
      assert.equal(seen[0].headers["x-goog-api-key"], undefined);
      const s = seen.at(-1)!;
      assert.equal(s.path, "/v1beta/models/gpt-4o:generateContent");
      assert.deepEqual(s.json.contents[0].parts, [{ text: "What is this?" }, { inlineData: { mimeType: "image/png", data: PNG1 } }]);
    });
  });
});
