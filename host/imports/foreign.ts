// proxy_call_foreign_function: only what HostOptions.foreignFunctions provides; anything else is NotFound (HG 1.27
// has none of the functions wasm-go probes, e.g. get_log_level, so plugins must cope with NotFound).

import { Status } from "../abi/status";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function foreignImports(vm: Vm): Record<string, HostFn> {
  return {
    proxy_call_foreign_function(namePtr: number, nameLen: number, argPtr: number, argLen: number, retPtr: number, retLen: number): number {
      const name = vm.memory.readString(namePtr, nameLen);
      const fn = vm.options.foreignFunctions?.[name];
      if (!fn) return Status.NotFound;
      return vm.memory.copyOut(fn(vm.memory.read(argPtr, argLen)), retPtr, retLen);
    },
  };
}
