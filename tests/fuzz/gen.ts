// Deterministic generators for the fuzz harness and the soak: client requests (valid, then mutated at the value,
// text and byte level) and upstream responses (valid, broken, cut, junk), plus the plugin configurations.
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT } from "../support/plugin";

// ---------------------------------------------------------------------------------------------- randomness

export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0; }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number { return Math.floor(this.next() * n); }
  range(lo: number, hi: number): number { return lo + this.int(hi - lo + 1); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(xs: ReadonlyArray<readonly [number, T]>): T {
    let total = 0;
    for (const [w] of xs) total += w;
    let r = this.next() * total;
    for (const [w, v] of xs) { if ((r -= w) < 0) return v; }
    return xs[xs.length - 1][1];
  }
}

/** The seed of case `i` of run `seed` (so any case replays alone). */
export function caseSeed(seed: number, i: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ i, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------- secrets, configs

/** Provider keys configured in the fuzz configurations: none may ever reach a client or a log line. */
export const PROVIDER_KEYS = ["sk-fuzz-openai-AAAA1111aaaa", "sk-fuzz-openai-BBBB2222bbbb", "sk-ant-fuzz-CCCC3333cccc", "sk-fuzz-rule-DDDD4444dddd"];
/** The client's own credential: never forwarded upstream. */
export const CLIENT_SECRET = "client-secret-ZZZZ9999zzzz";

export const CONFIGS: Record<string, object> = {
  openai: {
    provider: {
      type: "openai",
      apiTokens: [PROVIDER_KEYS[0], PROVIDER_KEYS[1]],
      modelMapping: { "gpt-4": "gpt-4o", "claude-*": "gpt-4o-mini", "~^o[0-9]": "o3-mini", "*": "" },
    },
  },
  claude: {
    provider: { type: "claude", apiTokens: [PROVIDER_KEYS[2]], claudeVersion: "2023-06-01", modelMapping: { "gpt-*": "claude-sonnet-4-5" } },
  },
  rules: {
    provider: { type: "claude", apiTokens: [PROVIDER_KEYS[2]] },
    _rules_: [
      { _match_domain_: ["openai.fuzz.local"], provider: { type: "openai", apiTokens: [PROVIDER_KEYS[3]], reasoningContentMode: "concat" } },
      { _match_route_: ["route-openai"], provider: { type: "openai", apiTokens: [PROVIDER_KEYS[0]], modelMapping: { "*": "gpt-4.1" } } },
    ],
  },
};
export const CONFIG_NAMES = Object.keys(CONFIGS);

/** Which upstream protocol a config + authority + route lands on. */
export function upstreamProtocolOf(config: string, authority: string, route: string): Proto {
  if (config === "openai") return "openai";
  if (config === "claude") return "anthropic";
  if (authority === "openai.fuzz.local" || route === "route-openai") return "openai";
  return "anthropic";
}

export type Proto = "openai" | "anthropic";

// ---------------------------------------------------------------------------------------------- case format

/** One fuzz case, fully materialized (bytes as base64) so it replays without the generator. */
export interface FuzzCase {
  seed: number;
  config: string;
  /** Known-valid request (the gateway must forward it). */
  valid: boolean;
  mutations: string[];
  request: {
    method: string;
    path: string;
    headers: Array<[string, string]>;
    /** null: no body at all (headers end the stream). */
    body: string | null;
    /** Cut points of the request body (each chunk is one body callback). */
    cuts: number[];
    route?: string;
  };
  /** How the upstream answers; `echoKey` replaces "$KEY" in the body with the key the upstream received. */
  upstream: {
    kind: string;
    status: number;
    headers: Array<[string, string]>;
    body: string;
    cuts: number[];
    echoKey?: boolean;
  };
}

export function b64(bytes: Uint8Array): string { return Buffer.from(bytes).toString("base64"); }
export function unb64(s: string): Uint8Array { return new Uint8Array(Buffer.from(s, "base64")); }
const enc = new TextEncoder();

// ---------------------------------------------------------------------------------------------- fixtures

interface Fixture {
  name: string; client: Proto; upstream: Proto; request: Buffer; response: Buffer | null; sse: boolean; status: number;
  /** The gateway refuses it under the fuzz configurations (a refusal case, or one that needs dropUnsupportedParams). */
  refused: boolean;
}

let fixtures: Fixture[] | null = null;
const SEED_PROVIDERS = new Set(["openai", "claude", "deepseek", "openrouter"]);
export function loadFixtures(): Fixture[] {
  if (fixtures) return fixtures;
  const dir = path.join(ROOT, "tests", "fixtures", "translate");
  fixtures = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const d = path.join(dir, name);
    if (name.startsWith("_") || !fs.statSync(d).isDirectory()) continue;
    const c = JSON.parse(fs.readFileSync(path.join(d, "case.json"), "utf8"));
    // The fuzz configurations' upstreams speak OpenAI chat or Anthropic Messages: fixtures of providers with a schema
    // of their own (their answers in that schema; DeepL's role-less messages) seed nothing here.
    if (!SEED_PROVIDERS.has(c.provider)) continue;
    const rd = (f: string) => (fs.existsSync(path.join(d, f)) ? fs.readFileSync(path.join(d, f)) : null);
    const sse = rd("upstream-response.sse");
    fixtures.push({
      name,
      // Responses fixtures are OpenAI clients of /v1/responses: fuzzed under "other" paths only.
      client: c.client === "anthropic" ? "anthropic" : c.client === "responses" ? ("responses" as Proto) : "openai",
      upstream: c.provider === "claude" ? "anthropic" : "openai",
      request: rd("client-request.json")!,
      response: sse ?? rd("upstream-response.json"),
      sse: sse !== null,
      status: c.status,
      refused: rd("upstream-request.json") === null || c.options?.dropUnsupported === true,
    });
  }
  return fixtures;
}

