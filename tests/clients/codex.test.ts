// OpenAI's Codex CLI (`codex exec`, npm @openai/codex 0.171.0) through the gateway, unattended and offline: it speaks
// the Responses API (streamed, with its own tools: functions, a tool namespace and web_search) to a custom model
// provider whose base URL is the gateway. Upstreams: openai (passed through), deepseek (converted to Chat) and
// claude (converted to Messages); hosted tools and tool namespaces have no Chat counterpart, so those providers run
// with dropUnsupportedParams (left out and announced). Skips, saying so, when the CLI is not installed
// ($CODEX_BIN, or node_modules/.bin/codex).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawn } from "node:child_process";
import type * as http from "node:http";
import { forEachRuntime, GatewayUnderTest, startGateway } from "../support/runtimes";
import { ROOT } from "../support/plugin";
import { startUpstream, TestUpstream } from "../support/upstream";

function codexBinary(): string | null {
  const candidates = [process.env.CODEX_BIN ?? "", path.join(ROOT, "node_modules", ".bin", "codex")];
  return candidates.find((c) => c.length > 0 && fs.existsSync(c)) ?? null;
}

const REPLY = "pong-7";

interface Seen { path: string; headers: http.IncomingHttpHeaders; json: any }

function answer(url: string, body: any, res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream" });
  if (url.startsWith("/v1/responses")) {
    let seq = 0;
    const ev = (t: string, d: object) => res.write(`event: ${t}\ndata: ${JSON.stringify({ type: t, ...d, sequence_number: seq++ })}\n\n`);
    const usage = { input_tokens: 50, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 52 };
    const item = { id: "msg_codex", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", annotations: [], logprobs: [], text: REPLY }] };
    const response = (status: string, output: any[]) => ({ id: "resp_codex", object: "response", created_at: 1764600000, status, model: body.model, output, usage: status === "completed" ? usage : null });
    ev("response.created", { response: response("in_progress", []) });
    ev("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } });
    ev("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: "" } });
    ev("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta: REPLY, logprobs: [] });
    ev("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text: REPLY, logprobs: [] });
    ev("response.content_part.done", { item_id: item.id, output_index: 0, content_index: 0, part: item.content[0] });
    ev("response.output_item.done", { output_index: 0, item });
    ev("response.completed", { response: response("completed", [item]) });
  } else if (url.startsWith("/chat/completions")) {
    const base = { id: "chatcmpl-codex", object: "chat.completion.chunk", created: 1764600000, model: body.model };
    const send = (d: object) => res.write(`data: ${JSON.stringify({ ...base, ...d })}\n\n`);
    send({ choices: [{ index: 0, delta: { role: "assistant", content: REPLY }, logprobs: null, finish_reason: null }] });
    send({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
    send({ choices: [], usage: { prompt_tokens: 50, completion_tokens: 2, total_tokens: 52 } });
    res.write("data: [DONE]\n\n");
  } else {
    const ev = (t: string, d: object) => res.write(`event: ${t}\ndata: ${JSON.stringify({ type: t, ...d })}\n\n`);
    ev("message_start", { message: { id: "msg_codex", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 50, output_tokens: 1 } } });
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: REPLY } });
    ev("content_block_stop", { index: 0 });
    ev("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } });
    ev("message_stop", {});
  }
  res.end();
}

function runCodex(bin: string, baseUrl: string, prompt: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "codex-home-"));
  const args = ["exec", "--skip-git-repo-check", "-c", "model_provider=gw", "-c", "model=gpt-5.2",
    "-c", "model_providers.gw.name=gateway", "-c", `model_providers.gw.base_url=${baseUrl}/v1`,
    "-c", "model_providers.gw.env_key=GW_KEY", "-c", "model_providers.gw.wire_api=responses", prompt];
  return new Promise((resolve) => {
    const p = spawn(bin, args, { cwd: home, env: { PATH: process.env.PATH ?? "", HOME: home, CODEX_HOME: home, GW_KEY: "sk-codex-client" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => p.kill("SIGKILL"), 90_000);
    p.on("close", (code) => {
      clearTimeout(timer);
      fs.rmSync(home, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

const bin = codexBinary();
if (bin === null) {
  test("Codex CLI through the gateway", { skip: "Codex CLI not installed: npm @openai/codex@0.171.0 (devDependency) or set CODEX_BIN" }, () => {});
} else {
  forEachRuntime((runtime) => {
    describe("Codex CLI through the gateway", () => {
      const seen: Seen[] = [];
      let mock: TestUpstream;
      const gws: Record<string, GatewayUnderTest> = {};
      before(async () => {
        mock = await startUpstream((req, raw, res) => {
          const json = JSON.parse(raw || "{}");
          seen.push({ path: req.url ?? "", headers: req.headers, json });
          answer(req.url ?? "", json, res);
        });
        gws.openai = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-openai-upstream"] } }, { "api.openai.com": mock.url });
        gws.deepseek = await startGateway(runtime, { provider: { type: "deepseek", apiTokens: ["sk-deepseek-upstream"], modelMapping: { "*": "deepseek-chat" }, dropUnsupportedParams: true } }, { "api.deepseek.com": mock.url });
        gws.claude = await startGateway(runtime, { provider: { type: "claude", apiTokens: ["sk-ant-upstream"], modelMapping: { "*": "claude-sonnet-4-5" }, dropUnsupportedParams: true } }, { "api.anthropic.com": mock.url });
      });
      after(async () => {
        for (const g of Object.values(gws)) await g.stop();
        await mock?.close();
      });

      const EXPECT: Record<string, { path: string; auth: [string, string] }> = {
        openai: { path: "/v1/responses", auth: ["authorization", "Bearer sk-openai-upstream"] },
        deepseek: { path: "/chat/completions", auth: ["authorization", "Bearer sk-deepseek-upstream"] },
        claude: { path: "/v1/messages", auth: ["x-api-key", "sk-ant-upstream"] },
      };
      for (const name of ["openai", "deepseek", "claude"]) {
        test(`codex exec answers through ${name}`, async () => {
          const before = seen.length;
          const r = await runCodex(bin, gws[name].url, "Reply with the word pong");
          assert.equal(r.code, 0, r.stderr.slice(-3000));
          assert.match(r.stdout, new RegExp(REPLY));
          const ours = seen.slice(before);
          assert.ok(ours.length >= 1);
          const s = ours[0];
          assert.equal(s.path, EXPECT[name].path);
          assert.equal(s.headers[EXPECT[name].auth[0]], EXPECT[name].auth[1]);
          assert.equal(JSON.stringify(s.headers).includes("sk-codex-client"), false);
          if (name === "deepseek") {
            // Codex's function tools arrive as Chat tools; its developer instructions as system messages.
            assert.ok(s.json.tools.some((t: any) => t.function?.name === "exec_command"));
            assert.equal(s.json.messages[0].role, "system");
            assert.equal(s.json.stream, true);
          }
          if (name === "claude") {
            assert.ok(s.json.tools.some((t: any) => t.name === "exec_command"));
            assert.equal(typeof s.json.system === "string" || Array.isArray(s.json.system), true);
          }
        });
      }
    });
  });
}
