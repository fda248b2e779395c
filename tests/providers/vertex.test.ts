// Vertex AI (type "vertex") through build/ai-proxy.wasm in the host. Expected requests come from the documentation:
// Gemini on Vertex (https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference: POST
// https://{LOCATION}-aiplatform.googleapis.com/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/google/models/
// {MODEL}:generateContent, :streamGenerateContent?alt=sse), Claude on Vertex (https://docs.anthropic.com/en/api/
// claude-on-vertex-ai: …/publishers/anthropic/models/{MODEL}:rawPredict / :streamRawPredict, no `model` in the body,
// "anthropic_version": "vertex-2023-10-16"), the service-account token exchange (https://developers.google.com/
// identity/protocols/oauth2/service-account#httprest: JWT {"alg":"RS256","typ":"JWT"}, claims iss, scope, aud, exp,
// iat; POST to token_uri with grant_type urn:ietf:params:oauth:grant-type:jwt-bearer) and express mode
// (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference:
// https://aiplatform.googleapis.com/v1/publishers/google/models/MODEL:generateContent?key=API_KEY).
// The service-account key is generated for the test (never a real one); the JWT's signature is checked with Node.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import { ClusterRequest, ClusterResponse, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, WASM } from "../support/plugin";

const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const EMAIL = "gateway@test-project.iam.gserviceaccount.com";
const TOKEN_URI = "https://oauth2.googleapis.com/token";
const SA_KEY = json({ type: "service_account", project_id: "test-project", private_key_id: "k1", private_key: PEM, client_email: EMAIL, token_uri: TOKEN_URI });
const TOKEN_CLUSTER = "outbound|443||vertex-auth.dns";
const REGION_HOST = "us-central1-aiplatform.googleapis.com";
const SCOPE = "/v1/projects/test-project/locations/us-central1";
const CREDENTIALS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
const clientCreds: Array<[string, string]> = [["authorization", "Bearer client-secret"], ["x-goog-api-key", "client-goog"]];
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const SSE_CT: Array<[string, string]> = [["content-type", "text/event-stream"]];

const geminiAnswer = json({
  candidates: [{ content: { parts: [{ text: "Hi!" }], role: "model" }, finishReason: "STOP", index: 0 }],
  usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 }, modelVersion: "gemini-2.5-flash",
});
// Anthropic's Messages answer, as Claude on Vertex returns it.
const claudeAnswer = json({
  id: "msg_vrtx_01", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text: "Hello!" }], stop_reason: "end_turn", stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 3 },
});

function vertex(extra: Record<string, unknown> = {}) {
  return { provider: { type: "vertex", vertexAuthKey: SA_KEY, vertexRegion: "us-central1", vertexProjectId: "test-project", vertexAuthServiceName: "vertex-auth", ...extra } };
}

interface TokenEndpoint { calls: ClusterRequest[]; answer: () => ClusterResponse | "reset" }
function tokenEndpoint(answer?: () => ClusterResponse | "reset"): TokenEndpoint {
  let n = 0;
  const t: TokenEndpoint = {
    calls: [],
    answer: answer ?? (() => ({ headers: [[":status", "200"], ...JSON_CT], body: json({ access_token: `ya29.test-${++n}`, expires_in: 3599, token_type: "Bearer" }) })),
  };
  return t;
}

async function start(config: object, t: TokenEndpoint, clock?: { ms: number }) {
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: { [TOKEN_CLUSTER]: (req) => { t.calls.push(req); return t.answer(); } },
    ...(clock ? { now: () => BigInt(clock.ms) * 1000000n } : {}),
  });
  const vm = await host.createVm({ vmId: `vertex-${process.pid}-${Math.random()}` });
  const plugin = vm.startPlugin({ configuration: config });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  return { vm, plugin };
}

const sent = (r: any) => JSON.parse(Buffer.from(r.upstreamRequest.body).toString());
const b64url = (s: string) => Buffer.from(s, "base64url");

/** Checks the token request and returns the JWT's claims (the signature verified with the test key's public half). */
function checkTokenRequest(req: ClusterRequest, nowSeconds?: number): Record<string, unknown> {
  assert.equal(req.cluster, TOKEN_CLUSTER);
  assert.equal(header(req.headers, ":method"), "POST");
  assert.equal(header(req.headers, ":authority"), "oauth2.googleapis.com");
  assert.equal(header(req.headers, ":path"), "/token");
  assert.equal(header(req.headers, "content-type"), "application/x-www-form-urlencoded");
  const form = new URLSearchParams(Buffer.from(req.body).toString());
  assert.deepEqual([...form.keys()], ["grant_type", "assertion"]);
  assert.equal(form.get("grant_type"), "urn:ietf:params:oauth:grant-type:jwt-bearer");
  const jwt = form.get("assertion")!;
  const [h, c, sig] = jwt.split(".");
  assert.deepEqual(JSON.parse(b64url(h).toString()), { alg: "RS256", typ: "JWT" });
  assert.ok(crypto.verify("sha256", Buffer.from(`${h}.${c}`), publicKey, b64url(sig)), "RS256 signature verifies with the key's public half");
  const claims = JSON.parse(b64url(c).toString());
  assert.equal(claims.iss, EMAIL);
  assert.equal(claims.scope, "https://www.googleapis.com/auth/cloud-platform");
  assert.equal(claims.aud, TOKEN_URI);
  assert.equal(claims.exp - claims.iat, 3600);
  if (nowSeconds !== undefined) assert.equal(claims.iat, nowSeconds);
  else assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60);
  return claims;
}

