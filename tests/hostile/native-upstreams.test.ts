// Hostile answers from the providers with their own schema (Gemini, Vertex express, Bedrock, DashScope native, Coze,
// Dify, DeepL, Triton, Hunyuan API 3.0, MiniMax Pro) and from the converted non-chat APIs (Gemini embeddings and
// Imagen, Vertex embeddings and images, DashScope embeddings and rerank, Bedrock InvokeModel embeddings). Each
// documented answer (the golden fixtures, or the providers' documented examples below) is mutated — truncated, bytes
// flipped, every JSON path given the wrong type, nested deep, huge numbers, invalid UTF-8, SSE for JSON and back,
// streams split at every byte, Bedrock frames with broken lengths and CRCs, error statuses with odd bodies — and the
// plugin must never trap, must keep serving, and must give the client a well-formed answer in its own protocol (a 2xx
// whole answer in the client's API shape, never the provider's) that never holds the provider key — with the plugin's
// allowOnHeadersStopIteration on (a broken 200 then reaches the client as an error status) and off. Seeded and bounded
// (~15,000 exchanges, ~30 s).
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { convertedStreamProblem, errorShapeProblem, parseSse, passthroughStreamProblem } from "../fuzz/harness";
import { Rng } from "../fuzz/gen";
import { framesFromFixture } from "../support/aws";
import { GOLDEN_DIR, GOLDEN_KEY, goldenConfig, loadGoldens, upstreamContentType } from "../support/golden";
import { header, json, randomChunks, requestHeaders, startPlugin, Started } from "../support/plugin";

type Proto = "openai" | "anthropic";
type Kind = "json" | "sse" | "eventstream";
interface Target {
  name: string;
  config: object;
  now?: number;
  secret: string;
  headers: Array<[string, string]>;
  body: Uint8Array | string;
  proto: Proto;
  stream: boolean;
  kind: Kind;
  answer: Buffer;
  status: number;
  /** Bedrock: the frames as the fixture lists them, so payloads can be mutated and re-framed with valid CRCs. */
  frames?: Array<{ event?: string; exception?: string; payload?: object; message?: string }>;
  /**
   * Same protocol both sides (Claude on Vertex to an Anthropic client, Hunyuan's OpenAI-compatible API): the stream
   * passes through as the provider sent it, and only its end is vouched for.
   */
  passthrough?: boolean;
}

const NATIVE = ["gemini", "vertex", "bedrock", "qwen", "coze", "dify", "deepl", "triton", "minimax", "hunyuan"];
const CT: Record<Kind, string> = { json: "application/json", sse: "text/event-stream", eventstream: "application/vnd.amazon.eventstream" };
const OPENAI_CREDS: Array<[string, string]> = [["authorization", "Bearer client-key"]];

function goldenTargets(): Target[] {
  const out: Target[] = [];
  for (const g of loadGoldens()) {
    const { c } = g;
    if (!NATIVE.includes(c.provider) || !g.upstreamBody || c.client === "responses") continue;
    if (c.provider === "qwen" && c.options?.qwenEnableCompatible !== false) continue;
    if (c.provider === "minimax" && c.options?.minimaxApiType !== "pro") continue;
    const proto: Proto = c.client === "anthropic" ? "anthropic" : "openai";
    const extra: Array<[string, string]> = proto === "anthropic" ? [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]] : OPENAI_CREDS;
    const eventsFile = path.join(GOLDEN_DIR, g.name, "upstream-response.events.json");
    out.push({
      name: `golden ${g.name}`, config: goldenConfig(c), now: c.options?.nowSeconds, secret: GOLDEN_KEY, headers: requestHeaders(c.path, extra), body: g.clientRequest,
      proto, stream: JSON.parse(g.clientRequest.toString()).stream === true, kind: g.eventStream ? "eventstream" : g.sse ? "sse" : "json",
      answer: g.upstreamBody, status: c.status, passthrough: (proto === "anthropic" && c.provider === "vertex") || g.name.startsWith("o2o-"), frames: g.eventStream ? JSON.parse(fs.readFileSync(eventsFile, "utf8")) : undefined,
    });
    if (upstreamContentType(g) === "text/html") out[out.length - 1].kind = "json";
  }
  return out;
}

