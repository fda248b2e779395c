// Plugin metrics. Ids are per VM and carry the type in the low 2 bits (Envoy Wasm::nextCounterMetricId & co:
// counters 4, 8, …; gauges 5, 9, …; histograms 6, 10, …). Values live in a MetricStore shared by every VM of one
// ProxyWasmHost (Envoy shares stat values process-wide by name).

import { MetricType, Status } from "./abi/status";
import { extractTags } from "./envoy/stats-tags";

/** Envoy's default histogram bucket bounds (used for the Prometheus export). */
const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export class MetricStore {
  readonly counters = new Map<string, bigint>();
  readonly gauges = new Map<string, bigint>();
  readonly histograms = new Map<string, bigint[]>();

  /**
   * Prometheus text as Envoy's /stats/prometheus prints custom stats: the `wasmcustom.` namespace stripped, tags
   * extracted into labels (envoy/stats-tags.ts), names sanitized to [a-zA-Z0-9_], one TYPE line per name.
   */
  prometheus(): string {
    const lines: string[] = [];
    const clean = (n: string) => n.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
    const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
    type Series<T> = { labels: [string, string][]; value: T };
    const group = <T>(m: Map<string, T>): [string, Series<T>[]][] => {
      const out = new Map<string, Series<T>[]>();
      for (const [raw, value] of [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        const t = extractTags(raw);
        const n = clean(t.name);
        if (!out.has(n)) out.set(n, []);
        out.get(n)!.push({ labels: t.labels, value });
      }
      return [...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    };
    const fmt = (labels: [string, string][], extra?: [string, string]) => {
      const all = extra ? [...labels, extra] : labels;
      return all.length ? `{${all.map(([k, v]) => `${k}="${esc(v)}"`).join(",")}}` : "";
    };
    for (const [kind, map] of [["counter", this.counters], ["gauge", this.gauges]] as const) {
      for (const [n, series] of group(map)) {
        lines.push(`# TYPE ${n} ${kind}`);
        for (const s of series) lines.push(`${n}${fmt(s.labels)} ${s.value}`);
      }
    }
    for (const [n, series] of group(this.histograms)) {
      lines.push(`# TYPE ${n} histogram`);
      for (const s of series) {
        const vals = s.value;
        for (const b of BUCKETS) lines.push(`${n}_bucket${fmt(s.labels, ["le", String(b)])} ${vals.filter((x) => Number(x) <= b).length}`);
        lines.push(`${n}_bucket${fmt(s.labels, ["le", "+Inf"])} ${vals.length}`);
        lines.push(`${n}_sum${fmt(s.labels)} ${vals.reduce((a, b) => a + b, 0n)}`, `${n}_count${fmt(s.labels)} ${vals.length}`);
      }
    }
    return lines.length ? lines.join("\n") + "\n" : "";
  }
}

interface Def {
  type: MetricType;
  name: string;
}

/** Per-VM id table over a shared MetricStore. */
export class VmMetrics {
  private defs = new Map<number, Def>();
  private byName = new Map<string, number>();
  private next = [0, 1, 2]; // next id per type, low 2 bits = type

  constructor(readonly store: MetricStore) {}

  define(type: number, name: string): number | Status.BadArgument {
    if (type < 0 || type > MetricType.Histogram) return Status.BadArgument;
    const key = `${type}:${name}`;
    const known = this.byName.get(key);
    if (known !== undefined) return known;
    this.next[type] += 4;
    const id = this.next[type];
    this.defs.set(id, { type, name });
    this.byName.set(key, id);
    if (type === MetricType.Counter && !this.store.counters.has(name)) this.store.counters.set(name, 0n);
    if (type === MetricType.Gauge && !this.store.gauges.has(name)) this.store.gauges.set(name, 0n);
    if (type === MetricType.Histogram && !this.store.histograms.has(name)) this.store.histograms.set(name, []);
    return id;
  }

  /** record: a counter ADDS, a gauge SETS, a histogram records a sample. */
  record(id: number, value: bigint): Status {
    const d = this.defs.get(id);
    if (!d) return Status.NotFound;
    const v = BigInt.asUintN(64, value);
    if (d.type === MetricType.Counter) this.store.counters.set(d.name, this.store.counters.get(d.name)! + v);
    else if (d.type === MetricType.Gauge) this.store.gauges.set(d.name, v);
    else this.store.histograms.get(d.name)!.push(v);
    return Status.Ok;
  }

  /** increment: counters need delta > 0; gauges add a signed delta; histograms refuse. */
  increment(id: number, delta: bigint): Status {
    const d = this.defs.get(id);
    if (!d) return Status.NotFound;
    const s = BigInt.asIntN(64, delta);
    if (d.type === MetricType.Counter) {
      if (s <= 0n) return Status.BadArgument;
      this.store.counters.set(d.name, this.store.counters.get(d.name)! + s);
      return Status.Ok;
    }
    if (d.type === MetricType.Gauge) {
      this.store.gauges.set(d.name, this.store.gauges.get(d.name)! + s);
      return Status.Ok;
    }
    return Status.BadArgument;
  }

  get(id: number): bigint | Status.NotFound | Status.BadArgument {
    const d = this.defs.get(id);
    if (!d) return Status.NotFound;
    if (d.type === MetricType.Counter) return this.store.counters.get(d.name)!;
    if (d.type === MetricType.Gauge) return this.store.gauges.get(d.name)!;
    return Status.BadArgument;
  }
}