function onlyBearer(headers: Array<[string, string]>, token: string) {
  assert.deepEqual(CREDENTIALS.filter((h) => header(headers, h) !== undefined), ["authorization"]);
  assert.equal(header(headers, "authorization"), `Bearer ${token}`);
}

test("vertex: Gemini model, OpenAI client → {region}-aiplatform…/publishers/google/models/{model}:generateContent with the service account's Bearer token; one token for many requests", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex({ modelMapping: { "gpt-4o": "gemini-2.5-flash" } }), t);
  const body = json({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: [body.slice(0, 9), body.slice(9)] },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
  });
  assert.equal(t.calls.length, 1);
  checkTokenRequest(t.calls[0]);
  const up = r.upstreamRequest!;
  assert.equal(up.authority, REGION_HOST);
  assert.equal(up.path, `${SCOPE}/publishers/google/models/gemini-2.5-flash:generateContent`);
  onlyBearer(up.headers, "ya29.test-1");
  assert.deepEqual(sent(r), { contents: [{ role: "user", parts: [{ text: "Hi" }] }], generationConfig: {} });
  const out = JSON.parse(r.bodyText);
  assert.equal(out.choices[0].message.content, "Hi!");

  for (let i = 0; i < 3; i++) {
    const again = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-pro", stream: true, messages: [{ role: "user", content: "Hi" }] }) },
      upstream: () => ({ status: 200, headers: SSE_CT, body: `data: ${geminiAnswer}\r\n\r\n` }),
    });
    assert.equal(again.upstreamRequest!.path, `${SCOPE}/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse`);
    onlyBearer(again.upstreamRequest!.headers, "ya29.test-1");
    assert.ok(again.bodyText.endsWith("data: [DONE]\n\n"));
  }
  assert.equal(t.calls.length, 1, "the token is fetched once and cached");
});

test("vertex: Claude model, Anthropic client → publishers/anthropic/models/{model}:streamRawPredict, body without model and with anthropic_version vertex-2023-10-16, no client query", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex(), t);
  const stream = [
    `event: message_start\ndata: ${json({ type: "message_start", message: { id: "msg_vrtx_01", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } })}\n\n`,
    `event: content_block_start\ndata: ${json({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } })}\n\n`,
    `event: content_block_delta\ndata: ${json({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello!" } })}\n\n`,
    `event: content_block_stop\ndata: ${json({ type: "content_block_stop", index: 0 })}\n\n`,
    `event: message_delta\ndata: ${json({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 3 } })}\n\n`,
    `event: message_stop\ndata: ${json({ type: "message_stop" })}\n\n`,
  ].join("");
  const r = await plugin.exchange({
    request: {
      // Claude Code's query string: Google answers 400 to query parameters it does not know, so it stays behind.
      headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]]),
      body: json({ model: "claude-sonnet-4-5@20250929", max_tokens: 256, stream: true, messages: [{ role: "user", content: "Hey Claude!" }] }),
    },
    upstream: () => ({ status: 200, headers: SSE_CT, body: stream }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, REGION_HOST);
  assert.equal(up.path, `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict`);
  onlyBearer(up.headers, "ya29.test-1");
  assert.equal(Buffer.from(up.body).toString(), json({ max_tokens: 256, stream: true, messages: [{ role: "user", content: "Hey Claude!" }], anthropic_version: "vertex-2023-10-16" }));
  assert.equal(r.bodyText, stream, "Anthropic's stream reaches the Anthropic client as it came");
});

