// Vertex AI's other modes on both runtimes (TypeScript host and real Envoy), with the official OpenAI SDK where a
// client uses one: embeddings in express mode (OpenAI → :predict, https://cloud.google.com/vertex-ai/generative-ai/
// docs/model-reference/text-embeddings-api; the SDK asks for base64 by default), vertexOpenAICompatible (OpenAI's
// own schema at /v1beta1/projects/{p}/locations/{r}/endpoints/openapi/chat/completions, https://cloud.google.com/
// vertex-ai/generative-ai/docs/migrate/openai/overview), protocol original with a service account (the client's
// native Vertex request, body untouched, with the account's Bearer token), and express mode's key as ?key=
// (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference:
// …/models/MODEL:generateContent?key=API_KEY) kept out of Envoy's access log (x-envoy-original-path).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, runtimes, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const SA_KEY = JSON.stringify({ type: "service_account", private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), client_email: "gw@test-project.iam.gserviceaccount.com", token_uri: "https://oauth2.googleapis.com/token" });
const REGION_HOST = "us-central1-aiplatform.googleapis.com";
const EXPRESS_HOST = "aiplatform.googleapis.com";
// Values exact in float32, so the SDK's base64 decoding gives them back unchanged.
const VECTORS = [[0.5, -0.25, 0.125], [1, 0, -2]];

interface Seen { path: string; host: string; authorization: string; googKey: string; originalPath: string; body: string }
let seen: Seen[] = [];
let mock: TestUpstream;
let tokenMock: TestUpstream;

