// Higress's own ai-proxy end-to-end test (test/e2e/conformance/tests/go-wasm-ai-proxy.go), on both runtimes: its
// WasmPlugin configuration loaded unchanged (tests/fixtures/higress/conformance-wasmplugin.json, one `_rules_` item
// per matchRule, `_match_route_` the ingress), each route named after its Ingress and selected by the Host Higress's
// test sends, and every one of its 39 requests (same host, path and body) answered as its test expects. Higress's
// test runs against one echoing llm-mock; here each provider host is a mock of that provider's own wire format at its
// documented path with the configured token (anything else is a 404 / 401), echoing the last user text as the
// llm-mock does (`created` 10, id chatcmpl-llm-mock, usage 9/1/10).
//
// Where Higress passes the provider's OpenAI-format answer through, the client must get exactly Higress's expected
// body (JSON-equal; streams event by event, [DONE] included). Where Higress converts (MiniMax Pro, DashScope native,
// Dify), the client must read the same answer — text, model, finish reason, usage — in OpenAI's chunk and completion
// shapes: Higress's expected bodies there carry two defects we do not copy (Pro stream events are `chat.completion`
// objects with `message` instead of chunks with `delta`; Dify's last stream chunk repeats the whole text, so a client
// shows it twice). Cloudflare: Higress's rule has no cloudflareAccountId; Higress sends /client/v4/accounts//ai/…,
// which Cloudflare cannot route (its test passes only because the llm-mock ignores paths): the client gets a 500
// naming the missing field instead.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { higressPluginConfig } from "../support/higress";
import { ROOT } from "../support/plugin";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

interface Case { name: string; host: string; path: string; request: string; status: number; contentType: string; response: string }
const FIXTURES = path.join(ROOT, "tests", "fixtures", "higress");
const wasmPlugin = JSON.parse(fs.readFileSync(path.join(FIXTURES, "conformance-wasmplugin.json"), "utf8"));
const conformance: { routes: Record<string, string>; cases: Case[] } = JSON.parse(fs.readFileSync(path.join(FIXTURES, "conformance-cases.json"), "utf8"));

const TOKEN = "Bearer fake_token";
/** Each provider's documented chat endpoint, in OpenAI's format (Bearer key). */
const OPENAI_FORMAT: Record<string, string> = {
  "api.360.cn": "/v1/chat/completions", // https://ai.360.com/platform/docs/overview
  "api.baichuan-ai.com": "/v1/chat/completions", // https://platform.baichuan-ai.com/docs/api
  "qianfan.baidubce.com": "/v2/chat/completions", // https://cloud.baidu.com/doc/qianfan-api/s/3m7of64lb
  "api.deepseek.com": "/chat/completions", // https://api-docs.deepseek.com/api/create-chat-completion
  "ark.cn-beijing.volces.com": "/api/v3/chat/completions", // https://www.volcengine.com/docs/82379/1494384
  "models.github.ai": "/inference/chat/completions", // https://docs.github.com/rest/models/inference
  "api.groq.com": "/openai/v1/chat/completions", // https://console.groq.com/docs/openai
  "api.minimaxi.com": "/v1/text/chatcompletion_v2", // https://platform.minimaxi.com/document/ChatCompletion%20v2
  "api.mistral.ai": "/v1/chat/completions", // https://docs.mistral.ai/api/
  "dashscope.aliyuncs.com": "/compatible-mode/v1/chat/completions", // https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope
  "api.stepfun.com": "/v1/chat/completions", // https://platform.stepfun.com/docs/zh/api-reference/chat/chat-completion-create
  "api.together.xyz": "/v1/chat/completions", // https://docs.together.ai/reference/chat-completions-1
  "api.lingyiwanwu.com": "/v1/chat/completions", // https://platform.lingyiwanwu.com/docs/api-reference
  "open.bigmodel.cn": "/api/paas/v4/chat/completions", // https://docs.bigmodel.cn/api-reference
  "api.x.ai": "/v1/chat/completions", // https://docs.x.ai/docs/api-reference
  "api.openai.com": "/v1/chat/completions", // https://platform.openai.com/docs/api-reference/chat/create
};
// MiniMax ChatCompletion Pro: https://platform.minimaxi.com/document/ChatCompletion%20Pro (GroupId in the query), at
// api.minimax.chat, the host Higress sends MiniMax to (MiniMax serves the same API there and at api.minimaxi.com).
const MINIMAX_PRO = "/v1/text/chatcompletion_pro?GroupId=1";
// DashScope native text generation: https://help.aliyun.com/zh/model-studio/qwen-api-reference
const DASHSCOPE_NATIVE = "/api/v1/services/aigc/text-generation/generation";
// Dify Completion app: https://docs.dify.ai/en/openapi-api-access-readme (POST /v1/completion-messages).
const DIFY_COMPLETION = "/v1/completion-messages";
/** Every provider host the plugin may send to (Cloudflare's included: nothing may reach it). */
const PROVIDER_HOSTS = [...Object.keys(OPENAI_FORMAT), "api.minimax.chat", "api.dify.ai", "api.cloudflare.com"];

