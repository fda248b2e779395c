// The chaos upstream: one HTTP server on 127.0.0.1 standing in for api.openai.com and api.anthropic.com, answering
// each attempt of each client request as the request's plan says (valid JSON or SSE of the upstream's protocol,
// HTML 502 pages, 429/500/503/529, non-JSON bodies, cut or garbage SSE, resets, stalls, key-echoing errors, gzip).
// Requests name their plan by a marker in the body (`chaos#<id>`), which survives protocol conversion and the
// plugin's retry callouts; every attempt is recorded, with any client credential seen in it.
import * as http from "node:http";
import * as zlib from "node:zlib";
import type { AddressInfo } from "node:net";

export type Answer =
  | "ok" | "html502" | "text500" | "json429" | "json500" | "json503" | "overloaded529" | "bodiless503" | "bodiless429"
  | "keyEcho401" | "keyEcho500" | "nonJson200" | "truncated200" | "sseCut" | "sseGarbage" | "sseErrorFirst"
  | "sseErrorNoEnd" | "sseKeyError" | "resetBeforeHeaders" | "resetMidStream" | "stall" | "gzip200" | "gzipKeyError";

/** Answers whose bytes come from the upstream as a success (a 200 the plugin may pass or convert). */
export const GOOD: ReadonlySet<Answer> = new Set<Answer>(["ok"]);

export const ALL_ANSWERS: Answer[] = [
  "ok", "html502", "text500", "json429", "json500", "json503", "overloaded529", "bodiless503", "bodiless429", "keyEcho401",
  "keyEcho500", "nonJson200", "truncated200", "sseCut", "sseGarbage", "sseErrorFirst", "sseErrorNoEnd", "sseKeyError",
  "resetBeforeHeaders", "resetMidStream", "stall", "gzip200", "gzipKeyError",
];

export interface Attempt {
  id: number;
  index: number;
  answer: Answer;
  path: string;
  protocol: "openai" | "anthropic";
  stream: boolean;
  /** Client credentials found in the attempt's headers, path or body. */
  credentials: string[];
  /** The provider key the attempt carried. */
  key: string;
}

/** The marker a body of this attempt carries; the client must never see one of a failed attempt. */
export function marker(id: number, index: number): string {
  return `chaos-answer-${id}-${index}`;
}

export interface ChaosUpstream {
  url: string;
  /** Answers per attempt for request `id` (attempts past the list get "ok"). */
  plan(id: number, answers: Answer[]): void;
  attempts(id: number): Attempt[];
  /** Requests without a chaos marker (health-check probes) and requests seen at all. */
  unmarked: number;
  total: number;
  credentialLeaks: string[];
  close(): Promise<void>;
}

const CLIENT_SECRET = /client-secret-[a-z0-9]+/g;

function keyOf(req: http.IncomingMessage): string {
  const auth = req.headers["authorization"];
  if (typeof auth === "string" && auth.startsWith("Bearer ")) return auth.slice(7);
  const x = req.headers["x-api-key"];
  return typeof x === "string" ? x : "";
}

const openaiJson = (m: string) => JSON.stringify({
  id: "chatcmpl-chaos", object: "chat.completion", created: 1700000000, model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: `Hello ${m}` }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});
const anthropicJson = (m: string) => JSON.stringify({
  id: "msg_chaos", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: `Hello ${m}` }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 5, output_tokens: 2 },
});

