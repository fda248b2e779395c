// The real Claude Code CLI through the gateway, unattended and bounded: `claude -p` reads a file with its Read
// tool (a tool call, its result, and the answer: three turns, streamed, as Claude Code always streams), then
// `claude -p --continue` asks about it again with the whole history. Upstreams are scripted mocks speaking the
// provider's real wire format: an OpenAI-protocol provider (the request is converted both ways) and `claude`
// (same protocol: Claude Code's own request reaches it, mid-conversation system messages and beta headers
// included). Runs on every runtime (TypeScript host, real Envoy).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as http from "node:http";
import { forEachRuntime, GatewayUnderTest, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";
import { CLAUDE_CODE_MISSING, claudeCodeBinary, runClaudeCode, tempDir } from "./clients";

const SECRET = "pineapple-42";

interface Seen { path: string; headers: http.IncomingHttpHeaders; json: any }

/** What the scripted model does next, from the conversation it is given (either protocol, neutral terms). */
type Step = { kind: "tool"; path: string } | { kind: "text"; text: string };

function nextStep(lastIsToolResult: boolean, toolText: string, userText: string, whole: string): Step {
  if (lastIsToolResult) return { kind: "text", text: `The note says: ${toolText.includes(SECRET) ? SECRET : "(not found)"}.` };
  const m = /(\/\S+note\.txt)/.exec(userText);
  if (m) return { kind: "tool", path: m[1] };
  return { kind: "text", text: `Earlier you read: ${whole.includes(SECRET) ? SECRET : "nothing"}.` };
}

function textOf(content: any): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((b: any) => (typeof b?.text === "string" ? b.text : typeof b?.content === "string" ? b.content : Array.isArray(b?.content) ? textOf(b.content) : "")).join("\n");
}

// ---------------------------------------------------------------- OpenAI-protocol mock

function openaiStep(body: any): Step {
  const msgs: any[] = (body.messages ?? []).filter((m: any) => m.role !== "system" && m.role !== "developer");
  const last = msgs.at(-1) ?? {};
  const lastUser = [...msgs].reverse().find((m) => m.role === "user");
  return nextStep(last.role === "tool", textOf(last.content), textOf(lastUser?.content), JSON.stringify(body));
}

function answerOpenAI(body: any, res: http.ServerResponse): void {
  const step = openaiStep(body);
  const base = { id: "chatcmpl-e2e", object: "chat.completion.chunk", created: 1764600000, model: body.model };
  const usage = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 };
  const args = step.kind === "tool" ? JSON.stringify({ file_path: step.path }) : "";
  if (!body.stream) {
    const message = step.kind === "tool"
      ? { role: "assistant", content: null, tool_calls: [{ id: "call_e2e_1", type: "function", function: { name: "Read", arguments: args } }] }
      : { role: "assistant", content: step.text };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: step.kind === "tool" ? "tool_calls" : "stop" }], usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (d: object) => res.write(`data: ${JSON.stringify(d)}\n\n`);
  const choice = (delta: object, finish: string | null = null) => send({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  if (step.kind === "tool") {
    choice({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_e2e_1", type: "function", function: { name: "Read", arguments: "" } }] });
    const half = args.length >> 1;
    choice({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] });
    choice({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] });
    choice({}, "tool_calls");
  } else {
    choice({ role: "assistant", content: "" });
    for (const piece of step.text.match(/.{1,7}/g) ?? []) choice({ content: piece });
    choice({}, "stop");
  }
  send({ ...base, choices: [], usage });
  res.end("data: [DONE]\n\n");
}

// ---------------------------------------------------------------- Anthropic-protocol mock

function anthropicStep(body: any): Step {
  const msgs: any[] = (body.messages ?? []).filter((m: any) => m.role !== "system");
  const last = msgs.at(-1) ?? {};
  const blocks = Array.isArray(last.content) ? last.content : [];
  const results = blocks.filter((b: any) => b?.type === "tool_result");
  const lastUserText = [...msgs].reverse().find((m) => m.role === "user" && textOf(Array.isArray(m.content) ? m.content.filter((b: any) => b?.type === "text") : m.content).length > 0);
  const userText = lastUserText ? textOf(Array.isArray(lastUserText.content) ? lastUserText.content.filter((b: any) => b?.type === "text") : lastUserText.content) : "";
  return nextStep(last.role === "user" && results.length > 0, textOf(results), userText, JSON.stringify(body));
}

function answerAnthropic(body: any, res: http.ServerResponse): void {
  const step = anthropicStep(body);
  const usage = { input_tokens: 120, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 12 };
  const input = step.kind === "tool" ? { file_path: step.path } : null;
  const stop = step.kind === "tool" ? "tool_use" : "end_turn";
  if (!body.stream) {
    const content = step.kind === "tool" ? [{ type: "tool_use", id: "toolu_e2e_1", name: "Read", input }] : [{ type: "text", text: step.text }];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "msg_e2e", type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null, usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (name: string, d: object) => res.write(`event: ${name}\ndata: ${JSON.stringify({ type: name, ...d })}\n\n`);
  ev("message_start", { message: { id: "msg_e2e", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
  if (step.kind === "tool") {
    ev("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_e2e_1", name: "Read", input: {} } });
    const json = JSON.stringify(input);
    ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: json.slice(0, 9) } });
    ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: json.slice(9) } });
  } else {
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    for (const piece of step.text.match(/.{1,7}/g) ?? []) ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: piece } });
  }
  ev("content_block_stop", { index: 0 });
  ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 12 } });
  ev("message_stop", {});
  res.end();
}

