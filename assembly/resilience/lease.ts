// A lease in shared data: of all VMs and workers, only the holder runs a periodic job (e.g. health checks).
// Holders renew on every tick; a holder that disappears loses the lease when it expires.
import { RecordUpdate, SharedRecord, updateRecord } from "./shared-state";

const OWNER = 0;
const EXPIRES_MS = 1;

class Acquire extends RecordUpdate {
  won: bool = false;
  constructor(public owner: u64, public nowMs: u64, public ttlMs: u64) { super(); }
  apply(rec: SharedRecord): bool {
    const v = rec.values;
    this.won = v[OWNER] == 0 || v[OWNER] == this.owner || v[EXPIRES_MS] <= this.nowMs;
    if (!this.won) return false;
    v[OWNER] = this.owner;
    v[EXPIRES_MS] = this.nowMs + this.ttlMs;
    return true;
  }
}

/** Takes or renews the lease `key` for `owner` (non-zero); true when `owner` holds it afterwards. */
export function holdLease(key: string, owner: u64, nowMs: u64, ttlMs: u64): bool {
  const op = new Acquire(owner, nowMs, ttlMs);
  const rec = updateRecord(key, 2, op);
  return op.won && rec.values[OWNER] == owner;
}