function openaiSse(m: string): string[] {
  const c = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: "chatcmpl-chaos", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return [c({ role: "assistant", content: "" }, null), c({ content: "Hello " }, null), c({ content: m }, null), c({}, "stop"),
    `data: ${JSON.stringify({ id: "chatcmpl-chaos", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o", choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`,
    "data: [DONE]\n\n"];
}
function anthropicSse(m: string): string[] {
  const e = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify({ type: name, ...data })}\n\n`;
  return [
    e("message_start", { message: { id: "msg_chaos", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } } }),
    e("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    e("ping", {}),
    e("content_block_delta", { index: 0, delta: { type: "text_delta", text: `Hello ${m}` } }),
    e("content_block_stop", { index: 0 }),
    e("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } }),
    e("message_stop", {}),
  ];
}
const openaiError = (msg: string, type = "server_error") => JSON.stringify({ error: { message: msg, type, param: null, code: null } });
const anthropicError = (msg: string, type = "api_error") => JSON.stringify({ type: "error", error: { type, message: msg } });
const sseError = (p: "openai" | "anthropic", msg: string) => p === "openai"
  ? `data: ${openaiError(msg)}\n\n` : `event: error\ndata: ${anthropicError(msg, "overloaded_error")}\n\n`;

export async function startChaosUpstream(opts: { stallMs: number }): Promise<ChaosUpstream> {
  const plans = new Map<number, Answer[]>();
  const seen = new Map<number, Attempt[]>();
  const sockets = new Set<import("node:net").Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { unmarked: 0, total: 0, credentialLeaks: [] as string[] };

  const answer = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => {
    state.total++;
    const text = body.toString("latin1");
    const path = req.url ?? "/";
    const creds: string[] = [];
    for (const [k, v] of Object.entries(req.headers)) for (const m of String(v).match(CLIENT_SECRET) ?? []) creds.push(`header ${k}: ${m}`);
    for (const m of path.match(CLIENT_SECRET) ?? []) creds.push(`path: ${m}`);
    for (const m of text.match(CLIENT_SECRET) ?? []) creds.push(`body: ${m}`);
    if (creds.length) state.credentialLeaks.push(...creds.map((c) => `${path}: ${c}`));
    const protocol: "openai" | "anthropic" = path.includes("/messages") ? "anthropic" : "openai";
    const stream = /"stream"\s*:\s*true/.test(text);
    const key = keyOf(req);
    const idm = /chaos#(\d+)/.exec(text) ?? /chaos=(\d+)/.exec(path);
    if (idm === null) {
      // A health-check probe, or a request the harness did not mark: a plain success.
      state.unmarked++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(path.startsWith("/v1/models") ? JSON.stringify({ object: "list", data: [] }) : protocol === "openai" ? openaiJson("probe") : anthropicJson("probe"));
      return;
    }
    const id = Number(idm[1]);
    const list = seen.get(id) ?? [];
    seen.set(id, list);
    const index = list.length;
    const plan = plans.get(id) ?? [];
    const a: Answer = index < plan.length ? plan[index] : "ok";
    list.push({ id, index, answer: a, path, protocol, stream, credentials: creds, key });
    const m = marker(id, index);
    const json = (status: number, b: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...extra });
      res.end(b);
    };
    const sse = (events: string[], then: "end" | "reset" = "end") => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      for (const e of events) res.write(e);
      if (then === "end") res.end();
      else setTimeout(() => res.socket?.destroy(), 20);
    };
    const good = () => {
      if (path.startsWith("/v1/models")) return json(200, JSON.stringify({ object: "list", data: [{ id: m, object: "model", created: 1, owned_by: "chaos" }] }));
      if (path.includes("count_tokens")) return json(200, JSON.stringify({ input_tokens: 5, note: m }));
      if (stream) return sse(protocol === "openai" ? openaiSse(m) : anthropicSse(m));
      json(200, protocol === "openai" ? openaiJson(m) : anthropicJson(m));
    };
    const err = (msg: string) => protocol === "openai" ? openaiError(msg) : anthropicError(msg);
    const events = () => (protocol === "openai" ? openaiSse(m) : anthropicSse(m));
    switch (a) {
      case "ok": return good();
      case "html502":
        res.writeHead(502, { "content-type": "text/html" });
        return res.end(`<html><head><title>502 Bad Gateway ${m}</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>`);
      case "text500":
        res.writeHead(500, { "content-type": "text/plain" });
        return res.end(`Internal Server Error ${m}`);
      case "json429": return json(429, protocol === "openai" ? openaiError(`Rate limit reached ${m}`, "rate_limit_error") : anthropicError(`Rate limited ${m}`, "rate_limit_error"), { "retry-after": "1" });
      case "json500": return json(500, err(`server had an error ${m}`));
      case "json503": return json(503, JSON.stringify({ message: `Service Unavailable ${m}` }));
      case "overloaded529": return json(529, anthropicError(`Overloaded ${m} key=${key}`, "overloaded_error"));
      case "bodiless503": res.writeHead(503); return res.end();
      case "bodiless429": res.writeHead(429, { "retry-after": "1" }); return res.end();
      case "keyEcho401": return json(401, protocol === "openai" ? openaiError(`Incorrect API key provided: ${key} ${m}`, "invalid_request_error") : anthropicError(`invalid x-api-key ${key} ${m}`, "authentication_error"));
      case "keyEcho500":
        res.writeHead(500, { "content-type": "text/plain" });
        return res.end(`upstream failure for key ${key} ${m}`);
      case "nonJson200":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(`<html><title>Login ${m}</title></html>`);
      case "truncated200": return json(200, (protocol === "openai" ? openaiJson(m) : anthropicJson(m)).slice(0, 40));
      case "sseCut": {
        const s = events().slice(0, 3).join("");
        return sse([s.slice(0, s.length - 17)]);
      }
      case "sseGarbage": {
        const e = events();
        e.splice(2, 0, "garbage line without a field\n\n", "data: not json at all\n\n", "data: {\"half\":\n\n", ": keep-alive comment\n\n", "\u0000\u0001binary junk\n\n");
        return sse(e);
      }
      case "sseErrorFirst": return sse([sseError(protocol, `overloaded ${m} key=${key}`)].concat(protocol === "openai" ? ["data: [DONE]\n\n"] : []));
      case "sseErrorNoEnd": return sse(events().slice(0, 2).concat([sseError(protocol, `stream failed ${m}`)]));
      case "sseKeyError": return sse(events().slice(0, 2).concat([sseError(protocol, `bad key ${key} ${m}`)]));
      case "resetBeforeHeaders": return req.socket.destroy();
      case "resetMidStream": return sse(events().slice(0, 2), "reset");
      case "stall": {
        const t = setTimeout(() => { timers.delete(t); req.socket.destroy(); }, opts.stallMs);
        timers.add(t);
        return;
      }
      case "gzip200": {
        res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json", "content-encoding": "gzip" });
        return res.end(zlib.gzipSync(stream ? events().join("") : protocol === "openai" ? openaiJson(m) : anthropicJson(m)));
      }
      case "gzipKeyError":
        res.writeHead(500, { "content-type": "application/json", "content-encoding": "gzip" });
        return res.end(zlib.gzipSync(err(`failure for key ${key} ${m}`)));
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => answer(req, Buffer.concat(chunks), res));
    req.on("error", () => {});
    res.on("error", () => {});
  });
  server.on("connection", (s) => { sockets.add(s); s.on("close", () => sockets.delete(s)); s.on("error", () => {}); });
  server.keepAliveTimeout = 30000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    plan: (id, answers) => plans.set(id, answers),
    attempts: (id) => seen.get(id) ?? [],
    get unmarked() { return state.unmarked; },
    get total() { return state.total; },
    get credentialLeaks() { return state.credentialLeaks; },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
