// The chaos run (issue 15): real Envoy with build/ai-proxy.wasm, hostile clients, and a chaos upstream
// (upstream.ts) answering each attempt at random, over four configurations (openai; claude; openai with retries and
// failover over two keys; claude with retries). Every request is checked as it ends:
//   - no configured provider key in any response byte (headers, body, and the body decompressed if compressed);
//   - no compressed body (the plugin asks for identity; a compressed answer must become a 502);
//   - errors in the client's protocol (OpenAI or Anthropic error JSON), 2xx JSON bodies that parse;
//   - streams that end well-formed ([DONE] / message_stop, or an error event then the end);
//   - no client credential upstream, hostile bodies refused before the upstream;
//   - retries: no byte of a failed attempt reaches the client, and when the last attempt succeeded the client gets
//     it (2xx, its marker, x-ai-proxy-attempts = attempts made);
// then, per configuration, 50 plain requests that must all succeed, and Envoy's log scanned for VM failures.
// `node dist/tests/chaos/chaos.js --requests N [--seed S] [--concurrency C] [--configs a,b] [--no-stop-iteration]`
// (npm run chaos); chaos.test.ts runs a short seeded run in `npm test`.
import * as http from "node:http";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { findEnvoy, startEnvoy, type EnvoyProcess } from "../../host/envoy/runtime";
import { convertedStreamProblem, errorShapeProblem } from "../fuzz/harness";
import { ROOT } from "../support/plugin";
import { ALL_ANSWERS, marker, startChaosUpstream, type Answer, type Attempt, type ChaosUpstream } from "./upstream";

type Proto = "openai" | "anthropic";

export const KEYS = {
  openai: "sk-chaos-openai-key-0000000000000001",
  claude: "sk-ant-chaos-claude-key-000000000002",
  retryA: "sk-chaos-retry-key-A-00000000000003",
  retryB: "sk-chaos-retry-key-B-00000000000004",
  claudeRetry: "sk-ant-chaos-retry-key-0000000000005",
};
const ALL_KEYS = Object.values(KEYS);

export const CONFIGS: Record<string, { config: object; retries: boolean; failover: boolean }> = {
  openai: { config: { provider: { type: "openai", apiTokens: [KEYS.openai] } }, retries: false, failover: false },
  claude: { config: { provider: { type: "claude", apiTokens: [KEYS.claude] } }, retries: false, failover: false },
  "openai-retry-failover": {
    config: {
      provider: {
        type: "openai", apiTokens: [KEYS.retryA, KEYS.retryB],
        retryOnFailure: { enabled: true, maxRetries: 2, retryTimeout: 1500 },
        // Keys leave rotation on auth and rate-limit answers (as deployments configure it); on every 4xx/5xx both
        // keys would be out most of the time at this failure rate, and requests would get 503 before any retry.
        failover: { enabled: true, failoverOnStatus: ["401", "429"], failureThreshold: 3, successThreshold: 1, healthCheckInterval: 1000, healthCheckTimeout: 2000, healthCheckModel: "gpt-4o-mini" },
      },
    },
    retries: true, failover: true,
  },
  "claude-retry": {
    // retryTimeout under the route timeout: otherwise Envoy's stream idle timeout ends a request whose retry stalls.
    config: { provider: { type: "claude", apiTokens: [KEYS.claudeRetry], retryOnFailure: { enabled: true, maxRetries: 2, retryTimeout: 1500 } } },
    retries: true, failover: false,
  },
};

// ------------------------------------------------------------------------------------------------ randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
class Rng {
  private r: () => number;
  constructor(seed: number) { this.r = mulberry32(seed); }
  next(): number { return this.r(); }
  int(n: number): number { return Math.floor(this.r() * n); }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  chance(p: number): boolean { return this.r() < p; }
}

// ------------------------------------------------------------------------------------------------ client requests

