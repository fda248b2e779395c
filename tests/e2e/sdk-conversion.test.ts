// The official SDKs through the gateway (on both runtimes) with protocol conversion, against the mock LLM speaking each
// provider's real wire format: @anthropic-ai/sdk → provider openai, and openai → provider claude.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startMockLlm, MockLlm } from "../../host/mock-llm";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

let mock: MockLlm;
before(async () => {
  mock = await startMockLlm({ reply: "The capital of France is Paris." });
});
after(() => mock?.close());

forEachRuntime((runtime: Runtime) => {
let toOpenAI: GatewayUnderTest;
let toClaude: GatewayUnderTest;

before(async () => {
  toOpenAI = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-openai-upstream"], modelMapping: { "claude-*": "gpt-4o", "*": "" } } }, { "api.openai.com": mock.url });
  toClaude = await startGateway(runtime, { provider: { type: "claude", apiTokens: ["sk-ant-upstream"], modelMapping: { "gpt-*": "claude-sonnet-4-5", "*": "" } } }, { "api.anthropic.com": mock.url });
});

after(async () => {
  await toOpenAI?.stop();
  await toClaude?.stop();
});

const weatherTool = {
  name: "get_weather",
  description: "Current weather for a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } }, required: ["city"] },
};

describe("@anthropic-ai/sdk against provider openai", () => {
  const client = () => new Anthropic({ baseURL: toOpenAI.url, apiKey: "client-anthropic-key", maxRetries: 0 });

  test("messages.create: text, stop reason and usage converted; the upstream saw an OpenAI request", async () => {
    mock.requests.length = 0;
    const msg = await client().messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Capital of France?" }] });
    assert.equal(msg.type, "message");
    assert.equal(msg.role, "assistant");
    assert.equal(msg.content[0].type, "text");
    assert.equal((msg.content[0] as any).text, "The capital of France is Paris.");
    assert.equal(msg.stop_reason, "end_turn");
    assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0, JSON.stringify(msg.usage));
    const seen = mock.requests.at(-1)!;
    assert.equal(seen.path, "/v1/chat/completions");
    assert.equal(seen.headers.authorization, "Bearer sk-openai-upstream");
    assert.equal(seen.headers["x-api-key"], undefined);
    assert.equal((seen.json as any).model, "gpt-4o");
  });

  test("messages.create with tools, then the tool result: tool_use in, tool message out", async () => {
    const first = await client().messages.create({ model: "claude-sonnet-4-5", max_tokens: 256, tools: [weatherTool], messages: [{ role: "user", content: "Weather in Paris?" }] });
    assert.equal(first.stop_reason, "tool_use");
    const use = first.content.find((b) => b.type === "tool_use") as Anthropic.ToolUseBlock;
    assert.ok(use && use.id && use.name === "get_weather");
    assert.equal(typeof use.input, "object");
    const second = await client().messages.create({
      model: "claude-sonnet-4-5", max_tokens: 256, tools: [weatherTool],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: use.id, content: "18°C, sunny" }] },
      ],
    });
    assert.equal(second.stop_reason, "end_turn");
    assert.equal(second.content[0].type, "text");
    const sent: any = mock.requests.at(-1)!.json;
    const toolMsg = sent.messages.find((m: any) => m.role === "tool");
    assert.equal(toolMsg.tool_call_id, use.id);
    assert.equal(toolMsg.content, "18°C, sunny");
    const assistant = sent.messages.find((m: any) => m.role === "assistant");
    assert.equal(assistant.tool_calls[0].id, use.id);
    assert.equal(typeof assistant.tool_calls[0].function.arguments, "string");
  });

  test("messages.stream: text deltas and the final message agree; tool_use streamed with its input", async () => {
    const stream = client().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Capital of France?" }] });
    let deltas = "";
    stream.on("text", (t) => (deltas += t));
    const final = await stream.finalMessage();
    assert.equal(deltas, "The capital of France is Paris.");
    assert.equal((final.content[0] as any).text, deltas);
    assert.equal(final.stop_reason, "end_turn");
    assert.ok(final.usage.output_tokens > 0, JSON.stringify(final.usage));

    const toolStream = client().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, tools: [weatherTool], messages: [{ role: "user", content: "Weather in Paris?" }] });
    const withTool = await toolStream.finalMessage();
    assert.equal(withTool.stop_reason, "tool_use");
    const use = withTool.content.find((b) => b.type === "tool_use") as Anthropic.ToolUseBlock;
    assert.deepEqual(use.input, { city: "mock" });
  });
});

describe("openai SDK against provider claude", () => {
  const client = () => new OpenAI({ baseURL: `${toClaude.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });

  test("chat.completions.create: text, finish reason and usage converted; the upstream saw an Anthropic request", async () => {
    mock.requests.length = 0;
    const done = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }] });
    assert.equal(done.object, "chat.completion");
    assert.equal(done.choices[0].message.content, "The capital of France is Paris.");
    assert.equal(done.choices[0].finish_reason, "stop");
    assert.ok(done.usage!.prompt_tokens > 0 && done.usage!.completion_tokens > 0);
    const seen = mock.requests.at(-1)!;
    assert.equal(seen.path, "/v1/messages");
    assert.equal(seen.headers["x-api-key"], "sk-ant-upstream");
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers["anthropic-version"], "2023-06-01");
    const sent: any = seen.json;
    assert.equal(sent.model, "claude-sonnet-4-5");
    assert.equal(typeof sent.max_tokens, "number");
    assert.equal(sent.system, "Be brief.");
  });

  test("streamed with tools: tool call id, name and arguments assembled; usage chunk when asked", async () => {
    const stream = await client().chat.completions.create({
      model: "gpt-4o", stream: true, stream_options: { include_usage: true },
      tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
      messages: [{ role: "user", content: "Weather in Paris?" }],
    });
    let id = "", name = "", args = "", finish = "", usage: any = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const c = chunk.choices[0];
      if (!c) continue;
      for (const tc of c.delta.tool_calls ?? []) {
        if (tc.id) id = tc.id;
        if (tc.function?.name) name += tc.function.name;
        if (tc.function?.arguments) args += tc.function.arguments;
      }
      if (c.finish_reason) finish = c.finish_reason;
    }
    assert.ok(id.length > 0);
    assert.equal(name, "get_weather");
    assert.deepEqual(JSON.parse(args), { city: "mock" });
    assert.equal(finish, "tool_calls");
    assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, JSON.stringify(usage));
  });

  test("streamed text arrives as deltas that add up to the answer", async () => {
    const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, messages: [{ role: "user", content: "Capital of France?" }] });
    let text = "";
    let finish = "";
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(text, "The capital of France is Paris.");
    assert.equal(finish, "stop");
  });
});
});
