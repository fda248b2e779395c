// Vertex AI with a service account on both runtimes (TypeScript host and real Envoy): the official SDKs through the
// gateway, a mock of Google's token endpoint (reached through the cluster Higress names after vertexAuthServiceName)
// and a mock Vertex AI answering Gemini's generateContent and Claude's rawPredict. The token is fetched once for many
// requests and again once it is due for renewal (real clock: a short-lived token); every upstream request carries it.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const EMAIL = "gateway@test-project.iam.gserviceaccount.com";
const SA_KEY = JSON.stringify({ type: "service_account", private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), client_email: EMAIL, token_uri: "https://oauth2.googleapis.com/token" });
const REGION_HOST = "europe-west4-aiplatform.googleapis.com";
const SCOPE = "/v1/projects/test-project/locations/europe-west4";
/** Seconds the mock's tokens live; renewed vertexTokenRefreshAhead (1 s) before: usable for 2 s. */
const TOKEN_LIFE = 3;

interface Seen { path: string; host: string; authorization: string; body: any }
let tokenCalls: Array<{ path: string; host: string; form: URLSearchParams }> = [];
let vertexCalls: Seen[] = [];
let issued = 0;
let tokenMock: TestUpstream;
let vertexMock: TestUpstream;

before(async () => {
  tokenMock = await startUpstream((req, body, res) => {
    tokenCalls.push({ path: req.url!, host: req.headers.host!, form: new URLSearchParams(body) });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ access_token: `ya29.e2e-${++issued}`, expires_in: TOKEN_LIFE, token_type: "Bearer" }));
  });
  vertexMock = await startUpstream((req, body, res) => {
    vertexCalls.push({ path: req.url!, host: req.headers.host!, authorization: String(req.headers.authorization ?? ""), body: JSON.parse(body) });
    if (req.url!.includes("/publishers/anthropic/")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "msg_vrtx_e2e", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [{ type: "text", text: "Bonjour from Claude" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 9, output_tokens: 4 } }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ candidates: [{ content: { role: "model", parts: [{ text: "Bonjour from Gemini" }] }, finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 8 } }));
  });
});
after(async () => { await tokenMock?.close(); await vertexMock?.close(); });

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    tokenCalls = [];
    vertexCalls = [];
    issued = 0;
    gw = await startGateway(runtime, {
      provider: {
        type: "vertex", vertexAuthKey: SA_KEY, vertexRegion: "europe-west4", vertexProjectId: "test-project",
        vertexAuthServiceName: "vertex-auth", vertexTokenRefreshAhead: 1,
        modelMapping: { "gpt-4o": "gemini-2.5-flash", "claude-*": "claude-sonnet-4-5@20250929" },
      },
    }, { [REGION_HOST]: vertexMock.url }, { clusters: { "outbound|443||vertex-auth.dns": tokenMock.url } });
  });
  after(async () => { await gw?.stop(); });

  test("one token for many requests, Gemini and Claude models; renewed when due; the JWT verifies", async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: "client-anthropic-key", maxRetries: 0 });
    for (let i = 0; i < 2; i++) {
      const o = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Bonjour?" }] });
      assert.equal(o.choices[0].message.content, "Bonjour from Gemini");
      const a = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "Bonjour?" }] });
      assert.deepEqual(a.content, [{ type: "text", text: "Bonjour from Claude" }]);
    }
    assert.equal(tokenCalls.length, 1, "one token request for four requests");
    const t = tokenCalls[0];
    assert.equal(t.path, "/token");
    assert.equal(t.host, "oauth2.googleapis.com");
    assert.equal(t.form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    const [h, c, sig] = t.form.get("assertion")!.split(".");
    assert.ok(crypto.verify("sha256", Buffer.from(`${h}.${c}`), publicKey, Buffer.from(sig, "base64url")));
    assert.equal(JSON.parse(Buffer.from(c, "base64url").toString()).iss, EMAIL);

    assert.deepEqual(vertexCalls.map((v) => [v.host, v.path, v.authorization]), [
      [REGION_HOST, `${SCOPE}/publishers/google/models/gemini-2.5-flash:generateContent`, "Bearer ya29.e2e-1"],
      [REGION_HOST, `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`, "Bearer ya29.e2e-1"],
      [REGION_HOST, `${SCOPE}/publishers/google/models/gemini-2.5-flash:generateContent`, "Bearer ya29.e2e-1"],
      [REGION_HOST, `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`, "Bearer ya29.e2e-1"],
    ]);
    const claudeBody = vertexCalls[1].body;
    assert.equal(claudeBody.model, undefined);
    assert.equal(claudeBody.anthropic_version, "vertex-2023-10-16");

    // The token is due for renewal after TOKEN_LIFE - 1 seconds.
    await new Promise((r) => setTimeout(r, (TOKEN_LIFE - 1) * 1000 + 300));
    const o = await openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Encore?" }] });
    assert.equal(o.choices[0].message.content, "Bonjour from Gemini");
    assert.equal(tokenCalls.length, 2, gw.output().slice(-2000));
    assert.equal(vertexCalls.at(-1)!.authorization, "Bearer ya29.e2e-2");
  });
});