type Kind =
  | "valid" | "countTokens" | "models" | "chunked" | "bom" | "deepNesting" | "hugeString" | "invalidUtf8" | "duplicateKeys"
  | "wrongTypes" | "wrongMethod" | "truncated" | "disconnectUpload" | "disconnectAnswer";

/** Kinds refused before the upstream, with the status the client must get. */
const REFUSED: Partial<Record<Kind, number[]>> = {
  deepNesting: [400], invalidUtf8: [400], duplicateKeys: [400], wrongTypes: [400], wrongMethod: [405], truncated: [400],
};

interface ClientRequest {
  id: number;
  kind: Kind;
  client: Proto;
  stream: boolean;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** Write the body in pieces without content-length. */
  chunked: boolean;
  /** Abort after writing half of the body / once the response headers arrive. */
  abort: "none" | "upload" | "answer";
  plan: Answer[];
}

const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "api-key", "proxy-authorization", "x-goog-api-key"];
const CREDENTIAL_PARAMS = ["key", "api_key", "api-key", "apikey", "access_token"];

function chatBody(client: Proto, id: number, stream: boolean, text = `Say hello (chaos#${id})`): Record<string, unknown> {
  return client === "openai"
    ? { model: "gpt-4o", stream, messages: [{ role: "user", content: text }] }
    : { model: "claude-sonnet-4-5", max_tokens: 64, stream, messages: [{ role: "user", content: text }] };
}

/** Answers for APIs that never stream (model lists, token counts): an SSE body there is no realistic failure. */
const NON_SSE_ANSWERS = ALL_ANSWERS.filter((a) => !a.startsWith("sse") && a !== "resetMidStream");

function planFor(rng: Rng, retries: boolean, kind: Kind): Answer[] {
  if (REFUSED[kind] !== undefined || kind === "wrongMethod") return [];
  if (rng.chance(0.3)) return ["ok"];
  const answers = kind === "models" || kind === "countTokens" ? NON_SSE_ANSWERS : ALL_ANSWERS;
  if (!retries) return [rng.pick(answers)];
  const n = 1 + rng.int(3); // up to one more failure than maxRetries allows
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) out.push(rng.pick(answers));
  return out;
}