const USAGE = { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 };
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

function lastText(messages: any[], key = "content"): string {
  const m = [...messages].reverse().find((x) => typeof x[key] === "string");
  return m ? m[key] : "";
}

/** Higress's llm-mock in OpenAI's format: the echo, whole or one character per chunk (then the usage chunk when asked). */
function openaiAnswer(res: http.ServerResponse, body: any): void {
  const text = lastText(body.messages ?? []);
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "chatcmpl-llm-mock", choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop", logprobs: null }], created: 10, model: body.model, object: "chat.completion", usage: USAGE }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chars = Array.from(text);
  chars.forEach((c, i) => res.write(sse({ id: "chatcmpl-llm-mock", choices: [{ index: 0, delta: { content: c }, finish_reason: i === chars.length - 1 ? "stop" : null, logprobs: null }], created: 10, model: body.model, object: "chat.completion.chunk", usage: null })));
  if (body.stream_options?.include_usage) res.write(sse({ id: "chatcmpl-llm-mock", choices: [], created: 10, model: body.model, object: "chat.completion.chunk", usage: USAGE }));
  res.end("data: [DONE]\n\n");
}

/** ChatCompletion Pro: BOT messages in choices[0].messages; streams end with the whole reply, finish and usage. */
function minimaxProAnswer(res: http.ServerResponse, body: any): void {
  const text = lastText(body.messages ?? [], "text");
  const bot = (t: string) => [{ sender_type: "BOT", sender_name: "MM智能助理", text: t }];
  const ok = { status_code: 0, status_msg: "success" };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ created: 10, model: body.model, reply: text, choices: [{ finish_reason: "stop", messages: bot(text) }], usage: { total_tokens: 10 }, input_sensitive: false, output_sensitive: false, id: "chatcmpl-llm-mock", base_resp: ok }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const c of Array.from(text)) res.write(sse({ created: 10, model: body.model, reply: "", choices: [{ messages: bot(c) }], output_sensitive: false, id: "chatcmpl-llm-mock" }));
  res.end(sse({ created: 10, model: body.model, reply: text, choices: [{ finish_reason: "stop", messages: bot(text) }], usage: { total_tokens: 10 }, input_sensitive: false, output_sensitive: false, id: "chatcmpl-llm-mock", base_resp: ok }));
}

/** DashScope native (result_format message): output.choices; incremental SSE when X-DashScope-SSE is enable. */
function dashscopeAnswer(res: http.ServerResponse, body: any, sseOn: boolean): void {
  const text = lastText(body.input?.messages ?? []);
  const usage = { input_tokens: 9, output_tokens: 1, total_tokens: 10 };
  const out = (content: string, finish: string) => ({ output: { choices: [{ finish_reason: finish, message: { role: "assistant", content } }] }, usage, request_id: "chatcmpl-llm-mock" });
  if (!sseOn) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(out(text, "stop")));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chars = Array.from(text);
  chars.forEach((c, i) => res.write(`id:${i + 1}\nevent:result\n:HTTP_STATUS/200\ndata:${JSON.stringify(out(c, i === chars.length - 1 ? "stop" : "null"))}\n\n`));
  res.end();
}

/** Dify Completion app: the answer echoes inputs.query; streams are message events then message_end with usage. */
function difyAnswer(res: http.ServerResponse, body: any): void {
  const text: string = body.inputs?.query ?? "";
  const usage = { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 };
  if (body.response_mode !== "streaming") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ event: "message", message_id: "chatcmpl-llm-mock", mode: "completion", answer: text, metadata: { usage }, created_at: 10 }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  for (const c of Array.from(text)) res.write(sse({ event: "message", message_id: "chatcmpl-llm-mock", answer: c, created_at: 10 }));
  res.end(sse({ event: "message_end", id: "chatcmpl-llm-mock", message_id: "chatcmpl-llm-mock", metadata: { usage } }));
}

