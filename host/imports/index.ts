// The `env` imports of a Proxy-Wasm module, by area. Every ABI 0.2.1 hostcall is implemented with Envoy's semantics;
// any other `env` function the module imports links as a stub returning Unimplemented (12), so any module
// instantiates (Envoy would refuse a module with an unknown import; ProxyWasmHost.unknownImports lists them).

import { MemoryAccessError } from "../abi/memory";
import { Status } from "../abi/status";
import type { Vm } from "../vm";
import { bufferImports } from "./buffers";
import { foreignImports } from "./foreign";
import { headerImports } from "./headers";
import { httpCallImports } from "./http-call";
import { loggingImports } from "./logging";
import { metricImports } from "./metrics";
import { propertyImports } from "./properties";
import { sharedImports } from "./shared";
import { streamImports } from "./stream";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type HostFn = (...args: any[]) => number | void;

/** The ABI hostcalls this host implements, by import name. */
export function implementedImports(vm: Vm): Record<string, HostFn> {
  return {
    ...loggingImports(vm),
    ...headerImports(vm),
    ...bufferImports(vm),
    ...streamImports(vm),
    ...httpCallImports(vm),
    ...sharedImports(vm),
    ...metricImports(vm),
    ...propertyImports(vm),
    ...foreignImports(vm),
  };
}

export function buildImports(vm: Vm, wanted: WebAssembly.ModuleImportDescriptor[]): WebAssembly.ModuleImports {
  const impl = implementedImports(vm);
  const out: WebAssembly.ModuleImports = {};
  for (const imp of wanted) {
    if (imp.kind !== "function") continue; // an env memory/table/global cannot be provided: instantiation reports it
    const fn = impl[imp.name];
    out[imp.name] = fn ? guard(fn) : unimplemented(vm, imp.name);
  }
  return out;
}

/** A bad pointer from the plugin is InvalidMemoryAccess, not a host crash. */
function guard(fn: HostFn): HostFn {
  return (...args: unknown[]) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof MemoryAccessError) return Status.InvalidMemoryAccess;
      throw e;
    }
  };
}

function unimplemented(vm: Vm, name: string): HostFn {
  if (name === "abort") {
    // AssemblyScript's default abort (a build that did not route it away): make the trap readable.
    return (msg: number, file: number, line: number, col: number) => {
      const read = (p: number) => {
        try {
          const len = p ? vm.memory.readU32(p - 4) : 0;
          return Buffer.from(vm.memory.read(p, len)).toString("utf16le");
        } catch {
          return "?";
        }
      };
      throw new WebAssembly.RuntimeError(`abort: ${read(msg)} at ${read(file)}:${line}:${col}`);
    };
  }
  return () => Status.Unimplemented;
}