export function makeRequest(rng: Rng, id: number, retries: boolean, hostile: boolean, huge: boolean): ClientRequest {
  let client: Proto = rng.chance(0.5) ? "openai" : "anthropic";
  const stream = rng.chance(0.5);
  let kind: Kind = "valid";
  if (hostile) {
    const kinds: Kind[] = ["valid", "valid", "valid", "countTokens", "models", "chunked", "bom", "deepNesting", "invalidUtf8",
      "duplicateKeys", "wrongTypes", "wrongMethod", "truncated", "disconnectUpload", "disconnectAnswer"];
    // `huge`: this request carries a 5 MB string (the soak's --huge-rate is the share of such requests).
    kind = huge ? "hugeString" : rng.pick(kinds);
  }
  const secret = `client-secret-${id.toString(36)}x`;
  const headers: Record<string, string> = { "content-type": "application/json", "x-chaos-id": String(id) };
  // Credentials in every header and query parameter clients put them in.
  for (const h of CREDENTIAL_HEADERS) if (rng.chance(0.6)) headers[h] = h === "authorization" || h === "proxy-authorization" ? `Bearer ${secret}` : secret;
  if (client === "anthropic") headers["anthropic-version"] = "2023-06-01";
  if (rng.chance(0.3)) headers["accept-encoding"] = "gzip, deflate, br";
  const params = CREDENTIAL_PARAMS.filter(() => rng.chance(0.3)).map((p) => `${p}=${secret}`);
  let p = client === "openai" ? "/v1/chat/completions" : "/v1/messages";
  let method = "POST";
  let body: Buffer | null = Buffer.from(JSON.stringify(chatBody(client, id, stream)));
  let isStream = stream;
  switch (kind) {
    case "countTokens":
      p = "/v1/messages/count_tokens";
      headers["anthropic-version"] = "2023-06-01";
      body = Buffer.from(JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: `count (chaos#${id})` }] }));
      isStream = false;
      break;
    case "models":
      client = "openai";
      p = "/v1/models";
      method = "GET";
      body = null;
      isStream = false;
      params.push(`chaos=${id}`);
      delete headers["anthropic-version"];
      break;
    case "bom": body = Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), body]); break;
    case "deepNesting": body = Buffer.from(`{"model":"gpt-4o","messages":[{"role":"user","content":"chaos#${id}"}],"x":${"[".repeat(20000)}${"]".repeat(20000)}}`); break;
    case "hugeString": body = Buffer.from(JSON.stringify(chatBody(client, id, stream, `chaos#${id} ` + "x".repeat(5 * 1024 * 1024)))); break;
    case "invalidUtf8": body = Buffer.concat([Buffer.from(`{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"chaos#${id} `), Buffer.from([0xff, 0xfe, 0xc0, 0x80]), Buffer.from('"}]}')]); break;
    case "duplicateKeys": body = Buffer.from(`{"model":"gpt-4o","model":"gpt-4o-mini","max_tokens":5,"messages":[{"role":"user","content":"chaos#${id}"}]}`); break;
    case "wrongTypes": {
      const b = chatBody(client, id, stream);
      const w = rng.pick([["stream", "yes"], ["tools", "x"], ["model", null], ["temperature", "hot"]] as Array<[string, unknown]>);
      b[w[0]] = w[1];
      body = Buffer.from(JSON.stringify(b));
      break;
    }
    case "wrongMethod": method = rng.pick(["GET", "PUT", "DELETE"]); body = null; break;
    case "truncated": body = body.subarray(0, Math.floor(body.length / 2)); break;
  }
  if (params.length) p += "?" + params.join("&");
  return {
    id, kind, client, stream: isStream, method, path: p, headers, body,
    chunked: kind === "chunked" || (kind === "valid" && rng.chance(0.1)),
    abort: kind === "disconnectUpload" ? "upload" : kind === "disconnectAnswer" ? "answer" : "none",
    plan: planFor(rng, retries, kind),
  };
}

interface ClientResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The response ended with a transport error (reset, cut). */
  error: string | null;
}

function send(base: string, agent: http.Agent, r: ClientRequest, timeoutMs: number): Promise<ClientResult> {
  return new Promise((resolve) => {
    const u = new URL(r.path, base);
    const headers = { ...r.headers };
    if (r.body !== null && !r.chunked) headers["content-length"] = String(r.body.length);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: r.method, headers, agent });
    let result: ClientResult = { status: 0, headers: {}, body: Buffer.alloc(0), error: null };
    let done = false;
    const finish = (err: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      result.error = err;
      resolve(result);
    };
    const timer = setTimeout(() => { req.destroy(new Error("client timeout")); finish("client timeout"); }, timeoutMs);
    req.on("response", (res) => {
      result = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), error: null };
      if (r.abort === "answer") { req.destroy(); finish("aborted by client"); return; }
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => { result.body = Buffer.concat(chunks); finish(null); });
      res.on("error", (e) => { result.body = Buffer.concat(chunks); finish(`response: ${e.message}`); });
      res.on("aborted", () => { result.body = Buffer.concat(chunks); finish("response aborted"); });
    });
    req.on("error", (e) => finish(`request: ${e.message}`));
    if (r.body === null) { req.end(); return; }
    if (r.abort === "upload") {
      req.write(r.body.subarray(0, r.body.length >> 1));
      setTimeout(() => { req.destroy(); finish("aborted by client"); }, 5);
      return;
    }
    if (!r.chunked) { req.end(r.body); return; }
    const step = Math.max(1, Math.ceil(r.body.length / 5));
    for (let i = 0; i < r.body.length; i += step) req.write(r.body.subarray(i, i + step));
    req.end();
  });
}