test("vertex: Claude model, OpenAI client → :rawPredict with the Anthropic body; the answer converted to OpenAI; global region → aiplatform.googleapis.com", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex({ vertexRegion: "global", modelMapping: { "*": "claude-opus-4-1@20250805" } }), t);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gpt-4o", max_tokens: 100, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: claudeAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "aiplatform.googleapis.com");
  assert.equal(up.path, "/v1/projects/test-project/locations/global/publishers/anthropic/models/claude-opus-4-1@20250805:rawPredict");
  onlyBearer(up.headers, "ya29.test-1");
  assert.equal(header(up.headers, "anthropic-version"), undefined);
  const b = sent(r);
  assert.equal(b.model, undefined);
  assert.equal(b.anthropic_version, "vertex-2023-10-16");
  assert.equal(b.max_tokens, 100);
  assert.equal(b.system, "Be brief.");
  assert.deepEqual(b.messages, [{ role: "user", content: "Hi" }]);
  const out = JSON.parse(r.bodyText);
  assert.equal(out.object, "chat.completion");
  assert.equal(out.choices[0].message.content, "Hello!");
  assert.equal(out.choices[0].finish_reason, "stop");
  assert.deepEqual([out.usage.prompt_tokens, out.usage.completion_tokens], [10, 3]);
});

