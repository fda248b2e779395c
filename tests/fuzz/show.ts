// Debug aid: `node dist/tests/fuzz/show.js --seed S --case I` or `--file tests/fuzz/failures/X.json` runs one case
// on a fresh VM and prints the case, what reached the upstream and what the client got.
import * as fs from "node:fs";
import { caseSeed, CONFIG_NAMES, CONFIGS, unb64 } from "./gen";
import { generateCase, runCase, start } from "./harness";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const file = arg("--file", "");
  let c: any, rng: any = null, clientStream = false;
  if (file) c = JSON.parse(fs.readFileSync(file, "utf8"));
  else {
    const cs = caseSeed(Number(arg("--seed", "1")), Number(arg("--case", "0")));
    const g = generateCase(cs, CONFIG_NAMES[cs % CONFIG_NAMES.length]);
    c = g.c; rng = g.rng; clientStream = g.clientStream;
  }
  const { vm, plugin } = await start(CONFIGS[c.config]);
  const res = await runCase(plugin, vm, c, rng, clientStream);
  const trunc = (s: string) => (s.length > 1500 ? s.slice(0, 1500) + `…(${s.length})` : s);
  console.log("config", c.config, "mutations", c.mutations, "valid", c.valid);
  console.log("request", c.request.method, c.request.path, JSON.stringify(c.request.headers));
  console.log("request body", c.request.body === null ? null : trunc(Buffer.from(unb64(c.request.body)).toString()));
  const r = res.result;
  if (r?.upstreamRequest) console.log("upstream request", r.upstreamRequest.path, JSON.stringify(r.upstreamRequest.headers), trunc(Buffer.from(r.upstreamRequest.body).toString()));
  console.log("upstream answer", c.upstream.kind, c.upstream.status, JSON.stringify(c.upstream.headers), trunc(Buffer.from(unb64(c.upstream.body)).toString()));
  if (r) console.log("client got", r.status, JSON.stringify(r.headers), trunc(r.bodyText), "reset", r.reset, "local", r.localReply);
  console.log("failures", res.failures);
  if (vm.trap) console.log("trap", vm.trap.stack);
}
main();
