// Metrics per provider × model × consumer × tag, and per end user. Labels are stat-name segments
// (`ai_proxy.p.<provider>.m.<model>.c.<consumer>.t.<tag>.<metric>`, `ai_proxy.u.<user>.<metric>`) that Envoy's
// tag extraction turns into Prometheus labels (host/envoy/stats-tags.ts, used by the bootstrap generator and the
// TypeScript host alike): `ai_proxy_requests{provider="…",model="…",consumer="…",tag="…"}`. Every label is
// bounded: consumers are configured, tags and users pass an allow-list, and models beyond MAX_MODELS per VM count
// as "other". Histograms (Proxy-Wasm MetricType.Histogram) give P50/P99 of latency and time to first token.
import { defineMetric, incrementMetric, MetricType, recordMetric } from "../abi";
import { metricLabel } from "../config/ops-config";

const MAX_MODELS = 32;

class SeriesIds {
  requests: u32 = 0; r2xx: u32 = 0; r4xx: u32 = 0; r5xx: u32 = 0;
  inputTokens: u32 = 0; outputTokens: u32 = 0; cacheReadTokens: u32 = 0; cacheWriteTokens: u32 = 0;
  cost: u32 = 0; cacheHits: u32 = 0;
  latency: u32 = 0; ttft: u32 = 0; tokensPerSecond: u32 = 0;
  /** `full`: every metric; else requests and cost only (per end user). One class keeps one Map type. */
  constructor(p: string, full: bool) {
    this.requests = defineMetric(MetricType.Counter, p + "requests");
    this.cost = defineMetric(MetricType.Counter, p + "cost_micro_usd");
    if (full) {
      this.r2xx = defineMetric(MetricType.Counter, p + "responses_2xx");
      this.r4xx = defineMetric(MetricType.Counter, p + "responses_4xx");
      this.r5xx = defineMetric(MetricType.Counter, p + "responses_5xx");
      this.inputTokens = defineMetric(MetricType.Counter, p + "input_tokens");
      this.outputTokens = defineMetric(MetricType.Counter, p + "output_tokens");
      this.cacheReadTokens = defineMetric(MetricType.Counter, p + "cache_read_tokens");
      this.cacheWriteTokens = defineMetric(MetricType.Counter, p + "cache_write_tokens");
      this.cacheHits = defineMetric(MetricType.Counter, p + "cache_hits");
      this.latency = defineMetric(MetricType.Histogram, p + "latency_ms");
      this.ttft = defineMetric(MetricType.Histogram, p + "ttft_ms");
      this.tokensPerSecond = defineMetric(MetricType.Histogram, p + "output_tokens_per_second");
    }
  }
}

const series = new Map<string, SeriesIds>();
const users = new Map<string, SeriesIds>();
const models = new Set<string>();

/** The model as a bounded label: the first MAX_MODELS distinct models of this VM keep their name. */
export function modelLabel(model: string): string {
  if (model.length == 0) return "none";
  const l = metricLabel(model);
  if (models.has(l)) return l;
  if (models.size >= MAX_MODELS) return "other";
  models.add(l);
  return l;
}

@inline function add(id: u32, n: i64): void { if (id != 0 && n > 0) incrementMetric(id, n); }
@inline function sample(id: u32, v: i64): void { if (id != 0 && v >= 0) recordMetric(id, <u64>v); }

export class RequestFigures {
  status: i32 = 0;
  inputTokens: i64 = 0;
  outputTokens: i64 = 0;
  cacheReadTokens: i64 = 0;
  cacheWriteTokens: i64 = 0;
  microUsd: i64 = 0;
  cacheHit: bool = false;
  /** Milliseconds; -1 when unknown. */
  latencyMs: i64 = -1;
  ttftMs: i64 = -1;
  tokensPerSecond: i64 = -1;
}

export function recordOps(provider: string, model: string, consumer: string, tag: string, user: string, f: RequestFigures): void {
  const key = provider + "\n" + model + "\n" + consumer + "\n" + tag;
  let s: SeriesIds;
  if (series.has(key)) s = series.get(key);
  else {
    s = new SeriesIds("ai_proxy.p." + metricLabel(provider) + ".m." + model + ".c." + consumer + ".t." + tag + ".", true);
    series.set(key, s);
  }
  add(s.requests, 1);
  if (f.status >= 200 && f.status < 300) add(s.r2xx, 1);
  else if (f.status >= 400 && f.status < 500) add(s.r4xx, 1);
  else if (f.status >= 500) add(s.r5xx, 1);
  add(s.inputTokens, f.inputTokens);
  add(s.outputTokens, f.outputTokens);
  add(s.cacheReadTokens, f.cacheReadTokens);
  add(s.cacheWriteTokens, f.cacheWriteTokens);
  add(s.cost, f.microUsd);
  if (f.cacheHit) add(s.cacheHits, 1);
  sample(s.latency, f.latencyMs);
  sample(s.ttft, f.ttftMs);
  sample(s.tokensPerSecond, f.tokensPerSecond);
  if (user == "none") return;
  let u: SeriesIds;
  if (users.has(user)) u = users.get(user);
  else {
    u = new SeriesIds("ai_proxy.u." + user + ".", false);
    users.set(user, u);
  }
  add(u.requests, 1);
  add(u.cost, f.microUsd);
}