const GEMINI_ANSWER = fs.readFileSync(path.join(GOLDEN_DIR, "o2g-basic-text", "upstream-response.json"));
const GEMINI_SSE = fs.readFileSync(path.join(GOLDEN_DIR, "o2g-stream-text", "upstream-response.sse"));
const HUNYUAN_NOTE = "以上内容为AI生成，不代表开发者立场，请勿删除或修改本标记";
const hunyuanEvent = (delta: object, finish: string) => "data: " + json({ Note: HUNYUAN_NOTE, Choices: [{ Delta: delta, FinishReason: finish }], Created: 1716359713, Id: "086b6b19", Usage: { PromptTokens: 7, CompletionTokens: 1, TotalTokens: 8 } }) + "\n\n";
const chat = (model: string, stream: boolean, content: unknown = "hi") => json({ model, stream, messages: [{ role: "user", content }] });
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

async function multipart(fields: Record<string, string>): Promise<{ body: Uint8Array; type: string }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append("image", new Blob([Buffer.from(PNG, "base64")], { type: "image/png" }), "in.png");
  const r = new Response(fd);
  return { body: new Uint8Array(await r.arrayBuffer()), type: r.headers.get("content-type")! };
}

/** The documented answers of the APIs no golden covers (each as the provider tests cite it). */
async function documentedTargets(): Promise<Target[]> {
  const vertex = (extra: object = {}) => ({ provider: { type: "vertex", apiTokens: ["AQ.vertex-secret"], ...extra } });
  const gemini = (extra: object = {}) => ({ provider: { type: "gemini", apiTokens: ["gemini-secret"], ...extra } });
  const qwen = (extra: object = {}) => ({ provider: { type: "qwen", apiTokens: ["sk-dash-secret"], ...extra } });
  const bedrock = (model: string) => ({ provider: { type: "bedrock", apiTokens: ["ABSK-bedrock-secret"], awsRegion: "us-east-1", modelMapping: { "*": model } } });
  const hunyuan = { provider: { type: "hunyuan", hunyuanAuthId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", hunyuanAuthKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", modelMapping: { "*": "hunyuan-turbos-latest" } } };
  const base = { proto: "openai" as Proto, status: 200 };
  const h = (p: string) => requestHeaders(p, OPENAI_CREDS);
  const imageAnswer = json({ candidates: [{ content: { role: "model", parts: [{ text: "Here is your cat." }, { inlineData: { mimeType: "image/png", data: PNG } }] }, finishReason: "STOP" }], usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 1290, totalTokenCount: 1298 } });
  const edit = await multipart({ model: "gemini-2.5-flash-image", prompt: "Add a hat" });
  const variation = await multipart({ model: "gemini-2.5-flash-image" });
  const t = (name: string, config: object, secret: string, headers: Array<[string, string]>, body: Uint8Array | string, kind: Kind, answer: string, stream = false): Target =>
    ({ ...base, name, config, secret, headers, body, kind, answer: Buffer.from(answer), stream });
  return [
    t("vertex express gemini chat", vertex({ modelMapping: { "*": "gemini-2.5-flash" } }), "AQ.vertex-secret", h("/v1/chat/completions"), chat("gpt-4o", false), "json", GEMINI_ANSWER.toString()),
    t("vertex express gemini chat stream", vertex({ modelMapping: { "*": "gemini-2.5-flash" } }), "AQ.vertex-secret", h("/v1/chat/completions"), chat("gpt-4o", true), "sse", GEMINI_SSE.toString(), true),
    t("vertex embeddings", vertex({ modelMapping: { "*": "text-embedding-005" } }), "AQ.vertex-secret", h("/v1/embeddings"), json({ model: "m", input: ["What is Vertex?", "Hi"], encoding_format: "float" }), "json",
      json({ predictions: [{ embeddings: { values: [0.5, -0.25, 0.125], statistics: { truncated: false, token_count: 4 } } }, { embeddings: { values: [1, 0, -2], statistics: { truncated: false, token_count: 2 } } }] })),
    t("vertex images generations", vertex(), "AQ.vertex-secret", h("/v1/images/generations"), json({ model: "gemini-2.5-flash-image", prompt: "A cat", response_format: "b64_json" }), "json", imageAnswer),
    t("vertex images edits (multipart)", vertex(), "AQ.vertex-secret", requestHeaders("/v1/images/edits", OPENAI_CREDS).map(([k, v]): [string, string] => [k, k === "content-type" ? edit.type : v]), edit.body, "json", imageAnswer),
    t("vertex images variations (multipart)", vertex(), "AQ.vertex-secret", requestHeaders("/v1/images/variations", OPENAI_CREDS).map(([k, v]): [string, string] => [k, k === "content-type" ? variation.type : v]), variation.body, "json", imageAnswer),
    { ...t("vertex express gemini, Anthropic client", vertex({ modelMapping: { "*": "gemini-2.5-flash" } }), "AQ.vertex-secret", requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]]), json({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] }), "sse", GEMINI_SSE.toString(), true), proto: "anthropic" },
    t("vertex images variations (JSON)", vertex(), "AQ.vertex-secret", h("/v1/images/variations"), json({ model: "gemini-2.5-flash-image", image: `data:image/png;base64,${PNG}` }), "json", imageAnswer),
    t("gemini embeddings", gemini({ modelMapping: { "*": "gemini-embedding-001" } }), "gemini-secret", h("/v1/embeddings"), json({ model: "m", input: ["Hello", "World"] }), "json", json({ embeddings: [{ values: [0.25, -0.5] }, { values: [1, 0] }] })),
    t("gemini embeddings base64", gemini({ modelMapping: { "*": "gemini-embedding-001" } }), "gemini-secret", h("/v1/embeddings"), json({ model: "m", input: "Hello", encoding_format: "base64" }), "json", json({ embeddings: [{ values: [0.25, -0.5] }] })),
    t("gemini imagen", gemini({ modelMapping: { "*": "imagen-4.0-generate-001" } }), "gemini-secret", h("/v1/images/generations"), json({ model: "dall-e-3", prompt: "A robot", n: 2, response_format: "b64_json" }), "json",
      json({ predictions: [{ bytesBase64Encoded: PNG, mimeType: "image/png" }, { bytesBase64Encoded: "AAAA", mimeType: "image/png" }] })),
    t("bedrock embeddings titan", bedrock("amazon.titan-embed-text-v2:0"), "ABSK-bedrock-secret", h("/v1/embeddings"), json({ model: "m", input: "Hello", encoding_format: "float" }), "json",
      json({ embedding: [0.5, -0.25, 0.125], inputTextTokenCount: 2, embeddingsByType: { float: [0.5, -0.25, 0.125] } })),
    t("bedrock embeddings cohere base64", bedrock("cohere.embed-english-v3"), "ABSK-bedrock-secret", h("/v1/embeddings"), json({ model: "m", input: ["a", "b"], encoding_format: "base64" }), "json",
      json({ embeddings: [[0.5, 0.25], [-1, 0]], id: "2f5b3d6e", response_type: "embeddings_floats", texts: ["a", "b"] })),
    t("qwen-vl multimodal", qwen({ modelMapping: { "*": "qwen-vl-plus" } }), "sk-dash-secret", h("/v1/chat/completions"), chat("gpt-4o", false, [{ type: "image_url", image_url: { url: "https://example.com/a.jpeg" } }, { type: "text", text: "where?" }]), "json",
      json({ output: { choices: [{ finish_reason: "stop", message: { role: "assistant", content: [{ text: "这是一片海滩。" }, { text: "一位女士和一只狗。" }] } }] }, usage: { output_tokens: 78, input_tokens: 1279 }, request_id: "17c5955d" })),
    t("qwen-vl multimodal stream", qwen({ modelMapping: { "*": "qwen-vl-max" } }), "sk-dash-secret", h("/v1/chat/completions"), chat("gpt-4o", true, [{ type: "text", text: "where?" }]), "sse",
      ["这是", "海滩"].map((s, i) => `id:${i + 1}\nevent:result\n:HTTP_STATUS/200\ndata:` + json({ output: { choices: [{ message: { content: [{ text: s }], role: "assistant" }, finish_reason: i ? "stop" : "null" }] }, usage: { input_tokens: 10, output_tokens: i + 1 }, request_id: "req-v" }) + "\n\n").join(""), true),
    t("qwen embeddings", qwen({ modelMapping: { "*": "text-embedding-v4" } }), "sk-dash-secret", h("/v1/embeddings"), json({ model: "m", input: ["a", "b"], encoding_format: "float" }), "json",
      json({ output: { embeddings: [{ embedding: [1.0, -2.5], text_index: 0 }, { embedding: [0.5, 0.25], text_index: 1 }] }, usage: { total_tokens: 12 }, request_id: "b5f5f8b8" })),
    t("qwen rerank", qwen({ modelMapping: { "*": "gte-rerank-v2" } }), "sk-dash-secret", h("/v1/rerank"), json({ model: "m", query: "q", documents: ["d0", "d1", "d2"], top_n: 2, return_documents: true }), "json",
      json({ output: { results: [{ document: { text: "d0" }, index: 0, relevance_score: 0.93 }, { document: { text: "d2" }, index: 2, relevance_score: 0.34 }] }, usage: { total_tokens: 79 }, request_id: "0a1f2b3c" })),
    t("hunyuan native", hunyuan, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", h("/v1/chat/completions"), chat("gpt-4o", false), "json",
      json({ Response: { Note: HUNYUAN_NOTE, Choices: [{ FinishReason: "stop", Message: { Role: "assistant", Content: "你好！" } }], Created: 1715224325, Id: "a6b2fca0", Usage: { PromptTokens: 3, CompletionTokens: 9, TotalTokens: 12 }, RequestId: "r0" } })),
    t("hunyuan native stream", hunyuan, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", h("/v1/chat/completions"), chat("gpt-4o", true), "sse", hunyuanEvent({ Role: "assistant", Content: "有助" }, "") + hunyuanEvent({ Role: "assistant", Content: "。" }, "stop"), true),
  ];
}

