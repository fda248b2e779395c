// Runs fuzz cases through build/ai-proxy.wasm in the host and checks the invariants of issue 5:
// no trap; the client always gets a well-formed answer in its own protocol; no provider key in any response or
// log line; the client's credentials never reach the upstream. Failing cases are saved as replayable fixtures.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { HostOptions, Plugin, ProxyWasmHost, Vm } from "../../host";
import type { ExchangeResult } from "../../host/exchange";
import { ROOT, startPlugin } from "../support/plugin";
import {
  b64, caseSeed, CLIENT_SECRET, CONFIGS, FuzzCase, generateRequest, generateUpstream, PROVIDER_KEYS, Proto, Rng, splitCuts, unb64,
  upstreamProtocolOf, GenOptions,
} from "./gen";

export const FAILURES_DIR = path.join(ROOT, "tests", "fuzz", "failures");

/**
 * Host options for fuzzing: Envoy's buffer limit as envoy/envoy.yaml sets it (per_connection_buffer_limit_bytes
 * 10 MiB), and a generous stall timeout (a stalled exchange is a failure, not a hang).
 */
export const HOST_OPTIONS: HostOptions = { bufferLimitBytes: 10 * 1024 * 1024, stallTimeoutMs: 5000 };

const hosts = new Map<string, Promise<ProxyWasmHost>>();
/** A VM with the plugin configured: build/ai-proxy.wasm, or the module named by $AI_PROXY_WASM. */
export async function start(config: object, opts: HostOptions = HOST_OPTIONS): Promise<{ vm: Vm; plugin: Plugin }> {
  const file = process.env.AI_PROXY_WASM;
  if (!file) return startPlugin(config, opts);
  const key = file + JSON.stringify(opts);
  if (!hosts.has(key)) hosts.set(key, ProxyWasmHost.load(file, opts));
  const vm = await (await hosts.get(key)!).createVm();
  const plugin = vm.startPlugin({ configuration: config });
  if (!plugin.ok) throw new Error("configuration refused: " + vm.logs.map((l) => l.message).join(" | "));
  return { vm, plugin };
}

export function generateCase(seed: number, config: string, opts: GenOptions = {}): { c: FuzzCase; rng: Rng; clientStream: boolean } {
  const r = new Rng(seed);
  const g = generateRequest(r, config, opts);
  const c: FuzzCase = {
    seed, config, valid: g.valid, mutations: g.mutations, request: g.req,
    upstream: { kind: "", status: 0, headers: [], body: "", cuts: [] },
  };
  return { c, rng: r, clientStream: g.clientStream };
}

// ---------------------------------------------------------------------------------------------- protocol oracles

/** The client's protocol as the gateway must see it: by path, then by the anthropic-version header. */
export function clientProtocolOf(p: string, headers: Array<[string, string]>): Proto {
  let s = p;
  for (const ch of ["?", "#"]) { const i = s.indexOf(ch); if (i >= 0) s = s.slice(0, i); }
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  if (s.endsWith("/chat/completions")) return "openai";
  if (s.endsWith("/v1/messages/count_tokens") || s.endsWith("/v1/messages/batches") || s.includes("/v1/messages/batches/") || s.endsWith("/v1/messages") || s.endsWith("/v1/complete")) return "anthropic";
  if (s.endsWith("/embeddings") || s.endsWith("/v1/completions") || s.endsWith("/v1/responses") || s.includes("/v1/responses/")) return "openai";
  return headers.some(([k]) => k.toLowerCase() === "anthropic-version") ? "anthropic" : "openai";
}

/** The request is one the gateway translates (chat completions or messages). */
export function isTranslatedApi(p: string): boolean {
  let s = p;
  for (const ch of ["?", "#"]) { const i = s.indexOf(ch); if (i >= 0) s = s.slice(0, i); }
  while (s.length > 1 && s.endsWith("/")) s = s.slice(0, -1);
  return s.endsWith("/chat/completions") || (s.endsWith("/v1/messages") && !s.endsWith("/batches"));
}

