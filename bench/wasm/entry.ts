// Bench-only entry: the translators and the JSON library without the Proxy-Wasm host, so bench/run.ts can
// time them in a loop inside Wasm (no JS<->Wasm copies per iteration). Built by bench/pure.ts into
// bench/build/ (gitignored), twice: plain for timing, and with ASC_RTRACE to count allocations. Not part of the
// plugin.
import { Protocol, TranslateOptions, translateRequest, newResponseTranslator, ResponseTranslator } from "../../assembly/translate/index";
import { parseJson } from "../../assembly/json/parse";
import { SseParser } from "../../assembly/sse/parser";
import { interopProblem } from "../../assembly/json/interop";

let input: Uint8Array = new Uint8Array(0);
let cuts: Int32Array = new Int32Array(0);
let response: Uint8Array = new Uint8Array(0);

let output: Uint8Array = new Uint8Array(0);

// No bindings: JS asks for a buffer, writes into linear memory at the returned address, and reads results back
// through outPtr()/outLen().
/** A fresh input buffer of `n` bytes (the request body, or a whole SSE transcript); returns its address. */
export function allocInput(n: i32): usize { input = new Uint8Array(n); return input.dataStart; }
/** A fresh upstream response body (non-streamed) of `n` bytes for runExchange(); returns its address. */
export function allocResponse(n: i32): usize { response = new Uint8Array(n); return response.dataStart; }
/** `n` chunk boundaries for runStream (ascending end offsets, the last = input length); returns their address. */
export function allocCuts(n: i32): usize { cuts = new Int32Array(n); return cuts.dataStart; }
export function outPtr(): usize { return output.dataStart; }
export function outLen(): i32 { return output.length; }

const MODELS: string[] = ["", "gpt-4.1", "claude-sonnet-4-5"];
function model(i: i32): string { return i >= 0 && i < MODELS.length ? MODELS[i] : ""; }

function proto(p: i32): Protocol { return p == 1 ? Protocol.Anthropic : Protocol.OpenAI; }

function options(m: i32): TranslateOptions {
  const o = new TranslateOptions();
  o.model = model(m);
  o.nowSeconds = 1741570283;
  return o;
}

/** translateRequest `n` times; returns the last output's length (-1 on failure). */
export function runRequest(client: i32, upstream: i32, m: i32, n: i32): i32 {
  let len = 0;
  for (let i = 0; i < n; i++) {
    const r = translateRequest(proto(client), proto(upstream), input, options(m));
    len = r.ok ? r.body.length : -1;
    output = r.body;
  }
  return len;
}

/** translateRequest + a non-streamed response body, `n` times; returns the last response length. */
export function runExchange(client: i32, upstream: i32, m: i32, n: i32): i32 {
  let len = 0;
  for (let i = 0; i < n; i++) {
    const o = options(m);
    const r = translateRequest(proto(client), proto(upstream), input, o);
    if (!r.ok) return -1;
    const t = newResponseTranslator(proto(client), proto(upstream), o, r.stream, r.includeUsage);
    len = t.body(response, 200).length;
  }
  return len;
}

/** The whole SSE transcript through a fresh response translator, chunked at `cuts`, `n` times; returns output bytes of the last run. */
export function runStream(client: i32, upstream: i32, n: i32): i32 {
  let total = 0;
  for (let k = 0; k < n; k++) {
    const t: ResponseTranslator = newResponseTranslator(proto(client), proto(upstream), options(1), true, true);
    total = 0;
    let prev = 0;
    for (let i = 0; i < cuts.length; i++) {
      const c = unchecked(cuts[i]);
      total += t.chunk(input.subarray(prev, c)).length;
      prev = c;
    }
    total += t.end().length;
  }
  return total;
}

/** Output of one streamed run (for checking the bench's transcripts translate to something sensible). */
export function streamOutput(client: i32, upstream: i32): i32 {
  const t = newResponseTranslator(proto(client), proto(upstream), options(1), true, true);
  const parts = new Array<Uint8Array>();
  let prev = 0, n = 0;
  for (let i = 0; i < cuts.length; i++) {
    const c = unchecked(cuts[i]);
    const o = t.chunk(input.subarray(prev, c));
    parts.push(o); n += o.length;
    prev = c;
  }
  const e = t.end(); parts.push(e); n += e.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (let i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
  output = out;
  return n;
}

/** parseJson only, `n` times; returns the root's member count. */
export function runParse(n: i32): i32 {
  let c = 0;
  for (let i = 0; i < n; i++) {
    const r = parseJson(input);
    const v = r.value;
    c = v == null ? -1 : v.length;
  }
  return c;
}

/** SseParser only (the pull API the translators use) over the transcript at `cuts`, `n` times; returns the event count. */
export function runSseParse(n: i32): i32 {
  let events = 0;
  for (let k = 0; k < n; k++) {
    const p = new SseParser();
    events = 0;
    let prev = 0;
    for (let i = 0; i < cuts.length; i++) {
      const c = unchecked(cuts[i]);
      p.begin(input.subarray(prev, c));
      while (p.next()) events++;
      prev = c;
    }
  }
  return events;
}

/**
 * The interop checks (json/interop interopProblem) on the parsed input, `n` times. Returns the message length.
 */
export function runValidate(n: i32): i32 {
  const root = parseJson(input).value;
  if (root == null) return -1;
  let len = 0;
  for (let i = 0; i < n; i++) len = interopProblem(root).length;
  return len;
}

/** Runs a full collection (so memory figures after it show live data only). */
export function collect(): void { __collect(); }
