// Plugin metrics. Ids are per VM and carry the type in the low 2 bits (Envoy Wasm::nextCounterMetricId & co:
// counters 4, 8, …; gauges 5, 9, …; histograms 6, 10, …). Values live in a MetricStore shared by every VM of one
// ProxyWasmHost (Envoy shares stat values process-wide by name).

import { MetricType, Status } from "./abi/status";

/** Envoy's default histogram bucket bounds (used for the Prometheus export). */
const BUCKETS = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

export class MetricStore {
  readonly counters = new Map<string, bigint>();
  readonly gauges = new Map<string, bigint>();
  readonly histograms = new Map<string, bigint[]>();

  /** Prometheus text: Envoy strips the `wasmcustom.` namespace from custom stats; names are sanitized to [a-zA-Z0-9_]. */
  prometheus(): string {
    const lines: string[] = [];
    const name = (n: string) => n.replace(/[^a-zA-Z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
    for (const [n, v] of [...this.counters].sort()) lines.push(`# TYPE ${name(n)} counter`, `${name(n)} ${v}`);
    for (const [n, v] of [...this.gauges].sort()) lines.push(`# TYPE ${name(n)} gauge`, `${name(n)} ${v}`);
    for (const [n, vals] of [...this.histograms].sort()) {
      const m = name(n);
      lines.push(`# TYPE ${m} histogram`);
      for (const b of BUCKETS) lines.push(`${m}_bucket{le="${b}"} ${vals.filter((x) => Number(x) <= b).length}`);
      lines.push(`${m}_bucket{le="+Inf"} ${vals.length}`);
      lines.push(`${m}_sum ${vals.reduce((a, b) => a + b, 0n)}`, `${m}_count ${vals.length}`);
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
