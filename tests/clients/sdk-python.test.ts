// The official Python SDKs (anthropic 2.x, openai 3.x; tests/clients/requirements.lock) through the gateway with
// protocol conversion, both directions, on every runtime: structured output, reasoning effort, mid-conversation
// system messages, sampling parameters left out and announced, stop sequences, refusals. Upstreams are scripted
// mocks in each provider's wire format. Skips when the SDKs are not installed in .venv/ (or $CLIENTS_PYTHON).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { execFile, spawnSync } from "node:child_process";
import { forEachRuntime } from "../support/runtimes";
import { ROOT } from "../support/plugin";
import { SdkGateways, startSdkGateways } from "./sdk-mocks";

const PY = process.env.CLIENTS_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");
const SCRIPT = path.join(ROOT, "tests", "clients", "sdk_python.py");
const available = spawnSync(PY, ["-c", "import anthropic, openai"]).status === 0;

function python(base: string, scenario: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(PY, [SCRIPT, base, scenario], { timeout: 60_000, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${scenario}: ${err.message}\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout));
    });
  });
}

if (!available) {
  test("official Python SDKs through the gateway", { skip: `Python SDKs not installed in ${PY}: npm install provisions tests/clients/requirements.lock into .venv/` }, () => {});
} else {
  forEachRuntime((runtime) => {
    describe("official Python SDKs through the gateway", () => {
      let gw: SdkGateways;
      before(async () => { gw = await startSdkGateways(runtime); });
      after(() => gw?.stop());

      test("anthropic: thinking, effort, structured output and a mid-conversation system message to gpt-5.2", async () => {
        const got = await python(gw.toOpenAI.url, "anthropic-structured");
        const up = gw.seen.at(-1)!.json;
        assert.equal(up.model, "gpt-5.2");
        assert.deepEqual(up.messages.map((m: any) => m.role), ["system", "user", "system"]);
        assert.equal(up.messages[2].content, "Answer in JSON.");
        assert.equal(up.reasoning_effort, "high");
        assert.equal(up.response_format.type, "json_schema");
        assert.equal(up.response_format.json_schema.strict, true);
        assert.deepEqual(up.response_format.json_schema.schema.required, ["city", "celsius"]);
        assert.equal(up.tools[0].function.strict, true);
        // anthropic 2.x (API version 2026-10-21) has no temperature parameter any more: nothing to drop.
        assert.equal("temperature" in up, false);
        assert.equal(got.dropped, null);
        assert.deepEqual(JSON.parse(got.text), { city: "Paris", celsius: 18 });
        assert.deepEqual(got.types, ["thinking", "text"]);
        assert.equal(got.thinking, "Paris is mild today.");
        assert.equal(got.stop_reason, "end_turn");
      });

      test("anthropic: a stop sequence the upstream names comes back as stop_sequence (streamed)", async () => {
        const got = await python(gw.toOpenAI.url, "anthropic-stop-stream");
        assert.deepEqual(gw.seen.at(-1)!.json.stop, ["###"]);
        assert.deepEqual(got, { text: "1, 2, 3", stop_reason: "stop_sequence", stop_sequence: "###" });
      });

      test("openai: reasoning_effort, json_schema and system messages to claude-opus-5-5; sampling and logprobs announced", async () => {
        const got = await python(gw.toClaude.url, "openai-structured");
        const s = gw.seen.at(-1)!;
        const up = s.json;
        assert.equal(s.headers["x-api-key"], "sk-ant-upstream");
        assert.equal(up.model, "claude-opus-5-5");
        assert.equal(up.system, "You are a weather bot.");
        assert.deepEqual(up.messages, [{ role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }]);
        assert.deepEqual(up.thinking, { type: "adaptive" });
        assert.equal(up.output_config.effort, "low");
        assert.equal(up.output_config.format.type, "json_schema");
        assert.equal("temperature" in up, false);
        assert.equal(got.dropped, "logprobs,temperature");
        assert.deepEqual(JSON.parse(got.content), { city: "Paris", celsius: 18 });
        assert.equal(got.reasoning, "Paris is mild today.");
        assert.equal(got.finish_reason, "stop");
        assert.equal(got.logprobs, null);
      });

      test("openai: stop sequences and the usage chunk, streamed from claude", async () => {
        const got = await python(gw.toClaude.url, "openai-stop-stream");
        assert.deepEqual(gw.seen.at(-1)!.json.stop_sequences, ["###"]);
        assert.deepEqual(got, { text: "1, 2, 3", finish_reason: "stop", total_tokens: 39 });
      });

      test("openai: a parameter with no counterpart is a 400 naming it", async () => {
        const before = gw.seen.length;
        const got = await python(gw.toClaude.url, "openai-penalty");
        assert.equal(got.status, 400);
        assert.match(got.message, /frequency_penalty: has no counterpart/);
        assert.equal(gw.seen.length, before, "the refused request never reached the provider");
      });
    });
  });
}
