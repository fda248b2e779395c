// A built-in mock LLM on loopback: OpenAI chat completions (plain and SSE, include_usage, tool calls), OpenAI
// embeddings, OpenAI models, Anthropic /v1/messages (plain and SSE with the real event sequence), and Gemini
// models/{model}:generateContent / :streamGenerateContent?alt=sse (Google's wire format, x-goog-api-key). Used by
// `quickstart` when no provider key is set, and by tests (requests are recorded; faults and slow streams on demand).

import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: unknown;
}

export interface MockFault {
  status: number;
  body?: string | object;
  headers?: Record<string, string>;
  /** How many requests get the fault (default: all until cleared). */
  times?: number;
}

export interface MockLlmOptions {
  port?: number;
  host?: string;
  /** Delay before each streamed chunk (ms): lets tests prove chunk-by-chunk delivery. */
  chunkDelayMs?: number;
  /** Answer every request with this fault. */
  fault?: MockFault;
  /** Require a credential (Authorization for OpenAI paths, x-api-key for Anthropic). Default true. */
  requireAuth?: boolean;
  /** The assistant's text (default: a greeting quoting the last user message). */
  reply?: string;
}

export interface MockLlm {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Mutable at runtime: chunkDelayMs, fault, requireAuth, reply. */
  options: MockLlmOptions;
  setFault(f: MockFault | undefined): void;
  close(): Promise<void>;
}

const id = (prefix: string, n = 24) => prefix + randomBytes(n).toString("base64url").replace(/[-_]/g, "x").slice(0, n);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tokens = (s: string) => Math.max(1, Math.ceil(s.length / 4));

export async function startMockLlm(opts: MockLlmOptions = {}): Promise<MockLlm> {
  const options: MockLlmOptions = { requireAuth: true, chunkDelayMs: 0, ...opts };
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = undefined;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json });
      handle(req, res, json, options).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: String(e), type: "server_error" } }));
      });
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    requests,
    options,
    setFault(f) {
      options.fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse, json: any, o: MockLlmOptions): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  const anthropic = path.endsWith("/v1/messages") || path === "/messages";
  const gemini = /\/models\/[^/]+:(stream)?[gG]enerateContent$/.exec(path);
  if (gemini && !o.fault) return geminiGenerate(req, res, json ?? {}, decodeURIComponent(path.slice(path.lastIndexOf("/") + 1, path.lastIndexOf(":"))), !!gemini[1], o);
  if (o.fault && (o.fault.times === undefined || o.fault.times > 0)) {
    const f = o.fault;
    if (f.times !== undefined && --f.times <= 0) o.fault = undefined;
    const body = typeof f.body === "string" ? f.body : JSON.stringify(f.body ?? errorBody(anthropic, f.status, "forced error"));
    res.writeHead(f.status, { "content-type": "application/json", ...f.headers });
    res.end(body);
    return;
  }
  if (o.requireAuth) {
    const ok = anthropic ? !!req.headers["x-api-key"] || !!req.headers.authorization : !!req.headers.authorization || !!req.headers["api-key"];
    if (!ok) {
      const msg = anthropic ? "x-api-key header is required" : "You didn't provide an API key.";
      return sendJson(res, 401, errorBody(anthropic, 401, msg));
    }
  }
  if (req.method === "GET" && path.endsWith("/models")) {
    return sendJson(res, 200, {
      object: "list",
      data: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"].map((m) => ({ id: m, object: "model", created: 1715367049, owned_by: "system" })),
    });
  }
  if (req.method !== "POST") return sendJson(res, 404, errorBody(anthropic, 404, `Unknown path ${path}`));
  if (path.endsWith("/chat/completions")) return openaiChat(res, json ?? {}, o);
  if (path.endsWith("/embeddings")) return sendJson(res, 200, embeddings(json ?? {}));
  if (anthropic) return anthropicMessages(res, json ?? {}, o);
  return sendJson(res, 404, errorBody(anthropic, 404, `Unknown path ${path}`));
}

function errorBody(anthropic: boolean, status: number, message: string): object {
  if (anthropic) {
    const type = status === 401 ? "authentication_error" : status === 429 ? "rate_limit_error" : status >= 500 ? "api_error" : "invalid_request_error";
    return { type: "error", error: { type, message } };
  }
  const type = status === 401 ? "invalid_request_error" : status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error";
  return { error: { message, type, param: null, code: status === 401 ? "invalid_api_key" : null } };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function lastUserText(messages: any[]): string {
  for (let i = (messages?.length ?? 0) - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== "user") continue;
    if (typeof m.content === "string") return m.content;
    if (Array.isArray(m.content)) return m.content.map((p: any) => p?.text ?? "").join(" ");
  }
  return "";
}