// ---------------------------------------------------------------------------------------------- mutations

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const WRONG: Json[] = ["str", 42.5, [], {}, null, true, [1, "x", null], { x: { y: [] } }];
const RAW = ["1e999", "-1e999", "123456789012345678901234567890123456789", "1e-999", "-0", "9007199254740993", "[".repeat(4000) + "]".repeat(4000), "{\"a\":".repeat(2000) + "1" + "}".repeat(2000), '"\\ud800\\udc"', '"\\u0000"'];
const MARK = "\u0001MARK\u0001";

function paths(v: Json, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (at.length) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === "object") for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}
function replaced(v: Json, at: Array<string | number>, w: Json): Json {
  const copy = JSON.parse(JSON.stringify(v));
  let o = copy;
  for (const k of at.slice(0, -1)) o = o[k];
  o[at[at.length - 1]] = w;
  return copy;
}
/** Variants of one JSON text: every path (up to `cap`, seeded) with two wrong types and one raw oddity. */
function jsonVariants(text: string, r: Rng, cap: number): string[] {
  let v: Json;
  try { v = JSON.parse(text); } catch { return []; }
  let ps = paths(v);
  while (ps.length > cap) ps.splice(r.int(ps.length), 1);
  const out: string[] = [];
  for (const p of ps) {
    for (let i = 0; i < 2; i++) out.push(JSON.stringify(replaced(v, p, r.pick(WRONG))));
    out.push(JSON.stringify(replaced(v, p, MARK)).replace(JSON.stringify(MARK), r.pick(RAW)));
  }
  return out;
}
const enc = new TextEncoder();
function bytesOf(x: string | Uint8Array): Uint8Array { return typeof x === "string" ? enc.encode(x) : x; }
function flip(b: Uint8Array, r: Rng): Uint8Array { const c = Uint8Array.from(b); const n = r.range(1, 4); for (let i = 0; i < n && c.length; i++) c[r.int(c.length)] = r.int(256); return c; }
function withBadUtf8(b: Uint8Array, r: Rng): Uint8Array { const i = r.int(b.length + 1); return Buffer.concat([b.subarray(0, i), Buffer.from([r.pick([0xff, 0xc0, 0xed, 0xf8, 0x80]), 0xa0, 0x80]), b.subarray(i)]); }
function events(sse: string): string[] { return sse.split(/(?<=\n\n)/); }

