// The command line: usage errors exit 2 without starting anything; serve starts a gateway from a config file.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../host/cli";
import { compileWat, ROOT } from "./harness";
import { startMockLlm } from "../../host/mock-llm";

async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; err: string }> {
  const orig = console.error;
  let err = "";
  console.error = (m: string) => (err += m + "\n");
  try {
    return { value: await fn(), err };
  } finally {
    console.error = orig;
  }
}

test("usage errors exit with 2 and say why", async () => {
  for (const [argv, msg] of [
    [["serve"], /serve needs --config FILE/],
    [["serve", "--config"], /--config needs a value/],
    [["serve", "--config", "x", "--port", "abc"], /--port wants a port number/],
    [["serve", "--upstream", "nohost"], /--upstream wants HOST=URL/],
    [["serve", "--bogus"], /unknown option --bogus/],
    [["frobnicate"], /unknown command "frobnicate"/],
  ] as const) {
    const r = await quiet(() => main([...argv]));
    assert.equal(r.value, 2, argv.join(" "));
    assert.match(r.err, msg);
  }
});

test("`serve` (as a process) forwards through the plugin to --upstream and stops on SIGTERM with 0", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aipw-cli-"));
  const wasm = path.join(dir, "p.wasm");
  fs.writeFileSync(wasm, await compileWat("header-rewrite.wat"));
  const cfg = path.join(dir, "c.json");
  fs.writeFileSync(cfg, "{}");
  const mock = await startMockLlm();
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "ai-proxy-wasm.js"), "serve", "--config", cfg, "--wasm", wasm, "--port", "0", "--upstream", `upstream.example=${mock.url}`, "--quiet"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
        const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const res = await fetch(`${url}/v1/models`, { headers: { authorization: "Bearer k" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-wat-response"), "seen");
    assert.equal(mock.requests[0].headers.host, "upstream.example");
  } finally {
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    await mock.close();
    assert.equal(code, 0);
  }
});
