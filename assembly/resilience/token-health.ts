// apiTokens failover (Higress `failover`): a token leaves rotation after `failureThreshold` consecutive failures
// whose status matches `failoverOnStatus`, and rejoins after `successThreshold` successful health checks.
// The state lives in shared data, so every VM and worker sees the same healthy set.
import { randomU32 } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { fnv1a, RecordUpdate, SharedRecord, updateRecord } from "./shared-state";

// Per token: consecutive failures, unhealthy flag, consecutive health-check successes.
const FAILURES = 0;
const UNHEALTHY = 1;
const SUCCESSES = 2;
const PER_TOKEN = 3;

/** The shared-data key of a provider's token state: named by provider and a hash of its tokens (computed once). */
export function poolKey(p: ProviderConfig): string {
  if (p.tokenStateKey.length == 0) {
    let h: u32 = 0x811c9dc5;
    for (let i = 0; i < p.apiTokens.length; i++) h = fnv1a(p.apiTokens[i] + "\n", h);
    p.tokenStateKey = "ai-proxy/v1/tokens/" + (p.id.length > 0 ? p.id : p.type) + "/" + h.toString(16);
  }
  return p.tokenStateKey;
}

class RecordRequestResult extends RecordUpdate {
  constructor(public index: i32, public failed: bool, public threshold: i32) { super(); }
  apply(rec: SharedRecord): bool {
    const base = this.index * PER_TOKEN;
    const v = rec.values;
    if (!this.failed) {
      if (v[base + FAILURES] == 0) return false; // nothing to reset: spare the write
      v[base + FAILURES] = 0;
      return true;
    }
    v[base + FAILURES] += 1;
    if (v[base + FAILURES] >= <u64>this.threshold && v[base + UNHEALTHY] == 0) {
      v[base + UNHEALTHY] = 1;
      v[base + SUCCESSES] = 0;
    }
    return true;
  }
}

class RecordHealthCheck extends RecordUpdate {
  constructor(public index: i32, public ok: bool, public threshold: i32) { super(); }
  apply(rec: SharedRecord): bool {
    const base = this.index * PER_TOKEN;
    const v = rec.values;
    if (v[base + UNHEALTHY] == 0) return false;
    if (!this.ok) {
      v[base + SUCCESSES] = 0;
      return true;
    }
    v[base + SUCCESSES] += 1;
    if (v[base + SUCCESSES] >= <u64>this.threshold) {
      v[base + UNHEALTHY] = 0;
      v[base + FAILURES] = 0;
      v[base + SUCCESSES] = 0;
    }
    return true;
  }
}

export class TokenPool {
  constructor(public provider: ProviderConfig) {}

  /** Only needed once failover is on: `pick` and `recordStatus` skip shared data entirely otherwise. */
  get key(): string { return poolKey(this.provider); }

  get size(): i32 { return this.provider.apiTokens.length; }
  private get slots(): i32 { return this.size * PER_TOKEN; }

  /** Indices of tokens in rotation (all of them when failover is off). */
  healthy(): Array<i32> {
    const out = new Array<i32>();
    const n = this.size;
    if (!this.provider.failover.enabled) {
      for (let i = 0; i < n; i++) out.push(i);
      return out;
    }
    const rec = new SharedRecord(this.slots);
    rec.load(this.key);
    for (let i = 0; i < n; i++) if (rec.values[i * PER_TOKEN + UNHEALTHY] == 0) out.push(i);
    return out;
  }

  unhealthy(): Array<i32> {
    const out = new Array<i32>();
    if (!this.provider.failover.enabled) return out;
    const rec = new SharedRecord(this.slots);
    rec.load(this.key);
    for (let i = 0, n = this.size; i < n; i++) if (rec.values[i * PER_TOKEN + UNHEALTHY] != 0) out.push(i);
    return out;
  }

  /** A random healthy token index other than `avoid` when possible; -1 when no token is in rotation. */
  pick(avoid: i32 = -1, consumer: string = ""): i32 {
    const h = this.healthy();
    if (h.length == 0) return -1;
    if (consumer.length > 0 && avoid < 0) {
      // Consumer affinity (Higress): a consumer's stateful requests (stored responses, files, batches) keep one key,
      // FNV-1a of the consumer's name (its UTF-8 bytes, as Higress hashes the header) over all keys; when that key is
      // out of rotation, over the keys in rotation.
      const bytes = Uint8Array.wrap(String.UTF8.encode(consumer));
      let hash: u32 = 0x811c9dc5;
      for (let i = 0; i < bytes.length; i++) hash = (hash ^ <u32>bytes[i]) * 0x01000193;
      const i = <i32>(hash % <u32>this.size);
      return h.includes(i) ? i : h[<i32>(hash % <u32>h.length)];
    }
    if (h.length > 1 && avoid >= 0) {
      const i = h.indexOf(avoid);
      if (i >= 0) h.splice(i, 1);
    }
    return h[<i32>(randomU32() % <u32>h.length)];
  }

  /** Counts a request's outcome against its token (only statuses matching failoverOnStatus are failures). */
  recordStatus(index: i32, status: i32): void {
    const f = this.provider.failover;
    if (!f.enabled || index < 0 || index >= this.size) return;
    const failed = f.failoverOnStatus.matches(status.toString());
    updateRecord(this.key, this.slots, new RecordRequestResult(index, failed, f.failureThreshold));
  }

  recordHealthCheck(index: i32, ok: bool): void {
    const f = this.provider.failover;
    if (!f.enabled || index < 0 || index >= this.size) return;
    updateRecord(this.key, this.slots, new RecordHealthCheck(index, ok, f.successThreshold));
  }
}