test("vertex: the token is renewed vertexTokenRefreshAhead seconds before it expires (host clock); concurrent requests wait for one fetch", async () => {
  const clock = { ms: Date.UTC(2026, 11, 2, 9, 0, 0) };
  let release: () => void = () => {};
  let n = 0;
  const t: TokenEndpoint = { calls: [], answer: () => ({ headers: [[":status", "200"], ...JSON_CT], body: json({ access_token: `ya29.t${++n}`, expires_in: 3600 }) }) };
  const gate = new Promise<void>((res) => { release = res; });
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    now: () => BigInt(clock.ms) * 1000000n,
    clusters: { [TOKEN_CLUSTER]: async (req) => { t.calls.push(req); if (t.calls.length == 1) await gate; return t.answer(); } },
  });
  const vm = await host.createVm({ vmId: `vertex-clock-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: vertex({ vertexTokenRefreshAhead: 300 }) });
  assert.ok(plugin.ok);
  const ask = () => plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
  });
  const waiting = [ask(), ask(), ask()];
  await new Promise((res) => setTimeout(res, 20));
  release();
  for (const r of await Promise.all(waiting)) onlyBearer(r.upstreamRequest!.headers, "ya29.t1");
  assert.equal(t.calls.length, 1, "three requests, one token request");
  checkTokenRequest(t.calls[0], clock.ms / 1000);

  clock.ms += (3600 - 300 - 1) * 1000; // one second before the refresh point: still the same token
  onlyBearer((await ask()).upstreamRequest!.headers, "ya29.t1");
  clock.ms += 2000;
  onlyBearer((await ask()).upstreamRequest!.headers, "ya29.t2");
  assert.equal(t.calls.length, 2);
  checkTokenRequest(t.calls[1], clock.ms / 1000);
});

test("vertex: a failed token request answers 502 in the client's protocol naming the cause (no secret), and the next request asks again", async () => {
  let fail = true;
  const t = tokenEndpoint(() => fail
    ? { headers: [[":status", "400"], ...JSON_CT], body: json({ error: "invalid_grant", error_description: "Invalid JWT Signature." }) }
    : { headers: [[":status", "200"], ...JSON_CT], body: json({ access_token: "ya29.ok", expires_in: 3600 }) });
  const { plugin, vm } = await start(vertex(), t);
  let reached = false;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5@20250929", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => { reached = true; return { status: 200, headers: JSON_CT, body: claudeAnswer }; },
  });
  assert.equal(reached, false);
  assert.equal(r.status, 502);
  const err = JSON.parse(r.bodyText);
  assert.equal(err.type, "error");
  assert.match(err.error.message, /token endpoint answered HTTP 400 \(invalid_grant: Invalid JWT Signature\.\)/);
  const assertion = new URLSearchParams(Buffer.from(t.calls[0].body).toString()).get("assertion")!;
  for (const secret of [assertion, assertion.split(".")[2], PEM.split("\n")[1]]) {
    assert.ok(!r.bodyText.includes(secret) && !vm.logs.some((l) => l.message.includes(secret)), "no key material in the answer or the logs");
  }

  const reset = await start(vertex(), tokenEndpoint(() => "reset"));
  const o = await reset.plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) } });
  assert.equal(o.status, 502);
  assert.match(JSON.parse(o.bodyText).error.message, /access token request for gateway@test-project\.iam\.gserviceaccount\.com failed \(reset or timeout\)/);

  fail = false;
  const ok = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
  });
  assert.equal(ok.status, 200);
  onlyBearer(ok.upstreamRequest!.headers, "ya29.ok");
  assert.equal(t.calls.length, 2);
});

test("vertex: express mode (apiTokens) → aiplatform.googleapis.com/v1/publishers/google/models/{model}:generateContent?key=K, no key header, the client's path in x-envoy-original-path, no token request", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: ["AQ.express-key"], geminiSafetySetting: { HARM_CATEGORY_HARASSMENT: "BLOCK_NONE" } } }, t);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "aiplatform.googleapis.com");
  assert.equal(up.path, "/v1/publishers/google/models/gemini-2.5-flash:generateContent?key=AQ.express-key");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), []);
  assert.equal(header(up.headers, "x-envoy-original-path"), "/v1/chat/completions");
  assert.deepEqual(sent(r).safetySettings, [{ category: "HARM_CATEGORY_HARASSMENT", threshold: "BLOCK_NONE" }]);
  assert.equal(t.calls.length, 0);
});

// Express mode puts the key in :path (Google's ?key=); the client's path without credentials goes in
// x-envoy-original-path, which Envoy's default access-log format prints instead of :path.
const EXPRESS = "AQ.express-key";
const keysIn = (path: string) => new URL(path, "https://aiplatform.googleapis.com").searchParams.getAll("key");

/** A streamed chat driven callback by callback: what the client got after each upstream body callback, and the upstream path. */
function streamCallbacks(plugin: any, body: string, upstream: Array<[string, boolean]>) {
  const s = plugin.newStream();
  s.requestHeaders(requestHeaders("/v1/chat/completions"), false);
  s.requestBody(body, true);
  const path = header(s.forwarded.headers, ":path");
  s.responseHeaders([[":status", "200"], ...SSE_CT], false);
  const outputs: string[] = [];
  for (const [data, end] of upstream) {
    const before = s.downstream.chunks.length;
    s.responseBody(data, end);
    outputs.push(s.downstream.chunks.slice(before).map((c: Uint8Array) => Buffer.from(c).toString()).join(""));
  }
  return { path, outputs };
}

test("vertex express: a streamed chat goes to :streamGenerateContent?alt=sse&key=K; an upstream ending with data: [DONE] ends the client's stream in that callback, [DONE] once", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: [EXPRESS] } }, tokenEndpoint());
  const events = [
    { candidates: [{ content: { parts: [{ text: "Hi" }], role: "model" }, index: 0 }], modelVersion: "gemini-2.5-flash", responseId: "r-1" },
    { candidates: [{ content: { parts: [{ text: "!" }], role: "model" }, finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 2, totalTokenCount: 4 }, modelVersion: "gemini-2.5-flash", responseId: "r-1" },
  ];
  // The whole stream in one callback, then an empty end-of-stream callback.
  const r = streamCallbacks(plugin, json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }], stream: true, stream_options: { include_usage: true } }),
    [[events.map((e) => `data: ${json(e)}\n\n`).join("") + "data: [DONE]\n\n", false], ["", true]]);
  assert.equal(r.path, "/v1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AQ.express-key");
  // OpenAI's chat.completion.chunk stream (https://platform.openai.com/docs/api-reference/chat-streaming): role, content,
  // finish_reason, the usage chunk (include_usage: choices []), then data: [DONE].
  const chunk = (choices: unknown[], usage?: unknown) => `data: ${json({ id: "r-1", object: "chat.completion.chunk", created: 0, model: "gemini-2.5-flash", choices, ...(usage ? { usage } : {}) })}\n\n`;
  const want = chunk([{ index: 0, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]) +
    chunk([{ index: 0, delta: { content: "Hi" }, logprobs: null, finish_reason: null }]) +
    chunk([{ index: 0, delta: { content: "!" }, logprobs: null, finish_reason: null }]) +
    chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }]) +
    chunk([], { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0 } }) +
    "data: [DONE]\n\n";
  assert.deepEqual(r.outputs.map((o) => o.replace(/"created":\d+/g, '"created":0')), [want, ""], "all of it in the first callback, nothing at the end");
});

test("vertex express: an upstream stream that is only data: [DONE] (no answer) ends as a cut stream there: the error event, then [DONE], once", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: [EXPRESS] } }, tokenEndpoint());
  const r = streamCallbacks(plugin, json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "test" }], stream: true }), [["data: [DONE]\n\n", false], ["", true]]);
  assert.deepEqual(r.outputs, [`data: ${json({ error: { message: "upstream stream ended before completion", type: "server_error", param: null, code: null } })}\n\ndata: [DONE]\n\n`, ""]);
});

test("vertex express: with several apiTokens each request carries exactly one key, a configured one, whether :path is set with the headers (raw) or after the body (Claude model)", async () => {
  const keys = ["AQ.express-key-a", "AQ.express-key-b"];
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: keys } }, tokenEndpoint());
  const raw = await start({ provider: { type: "vertex", apiTokens: keys, protocol: "original" } }, tokenEndpoint());
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages?key=client-key", [["anthropic-version", "2023-06-01"], ...clientCreds]), body: json({ model: "claude-sonnet-4-5@20250929", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
      upstream: () => ({ status: 200, headers: JSON_CT, body: claudeAnswer }),
    });
    const path = r.upstreamRequest!.path;
    assert.equal(path.replace(/key=.*$/, "key=K"), "/v1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict?key=K");
    assert.equal(keysIn(path).length, 1);
    assert.ok(keys.includes(keysIn(path)[0]));
    assert.equal(header(r.upstreamRequest!.headers, "x-envoy-original-path"), "/v1/messages");
    seen.add(keysIn(path)[0]);
    const n = await raw.plugin.exchange({
      request: { headers: requestHeaders("/v1/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict?key=client-key", clientCreds), body: json({ anthropic_version: "vertex-2023-10-16", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
      upstream: () => ({ status: 200, headers: JSON_CT, body: claudeAnswer }),
    });
    assert.equal(keysIn(n.upstreamRequest!.path).length, 1);
    assert.ok(keys.includes(keysIn(n.upstreamRequest!.path)[0]));
    assert.deepEqual(CREDENTIALS.filter((h) => header(n.upstreamRequest!.headers, h) !== undefined), []);
  }
  assert.equal(seen.size, 2, "both keys are used");
});

test("vertex express raw mode: basePath removed, then ?key=K; an x-envoy-original-path already set (a route's rewrite) is kept; a key Google echoes in an error page is redacted", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: [EXPRESS], protocol: "original", basePath: "/vertex-proxy", basePathHandling: "removePrefix" } }, tokenEndpoint());
  const native = "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent";
  const body = `{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}`;
  // Google's front end answers an unknown URL with an HTML page that quotes it, query included.
  const page = (path: string) => `<!DOCTYPE html>\n<p><b>404.</b> <ins>That’s an error.</ins>\n<p>The requested URL <code>${path}</code> was not found on this server.  <ins>That’s all we know.</ins>\n`;
  const r = await plugin.exchange({
    request: { headers: requestHeaders(`/vertex-proxy${native}?key=client-key`), body },
    upstream: (req) => ({ status: 404, headers: [["content-type", "text/html; charset=UTF-8"]], body: page(req.path) }),
  });
  assert.equal(r.upstreamRequest!.path, `${native}?key=AQ.express-key`);
  assert.equal(header(r.upstreamRequest!.headers, "x-envoy-original-path"), `/vertex-proxy${native}`);
  assert.equal(r.status, 404);
  assert.equal(r.bodyText, page(`${native}?key=[REDACTED]`));

  const kept = await plugin.exchange({
    request: { headers: requestHeaders(`/vertex-proxy${native}`, [["x-envoy-original-path", "/gemini/generate"]]), body },
    upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
  });
  assert.equal(kept.upstreamRequest!.path, `${native}?key=AQ.express-key`);
  assert.equal(header(kept.upstreamRequest!.headers, "x-envoy-original-path"), "/gemini/generate");
});

test("vertex express: a converted request whose error echoes the URL reaches the client with the key redacted; a retry carries the key in its own :path", async () => {
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: { "aiplatform.googleapis.com": (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: geminiAnswer }; } },
  });
  const vm = await host.createVm({ vmId: `vertex-express-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: { provider: { type: "vertex", apiTokens: [EXPRESS], retryOnFailure: { enabled: true, maxRetries: 1 } } } });
  assert.ok(plugin.ok);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 503, headers: JSON_CT, body: json({ error: { code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" } }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  assert.equal(header(calls[0].headers, ":path"), "/v1/publishers/google/models/gemini-2.5-flash:generateContent?key=AQ.express-key");
  assert.deepEqual(CREDENTIALS.filter((h) => header(calls[0].headers, h) !== undefined), []);

  // https://cloud.google.com/apis/design/errors: {"error":{"code","message","status"}}; here the message quotes the URL.
  const { plugin: once } = await start({ provider: { type: "vertex", apiTokens: [EXPRESS] } }, tokenEndpoint());
  const e = await once.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-x", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: (req) => ({ status: 404, headers: JSON_CT, body: json({ error: { code: 404, message: `Publisher Model was not found: https://aiplatform.googleapis.com${req.path}`, status: "NOT_FOUND" } }) }),
  });
  assert.equal(e.status, 404);
  const message: string = JSON.parse(e.bodyText).error.message;
  assert.equal(message, "Publisher Model was not found: https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-x:generateContent?key=[REDACTED]");
});

