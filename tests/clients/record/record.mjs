// Records what today's real clients send: the Claude Code CLI and the official SDKs (Node and Python, both
// vendors) are run offline against a recording mock on 127.0.0.1 that answers in each protocol; every request
// is written, scrubbed (no keys, no machine paths, no session or device ids), to
//   tests/clients/recorded/<client>@<version>/<scenario>.json
// and tests/clients/recorded.test.ts drives them through the .wasm. Record again when a client's version is
// bumped:
//   node tests/clients/record/record.mjs [--node-deps DIR] [--python PY] [--claude BIN]
// Defaults: the project's node_modules, .venv/bin/python, node_modules/.bin/claude. A client that is missing
// is reported and skipped.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const outRoot = path.resolve(here, "../recorded");
const arg = (name, def) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : def; };
const nodeDeps = path.resolve(arg("--node-deps", path.join(root, "node_modules")));
const python = arg("--python", path.join(root, ".venv/bin/python"));
const claude = arg("--claude", path.join(root, "node_modules/.bin/claude"));

const SECRET = "pineapple-42";
let current = null; // { dir, scenario, n }
let workDir = "", homeDir = "";

// ---------------------------------------------------------------- scrubbing

const DROP_HEADERS = new Set(["x-api-key", "authorization", "host", "content-length", "connection", "accept-encoding"]);
function scrubText(s) {
  if (workDir) s = s.split(workDir).join("/project");
  if (homeDir) s = s.split(homeDir).join("/home/user");
  s = s.split(os.tmpdir()).join("/tmp");
  s = s.replace(/[0-9a-f]{64}/g, "<device-id>");
  s = s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>");
  return s;
}
function scrubHeaders(h) {
  const out = {};
  for (const [k, v] of Object.entries(h).sort(([a], [b]) => a.localeCompare(b))) {
    if (DROP_HEADERS.has(k)) continue;
    out[k] = scrubText(String(v));
  }
  // Which credential header the client used matters (the new SDK majors send Authorization: Bearer).
  out["x-recorded-credential-header"] = h["x-api-key"] ? "x-api-key" : h.authorization ? "authorization" : "none";
  return out;
}

// ---------------------------------------------------------------- the mock

