#!/usr/bin/env node
// `npm run test:higress`: runs tests/higress (a Go module) — build/ai-proxy.wasm in Higress's own plugin test host
// (github.com/higress-group/wasm-go pkg/test). Skips with one line when `go` is not installed.
// `--download-only` (part of `npm install`) fetches the module's dependencies from the Go module proxy and compiles
// the tests ahead of time (about two minutes on a cold cache), and never fails the install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const MODULE = join(ROOT, "tests", "higress");
const WASM = join(ROOT, "build", "ai-proxy.wasm");
const downloadOnly = process.argv.includes("--download-only");

const go = spawnSync("go", ["version"], { encoding: "utf8" });
if (go.error || go.status !== 0) {
  console.log("test:higress: skipped (no `go` on PATH; Go 1.24 or newer runs build/ai-proxy.wasm in Higress's test host)");
  process.exit(0);
}
if (downloadOnly) {
  // Download, then compile the tests without running them, so that `npm test` finds both in Go's caches.
  const r = spawnSync("go", ["test", "-count=1", "-run", "^$", "./..."], { cwd: MODULE, encoding: "utf8" });
  console.log(r.status === 0 ? "test:higress: Go modules downloaded and the tests compiled" : `test:higress: could not prepare the Go tests now (${(r.stderr || r.stdout || "").trim().split("\n")[0]}); npm run test:higress will try again`);
  process.exit(0);
}
if (!existsSync(WASM)) {
  console.error("test:higress: build/ai-proxy.wasm is missing: run `npm run build` first");
  process.exit(1);
}
const r = spawnSync("go", ["test", "-count=1", "./..."], { cwd: MODULE, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", env: { ...process.env, WASM_FILE_PATH: WASM } });
// The test host logs every hostcall on stdout; keep Go's verdict lines and failures.
const lines = (r.stdout || "").split("\n").filter((l) => !/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(l));
console.log(lines.join("\n").trim());
process.exit(r.status ?? 1);
