// Linear memory of one VM against request body size (issue 15: 5 MB bodies grew each VM, and linear memory never
// shrinks). `node dist/tests/chaos/memory.js [--sizes 1,2,4,8,16] [--repeat 10]`: for each body size and path
// (converted, same protocol, with retries on), a fresh VM serves `repeat` requests whose body is that size and
// the linear memory is read after the first and after the last. The ratio (growth / body size) is the factor in
// the documented ceiling: linear memory per VM ≈ base + factor × maxRequestBodyBytes.
import { start } from "../fuzz/harness";

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : def;
}

const MB = 1024 * 1024;
type Path = "converted" | "same protocol" | "same protocol, retries on";

function body(proto: "openai" | "anthropic", bytes: number): string {
  const filler = "x".repeat(Math.max(0, bytes - 200));
  return JSON.stringify(proto === "openai"
    ? { model: "gpt-4o", messages: [{ role: "user", content: filler }] }
    : { model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: filler }] });
}

const ANSWER = JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } });

export interface MemoryRow { path: Path; bodyMB: number; baseMB: number; firstMB: number; lastMB: number; factor: number }

export async function measure(sizesMB: number[], repeat: number): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = [];
  for (const path of ["converted", "same protocol", "same protocol, retries on"] as Path[]) {
    for (const size of sizesMB) {
      const provider: Record<string, unknown> = { type: "claude", apiTokens: ["sk-ant-memory-key-0000000001"] };
      if (path.includes("retries")) provider.retryOnFailure = { enabled: true, maxRetries: 1 };
      const { vm, plugin } = await start({ provider, maxRequestBodyBytes: 64 * MB }, { bufferLimitBytes: 128 * MB, stallTimeoutMs: 5000 });
      const proto = path === "converted" ? "openai" : "anthropic";
      const headers: Array<[string, string]> = [[":method", "POST"], [":path", proto === "openai" ? "/v1/chat/completions" : "/v1/messages"], [":authority", "gateway.local"], ["content-type", "application/json"]];
      if (proto === "anthropic") headers.push(["anthropic-version", "2023-06-01"]);
      const b = body(proto, size * MB);
      const base = vm.memoryBytes();
      let first = 0;
      for (let i = 0; i < repeat; i++) {
        const r = await plugin.exchange({ request: { headers, body: b }, upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: ANSWER }) });
        if (r.status !== 200) throw new Error(`${path} ${size} MB: status ${r.status}: ${r.bodyText.slice(0, 200)}`);
        if (i === 0) first = vm.memoryBytes();
      }
      const last = vm.memoryBytes();
      rows.push({ path, bodyMB: size, baseMB: base / MB, firstMB: first / MB, lastMB: last / MB, factor: (last - base) / (size * MB) });
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const sizes = arg("--sizes", "1,2,4,8,16").split(",").map(Number);
  const repeat = Number(arg("--repeat", "10"));
  const rows = await measure(sizes, repeat);
  console.log("| Path | Body | Linear memory: start · after 1 request · after " + repeat + " | Growth ÷ body |");
  console.log("|---|---|---|---|");
  for (const r of rows) console.log(`| ${r.path} | ${r.bodyMB} MB | ${r.baseMB.toFixed(1)} · ${r.firstMB.toFixed(1)} · ${r.lastMB.toFixed(1)} MB | ${r.factor.toFixed(2)} |`);
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
