// The fuzz harness inside `npm test`: a smaller seeded run (zero failures, zero traps), then a replay of every saved
// failing case in tests/fuzz/failures/ (each must pass once its bug is fixed). `npm run fuzz` runs 100,000 cases.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { CONFIGS } from "./gen";
import { healthCheck, loadFailures, runCase, runFuzz, start } from "./harness";

const CASES = Number(process.env.FUZZ_CASES ?? 3000);

test(`fuzz: ${CASES} seeded cases through one VM per configuration, no trap, every answer well-formed`, { timeout: 120_000 }, async () => {
  const lines: string[] = [];
  const stats = await runFuzz(20240501, CASES, { save: false, healthEvery: 500, log: (s) => lines.push(s) });
  assert.equal(stats.traps, 0, lines.join("\n"));
  assert.equal(stats.failures, 0, lines.slice(0, 20).join("\n"));
  assert.ok(stats.upstreamCalls > CASES / 4 && stats.refused > CASES / 10, `mix: ${stats.upstreamCalls} forwarded, ${stats.refused} refused`);
});

test("fuzz: every saved failing case replays clean", { timeout: 120_000 }, async () => {
  const saved = loadFailures();
  const vms = new Map<string, Awaited<ReturnType<typeof start>>>();
  for (const { file, c } of saved) {
    let s = vms.get(c.config);
    if (!s) { s = await start(CONFIGS[c.config]); vms.set(c.config, s); }
    const res = await runCase(s.plugin, s.vm, c, null);
    assert.deepEqual(res.failures, [], `${file} (was: ${(c as any).failed?.join("; ")})`);
  }
  for (const [name, s] of vms) assert.equal(await healthCheck(s.plugin, s.vm, name), null);
});
