// Process-wide shared data and shared queues, keyed by vm_id, as proxy-wasm-cpp-host's getGlobalSharedData() /
// getGlobalSharedQueue(): every VM in this Node process with the same vm_id sees the same keys and queues.
// Stores for a vm_id are dropped when the last VM with that vm_id closes (registerVmIdHandleCallback).

import { Status } from "./abi/status";

interface Entry {
  value: Uint8Array;
  cas: number;
}

/** The party notified by proxy_on_queue_ready: the last registrant (a root context of some VM). */
export interface QueueOwner {
  notify(token: number): void;
}

interface Queue {
  vmId: string;
  name: string;
  owner: QueueOwner;
  items: Uint8Array[];
}

class SharedStore {
  private data = new Map<string, Map<string, Entry>>();
  private queuesByName = new Map<string, Map<string, number>>();
  private queues = new Map<number, Queue>();
  private vmRefs = new Map<string, number>();
  private nextCas = 1;
  private nextToken = 1;

  retain(vmId: string): void {
    this.vmRefs.set(vmId, (this.vmRefs.get(vmId) ?? 0) + 1);
  }

  release(vmId: string): void {
    const n = (this.vmRefs.get(vmId) ?? 1) - 1;
    if (n > 0) {
      this.vmRefs.set(vmId, n);
      return;
    }
    this.vmRefs.delete(vmId);
    this.data.delete(vmId);
    const names = this.queuesByName.get(vmId);
    if (names) for (const token of names.values()) this.queues.delete(token);
    this.queuesByName.delete(vmId);
  }

  /** A new cas from the process-global counter, skipping 0 (u32 wrap). */
  private newCas(): number {
    let c = this.nextCas;
    this.nextCas = (this.nextCas + 1) >>> 0;
    if (this.nextCas === 0) this.nextCas = 1;
    if (c === 0) c = this.newCas();
    return c;
  }

  get(vmId: string, key: string): Entry | undefined {
    return this.data.get(vmId)?.get(key);
  }

  /** cas 0 = unconditional; cas != 0 on an existing key must match, on a missing key it is ignored. */
  set(vmId: string, key: string, value: Uint8Array, cas: number): Status {
    let m = this.data.get(vmId);
    if (!m) this.data.set(vmId, (m = new Map()));
    const cur = m.get(key);
    if (cas !== 0 && cur && cur.cas !== cas) return Status.CasMismatch;
    m.set(key, { value: value.slice(), cas: this.newCas() });
    return Status.Ok;
  }

  keys(vmId: string): string[] {
    return [...(this.data.get(vmId)?.keys() ?? [])];
  }

  registerQueue(vmId: string, name: string, owner: QueueOwner): number {
    let names = this.queuesByName.get(vmId);
    if (!names) this.queuesByName.set(vmId, (names = new Map()));
    const existing = names.get(name);
    if (existing !== undefined) {
      this.queues.get(existing)!.owner = owner; // the last registrant receives notifications
      return existing;
    }
    const token = this.nextToken++;
    names.set(name, token);
    this.queues.set(token, { vmId, name, owner, items: [] });
    return token;
  }

  resolveQueue(vmId: string, name: string): number | undefined {
    return this.queuesByName.get(vmId)?.get(name);
  }

  enqueue(token: number, value: Uint8Array): Status {
    const q = this.queues.get(token);
    if (!q) return Status.NotFound;
    q.items.push(value.slice());
    // Envoy posts the notification to the registrant's dispatcher: never inside the enqueue call itself.
    setImmediate(() => {
      if (this.queues.get(token) === q) q.owner.notify(token);
    });
    return Status.Ok;
  }

  dequeue(token: number): Uint8Array | Status.NotFound | Status.Empty {
    const q = this.queues.get(token);
    if (!q) return Status.NotFound;
    const v = q.items.shift();
    return v ?? Status.Empty;
  }
}

/** The one store of this process. */
export const sharedStore = new SharedStore();
