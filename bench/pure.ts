// The translators without the host: bench/wasm/entry.ts compiled with the release optimisation flags into
// bench/build/ (gitignored). Timing loops run inside Wasm. A second build with AssemblyScript's RTRACE hooks
// counts allocations (blocks and bytes handed out by the allocator).
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { ROOT } from "./payloads";

const OUT = path.join(ROOT, "bench", "build");

/** Newest modification time under `dir` (files ending in .ts). */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== "__tests__") t = Math.max(t, newest(p)); }
    else if (e.name.endsWith(".ts")) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

/**
 * Builds (when a source is newer than the build) the bench entry with the release optimisation levels:
 * `plain` for timing and, unless `withRtrace` is false, `rtrace` with allocation hooks.
 */
export function buildPure(runtime: string, withRtrace = true): { plain: string; rtrace: string | null } {
  fs.mkdirSync(OUT, { recursive: true });
  const asc = path.join(ROOT, "node_modules", ".bin", "asc");
  const entry = path.join(ROOT, "bench", "wasm", "entry.ts");
  const sources = Math.max(newest(path.join(ROOT, "assembly")), newest(path.join(ROOT, "bench", "wasm")));
  const common = [entry, "--config", "/dev/null", "--runtime", runtime, "--exportRuntime", "--optimizeLevel", "3", "--shrinkLevel", "1"];
  const build = (file: string, extra: string[]) => {
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs > sources) return;
    execFileSync(asc, [...common, ...extra, "--outFile", file], { cwd: ROOT, stdio: "inherit" });
  };
  const plain = path.join(OUT, `pure-${runtime}.wasm`);
  build(plain, []);
  if (!withRtrace) return { plain, rtrace: null };
  const rtrace = path.join(OUT, `pure-${runtime}-rtrace.wasm`);
  build(rtrace, ["--use", "ASC_RTRACE=1"]);
  return { plain, rtrace };
}

/** Allocation counters fed by the RTRACE hooks. */
export class AllocStats {
  allocs = 0;
  bytes = 0;
  frees = 0;
  collections = 0;
  reset(): void { this.allocs = 0; this.bytes = 0; this.frees = 0; this.collections = 0; }
}

export class Pure {
  readonly exports: any;
  private constructor(readonly stats: AllocStats, instance: WebAssembly.Instance) { this.exports = instance.exports; }

  static load(file: string): Pure {
    const module = new WebAssembly.Module(fs.readFileSync(file));
    const stats = new AllocStats();
    let mem: WebAssembly.Memory | null = null;
    // Start-up allocations happen before the instance is known: read the block size only when memory is.
    const u32 = (p: number) => (mem ? new DataView(mem.buffer).getUint32(p, true) : 0);
    const imports: WebAssembly.Imports = {
      env: {
        abort: () => { throw new Error("abort in bench wasm"); },
        trace: () => {},
        seed: () => 42,
      },
      rtrace: {
        oninit: () => {},
        // A TLSF block's first word is its size (low 2 bits are flags), block overhead excluded.
        onalloc: (block: number) => { const s = stats; s.allocs++; s.bytes += u32(block) & ~3; },
        onresize: (block: number, oldSize: number) => { stats.bytes += Math.max(0, (u32(block) & ~3) + 4 - oldSize); },
        onmove: () => {},
        onfree: () => { stats.frees++; },
        onvisit: () => 1,
        oncollect: () => { stats.collections++; },
        oninterrupt: () => {},
        onyield: () => {},
      },
    };
    // Other RTRACE hooks (onload/onstore memory checks) just hand their pointer back.
    for (const i of WebAssembly.Module.imports(module)) {
      const m = (imports as any)[i.module];
      if (m && !(i.name in m)) m[i.name] = (p: number) => p;
    }
    const instance = new WebAssembly.Instance(module, imports);
    mem = instance.exports.memory as WebAssembly.Memory;
    return new Pure(stats, instance);
  }

  get memory(): WebAssembly.Memory { return this.exports.memory as WebAssembly.Memory; }

  private write(ptr: number, bytes: Uint8Array): void { new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes); }

  setInput(bytes: Uint8Array): void { this.write(this.exports.allocInput(bytes.length), bytes); }
  setResponse(bytes: Uint8Array): void { this.write(this.exports.allocResponse(bytes.length), bytes); }
  setCuts(ends: number[]): void {
    const p = this.exports.allocCuts(ends.length);
    new Int32Array(this.memory.buffer, p, ends.length).set(ends);
  }
  output(): Uint8Array {
    const p = this.exports.outPtr(), n = this.exports.outLen();
    return new Uint8Array(this.memory.buffer, p, n).slice();
  }
}
