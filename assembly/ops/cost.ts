// Cost of one request from the usage the upstream reported and the price table (config/ops-config.ts: configured
// rows first, then built-in prices). Prices are USD per million tokens, so tokens × price is micro-USD.
import { OpsConfig, Price } from "../config/ops-config";
import { Usage } from "../translate";

export function priceFor(ops: OpsConfig, model: string): Price | null {
  const i = ops.pricePatterns.match(model);
  return i < 0 ? null : ops.prices[i];
}

@inline function pos(n: i64): f64 { return n > 0 ? <f64>n : 0; }

/** Micro-USD for `usage` on `model`; 0 when the model has no price. */
export function costMicroUsd(ops: OpsConfig, model: string, u: Usage): i64 {
  const p = priceFor(ops, model);
  if (p === null) return 0;
  const c = pos(u.inputTokens) * p.input + pos(u.outputTokens) * p.output + pos(u.cacheReadTokens) * p.cacheRead +
    pos(u.cacheCreationTokens) * p.cacheWrite;
  return <i64>Math.round(c);
}