interface Variant { what: string; status: number; ct: string; body: Uint8Array | string | Uint8Array[] }

function variants(t: Target, r: Rng): Variant[] {
  const out: Variant[] = [];
  const ct = CT[t.kind];
  const a = t.answer;
  const v = (what: string, body: Variant["body"], c = ct, status = t.status) => out.push({ what, status, ct: c, body });
  for (let i = 0; i < 12; i++) { const n = r.int(a.length); v(`truncated at ${n}`, a.subarray(0, n)); }
  for (let i = 0; i < 12; i++) v(`bytes flipped #${i}`, flip(a, r));
  for (let i = 0; i < 4; i++) v(`invalid UTF-8 #${i}`, withBadUtf8(a, r));
  v("empty", "");
  v("empty, no content-type", "", "");
  v("not JSON", "<html><body>Bad Gateway</body></html>", "text/html");
  v("not JSON, claimed JSON", "Internal Server Error", "application/json");
  v("a JSON array", "[]");
  v("a JSON null", "null");
  v("a JSON string", '"ok"');
  v("a number", "12");
  v("nested 100000 deep", "[".repeat(100000) + "]".repeat(100000));
  v("an object nested 50000 deep", '{"a":'.repeat(50000) + "1" + "}".repeat(50000));
  if (t.kind === "json") {
    for (const s of jsonVariants(a.toString(), r, 45)) v("wrong type", s);
    v("SSE where JSON is expected", "data: " + a.toString().replace(/\n/g, "") + "\n\ndata: [DONE]\n\n", "text/event-stream");
    v("SSE body, claimed JSON", "data: " + a.toString().replace(/\n/g, "") + "\n\n");
  }
  if (t.kind === "sse") {
    const evs = events(a.toString());
    for (let i = 0; i < evs.length; i++) {
      const m = /^([\s\S]*?data: ?)(.*)(\n\n)$/m.exec(evs[i]);
      if (!m) continue;
      for (const s of jsonVariants(m[2], r, Math.max(6, Math.floor(40 / evs.length)))) v(`event ${i} wrong type`, [...evs.slice(0, i), m[1] + s + m[3], ...evs.slice(i + 1)].join(""));
    }
    const first = (/data: ?(.*)/.exec(a.toString()) ?? ["", "{}"])[1];
    v("JSON where SSE is expected", first, "application/json");
    v("JSON body, claimed SSE", first);
    v("CRLF line ends", a.toString().replace(/\n/g, "\r\n"));
    if (!t.name.startsWith("hunyuan native")) {
      for (const e of [json({ error: { code: 401, message: `key ${t.secret} not valid` } }), json({ error: `bad key ${t.secret}` }), json({ code: "InvalidApiKey", message: `key ${t.secret}` }), json({ Response: { Error: { Code: "AuthFailure", Message: t.secret } } })]) {
        v("an error event echoing the key mid-stream", [...evs.slice(0, 1), `data: ${e}\n\n`, ...evs.slice(1)].join(""));
        v("an error event echoing the key, then the end", [`event: error\ndata: ${e}\n\n`].join(""));
      }
    }
    v("a huge event without end", "data: " + "x".repeat(200000));
    const mid = evs[Math.floor(evs.length / 2)] ?? "";
    v("one event 1000 times", [...evs.slice(0, -1), mid.repeat(1000), ...evs.slice(-1)].join(""));
    v("a deeply nested event", "data: " + "[".repeat(100000) + "\n\n" + a.toString());
    const cuts = a.length <= 600 ? Array.from({ length: a.length - 1 }, (_, i) => i + 1) : Array.from({ length: 150 }, () => 1 + r.int(a.length - 1));
    for (const c of cuts) v(`split at ${c}`, [a.subarray(0, c), a.subarray(c)]);
    v("one byte per chunk", Array.from(a, (_, i) => a.subarray(i, i + 1)));
  }
  if (t.kind === "eventstream" && t.frames) {
    // Frame layout: total length (4) | headers length (4) | prelude CRC (4) | headers | payload | message CRC (4).
    for (const [what, at] of [["total length", 0], ["headers length", 4], ["prelude CRC", 8], ["first header", 12]] as const) {
      for (const x of [0x00, 0xff, 0x7f]) { const c = Uint8Array.from(a); c[at + 3 - (at === 12 ? 3 : 0)] ^= x || 1; c[at] = x; v(`${what} corrupted (${x})`, c); }
    }
    { const c = Uint8Array.from(a); c[c.length - 1] ^= 0xff; v("last message CRC corrupted", c); }
    { const c = Uint8Array.from(a); c.set([0xff, 0xff, 0xff, 0xff], 0); v("total length 4 GiB", c); }
    { const c = Uint8Array.from(a); c.set([0, 0, 0, 16, 0, 0, 0, 0], 0); v("total length 16, nothing inside", c); }
    { const c = Uint8Array.from(a); c.set([0, 0, 0, 0x40, 0, 0, 0x10, 0], 0); v("headers longer than the frame", c); }
    for (let i = 0; i < t.frames.length; i++) {
      const f = t.frames[i];
      if (!f.payload) continue;
      for (const s of jsonVariants(JSON.stringify(f.payload), r, 8)) {
        const list = t.frames.slice();
        list[i] = { ...f, payload: JSON.parse(s.includes("[[[[") || /e999|e-999|\\ud800/.test(s) ? "{}" : s) };
        v(`frame ${i} payload wrong type`, framesFromFixture(list));
      }
    }
    const cuts = Array.from({ length: Math.min(a.length - 1, 200) }, (_, i) => a.length <= 201 ? i + 1 : 1 + r.int(a.length - 1));
    for (const c of cuts) v(`split at ${c}`, [a.subarray(0, c), a.subarray(c)]);
    v("SSE where frames are expected", "data: {}\n\n");
    v("the first frame 1000 times", Buffer.concat(Array.from({ length: 1000 }, () => framesFromFixture(t.frames!.slice(0, 1)))));
  }
  // Upstreams that echo the key they received, in every shape these providers use for errors (Hunyuan's SecretKey
  // only signs: it never reaches the upstream, which cannot echo it).
  if (!t.name.startsWith("hunyuan native")) for (const body of [`{"error":{"code":401,"message":"API key ${t.secret} not valid","status":"UNAUTHENTICATED"}}`, `{"code":"InvalidApiKey","message":"Invalid API-key provided: ${t.secret}","request_id":"r"}`,
    `{"Response":{"Error":{"Code":"AuthFailure","Message":"key ${t.secret}"},"RequestId":"r"}}`, `{"message":"The security token ${t.secret} is invalid"}`, `Unauthorized: ${t.secret}`]) {
    v("a 401 echoing the key", body, "application/json", 401);
    v("a 200 echoing the key", body, ct, 200);
  }
  for (const status of [400, 401, 403, 404, 429, 500, 503]) {
    v(`${status} with the answer as its body`, a, ct, status);
    v(`${status} empty`, "", "", status);
    v(`${status} array`, '[{"error":{"code":' + status + ',"message":7}}]', "application/json", status);
    v(`${status} odd error`, r.pick(['{"error":null}', '{"error":"x"}', '{"error":{"message":["a"]}}', '{"message":{"a":1}}', '{"Response":{"Error":5}}', '{"code":[],"msg":{}}', "data: {}\n\n", "\xff\xfe"]), "application/json", status);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- oracle

/**
 * held: the plugin's top-level allowOnHeadersStopIteration on, as Deploying recommends with Envoy >= 1.35 (a broken 200
 * reaches the client as an error status); stock: off, as on Higress (the 200 went out before the body was known).
 */
type Mode = "held" | "stock";

function problem(t: Target, res: { status: number; headers: Array<[string, string]>; bodyText: string }, mode: Mode = "held"): string | null {
  if (res.status === 0) return "no response";
  if (res.bodyText.includes(t.secret) || res.headers.some(([, v]) => v.includes(t.secret))) return "the provider key reached the client";
  const ct = header(res.headers, "content-type") ?? "";
  if (ct.startsWith("text/event-stream")) {
    // An upstream that declares an event stream to a whole request is answered as a stream (the gateway goes by the
    // upstream's content type), well-formed in the client's protocol; APIs that never stream end it in an error.
    const bad = t.passthrough ? passthroughStreamProblem(t.proto, res.bodyText) : convertedStreamProblem(t.proto, res.bodyText);
    if (bad || t.stream || isChat(t)) return bad;
    const notError = parseSse(res.bodyText).events.find((e) => e.data !== "[DONE]" && !/^\{"error":\{/.test(e.data));
    return notError ? `a stream of ${t.name}, which never streams, carried more than an error: ${notError.data.slice(0, 200)}` : null;
  }
  let v: any;
  try { v = JSON.parse(res.bodyText); } catch { return `not JSON (status ${res.status}, ${ct}): ${JSON.stringify(res.bodyText.slice(0, 200))}`; }
  if (v === null || typeof v !== "object" || Array.isArray(v)) return `not a JSON object: ${res.bodyText.slice(0, 200)}`;
  // Same protocol: a 2xx passes through as the provider sent it.
  if (t.passthrough && res.status < 400) return null;
  if (res.status >= 400 || v.error !== undefined || v.type === "error") {
    // Stock: the 200 went out before the body turned out unusable, so the body says what happened.
    if (res.status < 400 && mode === "held" && !t.stream) return `an error body with status ${res.status}: ${res.bodyText.slice(0, 200)}`;
    return errorShapeProblem(t.proto, res.bodyText);
  }
  // A 2xx whole answer is the client's API object, never the provider's own shape.
  const p = header(t.headers, ":path") ?? "";
  const shape = p.endsWith("/v1/messages") ? v.type === "message" && Array.isArray(v.content)
    : p.endsWith("/chat/completions") ? v.object === "chat.completion" && Array.isArray(v.choices)
    : p.endsWith("/embeddings") ? v.object === "list" && Array.isArray(v.data)
    : p.includes("/images/") ? Array.isArray(v.data)
    : p.endsWith("/rerank") ? Array.isArray(v.results)
    : true;
  return shape ? null : `a ${res.status} answer not in the client's API shape: ${res.bodyText.slice(0, 200)}`;
}

function isChat(t: Target): boolean {
  const p = header(t.headers, ":path") ?? "";
  return p.endsWith("/chat/completions") || p.endsWith("/v1/messages");
}

async function startFor(t: Target, mode: Mode): Promise<Started> {
  return startPlugin(mode === "held" ? { allowOnHeadersStopIteration: true, ...t.config } : t.config, { allowOnHeadersStopIteration: true, stallTimeoutMs: 5000, ...(t.now ? { now: () => BigInt(t.now!) * 1_000_000_000n } : {}) });
}

let total = 0;
describe("native-schema upstreams answer with hostile bytes", async () => {
  const targets = [...goldenTargets(), ...(await documentedTargets())];
  for (const [ti, t] of targets.entries()) {
    for (const mode of ["held", "stock"] as const) {
      test(`${t.name} (${mode})`, async () => {
        let s = await startFor(t, mode);
        const failures: string[] = [];
        // Stock mode replays every other variant: the held run has them all.
        const vs = variants(t, new Rng(0x5eed + ti)).filter((_, i) => mode === "held" || i % 2 === 0);
        let calls = 0;
        for (const [vi, v] of vs.entries()) {
          // Streams: every other variant also arrives at seeded random boundaries.
          const body = t.kind !== "json" && !Array.isArray(v.body) && vi % 2 ? randomChunks(bytesOf(v.body), vi, 24) : v.body;
          const r = await s.plugin.exchange({
            request: { headers: t.headers, body: t.body },
            upstream: () => { calls++; return { status: v.status, headers: v.ct ? [["content-type", v.ct]] : [], body }; },
          });
          total++;
          const bad = r.trap !== null ? `trap: ${String(r.trap)}` : problem(t, r, mode);
          if (bad) failures.push(`${v.what} (status ${v.status}, ${v.ct}): ${bad}\n  upstream: ${JSON.stringify(Buffer.concat((Array.isArray(v.body) ? v.body : [v.body]).map(bytesOf)).toString().slice(0, 300))}`);
          if (r.trap !== null) s = await startFor(t, mode);
        }
        assert.equal(calls, vs.length, "every hostile answer reached the plugin (the request was not refused)");
        // The same VM still answers the documented answer as the documentation says.
        const ok = await s.plugin.exchange({ request: { headers: t.headers, body: t.body }, upstream: () => ({ status: t.status, headers: [["content-type", CT[t.kind]]], body: t.answer }) });
        assert.equal(ok.trap, null);
        assert.equal(ok.status, t.status);
        assert.equal(problem(t, ok, mode), null);
        assert.equal(s.vm.logs.find((l) => l.message.includes(t.secret))?.message, undefined, "the provider key in a log line");
        assert.deepEqual(failures.slice(0, 8), [], `${failures.length} of ${vs.length} hostile answers failed`);
      });
    }
  }
  test("counted", () => { console.log(`native-upstreams: ${total} hostile exchanges over ${targets.length} provider APIs`); assert.ok(total > 1000); });
});

// The minimal inputs the run above found (each once passed the provider's own JSON through to the OpenAI client).
describe("an event stream where the provider never streams ends in an OpenAI error, not the provider's shape", () => {
  const sse = (o: object) => "data: " + json(o) + "\n\n";
  const cases: Array<[string, object, string, string, string]> = [
    ["qwen embeddings", { provider: { type: "qwen", apiTokens: ["sk-dash-secret"] } }, "/v1/embeddings", json({ model: "text-embedding-v4", input: "a" }), sse({ output: { embeddings: [{ embedding: [1], text_index: 0 }] } })],
    ["qwen rerank", { provider: { type: "qwen", apiTokens: ["sk-dash-secret"] } }, "/v1/rerank", json({ model: "gte-rerank-v2", query: "q", documents: ["d"] }), sse({ output: { results: [{ index: 0, relevance_score: 1 }] } })],
    ["vertex images", { provider: { type: "vertex", apiTokens: ["AQ.vertex-secret"] } }, "/v1/images/generations", json({ model: "gemini-2.5-flash-image", prompt: "A cat" }), sse({ candidates: [{ content: { parts: [{ inlineData: { mimeType: "image/png", data: PNG } }] } }] })],
  ];
  for (const [name, config, p, body, answer] of cases) {
    test(name, async () => {
      const { plugin } = await startPlugin(config, { allowOnHeadersStopIteration: true });
      const r = await plugin.exchange({ request: { headers: requestHeaders(p, OPENAI_CREDS), body }, upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: answer }) });
      assert.equal(r.trap, null);
      const events = parseSse(r.bodyText).events;
      assert.equal(events.length, 2, r.bodyText);
      assert.match(JSON.parse(events[0].data).error.message, /answered (images )?with an event stream/);
      assert.equal(events[1].data, "[DONE]");
    });
  }
});

// The minimal inputs of the held run: a provider's error object sent with HTTP 200 once reached the client as a 200
// carrying an error; it gets the status the error's code names (Google's `code`; Triton's errors are 500s).
describe("a provider error object sent with 200 reaches a whole-answer client with an error status", () => {
  const googleError = json({ error: { code: 429, message: "Resource has been exhausted (e.g. check quota).", status: "RESOURCE_EXHAUSTED" } });
  const cases: Array<[string, object, string, string, string, number]> = [
    ["gemini chat", { provider: { type: "gemini", apiTokens: ["gemini-secret"], modelMapping: { "*": "gemini-2.5-flash" } } }, "/v1/chat/completions", chat("gpt-4o", false), googleError, 429],
    ["vertex images", { provider: { type: "vertex", apiTokens: ["AQ.vertex-secret"] } }, "/v1/images/generations", json({ model: "gemini-2.5-flash-image", prompt: "A cat" }), googleError, 429],
    ["gemini chat, a code that is no HTTP error", { provider: { type: "gemini", apiTokens: ["gemini-secret"], modelMapping: { "*": "gemini-2.5-flash" } } }, "/v1/chat/completions", chat("gpt-4o", false), json({ error: { code: 200, message: "odd" } }), 502],
    ["triton", { provider: { type: "triton", apiTokens: ["triton-secret"], tritonDomain: "triton.example.com", modelMapping: { "*": "gpt2" } } }, "/v1/chat/completions", chat("gpt-4o", false), json({ error: "failed to run the model" }), 500],
  ];
  for (const [name, config, p, body, answer, status] of cases) {
    test(name, async () => {
      const { plugin } = await startPlugin({ allowOnHeadersStopIteration: true, ...config }, { allowOnHeadersStopIteration: true });
      const r = await plugin.exchange({ request: { headers: requestHeaders(p, OPENAI_CREDS), body }, upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: answer }) });
      assert.equal(r.trap, null);
      assert.equal(r.status, status, r.bodyText);
      assert.equal(errorShapeProblem("openai", r.bodyText), null);
    });
  }
});

// The minimal input of the stream run: an OpenAI-compatible stream passed through once carried a key the upstream
// echoed in an event that is not OpenAI's error chunk (here DashScope's error shape).
test("a same-protocol stream event echoing the key in any shape reaches the client redacted", async () => {
  const { plugin } = await startPlugin({ provider: { type: "hunyuan", apiTokens: ["sk-hunyuan-secret"] } });
  const chunk = json({ id: "c", object: "chat.completion.chunk", created: 1, model: "hunyuan-turbos-latest", choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }] });
  const answer = `data: ${chunk}\n\ndata: ${json({ code: "InvalidApiKey", message: "key sk-hunyuan-secret" })}\n\ndata: [DONE]\n\n`;
  const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions", OPENAI_CREDS), body: chat("gpt-4o", true) }, upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: answer }) });
  assert.equal(r.trap, null);
  assert.equal(r.bodyText, answer.replace("sk-hunyuan-secret", "[REDACTED]"));
});
