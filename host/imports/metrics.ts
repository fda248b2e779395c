// proxy_define_metric / record / increment / get (rules in ../metrics.ts).

import { Status } from "../abi/status";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function metricImports(vm: Vm): Record<string, HostFn> {
  const t = vm.metricsTable;
  return {
    proxy_define_metric(type: number, namePtr: number, nameLen: number, out: number): number {
      const id = t.define(type >>> 0, vm.memory.readString(namePtr, nameLen));
      if (id === Status.BadArgument) return Status.BadArgument;
      vm.memory.writeU32(out, id);
      return Status.Ok;
    },
    proxy_record_metric(id: number, value: bigint): number {
      return t.record(id >>> 0, value);
    },
    proxy_increment_metric(id: number, delta: bigint): number {
      return t.increment(id >>> 0, delta);
    },
    proxy_get_metric(id: number, out: number): number {
      const v = t.get(id >>> 0);
      if (typeof v !== "bigint") return v;
      vm.memory.writeU64(out, v);
      return Status.Ok;
    },
  };
}
