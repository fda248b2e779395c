// A strict OpenAI-compatible server: Chat Completions requests with only documented fields, of the documented types,
// and no unknown keys at any level. Every request the plugin converts from Anthropic (the Claude Code-sized one
// first) must pass it, as produced by build/ai-proxy.wasm.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { requestHeaders, ROOT, startPlugin } from "../support/plugin";

const TOP_LEVEL = new Set([
  "model", "messages", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stream", "stream_options",
  "stop", "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "user", "tools",
  "tool_choice", "parallel_tool_calls", "response_format", "seed", "service_tier", "reasoning_effort", "metadata",
  "store", "modalities", "prediction", "audio", "web_search_options",
]);
const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);
const MESSAGE_KEYS: Record<string, Set<string>> = {
  system: new Set(["role", "content", "name"]),
  developer: new Set(["role", "content", "name"]),
  user: new Set(["role", "content", "name"]),
  // reasoning_content: the DeepSeek/Qwen extension the converter sends back with assistant history.
  assistant: new Set(["role", "content", "name", "tool_calls", "refusal", "audio", "reasoning_content"]),
  tool: new Set(["role", "content", "tool_call_id"]),
};

function only(obj: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const k of Object.keys(obj)) assert.ok(allowed.has(k), `${where}: unknown field "${k}"`);
}

function checkContent(content: unknown, role: string, where: string): void {
  if (content === null) {
    assert.equal(role, "assistant", `${where}: null content only on assistant messages`);
    return;
  }
  if (typeof content === "string") return;
  assert.ok(Array.isArray(content), `${where}: content must be a string or an array of parts`);
  content.forEach((part: any, i: number) => {
    const at = `${where}.content[${i}]`;
    if (part.type === "text") {
      only(part, new Set(["type", "text"]), at);
      assert.equal(typeof part.text, "string", at);
    } else if (part.type === "image_url") {
      assert.notEqual(role, "assistant", at);
      only(part, new Set(["type", "image_url"]), at);
      only(part.image_url, new Set(["url", "detail"]), `${at}.image_url`);
      assert.match(part.image_url.url, /^(https?:|data:image\/)/, at);
    } else if (part.type === "file") {
      only(part, new Set(["type", "file"]), at);
    } else {
      assert.fail(`${at}: unknown content part type ${JSON.stringify(part.type)}`);
    }
  });
}

/** Throws (an assertion) where a strict server would answer 400. */
function strictOpenAIRequest(req: any): void {
  only(req, TOP_LEVEL, "request");
  assert.equal(typeof req.model, "string");
  assert.ok(Array.isArray(req.messages) && req.messages.length > 0, "messages");
  for (const f of ["max_tokens", "max_completion_tokens"]) if (f in req) assert.ok(Number.isInteger(req[f]) && req[f] > 0, f);
  if ("stop" in req) assert.ok(typeof req.stop === "string" || (Array.isArray(req.stop) && req.stop.length <= 4), "stop: at most 4");
  if ("user" in req) assert.ok(typeof req.user === "string" && req.user.length <= 64, "user");
  if ("stream_options" in req) {
    assert.equal(req.stream, true, "stream_options only with stream");
    only(req.stream_options, new Set(["include_usage", "include_obfuscation"]), "stream_options");
  }
  const toolIds = new Set<string>();
  req.messages.forEach((m: any, i: number) => {
    const where = `messages[${i}]`;
    assert.ok(ROLES.has(m.role), `${where}: role ${m.role}`);
    only(m, MESSAGE_KEYS[m.role], where);
    checkContent(m.content, m.role, where);
    for (const call of m.tool_calls ?? []) {
      only(call, new Set(["id", "type", "function"]), `${where}.tool_calls`);
      assert.equal(call.type, "function");
      only(call.function, new Set(["name", "arguments"]), `${where}.tool_calls.function`);
      assert.equal(typeof call.function.arguments, "string", "arguments are a JSON string");
      JSON.parse(call.function.arguments);
      toolIds.add(call.id);
    }
    if (m.role === "tool") assert.ok(toolIds.has(m.tool_call_id), `${where}: answers an earlier tool call`);
  });
  for (const [i, t] of (req.tools ?? []).entries()) {
    only(t, new Set(["type", "function"]), `tools[${i}]`);
    assert.equal(t.type, "function");
    only(t.function, new Set(["name", "description", "parameters", "strict"]), `tools[${i}].function`);
    assert.match(t.function.name, /^[a-zA-Z0-9_-]{1,64}$/, `tools[${i}].function.name`);
    if (t.function.parameters) assert.equal(t.function.parameters.type, "object", `tools[${i}].function.parameters`);
  }
  if ("tool_choice" in req) {
    const c = req.tool_choice;
    assert.ok(["none", "auto", "required"].includes(c) || (c.type === "function" && typeof c.function.name === "string"), "tool_choice");
  }
}

const CASES = path.join(ROOT, "tests", "fixtures", "translate");
const anthropicToOpenAI = fs.readdirSync(CASES).filter((n) => {
  const f = path.join(CASES, n, "case.json");
  if (!fs.existsSync(f) || !fs.existsSync(path.join(CASES, n, "upstream-request.json"))) return false;
  const c = JSON.parse(fs.readFileSync(f, "utf8"));
  return c.client === "anthropic" && c.provider === "openai";
});

test("the Claude Code-sized request (≈94 KB, 20+ tools, cache_control, adaptive thinking, context_management, unknown fields) converts into a request a strict OpenAI server accepts", async () => {
  const dir = path.join(CASES, "a2o-claude-code-large");
  const client = JSON.parse(fs.readFileSync(path.join(dir, "client-request.json"), "utf8"));
  assert.ok(JSON.stringify(client).length > 90_000 && client.tools.length >= 20, "the fixture is Claude Code-sized");
  for (const f of ["thinking", "context_management", "output_config"]) assert.ok(f in client, `the fixture carries ${f}`);
  assert.ok(JSON.stringify(client.system).includes("cache_control"));
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-strict"], modelMapping: { "*": "gpt-4.1" } } });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["anthropic-beta", "claude-code-20250219"]]), body: JSON.stringify(client) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: "data: [DONE]\n\n" }),
  });
  const sent = JSON.parse(Buffer.from(r.upstreamRequest!.body).toString());
  strictOpenAIRequest(sent);
  assert.equal(sent.tools.length, client.tools.length);
  assert.equal(r.upstreamRequest!.path, "/v1/chat/completions");
});

test("every Anthropic → OpenAI golden request passes the strict server", async () => {
  assert.ok(anthropicToOpenAI.length >= 10);
  for (const name of anthropicToOpenAI) {
    const sent = JSON.parse(fs.readFileSync(path.join(CASES, name, "upstream-request.json"), "utf8"));
    try {
      strictOpenAIRequest(sent);
    } catch (e) {
      assert.fail(`${name}: ${(e as Error).message}`);
    }
  }
});

test("the strict server does refuse what a real one refuses (the check can fail)", () => {
  assert.throws(() => strictOpenAIRequest({ model: "m", messages: [{ role: "user", content: "x" }], thinking: { type: "enabled" } }), /unknown field "thinking"/);
  assert.throws(() => strictOpenAIRequest({ model: "m", messages: [{ role: "user", content: [{ type: "text", text: "x", cache_control: { type: "ephemeral" } }] }] }), /cache_control/);
  assert.throws(() => strictOpenAIRequest({ model: "m", messages: [{ role: "tool", tool_call_id: "nope", content: "x" }] }), /answers an earlier tool call/);
});