// ------------------------------------------------------------------------------------------------ checks

export type Failure =
  | "key leak" | "undecodable body" | "error not in client's shape" | "unterminated stream" | "broken 2xx body"
  | "credential upstream" | "hostile body reached upstream" | "wrong status for hostile body" | "raw retry answer"
  | "lost retry" | "attempts header" | "transport error" | "final request failed" | "no answer" | "limit: 2xx with an error object";

function decoded(res: ClientResult): { bytes: Buffer; ok: boolean } {
  const enc = String(res.headers["content-encoding"] ?? "").toLowerCase().trim();
  if (!enc || enc === "identity") return { bytes: res.body, ok: true };
  try {
    if (enc === "gzip" || enc === "x-gzip") return { bytes: zlib.gunzipSync(res.body), ok: false };
    if (enc === "deflate") return { bytes: zlib.inflateSync(res.body), ok: false };
    if (enc === "br") return { bytes: zlib.brotliDecompressSync(res.body), ok: false };
  } catch { /* undecodable */ }
  return { bytes: res.body, ok: false };
}

/** Answers that cut a response after its headers: a client may see a truncated body then (Envoy resets it). */
const CUTS_AFTER_HEADERS: ReadonlySet<Answer> = new Set<Answer>(["resetMidStream"]);

/**
 * What is wrong with one answer. `heldHeaders`: Envoy honours the plugin's StopIteration on response headers
 * (allow_on_headers_stop_iteration); without it a 2xx whose body turns out broken can only carry an error object
 * under its 200 (documented limit), reported as "limit".
 */