// ---------------------------------------------------------------------------------------------- text

const WORDS = ["hello", "world", "Claude", "gpt", "tool", "weather", "Paris", "the", "a", "résumé", "日本語", "😀", "naïve", "Ω", "\"quoted\"", "back\\slash", "tab\there", "line\nbreak", "</script>", "{\"json\":1}", "data: [DONE]", "event: message_stop", "\u0000", "\u001f", "\u2028", "\ud83d\ude00"];

export function text(r: Rng, maxWords = 8): string {
  const n = r.range(0, maxWords);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.chance(0.85) ? r.pick(WORDS.slice(0, 15)) : r.pick(WORDS));
  return out.join(" ");
}

function id(r: Rng, prefix: string): string { return prefix + Math.floor(r.next() * 1e12).toString(36); }

// ---------------------------------------------------------------------------------------------- valid requests

const TOOL = (r: Rng) => ({ name: r.pick(["get_weather", "search", "run_code"]), description: text(r, 4), schema: { type: "object", properties: { q: { type: "string" } }, required: ["q"] } });

export function openaiRequest(r: Rng, stream: boolean): any {
  const messages: any[] = [];
  if (r.chance(0.4)) messages.push({ role: r.pick(["system", "developer"]), content: text(r) || "sys" });
  const turns = r.range(1, 4);
  for (let i = 0; i < turns; i++) {
    if (r.chance(0.3)) {
      messages.push({ role: "user", content: [{ type: "text", text: text(r) || "x" }, ...(r.chance(0.5) ? [{ type: "image_url", image_url: { url: r.chance(0.5) ? "https://example.com/a.png" : "data:image/png;base64,iVBORw0KGgo=" } }] : [])] });
    } else {
      messages.push({ role: "user", content: text(r) || "hi" });
    }
    if (i < turns - 1) {
      if (r.chance(0.3)) {
        const tid = id(r, "call_");
        messages.push({ role: "assistant", content: null, tool_calls: [{ id: tid, type: "function", function: { name: "get_weather", arguments: JSON.stringify({ q: text(r, 2) }) } }] });
        messages.push({ role: "tool", tool_call_id: tid, content: text(r) || "ok" });
      } else {
        messages.push({ role: "assistant", content: text(r) || "ok" });
      }
    }
  }
  const req: any = { model: r.pick(["gpt-4", "gpt-4o", "o3", "claude-sonnet-4-5", "gpt-3.5-turbo"]), messages };
  if (stream) { req.stream = true; if (r.chance(0.5)) req.stream_options = { include_usage: true }; }
  if (r.chance(0.5)) req.max_tokens = r.range(1, 4096);
  if (r.chance(0.3)) req.temperature = Math.round(r.next() * 200) / 100;
  if (r.chance(0.3)) {
    const t = TOOL(r);
    req.tools = [{ type: "function", function: { name: t.name, description: t.description, parameters: t.schema } }];
    if (r.chance(0.5)) req.tool_choice = r.pick(["auto", "none", "required", { type: "function", function: { name: t.name } }]);
  }
  if (r.chance(0.1)) req.reasoning_effort = r.pick(["low", "medium", "high"]);
  if (r.chance(0.1)) req.stop = ["\n\n"];
  if (r.chance(0.1)) req.user = "u-1";
  return req;
}

export function anthropicRequest(r: Rng, stream: boolean): any {
  const messages: any[] = [];
  const turns = r.range(1, 4);
  for (let i = 0; i < turns; i++) {
    if (r.chance(0.35)) {
      const blocks: any[] = [{ type: "text", text: text(r) || "x" }];
      if (r.chance(0.4)) blocks.push({ type: "image", source: r.chance(0.5) ? { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } : { type: "url", url: "https://example.com/a.png" } });
      messages.push({ role: "user", content: blocks });
    } else {
      messages.push({ role: "user", content: text(r) || "hi" });
    }
    if (i < turns - 1) {
      if (r.chance(0.3)) {
        const tid = id(r, "toolu_");
        const blocks: any[] = [];
        if (r.chance(0.3)) blocks.push({ type: "thinking", thinking: text(r) || "hm", signature: "sig" + id(r, "") });
        blocks.push({ type: "tool_use", id: tid, name: "get_weather", input: { q: text(r, 2) } });
        messages.push({ role: "assistant", content: blocks });
        messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: tid, content: r.chance(0.5) ? text(r) || "ok" : [{ type: "text", text: "ok" }], ...(r.chance(0.2) ? { is_error: true } : {}) }] });
      } else {
        messages.push({ role: "assistant", content: r.chance(0.5) ? text(r) || "ok" : [{ type: "text", text: text(r) || "ok" }] });
      }
    }
  }
  const req: any = { model: r.pick(["claude-sonnet-4-5", "claude-3-5-haiku-latest", "gpt-4", "o3"]), max_tokens: r.range(1, 8192), messages };
  if (r.chance(0.4)) req.system = r.chance(0.5) ? text(r) || "sys" : [{ type: "text", text: text(r) || "sys", ...(r.chance(0.3) ? { cache_control: { type: "ephemeral" } } : {}) }];
  if (stream) req.stream = true;
  if (r.chance(0.3)) req.temperature = Math.round(r.next() * 100) / 100;
  if (r.chance(0.3)) {
    const t = TOOL(r);
    req.tools = [{ name: t.name, description: t.description, input_schema: t.schema }];
    if (r.chance(0.5)) req.tool_choice = r.pick([{ type: "auto" }, { type: "any" }, { type: "none" }, { type: "tool", name: t.name }]);
  }
  if (r.chance(0.1)) req.thinking = { type: "enabled", budget_tokens: 1024 };
  if (r.chance(0.1)) req.stop_sequences = ["END"];
  if (r.chance(0.1)) req.metadata = { user_id: "u-1" };
  return req;
}

