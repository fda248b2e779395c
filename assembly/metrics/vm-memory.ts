// The VM's linear memory in bytes as a gauge, `ai_proxy.vm.linear_memory_bytes`, so operators (and the benchmark)
// see what one VM holds after long traffic. Set in the access-log phase, and only when memory has grown since the
// last time: no hostcall and no allocation per request in the steady state.
import { defineMetric, MetricType, recordMetric } from "../abi";

let gauge: u32 = 0;
let recordedPages: i32 = 0;

export function recordLinearMemory(): void {
  const pages = memory.size();
  if (pages == recordedPages) return;
  if (gauge == 0) gauge = defineMetric(MetricType.Gauge, "ai_proxy.vm.linear_memory_bytes");
  if (gauge == 0) return; // refused by the host: try again when memory grows
  recordMetric(gauge, (<u64>pages) << 16);
  recordedPages = pages;
}
