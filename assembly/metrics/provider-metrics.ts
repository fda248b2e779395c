// Per-provider counters, recorded once per request in the access-log phase. Names carry the provider's id (or
// type), never a key or a model name (unbounded cardinality): Envoy shows them as wasmcustom.ai_proxy.<id>.<name>.
import { defineMetric, MetricType } from "../abi";
import { addCounter, countStatus } from "./counter";
import { Usage } from "../translate";
import { recordLinearMemory } from "./vm-memory";

class ProviderCounters {
  requests: u32;
  status2xx: u32;
  status4xx: u32;
  status5xx: u32;
  inputTokens: u32;
  outputTokens: u32;
  cacheReadTokens: u32;
  extraAttempts: u32;
  localReplies: u32;
  constructor(name: string) {
    const p = "ai_proxy." + name + ".";
    this.requests = defineMetric(MetricType.Counter, p + "requests");
    this.status2xx = defineMetric(MetricType.Counter, p + "responses_2xx");
    this.status4xx = defineMetric(MetricType.Counter, p + "responses_4xx");
    this.status5xx = defineMetric(MetricType.Counter, p + "responses_5xx");
    this.inputTokens = defineMetric(MetricType.Counter, p + "input_tokens");
    this.outputTokens = defineMetric(MetricType.Counter, p + "output_tokens");
    this.cacheReadTokens = defineMetric(MetricType.Counter, p + "cache_read_tokens");
    this.extraAttempts = defineMetric(MetricType.Counter, p + "retries");
    this.localReplies = defineMetric(MetricType.Counter, p + "local_replies");
  }
}

// Metric ids are per VM; define each provider's counters once.
const counters = new Map<string, ProviderCounters>();

function countersFor(name: string): ProviderCounters {
  if (!counters.has(name)) counters.set(name, new ProviderCounters(name));
  return counters.get(name);
}

/** One finished request: its final status, token usage when known (-1: unknown), callout attempts after the first. */
export function recordRequest(provider: string, status: i32, usage: Usage | null, extraAttempts: i32, answeredLocally: bool): void {
  const c = countersFor(provider);
  addCounter(c.requests, 1);
  countStatus(status, c.status2xx, c.status4xx, c.status5xx);
  if (usage !== null) {
    addCounter(c.inputTokens, usage.promptTotal());
    addCounter(c.outputTokens, usage.outputTokens);
    addCounter(c.cacheReadTokens, usage.cacheReadTokens);
  }
  addCounter(c.extraAttempts, extraAttempts);
  if (answeredLocally) addCounter(c.localReplies, 1);
  recordLinearMemory();
}