// ---------------------------------------------------------------------------------------------- mutations

/** Raw JSON text to splice in place of a placeholder string. */
const RAW_VALUES = [
  "1e999", "-1e999", "-0", "1e-999", "123456789012345678901234567890", "-9223372036854775809", "0.000000000000000000000000001",
  "1.7976931348623157e309", "NaN", "Infinity", "01", "1.", ".5", "+1", "0x10", "\"\\ud800\"", "\"\\udfff\\ud800\"", "\"\\u0000\"",
  "\"\\uZZZZ\"", "\"bad \\q escape\"", "{\"a\":1,\"a\":2}", "[1,2,]", "{,}", "tru", "nul", "\"\"", "[]", "{}", "null", "true", "false", "-", "\"a\" \"b\"",
];

function deep(depth: number, kind: number): string {
  if (kind === 0) return "[".repeat(depth) + "]".repeat(depth);
  if (kind === 1) return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
  if (kind === 2) return "[{\"a\":".repeat(depth >> 1) + "0" + "}]".repeat(depth >> 1);
  return "[".repeat(depth); // unclosed
}

/** Every [container, key] slot of a parsed value, for picking a random spot to mutate. */
function slots(v: any, out: Array<[any, string | number]> = [], depth = 0): Array<[any, string | number]> {
  if (depth > 12 || v === null || typeof v !== "object") return out;
  if (Array.isArray(v)) v.forEach((_, i) => { out.push([v, i]); slots(v[i], out, depth + 1); });
  else for (const k of Object.keys(v)) { out.push([v, k]); slots(v[k], out, depth + 1); }
  return out;
}

function randomValue(r: Rng): any {
  return r.pick<() => any>([
    () => r.range(-5, 5) * 1e6, () => text(r, 3), () => null, () => true, () => [], () => ({}), () => [1, "x", null], () => ({ type: "text" }), () => -1,
  ])();
}

/** Targeted wrong-type mutations named in issue 5, applied to known fields. */
const TARGETED: Array<[string, (req: any, r: Rng) => boolean]> = [
  ["messages-not-array", (q, r) => { q.messages = r.pick([1, "messages", { role: "user" }, null, true]); return true; }],
  ["content-number", (q, r) => { if (!q.messages?.[0]) return false; q.messages[r.int(q.messages.length)].content = r.pick([42, -0, 1e300, true, null]); return true; }],
  ["tool-use-without-id", (q) => { q.messages = [...(q.messages ?? []), { role: "assistant", content: [{ type: "tool_use", name: "f", input: {} }] }, { role: "user", content: "x" }]; return true; }],
  ["tool-call-without-id", (q) => { q.messages = [...(q.messages ?? []), { role: "assistant", tool_calls: [{ type: "function", function: { name: "f", arguments: "{" } }] }, { role: "tool", content: 1 }]; return true; }],
  ["image-without-source", (q) => { q.messages = [...(q.messages ?? []), { role: "user", content: [{ type: "image" }, { type: "image_url" }, { type: "image", source: { type: "base64" } }] }]; return true; }],
  ["model-wrong-type", (q, r) => { q.model = r.pick([1, null, ["gpt-4"], { name: "x" }, "", true]); return true; }],
  ["stream-wrong-type", (q, r) => { q.stream = r.pick(["true", 1, null, {}, [true]]); return true; }],
  ["max-tokens-wrong", (q, r) => { q.max_tokens = r.pick(["10", -1, 0, 1.5, null, 1e30]); return true; }],
  ["tools-wrong", (q, r) => { q.tools = r.pick([{}, "x", [1], [{}], [{ type: "function" }], [{ function: null }], [{ name: 5, input_schema: "s" }]]); return true; }],
  ["system-wrong", (q, r) => { q.system = r.pick([1, [1, 2], [{ type: "image" }], { text: "x" }]); return true; }],
  ["role-wrong", (q, r) => { if (!q.messages?.[0]) return false; q.messages[0].role = r.pick([1, "robot", null, ""]); return true; }],
  ["message-not-object", (q, r) => { if (!Array.isArray(q.messages)) return false; q.messages.push(r.pick([1, "x", null, [], true])); return true; }],
  ["block-wrong", (q, r) => { if (!q.messages?.[0]) return false; q.messages[0].content = [r.pick([1, null, "x", { type: 5 }, { type: "text" }, { type: "text", text: 7 }, { type: "tool_result" }, { type: "document" }, { type: "nonsense", x: 1 }])]; return true; }],
  ["tool-choice-wrong", (q, r) => { q.tool_choice = r.pick([1, "bogus", { type: "tool" }, { type: "function", function: 5 }, { type: "function" }]); return true; }],
  ["empty-messages", (q) => { q.messages = []; return true; }],
  ["lone-surrogate", (q, r) => { const s = slots(q).filter(([c, k]) => typeof c[k] === "string"); if (!s.length) return false; const [c, k] = r.pick(s); c[k] += r.pick(["\ud800", "\udfff", "x\udc00\ud800"]); return true; }],
  ["body-not-object", (q, r) => { for (const k of Object.keys(q)) delete q[k]; q.__replace = r.pick([[1, 2], "str", 5, null, true]); return true; }],
  ["delete-key", (q, r) => { const s = slots(q); if (!s.length) return false; const [c, k] = r.pick(s); if (Array.isArray(c)) c.splice(k as number, 1); else delete c[k]; return true; }],
  ["random-type", (q, r) => { const s = slots(q); if (!s.length) return false; const [c, k] = r.pick(s); c[k] = randomValue(r); return true; }],
];