/** null when `text` is a well-formed error body in `proto`; otherwise what is wrong. */
export function errorShapeProblem(proto: Proto, text: string): string | null {
  let v: any;
  try { v = JSON.parse(text); } catch { return `error body is not JSON: ${JSON.stringify(text.slice(0, 120))}`; }
  if (proto === "anthropic") {
    if (v === null || typeof v !== "object" || v.type !== "error" || typeof v.error !== "object" || v.error === null) return `not an Anthropic error object: ${text.slice(0, 160)}`;
    if (typeof v.error.type !== "string" || typeof v.error.message !== "string") return `Anthropic error without string type/message: ${text.slice(0, 160)}`;
    return null;
  }
  if (v === null || typeof v !== "object" || typeof v.error !== "object" || v.error === null) return `not an OpenAI error object: ${text.slice(0, 160)}`;
  if (typeof v.error.message !== "string") return `OpenAI error without a string message: ${text.slice(0, 160)}`;
  return null;
}

interface SseEv { event: string; data: string }

export function parseSse(text: string): { events: SseEv[]; tail: string } {
  const events: SseEv[] = [];
  const norm = text.replace(/\r\n/g, "\n").replace(/\r/g, "\n");
  const parts = norm.split("\n\n");
  const tail = parts.pop() ?? "";
  for (const part of parts) {
    if (!part.length) continue;
    let event = "";
    const data: string[] = [];
    for (const line of part.split("\n")) {
      if (line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? "" : line.slice(i + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length || event) events.push({ event, data: data.join("\n") });
  }
  return { events, tail };
}

/** A stream the gateway produced (converted): every event well-formed JSON, properly ended. */
export function convertedStreamProblem(proto: Proto, text: string): string | null {
  const { events, tail } = parseSse(text);
  if (tail.trim().length) return `stream ends with a partial event: ${JSON.stringify(tail.slice(0, 120))}`;
  if (!events.length) return "empty stream";
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (proto === "openai" && e.data === "[DONE]") {
      if (i !== events.length - 1) return "[DONE] is not the last event";
      continue;
    }
    let v: any;
    try { v = JSON.parse(e.data); } catch { return `event ${i} data is not JSON: ${JSON.stringify(e.data.slice(0, 120))}`; }
    if (v === null || typeof v !== "object" || Array.isArray(v)) return `event ${i} data is not an object`;
    if (proto === "anthropic") {
      if (!e.event) return `event ${i} has no event name`;
      if (v.type !== e.event) return `event ${i}: type ${v.type} under event: ${e.event}`;
      if (e.event === "error" && errorShapeProblem("anthropic", e.data)) return `bad error event: ${errorShapeProblem("anthropic", e.data)}`;
      if ((e.event === "message_stop" || e.event === "error") && i !== events.length - 1) return `${e.event} is not the last event`;
    }
  }
  const last = events[events.length - 1];
  if (proto === "openai" && last.data !== "[DONE]") return "OpenAI stream does not end with [DONE]";
  if (proto === "anthropic" && last.event !== "message_stop" && last.event !== "error") return `Anthropic stream ends with ${last.event || "(no event)"}, not message_stop or error`;
  if (proto === "anthropic" && last.event === "message_stop" && events[0].event !== "message_start") return "Anthropic stream has message_stop without message_start";
  return null;
}

/** A same-protocol stream passed through: it must still end properly (an end marker or an error). */
export function passthroughStreamProblem(proto: Proto, text: string): string | null {
  const { events } = parseSse(text);
  if (proto === "openai") {
    const ok = events.some((e) => e.data === "[DONE]") || events.some((e) => { try { const v = JSON.parse(e.data); return v && typeof v === "object" && v.error != null; } catch { return false; } });
    return ok ? null : "passthrough OpenAI stream has neither [DONE] nor an error";
  }
  const ok = events.some((e) => e.event === "message_stop" || e.event === "error");
  return ok ? null : "passthrough Anthropic stream has neither message_stop nor error";
}

// ---------------------------------------------------------------------------------------------- running a case

export interface CaseResult { failures: string[]; result: ExchangeResult | null; upstreamCalled: boolean }

function materializeBody(c: FuzzCase["upstream"], key: string): Uint8Array {
  const raw = unb64(c.body);
  if (!c.echoKey) return raw;
  return new Uint8Array(Buffer.from(Buffer.from(raw).toString("latin1").split("$KEY").join(key), "latin1"));
}

function keyOf(up: { headers: Array<[string, string]> }): string {
  for (const [k, v] of up.headers) {
    if (k === "authorization") return v.replace(/^Bearer /, "");
    if (k === "x-api-key" || k === "api-key") return v;
  }
  return "";
}

/**
 * Runs one case. `rng` (when given) generates the upstream answer from what reached the upstream and records it
 * in the case; without it (replay) the recorded answer is used.
 */
export async function runCase(plugin: Plugin, vm: Vm, c: FuzzCase, rng: Rng | null, clientStream = false): Promise<CaseResult> {
  const failures: string[] = [];
  const proto = clientProtocolOf(c.request.path, c.request.headers);
  const reqBody = c.request.body === null ? undefined : splitCuts(unb64(c.request.body), c.request.cuts);
  const authority = c.request.headers.find(([k]) => k === ":authority")?.[1] ?? "";
  const upProto = upstreamProtocolOf(c.config, authority, c.request.route ?? "");
  let upstreamCalled = false;
  let result: ExchangeResult | null = null;
  try {
    result = await plugin.exchange({
      request: { headers: c.request.headers, body: reqBody && reqBody.length === 1 && reqBody[0].length === 0 ? [reqBody[0]] : reqBody },
      properties: c.request.route ? { route_name: c.request.route } : undefined,
      upstream: (req) => {
        upstreamCalled = true;
        if (rng) c.upstream = generateUpstream(rng, req.path.includes("/v1/messages") ? "anthropic" : "openai", clientStream);
        const body = materializeBody(c.upstream, keyOf(req));
        // An empty body arrives as Envoy delivers it: the response headers end the stream.
        return { status: c.upstream.status, headers: c.upstream.headers, body: body.length ? splitCuts(body, c.upstream.cuts) : undefined };
      },
    });
  } catch (e) {
    failures.push("exchange failed: " + (e instanceof Error ? e.message : String(e)).slice(0, 300));
  }
  if (vm.trap) failures.push("TRAP: " + vm.trap.message.slice(0, 300));
  if (!result) return { failures, result, upstreamCalled };
  const r = result;

  // Secrets.
  const keys = PROVIDER_KEYS;
  for (const k of keys) {
    if (r.bodyText.includes(k)) failures.push(`provider key ${k.slice(0, 12)}… in the response body`);
    if (r.headers.some(([, v]) => v.includes(k))) failures.push(`provider key ${k.slice(0, 12)}… in a response header`);
    if (r.logs.some((l) => l.message.includes(k))) failures.push(`provider key ${k.slice(0, 12)}… in a log line`);
  }
  const up = r.upstreamRequest;
  if (up) {
    for (const [k, v] of up.headers) if (v.includes(CLIENT_SECRET)) failures.push(`client credential forwarded upstream in ${k}`);
    if (up.path.includes(CLIENT_SECRET) && !c.request.path.includes(CLIENT_SECRET)) failures.push("client credential in the upstream path");
    const key = keyOf(up);
    if (!keys.includes(key)) failures.push(`upstream request carries no provider key (got ${JSON.stringify(key.slice(0, 20))})`);
    if (upProto !== (up.path.includes("/v1/messages") ? "anthropic" : "openai") && isTranslatedApi(c.request.path)) failures.push(`request went to ${up.path}, expected the ${upProto} API`);
  }

  if (r.reset) failures.push("stream reset");
  if (r.status === 0) { failures.push("no status"); return { failures, result, upstreamCalled }; }

  if (c.valid && !up) failures.push(`a valid request was refused: ${r.status} ${r.bodyText.slice(0, 200)}`);

  const ct = (r.headers.find(([k]) => k === "content-type")?.[1] ?? "").toLowerCase();
  if (c.request.method === "HEAD") {
    // No body goes back to a HEAD request; the status still says what happened.
    if (!up && r.status < 400) failures.push(`local reply to HEAD with status ${r.status}`);
    return { failures, result, upstreamCalled };
  }
  if (!up) {
    // Refused locally: a 4xx (or 5xx) error in the client's protocol.
    if (upstreamCalled) failures.push("upstream called but no upstream request recorded");
    if (r.status >= 200 && r.status < 300) {
      // Answered by the gateway itself (count_tokens estimate, models list): a JSON object.
      let v: any;
      try { v = JSON.parse(r.bodyText); } catch { failures.push(`local ${r.status} is not JSON: ${JSON.stringify(r.bodyText.slice(0, 120))}`); }
      if (v !== undefined && (v === null || typeof v !== "object")) failures.push(`local ${r.status} is not a JSON object`);
      return { failures, result, upstreamCalled };
    }
    if (r.status < 400) failures.push(`local reply with status ${r.status}`);
    const p = errorShapeProblem(proto, r.bodyText);
    if (p) failures.push(`local reply: ${p}`);
    return { failures, result, upstreamCalled };
  }
  if (!isTranslatedApi(c.request.path)) return { failures, result, upstreamCalled };

  const converts = proto !== upProto;
  const sentBody = Buffer.from(up.body).toString();
  let askedStream = false;
  try { askedStream = JSON.parse(sentBody).stream === true; } catch { /* the gateway forwarded it, it parsed it */ }
  if (r.status >= 400) {
    const p = errorShapeProblem(proto, r.bodyText);
    if (p) failures.push(`${r.status}: ${p}`);
    if (c.upstream.status >= 400 && c.upstream.status <= 599 && r.status !== c.upstream.status && !(proto === "openai" && c.upstream.status === 529 && r.status === 503)) {
      failures.push(`upstream status ${c.upstream.status} became ${r.status}`);
    }
  } else if (r.status >= 200 && r.status < 300) {
    if (c.upstream.status < 200 || c.upstream.status > 299) failures.push(`upstream ${c.upstream.status} answered as ${r.status}`);
    const sseOut = ct.startsWith("text/event-stream");
    if (converts) {
      if (sseOut) {
        const p = convertedStreamProblem(proto, r.bodyText);
        if (p) failures.push("converted stream: " + p);
      } else if (r.body.length || c.upstream.status !== 204) {
        let v: any;
        try { v = JSON.parse(r.bodyText); } catch { failures.push(`converted body is not JSON: ${JSON.stringify(r.bodyText.slice(0, 160))}`); }
        if (v !== undefined && (v === null || typeof v !== "object")) failures.push("converted body is not an object");
      }
    } else if (sseOut && askedStream) {
      const p = passthroughStreamProblem(proto, r.bodyText);
      if (p) failures.push(p);
    }
  } else {
    failures.push(`client got status ${r.status}`);
  }
  return { failures, result, upstreamCalled };
}

// ---------------------------------------------------------------------------------------------- VMs, failures

export interface Pool { plugins: Map<string, { vm: Vm; plugin: Plugin }> }

export async function newPool(): Promise<Pool> {
  const plugins = new Map<string, { vm: Vm; plugin: Plugin }>();
  for (const [name, cfg] of Object.entries(CONFIGS)) plugins.set(name, await start(cfg));
  return { plugins };
}

/** A good request for the config: the VM must still serve it correctly. */
export async function healthCheck(plugin: Plugin, vm: Vm, config: string): Promise<string | null> {
  const r = await plugin.exchange({
    request: {
      headers: [[":method", "POST"], [":path", "/v1/chat/completions"], [":authority", "gateway.local"], ["content-type", "application/json"]],
      body: JSON.stringify({ model: "gpt-4", messages: [{ role: "user", content: "ping" }] }),
    },
    upstream: (req) => {
      const anth = req.path.includes("/v1/messages");
      const body = anth
        ? JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "pong" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } })
        : JSON.stringify({ id: "c1", object: "chat.completion", model: "m", choices: [{ index: 0, message: { role: "assistant", content: "pong" }, finish_reason: "stop" }] });
      return { status: 200, headers: [["content-type", "application/json"]], body };
    },
  });
  if (vm.trap) return `${config}: VM trapped: ${vm.trap.message}`;
  if (r.status !== 200) return `${config}: health check got ${r.status} ${r.bodyText.slice(0, 200)}`;
  const v = JSON.parse(r.bodyText);
  if (v.choices?.[0]?.message?.content !== "pong") return `${config}: health check got ${r.bodyText.slice(0, 200)}`;
  return null;
}

