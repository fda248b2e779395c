// The official Node SDKs (@anthropic-ai/sdk, openai; the project's devDependencies) through the gateway with
// protocol conversion, both directions, on every runtime: the same scenarios as sdk-python.test.ts.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { forEachRuntime } from "../support/runtimes";
import { SdkGateways, startSdkGateways } from "./sdk-mocks";

const SCHEMA = { type: "object", properties: { city: { type: "string" }, celsius: { type: "number" } }, required: ["city", "celsius"], additionalProperties: false };

forEachRuntime((runtime) => {
  describe("official Node SDKs through the gateway", () => {
    let gw: SdkGateways;
    before(async () => { gw = await startSdkGateways(runtime); });
    after(() => gw?.stop());

    const anthropic = () => new Anthropic({ baseURL: gw.toOpenAI.url, apiKey: "sk-ant-client", maxRetries: 0 });
    const openai = () => new OpenAI({ baseURL: gw.toClaude.url + "/v1", apiKey: "sk-openai-client", maxRetries: 0 });

    test("@anthropic-ai/sdk: thinking, effort, structured output and a mid-conversation system message to gpt-5.2", async () => {
      const params: any = {
        model: "claude-opus-5-5", max_tokens: 4096, system: "You are a weather bot.",
        messages: [{ role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }],
        thinking: { type: "adaptive" }, output_config: { effort: "max", format: { type: "json_schema", schema: SCHEMA } },
      };
      const { data: msg, response } = await anthropic().messages.create(params).withResponse();
      const up = gw.seen.at(-1)!.json;
      assert.equal(up.model, "gpt-5.2");
      assert.deepEqual(up.messages.map((m: any) => m.role), ["system", "user", "system"]);
      assert.equal(up.reasoning_effort, "xhigh"); // max → the highest level GPT-5.2 takes
      assert.equal(up.response_format.json_schema.strict, true);
      assert.equal(response.headers.get("x-ai-proxy-dropped-params"), null);
      const types = msg.content.map((b) => b.type);
      assert.deepEqual(types, ["thinking", "text"]);
      assert.deepEqual(JSON.parse((msg.content[1] as any).text), { city: "Paris", celsius: 18 });
      assert.equal(msg.stop_reason, "end_turn");
    });

    test("@anthropic-ai/sdk: a stop sequence the upstream names comes back as stop_sequence (streamed)", async () => {
      const stream = anthropic().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 100, stop_sequences: ["###"], messages: [{ role: "user", content: "Count to three, then ###" }] });
      let text = "";
      stream.on("text", (t) => (text += t));
      const msg = await stream.finalMessage();
      assert.deepEqual(gw.seen.at(-1)!.json.stop, ["###"]);
      assert.deepEqual([text, msg.stop_reason, msg.stop_sequence], ["1, 2, 3", "stop_sequence", "###"]);
    });

    test("openai: reasoning_effort, json_schema and system messages to claude-opus-5-5; sampling and logprobs announced", async () => {
      const params: any = {
        model: "gpt-5.2", temperature: 0.2, top_p: 0.9, logprobs: true, reasoning_effort: "xhigh", max_completion_tokens: 4096,
        messages: [{ role: "developer", content: "You are a weather bot." }, { role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }],
        response_format: { type: "json_schema", json_schema: { name: "weather", strict: true, schema: SCHEMA } },
      };
      const { data: cc, response } = await openai().chat.completions.create(params).withResponse();
      const up = gw.seen.at(-1)!.json;
      assert.equal(up.model, "claude-opus-5-5");
      assert.equal(up.system, "You are a weather bot.");
      assert.deepEqual(up.messages, [{ role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }]);
      assert.deepEqual(up.thinking, { type: "adaptive" });
      assert.deepEqual(up.output_config, { effort: "xhigh", format: { type: "json_schema", schema: SCHEMA } });
      assert.equal(response.headers.get("x-ai-proxy-dropped-params"), "logprobs,temperature,top_p");
      assert.deepEqual(JSON.parse(cc.choices[0].message.content!), { city: "Paris", celsius: 18 });
      assert.equal((cc.choices[0].message as any).reasoning_content, "Paris is mild today.");
      assert.equal(cc.choices[0].logprobs, null);
    });

    test("openai: stop sequences and the usage chunk, streamed from claude", async () => {
      const stream = await openai().chat.completions.create({ model: "gpt-4o", stop: ["###"], stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Count to three, then ###" }] });
      let text = "", finish: string | null = null, total = 0;
      for await (const chunk of stream) {
        if (chunk.usage) total = chunk.usage.total_tokens;
        for (const ch of chunk.choices) { text += ch.delta.content ?? ""; finish = ch.finish_reason ?? finish; }
      }
      assert.deepEqual(gw.seen.at(-1)!.json.stop_sequences, ["###"]);
      assert.deepEqual([text, finish, total], ["1, 2, 3", "stop", 39]);
    });

    test("openai: a parameter with no counterpart is a 400 naming it", async () => {
      const before = gw.seen.length;
      await assert.rejects(openai().chat.completions.create({ model: "gpt-4o", presence_penalty: 0.5, messages: [{ role: "user", content: "hi" }] }), (e: any) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /presence_penalty: has no counterpart/);
        return true;
      });
      assert.equal(gw.seen.length, before);
    });
  });
});