export function checkRequest(r: ClientRequest, res: ClientResult, attempts: Attempt[], retries: boolean, heldHeaders = true): Array<[Failure, string]> {
  const out: Array<[Failure, string]> = [];
  const fail = (f: Failure, detail: string) => out.push([f, detail]);
  for (const a of attempts) for (const c of a.credentials) fail("credential upstream", c);
  if (r.abort !== "none") return out; // the client went away: only what reached the upstream is judged
  const refused = REFUSED[r.kind];
  if (refused !== undefined && attempts.length > 0) fail("hostile body reached upstream", `${r.kind} → ${attempts.length} attempt(s)`);
  if (res.status === 0) {
    fail(res.error === "client timeout" ? "no answer" : "transport error", `${r.kind}: ${res.error}`);
    return out;
  }
  const { bytes, ok: decodable } = decoded(res);
  const raw = Buffer.concat([Buffer.from(JSON.stringify(res.headers)), res.body, bytes]).toString("latin1");
  for (const k of ALL_KEYS) if (raw.includes(k)) fail("key leak", `${r.kind} ${r.client} status ${res.status}: ${k.slice(0, 12)}… in ${JSON.stringify(raw.slice(Math.max(0, raw.indexOf(k) - 60), raw.indexOf(k) + 10))}`);
  if (!decodable) fail("undecodable body", `content-encoding ${res.headers["content-encoding"]}, status ${res.status}`);
  const text = bytes.toString("utf8");
  const last = attempts.length ? attempts[attempts.length - 1] : null;
  const cutAllowed = last !== null && CUTS_AFTER_HEADERS.has(last.answer);
  if (res.error !== null && !cutAllowed) fail("transport error", `${r.kind} ${r.client}: ${res.error} (answers ${attempts.map((a) => a.answer).join(",")})`);
  // With every key out of rotation (failover), the gateway answers 503 before reading any body.
  const noToken = res.status === 503 && text.includes("is in rotation");
  if (refused !== undefined && !refused.includes(res.status) && !noToken) fail("wrong status for hostile body", `${r.kind} → ${res.status}: ${text.slice(0, 160)}`);
  const ctype = String(res.headers["content-type"] ?? "");
  const clientProto: Proto = r.kind === "countTokens" ? "anthropic" : r.client;
  if (res.status >= 400) {
    const p = errorShapeProblem(clientProto, text);
    if (p !== null) fail("error not in client's shape", `${r.kind} ${res.status} (answers ${attempts.map((a) => a.answer).join(",")}): ${p}`);
  } else if (res.status >= 200 && res.status < 300 && decodable) {
    if (ctype.startsWith("text/event-stream")) {
      const p = convertedStreamProblem(clientProto, text);
      if (p !== null && !(cutAllowed && res.error !== null)) fail("unterminated stream", `${r.client} (answers ${attempts.map((a) => a.answer).join(",")}): ${p}`);
    } else if (!(cutAllowed && res.error !== null)) {
      let v: any = null;
      try { v = JSON.parse(text); } catch { /* below */ }
      if (v === null || typeof v !== "object") fail("broken 2xx body", `${r.kind} ${r.client} ${res.status} (answers ${attempts.map((a) => a.answer).join(",")}): ${JSON.stringify(text.slice(0, 120))}`);
      else if ((v.error != null || v.type === "error") && !heldHeaders && errorShapeProblem(clientProto, text) === null) fail("limit: 2xx with an error object", `${r.kind} ${r.client} ${res.status} with an error object (answers ${attempts.map((a) => a.answer).join(",")}): ${text.slice(0, 160)}`);
      else if (v.error != null || v.type === "error") fail("broken 2xx body", `${r.kind} ${r.client} ${res.status} with an error object (answers ${attempts.map((a) => a.answer).join(",")}): ${text.slice(0, 160)}`);
    }
  }
  if (attempts.length > 1 || (retries && attempts.length > 0)) {
    for (let i = 0; i < attempts.length - 1; i++) {
      if (text.includes(marker(r.id, i))) fail("raw retry answer", `${r.kind} ${r.client}: attempt ${i + 1}/${attempts.length} (${attempts[i].answer}) reached the client, status ${res.status}: ${text.slice(0, 160)}`);
    }
    if (last !== null && last.answer === "ok" && attempts.length > 1) {
      if (res.status < 200 || res.status >= 300 || !text.includes(marker(r.id, attempts.length - 1))) {
        fail("lost retry", `${r.kind} ${r.client}: answers ${attempts.map((a) => a.answer).join(",")} → ${res.status}: ${text.slice(0, 160)}`);
      }
      const n = Number(res.headers["x-ai-proxy-attempts"] ?? "1");
      if (n !== attempts.length) fail("attempts header", `x-ai-proxy-attempts ${res.headers["x-ai-proxy-attempts"]} for ${attempts.length} attempts`);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ the run

export interface ChaosOptions {
  seed: number;
  /** Requests per configuration, the final 50 included. */
  requests: number;
  concurrency: number;
  configs: string[];
  routeTimeoutSeconds: number;
  allowOnHeadersStopIteration: boolean;
  /** Share of requests with a 5 MB body (0: none). */
  hugeRate: number;
  /** Envoy worker threads (each has its own VM). */
  workers: number;
  /** Overrides the retry configurations' retryTimeout (ms); 0 keeps 1,500 (under the route timeout). */
  retryTimeoutMs?: number;
  log: (s: string) => void;
}

export interface ConfigStats {
  config: string;
  requests: number;
  upstreamAttempts: number;
  failures: Record<string, number>;
  examples: string[];
  finalOk: number;
  vmFailures: string[];
  /** Envoy's RSS (kB): at start, after warm-up (first 20%), at the end, and every sample. */
  rss: { start: number; warm: number; end: number; max: number; samples: number[] };
  /** The plugin's `ai_proxy.vm.linear_memory_bytes` gauge at the end (one VM's linear memory; 0 if absent). */
  vmLinearMemory: number;
  /** Envoy's own heap at the end (admin /memory: allocated and heap_size bytes), outside any VM. */
  envoyHeap: { allocated: number; heapSize: number };
  elapsedMs: number;
}

export function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

/** Log lines that mean a VM failed (trap, abort, a callback that failed, a VM restarted). */
export function vmFailureLines(log: string): string[] {
  return log.split("\n").filter((l) => /RuntimeError|Function: \w+ failed|wasm trap|unreachable|out of bounds|Plugin .* failed|VM failed|failed to load|restart/i.test(l));
}

async function pool<T>(items: T[], n: number, run: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await run(items[next++]);
  }));
}

