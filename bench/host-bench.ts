// Driving build/ai-proxy.wasm (and the no-op baseline) through the TypeScript host, one stream at a time, with the
// low-level stream API: request headers → request body → response headers → response body chunks → on_log/done/delete,
// exactly the callbacks Envoy makes. No promises or timers per request, so the figures are the plugin plus the host.
import * as fs from "node:fs";
import * as path from "node:path";
import { Plugin, ProxyWasmHost, Vm } from "../host";
import { P, ROOT } from "./payloads";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wabtInit: () => Promise<any> = require("wabt");

export const WASM = path.join(ROOT, "build", "ai-proxy.wasm");
type Headers = Array<[string, string]>;

export async function noopWasm(): Promise<Uint8Array> {
  const w = await wabtInit();
  const mod = w.parseWat("noop.wat", fs.readFileSync(path.join(ROOT, "bench", "fixtures", "noop.wat"), "utf8"));
  try { return new Uint8Array(mod.toBinary({}).buffer); } finally { mod.destroy(); }
}

export interface Started { vm: Vm; plugin: Plugin }

const hosts = new Map<string | Uint8Array, Promise<ProxyWasmHost>>();

/** A fresh VM of `wasm` (compiled once per run) with the plugin configured; throws when the configuration is refused. */
export async function start(wasm: string | Uint8Array, configuration: object): Promise<Started> {
  let h = hosts.get(wasm);
  if (!h) { h = ProxyWasmHost.load(wasm, { logLevel: 3 }); hosts.set(wasm, h); }
  const host = await h;
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration });
  if (!plugin.ok) throw new Error("configuration refused: " + vm.logs.map((l) => l.message).join(" | "));
  return { vm, plugin };
}

/** Plugin configuration for a provider speaking `upstream`; `model` forces a model mapping; `original` = no body rewrite. */
export function providerConfig(upstream: P, opts: { model?: string; original?: boolean } = {}): object {
  const provider: any = { type: upstream === P.Anthropic ? "claude" : "openai", apiTokens: ["sk-bench-0123456789"] };
  if (opts.model) provider.modelMapping = { "*": opts.model };
  if (opts.original) provider.protocol = "original";
  return { provider };
}

export function clientHeaders(client: P, bodyLength: number): Headers {
  const h: Headers = [
    [":method", "POST"],
    [":path", client === P.Anthropic ? "/v1/messages?beta=true" : "/v1/chat/completions"],
    [":authority", "gateway.local:10000"],
    [":scheme", "http"],
    ["content-type", "application/json"],
    ["content-length", String(bodyLength)],
    ["user-agent", "bench/1.0"],
    ["x-request-id", "5f8a1d2e-0c3b-4b7a-9e61-2d4c8f0a7b13"],
  ];
  if (client === P.Anthropic) h.push(["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"], ["anthropic-beta", "claude-code-20250219"]);
  else h.push(["authorization", "Bearer client-key"]);
  return h;
}

const JSON_RESPONSE: Headers = [[":status", "200"], ["content-type", "application/json"], ["content-length", "0"], ["x-request-id", "req_bench"]];
const SSE_RESPONSE: Headers = [[":status", "200"], ["content-type", "text/event-stream; charset=utf-8"], ["cache-control", "no-cache"]];

export interface Outcome { upstreamBody: Uint8Array; clientBody: Uint8Array; localReply: boolean }

function concat(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** One non-streamed exchange; returns what went upstream and what the client got (for sanity checks). */
export function requestOnce(plugin: Plugin, headers: Headers, body: Uint8Array, response: Uint8Array): Outcome {
  const s = plugin.newStream();
  s.requestHeaders(headers, false);
  s.requestBody(body, true);
  s.responseHeaders(JSON_RESPONSE, false);
  s.responseBody(response, true);
  s.complete();
  return { upstreamBody: concat(s.forwarded.chunks), clientBody: concat(s.downstream.chunks), localReply: s.localReply !== null };
}

/** Same, without collecting the results. */
export function requestLoop(plugin: Plugin, headers: Headers, body: Uint8Array, response: Uint8Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const s = plugin.newStream();
    s.requestHeaders(headers, false);
    s.requestBody(body, true);
    s.responseHeaders(JSON_RESPONSE, false);
    s.responseBody(response, true);
    s.complete();
  }
}

/** One streamed exchange: the upstream answers with `chunks` of SSE. Returns the client's bytes when `collect`. */
export function streamOnce(plugin: Plugin, headers: Headers, body: Uint8Array, chunks: Uint8Array[], collect: boolean): Uint8Array {
  const s = plugin.newStream();
  s.requestHeaders(headers, false);
  s.requestBody(body, true);
  s.responseHeaders(SSE_RESPONSE, false);
  const last = chunks.length - 1;
  for (let i = 0; i <= last; i++) s.responseBody(chunks[i], i === last);
  s.complete();
  return collect ? concat(s.downstream.chunks) : new Uint8Array(0);
}
