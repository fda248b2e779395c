// Per-provider circuit breaker shared by every VM: failures over a sliding window (two buckets, the previous one
// weighted by how much of it still overlaps the window) and consecutive failures open it for a cool-down.
// After the cool-down traffic resumes; a provider still failing re-opens it after `consecutiveFailures`.
import { BreakerConfig } from "../config/fallback-config";
import { ProviderConfig } from "../config/provider-config";
import { poolKey } from "./token-health";
import { RecordUpdate, SharedRecord, updateRecord } from "./shared-state";

const WINDOW_START = 0;
const REQUESTS = 1;
const FAILURES = 2;
const PREV_REQUESTS = 3;
const PREV_FAILURES = 4;
const CONSECUTIVE = 5;
const OPEN_UNTIL = 6;
const SLOTS = 7;

export function breakerKey(p: ProviderConfig): string {
  if (p.breakerStateKey.length == 0) p.breakerStateKey = poolKey(p).replace("/tokens/", "/breaker/");
  return p.breakerStateKey;
}

class Record extends RecordUpdate {
  opened: bool = false;
  constructor(public failed: bool, public nowMs: u64, public cfg: BreakerConfig) { super(); }
  apply(rec: SharedRecord): bool {
    const v = rec.values;
    const window = <u64>this.cfg.windowMs;
    if (v[WINDOW_START] == 0 || this.nowMs >= v[WINDOW_START] + window) {
      const adjacent = v[WINDOW_START] != 0 && this.nowMs < v[WINDOW_START] + 2 * window;
      v[PREV_REQUESTS] = adjacent ? v[REQUESTS] : 0;
      v[PREV_FAILURES] = adjacent ? v[FAILURES] : 0;
      v[REQUESTS] = 0;
      v[FAILURES] = 0;
      v[WINDOW_START] = adjacent ? v[WINDOW_START] + window : this.nowMs;
    }
    v[REQUESTS] += 1;
    if (this.failed) {
      v[FAILURES] += 1;
      v[CONSECUTIVE] += 1;
    } else {
      v[CONSECUTIVE] = 0;
    }
    if (v[OPEN_UNTIL] > this.nowMs) return true; // already open: just count
    const overlap = 1.0 - <f64>(this.nowMs - v[WINDOW_START]) / <f64>window;
    const requests = <f64>v[REQUESTS] + <f64>v[PREV_REQUESTS] * overlap;
    const failures = <f64>v[FAILURES] + <f64>v[PREV_FAILURES] * overlap;
    const tooMany = requests >= <f64>this.cfg.minRequests && failures / requests > this.cfg.errorRateThreshold;
    if (v[CONSECUTIVE] >= <u64>this.cfg.consecutiveFailures || tooMany) {
      v[OPEN_UNTIL] = this.nowMs + <u64>this.cfg.coolDownMs;
      // A fresh start after the cool-down: old failures do not re-open it at once.
      v[REQUESTS] = 0;
      v[FAILURES] = 0;
      v[PREV_REQUESTS] = 0;
      v[PREV_FAILURES] = 0;
      v[CONSECUTIVE] = 0;
      this.opened = true;
    }
    return true;
  }
}

/** Counts one outcome; true when this outcome opened the breaker. */
export function recordOutcome(p: ProviderConfig, cfg: BreakerConfig, failed: bool, nowMs: u64): bool {
  const op = new Record(failed, nowMs, cfg);
  updateRecord(breakerKey(p), SLOTS, op);
  return op.opened;
}

/** Whether the provider may take traffic now (its breaker is closed or its cool-down is over). */
export function isAvailable(p: ProviderConfig, nowMs: u64): bool {
  const rec = new SharedRecord(SLOTS);
  rec.load(breakerKey(p));
  return rec.values[OPEN_UNTIL] <= nowMs;
}
