// npm run bench        builds, then measures build/ai-proxy.wasm: conversion cost per request, passthrough cost,
//                      SSE throughput, memory per VM, .wasm size, and the same plugin in real Envoy when one is
//                      provisioned (bench/envoy-bench.ts); prints a table, writes bench/results/latest.json.
// npm run bench:short  a few seconds, same code paths, no timing targets checked (CI: fails only on real errors,
//                      i.e. a trap, a refused configuration or wrong output).
//
// Every timing is a median over several runs, reported with ratios to baselines measured in the same run: the no-op
// plugin (bench/fixtures/noop.wat) through the same host, and V8's JSON.parse + JSON.stringify of the same bytes.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPure, Pure } from "./pure";
import { anthropicStream, chunkEnds, Chunking, openaiStream, P, requestCases, ROOT, split } from "./payloads";
import { execFileSync } from "node:child_process";
import { envoyBench } from "./envoy-bench";
import { clientHeaders, noopWasm, providerConfig, requestLoop, requestOnce, start, streamOnce, WASM as RELEASE_WASM } from "./host-bench";

/** The plugin under test: the release build, or the minimal-runtime experiment (built here). */
function pluginWasm(): string {
  if (!MINIMAL) return RELEASE_WASM;
  const out = path.join(ROOT, "bench", "build", "plugin-minimal.wasm");
  execFileSync(path.join(ROOT, "node_modules", ".bin", "asc"), [path.join(ROOT, "bench", "wasm", "plugin-minimal.ts"), "--config",
    path.join(ROOT, "asconfig.json"), "--target", "release", "--runtime", "minimal", "--outFile", out, "--textFile", "/dev/null"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

const SHORT = process.argv.includes("--short");
const RUNS = SHORT ? 1 : 7;
// --only convert,passthrough,sse,memory,envoy: run some sections (development); the JSON is then not written.
const onlyArg = process.argv.find((a) => a.startsWith("--only="));
const ONLY = onlyArg ? new Set(onlyArg.slice(7).split(",")) : null;
const want = (section: string) => ONLY === null || ONLY.has(section);
// --minimal-runtime: measure bench/wasm/plugin-minimal.ts instead (the plugin on AssemblyScript's `minimal` runtime
// with explicit collections; an experiment for the runtime choice, see README "Performance").
const MINIMAL = process.argv.includes("--minimal-runtime");
const dec = new TextDecoder();
const enc = new TextEncoder();

// ---------------------------------------------------------------- timing

function now(): number { return Number(process.hrtime.bigint()) / 1e3; } // µs

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median µs per iteration of each function, over RUNS rounds. Within a round every function runs once (after one
 * warm-up round), so a slow patch of the machine hits plugin and baselines alike.
 */
function compare(fns: Record<string, (n: number) => void>, n: number): Record<string, number> {
  const names = Object.keys(fns);
  const samples: Record<string, number[]> = {};
  for (const k of names) { samples[k] = []; fns[k](Math.max(1, Math.ceil(n / 4))); }
  for (let r = 0; r < RUNS; r++) {
    for (const k of names) {
      const t = now();
      fns[k](n);
      samples[k].push((now() - t) / n);
    }
  }
  const out: Record<string, number> = {};
  for (const k of names) out[k] = median(samples[k]);
  return out;
}

/** Iterations for roughly `budgetMs` of work at `estUs` per iteration. */
function iters(estUs: number, budgetMs: number): number {
  return Math.max(SHORT ? 2 : 20, Math.round((budgetMs * 1000) / Math.max(estUs, 0.5)));
}

function v8RoundTrip(text: string): (n: number) => void {
  return (n) => { for (let i = 0; i < n; i++) JSON.stringify(JSON.parse(text)); };
}

// ---------------------------------------------------------------- checks (the only way bench:short fails)

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error("bench check failed: " + what);
}
function isJson(b: Uint8Array): boolean {
  try { JSON.parse(dec.decode(b)); return true; } catch { return false; }
}

// ---------------------------------------------------------------- report

interface Row { section: string; name: string; value: number; unit: string; note: string }
const rows: Row[] = [];
const results: Record<string, any> = {};
function row(section: string, name: string, value: number, unit: string, note = ""): void {
  rows.push({ section, name, value, unit, note });
}
function fmt(v: number): string {
  if (Number.isNaN(v)) return "n/a";
  if (!isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 10 ? v.toFixed(2) : v.toFixed(3);
}
function printTable(): void {
  const w0 = Math.max(...rows.map((r) => r.section.length)), w1 = Math.max(...rows.map((r) => r.name.length));
  let last = "";
  for (const r of rows) {
    if (r.section !== last) { console.log(""); last = r.section; }
    console.log(`${r.section.padEnd(w0)}  ${r.name.padEnd(w1)}  ${fmt(r.value).padStart(9)} ${r.unit.padEnd(6)} ${r.note}`);
  }
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const t0 = Date.now();
  const kb = (n: number) => (n / 1024).toFixed(n < 10240 ? 1 : 0) + " KB";
  const cases = requestCases();
  const modelFor = (p: P) => (p === P.Anthropic ? "claude-sonnet-4-5" : "gpt-4.1");
  const modelIdx = (p: P) => (p === P.Anthropic ? 2 : 1);

  // ---- builds
  const WASM = pluginWasm();
  console.log(`ai-proxy-wasm bench${SHORT ? " (short)" : ""}${MINIMAL ? " — minimal-runtime experiment" : ""}: node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"} x${os.cpus().length}, ${RUNS} run(s)`);
  // The short form skips the allocation-counting build (one asc run less).
  const pureFiles = buildPure("incremental", !SHORT);
  const pure = Pure.load(pureFiles.plain);
  const traced = pureFiles.rtrace ? Pure.load(pureFiles.rtrace) : null;
  /** Allocations and bytes per call of `fn` on the RTRACE build (NaN in the short form). */
  const allocs = (setup: (p: Pure) => void, fn: (p: Pure) => void, per: number): { allocs: number; bytes: number } => {
    if (!traced) return { allocs: NaN, bytes: NaN };
    setup(traced);
    traced.stats.reset();
    fn(traced);
    return { allocs: traced.stats.allocs / per, bytes: traced.stats.bytes / per };
  };
  const noop = await start(await noopWasm(), {});

  // ---- 5. size
  const wasmSize = fs.statSync(WASM).size;
  row("size", path.relative(ROOT, WASM), wasmSize / 1024, "KB", "target ≤ 800 KB (Higress ai-proxy 9.5 MB)");
  results.wasmBytes = wasmSize;

  // ---- 1. request + response conversion
  results.requests = [];
  for (const c of want("convert") ? cases : []) {
    const { plugin } = await start(WASM, providerConfig(c.upstream, { model: modelFor(c.upstream) }));
    const headers = clientHeaders(c.client, c.body.length);
    const o = requestOnce(plugin, headers, c.body, c.response);
    check(!o.localReply && isJson(o.upstreamBody) && o.upstreamBody.length > 0, `${c.name}: upstream body is JSON`);
    check(isJson(o.clientBody) && o.clientBody.length > 0, `${c.name}: client body is JSON`);
    pure.setInput(c.body);
    pure.setResponse(c.response);
    check(pure.exports.runRequest(c.client, c.upstream, modelIdx(c.upstream), 1) > 0, `${c.name}: pure translation`);
    const reqText = dec.decode(c.body), respText = dec.decode(c.response);
    const large = c.body.length > 10000;
    const n = iters(large ? 600 : 60, SHORT ? 20 : 300);
    const t = compare({
      host: (k) => requestLoop(plugin, headers, c.body, c.response, k),
      noop: (k) => requestLoop(noop.plugin, headers, c.body, c.response, k),
      pureReq: (k) => pure.exports.runRequest(c.client, c.upstream, modelIdx(c.upstream), k),
      pureBoth: (k) => pure.exports.runExchange(c.client, c.upstream, modelIdx(c.upstream), k),
      pureParse: (k) => pure.exports.runParse(k),
      v8Req: v8RoundTrip(reqText),
      v8Both: (k) => { for (let i = 0; i < k; i++) { JSON.stringify(JSON.parse(reqText)); JSON.stringify(JSON.parse(respText)); } },
    }, n);
    const a = allocs((p) => { p.setInput(c.body); p.setResponse(c.response); }, (p) => p.exports.runExchange(c.client, c.upstream, modelIdx(c.upstream), 10), 10);
    const allocCount = a.allocs, allocBytes = a.bytes;
    const added = t.host - t.noop;
    const label = `${c.name} (${kb(c.body.length)})`;
    row("convert", `${label} host, req+resp`, t.host, "µs", `no-op plugin ${fmt(t.noop)} µs; added ${fmt(added)} µs = ${fmt(added / t.v8Both)}× V8 parse+stringify of req+resp (${fmt(t.v8Both)} µs)`);
    row("convert", `${label} translator, request`, t.pureReq, "µs", `${fmt(t.pureReq / t.v8Req)}× V8 parse+stringify (${fmt(t.v8Req)} µs); parseJson alone ${fmt(t.pureParse)} µs = ${fmt(t.pureParse / t.v8Req)}×${large ? "; target ≤ 0.5×" : ""}`);
    row("convert", `${label} translator, req+resp`, t.pureBoth, "µs", `${fmt(t.pureBoth / t.v8Both)}× V8; ${fmt(allocCount)} allocations, ${kb(allocBytes)} allocated per request`);
    results.requests.push({ name: c.name, bytes: c.body.length, hostUs: t.host, noopUs: t.noop, addedUs: added, translatorRequestUs: t.pureReq,
      translatorExchangeUs: t.pureBoth, parseUs: t.pureParse, v8RequestUs: t.v8Req, v8ExchangeUs: t.v8Both,
      requestRatioToV8: t.pureReq / t.v8Req, addedRatioToV8: added / t.v8Both, allocationsPerRequest: allocCount, bytesAllocatedPerRequest: allocBytes });
  }

  // The interop checks (duplicate keys, lone surrogates, huge numbers) every request body goes through.
  if (want("convert")) {
    const big = cases.find((c) => c.name === "a2o large")!;
    pure.setInput(big.body);
    check(pure.exports.runValidate(1) === 0, "validation: the large body is clean");
    const t = compare({ fast: (k) => pure.exports.runValidate(k) }, iters(200, SHORT ? 10 : 200));
    row("convert", `interop checks, ${kb(big.body.length)}: json/interop`, t.fast, "µs", "duplicate keys, lone surrogates, huge numbers: one pass over the parse tape");
    results.validation = { interopProblemUs: t.fast, bytes: big.body.length };
  }

  // ---- 2. passthrough
  results.passthrough = [];
  if (want("passthrough")) {
    const small = cases.find((c) => c.name === "o2a small")!; // an OpenAI client body
    const large = cases.find((c) => c.name === "o2a large")!;
    const variants: Array<[string, object, Uint8Array]> = [
      ["headers + auth only (protocol: original)", providerConfig(P.OpenAI, { original: true }), small.body],
      ["model-only rewrite, small", providerConfig(P.OpenAI, { model: "gpt-4.1-mini" }), small.body],
      ["model-only rewrite, large", providerConfig(P.OpenAI, { model: "gpt-4.1-mini" }), large.body],
      ["same protocol, model kept, large", providerConfig(P.OpenAI), large.body],
    ];
    const answer = cases.find((c) => c.name === "a2o small")!.response; // an OpenAI answer
    for (const [name, config, body] of variants) {
      const { plugin } = await start(WASM, config);
      const headers = clientHeaders(P.OpenAI, body.length);
      const o = requestOnce(plugin, headers, body, answer);
      check(!o.localReply && isJson(o.upstreamBody), `passthrough ${name}: upstream body`);
      if (name.includes("rewrite")) check(dec.decode(o.upstreamBody).includes('"gpt-4.1-mini"'), `passthrough ${name}: model rewritten`);
      const n = iters(body.length > 10000 ? 300 : 25, SHORT ? 20 : 300);
      const t = compare({
        host: (k) => requestLoop(plugin, headers, body, answer, k),
        noop: (k) => requestLoop(noop.plugin, headers, body, answer, k),
        v8: v8RoundTrip(dec.decode(body)),
      }, n);
      const added = t.host - t.noop;
      row("passthrough", `${name} (${kb(body.length)})`, added, "µs", `added per request (host ${fmt(t.host)} − no-op ${fmt(t.noop)} µs); ${fmt(added / t.v8)}× V8 parse+stringify${name.startsWith("headers") ? "; target ≤ 20 µs" : ""}`);
      results.passthrough.push({ name, bytes: body.length, hostUs: t.host, noopUs: t.noop, addedUs: added, v8Us: t.v8 });
    }
  }

  // ---- 2b. operations layer (virtual key, limits, tags, redaction, cost and metrics, cache) on and off
  results.ops = [];
  if (want("ops")) {
    const aSmall = cases.find((c) => c.name === "a2o small")!; // Anthropic client bodies, sent to claude (same protocol)
    const aLarge = cases.find((c) => c.name === "a2o large")!;
    const answer = cases.find((c) => c.name === "o2a small")!.response; // an Anthropic answer
    const base = providerConfig(P.Anthropic) as Record<string, unknown>;
    const ops = {
      consumers: [{ name: "bench", key: "client-key", models: ["claude-*"], budget: { tokens: 1e15 }, limits: { requestsPerMinute: 2147483647 } }],
      tags: { headers: ["x-biz-type"], allowed: ["customer_service"] },
      redaction: {},
    };
    const variants: Array<[string, object]> = [
      ["ops off", base],
      ["ops on: key, budget + limit, tags, redaction, cost, metrics", { ...base, ...ops }],
      ["ops on + cache (every request a hit)", { ...base, ...ops, cache: { when: "always" } }],
    ];
    for (const [bodyName, c] of [["1 KB", aSmall], [kb(aLarge.body.length), aLarge]] as const) {
      const headers = [...clientHeaders(P.Anthropic, c.body.length), ["x-biz-type", "customer_service"]] as ReturnType<typeof clientHeaders>;
      const figures: Record<string, number> = {};
      for (const [name, config] of variants) {
        const { plugin } = await start(WASM, config);
        const o = requestOnce(plugin, headers, c.body, answer);
        check(name.includes("cache") || (!o.localReply && isJson(o.upstreamBody)), `ops ${name}: request forwarded`);
        const n = iters(c.body.length > 10000 ? 3000 : 300, SHORT ? 20 : 300);
        const t = compare({ host: (k) => requestLoop(plugin, headers, c.body, answer, k), noop: (k) => requestLoop(noop.plugin, headers, c.body, answer, k) }, n);
        figures[name] = t.host - t.noop;
      }
      const off = figures["ops off"];
      for (const [name] of variants) {
        row("ops", `${name}, ${bodyName}`, figures[name], "µs", name === "ops off" ? "added per request over the no-op plugin (same protocol, claude)" : `+${fmt(figures[name] - off)} µs over ops off`);
        results.ops.push({ name, body: bodyName, addedUs: figures[name], overOffUs: figures[name] - off });
      }
    }
  }

  // ---- 3. SSE throughput
  results.sse = [];
  const turns = SHORT ? 4 : 25;
  const streams: Array<{ dir: string; client: P; upstream: P; bytes: Uint8Array }> = [
    { dir: "Anthropic → OpenAI client", client: P.OpenAI, upstream: P.Anthropic, bytes: anthropicStream(turns) },
    { dir: "OpenAI → Anthropic client", client: P.Anthropic, upstream: P.OpenAI, bytes: openaiStream(turns) },
    // Same protocol: passed through, but cut into whole events, each event's data checked (passthrough.ts).
    { dir: "OpenAI → OpenAI client (same protocol)", client: P.OpenAI, upstream: P.OpenAI, bytes: openaiStream(turns) },
    { dir: "Anthropic → Anthropic client (same protocol)", client: P.Anthropic, upstream: P.Anthropic, bytes: anthropicStream(turns) },
  ];
  const streamRequest = (client: P) => enc.encode(client === P.Anthropic
    ? `{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Fix the parser."}]}`
    : `{"model":"gpt-4.1","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Fix the parser."}]}`);
  for (const s of want("sse") ? streams : []) {
    const { plugin } = await start(WASM, providerConfig(s.upstream, { model: modelFor(s.upstream) }));
    const headers = clientHeaders(s.client, 0);
    const req = streamRequest(s.client);
    const events = chunkEnds(s.bytes, "event").length;
    // V8's baseline for a stream: JSON.parse + JSON.stringify of every event's data.
    const datas = dec.decode(s.bytes).split("\n").filter((l) => l.startsWith("data: {")).map((l) => l.slice(6));
    const v8Events = (k: number) => { for (let i = 0; i < k; i++) for (const d of datas) JSON.stringify(JSON.parse(d)); };
    for (const how of ["event", "4k", "random"] as Chunking[]) {
      const ends = chunkEnds(s.bytes, how);
      const chunks = split(s.bytes, ends);
      const out = streamOnce(plugin, headers, req, chunks, true);
      const text = dec.decode(out);
      check(s.client === P.OpenAI ? text.endsWith("data: [DONE]\n\n") : text.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), `SSE ${s.dir} ${how}: stream ends properly`);
      check(!text.includes("error"), `SSE ${s.dir} ${how}: no error event`);
      pure.setInput(s.bytes); pure.setCuts(ends);
      const pureLen = pure.exports.streamOutput(s.client, s.upstream);
      if (pureLen !== out.length) console.log(`note: SSE ${s.dir} ${how}: the plugin sent ${out.length} bytes, the translator alone ${pureLen}`);
      const n = SHORT ? 2 : Math.max(4, Math.round(8e6 / s.bytes.length));
      const t = compare({
        host: (k) => { for (let i = 0; i < k; i++) streamOnce(plugin, headers, req, chunks, false); },
        noop: (k) => { for (let i = 0; i < k; i++) streamOnce(noop.plugin, headers, req, chunks, false); },
        pure: (k) => pure.exports.runStream(s.client, s.upstream, k),
        sseOnly: (k) => pure.exports.runSseParse(k),
        v8: v8Events,
      }, n);
      const a = allocs((p) => { p.setInput(s.bytes); p.setCuts(ends); }, (p) => p.exports.runStream(s.client, s.upstream, 2), 2 * ends.length);
      const allocsPerChunk = a.allocs, bytesPerChunk = a.bytes;
      const mbs = (us: number) => s.bytes.length / MB / (us / 1e6);
      const label = `${s.dir}, ${how === "event" ? "1 event/chunk" : how === "4k" ? "4 KB chunks" : "1–64 B chunks"}`;
      row("sse", `${label} translator`, mbs(t.pure), "MB/s", `time ${fmt(t.pure / t.v8)}× V8 parse+stringify of the events' JSON (${fmt(mbs(t.v8))} MB/s); SSE parse alone ${fmt(mbs(t.sseOnly))} MB/s; ${fmt(allocsPerChunk)} allocations, ${fmt(bytesPerChunk)} B per chunk (${ends.length} chunks, ${events} events, ${kb(s.bytes.length)})${how !== "random" ? "; target ≥ 100 MB/s" : ""}`);
      row("sse", `${label} host`, mbs(t.host), "MB/s", `no-op plugin ${fmt(mbs(t.noop))} MB/s; plugin alone ${fmt(mbs(t.host - t.noop))} MB/s`);
      results.sse.push({ direction: s.dir, chunking: how, bytes: s.bytes.length, chunks: ends.length, events, translatorMBps: mbs(t.pure),
        sseParseMBps: mbs(t.sseOnly), v8EventsMBps: mbs(t.v8), hostMBps: mbs(t.host), noopMBps: mbs(t.noop), pluginMBps: mbs(t.host - t.noop), allocationsPerChunk: allocsPerChunk, bytesAllocatedPerChunk: bytesPerChunk });
    }
  }

  // ---- 4. memory
  if (want("memory")) {
    const mix = cases.map((c) => ({ c, headers: clientHeaders(c.client, c.body.length) }));
    const { vm, plugin } = await start(WASM, providerConfig(P.OpenAI, { model: "gpt-4.1" }));
    const { vm: vmA, plugin: pluginA } = await start(WASM, providerConfig(P.Anthropic, { model: "claude-sonnet-4-5" }));
    const runMix = (count: number) => {
      for (let i = 0; i < count; i++) {
        // 1 large request in 20, the rest small, both directions (one VM per upstream protocol).
        const m = i % 20 === 0 ? mix[(i / 20) % 2 === 0 ? 1 : 3] : mix[i % 2 === 0 ? 0 : 2];
        const p = m.c.upstream === P.OpenAI ? plugin : pluginA;
        requestLoop(p, m.headers, m.c.body, m.c.response, 1);
      }
    };
    const start0 = vm.memoryBytes() + vmA.memoryBytes();
    const warmup = SHORT ? 200 : 2000;
    runMix(warmup);
    const warm = vm.memoryBytes() + vmA.memoryBytes();
    const total = SHORT ? 600 : 100_000;
    const t = now();
    runMix(total);
    const perReq = (now() - t) / total;
    const after = vm.memoryBytes() + vmA.memoryBytes();
    check(!vm.trap && !vmA.trap, "memory: no trap during the request soak");
    row("memory", "2 VMs at start", start0 / MB, "MB", "one VM per upstream protocol, configured, before any request");
    row("memory", `2 VMs after warm-up (${warmup.toLocaleString("en")} requests)`, warm / MB, "MB", "");
    row("memory", `2 VMs after ${total.toLocaleString("en")} more requests`, after / MB, "MB", `growth ${((after - warm) / 1024).toFixed(0)} KB; ${fmt(perReq)} µs/request (1 in 20 large); target flat, ≤ 4 MB per VM`);
    results.memory = { startBytes: start0, warmBytes: warm, afterRequestsBytes: after, requests: total, perVm: { openai: vm.memoryBytes(), anthropic: vmA.memoryBytes() } };

    // Streams: both directions alternately through their own VMs until the target volume of upstream SSE went through.
    const target = SHORT ? 2 * MB : 1024 * MB;
    const sv = await Promise.all(streams.map(async (s) => ({ s, started: await start(WASM, providerConfig(s.upstream, { model: modelFor(s.upstream) })),
      headers: clientHeaders(s.client, 0), req: streamRequest(s.client), chunkings: [split(s.bytes, chunkEnds(s.bytes, "event")), split(s.bytes, chunkEnds(s.bytes, "4k"))] })));
    const memOf = () => sv.reduce((a, x) => a + x.started.vm.memoryBytes(), 0);
    let done = 0, k = 0;
    for (; k < (SHORT ? 2 : 8); k++) for (const x of sv) { streamOnce(x.started.plugin, x.headers, x.req, x.chunkings[k % 2], false); }
    const sWarm = memOf();
    const ts = now();
    while (done < target) {
      for (const x of sv) { streamOnce(x.started.plugin, x.headers, x.req, x.chunkings[k % 2], false); done += x.s.bytes.length; }
      k++;
    }
    const streamSecs = (now() - ts) / 1e6;
    const sAfter = memOf();
    check(sv.every((x) => !x.started.vm.trap), "memory: no trap during the stream soak");
    row("memory", "2 VMs after stream warm-up", sWarm / MB, "MB", "");
    row("memory", `2 VMs after ${(done / MB).toFixed(0)} MB of SSE`, sAfter / MB, "MB", `growth ${((sAfter - sWarm) / 1024).toFixed(0)} KB; ${fmt(done / MB / streamSecs)} MB/s through the host; target flat`);
    results.memory.streams = { warmBytes: sWarm, afterBytes: sAfter, sseBytes: done, seconds: streamSecs };
  }

  // ---- 6. real Envoy (bench/envoy-bench.ts)
  if (want("envoy")) {
    const e = await envoyBench({ short: SHORT, wasm: WASM, row, check, fmt, median });
    if (e !== null) results.envoy = e;
  }

  printTable();
  const out = { date: new Date().toISOString(), short: SHORT, node: process.version, cpu: os.cpus()[0]?.model, cpus: os.cpus().length, runs: RUNS, ...results, rows };
  const dir = path.join(ROOT, "bench", "results");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, SHORT || ONLY ? "short.tmp.json" : MINIMAL ? "minimal-runtime.tmp.json" : "latest.json");
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  console.log(`\nwrote ${path.relative(ROOT, file)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exit(1);
});
