// Choosing one target of a route. State that spans requests (requests in flight, moving average of time to first
// byte) lives in Proxy-Wasm shared data, so every VM and worker balances on the same figures. A target whose
// provider's circuit breaker is open (resilience/circuit-breaker.ts) is left out while others can serve.
import { randomU32 } from "../abi";
import { isAvailable } from "../resilience/circuit-breaker";
import { RecordUpdate, SharedRecord, updateRecord } from "../resilience/shared-state";
import { Balance, Route, RouteTarget } from "./route";

const IN_FLIGHT = 0;
const TTFB_US = 1;
const TOUCHED_MS = 2;
const SLOTS = 3;
/** A count untouched this long is stale (a VM that died mid-request never decremented it). */
const STALE_MS: u64 = 600000;
/**
 * A latency average this old is forgotten: the target counts as unmeasured again and is tried, so one that was slow
 * for a while gets its share back once it recovers (at a quarter of the share it would otherwise take minutes).
 */
const LATENCY_STALE_MS: u64 = 10000;
/** Weight of a new time-to-first-byte sample in the moving average. */
const ALPHA: f64 = 0.2;

/**
 * The index of the target to use, or -1 when none can serve: no weight, or (`breakers`: the scope has a `fallback`,
 * whose breakers count failures) every one's circuit breaker open.
 */
export function pickTarget(route: Route, nowMs: u64, breakers: bool): i32 {
  const targets = route.targets;
  const n = targets.length;
  const avail = new StaticArray<bool>(n);
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    avail[i] = t.weight > 0 && (!breakers || isAvailable(t.provider, nowMs));
  }
  const score = new StaticArray<f64>(n);
  if (route.balance == Balance.LeastBusy) {
    // The fewest in flight per unit of weight; ties share by weight.
    let best = f64.MAX_VALUE;
    for (let i = 0; i < n; i++) {
      if (!avail[i]) continue;
      score[i] = <f64>inFlight(targets[i], nowMs) / <f64>targets[i].weight;
      if (score[i] < best) best = score[i];
    }
    for (let i = 0; i < n; i++) score[i] = avail[i] && score[i] == best ? <f64>targets[i].weight : 0;
  } else if (route.balance == Balance.Latency) {
    // Traffic in proportion to weight / (average time to first byte)²: a target twice as slow gets a quarter of
    // the share, yet keeps a trickle that measures its recovery. One not yet measured counts as the fastest one.
    let fastest: f64 = 0;
    for (let i = 0; i < n; i++) {
      score[i] = avail[i] ? <f64>ttfbMicros(targets[i], nowMs) : 0;
      if (score[i] > 0 && (fastest == 0 || score[i] < fastest)) fastest = score[i];
    }
    for (let i = 0; i < n; i++) {
      if (!avail[i]) continue;
      const lat = score[i] > 0 ? score[i] : (fastest > 0 ? fastest : 1);
      const ms = max(lat, 1000) / 1000;
      score[i] = <f64>targets[i].weight / (ms * ms);
    }
  } else {
    for (let i = 0; i < n; i++) score[i] = avail[i] ? <f64>targets[i].weight : 0;
  }
  return weightedPick(score);
}

function weightedPick(score: StaticArray<f64>): i32 {
  let total: f64 = 0;
  for (let i = 0; i < score.length; i++) total += score[i];
  if (total <= 0) return -1;
  let r = <f64>randomU32() / 4294967296.0 * total;
  let last = -1;
  for (let i = 0; i < score.length; i++) {
    if (score[i] <= 0) continue;
    last = i;
    if (r < score[i]) return i;
    r -= score[i];
  }
  return last;
}

function load(t: RouteTarget): SharedRecord {
  const rec = new SharedRecord(SLOTS);
  rec.load(t.stateKey);
  return rec;
}

function inFlight(t: RouteTarget, nowMs: u64): u64 {
  const v = load(t).values;
  return v[TOUCHED_MS] + STALE_MS < nowMs ? 0 : v[IN_FLIGHT];
}

/** The moving average of the target's time to first byte in µs (0: not measured, or not lately). */
function ttfbMicros(t: RouteTarget, nowMs: u64): u64 {
  const v = load(t).values;
  return v[TOUCHED_MS] + LATENCY_STALE_MS < nowMs ? 0 : v[TTFB_US];
}

class Update extends RecordUpdate {
  /** +1 (sent), -1 (finished) or 0 (first byte: `sampleUs`). */
  constructor(public delta: i32, public sampleUs: u64, public nowMs: u64) { super(); }
  apply(rec: SharedRecord): bool {
    const v = rec.values;
    if (v[TOUCHED_MS] + STALE_MS < this.nowMs) v[IN_FLIGHT] = 0;
    if (v[TOUCHED_MS] + LATENCY_STALE_MS < this.nowMs) v[TTFB_US] = 0;
    v[TOUCHED_MS] = this.nowMs;
    if (this.delta > 0) v[IN_FLIGHT] += 1;
    else if (this.delta < 0) v[IN_FLIGHT] = v[IN_FLIGHT] > 0 ? v[IN_FLIGHT] - 1 : 0;
    else {
      const old = v[TTFB_US];
      v[TTFB_US] = old == 0 ? max<u64>(this.sampleUs, 1) : <u64>(<f64>old * (1 - ALPHA) + <f64>this.sampleUs * ALPHA);
    }
    return true;
  }
}

/** A request went to `t` (counted only where the policy reads it). */
export function targetSent(route: Route, t: RouteTarget, nowMs: u64): void {
  if (route.balance == Balance.LeastBusy) updateRecord(t.stateKey, SLOTS, new Update(1, 0, nowMs));
}

export function targetFirstByte(route: Route, t: RouteTarget, elapsedUs: u64, nowMs: u64): void {
  if (route.balance == Balance.Latency) updateRecord(t.stateKey, SLOTS, new Update(0, elapsedUs, nowMs));
}

export function targetDone(route: Route, t: RouteTarget, nowMs: u64): void {
  if (route.balance == Balance.LeastBusy) updateRecord(t.stateKey, SLOTS, new Update(-1, 0, nowMs));
}
