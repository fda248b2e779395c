// Shared helpers for tests that drive the release build/ai-proxy.wasm through the host.
import * as path from "node:path";
import { HostOptions, Plugin, ProxyWasmHost, Vm } from "../../host";

/** Repository root (tests run from dist/tests/...). */
export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const WASM = path.join(ROOT, "build", "ai-proxy.wasm");

const hosts = new Map<string, Promise<ProxyWasmHost>>();

/** One compiled module per option set, shared by a test file (options holding functions are never shared). */
export function loadHost(opts: HostOptions = {}): Promise<ProxyWasmHost> {
  let hasFunction = false;
  const key = JSON.stringify(opts, (_k, v) => {
    if (typeof v === "function") hasFunction = true;
    return v;
  });
  if (hasFunction) return ProxyWasmHost.load(WASM, opts); // cluster handlers, clocks: never share
  let h = hosts.get(key);
  if (!h) {
    h = ProxyWasmHost.load(WASM, opts);
    hosts.set(key, h);
  }
  return h;
}

export interface Started { vm: Vm; plugin: Plugin }

/** A fresh VM with the plugin configured; fails the test if the configuration was refused. */
export async function startPlugin(configuration: object | string, opts: HostOptions = {}): Promise<Started> {
  const host = await loadHost(opts);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration });
  if (!plugin.ok) {
    throw new Error("configuration refused: " + vm.logs.map((l) => l.message).join(" | "));
  }
  return { vm, plugin };
}

export function json(body: unknown): string {
  return JSON.stringify(body);
}

/** Request headers as a client would send them through Envoy. */
export function requestHeaders(pathAndQuery: string, extra: Array<[string, string]> = [], method = "POST"): Array<[string, string]> {
  return [
    [":method", method],
    [":path", pathAndQuery],
    [":authority", "gateway.local:10000"],
    [":scheme", "http"],
    ["content-type", "application/json"],
    ...extra,
  ];
}

export function header(headers: Array<[string, string]>, name: string): string | undefined {
  const h = headers.find(([k]) => k === name);
  return h ? h[1] : undefined;
}

export function allHeaders(headers: Array<[string, string]>, name: string): string[] {
  return headers.filter(([k]) => k === name).map(([, v]) => v);
}

/** Splits bytes at the given boundaries (sorted, exclusive of 0 and length). */
export function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of cuts) {
    if (c > prev && c < bytes.length) {
      out.push(bytes.subarray(prev, c));
      prev = c;
    }
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** Deterministic pseudo-random chunking (mulberry32) so failures reproduce. */
export function randomChunks(bytes: Uint8Array, seed: number, maxChunk = 64): Uint8Array[] {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cuts: number[] = [];
  let at = 0;
  while (at < bytes.length) {
    at += 1 + Math.floor(rnd() * maxChunk);
    cuts.push(at);
  }
  return splitAt(bytes, cuts);
}