const seen: { host: string; path: string }[] = [];
let upstream: TestUpstream;
before(async () => {
  upstream = await startUpstream((req: http.IncomingMessage, raw: string, res: http.ServerResponse) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    seen.push({ host, path: req.url! });
    if (req.headers.authorization !== TOKEN) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "invalid key", type: "invalid_request_error" } }));
      return;
    }
    const body = JSON.parse(raw);
    if (host === "api.minimax.chat" && req.url === MINIMAX_PRO) return minimaxProAnswer(res, body);
    if (host === "dashscope.aliyuncs.com" && req.url === DASHSCOPE_NATIVE) return dashscopeAnswer(res, body, req.headers["x-dashscope-sse"] === "enable");
    if (host === "api.dify.ai" && req.url === DIFY_COMPLETION) return difyAnswer(res, body);
    if (OPENAI_FORMAT[host] === req.url) return openaiAnswer(res, body);
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `no route ${req.url} on ${host}` } }));
  });
});
after(async () => { await upstream?.close(); });

/** POST with Higress's test's Host header (fetch cannot set Host). */
function send(gw: GatewayUnderTest, c: Case): Promise<{ status: number; contentType: string; body: string }> {
  const u = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: "POST", path: c.path, headers: { host: c.host, "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d) => chunks.push(d));
      res.on("end", () => resolve({ status: res.statusCode!, contentType: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(c.request);
  });
}

const events = (body: string) => body.split("\n\n").map((e) => e.trim()).filter((e) => e.length > 0).map((e) => e.replace(/^data: ?/, ""));

/**
 * What a client reads from an answer: text, model, finish reason, total tokens (MiniMax Pro documents only
 * usage.total_tokens, so the prompt / completion split of Higress's mock is not on its wire).
 */
function reading(body: string, stream: boolean) {
  if (!stream) {
    const o = JSON.parse(body);
    return { text: o.choices[0].message.content, model: o.model, finish: o.choices[0].finish_reason, total: o.usage ? o.usage.total_tokens : null };
  }
  let text = "", model = "", finish = "";
  for (const e of events(body)) {
    if (e === "[DONE]") continue;
    const o = JSON.parse(e);
    model = o.model;
    for (const ch of o.choices ?? []) {
      text += ch.delta?.content ?? "";
      if (ch.finish_reason) finish = ch.finish_reason;
    }
  }
  return { text, model, finish };
}

/** The rules Higress converts answers for (its MiniMax Pro, DashScope native and Dify providers). */
const CONVERTED = new Set(["higress-conformance-ai-backend/wasmplugin-ai-proxy-minimax-pro-api", "higress-conformance-ai-backend/wasmplugin-ai-proxy-qwen", "higress-conformance-ai-backend/wasmplugin-ai-proxy-dify"]);
/** The echo Higress's test expects for a rule: the content of its non-streaming case. */
function echoOf(route: string): string {
  const c = conformance.cases.find((x) => conformance.routes[x.host] === route && x.contentType === "application/json")!;
  return JSON.parse(c.response).choices[0].message.content;
}

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    // The configuration exactly as Higress hands it to the plugin; routes named as Higress names them.
    gw = await startGateway(runtime, higressPluginConfig(wasmPlugin.spec), Object.fromEntries(PROVIDER_HOSTS.map((h) => [h, upstream.url])), { routes: conformance.routes });
  });
  after(async () => { await gw?.stop(); });

  describe("Higress's ai-proxy conformance test", () => {
    test("its configuration loads with no rule disabled", () => {
      assert.doesNotMatch(gw.output(), /is disabled/);
      assert.equal(conformance.cases.length, 39);
    });

    for (const c of conformance.cases) {
      test(c.name, async () => {
        const route = conformance.routes[c.host];
        const stream = c.contentType === "text/event-stream";
        const from = seen.length;
        const r = await send(gw, c);
        if (route.endsWith("-cloudflare")) {
          assert.equal(r.status, 500);
          assert.equal(JSON.parse(r.body).error.message, "provider cloudflare: cloudflareAccountId is not configured (Cloudflare's Workers AI URL names the account)");
          assert.equal(seen.length, from, "nothing reaches Cloudflare");
          return;
        }
        assert.equal(r.status, c.status, r.body);
        assert.equal(r.contentType.split(";")[0], c.contentType);
        assert.equal(seen.length, from + 1, "one upstream request");
        if (!CONVERTED.has(route)) {
          // Passed through: exactly what Higress's test expects.
          if (stream) assert.deepEqual(events(r.body).map((e) => (e === "[DONE]" ? e : JSON.parse(e))), events(c.response).map((e) => (e === "[DONE]" ? e : JSON.parse(e))));
          else assert.deepEqual(JSON.parse(r.body), JSON.parse(c.response));
          return;
        }
        const got = reading(r.body, stream);
        if (!stream) {
          assert.deepEqual(got, reading(c.response, false));
        } else {
          assert.equal(got.text, echoOf(route), "the echo once");
          assert.equal(got.model, JSON.parse(events(c.response)[0]).model);
          assert.equal(got.finish, "stop");
          assert.equal(events(r.body).at(-1), "[DONE]");
        }
      });
    }
  });
});