function textOf(c) {
  if (typeof c === "string") return c;
  if (!Array.isArray(c)) return "";
  return c.map((b) => typeof b?.text === "string" ? b.text : typeof b?.content === "string" ? b.content : Array.isArray(b?.content) ? textOf(b.content) : "").join("\n");
}
function step(lastIsTool, lastUserText) {
  if (lastIsTool) return { kind: "text", text: `The note says: ${SECRET}.` };
  const m = /(\/\S+note\.txt)/.exec(lastUserText);
  return m ? { kind: "tool", path: m[1] } : { kind: "text", text: "Hello from the recording mock." };
}
function anthropicAnswer(body, res) {
  const msgs = (body.messages ?? []).filter((m) => m.role !== "system");
  const last = msgs.at(-1) ?? {};
  const isTool = Array.isArray(last.content) && last.content.some((b) => b?.type === "tool_result");
  const s = step(isTool, textOf(last.content));
  const usage = { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 8 };
  const content = s.kind === "tool" ? [{ type: "tool_use", id: "toolu_rec_1", name: "Read", input: { file_path: s.path } }] : [{ type: "text", text: s.text }];
  const stop = s.kind === "tool" ? "tool_use" : "end_turn";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ id: "msg_rec", type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null, usage }));
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (t, d) => res.write(`event: ${t}\ndata: ${JSON.stringify({ type: t, ...d })}\n\n`);
  ev("message_start", { message: { id: "msg_rec", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage } });
  if (s.kind === "tool") {
    ev("content_block_start", { index: 0, content_block: { type: "tool_use", id: "toolu_rec_1", name: "Read", input: {} } });
    ev("content_block_delta", { index: 0, delta: { type: "input_json_delta", partial_json: JSON.stringify({ file_path: s.path }) } });
  } else {
    ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: s.text } });
  }
  ev("content_block_stop", { index: 0 });
  ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 8 } });
  ev("message_stop", {});
  res.end();
}
function openaiAnswer(body, res) {
  const text = "Hello from the recording mock.";
  const usage = { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 };
  const base = { id: "chatcmpl-rec", created: 1764600000, model: body.model };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: text, refusal: null }, logprobs: null, finish_reason: "stop" }], usage }));
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (d) => res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...d })}\n\n`);
  send({ choices: [{ index: 0, delta: { role: "assistant", content: text }, logprobs: null, finish_reason: null }] });
  send({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop" }] });
  if (body.stream_options?.include_usage) send({ choices: [], usage });
  res.end("data: [DONE]\n\n");
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const raw = Buffer.concat(chunks).toString();
    let body = null;
    try { body = JSON.parse(raw); } catch { /* kept raw */ }
    if (current && req.method === "POST") {
      current.n++;
      const rec = {
        client: current.client, version: current.version, scenario: current.scenario, method: req.method,
        path: req.url, headers: scrubHeaders(req.headers), body: body === null ? raw : JSON.parse(scrubText(JSON.stringify(body))),
      };
      const file = path.join(current.dir, `${current.scenario}${current.n > 1 ? "-" + current.n : ""}.json`);
      fs.writeFileSync(file, JSON.stringify(rec, null, 2) + "\n");
    }
    if (req.url.startsWith("/v1/chat/completions")) return openaiAnswer(body ?? {}, res);
    if (req.url.startsWith("/v1/messages/count_tokens")) { res.writeHead(200, { "content-type": "application/json" }); return res.end('{"input_tokens":20}'); }
    if (req.url.startsWith("/v1/messages")) return anthropicAnswer(body ?? {}, res);
    res.writeHead(404, { "content-type": "application/json" });
    res.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

function begin(client, version, scenario) {
  const dir = path.join(outRoot, `${client}@${version}`);
  fs.mkdirSync(dir, { recursive: true });
  current = { client, version, scenario, dir, n: 0 };
}

function run(bin, args, opts) {
  return new Promise((resolve) => execFile(bin, args, { timeout: 120000, killSignal: "SIGKILL", maxBuffer: 16 << 20, ...opts }, (err, stdout, stderr) => resolve({ err, stdout, stderr })));
}

// ---------------------------------------------------------------- Claude Code

async function recordClaudeCode() {
  if (!fs.existsSync(claude)) return console.log(`skip claude-code: ${claude} not found`);
  const v = (await run(claude, ["--version"], {})).stdout.trim().split(/\s/)[0];
  workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rec-cwd-")));
  homeDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rec-home-")));
  fs.writeFileSync(path.join(workDir, "note.txt"), SECRET + "\n");
  const env = {
    PATH: process.env.PATH, HOME: homeDir, TMPDIR: os.tmpdir(), LANG: "C.UTF-8", ANTHROPIC_BASE_URL: base, ANTHROPIC_API_KEY: "sk-ant-recording",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_TELEMETRY: "1", DISABLE_AUTOUPDATER: "1", DISABLE_ERROR_REPORTING: "1",
  };
  begin("claude-code", v, "print-hello");
  let r = await run(claude, ["-p", "Say hello.", "--output-format", "json"], { cwd: workDir, env });
  if (r.err) console.log("claude-code print-hello:", r.err.message, r.stdout.slice(0, 500));
  begin("claude-code", v, "read-tool-session");
  r = await run(claude, ["-p", `Read the file ${path.join(workDir, "note.txt")} with the Read tool and tell me what it says.`, "--output-format", "json", "--allowedTools", "Read"], { cwd: workDir, env });
  if (r.err) console.log("claude-code read-tool-session:", r.err.message, r.stdout.slice(0, 500));
  begin("claude-code", v, "continue");
  r = await run(claude, ["-p", "What did it say, once more?", "--continue", "--output-format", "json"], { cwd: workDir, env });
  if (r.err) console.log("claude-code continue:", r.err.message, r.stdout.slice(0, 500));
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(homeDir, { recursive: true, force: true });
  workDir = homeDir = "";
}

// ---------------------------------------------------------------- Node SDKs

const WEATHER_SCHEMA = { type: "object", properties: { city: { type: "string" }, celsius: { type: "number" } }, required: ["city", "celsius"], additionalProperties: false };

async function recordNodeSdks() {
  const req = createRequire(path.join(nodeDeps, "noop.js"));
  let Anthropic, OpenAI, av, ov;
  try {
    const a = req.resolve("@anthropic-ai/sdk"); Anthropic = (await import(pathToFileURL(a).href)).default;
    av = JSON.parse(fs.readFileSync(path.join(nodeDeps, "@anthropic-ai/sdk/package.json"), "utf8")).version;
  } catch (e) { console.log("skip @anthropic-ai/sdk:", e.message); }
  try {
    const o = req.resolve("openai"); OpenAI = (await import(pathToFileURL(o).href)).default;
    ov = JSON.parse(fs.readFileSync(path.join(nodeDeps, "openai/package.json"), "utf8")).version;
  } catch (e) { console.log("skip openai:", e.message); }
  if (Anthropic) {
    const c = new Anthropic({ baseURL: base, apiKey: "sk-ant-recording", maxRetries: 0 });
    begin("anthropic-node", av, "create-thinking-format-tools");
    await c.messages.create({
      model: "claude-opus-5-5", max_tokens: 4096, system: "You are a weather bot.",
      messages: [{ role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }],
      thinking: { type: "adaptive" }, output_config: { effort: "high", format: { type: "json_schema", schema: WEATHER_SCHEMA } },
      stop_sequences: ["###"], tools: [{ name: "get_weather", description: "Current weather", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] }, strict: true }],
    }).catch((e) => console.log("anthropic-node create:", e.message));
    begin("anthropic-node", av, "stream-budget-thinking");
    await c.messages.stream({ model: "claude-sonnet-4-5", max_tokens: 8000, thinking: { type: "enabled", budget_tokens: 4000 }, messages: [{ role: "user", content: "Why is the sky blue?" }] })
      .finalMessage().catch((e) => console.log("anthropic-node stream:", e.message));
  }
  if (OpenAI) {
    const c = new OpenAI({ baseURL: base + "/v1", apiKey: "sk-openai-recording", maxRetries: 0 });
    begin("openai-node", ov, "create-effort-format-tools");
    await c.chat.completions.create({
      model: "gpt-5.2", messages: [{ role: "developer", content: "You are a weather bot." }, { role: "user", content: "Weather in Paris?" }, { role: "system", content: "Answer in JSON." }],
      reasoning_effort: "high", max_completion_tokens: 4096, temperature: 0.2, stop: ["###"],
      response_format: { type: "json_schema", json_schema: { name: "weather", strict: true, schema: WEATHER_SCHEMA } },
      tools: [{ type: "function", function: { name: "get_weather", description: "Current weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false }, strict: true } }],
    }).catch((e) => console.log("openai-node create:", e.message));
    begin("openai-node", ov, "stream-usage");
    const s = await c.chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hi" }] })
      .catch((e) => console.log("openai-node stream:", e.message));
    if (s) for await (const _ of s) { /* drain */ }
  }
}

// ---------------------------------------------------------------- Python SDKs

const PY = String.raw`
import sys, json, anthropic, openai
base = sys.argv[1]
which = sys.argv[2]
schema = {"type": "object", "properties": {"city": {"type": "string"}, "celsius": {"type": "number"}}, "required": ["city", "celsius"], "additionalProperties": False}
if which == "versions":
    print(json.dumps({"anthropic": anthropic.__version__, "openai": openai.__version__}))