test("vertex express: a key that would need escaping in the query is refused at load, naming the field and not the key", async () => {
  const host = await ProxyWasmHost.load(WASM);
  const vm = await host.createVm();
  assert.equal(vm.startPlugin({ configuration: { provider: { type: "vertex", apiTokens: [EXPRESS, "bad&key=x"] } } }).ok, false);
  assert.ok(vm.logs.some((l) => /provider\.apiTokens\[1\]: a Vertex AI express-mode key has only letters, digits/.test(l.message)), vm.logs.map((l) => l.message).join("\n"));
  assert.ok(!vm.logs.some((l) => l.message.includes("bad&key=x")));
});

test("vertex: configuration errors name the field; an unusable private key loads (as in Higress) and its requests get 500 saying why", async () => {
  const host = await ProxyWasmHost.load(WASM);
  const cases: Array<[object, RegExp]> = [
    [{ provider: { type: "vertex" } }, /provider\.vertexAuthKey: is required/],
    [vertex({ vertexProjectId: undefined }), /provider\.vertexProjectId: is required/],
    [vertex({ vertexRegion: "us central1" }), /provider\.vertexRegion: must be a Google Cloud region/],
    [vertex({ vertexAuthKey: "{\"private_key\":\"x\"}" }), /provider\.vertexAuthKey: has no client_email/],
    [vertex({ vertexAuthKey: "not json" }), /provider\.vertexAuthKey: is not a service-account JSON key/],
  ];
  for (const [config, want] of cases) {
    const vm = await host.createVm();
    const plugin = vm.startPlugin({ configuration: config });
    assert.equal(plugin.ok, false, JSON.stringify(config));
    assert.ok(vm.logs.some((l) => want.test(l.message)), vm.logs.map((l) => l.message).join("\n"));
    assert.ok(!vm.logs.some((l) => l.message.includes(PEM.split("\n")[1])), "the key is never logged");
  }
  const bad = json({ type: "service_account", client_email: EMAIL, private_key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7k1v5C7y8L4SN\n-----END PRIVATE KEY-----\n", token_uri: TOKEN_URI });
  const t = tokenEndpoint();
  const { plugin, vm } = await start(vertex({ vertexAuthKey: bad }), t);
  assert.ok(vm.logs.some((l) => /provider\.vertexAuthKey: private_key/.test(l.message)));
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }] }) } });
  assert.equal(r.status, 500);
  assert.match(JSON.parse(r.bodyText).error.message, /service account key of gateway@test-project\.iam\.gserviceaccount\.com is unusable/);
  assert.equal(t.calls.length, 0);
});

