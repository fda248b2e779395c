// Coze (type coze) through build/ai-proxy.wasm in the host: what the bot cannot take is refused naming the field, and
// Coze's failures (https://www.coze.cn/open/docs/developer_guides/chat_v3: conversation.chat.failed with last_error,
// the error event, requires_action; the {code, msg} envelope) reach the client as OpenAI errors, streamed or not.
// The documented exchanges themselves are goldens (tests/fixtures/translate/o2c-*).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, requestHeaders, startPlugin } from "../support/plugin";

const BOT = "7379462189365198898";
const config = { allowOnHeadersStopIteration: true, provider: { type: "coze", apiTokens: ["pat_x"], modelMapping: { "*": BOT } } };
const SSE: Array<[string, string]> = [["content-type", "text/event-stream"]];
const ev = (name: string, data: object | string) => `event:${name}\ndata:${typeof data === "string" ? data : json(data)}\n\n`;
const created = ev("conversation.chat.created", { id: "chat-1", conversation_id: "conv-1", bot_id: BOT, created_at: 1718792949, status: "created" });
const delta = (content: string) => ev("conversation.message.delta", { id: "m1", role: "assistant", type: "answer", content, content_type: "text", chat_id: "chat-1" });

async function send(body: object, upstream?: () => { status: number; headers: Array<[string, string]>; body: any }) {
  // Envoy >= 1.35 holds response headers until the body decides the status (allow_on_headers_stop_iteration).
  const { plugin } = await startPlugin(config, { allowOnHeadersStopIteration: true });
  let calls = 0;
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json(body) },
    upstream: () => { calls++; return upstream ? upstream() : { status: 200, headers: SSE, body: created }; },
  });
  return { r, calls };
}

test("tools, tool results, images and n > 1 are refused naming the field; nothing reaches Coze", async () => {
  const user = { role: "user", content: "hi" };
  const cases: Array<[object, string]> = [
    [{ model: "m", messages: [user], tools: [{ type: "function", function: { name: "f", parameters: {} } }] }, "tools: has no counterpart on a Coze bot (the provider's dropUnsupportedParams drops it instead)"],
    [{ model: "m", messages: [user, { role: "assistant", content: null, tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }] }, { role: "tool", tool_call_id: "c", content: "1" }] }, "messages.1.tool_calls: have no counterpart on a Coze bot"],
    [{ model: "m", messages: [{ role: "tool", tool_call_id: "c", content: "1" }] }, "messages.0.role: tool results have no counterpart on a Coze bot"],
    [{ model: "m", messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] }] }, "messages.0.content.0: only text parts reach a Coze bot"],
    [{ model: "m", messages: [user], n: 2 }, "n: has no counterpart on a Coze bot (the provider's dropUnsupportedParams drops it instead)"],
  ];
  for (const [body, message] of cases) {
    const { r, calls } = await send(body);
    assert.equal(calls, 0);
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.bodyText).error.message, message);
  }
});

test("a failed chat mid-stream ends the OpenAI stream with an error chunk and [DONE]", async () => {
  const sse = created + delta("Hel") + ev("conversation.chat.failed", { id: "chat-1", status: "failed", last_error: { code: 4011, msg: "The bot's balance is insufficient" } });
  const { r } = await send({ model: "m", stream: true, messages: [{ role: "user", content: "hi" }] }, () => ({ status: 200, headers: SSE, body: [Buffer.from(sse)] }));
  const events = r.bodyText.split("\n\n").filter((e: string) => e.length > 0).map((e: string) => e.slice("data: ".length));
  assert.equal(JSON.parse(events[1]).choices[0].delta.content, "Hel");
  assert.match(events.at(-2)!, /The bot's balance is insufficient/);
  assert.equal(events.at(-1), "[DONE]");
});

test("one answer: a failed chat, an error event or requires_action becomes an OpenAI error with its status", async () => {
  const cases: Array<[string, number, string]> = [
    [ev("conversation.chat.failed", { id: "chat-1", status: "failed", last_error: { code: 4011, msg: "The bot's balance is insufficient" } }), 400, "The bot's balance is insufficient"],
    [ev("error", { code: 5000, msg: "internal error" }), 502, "internal error"],
    [ev("conversation.chat.requires_action", { id: "chat-1", status: "requires_action" }), 502, "the bot waits for a client-side plugin's output (requires_action), which an OpenAI client cannot submit"],
  ];
  for (const [tail, status, message] of cases) {
    const { r } = await send({ model: "m", messages: [{ role: "user", content: "hi" }] }, () => ({ status: 200, headers: SSE, body: [Buffer.from(created + delta("Hel") + tail)] }));
    assert.equal(r.status, status, tail);
    assert.equal(JSON.parse(r.bodyText).error.message, message);
  }
});

test("one answer: a stream cut before chat.completed is a 502, not a partial answer", async () => {
  const { r } = await send({ model: "m", messages: [{ role: "user", content: "hi" }] }, () => ({ status: 200, headers: SSE, body: [Buffer.from(created + delta("Hel"))] }));
  assert.equal(r.status, 502);
  assert.equal(JSON.parse(r.bodyText).error.message, "upstream stream ended before the chat completed");
});

test("Coze's {code, msg} envelope: 401 for an invalid token (HTTP 401 or 200), the code kept", async () => {
  for (const status of [401, 200]) {
    const { r } = await send({ model: "m", messages: [{ role: "user", content: "hi" }] }, () => ({ status, headers: [["content-type", "application/json"]], body: json({ code: 4100, msg: "authentication is invalid" }) }));
    assert.equal(r.status, 401);
    assert.deepEqual(JSON.parse(r.bodyText).error.message, "authentication is invalid");
    assert.equal(JSON.parse(r.bodyText).error.code, "4100");
  }
});