export function saveFailure(c: FuzzCase, failures: string[], dir = FAILURES_DIR): string {
  fs.mkdirSync(dir, { recursive: true });
  const record = { ...c, failed: failures };
  const text = JSON.stringify(record, null, 1);
  const hash = crypto.createHash("sha256").update(JSON.stringify(c)).digest("hex").slice(0, 16);
  const file = path.join(dir, `${hash}.json`);
  if (!fs.existsSync(file)) fs.writeFileSync(file, text + "\n");
  return file;
}

export function loadFailures(dir = FAILURES_DIR): Array<{ file: string; c: FuzzCase }> {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("tmp-")).sort()
    .map((f) => ({ file: f, c: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as FuzzCase }));
}

export interface RunStats { cases: number; failures: number; traps: number; upstreamCalls: number; refused: number; elapsedMs: number; saved: string[]; byKind: Map<string, number> }

/**
 * Runs `count` generated cases from `seed` on one VM per config (a VM that traps is replaced after the failure is
 * recorded, so one trap does not hide the others). Every `healthEvery` cases each VM must still serve a good request.
 */
export async function runFuzz(seed: number, count: number, opts: { save?: boolean; healthEvery?: number; log?: (s: string) => void; gen?: GenOptions } = {}): Promise<RunStats> {
  const pool = await newPool();
  const names = [...pool.plugins.keys()];
  const stats: RunStats = { cases: 0, failures: 0, traps: 0, upstreamCalls: 0, refused: 0, elapsedMs: 0, saved: [], byKind: new Map() };
  const t0 = Date.now();
  const healthEvery = opts.healthEvery ?? 1000;
  for (let i = 0; i < count; i++) {
    const cs = caseSeed(seed, i);
    const config = names[cs % names.length];
    const { c, rng, clientStream } = generateCase(cs, config, opts.gen);
    let slot = pool.plugins.get(config)!;
    const res = await runCase(slot.plugin, slot.vm, c, rng, clientStream);
    stats.cases++;
    if (res.upstreamCalled) stats.upstreamCalls++; else stats.refused++;
    if (res.failures.length) {
      stats.failures++;
      if (slot.vm.trap) stats.traps++;
      for (const f of res.failures) { const k = f.replace(/[:(].*$/s, "").slice(0, 60); stats.byKind.set(k, (stats.byKind.get(k) ?? 0) + 1); }
      if (opts.save !== false) stats.saved.push(saveFailure(c, res.failures));
      opts.log?.(`case ${i} (seed ${cs}, ${config}, ${c.mutations.join(",")} / ${c.upstream.kind} ${c.upstream.status}): ${res.failures.join("; ")}`);
      if (slot.vm.trap) { slot = await start(CONFIGS[config]); pool.plugins.set(config, slot); }
    }
    if ((i + 1) % healthEvery === 0) {
      for (const [name, s] of pool.plugins) {
        const h = await healthCheck(s.plugin, s.vm, name);
        if (h) { stats.failures++; opts.log?.(`health check after case ${i}: ${h}`); }
      }
    }
  }
  for (const [name, s] of pool.plugins) {
    const h = await healthCheck(s.plugin, s.vm, name);
    if (h) { stats.failures++; opts.log?.(`final health check: ${h}`); }
  }
  stats.elapsedMs = Date.now() - t0;
  return stats;
}

export { b64 };