export async function runConfig(name: string, o: ChaosOptions, seedBase: number): Promise<ConfigStats> {
  const spec = CONFIGS[name];
  if (!spec) throw new Error(`unknown configuration ${name}`);
  const t0 = Date.now();
  const upstream: ChaosUpstream = await startChaosUpstream({ stallMs: o.routeTimeoutSeconds * 1000 + 700 });
  let envoy: EnvoyProcess | null = null;
  const stats: ConfigStats = { config: name, requests: 0, upstreamAttempts: 0, failures: {}, examples: [], finalOk: 0, vmFailures: [], rss: { start: 0, warm: 0, end: 0, max: 0, samples: [] }, vmLinearMemory: 0, envoyHeap: { allocated: 0, heapSize: 0 }, elapsedMs: 0 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
  try {
    envoy = await startEnvoy({
      wasm: path.join(ROOT, "build", "ai-proxy.wasm"),
      configuration: JSON.stringify(spec.config, (k, v) => (k === "retryTimeout" && o.retryTimeoutMs ? o.retryTimeoutMs : v)),
      upstreams: { "api.openai.com": upstream.url, "api.anthropic.com": upstream.url },
      // As deployed, every path reaches the plugin's route (a catch-all 404 would answer count_tokens before the
      // plugin reads the body it answers from).
      defaultCluster: "api.openai.com",
      allowOnHeadersStopIteration: o.allowOnHeadersStopIteration, routeTimeoutSeconds: o.routeTimeoutSeconds, concurrency: o.workers,
    });
    const e = envoy;
    stats.rss.start = rssKb(e.pid);
    const rng = new Rng(seedBase);
    const chaosCount = Math.max(0, o.requests - 50);
    const warmAt = Math.floor(chaosCount / 5);
    const sampleEvery = Math.max(25, Math.floor(chaosCount / 40));
    const record = (r: ClientRequest, res: ClientResult) => {
      stats.requests++;
      const attempts = upstream.attempts(r.id);
      stats.upstreamAttempts += attempts.length;
      for (const [f, d] of checkRequest(r, res, attempts, spec.retries, o.allowOnHeadersStopIteration)) {
        stats.failures[f] = (stats.failures[f] ?? 0) + 1;
        if (stats.examples.length < 40) stats.examples.push(`[${name} #${r.id}] ${f}: ${d}`);
      }
      if (stats.requests % sampleEvery === 0) {
        const kb = rssKb(e.pid);
        stats.rss.samples.push(kb);
        stats.rss.max = Math.max(stats.rss.max, kb);
      }
      if (stats.requests === warmAt) stats.rss.warm = rssKb(e.pid);
    };
    const reqs: ClientRequest[] = [];
    for (let i = 0; i < chaosCount; i++) {
      const r = makeRequest(rng, i + 1, spec.retries, true, rng.chance(o.hugeRate));
      upstream.plan(r.id, r.plan);
      reqs.push(r);
    }
    const timeoutMs = (o.routeTimeoutSeconds * 4 + 10) * 1000;
    await pool(reqs, o.concurrency, async (r) => record(r, await send(e.url, agent, r, timeoutMs)));
    // Failed keys rejoin after health checks; a settled gateway must serve plain requests again.
    if (spec.failover) await new Promise((r) => setTimeout(r, 2500));
    const finals: ClientRequest[] = [];
    for (let i = 0; i < Math.min(50, o.requests); i++) {
      const r = makeRequest(rng, 1_000_000 + i, spec.retries, false, false);
      r.plan = ["ok"];
      upstream.plan(r.id, r.plan);
      finals.push(r);
    }
    await pool(finals, Math.min(4, o.concurrency), async (r) => {
      const res = await send(e.url, agent, r, timeoutMs);
      record(r, res);
      if (res.status >= 200 && res.status < 300 && res.error === null) stats.finalOk++;
      else {
        stats.failures["final request failed"] = (stats.failures["final request failed"] ?? 0) + 1;
        if (stats.examples.length < 40) stats.examples.push(`[${name} final #${r.id}] ${res.status} ${res.error ?? ""} ${res.body.toString().slice(0, 160)}`);
      }
    });
    stats.rss.end = rssKb(e.pid);
    const gauge = await fetch(`${e.adminUrl}/stats?filter=linear_memory_bytes`).then((r) => r.text(), () => "");
    const m = /linear_memory_bytes: (\d+)/.exec(gauge);
    stats.vmLinearMemory = m ? Number(m[1]) : 0;
    const heap = await fetch(`${e.adminUrl}/memory`).then((r) => r.json() as Promise<Record<string, string>>, () => ({} as Record<string, string>));
    stats.envoyHeap = { allocated: Number(heap.allocated ?? 0), heapSize: Number(heap.heap_size ?? 0) };
    if (stats.rss.warm === 0) stats.rss.warm = stats.rss.end;
    stats.rss.max = Math.max(stats.rss.max, stats.rss.end);
    stats.vmFailures = vmFailureLines(e.output());
    if (e.child.exitCode !== null || e.child.signalCode !== null) stats.vmFailures.push(`envoy exited: ${e.child.exitCode ?? e.child.signalCode}`);
    for (const l of upstream.credentialLeaks.slice(0, 5)) stats.examples.push(`[${name}] credential upstream: ${l}`);
  } finally {
    agent.destroy();
    if (envoy !== null) await envoy.stop();
    await upstream.close();
  }
  stats.elapsedMs = Date.now() - t0;
  return stats;
}

export interface ChaosTotals {
  requests: number;
  keyLeaks: number;
  rawOrLostRetries: number;
  unterminatedStreams: number;
  undecodableBodies: number;
  otherFailures: number;
  vmFailures: number;
  finalFailed: number;
  /** Answers within a documented limit (not failures). */
  limits: number;
}

export function totals(all: ConfigStats[]): ChaosTotals {
  const t: ChaosTotals = { requests: 0, keyLeaks: 0, rawOrLostRetries: 0, unterminatedStreams: 0, undecodableBodies: 0, otherFailures: 0, vmFailures: 0, finalFailed: 0, limits: 0 };
  for (const s of all) {
    t.requests += s.requests;
    t.vmFailures += s.vmFailures.length;
    t.finalFailed += s.requests > 0 ? Math.min(50, s.requests) - s.finalOk : 0;
    for (const [f, n] of Object.entries(s.failures)) {
      if (f === "key leak") t.keyLeaks += n;
      else if (f === "raw retry answer" || f === "lost retry" || f === "attempts header") t.rawOrLostRetries += n;
      else if (f === "unterminated stream") t.unterminatedStreams += n;
      else if (f === "undecodable body") t.undecodableBodies += n;
      else if (f === "limit: 2xx with an error object") t.limits += n;
      else if (f !== "final request failed") t.otherFailures += n;
    }
  }
  return t;
}

export function report(all: ConfigStats[]): string {
  const lines: string[] = [];
  for (const s of all) {
    const f = Object.entries(s.failures).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
    lines.push(`${s.config}: ${s.requests} requests, ${s.upstreamAttempts} upstream attempts, final ${s.finalOk}/50 ok, VM failures ${s.vmFailures.length}, ` +
      `RSS ${(s.rss.start / 1024).toFixed(0)} → ${(s.rss.warm / 1024).toFixed(0)} (warm) → ${(s.rss.end / 1024).toFixed(0)} MB (max ${(s.rss.max / 1024).toFixed(0)}), ` +
      `VM linear memory ${(s.vmLinearMemory / 1048576).toFixed(1)} MB, Envoy heap ${(s.envoyHeap.allocated / 1048576).toFixed(0)} allocated / ${(s.envoyHeap.heapSize / 1048576).toFixed(0)} MB, ` +
      `${(s.elapsedMs / 1000).toFixed(1)} s; failures: ${f}`);
  }
  const t = totals(all);
  lines.push(`total: ${t.requests} requests; key leaks ${t.keyLeaks}, raw or lost retry answers ${t.rawOrLostRetries}, unterminated streams ${t.unterminatedStreams}, ` +
    `undecodable bodies ${t.undecodableBodies}, other failures ${t.otherFailures}, VM failures ${t.vmFailures}, final requests failed ${t.finalFailed}` +
    (t.limits ? `; within documented limits: ${t.limits}` : ""));
  return lines.join("\n");
}

export async function runChaos(o: ChaosOptions): Promise<ConfigStats[]> {
  const out: ConfigStats[] = [];
  for (let i = 0; i < o.configs.length; i++) {
    const s = await runConfig(o.configs[i], o, o.seed * 1000 + i);
    o.log(report([s]).split("\n")[0]);
    out.push(s);
  }
  return out;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  if (findEnvoy() === null) { console.log("no Envoy in .venv/ (npm install provisions it): nothing to run"); return; }
  const o: ChaosOptions = {
    seed: Number(arg("--seed", "15")),
    requests: Number(arg("--requests", "3000")),
    concurrency: Number(arg("--concurrency", "16")),
    configs: arg("--configs", Object.keys(CONFIGS).join(",")).split(","),
    routeTimeoutSeconds: Number(arg("--route-timeout", "2")),
    allowOnHeadersStopIteration: !process.argv.includes("--no-stop-iteration"),
    hugeRate: Number(arg("--huge-rate", "0.01")),
    workers: Number(arg("--workers", "2")),
    retryTimeoutMs: Number(arg("--retry-timeout", "0")),
    log: (s) => console.log(s),
  };
  console.log(`chaos: ${o.requests} requests × ${o.configs.length} configurations, seed ${o.seed}, concurrency ${o.concurrency}, ` +
    `${o.workers} Envoy workers, allow_on_headers_stop_iteration ${o.allowOnHeadersStopIteration}`);
  const all = await runChaos(o);
  console.log(report(all).split("\n").pop());
  if (process.argv.includes("--rss")) {
    // The soak's verdict: after warm-up (the first 20% of requests) RSS may not keep rising.
    for (const s of all) {
      const after = s.rss.samples.slice(Math.floor(s.rss.samples.length / 5));
      const mb = (kb: number) => (kb / 1024).toFixed(0);
      const rise = after.length > 1 ? after[after.length - 1] - after[0] : 0;
      console.log(`${s.config}: RSS samples (MB) ${s.rss.samples.map(mb).join(" ")}; after warm-up ${mb(after[0] ?? 0)} → ${mb(after[after.length - 1] ?? 0)} (max ${mb(Math.max(...after, 0))})`);
      if (rise > 20 * 1024) { console.log(`${s.config}: RSS still rising after warm-up (+${mb(rise)} MB)`); process.exitCode = 1; }
    }
  }
  const examples = all.flatMap((s) => s.examples.concat(s.vmFailures.slice(0, 5)));
  if (examples.length) console.log("examples:\n  " + examples.slice(0, 60).join("\n  "));
  const t = totals(all);
  if (t.keyLeaks + t.rawOrLostRetries + t.unterminatedStreams + t.undecodableBodies + t.otherFailures + t.vmFailures + t.finalFailed > 0) process.exitCode = 1;
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(2); });
