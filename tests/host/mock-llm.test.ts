// The built-in mock LLM speaks OpenAI chat/embeddings and Anthropic messages realistically.
import { test, after } from "node:test";
import * as assert from "node:assert/strict";
import { startMockLlm } from "../../host/mock-llm";

const mockP = startMockLlm();
after(async () => (await mockP).close());

async function post(path: string, body: object, headers: Record<string, string> = { authorization: "Bearer k" }) {
  const m = await mockP;
  const res = await fetch(m.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

const sse = (text: string) => text.split("\n\n").filter(Boolean);

test("OpenAI chat: non-streamed completion with usage; auth required", async () => {
  const r = await post("/v1/chat/completions", { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
  assert.equal(r.status, 200);
  const j = JSON.parse(r.text);
  assert.match(j.id, /^chatcmpl-/);
  assert.equal(j.object, "chat.completion");
  assert.equal(j.model, "gpt-4o-mini");
  assert.equal(j.choices[0].message.role, "assistant");
  assert.match(j.choices[0].message.content, /You said: hi$/);
  assert.equal(j.choices[0].finish_reason, "stop");
  assert.equal(j.usage.total_tokens, j.usage.prompt_tokens + j.usage.completion_tokens);
  const unauth = await post("/v1/chat/completions", { model: "m", messages: [] }, {});
  assert.equal(unauth.status, 401);
  assert.equal(JSON.parse(unauth.text).error.code, "invalid_api_key");
});

test("OpenAI chat stream: role chunk, content chunks, finish chunk, include_usage chunk, [DONE]", async () => {
  const r = await post("/v1/chat/completions", { model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "a b" }] });
  assert.equal(r.type, "text/event-stream");
  const events = sse(r.text);
  assert.equal(events.at(-1), "data: [DONE]");
  const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
  assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant", content: "", refusal: null });
  assert.equal(chunks[0].usage, null);
  const usage = chunks.at(-1);
  assert.deepEqual(usage.choices, []);
  assert.ok(usage.usage.completion_tokens > 0);
  assert.equal(chunks.at(-2).choices[0].finish_reason, "stop");
  const text = chunks.slice(1, -2).map((c) => c.choices[0].delta.content).join("");
  assert.match(text, /You said: a b$/);
  assert.ok(chunks.every((c) => c.id === chunks[0].id && c.object === "chat.completion.chunk"));
});

test("OpenAI tools: tool_calls with finish_reason tool_calls (plain and streamed)", async () => {
  const tools = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
  const r = JSON.parse((await post("/v1/chat/completions", { model: "m", tools, messages: [{ role: "user", content: "w?" }] })).text);
  assert.equal(r.choices[0].finish_reason, "tool_calls");
  assert.equal(r.choices[0].message.tool_calls[0].function.name, "get_weather");
  assert.deepEqual(JSON.parse(r.choices[0].message.tool_calls[0].function.arguments), { city: "mock" });
  const s = sse((await post("/v1/chat/completions", { model: "m", stream: true, tools, messages: [] })).text).slice(0, -1).map((e) => JSON.parse(e.slice(6)));
  const args = s.flatMap((c) => c.choices[0].delta.tool_calls ?? []).map((t: any) => t.function.arguments).join("");
  assert.deepEqual(JSON.parse(args), { city: "mock" });
  assert.equal(s.at(-1).choices[0].finish_reason, "tool_calls");
});

test("OpenAI embeddings: one vector per input, dimensions honoured, usage", async () => {
  const r = JSON.parse((await post("/v1/embeddings", { model: "text-embedding-3-small", input: ["a", "b"], dimensions: 8 })).text);
  assert.equal(r.object, "list");
  assert.equal(r.data.length, 2);
  assert.equal(r.data[1].index, 1);
  assert.equal(r.data[0].embedding.length, 8);
  assert.ok(r.usage.prompt_tokens > 0);
});

test("Anthropic messages: plain message and the real SSE event sequence", async () => {
  const h = { "x-api-key": "k", "anthropic-version": "2023-06-01" };
  const plain = JSON.parse((await post("/v1/messages", { model: "claude-x", max_tokens: 10, messages: [{ role: "user", content: "hey" }] }, h)).text);
  assert.match(plain.id, /^msg_01/);
  assert.equal(plain.type, "message");
  assert.equal(plain.stop_reason, "end_turn");
  assert.equal(plain.content[0].type, "text");
  assert.ok(plain.usage.input_tokens > 0 && plain.usage.output_tokens > 0);
  const events = sse((await post("/v1/messages", { model: "claude-x", stream: true, max_tokens: 10, messages: [{ role: "user", content: "hey" }] }, h)).text);
  const names = events.map((e) => e.split("\n")[0].replace("event: ", ""));
  const deltas = names.filter((n) => n === "content_block_delta").length;
  assert.ok(deltas >= 2);
  assert.deepEqual(names, ["message_start", "content_block_start", "ping", ...Array(deltas).fill("content_block_delta"), "content_block_stop", "message_delta", "message_stop"]);
  const unauth = await post("/v1/messages", { model: "m", messages: [] }, {});
  assert.equal(unauth.status, 401);
  assert.equal(JSON.parse(unauth.text).error.type, "authentication_error");
});

test("hooks: forced fault (n times), slow streaming, recorded requests", async () => {
  const m = await mockP;
  m.setFault({ status: 429, times: 1 });
  const r = await post("/v1/chat/completions", { model: "m", messages: [] });
  assert.equal(r.status, 429);
  assert.equal(JSON.parse(r.text).error.type, "rate_limit_exceeded");
  assert.equal((await post("/v1/chat/completions", { model: "m", messages: [] })).status, 200);
  m.options.chunkDelayMs = 30;
  const t0 = Date.now();
  await post("/v1/chat/completions", { model: "m", stream: true, messages: [{ role: "user", content: "x" }] });
  assert.ok(Date.now() - t0 >= 30 * 5);
  m.options.chunkDelayMs = 0;
  const last = m.requests.at(-1)!;
  assert.equal(last.path, "/v1/chat/completions");
  assert.equal((last.json as any).stream, true);
  assert.equal(last.headers.authorization, "Bearer k");
});
