// Higress ai-proxy's conversation options (its README and provider.go): contextCleanupCommands,
// mergeConsecutiveMessages, promoteThinkingOnEmpty, hiclawMode (both of the latter two), zhipuCodePlanMode.
// Exact upstream requests and exact client answers.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, requestHeaders, startPlugin } from "../support/plugin";

const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const SSE: Array<[string, string]> = [["content-type", "text/event-stream"]];
const completion = (message: object) => ({
  id: "chatcmpl-1", object: "chat.completion", created: 1714807624, model: "deepseek-reasoner",
  choices: [{ index: 0, message: { role: "assistant", ...message }, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
});

async function sent(config: object, body: object, path = "/v1/chat/completions", extra: Array<[string, string]> = []) {
  const { plugin } = await startPlugin(config);
  const r = await plugin.exchange({
    request: { headers: requestHeaders(path, extra), body: json(body) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(completion({ content: "ok" })) }),
  });
  assert.equal(r.trap, null);
  return { up: r.upstreamRequest!, body: JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()) };
}

test("contextCleanupCommands: the last user message that is a command drops itself and every non-system message before it", async () => {
  const config = { provider: { type: "openai", apiTokens: ["sk-1"], contextCleanupCommands: ["/clear", "清除上下文"] } };
  const { body } = await sent(config, {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: "What is 2+2?" },
      { role: "assistant", content: "4" },
      { role: "user", content: "/clear" },
      { role: "user", content: "Name a colour." },
    ],
  });
  assert.deepEqual(body.messages, [{ role: "system", content: "You are terse." }, { role: "user", content: "Name a colour." }]);
  // A command inside a conversation is not a command: only whole messages match.
  const kept = await sent(config, { model: "gpt-4o", messages: [{ role: "user", content: "please /clear this" }] });
  assert.deepEqual(kept.body.messages, [{ role: "user", content: "please /clear this" }]);
});

test("contextCleanupCommands: an Anthropic client's text-block command clears the conversation before it is converted", async () => {
  const config = { provider: { type: "openai", apiTokens: ["sk-1"], contextCleanupCommands: ["/clear"] } };
  const { body } = await sent(config, {
    model: "gpt-4o", max_tokens: 100, system: "Be brief.",
    messages: [
      { role: "user", content: "old question" },
      { role: "assistant", content: "old answer" },
      { role: "user", content: [{ type: "text", text: "/clear" }] },
      { role: "assistant", content: "Cleared." },
      { role: "user", content: "new question" },
    ],
  }, "/v1/messages");
  assert.deepEqual(body.messages, [
    { role: "system", content: "Be brief." },
    { role: "assistant", content: "Cleared." },
    { role: "user", content: "new question" },
  ]);
});

test("mergeConsecutiveMessages: consecutive user (or assistant) turns become one; strings joined by a blank line, blocks concatenated", async () => {
  const config = { provider: { type: "openai", apiTokens: ["sk-1"], mergeConsecutiveMessages: true } };
  const { body } = await sent(config, {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "S" },
      { role: "user", content: "first" },
      { role: "user", content: "second" },
      { role: "assistant", content: "A1" },
      { role: "assistant", content: [{ type: "text", text: "A2" }] },
      { role: "user", content: "look", name: "u" },
      { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] },
    ],
  });
  assert.deepEqual(body.messages, [
    { role: "system", content: "S" },
    { role: "user", content: "first\n\nsecond" },
    { role: "assistant", content: [{ type: "text", text: "A1" }, { type: "text", text: "A2" }] },
    { role: "user", content: [{ type: "text", text: "look" }, { type: "image_url", image_url: { url: "https://example.com/a.png" } }], name: "u" },
  ]);
});

test("mergeConsecutiveMessages: tool calls and tool results keep their own turns", async () => {
  const config = { provider: { type: "openai", apiTokens: ["sk-1"], mergeConsecutiveMessages: true } };
  const messages = [
    { role: "user", content: "weather?" },
    { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "w", arguments: "{}" } }] },
    { role: "tool", tool_call_id: "c1", content: "sunny" },
    { role: "assistant", content: "It is sunny." },
  ];
  const { body } = await sent(config, { model: "gpt-4o", messages });
  assert.deepEqual(body.messages, messages);
});

test("without the options the request body goes upstream byte for byte", async () => {
  const raw = `{"model":"gpt-4o","messages":[{"role":"user","content":"a"},{"role":"user","content":"/clear"}]}`;
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-1"] } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: raw },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(completion({ content: "ok" })) }),
  });
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), raw);
});

