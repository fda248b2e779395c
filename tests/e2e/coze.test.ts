// Coze end to end on both runtimes: the official OpenAI and Anthropic SDKs through the gateway to a mock of Coze's chat
// API v3 (https://www.coze.cn/open/docs/developer_guides/chat_v3): POST /v3/chat with the token as Bearer, answered in
// conversation.* events split at arbitrary bytes; a client asking for one answer gets the stream collected. Seed 001's
// `protocol: original` example: the client's own Coze API calls reach api.coze.cn with the configured token.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

const BOT = "7379462189365198898";
const TOKEN = "pat_coze_test_token";
const CHAT = { id: "7382159487131697202", conversation_id: "7381473525342978089", bot_id: BOT };
const MESSAGE = { id: "7382159494123470858", conversation_id: CHAT.conversation_id, bot_id: BOT, role: "assistant", content_type: "text", chat_id: CHAT.id };

/** The documented event stream: chat created/in_progress, answer deltas, the completed answer, chat completed, done. */
function events(parts: string[]): string {
  const ev = (name: string, data: unknown) => `event:${name}\ndata:${JSON.stringify(data)}\n\n`;
  let s = ev("conversation.chat.created", { ...CHAT, created_at: 1718792949, status: "created" });
  s += ev("conversation.chat.in_progress", { ...CHAT, created_at: 1718792949, status: "in_progress" });
  for (const p of parts) s += ev("conversation.message.delta", { ...MESSAGE, type: "answer", content: p });
  s += ev("conversation.message.completed", { ...MESSAGE, type: "answer", content: parts.join("") });
  s += ev("conversation.message.completed", { ...MESSAGE, id: "7382159845345083436", type: "follow_up", content: "还有什么问题？" });
  s += ev("conversation.chat.completed", { ...CHAT, created_at: 1718792949, status: "completed", usage: { token_count: 42, output_count: 12, input_count: 30 } });
  return s + 'event:done\ndata:"[DONE]"\n\n';
}

let server: http.Server;
let url = "";
const seen: { method: string; path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        // Coze's error envelope (code 4100: authentication is invalid).
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 4100, msg: "authentication is invalid" }));
        return;
      }
      if (req.method === "GET" && req.url!.startsWith("/v1/bots/")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 0, msg: "", data: { bot_id: BOT, name: "calendar" } }));
        return;
      }
      const parsed = JSON.parse(body);
      if (req.url!.split("?")[0] !== "/v3/chat" || parsed.stream !== true) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 4000, msg: "unexpected request" }));
        return;
      }
      if (parsed.bot_id !== BOT) {
        // Coze answers an unknown bot with HTTP 200 and its error envelope.
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: 4200, msg: "Bot not found" }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" });
      const text = Buffer.from(events(["2024年10月1日", "是星期二。"]));
      // Split inside events and inside UTF-8 sequences.
      for (let i = 0; i < text.length; i += 37) {
        res.write(text.subarray(i, i + 37));
        await new Promise((r) => setImmediate(r));
      }
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  let original: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { provider: { type: "coze", apiTokens: [TOKEN], modelMapping: { "*": BOT } } }, { "api.coze.cn": url });
    original = await startGateway(runtime, { provider: { type: "coze", apiTokens: [TOKEN], protocol: "original" } }, { "api.coze.cn": url });
  });
  after(async () => {
    await gw?.stop();
    await original?.stop();
  });

  describe("openai SDK → coze bot", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });

    test("one answer: the stream collected into a chat.completion", async () => {
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "2024年10月1日是星期几" }] });
      assert.equal(r.choices[0].message.content, "2024年10月1日是星期二。");
      assert.equal(r.choices[0].finish_reason, "stop");
      assert.equal(r.id, CHAT.id);
      assert.equal(r.model, BOT);
      assert.deepEqual([r.usage!.prompt_tokens, r.usage!.completion_tokens, r.usage!.total_tokens], [30, 12, 42]);
      const sent = seen.at(-1)!;
      assert.equal(sent.path, "/v3/chat");
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`, "the configured token, never the client's");
      assert.deepEqual(JSON.parse(sent.body), {
        bot_id: BOT, user_id: "ai-proxy", stream: true, auto_save_history: false,
        additional_messages: [{ role: "user", content: "2024年10月1日是星期几", content_type: "text", type: "question" }],
      });
    });

    test("streaming with usage", async () => {
      const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "2024年10月1日是星期几" }] });
      const { deltas, finish, usage } = await readChatStream(stream);
      assert.deepEqual(deltas, ["2024年10月1日", "是星期二。"], "the follow_up suggestion and the completed answer are not repeated");
      assert.equal(finish, "stop");
      assert.equal(usage!.total_tokens, 42);
    });

    test("Coze's error envelope with HTTP 200 (an unknown bot) is an OpenAI error", async () => {
      // Without modelMapping the client's model names the bot.
      const bad = await startGateway(runtime, { provider: { type: "coze", apiTokens: [TOKEN] } }, { "api.coze.cn": url });
      try {
        const r = await fetch(`${bad.url}/v1/chat/completions`, {
          method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-key" },
          body: JSON.stringify({ model: "no-such-bot", messages: [{ role: "user", content: "hi" }] }),
        });
        assert.equal(r.status, 400);
        const body = (await r.json()) as { error: { message: string; code: string } };
        assert.equal(body.error.message, "Bot not found");
        assert.equal(body.error.code, "4200");
      } finally {
        await bad.stop();
      }
    });
  });

  describe("anthropic SDK → coze bot (composed through OpenAI chat)", () => {
    const client = () => new Anthropic({ baseURL: gw.url, apiKey: "client-anthropic-key", maxRetries: 0 });

    test("messages.create", async () => {
      const msg = await client().messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "2024年10月1日是星期几" }] });
      assert.equal((msg.content[0] as Anthropic.TextBlock).text, "2024年10月1日是星期二。");
      assert.equal(msg.stop_reason, "end_turn");
      assert.deepEqual([msg.usage.input_tokens, msg.usage.output_tokens], [30, 12]);
      assert.equal(seen.at(-1)!.headers["x-api-key"], undefined);
    });

    test("messages.stream", async () => {
      const stream = client().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "2024年10月1日是星期几" }] });
      const msg = await stream.finalMessage();
      assert.equal((msg.content[0] as Anthropic.TextBlock).text, "2024年10月1日是星期二。");
      assert.equal(msg.stop_reason, "end_turn");
    });
  });

  describe("protocol: original (seed 001)", () => {
    test("the client's own Coze call reaches api.coze.cn with the configured token, path and body as sent", async () => {
      const body = JSON.stringify({ bot_id: BOT, user_id: "u1", stream: true, additional_messages: [{ role: "user", content: "hi", content_type: "text" }] });
      const res = await fetch(`${original.url}/v3/chat?conversation_id=7374752000116113452`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-key" }, body });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /event:conversation\.chat\.completed/);
      const sent = seen.at(-1)!;
      assert.equal(sent.path, "/v3/chat?conversation_id=7374752000116113452");
      assert.equal(sent.body, body);
      assert.equal(sent.headers.authorization, `Bearer ${TOKEN}`);
    });
  });
});