before(async () => {
  tokenMock = await startUpstream((_req, _body, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ access_token: "ya29.modes", expires_in: 3600, token_type: "Bearer" }));
  });
  mock = await startUpstream((req, body, res) => {
    seen.push({ path: req.url!, host: req.headers.host!, authorization: String(req.headers.authorization ?? ""), googKey: String(req.headers["x-goog-api-key"] ?? ""), originalPath: String(req.headers["x-envoy-original-path"] ?? ""), body });
    const answer = { candidates: [{ content: { role: "model", parts: [{ text: "native answer" }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 } };
    if (req.url!.includes("alt=sse")) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(`data: ${JSON.stringify(answer)}\r\n\r\n`);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url!.includes(":predict")) {
      res.end(JSON.stringify({ predictions: VECTORS.map((values, i) => ({ embeddings: { values, statistics: { truncated: false, token_count: 3 + i } } })), metadata: { billableCharacterCount: 12 } }));
    } else if (req.url!.includes("/endpoints/openapi/")) {
      res.end(JSON.stringify({ id: "chatcmpl-vx", object: "chat.completion", created: 1729986750, model: "google/gemini-2.0-flash", choices: [{ index: 0, message: { role: "assistant", content: "Hi from the OpenAI-compatible endpoint" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 } }));
    } else {
      res.end(JSON.stringify(answer));
    }
  });
});
after(async () => { await mock?.close(); await tokenMock?.close(); });

const serviceAccount = { vertexAuthKey: SA_KEY, vertexRegion: "us-central1", vertexProjectId: "test-project", vertexAuthServiceName: "vertex-auth" };
const tokenCluster = { clusters: { "outbound|443||vertex-auth.dns": "" } };

forEachRuntime((runtime: Runtime) => {
  const gateways: GatewayUnderTest[] = [];
  before(() => { seen = []; tokenCluster.clusters["outbound|443||vertex-auth.dns"] = tokenMock.url; });
  after(async () => { for (const g of gateways) await g.stop(); });

  test("express mode: the OpenAI SDK's embeddings (base64 by default) → :predict with instances; the list comes back as floats", async () => {
    const gw = await startGateway(runtime, { provider: { type: "vertex", apiTokens: ["AQ.express-key"], modelMapping: { "text-embedding-3-small": "text-embedding-005" } } }, { [EXPRESS_HOST]: mock.url });
    gateways.push(gw);
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });
    seen = [];
    const r = await openai.embeddings.create({ model: "text-embedding-3-small", input: ["Bonjour", "Hello"], dimensions: 3 });
    assert.deepEqual(r.data.map((d) => [d.index, d.embedding]), [[0, VECTORS[0]], [1, VECTORS[1]]]);
    assert.equal(r.model, "text-embedding-005");
    assert.deepEqual(r.usage, { prompt_tokens: 7, total_tokens: 7 });
    assert.equal(seen.length, 1);
    assert.deepEqual([seen[0].host, seen[0].path, seen[0].googKey, seen[0].authorization], [EXPRESS_HOST, "/v1/publishers/google/models/text-embedding-005:predict?key=AQ.express-key", "", ""]);
    assert.equal(seen[0].body, JSON.stringify({ instances: [{ content: "Bonjour" }, { content: "Hello" }], parameters: { outputDimensionality: 3 } }));
  });

  test("vertexOpenAICompatible: OpenAI's request, model mapped, at the openapi endpoint with the service account's token; the answer as it came", async () => {
    const gw = await startGateway(runtime, { provider: { type: "vertex", vertexOpenAICompatible: true, ...serviceAccount, modelMapping: { "gpt-4o": "google/gemini-2.0-flash" } } }, { [REGION_HOST]: mock.url }, tokenCluster);
    gateways.push(gw);
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });
    seen = [];
    const schema = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };
    const r = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], response_format: { type: "json_schema", json_schema: { name: "a", strict: true, schema } } });
    assert.equal(r.choices[0].message.content, "Hi from the OpenAI-compatible endpoint");
    assert.equal(seen.length, 1);
    assert.deepEqual([seen[0].host, seen[0].path, seen[0].authorization], [REGION_HOST, "/v1beta1/projects/test-project/locations/us-central1/endpoints/openapi/chat/completions", "Bearer ya29.modes"]);
    assert.deepEqual(JSON.parse(seen[0].body), { model: "google/gemini-2.0-flash", messages: [{ role: "user", content: "Hi" }], response_format: { type: "json_schema", json_schema: { name: "a", strict: true, schema } } });
  });

  test("protocol original with a service account: the native request goes as it came, with the token and without the client's credentials", async () => {
    const gw = await startGateway(runtime, { provider: { type: "vertex", protocol: "original", ...serviceAccount } }, { [REGION_HOST]: mock.url }, tokenCluster);
    gateways.push(gw);
    seen = [];
    const body = `{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"temperature":0.2}}`;
    const path = "/v1/projects/test-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent";
    for (let i = 0; i < 2; i++) { // the first waits for the token, the second finds it cached
      const res = await fetch(`${gw.url}${path}?key=client-key`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-token" }, body });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as any).candidates[0].content.parts[0].text, "native answer");
    }
    assert.deepEqual(seen.map((s) => [s.host, s.path, s.authorization, s.googKey, s.body]), [
      [REGION_HOST, path, "Bearer ya29.modes", "", body],
      [REGION_HOST, path, "Bearer ya29.modes", "", body],
    ]);
  });

  test("express mode: the OpenAI SDK's streamed chat → :streamGenerateContent?alt=sse&key=K; raw mode's native path with the client's key= replaced; never a key header", async () => {
    const gw = await startGateway(runtime, { provider: { type: "vertex", apiTokens: ["AQ.express-key"] } }, { [EXPRESS_HOST]: mock.url });
    const raw = await startGateway(runtime, { provider: { type: "vertex", apiTokens: ["AQ.express-key"], protocol: "original" } }, { [EXPRESS_HOST]: mock.url });
    gateways.push(gw, raw);
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });
    seen = [];
    let text = "";
    for await (const c of await openai.chat.completions.create({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }], stream: true })) text += c.choices[0]?.delta?.content ?? "";
    assert.equal(text, "native answer");
    const native = "/v1/projects/test-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent";
    const res = await fetch(`${raw.url}${native}?alt=sse&key=client-key&trace=1`, { method: "POST", headers: { "content-type": "application/json", "x-goog-api-key": "client-goog" }, body: "{}" });
    assert.equal(res.status, 200);
    await res.text();
    assert.deepEqual(seen.map((s) => [s.host, s.path, s.googKey, s.authorization, s.originalPath]), [
      [EXPRESS_HOST, "/v1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AQ.express-key", "", "", "/v1/chat/completions"],
      [EXPRESS_HOST, `${native}?alt=sse&trace=1&key=AQ.express-key`, "", "", `${native}?alt=sse&trace=1`],
    ]);
  });
});

describe("[envoy] express mode's key stays out of the access log", { skip: !runtimes().includes("envoy") && "Envoy is not provisioned" }, () => {
  test("Envoy's access log (%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%, as Envoy's default format) prints the client's path, never the key in :path", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-vkey-")), "access.log");
    const gw = await startGateway("envoy", { provider: { type: "vertex", apiTokens: ["AQ.express-key-in-log"] } }, { [EXPRESS_HOST]: mock.url }, { accessLogPath: file });
    try {
      seen = [];
      const res = await fetch(`${gw.url}/v1/chat/completions?key=client-key`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) });
      assert.equal(res.status, 200, await res.text());
      assert.equal(seen[0].path, "/v1/publishers/google/models/gemini-2.5-flash:generateContent?key=AQ.express-key-in-log");
      let log = "";
      for (let i = 0; i < 50 && !log.includes("\n"); i++) {
        await new Promise((r) => setTimeout(r, 100));
        log = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
      }
      assert.match(log, /"POST \/v1\/chat\/completions" 200 /);
      assert.ok(!log.includes("AQ.express-key-in-log") && !log.includes("client-key"), log);
    } finally {
      await gw.stop();
    }
  });
});
