// What the benchmarks feed the plugin: request bodies from the golden fixtures (a ~94 KB Claude Code request, ~1 KB
// ones) and long synthetic SSE transcripts built from the providers' real event shapes (tests/fixtures/translate).
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
const FIX = path.join(ROOT, "tests", "fixtures", "translate");

export function fixture(name: string, file: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIX, name, file)));
}

const enc = new TextEncoder();

export const enum P { OpenAI = 0, Anthropic = 1 }

/** One request-conversion case: a client body in `client`'s protocol for an `upstream` provider, plus a non-streamed answer. */
export interface RequestCase {
  name: string;
  client: P;
  upstream: P;
  body: Uint8Array;
  /** The upstream's non-streamed answer (upstream protocol). */
  response: Uint8Array;
}

export function requestCases(): RequestCase[] {
  const oaiAnswer = fixture("a2o-tools-roundtrip", "upstream-response.json");
  const antAnswer = fixture("o2a-tools-roundtrip", "upstream-response.json");
  return [
    // OpenAI client → Anthropic provider ("o2a").
    { name: "o2a small", client: P.OpenAI, upstream: P.Anthropic, body: fixture("o2a-tool-choice-named", "client-request.json"), response: antAnswer },
    // The Claude Code request as the OpenAI translator writes it: the same conversation in OpenAI's shape.
    { name: "o2a large", client: P.OpenAI, upstream: P.Anthropic, body: fixture("a2o-claude-code-large", "upstream-request.json"), response: antAnswer },
    // Anthropic client (Claude Code) → OpenAI provider ("a2o").
    { name: "a2o small", client: P.Anthropic, upstream: P.OpenAI, body: fixture("a2o-system-blocks-params", "client-request.json"), response: oaiAnswer },
    { name: "a2o large", client: P.Anthropic, upstream: P.OpenAI, body: fixture("a2o-claude-code-large", "client-request.json"), response: oaiAnswer },
  ];
}

// ---------------------------------------------------------------- SSE transcripts

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Token-sized pieces of model output: words, code, escapes, non-ASCII — what text deltas really carry.
const PIECES = [
  "The", " parser", " splits", " on", " `\\n`", " only", ";", " I'll", " fix", " it", ".", "\\n\\n", "```ts\\n",
  "const", " x", " =", " await", " fetch(url)", ";\\n", "```", " —", " naïve", " façade", " 你好", " 👋", " \\\"ok\\\"",
  " function", " return", " {", " }", " values", " between", " requests", ",", " and", " the", " result", " is",
];

function textPiece(rnd: () => number): string {
  let s = "";
  const n = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(rnd() * PIECES.length)];
  return s;
}

/**
 * An Anthropic Messages stream (what an Anthropic upstream sends an OpenAI client through the gateway): text deltas,
 * then a tool_use block with input_json_delta fragments, repeated `turns` times, then the end events.
 */
export function anthropicStream(turns: number, seed = 1): Uint8Array {
  const rnd = prng(seed);
  const ev = (name: string, data: string) => `event: ${name}\ndata: ${data}\n\n`;
  let s = ev("message_start", `{"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":1800,"output_tokens":1,"service_tier":"standard"}}}`);
  s += ev("ping", `{"type": "ping"}`);
  let block = 0;
  for (let t = 0; t < turns; t++) {
    s += ev("content_block_start", `{"type":"content_block_start","index":${block},"content_block":{"type":"text","text":""}}`);
    for (let i = 0; i < 40; i++) {
      s += ev("content_block_delta", `{"type":"content_block_delta","index":${block},"delta":{"type":"text_delta","text":"${textPiece(rnd)}"}}`);
    }
    s += ev("content_block_stop", `{"type":"content_block_stop","index":${block}}`);
    block++;
    s += ev("content_block_start", `{"type":"content_block_start","index":${block},"content_block":{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq${t}","name":"Edit","input":{}}}`);
    const frags = ['{\\"file_path\\": \\"/src/', 'parser.ts\\", \\"old', '_string\\": \\"split(\\\\\\"\\\\\\\\n', '\\\\\\")\\", \\"new_string', '\\": \\"split(/\\\\\\\\r?\\\\\\\\n/)\\"}'];
    for (const f of frags) s += ev("content_block_delta", `{"type":"content_block_delta","index":${block},"delta":{"type":"input_json_delta","partial_json":"${f}"}}`);
    s += ev("content_block_stop", `{"type":"content_block_stop","index":${block}}`);
    block++;
  }
  s += ev("message_delta", `{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":${turns * 60}}}`);
  s += ev("message_stop", `{"type":"message_stop"}`);
  return enc.encode(s);
}