/** Whether the conversation ends with a tool result (OpenAI role "tool", or an Anthropic tool_result block). */
function endsWithToolResult(messages: any[]): boolean {
  const last = Array.isArray(messages) ? messages[messages.length - 1] : undefined;
  if (!last) return false;
  if (last.role === "tool") return true;
  return last.role === "user" && Array.isArray(last.content) && last.content.some((b: any) => b?.type === "tool_result");
}

/** Like a real model: call the first tool when offered, but answer in text once a tool result came back. */
function toolToCall(json: any, noneChoice: boolean): { name: string; args: string } | null {
  if (!Array.isArray(json.tools) || json.tools.length === 0 || noneChoice || endsWithToolResult(json.messages)) return null;
  return toolOf(json.tools);
}

function replyText(json: any, o: MockLlmOptions): string {
  return o.reply ?? `Hello! This is the ai-proxy-wasm mock LLM. You said: ${lastUserText(json.messages).slice(0, 200)}`;
}

/** Words with their leading space, the way real streams split text. */
function pieces(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

function promptTokens(json: any): number {
  return tokens(JSON.stringify(json.messages ?? json.input ?? json.system ?? ""));
}

async function writeSse(res: http.ServerResponse, events: string[], o: MockLlmOptions): Promise<void> {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  res.flushHeaders();
  for (const e of events) {
    if (o.chunkDelayMs) await sleep(o.chunkDelayMs);
    if (res.destroyed) return;
    res.write(e);
  }
  res.end();
}

function toolOf(tools: any[]): { name: string; args: string } | null {
  const t = tools?.[0];
  const name = t?.function?.name ?? t?.name;
  if (!name) return null;
  const params = t?.function?.parameters ?? t?.input_schema ?? {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries<any>(params.properties ?? {})) args[k] = v?.type === "number" || v?.type === "integer" ? 1 : "mock";
  return { name, args: JSON.stringify(args) };
}

async function openaiChat(res: http.ServerResponse, json: any, o: MockLlmOptions): Promise<void> {
  const model = json.model ?? "gpt-4o-mini";
  const created = Math.floor(Date.now() / 1000);
  const chatId = id("chatcmpl-", 29);
  const useTool = toolToCall(json, json.tool_choice === "none");
  const text = replyText(json, o);
  const prompt = promptTokens(json);
  const completion = useTool ? tokens(useTool.args) + 8 : pieces(text).length;
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const callId = id("call_", 24);
  if (!json.stream) {
    const message = useTool
      ? { role: "assistant", content: null, tool_calls: [{ id: callId, type: "function", function: { name: useTool.name, arguments: useTool.args } }], refusal: null, annotations: [] }
      : { role: "assistant", content: text, refusal: null, annotations: [] };
    return sendJson(res, 200, {
      id: chatId,
      object: "chat.completion",
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: useTool ? "tool_calls" : "stop" }],
      usage,
      service_tier: "default",
      system_fingerprint: "fp_mock0001",
    });
  }
  const includeUsage = !!json.stream_options?.include_usage;
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: chatId,
      object: "chat.completion.chunk",
      created,
      model,
      service_tier: "default",
      system_fingerprint: "fp_mock0001",
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    })}\n\n`;
  const events: string[] = [];
  if (useTool) {
    events.push(chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: callId, type: "function", function: { name: useTool.name, arguments: "" } }], refusal: null }, null));
    for (const part of useTool.args.match(/.{1,8}/g) ?? []) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }, null));
    events.push(chunk({}, "tool_calls"));
  } else {
    events.push(chunk({ role: "assistant", content: "", refusal: null }, null));
    for (const p of pieces(text)) events.push(chunk({ content: p }, null));
    events.push(chunk({}, "stop"));
  }
  if (includeUsage) {
    events.push(`data: ${JSON.stringify({ id: chatId, object: "chat.completion.chunk", created, model, service_tier: "default", system_fingerprint: "fp_mock0001", choices: [], usage })}\n\n`);
  }
  events.push("data: [DONE]\n\n");
  await writeSse(res, events, o);
}

function embeddings(json: any): object {
  const inputs: string[] = Array.isArray(json.input) ? json.input.map(String) : [String(json.input ?? "")];
  const model = json.model ?? "text-embedding-3-small";
  const dims = Number(json.dimensions) || (model.includes("large") ? 3072 : 1536);
  const data = inputs.map((text, index) => {
    // Deterministic unit-ish vector from the text.
    let seed = 2166136261;
    for (const ch of text) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619) >>> 0;
    const v = Array.from({ length: dims }, (_, i) => {
      seed = (Math.imul(seed, 1664525) + 1013904223 + i) >>> 0;
      return Math.round(((seed / 4294967296) * 2 - 1) * 1e6) / 1e6 / Math.sqrt(dims);
    });
    const embedding = json.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v;
    return { object: "embedding", index, embedding };
  });
  const prompt = inputs.reduce((n, s) => n + tokens(s), 0);
  return { object: "list", data, model, usage: { prompt_tokens: prompt, total_tokens: prompt } };
}

async function anthropicMessages(res: http.ServerResponse, json: any, o: MockLlmOptions): Promise<void> {
  const model = json.model ?? "claude-sonnet-4-20250514";
  const msgId = id("msg_01", 22);
  const text = replyText(json, o);
  const tool = toolToCall(json, json.tool_choice?.type === "none");
  const input = promptTokens(json);
  const output = tool ? tokens(tool.args) + 8 : pieces(text).length;
  const usage = { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output, service_tier: "standard" };
  const toolId = id("toolu_01", 22);
  if (!json.stream) {
    const content = tool ? [{ type: "tool_use", id: toolId, name: tool.name, input: JSON.parse(tool.args) }] : [{ type: "text", text }];
    return sendJson(res, 200, {
      id: msgId,
      type: "message",
      role: "assistant",
      model,
      content,
      stop_reason: tool ? "tool_use" : "end_turn",
      stop_sequence: null,
      usage,
    });
  }
  const ev = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const events = [
    ev("message_start", {
      type: "message_start",
      message: { id: msgId, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } },
    }),
  ];
  if (tool) {
    events.push(ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: toolId, name: tool.name, input: {} } }));
    events.push(ev("ping", { type: "ping" }));
    for (const part of tool.args.match(/.{1,8}/g) ?? []) {
      events.push(ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: part } }));
    }
  } else {
    events.push(ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
    events.push(ev("ping", { type: "ping" }));
    for (const p of pieces(text)) events.push(ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: p } }));
  }
  events.push(ev("content_block_stop", { type: "content_block_stop", index: 0 }));
  events.push(ev("message_delta", { type: "message_delta", delta: { stop_reason: tool ? "tool_use" : "end_turn", stop_sequence: null }, usage: { output_tokens: output } }));
  events.push(ev("message_stop", { type: "message_stop" }));
  await writeSse(res, events, o);
}

/** Google's error object (https://ai.google.dev/gemini-api/docs/troubleshooting). */
function googleError(status: number, message: string, code: string): object {
  return { error: { code: status, message, status: code } };
}

/** The Gemini API's generateContent / streamGenerateContent (alt=sse: `data: {GenerateContentResponse}` + CRLF CRLF). */
async function geminiGenerate(req: http.IncomingMessage, res: http.ServerResponse, json: any, model: string, stream: boolean, o: MockLlmOptions): Promise<void> {
  if (o.requireAuth && !req.headers["x-goog-api-key"]) return sendJson(res, 403, googleError(403, "Method doesn't allow unregistered callers. Please use API Key or other form of API consumer identity to call this API.", "PERMISSION_DENIED"));
  if (!Array.isArray(json.contents) || json.contents.length === 0) return sendJson(res, 400, googleError(400, "* GenerateContentRequest.contents: contents is not specified", "INVALID_ARGUMENT"));
  const lastUser = [...json.contents].reverse().find((c: any) => c?.role === "user" || c?.role === undefined);
  const said = (lastUser?.parts ?? []).map((p: any) => p?.text ?? "").join(" ");
  const answered = (lastUser?.parts ?? []).some((p: any) => p?.functionResponse);
  const decl = json.tools?.[0]?.functionDeclarations?.[0];
  const mode = json.toolConfig?.functionCallingConfig?.mode;
  const call = decl && !answered && mode !== "NONE" ? { name: decl.name, args: JSON.parse(toolOf([{ name: decl.name, input_schema: decl.parametersJsonSchema ?? decl.parameters }])!.args) } : null;
  const text = o.reply ?? `Hello! This is the ai-proxy-wasm mock LLM. You said: ${said.slice(0, 200)}`;
  const prompt = tokens(JSON.stringify(json.contents));
  const output = call ? tokens(JSON.stringify(call.args)) : pieces(text).length;
  const responseId = id("", 22);
  const usage = { promptTokenCount: prompt, candidatesTokenCount: output, totalTokenCount: prompt + output, promptTokensDetails: [{ modality: "TEXT", tokenCount: prompt }] };
  const response = (parts: object[], finish: boolean, u: object) => ({
    candidates: [{ content: { parts, role: "model" }, ...(finish ? { finishReason: "STOP" } : {}), index: 0 }],
    usageMetadata: u, modelVersion: model, responseId,
  });
  const parts = call ? [{ functionCall: call, thoughtSignature: "bW9jay1zaWduYXR1cmU=" }] : [{ text }];
  if (!stream) return sendJson(res, 200, response(parts, true, usage));
  const events: string[] = [];
  const partial = { promptTokenCount: prompt, totalTokenCount: prompt, promptTokensDetails: usage.promptTokensDetails };
  if (call) events.push(response(parts, true, usage) as any);
  else {
    const words = pieces(text);
    words.forEach((w, i) => events.push(response([{ text: w }], i === words.length - 1, i === words.length - 1 ? usage : partial) as any));
  }
  await writeSse(res, events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`), o);
}
