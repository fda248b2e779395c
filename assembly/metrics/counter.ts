// What every counter update of the plugin's metrics shares.
import { incrementMetric } from "../abi";

/** Counter deltas must be positive (Envoy refuses 0); a missing id (0) is skipped. */
@inline export function addCounter(id: u32, n: i64): void {
  if (id != 0 && n > 0) incrementMetric(id, n);
}

/** One answer in the counter of its status class (2xx, 4xx, 5xx; other statuses in none). */
export function countStatus(status: i32, c2xx: u32, c4xx: u32, c5xx: u32): void {
  if (status >= 200 && status < 300) addCounter(c2xx, 1);
  else if (status >= 400 && status < 500) addCounter(c4xx, 1);
  else if (status >= 500) addCounter(c5xx, 1);
}