elif which == "anthropic":
    c = anthropic.Anthropic(base_url=base, api_key="sk-ant-recording", max_retries=0)
    c.messages.create(model="claude-opus-5-5", max_tokens=4096, system="You are a weather bot.",
        messages=[{"role": "user", "content": "Weather in Paris?"}, {"role": "system", "content": "Answer in JSON."}],
        thinking={"type": "adaptive"}, output_config={"effort": "high", "format": {"type": "json_schema", "schema": schema}},
        stop_sequences=["###"], tools=[{"name": "get_weather", "description": "Current weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": True}])
elif which == "openai":
    c = openai.OpenAI(base_url=base + "/v1", api_key="sk-openai-recording", max_retries=0)
    c.chat.completions.create(model="gpt-5.2", messages=[{"role": "developer", "content": "You are a weather bot."}, {"role": "user", "content": "Weather in Paris?"}, {"role": "system", "content": "Answer in JSON."}],
        reasoning_effort="high", max_completion_tokens=4096, temperature=0.2, stop=["###"],
        response_format={"type": "json_schema", "json_schema": {"name": "weather", "strict": True, "schema": schema}},
        tools=[{"type": "function", "function": {"name": "get_weather", "description": "Current weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"], "additionalProperties": False}, "strict": True}}])
`;

async function recordPython() {
  if (!fs.existsSync(python)) return console.log(`skip Python SDKs: ${python} not found`);
  const v = await run(python, ["-c", PY, base, "versions"], {});
  if (v.err) return console.log("skip Python SDKs:", v.stderr.slice(0, 300));
  const versions = JSON.parse(v.stdout);
  begin("anthropic-python", versions.anthropic, "create-thinking-format-tools");
  let r = await run(python, ["-c", PY, base, "anthropic"], {});
  if (r.err) console.log("anthropic-python:", r.stderr.slice(-500));
  begin("openai-python", versions.openai, "create-effort-format-tools");
  r = await run(python, ["-c", PY, base, "openai"], {});
  if (r.err) console.log("openai-python:", r.stderr.slice(-500));
}

await recordClaudeCode();
await recordNodeSdks();
await recordPython();
current = null;
server.closeAllConnections();
server.close();
console.log("recorded into", outRoot);
