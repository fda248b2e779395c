// npm run fuzz: `node dist/tests/fuzz/fuzz.js --cases N --seed S [--no-save] [--quiet]`.
// Drives build/ai-proxy.wasm with N generated cases (one VM per configuration, reused across cases, as Envoy runs
// it) and prints a summary line. Failing cases are saved under tests/fuzz/failures/<hash>.json for replay
// (tests/fuzz/fuzz.test.ts replays every one of them).
import { runFuzz } from "./harness";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const cases = Number(arg("--cases", "10000"));
  const seed = Number(arg("--seed", "1"));
  const save = !process.argv.includes("--no-save");
  const quiet = process.argv.includes("--quiet");
  let shown = 0;
  const stats = await runFuzz(seed, cases, {
    save,
    log: (s) => { if (!quiet && shown++ < 200) console.log(s); },
  });
  const kinds = [...stats.byKind].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n}× ${k}`).join("\n  ");
  if (kinds) console.log("failure kinds:\n  " + kinds);
  if (stats.saved.length) console.log(`saved ${new Set(stats.saved).size} failing case(s) under tests/fuzz/failures/`);
  console.log(
    `fuzz: seed ${seed}, ${stats.cases} cases (${stats.upstreamCalls} reached the upstream, ${stats.refused} answered locally), ` +
      `${stats.failures} failures, ${stats.traps} traps, ${(stats.elapsedMs / 1000).toFixed(1)} s`,
  );
  process.exitCode = stats.failures ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
