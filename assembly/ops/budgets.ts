// Per-consumer budgets (tokens, cost over a window) and limits (requests and tokens per minute), in shared data
// so every VM and worker of one Envoy counts into the same record (compare-and-swap, resilience/shared-state.ts).
//
// Bounds under concurrency: requests per minute are admitted by a CAS increment, so never more than the limit
// per minute. Tokens and cost are known only when an answer ends, so a request is admitted while the spent amount
// is under the budget: with C requests in flight at once, at most C - 1 requests more than a sequential run are
// admitted, i.e. the overshoot is at most (C - 1) × the largest request's tokens (or cost). README, Operations.
import { Consumer } from "../config/ops-config";
import { RecordUpdate, SharedRecord } from "../resilience/shared-state";

const BUDGET_START = 0;
const BUDGET_TOKENS = 1;
const BUDGET_MICRO_USD = 2;
const MINUTE_START = 3;
const MINUTE_REQUESTS = 4;
const MINUTE_TOKENS = 5;
const SLOTS = 6;

export function consumerStateKey(c: Consumer): string {
  return "ai-proxy/ops/consumer/" + c.name;
}

/** Whether the consumer has anything to count. */
export function isMetered(c: Consumer): bool {
  return c.budgetTokens > 0 || c.budgetMicroUsd > 0 || c.requestsPerMinute > 0 || c.tokensPerMinute > 0;
}

function roll(v: StaticArray<u64>, c: Consumer, nowS: u64): void {
  const window = <u64>c.budgetWindowSeconds;
  const start = nowS - nowS % window;
  if (v[BUDGET_START] != start) {
    v[BUDGET_START] = start;
    v[BUDGET_TOKENS] = 0;
    v[BUDGET_MICRO_USD] = 0;
  }
  const minute = nowS - nowS % 60;
  if (v[MINUTE_START] != minute) {
    v[MINUTE_START] = minute;
    v[MINUTE_REQUESTS] = 0;
    v[MINUTE_TOKENS] = 0;
  }
}

/** The outcome of an admission: 0 admitted, else the seconds after which to retry; `reason` says what ran out. */
export class Admission {
  retryAfter: i64 = 0;
  reason: string = "";
}

class Admit extends RecordUpdate {
  result: Admission = new Admission();
  constructor(public c: Consumer, public nowS: u64) { super(); }
  apply(rec: SharedRecord): bool {
    const v = rec.values;
    const c = this.c;
    roll(v, c, this.nowS);
    const budgetEnds = <i64>(v[BUDGET_START] + <u64>c.budgetWindowSeconds - this.nowS);
    const minuteEnds = <i64>(v[MINUTE_START] + 60 - this.nowS);
    if (c.budgetTokens > 0 && v[BUDGET_TOKENS] >= <u64>c.budgetTokens) return this.deny(budgetEnds, "token budget");
    if (c.budgetMicroUsd > 0 && v[BUDGET_MICRO_USD] >= <u64>c.budgetMicroUsd) return this.deny(budgetEnds, "cost budget");
    if (c.tokensPerMinute > 0 && v[MINUTE_TOKENS] >= <u64>c.tokensPerMinute) return this.deny(minuteEnds, "tokens per minute limit");
    if (c.requestsPerMinute > 0 && v[MINUTE_REQUESTS] >= <u64>c.requestsPerMinute) return this.deny(minuteEnds, "requests per minute limit");
    v[MINUTE_REQUESTS] += 1;
    return true;
  }
  private deny(after: i64, reason: string): bool {
    this.result.retryAfter = after < 1 ? 1 : after;
    this.result.reason = reason;
    return false;
  }
}

/**
 * Admits one request of `c` at wall-clock second `nowS`. A record that keeps changing under us (CAS lost 32 times)
 * refuses rather than admits uncounted.
 */
export function admit(c: Consumer, nowS: u64): Admission {
  const op = new Admit(c, nowS);
  const key = consumerStateKey(c);
  const rec = new SharedRecord(SLOTS);
  for (let attempt = 0; attempt < 32; attempt++) {
    op.result.retryAfter = 0;
    rec.load(key);
    if (!op.apply(rec)) return op.result;
    if (rec.store(key)) return op.result;
  }
  op.result.retryAfter = 1;
  op.result.reason = "contention";
  return op.result;
}

class Spend extends RecordUpdate {
  constructor(public c: Consumer, public nowS: u64, public tokens: u64, public microUsd: u64) { super(); }
  apply(rec: SharedRecord): bool {
    const v = rec.values;
    roll(v, this.c, this.nowS);
    v[BUDGET_TOKENS] += this.tokens;
    v[BUDGET_MICRO_USD] += this.microUsd;
    v[MINUTE_TOKENS] += this.tokens;
    return true;
  }
}

/** Counts a finished request's tokens and cost against the consumer's budget and per-minute limit. */
export function spend(c: Consumer, nowS: u64, tokens: i64, microUsd: i64): void {
  if (tokens <= 0 && microUsd <= 0) return;
  const op = new Spend(c, nowS, tokens > 0 ? <u64>tokens : 0, microUsd > 0 ? <u64>microUsd : 0);
  const key = consumerStateKey(c);
  const rec = new SharedRecord(SLOTS);
  for (let attempt = 0; attempt < 32; attempt++) {
    rec.load(key);
    op.apply(rec);
    if (rec.store(key)) return;
  }
}