test("vertex: a retried request carries the same Bearer token to the same URL", async () => {
  const t = tokenEndpoint();
  const calls: ClusterRequest[] = [];
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: {
      [TOKEN_CLUSTER]: (req) => { t.calls.push(req); return t.answer(); },
      [REGION_HOST]: (req) => { calls.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: claudeAnswer }; },
    },
  });
  const vm = await host.createVm({ vmId: `vertex-retry-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: vertex({ retryOnFailure: { enabled: true, maxRetries: 1 } }) });
  assert.ok(plugin.ok);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5@20250929", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 529, headers: JSON_CT, body: json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) }),
  });
  assert.equal(r.status, 200);
  assert.equal(calls.length, 1);
  // The client's ?beta=true stays behind (Google refuses unknown query parameters).
  assert.equal(r.upstreamRequest!.path, `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
  assert.equal(header(calls[0].headers, ":path"), `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
  onlyBearer(calls[0].headers, "ya29.test-1");
  assert.equal(Buffer.from(calls[0].body).toString(), Buffer.from(r.upstreamRequest!.body).toString());
});

// Embeddings: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api (request
// {"instances":[{"content"}],"parameters":{"outputDimensionality"}}, answer predictions[].embeddings{values,
// statistics{token_count,truncated}}) ↔ https://platform.openai.com/docs/api-reference/embeddings.
const predictAnswer = json({
  predictions: [
    { embeddings: { values: [0.5, -0.25, 0.125], statistics: { truncated: false, token_count: 4 } } },
    { embeddings: { values: [1, 0, -2], statistics: { truncated: false, token_count: 2 } } },
  ],
  metadata: { billableCharacterCount: 20 },
});

test("vertex embeddings, express mode: OpenAI → /v1/publishers/google/models/{model}:predict (instances, outputDimensionality), the list back in OpenAI's shape", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: ["AQ.express-key"], modelMapping: { "text-embedding-3-small": "text-embedding-005" } } }, tokenEndpoint());
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings?key=client-key", clientCreds), body: json({ model: "text-embedding-3-small", input: ["What is Vertex?", "Hi"], dimensions: 3, user: "u-1" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: predictAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "aiplatform.googleapis.com");
  assert.equal(up.path, "/v1/publishers/google/models/text-embedding-005:predict?key=AQ.express-key");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), []);
  // What access logs print: the client's path without its key= parameter.
  assert.equal(header(up.headers, "x-envoy-original-path"), "/v1/embeddings");
  assert.equal(Buffer.from(up.body).toString(), json({ instances: [{ content: "What is Vertex?" }, { content: "Hi" }], parameters: { outputDimensionality: 3 } }));
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(r.bodyText), {
    object: "list",
    data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25, 0.125] }, { object: "embedding", index: 1, embedding: [1, 0, -2] }],
    model: "text-embedding-005", usage: { prompt_tokens: 6, total_tokens: 6 },
  });
  assert.equal(header(r.headers, "x-ai-proxy-dropped-params"), "user");
});

test("vertex embeddings: encoding_format base64 packs the values as little-endian float32 (as OpenAI does); the service account's token and scope", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex(), t);
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "gemini-embedding-001", input: "What is Vertex?", encoding_format: "base64" }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: predictAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, REGION_HOST);
  assert.equal(up.path, `${SCOPE}/publishers/google/models/gemini-embedding-001:predict`);
  onlyBearer(up.headers, "ya29.test-1");
  assert.equal(Buffer.from(up.body).toString(), json({ instances: [{ content: "What is Vertex?" }] }));
  const b64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString("base64");
  assert.deepEqual(JSON.parse(r.bodyText).data, [
    { object: "embedding", index: 0, embedding: b64([0.5, -0.25, 0.125]) },
    { object: "embedding", index: 1, embedding: b64([1, 0, -2]) },
  ]);
});

test("vertex embeddings: token-id input and unknown encoding_format are refused naming the field; Google's error comes back in OpenAI's shape", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: ["AQ.express-key"] } }, tokenEndpoint());
  const refused: Array<[object, string]> = [
    [{ model: "text-embedding-005", input: [[1, 2, 3]] }, "input.0: must be a string (Vertex AI embeds text, not token ids), got an array"],
    [{ model: "text-embedding-005", input: "x", encoding_format: "int8" }, "encoding_format: must be float or base64"],
    [{ model: "text-embedding-005", input: [] }, "input: must be a string or a non-empty array of strings, got an array"],
  ];
  for (const [body, message] of refused) {
    let reached = false;
    const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/embeddings"), body: json(body) }, upstream: () => { reached = true; return { status: 200, headers: JSON_CT, body: predictAnswer }; } });
    assert.equal(reached, false);
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.bodyText).error.message, message);
  }
  const googleError = json({ error: { code: 400, message: "Unable to submit request because the input token count is 30000 but the model supports up to 20000.", status: "INVALID_ARGUMENT" } });
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/embeddings"), body: json({ model: "text-embedding-005", input: "x" }) }, upstream: () => ({ status: 400, headers: JSON_CT, body: googleError }) });
  assert.equal(r.status, 400);
  const err = JSON.parse(r.bodyText).error;
  assert.equal(err.message, "Unable to submit request because the input token count is 30000 but the model supports up to 20000.");
});

test("vertexOpenAICompatible: OpenAI chat as it came (model mapped) to /v1beta1/…/endpoints/openapi/chat/completions; an Anthropic client's Claude model keeps rawPredict; not with apiTokens", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex({ vertexOpenAICompatible: true, modelMapping: { "gpt-4o": "google/gemini-2.0-flash" } }), t);
  const openaiAnswer = json({ id: "chatcmpl-vx", object: "chat.completion", created: 1729986750, model: "google/gemini-2.0-flash", choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", clientCreds), body: json({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }], response_format: { type: "json_object" } }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: openaiAnswer }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, REGION_HOST);
  assert.equal(up.path, "/v1beta1/projects/test-project/locations/us-central1/endpoints/openapi/chat/completions");
  onlyBearer(up.headers, "ya29.test-1");
  assert.equal(Buffer.from(up.body).toString(), json({ model: "google/gemini-2.0-flash", messages: [{ role: "user", content: "Hi" }], response_format: { type: "json_object" } }));
  assert.equal(JSON.parse(r.bodyText).choices[0].message.content, "Hello!");

  const a = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5@20250929", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: claudeAnswer }),
  });
  assert.equal(a.upstreamRequest!.path, `${SCOPE}/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
  const g = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "google/gemini-2.5-flash", max_tokens: 10, messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: openaiAnswer }),
  });
  assert.equal(g.upstreamRequest!.path, "/v1beta1/projects/test-project/locations/us-central1/endpoints/openapi/chat/completions");
  assert.deepEqual(sent(g), { model: "google/gemini-2.5-flash", messages: [{ role: "user", content: "Hi" }], max_tokens: 10 });
  assert.deepEqual(JSON.parse(g.bodyText).content, [{ type: "text", text: "Hello!" }]);
  assert.equal(t.calls.length, 1);

  const host = await ProxyWasmHost.load(WASM);
  const vm = await host.createVm();
  assert.equal(vm.startPlugin({ configuration: { provider: { type: "vertex", apiTokens: ["k"], vertexOpenAICompatible: true } } }).ok, false);
  assert.ok(vm.logs.some((l) => /provider\.vertexOpenAICompatible: cannot be used with apiTokens/.test(l.message)));
});

