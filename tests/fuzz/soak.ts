// npm run soak: `node dist/tests/fuzz/soak.js --requests N [--seed S] [--every K]`.
// N mixed requests (both client protocols, streamed and not, valid and hostile, upstreams good and broken) through
// ONE VM, as one Envoy worker serves them. Samples the linear memory size every K requests and reports whether it
// stays flat after warm-up (the first 10%); exits 1 on a trap, a failed invariant or growth after warm-up.
import { caseSeed } from "./gen";
import { generateCase, healthCheck, runCase, start } from "./harness";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const requests = Number(arg("--requests", "200000"));
  const seed = Number(arg("--seed", "7"));
  const every = Number(arg("--every", String(Math.max(1000, Math.floor(requests / 40)))));
  const config = "rules"; // global Claude provider plus OpenAI rules: both upstream protocols, conversion both ways
  const { vm, plugin } = await start((await import("./gen")).CONFIGS[config]);
  const samples: Array<[number, number]> = [[0, vm.memoryBytes()]];
  const t0 = Date.now();
  let failures = 0;
  let forwarded = 0;
  const warmup = Math.floor(requests / 10);
  for (let i = 0; i < requests; i++) {
    const { c, rng, clientStream } = generateCase(caseSeed(seed, i), config, { allowHuge: false });
    const res = await runCase(plugin, vm, c, rng, clientStream);
    if (res.upstreamCalled) forwarded++;
    if (res.failures.length) {
      failures++;
      if (failures <= 20) console.log(`request ${i}: ${res.failures.join("; ")}`);
      if (vm.trap) break;
    }
    if ((i + 1) % every === 0) {
      samples.push([i + 1, vm.memoryBytes()]);
      if (process.argv.includes("--verbose")) console.log(`${i + 1} requests, memory ${vm.memoryBytes()} bytes, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  const health = vm.trap ? "trapped" : await healthCheck(plugin, vm, config);
  const elapsed = (Date.now() - t0) / 1000;
  const atWarmup = samples.filter(([n]) => n <= warmup).pop()![1];
  const final = vm.memoryBytes();
  const peakAfter = Math.max(...samples.filter(([n]) => n > warmup).map(([, m]) => m), final);
  const flat = peakAfter === atWarmup;
  const mib = (b: number) => (b / 1048576).toFixed(2) + " MiB";
  console.log("samples (requests → linear memory bytes): " + samples.map(([n, m]) => `${n}:${m}`).join(" "));
  console.log(
    `soak: ${requests} requests through one VM (${forwarded} reached the upstream), ${failures} failures, ` +
      `memory ${mib(samples[0][1])} at start, ${mib(atWarmup)} after warm-up (${warmup} requests), ${mib(final)} at the end, ` +
      `${flat ? "flat after warm-up" : `GREW after warm-up (peak ${mib(peakAfter)})`}, health check ${health ?? "ok"}, ${elapsed.toFixed(1)} s`,
  );
  process.exitCode = failures || !flat || health ? 1 : 0;
}

main().catch((e) => { console.error(e); process.exitCode = 2; });
