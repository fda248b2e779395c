// proxy_get_property / proxy_set_property (semantics in ../properties.ts).

import { Status } from "../abi/status";
import { getProperty, setProperty, splitPath } from "../properties";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function propertyImports(vm: Vm): Record<string, HostFn> {
  return {
    proxy_get_property(pathPtr: number, pathLen: number, retPtr: number, retLen: number): number {
      const ctx = vm.effectiveContext();
      if (!ctx) return Status.NotFound;
      const v = getProperty(ctx, splitPath(vm.memory.read(pathPtr, pathLen)));
      if (v === undefined) return Status.NotFound;
      return vm.memory.copyOut(v, retPtr, retLen);
    },
    proxy_set_property(pathPtr: number, pathLen: number, valPtr: number, valLen: number): number {
      const ctx = vm.effectiveContext();
      if (!ctx) return Status.NotFound;
      return setProperty(ctx, vm.memory.read(pathPtr, pathLen), vm.memory.read(valPtr, valLen)) ? Status.Ok : Status.NotFound;
    },
  };
}