interface Raw { placeholders: Map<string, string>; n: number }
function placeholder(raw: Raw, text: string): string {
  const k = `__RAW_${raw.n++}__`;
  raw.placeholders.set(k, text);
  return k;
}

/** Value-level mutations that need raw JSON text (absurd numbers, deep nesting, duplicate keys, huge strings). */
const RAWMUT: Array<[string, (q: any, r: Rng, raw: Raw) => boolean]> = [
  ["absurd-number", (q, r, raw) => { const s = slots(q); if (!s.length) return false; const [c, k] = r.pick(s); c[k] = placeholder(raw, r.pick(RAW_VALUES)); return true; }],
  ["absurd-max-tokens", (q, r, raw) => { q.max_tokens = placeholder(raw, r.pick(["1e999", "-0", "1e-999", "99999999999999999999", "-1", "4.2e1"])); return true; }],
  ["deep-nesting", (q, r, raw) => {
    const s = slots(q);
    const depth = r.weighted([[5, r.range(2, 100)], [3, r.range(100, 2000)], [2, 10000], [1, r.range(10001, 20000)]]);
    const t = deep(depth, r.int(4));
    if (!s.length || r.chance(0.3)) { q.messages = placeholder(raw, t); return true; }
    const [c, k] = r.pick(s);
    c[k] = placeholder(raw, t);
    return true;
  }],
  ["duplicate-key", (q, r, raw) => {
    const dupKey = r.pick(["model", "messages", "stream", "max_tokens", "role", "content"]);
    const s = slots(q).filter(([c]) => !Array.isArray(c));
    const target = s.length && r.chance(0.5) ? r.pick(s)[0] : q;
    target[placeholder(raw, "")] = 0; // marker key: becomes a duplicate key on serialization
    raw.placeholders.set("__DUP__", dupKey);
    return true;
  }],
  ["huge-string", (q, r, raw) => {
    const n = r.weighted([[6, r.range(1000, 70000)], [2, r.range(70000, 600000)], [1, 2_000_000]]);
    const s = slots(q);
    const body = r.chance(0.5) ? "x".repeat(n) : "é😀\\n".repeat(Math.ceil(n / 8)).slice(0, n);
    const val = placeholder(raw, JSON.stringify(body));
    if (!s.length) { q.model = val; return true; }
    const [c, k] = r.pick(s);
    c[k] = val;
    return true;
  }],
  ["many-messages", (q, r) => { if (!Array.isArray(q.messages)) return false; const n = r.range(100, 3000); for (let i = 0; i < n; i++) q.messages.push({ role: i % 2 ? "assistant" : "user", content: "m" + i }); return true; }],
];

function serialize(q: any, raw: Raw): string {
  let s = q.__replace !== undefined && Object.keys(q).length === 1 ? JSON.stringify(q.__replace) : JSON.stringify(q);
  for (const [k, v] of raw.placeholders) {
    if (k === "__DUP__") continue;
    if (v === "") {
      // duplicate-key marker: "__RAW_n__":0 → "<dup>":<something>
      const dup = raw.placeholders.get("__DUP__") ?? "model";
      s = s.replace(`"${k}":0`, `"${dup}":${JSON.stringify("dup")}`);
    } else {
      s = s.split(JSON.stringify(k)).join(v);
    }
  }
  return s;
}

const BYTE_INSERTS: Array<number[]> = [
  [0x00], [0xff], [0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98],
  [...enc.encode("\\ud800")], [...enc.encode("\\udc00\\ud800")], [...enc.encode("\\u0000")], [...enc.encode("\"")], [...enc.encode("\\")],
  [...enc.encode("{")], [...enc.encode("]")], [...enc.encode(",")], [...enc.encode("1e999")],
];