test("vertex protocol original: the client's native request and body go as they came; its key= query parameter is replaced by the configured key, its credential headers never reach Google", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: ["AQ.express-key"], protocol: "original" } }, tokenEndpoint());
  const body = `{"contents":[{"role":"user","parts":[{"text":"Tell me a story"}]}]}`;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=client-key&trace=1", clientCreds), body },
    upstream: () => ({ status: 200, headers: SSE_CT, body: `data: ${geminiAnswer}\r\n\r\n` }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "aiplatform.googleapis.com");
  assert.equal(up.path, "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse&trace=1&key=AQ.express-key");
  assert.deepEqual(CREDENTIALS.filter((h) => header(up.headers, h) !== undefined), []);
  assert.equal(header(up.headers, "x-envoy-original-path"), "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:streamGenerateContent?alt=sse&trace=1");
  assert.equal(Buffer.from(up.body).toString(), body);
  assert.equal(r.bodyText, `data: ${geminiAnswer}\r\n\r\n`);
});

test("vertex protocol original with a service account: the first request waits for the token with its body untouched, the next finds it at once", async () => {
  const t = tokenEndpoint();
  const { plugin } = await start(vertex({ protocol: "original" }), t);
  const body = `{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}`;
  for (let i = 0; i < 2; i++) {
    const r = await plugin.exchange({
      request: { headers: requestHeaders(`${SCOPE}/publishers/google/models/gemini-2.0-flash:countTokens`, clientCreds), body },
      upstream: () => ({ status: 200, headers: JSON_CT, body: json({ totalTokens: 2 }) }),
    });
    const up = r.upstreamRequest!;
    assert.equal(up.authority, REGION_HOST);
    assert.equal(up.path, `${SCOPE}/publishers/google/models/gemini-2.0-flash:countTokens`);
    onlyBearer(up.headers, "ya29.test-1");
    assert.equal(Buffer.from(up.body).toString(), body);
    assert.deepEqual(JSON.parse(r.bodyText), { totalTokens: 2 });
  }
  assert.equal(t.calls.length, 1);
});