/** An OpenAI Chat Completions stream (what an OpenAI upstream sends an Anthropic client): same content, OpenAI framing. */
export function openaiStream(turns: number, seed = 1): Uint8Array {
  const rnd = prng(seed);
  const head = `{"id":"chatcmpl-CC9a1b2c3d4e5f6g7h8i9j0","object":"chat.completion.chunk","created":1759300000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_c1fb89028d","choices":[{"index":0,"delta":`;
  const tail = (finish: string) => `,"logprobs":null,"finish_reason":${finish}}],"usage":null,"obfuscation":"x1"}`;
  const ev = (delta: string, finish = "null") => `data: ${head}${delta}${tail(finish)}\n\n`;
  let s = ev(`{"role":"assistant","content":"","refusal":null}`);
  let tool = 0;
  for (let t = 0; t < turns; t++) {
    for (let i = 0; i < 40; i++) s += ev(`{"content":"${textPiece(rnd)}"}`);
    s += ev(`{"tool_calls":[{"index":${tool},"id":"call_Qk2m7Lp9Xr4Tz8Nv1Bc6H${t}","type":"function","function":{"name":"Edit","arguments":""}}]}`);
    const frags = ['{\\"file_path\\": \\"/src/', 'parser.ts\\", \\"old', '_string\\": \\"split(\\\\\\"\\\\\\\\n', '\\\\\\")\\", \\"new_string', '\\": \\"split(/\\\\\\\\r?\\\\\\\\n/)\\"}'];
    for (const f of frags) s += ev(`{"tool_calls":[{"index":${tool},"function":{"arguments":"${f}"}}]}`);
    tool++;
  }
  s += ev(`{}`, `"tool_calls"`);
  s += `data: {"id":"chatcmpl-CC9a1b2c3d4e5f6g7h8i9j0","object":"chat.completion.chunk","created":1759300000,"model":"gpt-4.1-2025-04-14","service_tier":"default","system_fingerprint":"fp_c1fb89028d","choices":[],"usage":{"prompt_tokens":24810,"completion_tokens":${turns * 60},"total_tokens":${24810 + turns * 60},"prompt_tokens_details":{"cached_tokens":24320,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"obfuscation":"x1"}\n\n`;
  s += "data: [DONE]\n\n";
  return enc.encode(s);
}

export type Chunking = "event" | "4k" | "random";

/** Chunk end offsets: one network read per SSE event, 4 KB reads (bunched events), or random 1–64-byte pieces. */
export function chunkEnds(bytes: Uint8Array, how: Chunking, seed = 7): number[] {
  const ends: number[] = [];
  if (how === "event") {
    for (let i = 1; i < bytes.length; i++) if (bytes[i] === 0x0a && bytes[i - 1] === 0x0a) ends.push(i + 1);
    if (ends[ends.length - 1] !== bytes.length) ends.push(bytes.length);
  } else if (how === "4k") {
    for (let at = 4096; at < bytes.length; at += 4096) ends.push(at);
    ends.push(bytes.length);
  } else {
    const rnd = prng(seed);
    let at = 0;
    while (true) {
      at += 1 + Math.floor(rnd() * 64);
      if (at >= bytes.length) break;
      ends.push(at);
    }
    ends.push(bytes.length);
  }
  return ends;
}

export function split(bytes: Uint8Array, ends: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const e of ends) { out.push(bytes.subarray(prev, e)); prev = e; }
  return out;
}
