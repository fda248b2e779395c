// The official OpenAI and Anthropic SDKs through the gateway (on both runtimes) to provider gemini, against the mock
// LLM speaking Gemini's wire format (host/mock-llm.ts): the upstream sees generateContent at the model's URL with
// x-goog-api-key, the SDKs get their own shapes back, streamed and not, tool calls included.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { startMockLlm, MockLlm } from "../../host/mock-llm";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

let mock: MockLlm;
before(async () => {
  mock = await startMockLlm({ reply: "The capital of France is Paris." });
});
after(() => mock?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { provider: { type: "gemini", apiTokens: ["AIza-upstream"], modelMapping: { "*": "gemini-2.5-flash" } } },
      { "generativelanguage.googleapis.com": mock.url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → gemini", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });

    test("chat.completions.create: text and usage; the upstream saw generateContent with x-goog-api-key only", async () => {
      mock.requests.length = 0;
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }] });
      assert.equal(r.choices[0].message.content, "The capital of France is Paris.");
      assert.equal(r.choices[0].finish_reason, "stop");
      assert.ok(r.usage!.prompt_tokens > 0 && r.usage!.completion_tokens > 0);
      const seen = mock.requests.at(-1)!;
      assert.equal(seen.path, "/v1beta/models/gemini-2.5-flash:generateContent");
      assert.equal(seen.headers["x-goog-api-key"], "AIza-upstream");
      assert.equal(seen.headers.authorization, undefined);
      assert.deepEqual((seen.json as any).systemInstruction, { parts: [{ text: "Be brief." }] });
    });

    test("streamed, with usage: chunks in order, usage chunk last", async () => {
      const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Capital of France?" }] });
      const { text, finish, usage } = await readChatStream(stream);
      assert.equal(text, "The capital of France is Paris.");
      assert.equal(finish, "stop");
      assert.ok(usage && usage.total_tokens > 0);
      assert.equal(mock.requests.at(-1)!.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    });

    test("tools: a functionCall comes back as a tool call; its result goes back as a functionResponse", async () => {
      const tools: OpenAI.ChatCompletionTool[] = [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }];
      const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: "user", content: "Weather in Paris?" }];
      const first = await client().chat.completions.create({ model: "gpt-4o", tools, messages });
      assert.equal(first.choices[0].finish_reason, "tool_calls");
      const call = first.choices[0].message.tool_calls![0] as any;
      assert.equal(call.function.name, "get_weather");
      assert.deepEqual(JSON.parse(call.function.arguments), { city: "mock" });
      messages.push(first.choices[0].message as OpenAI.ChatCompletionMessageParam, { role: "tool", tool_call_id: call.id, content: "18 degrees" });
      const second = await client().chat.completions.create({ model: "gpt-4o", tools, messages });
      assert.equal(second.choices[0].message.content, "The capital of France is Paris.");
      const sent = mock.requests.at(-1)!.json as any;
      assert.deepEqual(sent.contents[1].parts[0], { functionCall: { name: "get_weather", args: { city: "mock" } }, thoughtSignature: "bW9jay1zaWduYXR1cmU=" });
      assert.deepEqual(sent.contents[2], { role: "user", parts: [{ functionResponse: { name: "get_weather", response: { output: "18 degrees" } } }] });
    });
  });

  describe("@anthropic-ai/sdk → gemini (composed through OpenAI chat)", () => {
    const client = () => new Anthropic({ baseURL: gw.url, apiKey: "client-anthropic-key", maxRetries: 0 });

    test("messages.stream: Anthropic events, end_turn, usage", async () => {
      const stream = client().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Capital of France?" }] });
      const msg = await stream.finalMessage();
      assert.equal((msg.content[0] as Anthropic.TextBlock).text, "The capital of France is Paris.");
      assert.equal(msg.stop_reason, "end_turn");
      assert.ok(msg.usage.output_tokens > 0);
      const seen = mock.requests.at(-1)!;
      assert.equal(seen.path, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
      assert.equal(seen.headers["x-api-key"], undefined);
      assert.deepEqual((seen.json as any).generationConfig, { maxOutputTokens: 256 });
    });
  });
});
