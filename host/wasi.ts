// WASI preview1 for a Proxy-Wasm module, via node:wasi, with the calls Envoy gives its own meaning overridden:
// fd_write on stdout/stderr becomes a plugin log line (info / error, trailing "\n" removed), the clocks follow the VM's
// clock, proc_exit unwinds instead of exiting Node. Anything node:wasi lacks links as a stub returning ENOSYS so the
// module still instantiates.

import type { WASI } from "node:wasi";
import { Errno, LogLevel } from "./abi/status";
import type { WasmMemory } from "./abi/memory";

export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`proc_exit(${code})`);
  }
}

export interface WasiHooks {
  memory: WasmMemory;
  log(level: LogLevel, message: string): void;
  realtimeNs(): bigint;
  monotonicNs(): bigint;
}

const ENOSYS = 52;

export function createWasi(hooks: WasiHooks, wanted: string[]): { wasi: WASI; imports: Record<string, Function> } {
  // Loaded lazily: node:wasi prints an ExperimentalWarning when first required.
  const wasi = quietly(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WASI: Wasi } = require("node:wasi") as typeof import("node:wasi");
    return new Wasi({ version: "preview1", args: [], env: {}, returnOnExit: true });
  });
  const base = wasi.wasiImport as Record<string, Function>;
  const mem = hooks.memory;
  const own: Record<string, Function> = {
    fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
      if (fd !== 1 && fd !== 2) return base.fd_write(fd, iovs, iovsLen, nwritten);
      try {
        const parts: Uint8Array[] = [];
        let total = 0;
        for (let i = 0; i < iovsLen; i++) {
          const p = mem.readU32(iovs + i * 8);
          const l = mem.readU32(iovs + i * 8 + 4);
          parts.push(mem.read(p, l));
          total += l;
        }
        mem.writeU32(nwritten, total);
        let text = Buffer.concat(parts).toString("utf8");
        if (text.endsWith("\n")) text = text.slice(0, -1);
        hooks.log(fd === 1 ? LogLevel.Info : LogLevel.Error, text);
        return Errno.Success;
      } catch {
        return Errno.Fault;
      }
    },
    clock_time_get(id: number, _precision: bigint, out: number): number {
      try {
        if (id === 0) mem.writeU64(out, hooks.realtimeNs());
        else if (id === 1) mem.writeU64(out, hooks.monotonicNs());
        else return Errno.Notsup;
        return Errno.Success;
      } catch {
        return Errno.Fault;
      }
    },
    clock_res_get(id: number, out: number): number {
      if (id !== 0 && id !== 1) return Errno.Notsup;
      try {
        mem.writeU64(out, 1n);
        return Errno.Success;
      } catch {
        return Errno.Fault;
      }
    },
    proc_exit(code: number): never {
      throw new ProcExit(code);
    },
  };
  const imports: Record<string, Function> = {};
  for (const name of wanted) {
    imports[name] = own[name] ?? base[name] ?? (() => ENOSYS);
  }
  return { wasi, imports };
}

/** Give node:wasi the module's memory without letting it call _start/_initialize itself (the host decides that). */
export function bindWasiMemory(wasi: WASI, memory: WebAssembly.Memory): void {
  wasi.initialize({ exports: { memory } } as unknown as WebAssembly.Instance);
}

/** node:wasi prints an ExperimentalWarning on first use; the host's users did not ask for WASI, so drop that one. */
function quietly<T>(fn: () => T): T {
  const orig = process.emitWarning;
  process.emitWarning = ((w: string | Error, ...rest: unknown[]) => {
    if (String(w).includes("WASI is an experimental feature")) return;
    return (orig as (...a: unknown[]) => void).call(process, w, ...rest);
  }) as typeof process.emitWarning;
  try {
    return fn();
  } finally {
    process.emitWarning = orig;
  }
}
