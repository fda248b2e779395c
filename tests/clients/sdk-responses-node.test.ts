// The official Node `openai` SDK's Responses API (responses.create, responses.stream) through the gateway on every
// runtime, to three upstreams: openai (passed through), deepseek (Chat Completions only: converted) and claude
// (converted to Messages). Text with reasoning, a function tool round trip, structured output; whole and streamed.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import OpenAI from "openai";
import { forEachRuntime } from "../support/runtimes";
import { ResponsesGateways, startResponsesGateways, TOOL_ARGS, WEATHER_JSON } from "./responses-mocks";

const SCHEMA = { type: "object", properties: { city: { type: "string" }, celsius: { type: "number" } }, required: ["city", "celsius"], additionalProperties: false };
const TOOLS: any[] = [{ type: "function", name: "get_weather", description: "Current weather in a city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true }];

type Upstream = "native" | "chat" | "claude";
/** What each upstream must receive: path, credential header and the mapped model. */
const EXPECT: Record<Upstream, { path: string; auth: [string, string]; model: string }> = {
  native: { path: "/v1/responses", auth: ["authorization", "Bearer sk-openai-upstream"], model: "gpt-5.2" },
  chat: { path: "/chat/completions", auth: ["authorization", "Bearer sk-deepseek-upstream"], model: "deepseek-reasoner" },
  claude: { path: "/v1/messages", auth: ["x-api-key", "sk-ant-upstream"], model: "claude-sonnet-4-5" },
};

forEachRuntime((runtime) => {
  describe("official Node openai SDK, Responses API, through the gateway", () => {
    let gw: ResponsesGateways;
    before(async () => { gw = await startResponsesGateways(runtime); });
    after(() => gw?.stop());

    const client = (u: Upstream) => new OpenAI({ baseURL: gw[u].url + "/v1", apiKey: "sk-client", maxRetries: 0 });
    const lastUpstream = (u: Upstream) => {
      const s = gw.seen.at(-1)!;
      assert.equal(s.path, EXPECT[u].path);
      assert.equal(s.headers[EXPECT[u].auth[0]], EXPECT[u].auth[1]);
      assert.equal(s.json.model, EXPECT[u].model);
      assert.equal(JSON.stringify(s.headers).includes("sk-client"), false, "the client's key never reaches the provider");
      return s.json;
    };

    for (const u of ["native", "chat", "claude"] as Upstream[]) {
      test(`${u}: responses.create with instructions gives text and its reasoning`, async () => {
        const r = await client(u).responses.create({ model: "gpt-4.1", instructions: "Be friendly.", input: "Hi!" });
        const up = lastUpstream(u);
        if (u === "chat") assert.deepEqual(up.messages, [{ role: "system", content: "Be friendly." }, { role: "user", content: "Hi!" }]);
        if (u === "claude") assert.equal(up.system, "Be friendly.");
        if (u === "native") assert.equal(up.instructions, "Be friendly.");
        assert.equal(r.output_text, "Hello there!");
        assert.equal(r.status, "completed");
        const reasoning = r.output.find((o) => o.type === "reasoning") as any;
        assert.equal(reasoning?.summary?.[0]?.text, "Greeting the user.");
        assert.equal(r.usage?.total_tokens, 39);
      });

      test(`${u}: a function tool round trip (call, then its output)`, async () => {
        const c = client(u);
        const first = await c.responses.create({ model: "gpt-4.1", input: "Weather in Paris?", tools: TOOLS });
        const call = first.output.find((o) => o.type === "function_call") as any;
        assert.ok(call, JSON.stringify(first.output));
        assert.equal(call.name, "get_weather");
        assert.deepEqual(JSON.parse(call.arguments), JSON.parse(TOOL_ARGS));
        if (u === "chat") assert.equal(lastUpstream(u).tools[0].function.name, "get_weather");
        if (u === "claude") assert.equal(lastUpstream(u).tools[0].input_schema.required[0], "city");
        const second = await c.responses.create({
          model: "gpt-4.1", tools: TOOLS,
          input: [{ role: "user", content: "Weather in Paris?" }, ...(first.output as any[]), { type: "function_call_output", call_id: call.call_id, output: "14 degrees" }],
        });
        const up = lastUpstream(u);
        if (u === "chat") {
          const tool = up.messages.find((m: any) => m.role === "tool");
          assert.deepEqual(tool, { role: "tool", tool_call_id: call.call_id, content: "14 degrees" });
          assert.equal(up.messages.find((m: any) => m.tool_calls).tool_calls[0].id, call.call_id);
        }
        if (u === "claude") {
          const result = up.messages.at(-1).content.find((b: any) => b.type === "tool_result");
          assert.deepEqual([result.tool_use_id, result.content], [call.call_id, "14 degrees"]);
        }
        assert.equal(second.output_text, "It is 14 degrees in Paris.");
      });

      test(`${u}: structured output (text.format json_schema)`, async () => {
        const r = await client(u).responses.create({
          model: "gpt-4.1", input: "Weather in Paris as JSON", text: { format: { type: "json_schema", name: "weather", schema: SCHEMA, strict: true } },
        });
        const up = lastUpstream(u);
        if (u === "chat") assert.deepEqual(up.response_format, { type: "json_schema", json_schema: { name: "weather", schema: SCHEMA, strict: true } });
        if (u === "claude") assert.deepEqual(up.output_config, { format: { type: "json_schema", schema: SCHEMA } });
        assert.deepEqual(JSON.parse(r.output_text), JSON.parse(WEATHER_JSON));
        assert.equal((r.text as any)?.format?.type, "json_schema");
      });

      test(`${u}: responses.stream gives typed events and the final response`, async () => {
        const stream = client(u).responses.stream({ model: "gpt-4.1", input: "Hi!" });
        let text = "", reasoning = "";
        const types = new Set<string>();
        stream.on("event", (e) => types.add(e.type));
        stream.on("response.output_text.delta", (e) => (text += e.delta));
        stream.on("response.reasoning_summary_text.delta", (e) => (reasoning += e.delta));
        const final = await stream.finalResponse();
        lastUpstream(u);
        assert.equal(text, "Hello there!");
        assert.equal(reasoning, "Greeting the user.");
        assert.equal(final.output_text, "Hello there!");
        assert.equal(final.usage?.total_tokens, 39);
        for (const t of ["response.created", "response.output_item.added", "response.output_text.done", "response.completed"]) assert.ok(types.has(t), t);
      });

      test(`${u}: a streamed function call`, async () => {
        const stream = client(u).responses.stream({ model: "gpt-4.1", input: "Weather in Paris?", tools: TOOLS });
        let args = "";
        stream.on("response.function_call_arguments.delta", (e) => (args += e.delta));
        const final = await stream.finalResponse();
        const call = final.output.find((o) => o.type === "function_call") as any;
        assert.equal(call?.name, "get_weather");
        assert.deepEqual(JSON.parse(args), JSON.parse(TOOL_ARGS));
        assert.deepEqual(JSON.parse(call.arguments), JSON.parse(TOOL_ARGS));
      });
    }

    test("claude: thinking with a tool round trip keeps Claude's signed thinking block (non-streamed)", async () => {
      const c = client("claude");
      const first = await c.responses.create({ model: "gpt-4.1", input: "Weather in Paris?", tools: TOOLS, reasoning: { effort: "high" } });
      assert.ok(lastUpstream("claude").thinking, "reasoning.effort turns Claude's thinking on");
      const reasoning = first.output.find((o) => o.type === "reasoning") as any;
      assert.equal(reasoning.summary[0].text, "The weather tool knows.");
      const call = first.output.find((o) => o.type === "function_call") as any;
      await c.responses.create({
        model: "gpt-4.1", tools: TOOLS, reasoning: { effort: "high" },
        input: [{ role: "user", content: "Weather in Paris?" }, ...(first.output as any[]), { type: "function_call_output", call_id: call.call_id, output: "14 degrees" }],
      });
      const up = lastUpstream("claude");
      const assistant = up.messages.find((m: any) => m.role === "assistant");
      assert.deepEqual(assistant.content[0], { type: "thinking", thinking: "The weather tool knows.", signature: "sig-1" });
      assert.ok(up.thinking, "thinking stays on: the tool turn carries its signed block");
    });

    test("chat: previous_response_id is a 400 that says the conversion keeps no state", async () => {
      const before = gw.seen.length;
      await assert.rejects(client("chat").responses.create({ model: "gpt-4.1", previous_response_id: "resp_1", input: "And then?" }), (e: any) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /previous_response_id: .*keeps no responses/);
        return true;
      });
      assert.equal(gw.seen.length, before);
    });
  });
});
