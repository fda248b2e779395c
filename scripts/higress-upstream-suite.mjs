#!/usr/bin/env node
// Runs Higress's own ai-proxy unit suite (plugins/wasm-go/extensions/ai-proxy of a Higress checkout) against our
// .wasm in wasm mode and counts pass/fail of the wasm-mode cases (the "go" cases run Higress's Go plugin, not ours).
//
//   node scripts/higress-upstream-suite.mjs --dir <higress>/plugins/wasm-go/extensions/ai-proxy \
//        [--wasm build/ai-proxy.wasm] [--json out.json] [--timeout 60] [--skip-action-and-log-asserts] [--only TestA,TestB]
//
// --skip-action-and-log-asserts runs a temporary copy of the suite in which three kinds of assertion are dropped:
// `require.Equal(t, types.HeaderStopIteration, action)` (Higress holds request headers until the body; we
// rewrite them at once and return Continue, by design, for stock Envoy) and `require|assert.True(t, hasXxxLogs, ...)`
// (Higress's own log texts), and assertions on values a case reads out of Higress's log lines (below). The rest of
// each case still runs, so what it checks of headers and bodies counts.
//
// A failed `require` inside Higress's tests can leave the test host's global lock held, so the next case waits
// forever: each top-level test runs in its own process with a timeout, and a case that hangs is counted as failed
// and skipped on the next run of that test.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf("--" + name);
  return i >= 0 ? args[i + 1] : def;
};
let dir = opt("dir");
if (!dir) {
  console.error("usage: higress-upstream-suite.mjs --dir <higress ai-proxy dir> [--wasm F] [--json OUT] [--timeout S]");
  process.exit(2);
}
const wasm = resolve(opt("wasm", "build/ai-proxy.wasm"));
const timeout = Number(opt("timeout", "60"));
const work = mkdtempSync(join(tmpdir(), "higress-suite-"));
const bin = join(work, "ai-proxy.test");
if (args.includes("--skip-action-and-log-asserts")) {
  const copy = join(work, "ai-proxy");
  cpSync(dir, copy, { recursive: true });
  let dropped = 0;
  for (const f of readdirSync(join(copy, "test")).filter((n) => n.endsWith(".go"))) {
    const file = join(copy, "test", f);
    let text = readFileSync(file, "utf8")
      .replace(/require\.Equal\(t, types\.HeaderStopIteration, (\w+)\)/g, (_m, v) => (dropped++, `_ = ${v}`))
      // assert.True keeps a use of its package (Go refuses an unused import).
      .replace(/(require|assert)\.(?:True|False)\(t, (has\w*Logs?\w*)(?:, [^\n]*)?\)/g, (_m, pkg, v) => (dropped++, pkg === "assert" ? `_ = assert.True; _ = ${v}` : `_ = ${v}`));
    const logText = dropLogDerivedAsserts(text);
    dropped += logText.dropped;
    writeFileSync(file, logText.text);
  }
  console.log(`dropped ${dropped} header-action and log-text assertions (in a temporary copy)`);
  dir = copy;
}
// Assertions on values a case reads out of Higress's own log lines (a token taken from "Use apiToken … to send
// request", a count of "=== modified response chunk" lines, a flag set when an error log says "invalid …"): for
// each `for … range <logs>` loop (over host.GetDebugLogs() / GetErrorLogs() / … or a variable holding them), the
// variables assigned inside it are log-derived, and every require/assert statement naming one of them is dropped
// (replaced by `_ = v`, so Go still sees the variable used). Scoped to the t.Run case that holds the loop.
function dropLogDerivedAsserts(text) {
  let dropped = 0;
  const closeOf = (src, open) => { // index of the bracket closing the one at `open`
    const pair = { "(": ")", "{": "}" }[src[open]];
    let depth = 0;
    for (let i = open; i < src.length; i++) {
      const c = src[i];
      if (c === "`" || c === '"') { // skip string literals
        const q = c;
        for (i++; i < src.length && src[i] !== q; i++) if (q === '"' && src[i] === "\\") i++;
        continue;
      }
      if (c === src[open]) depth++;
      else if (c === pair && --depth === 0) return i;
    }
    return src.length - 1;
  };
  const rewriteCase = (body) => {
    const logVars = new Set();
    for (const m of body.matchAll(/(\w+)\s*:?=\s*host\.Get\w*Logs\(\)/g)) logVars.add(m[1]);
    const derived = new Set();
    for (const m of body.matchAll(/for\s+[^{\n]*range\s+(host\.Get\w*Logs\(\)|\w+)\s*\{/g)) {
      if (!m[1].startsWith("host.") && !logVars.has(m[1])) continue;
      const open = m.index + m[0].length - 1;
      const loop = body.slice(open, closeOf(body, open) + 1);
      for (const a of loop.matchAll(/(\w+)\s*(?:=[^=]|\+\+|\+=)/g)) derived.add(a[1]);
    }
    for (const v of ["_", "start", "end"]) derived.delete(v);
    if (derived.size === 0) return body;
    let out = "";
    let at = 0;
    for (const m of body.matchAll(/\b(require|assert)\.\w+\(/g)) {
      if (m.index < at) continue;
      const end = closeOf(body, m.index + m[0].length - 1);
      const stmt = body.slice(m.index, end + 1);
      const used = [...derived].filter((v) => new RegExp(`\\b${v}\\b`).test(stmt));
      if (used.length === 0) continue;
      out += body.slice(at, m.index) + used.map((v) => `_ = ${v}`).join("; ");
      at = end + 1;
      dropped++;
    }
    return out + body.slice(at);
  };
  let out = "";
  let at = 0;
  for (const m of text.matchAll(/\bt\.Run\(/g)) {
    if (m.index < at) continue;
    const end = closeOf(text, m.index + m[0].length - 1);
    out += text.slice(at, m.index) + rewriteCase(text.slice(m.index, end + 1));
    at = end + 1;
  }
  return { text: out + text.slice(at), dropped };
}

execFileSync("go", ["test", "-c", "-o", bin, "."], { cwd: dir, stdio: "inherit" });
const only = opt("only"); // e.g. "TestVertex,TestGemini": just those top-level tests
const tops = execFileSync(bin, ["-test.list", ".*"], { cwd: dir, encoding: "utf8" }).split("\n")
  .filter((l) => /^Test/.test(l) && (!only || only.split(",").includes(l)));

const results = new Map(); // test name -> "pass" | "fail" | "skip" | "hung"
const outputs = new Map(); // test name -> its output lines (for the failure report)
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
for (const top of tops) {
  const skips = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const runArgs = ["tool", "test2json", bin, "-test.v=test2json", "-test.count=1", `-test.timeout=${timeout}s`, "-test.run", `^${escape(top)}$`];
    if (skips.length > 0) runArgs.push("-test.skip", skips.map((s) => s.split("/").map((p) => `^${escape(p)}$`).join("/")).join("|"));
    const r = spawnSync("go", runArgs, { cwd: dir, encoding: "utf8", env: { ...process.env, WASM_FILE_PATH: wasm }, maxBuffer: 1 << 30 });
    const running = new Set();
    for (const line of r.stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      let e;
      try { e = JSON.parse(line); } catch { continue; }
      if (!e.Test) continue;
      if (e.Action === "run") running.add(e.Test);
      if (e.Action === "output") outputs.set(e.Test, (outputs.get(e.Test) ?? "") + e.Output);
      if (e.Action === "pass" || e.Action === "fail" || e.Action === "skip") {
        running.delete(e.Test);
        results.set(e.Test, e.Action);
      }
    }
    const timedOut = r.stdout.includes("panic: test timed out");
    if (!timedOut) {
      // A process that died (log.Fatal in the test host) leaves its running cases unfinished: failed.
      for (const t of running) if (!results.has(t)) results.set(t, "fail");
      break;
    }
    // The deepest case still running is the one that hung.
    const hung = [...running].sort((a, b) => b.split("/").length - a.split("/").length)[0];
    if (!hung) break;
    results.set(hung, "hung");
    skips.push(hung);
  }
}

// Leaf wasm-mode cases only: "<Top>/wasm/<case>" (a top-level wasm run without sub-cases counts as one).
const names = [...results.keys()];
const leaves = names.filter((n) => /\/wasm(#\d+)?(\/|$)/.test(n) && !names.some((m) => m !== n && m.startsWith(n + "/")));
const count = { pass: 0, fail: 0, hung: 0, skip: 0 };
const perTop = {};
for (const n of leaves) {
  const a = results.get(n);
  count[a]++;
  const top = n.split("/")[0];
  perTop[top] ??= { pass: 0, fail: 0, hung: 0, skip: 0 };
  perTop[top][a]++;
}
for (const [top, c] of Object.entries(perTop)) console.log(`${top.padEnd(24)} ${c.pass} passed, ${c.fail + c.hung} failed${c.hung ? ` (${c.hung} hung)` : ""}`);
console.log(`wasm cases: ${count.pass} passed, ${count.fail + count.hung} failed (${count.hung} hung), ${count.skip} skipped`);
const out = opt("json");
// The assertion lines of each failed case (Error:/Messages:/expected/actual), for the failure report.
const why = (n) => (outputs.get(n) ?? "").split("\n").filter((l) => /Error:|Messages:|expected|actual|not registered|panic/.test(l)).slice(0, 8).map((l) => l.trim());
if (out) writeFileSync(out, JSON.stringify(Object.fromEntries(leaves.map((n) => [n, results.get(n) === "pass" ? "pass" : [results.get(n), ...why(n)]])), null, 1));
