// Vertex AI's other modes on both runtimes (TypeScript host and real Envoy), with the official OpenAI SDK where a
// client uses one: embeddings in express mode (OpenAI → :predict, https://cloud.google.com/vertex-ai/generative-ai/
// docs/model-reference/text-embeddings-api; the SDK asks for base64 by default), vertexOpenAICompatible (OpenAI's
// own schema at /v1beta1/projects/{p}/locations/{r}/endpoints/openapi/chat/completions, https://cloud.google.com/
// vertex-ai/generative-ai/docs/migrate/openai/overview) and protocol original with a service account (the client's
// native Vertex request, body untouched, with the account's Bearer token).
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const SA_KEY = JSON.stringify({ type: "service_account", private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), client_email: "gw@test-project.iam.gserviceaccount.com", token_uri: "https://oauth2.googleapis.com/token" });
const REGION_HOST = "us-central1-aiplatform.googleapis.com";
const EXPRESS_HOST = "aiplatform.googleapis.com";
// Values exact in float32, so the SDK's base64 decoding gives them back unchanged.
const VECTORS = [[0.5, -0.25, 0.125], [1, 0, -2]];

interface Seen { path: string; host: string; authorization: string; googKey: string; body: string }
let seen: Seen[] = [];
let mock: TestUpstream;
let tokenMock: TestUpstream;

before(async () => {
  tokenMock = await startUpstream((_req, _body, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ access_token: "ya29.modes", expires_in: 3600, token_type: "Bearer" }));
  });
  mock = await startUpstream((req, body, res) => {
    seen.push({ path: req.url!, host: req.headers.host!, authorization: String(req.headers.authorization ?? ""), googKey: String(req.headers["x-goog-api-key"] ?? ""), body });
    res.writeHead(200, { "content-type": "application/json" });
    if (req.url!.endsWith(":predict")) {
      res.end(JSON.stringify({ predictions: VECTORS.map((values, i) => ({ embeddings: { values, statistics: { truncated: false, token_count: 3 + i } } })), metadata: { billableCharacterCount: 12 } }));
    } else if (req.url!.includes("/endpoints/openapi/")) {
      res.end(JSON.stringify({ id: "chatcmpl-vx", object: "chat.completion", created: 1729986750, model: "google/gemini-2.0-flash", choices: [{ index: 0, message: { role: "assistant", content: "Hi from the OpenAI-compatible endpoint" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 7, total_tokens: 10 } }));
    } else {
      res.end(JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "native answer" }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 } }));
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
    assert.deepEqual([seen[0].host, seen[0].path, seen[0].googKey, seen[0].authorization], [EXPRESS_HOST, "/v1/publishers/google/models/text-embedding-005:predict", "AQ.express-key", ""]);
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
});
