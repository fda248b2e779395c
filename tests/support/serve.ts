// Runs `ai-proxy-wasm serve` as a child process, the way users run it, for end-to-end tests.
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "./plugin";
import { freePort } from "../../host/envoy/runtime";

export { freePort };

export interface Served {
  url: string;
  adminUrl: string;
  output: () => string;
  stop: () => Promise<void>;
}


async function waitForPort(port: number, child: ChildProcess, log: () => string, deadlineMs = 15000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, "127.0.0.1");
      c.once("connect", () => { c.destroy(); resolve(true); });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`serve did not listen on ${port} within ${deadlineMs} ms:\n${log()}`);
}

/** Starts the gateway with `config` and `--upstream HOST=URL` pairs; stop() kills it. */
export async function serve(config: object, upstreams: Record<string, string>, extraArgs: string[] = []): Promise<Served> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-e2e-"));
  const file = path.join(dir, "config.json");
  fs.writeFileSync(file, JSON.stringify(config));
  const port = await freePort();
  const adminPort = await freePort();
  const args = [path.join(ROOT, "bin", "ai-proxy-wasm.js"), "serve", "--config", file, "--port", String(port), "--admin-port", String(adminPort), ...extraArgs];
  for (const [host, url] of Object.entries(upstreams)) args.push("--upstream", `${host}=${url}`);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  // A test file that dies before its after() hooks must not leave gateways behind.
  const reap = () => child.kill("SIGKILL");
  process.once("exit", reap);
  child.once("exit", () => process.off("exit", reap));
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  await waitForPort(port, child, () => log);
  return {
    url: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