/** Byte-level mutations of serialized text. */
export function mutateBytes(r: Rng, b: Uint8Array, names: string[]): Uint8Array {
  const n = r.range(1, 3);
  let out = b;
  for (let i = 0; i < n; i++) {
    const kind = r.int(6);
    const at = out.length ? r.int(out.length + 1) : 0;
    if (kind === 0 && out.length) { out = out.slice(); out[Math.min(at, out.length - 1)] ^= 1 << r.int(8); names.push("byte-flip"); }
    else if (kind === 1) { out = out.slice(0, at); names.push("truncate"); }
    else if (kind === 2 || kind === 3) {
      const ins = new Uint8Array(r.pick(BYTE_INSERTS));
      const c = new Uint8Array(out.length + ins.length);
      c.set(out.subarray(0, at)); c.set(ins, at); c.set(out.subarray(at), at + ins.length);
      out = c; names.push("insert-bytes");
    } else if (kind === 4 && out.length) {
      const len = r.range(1, Math.min(32, out.length));
      const c = new Uint8Array(out.length + len);
      const from = r.int(Math.max(1, out.length - len));
      c.set(out.subarray(0, at)); c.set(out.subarray(from, from + len), at); c.set(out.subarray(at), at + len);
      out = c; names.push("duplicate-range");
    } else {
      const len = r.range(1, 16);
      out = new Uint8Array([...out.subarray(0, at), ...out.subarray(Math.min(out.length, at + len))]);
      names.push("delete-range");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- requests

const OTHER_PATHS = [
  "/v1/embeddings", "/v1/models", "/v1/messages/count_tokens", "/v1/completions", "/v1/unknown-thing", "/", "/v1", "/v1/chat", "/v1/messages/batches",
  "/v1/chat/completions?api-version=1&key=" + CLIENT_SECRET, "/openai/v1/chat/completions", "/anthropic/v1/messages", "/v1/chat/completions/",
  "/v1/messages?beta=true", "/%00/v1/messages", "/v1/chat/completions#frag", "/" + "a".repeat(5000), "/v1/complete", "/v1/models/gpt-4o",
  "/v1/responses", "/v1/responses", "/v1/responses", "/v1/responses/resp_1", "/v1/responses/resp_1/input_items?limit=2",
];

export interface GenOptions { fixtures?: boolean; allowHuge?: boolean }

export function generateRequest(r: Rng, config: string, opts: GenOptions = {}): { req: FuzzCase["request"]; valid: boolean; mutations: string[]; clientStream: boolean } {
  const mutations: string[] = [];
  let method = r.weighted([[92, "POST"], [3, "GET"], [1, "PUT"], [1, "DELETE"], [1, "OPTIONS"], [1, "HEAD"], [1, "PATCH"]]);
  const where = r.weighted([[40, "chat"], [40, "messages"], [20, "other"]]);
  let p = where === "chat" ? "/v1/chat/completions" : where === "messages" ? "/v1/messages" : r.pick(OTHER_PATHS);
  const headers: Array<[string, string]> = [];
  let authority = "gateway.local:10000";
  let route = "";
  if (config === "rules") {
    const w = r.int(3);
    if (w === 0) authority = "openai.fuzz.local";
    else if (w === 1) route = "route-openai";
  }
  headers.push([":method", method], [":path", p], [":authority", authority], [":scheme", "http"]);
  if (r.chance(0.9)) headers.push(["content-type", r.pick(["application/json", "application/json; charset=utf-8", "text/plain"])]);
  const anthropicClient = where === "messages" || (where === "other" && r.chance(0.5));
  if (anthropicClient ? r.chance(0.95) : r.chance(0.05)) headers.push(["anthropic-version", "2023-06-01"]);
  if (r.chance(0.1)) headers.push(["anthropic-beta", "tools-2024-04-04"]);
  // The client's own credentials, in every place a client may put them.
  if (r.chance(0.7)) headers.push(["authorization", "Bearer " + CLIENT_SECRET]);
  if (r.chance(0.5)) headers.push(["x-api-key", CLIENT_SECRET]);
  if (r.chance(0.2)) headers.push(["api-key", CLIENT_SECRET]);
  if (r.chance(0.05)) headers.push(["proxy-authorization", "Basic " + CLIENT_SECRET]);
  if (r.chance(0.2)) headers.push(["accept-encoding", "gzip, br"]);
  if (r.chance(0.05)) headers.push(["x-weird", "\u00ff\u0001"]);

  const stream = r.chance(0.45);
  let obj: any;
  let fromFixture = false;
  let refusedFixture = false;
  if (opts.fixtures !== false && r.chance(0.3)) {
    const fx = loadFixtures().filter((f) => (where === "chat" ? f.client === "openai" : where === "messages" ? f.client === "anthropic" : true));
    const f = r.pick(fx);
    try { obj = JSON.parse(f.request.toString()); fromFixture = true; refusedFixture = f.refused; } catch { obj = {}; }
    mutations.push("fixture:" + f.name);
  } else {
    obj = anthropicClient ? anthropicRequest(r, stream) : openaiRequest(r, stream);
  }

  let valid = !fromFixture || (!refusedFixture && !/invalid-request/.test(mutations[0] ?? ""));
  const raw: Raw = { placeholders: new Map(), n: 0 };
  const mutate = r.weighted([[30, 0], [40, 1], [20, 2], [10, 3]]);
  for (let i = 0; i < mutate; i++) {
    const useRaw = r.chance(opts.allowHuge === false ? 0.15 : 0.3);
    let list: Array<[string, (q: any, r: Rng, raw: Raw) => boolean]> = useRaw ? RAWMUT : TARGETED;
    if (opts.allowHuge === false) list = list.filter(([n]) => n !== "huge-string" && n !== "many-messages");
    const [name, fn] = r.pick(list);
    let applied = false;
    try { applied = obj !== null && typeof obj === "object" && fn(obj, r, raw); } catch { applied = false; }
    if (applied) { mutations.push(name); valid = false; }
  }
  let body: Uint8Array | null = enc.encode(serialize(obj, raw));
  if (r.chance(0.25)) { body = mutateBytes(r, body, mutations); valid = false; }
  const bodyKind = r.weighted([[94, "json"], [2, "empty"], [2, "none"], [1, "text"], [1, "binary"]]);
  if (bodyKind === "empty") { body = new Uint8Array(0); mutations.push("empty-body"); valid = false; }
  else if (bodyKind === "none") { body = null; mutations.push("no-body"); valid = false; }
  else if (bodyKind === "text") { body = enc.encode(r.pick(["hello", "model=gpt-4&messages=hi", "<xml/>", "null", "[]", "\"str\""])); mutations.push("not-json"); valid = false; }
  else if (bodyKind === "binary") { const n = r.range(1, 300); body = new Uint8Array(n).map(() => r.int(256)); mutations.push("binary"); valid = false; }
  if (where === "other" || method !== "POST") valid = false;
  if (method !== "POST") mutations.push("method-" + method);
  if (where === "other") mutations.push("path-" + p.slice(0, 40));

  const cuts = body ? chunking(r, body.length) : [];
  const req: FuzzCase["request"] = { method, path: p, headers, body: body ? b64(body) : null, cuts };
  if (route) req.route = route;
  return { req, valid, mutations, clientStream: stream };
}

/** Cut points for a body of n bytes: whole, a few random cuts, or many small pieces. */
export function chunking(r: Rng, n: number): number[] {
  const how = r.weighted([[50, "whole"], [30, "some"], [15, "small"], [5, "bytes"]]);
  if (how === "whole" || n < 2) return [];
  const cuts = new Set<number>();
  if (how === "some") { const k = r.range(1, 4); for (let i = 0; i < k; i++) cuts.add(1 + r.int(n - 1)); }
  else if (how === "small") { let at = 0; while (at < n && cuts.size < 400) { at += r.range(1, 24); if (at < n) cuts.add(at); } }
  else { for (let i = 1; i < Math.min(n, 600); i++) cuts.add(i); }
  return [...cuts].sort((a, b) => a - b);
}

export function splitCuts(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  if (!cuts.length) return [bytes];
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) if (c > prev && c < bytes.length) { out.push(bytes.subarray(prev, c)); prev = c; }
  out.push(bytes.subarray(prev));
  return out;
}

// ---------------------------------------------------------------------------------------------- upstream responses

function openaiCompletion(r: Rng): any {
  const msg: any = { role: "assistant", content: r.chance(0.8) ? text(r) : null };
  if (r.chance(0.3)) msg.tool_calls = [{ id: id(r, "call_"), type: "function", function: { name: "get_weather", arguments: r.chance(0.8) ? JSON.stringify({ q: text(r, 2) }) : "{\"q\":" } }];
  if (r.chance(0.2)) msg.reasoning_content = text(r);
  return {
    id: id(r, "chatcmpl-"), object: "chat.completion", created: 1714807624, model: "gpt-4o",
    choices: [{ index: 0, message: msg, finish_reason: r.pick(["stop", "length", "tool_calls", "content_filter", null]) }],
    usage: r.chance(0.8) ? { prompt_tokens: r.int(100), completion_tokens: r.int(100), total_tokens: 200 } : undefined,
  };
}

function anthropicMessage(r: Rng): any {
  const content: any[] = [];
  if (r.chance(0.2)) content.push({ type: "thinking", thinking: text(r), signature: "sig" });
  if (r.chance(0.8)) content.push({ type: "text", text: text(r) });
  if (r.chance(0.3)) content.push({ type: "tool_use", id: id(r, "toolu_"), name: "get_weather", input: { q: text(r, 2) } });
  return {
    id: id(r, "msg_"), type: "message", role: "assistant", model: "claude-sonnet-4-5", content,
    stop_reason: r.pick(["end_turn", "max_tokens", "tool_use", "stop_sequence", null]), stop_sequence: null,
    usage: { input_tokens: r.int(100), output_tokens: r.int(100), ...(r.chance(0.3) ? { cache_read_input_tokens: 5 } : {}) },
  };
}

function sse(events: Array<[string | null, string]>, crlf = false): string {
  const nl = crlf ? "\r\n" : "\n";
  return events.map(([e, d]) => (e ? `event: ${e}${nl}` : "") + `data: ${d}${nl}${nl}`).join("");
}

function openaiStream(r: Rng): Array<[string | null, string]> {
  const cid = id(r, "chatcmpl-");
  const chunk = (delta: any, finish: string | null = null, extra: any = {}) => [null, JSON.stringify({ id: cid, object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [{ index: 0, delta, finish_reason: finish }], ...extra })] as [null, string];
  const ev: Array<[string | null, string]> = [chunk({ role: "assistant", content: "" })];
  const n = r.range(0, 6);
  for (let i = 0; i < n; i++) {
    const k = r.int(4);
    if (k === 0) ev.push(chunk({ reasoning_content: text(r, 3) }));
    else if (k === 1) ev.push(chunk({ tool_calls: [{ index: r.int(2), ...(r.chance(0.5) ? { id: id(r, "call_"), type: "function", function: { name: "get_weather", arguments: "" } } : { function: { arguments: "{\"q\":" } }) }] }));
    else ev.push(chunk({ content: text(r, 3) }));
  }
  ev.push(chunk({}, r.pick(["stop", "length", "tool_calls", "content_filter"])));
  if (r.chance(0.5)) ev.push([null, JSON.stringify({ id: cid, object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } })]);
  ev.push([null, "[DONE]"]);
  return ev;
}

function anthropicStream(r: Rng): Array<[string | null, string]> {
  const ev: Array<[string | null, string]> = [];
  const e = (name: string, d: any) => ev.push([name, JSON.stringify({ type: name, ...d })]);
  e("message_start", { message: { id: id(r, "msg_"), type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } });
  const blocks = r.range(0, 3);
  for (let i = 0; i < blocks; i++) {
    const k = r.int(3);
    if (k === 0) {
      e("content_block_start", { index: i, content_block: { type: "thinking", thinking: "" } });
      e("content_block_delta", { index: i, delta: { type: "thinking_delta", thinking: text(r, 3) } });
      e("content_block_delta", { index: i, delta: { type: "signature_delta", signature: "sig" } });
    } else if (k === 1) {
      e("content_block_start", { index: i, content_block: { type: "tool_use", id: id(r, "toolu_"), name: "get_weather", input: {} } });
      e("content_block_delta", { index: i, delta: { type: "input_json_delta", partial_json: "{\"q\":" } });
      e("content_block_delta", { index: i, delta: { type: "input_json_delta", partial_json: "\"x\"}" } });
    } else {
      e("content_block_start", { index: i, content_block: { type: "text", text: "" } });
      if (r.chance(0.3)) ev.push(["ping", "{\"type\":\"ping\"}"]);
      e("content_block_delta", { index: i, delta: { type: "text_delta", text: text(r, 3) } });
    }
    e("content_block_stop", { index: i });
  }
  e("message_delta", { delta: { stop_reason: r.pick(["end_turn", "tool_use", "max_tokens"]), stop_sequence: null }, usage: { output_tokens: 12 } });
  e("message_stop", {});
  return ev;
}

const HTML = [
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
  "<!DOCTYPE html><html><body>Cloudflare: error 520 $KEY</body></html>",
  "<html><title>" + "x".repeat(3000) + "</title></html>",
  "<HTML><TITLE>Résumé 😀 \u0000</TITLE>",
];

function errorBodyFor(r: Rng, proto: Proto, status: number, echo: boolean): string {
  const msg = echo ? `Incorrect API key provided: $KEY. You can find your API key at https://platform.openai.com/account/api-keys.` : text(r, 5) || "error";
  const shape = r.weighted([[4, proto], [2, proto === "openai" ? "anthropic" : "openai"], [1, "weird"]]);
  if (shape === "openai") return JSON.stringify({ error: { message: msg, type: r.pick(["invalid_request_error", "rate_limit_error", "server_error", "insufficient_quota"]), param: null, code: r.pick([null, "invalid_api_key", 429, "rate_limit_exceeded"]) } });
  if (shape === "anthropic") return JSON.stringify({ type: "error", error: { type: r.pick(["invalid_request_error", "authentication_error", "overloaded_error", "rate_limit_error", "api_error"]), message: msg } });
  return r.pick([
    JSON.stringify({ error: msg }), JSON.stringify({ message: msg, status }), JSON.stringify({ detail: msg }), JSON.stringify([{ error: { code: status, message: msg, status: "UNAVAILABLE" } }]),
    JSON.stringify({ error: { message: 5, type: null } }), JSON.stringify({ type: "error", error: { type: 7 } }), JSON.stringify({ type: "error", error: "x" }),
    JSON.stringify({ error: { code: 1 } }), JSON.stringify({ type: "error" }), "{\"error\":{\"message\":\"" + "y".repeat(70000) + "\"}}", "null", "[]", "\"oops\"", "42",
  ]);
}

/**
 * An upstream answer for a request that reached the upstream (protocol `proto`), chosen at random:
 * valid JSON or SSE, fixtures, broken variants, errors with and without bodies.
 */
export function generateUpstream(r: Rng, proto: Proto, clientStream: boolean): FuzzCase["upstream"] {
  const kind = r.weighted([
    [14, "json"], [18, "sse"], [8, "fixture"], [7, "sse-cut"], [6, "sse-no-end"], [8, "sse-junk"], [10, "error"], [3, "error-empty"],
    [4, "html"], [3, "truncated-json"], [2, "non-json"], [2, "invalid-utf8"], [2, "random-bytes"], [5, "mutated"], [2, "empty-200"],
    [2, "wrong-protocol"], [2, "sse-error-event"],
  ]);
  let status = 200;
  let ct = "application/json";
  let body = "";
  let bytes: Uint8Array | null = null;
  let echoKey = false;
  const streamish = clientStream ? 0.8 : 0.15;
  const good = () => (proto === "openai" ? openaiCompletion(r) : anthropicMessage(r));
  const goodStream = () => (proto === "openai" ? openaiStream(r) : anthropicStream(r));
  switch (kind) {
    case "json": body = JSON.stringify(good()); break;
    case "sse": ct = "text/event-stream"; body = sse(goodStream(), r.chance(0.1)); break;
    case "fixture": {
      const fx = loadFixtures().filter((f) => f.upstream === proto && f.response);
      const f = r.pick(fx);
      status = f.status; bytes = new Uint8Array(f.response!); ct = f.sse ? "text/event-stream" : f.response![0] === 0x3c ? "text/html" : "application/json";
      break;
    }
    case "sse-cut": { ct = "text/event-stream"; const s = enc.encode(sse(goodStream())); bytes = s.subarray(0, r.int(s.length)); break; }
    case "sse-no-end": { ct = "text/event-stream"; const ev = goodStream(); ev.pop(); if (proto === "anthropic" && r.chance(0.5)) ev.pop(); body = sse(ev); break; }
    case "sse-junk": {
      ct = "text/event-stream";
      const ev = goodStream();
      const junk: Array<[string | null, string]> = [
        ["ping", "{\"type\":\"ping\"}"], ["unknown_event", "{\"type\":\"unknown_event\",\"x\":1}"], [null, "not json at all"], [null, "{\"truncated\":"],
        [null, ""], ["content_block_delta", "{\"type\":\"content_block_delta\",\"index\":99,\"delta\":{\"type\":\"text_delta\",\"text\":\"x\"}}"],
        [null, "{\"choices\":[{\"index\":7,\"delta\":{\"tool_calls\":[{\"index\":3,\"function\":{\"arguments\":\"{\"}}]}}]}"], [null, "{\"choices\":\"x\"}"],
        ["message_delta", "{\"type\":\"message_delta\",\"delta\":5}"], [null, "[1,2,3]"], [null, "\u00ff\u00fe"], ["content_block_stop", "{\"type\":\"content_block_stop\"}"],
      ];
      const k = r.range(1, 4);
      for (let i = 0; i < k; i++) ev.splice(r.int(ev.length), 0, r.pick(junk));
      body = sse(ev, r.chance(0.2));
      if (r.chance(0.3)) body = ": keep-alive comment\n\n" + body + (r.chance(0.5) ? "retry: 100\n\n" : "");
      break;
    }
    case "error":
      status = r.pick([400, 401, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529]);
      echoKey = r.chance(0.4);
      body = errorBodyFor(r, proto, status, echoKey);
      if (clientStream && r.chance(0.2)) ct = "text/event-stream";
      break;
    case "error-empty": status = r.pick([401, 429, 500, 502, 503, 504, 529]); body = ""; ct = r.pick(["application/json", "text/plain", ""]); break;
    case "html": status = r.pick([200, 403, 500, 502, 503, 504]); ct = "text/html"; body = r.pick(HTML); echoKey = body.includes("$KEY") && status >= 400; if (!echoKey) body = body.replace("$KEY", ""); break;
    case "truncated-json": { const s = JSON.stringify(good()); body = s.slice(0, r.int(s.length)); status = r.pick([200, 200, 500]); break; }
    case "non-json": body = r.pick(["OK", "upstream connect error or disconnect/reset before headers. reset reason: connection failure", "Internal Server Error", "\u0000\u0001"]); status = r.pick([200, 503, 500]); ct = r.pick(["text/plain", "application/json"]); break;
    case "invalid-utf8": {
      const s = enc.encode(r.chance(0.5) ? JSON.stringify(good()) : sse(goodStream()));
      const b = s.slice();
      for (let i = 0; i < 3 && b.length; i++) b[r.int(b.length)] = r.pick([0xff, 0xc0, 0x80, 0xed]);
      bytes = b;
      ct = b[0] === 0x7b ? "application/json" : "text/event-stream";
      status = r.pick([200, 200, 400, 500]);
      break;
    }
    case "random-bytes": { const n = r.range(0, 400); bytes = new Uint8Array(n).map(() => r.int(256)); status = r.pick([200, 500]); ct = r.pick(["application/json", "text/event-stream", "application/octet-stream"]); break; }
    case "mutated": {
      const s = r.chance(0.5) ? enc.encode(JSON.stringify(good())) : enc.encode(sse(goodStream()));
      ct = s[0] === 0x7b ? "application/json" : "text/event-stream";
      bytes = mutateBytes(r, s, []);
      break;
    }
    case "empty-200": status = r.pick([200, 200, 201, 204]); body = ""; ct = r.pick(["application/json", "text/event-stream", ""]); break;
    case "wrong-protocol": {
      // The other vendor's answer (a misconfigured upstream).
      const other: Proto = proto === "openai" ? "anthropic" : "openai";
      if (r.chance(0.5)) { ct = "text/event-stream"; body = sse(other === "openai" ? openaiStream(r) : anthropicStream(r)); }
      else body = JSON.stringify(other === "openai" ? openaiCompletion(r) : anthropicMessage(r));
      break;
    }
    case "sse-error-event": {
      ct = "text/event-stream";
      const ev = goodStream().slice(0, r.range(0, 3));
      if (proto === "anthropic") ev.push(["error", JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })]);
      else ev.push([null, JSON.stringify({ error: { message: "server had an error", type: "server_error", code: null } })]);
      body = sse(ev);
      break;
    }
  }
  if (r.chance(0.03)) status = r.pick(echoKey ? [400, 418, 451, 599] : [201, 202, 203, 206, 301, 302, 304, 307, 400, 418, 451, 599]);
  if (ct === "application/json" && clientStream && kind === "sse") ct = "text/event-stream";
  if (kind === "json" && r.chance(streamish * 0.1)) ct = "text/event-stream"; // a lie
  if (r.chance(0.05)) ct = r.pick(["", "text/event-stream; charset=utf-8", "application/json; charset=utf-8", "TEXT/EVENT-STREAM"]);
  const final = bytes ?? enc.encode(body);
  const headers: Array<[string, string]> = [];
  if (ct) headers.push(["content-type", ct]);
  if (r.chance(0.3) && !echoKey) headers.push(["content-length", String(final.length)]);
  if (r.chance(0.2)) headers.push(["x-request-id", id(r, "req_")]);
  if (status === 429 && r.chance(0.5)) headers.push(["retry-after", "1"]);
  return { kind, status, headers, body: b64(final), cuts: chunking(r, final.length), ...(echoKey ? { echoKey: true } : {}) };
}