// https://ai.google.dev/gemini-api/docs/structured-output, https://ai.google.dev/api/caching#Schema: responseSchema takes
// Google's Schema object (an OpenAPI 3.0 subset, every Gemini model), responseJsonSchema JSON Schema (Gemini 2.5+).
test("vertex: response_format as OpenAI's json_schema, or a schema where clients put one (json_schema itself, response_format itself) → responseMimeType + responseSchema when Google's Schema object holds it, else responseJsonSchema; malformed or unknown ones are refused", async () => {
  const { plugin } = await start({ provider: { type: "vertex", apiTokens: ["AQ.express-key"] } }, tokenEndpoint());
  const simple = { type: "object", properties: { city: { type: "string", description: "The city" }, days: { type: "array", items: { type: "INTEGER" }, maxItems: 3 } }, required: ["city"], propertyOrdering: ["city", "days"] };
  const strict = { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false };
  const refs = { type: "object", properties: { home: { $ref: "#/$defs/place" } }, $defs: { place: { type: "string" } } };
  const nullable = { type: "object", properties: { city: { type: ["string", "null"] } } };
  const cases: Array<[object, string]> = [[simple, "responseSchema"], [strict, "responseJsonSchema"], [refs, "responseJsonSchema"], [nullable, "responseJsonSchema"]];
  for (const [schema, field] of cases) {
    const forms = [
      { type: "json_schema", json_schema: { name: "place", strict: true, schema } },
      { type: "json_schema", json_schema: schema },
      schema,
    ];
    for (const response_format of forms) {
      const r = await plugin.exchange({
        request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.0-flash", messages: [{ role: "user", content: "Where?" }], response_format }) },
        upstream: () => ({ status: 200, headers: JSON_CT, body: geminiAnswer }),
      });
      assert.deepEqual(sent(r).generationConfig, { responseMimeType: "application/json", [field]: schema }, JSON.stringify(response_format));
    }
  }
  const refused: Array<[object, string]> = [
    [{ type: "xml" }, "response_format.type: must be text, json_schema or json_object"],
    [{ type: "json_schema", json_schema: "invalid" }, "invalid response_format.json_schema: must be an object, got a string"],
    [{ type: "json_schema", json_schema: { name: "x", schema: "{}" } }, "invalid response_format.json_schema: schema must be an object, got a string"],
  ];
  for (const [response_format, message] of refused) {
    const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "gemini-2.5-flash", messages: [{ role: "user", content: "Where?" }], response_format }) } });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.bodyText).error.message, message);
    assert.equal(r.upstreamRequest, null);
  }
});
