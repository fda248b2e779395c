// proxy_log, proxy_get_log_level, the clock and the tick timer.

import { Status } from "../abi/status";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function loggingImports(vm: Vm): Record<string, HostFn> {
  return {
    proxy_log(level: number, ptr: number, len: number): number {
      if (level < 0 || level > 5) return Status.BadArgument;
      vm.log(level, vm.memory.readString(ptr, len));
      return Status.Ok;
    },
    proxy_get_log_level(out: number): number {
      vm.memory.writeU32(out, vm.logLevel);
      return Status.Ok;
    },
    proxy_get_current_time_nanoseconds(out: number): number {
      vm.memory.writeU64(out, vm.nowNs());
      return Status.Ok;
    },
    /** Per root context: a call from a stream context sets its root's period. 0 stops the timer. */
    proxy_set_tick_period_milliseconds(ms: number): number {
      const root = vm.effectiveRoot();
      if (!root) return Status.BadArgument;
      root.setTickPeriod(ms >>> 0);
      return Status.Ok;
    },
  };
}