test("promoteThinkingOnEmpty: a whole answer with reasoning and no text gets the reasoning as its content", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepseek", apiTokens: ["sk-1"], promoteThinkingOnEmpty: true } });
  const ask = { model: "deepseek-reasoner", messages: [{ role: "user", content: "hi" }] };
  const empty = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json(ask) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(completion({ content: "", reasoning_content: "Hello there." })) }),
  });
  assert.deepEqual(JSON.parse(empty.bodyText), completion({ content: "Hello there." }));
  const full = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json(ask) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(completion({ content: "Hi!", reasoning_content: "greet" })) }),
  });
  assert.deepEqual(JSON.parse(full.bodyText), completion({ content: "Hi!", reasoning_content: "greet" }));
});

const chunk = (delta: object, finish: string | null = null) =>
  `data: ${json({ id: "c1", object: "chat.completion.chunk", created: 1700000000, model: "deepseek-reasoner", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

test("promoteThinkingOnEmpty (hiclawMode): a stream without text gets one content chunk before the finishing chunk; reasoning still streams", async () => {
  const { plugin } = await startPlugin({ provider: { type: "deepseek", apiTokens: ["sk-1"], hiclawMode: true } });
  const upstream = chunk({ role: "assistant", content: null, reasoning_content: "Hello" }) + chunk({ reasoning_content: " there." }) +
    chunk({}, "stop") + "data: [DONE]\n\n";
  const bytes = Buffer.from(upstream);
  const pieces = [bytes.subarray(0, 37), bytes.subarray(37, 150), bytes.subarray(150)];
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "deepseek-reasoner", stream: true, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: SSE, body: pieces }),
  });
  assert.equal(r.bodyText,
    chunk({ role: "assistant", content: null, reasoning_content: "Hello" }) + chunk({ reasoning_content: " there." }) +
    chunk({ content: "Hello there." }) + chunk({}, "stop") + "data: [DONE]\n\n");
  // A stream with text is left as it is.
  const withText = chunk({ reasoning_content: "think" }) + chunk({ content: "Hi" }) + chunk({}, "stop") + "data: [DONE]\n\n";
  const t = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "deepseek-reasoner", stream: true, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: SSE, body: withText }),
  });
  assert.equal(t.bodyText, withText);
});

test("zhipuCodePlanMode: chat goes to the GLM Coding Plan endpoint; Anthropic clients keep the Anthropic endpoint", async () => {
  const config = { provider: { type: "zhipuai", apiTokens: ["zk-1"], zhipuCodePlanMode: true } };
  const chat = await sent(config, { model: "glm-4.6", messages: [{ role: "user", content: "hi" }] });
  assert.equal(chat.up.authority, "open.bigmodel.cn");
  assert.equal(chat.up.path, "/api/coding/paas/v4/chat/completions");
  const plain = await sent({ provider: { type: "zhipuai", apiTokens: ["zk-1"] } }, { model: "glm-4.6", messages: [{ role: "user", content: "hi" }] });
  assert.equal(plain.up.path, "/api/paas/v4/chat/completions");
});

test("promoteThinkingOnEmpty, Anthropic client of a converted answer: a text block with the thinking follows the thinking blocks", async () => {
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-1"], promoteThinkingOnEmpty: true } });
  const ask = { model: "deepseek-reasoner", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json(ask) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: json(completion({ content: "", reasoning_content: "Hello there." })) }),
  });
  const message = JSON.parse(r.bodyText);
  assert.equal(message.type, "message");
  const blocks = message.content as Array<{ type: string; text?: string; thinking?: string }>;
  assert.equal(blocks.filter((b) => b.type === "thinking").map((b) => b.thinking).join(""), "Hello there.");
  assert.deepEqual(blocks[blocks.length - 1], { type: "text", text: "Hello there." });
  const s = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ ...ask, stream: true }) },
    upstream: () => ({ status: 200, headers: SSE, body: chunk({ role: "assistant", content: null, reasoning_content: "Hello" }) + chunk({ reasoning_content: " there." }) + chunk({}, "stop") + "data: [DONE]\n\n" }),
  });
  const events = s.bodyText.split("\n\n").filter((e) => e.length > 0).map((e) => ({ name: /^event: (.*)$/m.exec(e)![1], data: JSON.parse(/^data: (.*)$/m.exec(e)![1]) }));
  const at = events.findIndex((e) => e.name === "message_delta");
  const textStart = events.findIndex((e) => e.name === "content_block_start" && e.data.content_block.type === "text");
  assert.ok(textStart > 0 && textStart < at, s.bodyText);
  const index = events[textStart].data.index;
  assert.ok(events.slice(0, textStart).every((e) => e.data.index === undefined || e.data.index < index), "a new block index");
  assert.deepEqual(events.slice(textStart, textStart + 3).map((e) => e.data), [
    { type: "content_block_start", index, content_block: { type: "text", text: "" } },
    { type: "content_block_delta", index, delta: { type: "text_delta", text: "Hello there." } },
    { type: "content_block_stop", index },
  ]);
  assert.equal(events[events.length - 1].name, "message_stop");
});
