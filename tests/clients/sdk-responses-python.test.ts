// The official Python `openai` SDK's Responses API (responses.create, responses.parse, responses.stream) through the
// gateway on every runtime, to openai (passed through), deepseek (Chat Completions only: converted) and claude
// (converted to Messages). Skips when the SDK is not installed in .venv/ (or $CLIENTS_PYTHON).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { execFile, spawnSync } from "node:child_process";
import { forEachRuntime } from "../support/runtimes";
import { ROOT } from "../support/plugin";
import { ResponsesGateways, startResponsesGateways, TOOL_ARGS, WEATHER_JSON } from "./responses-mocks";

const PY = process.env.CLIENTS_PYTHON ?? path.join(ROOT, ".venv", "bin", "python");
const SCRIPT = path.join(ROOT, "tests", "clients", "sdk_responses.py");
const available = spawnSync(PY, ["-c", "import openai, pydantic"]).status === 0;

function python(base: string, scenario: string): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(PY, [SCRIPT, base, scenario], { timeout: 60_000, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${scenario}: ${err.message}\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout));
    });
  });
}

type Upstream = "native" | "chat" | "claude";
const PATHS: Record<Upstream, string> = { native: "/v1/responses", chat: "/chat/completions", claude: "/v1/messages" };

if (!available) {
  test("official Python openai SDK, Responses API", { skip: `Python SDK not installed in ${PY}: npm install provisions tests/clients/requirements.lock into .venv/` }, () => {});
} else {
  forEachRuntime((runtime) => {
    describe("official Python openai SDK, Responses API, through the gateway", () => {
      let gw: ResponsesGateways;
      before(async () => { gw = await startResponsesGateways(runtime); });
      after(() => gw?.stop());

      for (const u of ["native", "chat", "claude"] as Upstream[]) {
        test(`${u}: responses.create with instructions`, async () => {
          const got = await python(gw[u].url, "text");
          assert.equal(gw.seen.at(-1)!.path, PATHS[u]);
          assert.deepEqual(got, { text: "Hello there!", status: "completed", reasoning: "Greeting the user.", total_tokens: 39 });
        });

        test(`${u}: a function tool round trip`, async () => {
          const got = await python(gw[u].url, "tools");
          assert.equal(gw.seen.at(-1)!.path, PATHS[u]);
          assert.equal(got.name, "get_weather");
          assert.deepEqual(got.arguments, JSON.parse(TOOL_ARGS));
          assert.equal(got.text, "It is 14 degrees in Paris.");
        });

        test(`${u}: responses.parse with a pydantic text_format`, async () => {
          const got = await python(gw[u].url, "parse");
          assert.deepEqual(got.parsed, JSON.parse(WEATHER_JSON));
          assert.equal(got.reasoning, "Paris is mild today.");
        });

        test(`${u}: responses.stream`, async () => {
          const got = await python(gw[u].url, "stream");
          assert.equal(got.text, "Hello there!");
          assert.equal(got.final, "Hello there!");
          assert.equal(got.total_tokens, 39);
          for (const t of ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.done", "response.completed"]) {
            assert.ok(got.types.includes(t), t);
          }
        });

        test(`${u}: a streamed function call`, async () => {
          const got = await python(gw[u].url, "stream-tools");
          assert.deepEqual(got, { name: "get_weather", arguments: JSON.parse(TOOL_ARGS) });
        });
      }

      test("chat: previous_response_id is a 400", async () => {
        const before = gw.seen.length;
        const got = await python(gw.chat.url, "stateful");
        assert.equal(got.status, 400);
        assert.match(got.message, /previous_response_id: .*keeps no responses/);
        assert.equal(gw.seen.length, before);
      });
    });
  });
}