// ---------------------------------------------------------------- the session

async function startMock(seen: Seen[]): Promise<TestUpstream> {
  return startUpstream((req, raw, res) => {
    let json: any = null;
    try { json = JSON.parse(raw); } catch { /* recorded as null */ }
    const p = req.url ?? "";
    seen.push({ path: p, headers: req.headers, json });
    if (p.startsWith("/v1/chat/completions")) return answerOpenAI(json ?? {}, res);
    if (p.startsWith("/v1/messages/count_tokens")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ input_tokens: 120 }));
    }
    if (p.startsWith("/v1/messages")) return answerAnthropic(json ?? {}, res);
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `no such endpoint ${p}`, type: "invalid_request_error" } }));
  });
}

const bin = claudeCodeBinary();

const PROVIDERS = {
  openai: { provider: { type: "openai", apiTokens: ["sk-openai-upstream"], modelMapping: { "*": "gpt-5.2" } }, host: "api.openai.com", chat: "/v1/chat/completions" },
  claude: { provider: { type: "claude", apiTokens: ["sk-ant-upstream"] }, host: "api.anthropic.com", chat: "/v1/messages" },
} as const;

if (bin === null) {
  test("Claude Code CLI through the gateway", { skip: CLAUDE_CODE_MISSING }, () => {});
} else {
  forEachRuntime((runtime) => {
    for (const kind of ["openai", "claude"] as const) {
      describe(`Claude Code → provider ${kind}`, () => {
        const p = PROVIDERS[kind];
        const seen: Seen[] = [];
        let mock: TestUpstream;
        let gw: GatewayUnderTest;
        let work: string;
        let home: string;
        before(async () => {
          mock = await startMock(seen);
          gw = await startGateway(runtime, { provider: p.provider }, { [p.host]: mock.url });
          work = tempDir("cc-e2e-cwd-");
          home = tempDir("cc-e2e-home-");
          fs.writeFileSync(path.join(work, "note.txt"), `${SECRET}\n`);
        });
        after(async () => {
          await gw?.stop();
          await mock?.close();
          for (const d of [work, home]) if (d) fs.rmSync(d, { recursive: true, force: true });
        });

        const chats = () => seen.filter((s) => s.path.startsWith(p.chat) && !s.path.includes("count_tokens"));

        test("-p: a Read tool call, its result and the answer, streamed, through the gateway", async () => {
          const note = path.join(work, "note.txt");
          const r = await runClaudeCode(bin, gw.url, work, home, ["-p", `Read the file ${note} with the Read tool and tell me what it says.`, "--output-format", "json", "--allowedTools", "Read"]);
          assert.equal(r.code, 0, `claude exited ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}\ngateway: ${gw.output().slice(-3000)}`);
          assert.equal(r.json?.is_error, false, r.stdout.slice(0, 2000));
          assert.equal(r.json?.result, `The note says: ${SECRET}.`);
          const calls = chats();
          assert.ok(calls.length >= 2, `upstream saw ${calls.length} chat requests`);
          for (const c of calls) assert.equal(c.json?.stream, true, "Claude Code streams every turn");
          const first = calls[0].json;
          const second = calls[calls.length - 1].json;
          if (kind === "openai") {
            const h = calls[0].headers;
            assert.equal(h.authorization, "Bearer sk-openai-upstream");
            assert.equal(h["x-api-key"], undefined);
            assert.equal(h["anthropic-version"], undefined);
            assert.equal(h["anthropic-beta"], undefined);
            assert.equal(first.model, "gpt-5.2");
            // Claude Code's system prompt first, and its mid-conversation system message where it stood.
            assert.equal(first.messages[0].role, "system");
            const firstUser = first.messages.findIndex((m: any) => m.role === "user");
            const laterSystem = first.messages.findIndex((m: any, i: number) => i > firstUser && m.role === "system");
            assert.ok(firstUser > 0 && laterSystem > firstUser, JSON.stringify(first.messages.map((m: any) => m.role)));
            // Adaptive thinking with output_config.effort → reasoning_effort for a GPT-5.2 upstream.
            assert.ok(["low", "medium", "high", "xhigh"].includes(first.reasoning_effort), `reasoning_effort ${first.reasoning_effort}`);
            for (const k of ["thinking", "output_config", "context_management", "system", "metadata"]) assert.equal(k in first, false, `${k} reached the OpenAI upstream`);
            const assistant = second.messages.find((m: any) => m.role === "assistant" && m.tool_calls);
            assert.equal(assistant.tool_calls[0].id, "call_e2e_1");
            assert.equal(assistant.tool_calls[0].function.name, "Read");
            assert.equal(JSON.parse(assistant.tool_calls[0].function.arguments).file_path, note);
            const tool = second.messages.find((m: any) => m.role === "tool");
            assert.equal(tool.tool_call_id, "call_e2e_1");
            assert.ok(tool.content.includes(SECRET), tool.content);
          } else {
            const h = calls[0].headers;
            assert.equal(h["x-api-key"], "sk-ant-upstream");
            assert.equal(h.authorization, undefined);
            // The client's own version and betas reach Anthropic (claudeVersion is not pinned in this config).
            assert.equal(h["anthropic-version"], "2023-06-01");
            assert.ok(String(h["anthropic-beta"]).includes("claude-code-20250219"), String(h["anthropic-beta"]));
            // Same protocol: Claude Code's mid-conversation system message is untouched.
            assert.ok(first.messages.some((m: any) => m.role === "system"), JSON.stringify(first.messages.map((m: any) => m.role)));
            assert.ok(first.thinking && first.output_config, "thinking and output_config kept");
            const assistant = second.messages.find((m: any) => m.role === "assistant" && Array.isArray(m.content) && m.content.some((b: any) => b.type === "tool_use"));
            const use = assistant.content.find((b: any) => b.type === "tool_use");
            assert.deepEqual([use.id, use.name, use.input.file_path], ["toolu_e2e_1", "Read", note]);
            const last = second.messages.filter((m: any) => m.role === "user").at(-1);
            const result = last.content.find((b: any) => b.type === "tool_result");
            assert.equal(result.tool_use_id, "toolu_e2e_1");
            assert.ok(textOf(result.content).includes(SECRET));
          }
        });

        test("--continue: the next turn carries the whole history", async () => {
          const before = chats().length;
          const r = await runClaudeCode(bin, gw.url, work, home, ["-p", "What did it say, once more?", "--continue", "--output-format", "json", "--allowedTools", "Read"]);
          assert.equal(r.code, 0, `claude exited ${r.code}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`);
          assert.equal(r.json?.result, `Earlier you read: ${SECRET}.`);
          const calls = chats().slice(before);
          assert.equal(calls.length, 1);
          const body = calls[0].json;
          if (kind === "openai") {
            assert.ok(body.messages.some((m: any) => m.role === "assistant" && m.tool_calls?.[0]?.function?.name === "Read"));
            assert.ok(body.messages.some((m: any) => m.role === "tool" && m.content.includes(SECRET)));
            assert.ok(body.messages.some((m: any) => m.role === "assistant" && m.content === `The note says: ${SECRET}.`));
          } else {
            assert.ok(body.messages.some((m: any) => m.role === "assistant" && Array.isArray(m.content) && m.content.some((b: any) => b.type === "tool_use" && b.name === "Read")));
          }
        });
      });
    }
  });
}
