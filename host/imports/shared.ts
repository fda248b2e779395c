// Shared data (with CAS) and shared queues, process-wide per vm_id (../shared-store.ts).

import { Status } from "../abi/status";
import { sharedStore } from "../shared-store";
import type { Vm } from "../vm";
import type { HostFn } from "./index";

export function sharedImports(vm: Vm): Record<string, HostFn> {
  const mem = vm.memory;
  return {
    proxy_get_shared_data(kPtr: number, kLen: number, retPtr: number, retLen: number, casPtr: number): number {
      const e = sharedStore.get(vm.vmId, mem.readString(kPtr, kLen));
      if (!e) return Status.NotFound;
      mem.writeU32(casPtr, e.cas);
      return mem.copyOut(e.value, retPtr, retLen);
    },
    proxy_set_shared_data(kPtr: number, kLen: number, vPtr: number, vLen: number, cas: number): number {
      return sharedStore.set(vm.vmId, mem.readString(kPtr, kLen), mem.read(vPtr, vLen), cas >>> 0);
    },
    proxy_register_shared_queue(nPtr: number, nLen: number, out: number): number {
      const root = vm.effectiveRoot();
      if (!root) return Status.BadArgument;
      mem.writeU32(out, sharedStore.registerQueue(vm.vmId, mem.readString(nPtr, nLen), root));
      return Status.Ok;
    },
    proxy_resolve_shared_queue(vmPtr: number, vmLen: number, nPtr: number, nLen: number, out: number): number {
      const vmId = vmLen ? mem.readString(vmPtr, vmLen) : vm.vmId; // "" = this VM's own vm_id
      const token = sharedStore.resolveQueue(vmId, mem.readString(nPtr, nLen));
      if (token === undefined) return Status.NotFound;
      mem.writeU32(out, token);
      return Status.Ok;
    },
    proxy_enqueue_shared_queue(token: number, vPtr: number, vLen: number): number {
      return sharedStore.enqueue(token >>> 0, mem.read(vPtr, vLen));
    },
    proxy_dequeue_shared_queue(token: number, retPtr: number, retLen: number): number {
      const v = sharedStore.dequeue(token >>> 0);
      if (typeof v === "number") return v;
      return mem.copyOut(v, retPtr, retLen);
    },
  };
}
