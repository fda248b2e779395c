// Envoy tag extraction for the plugin's dimensional metrics (assembly/metrics/ops-metrics.ts): stat names such as
// `wasmcustom.ai_proxy.p.openai.m.gpt-4o.c.alice.t.customer_service.requests` become
// `ai_proxy_requests{provider="openai",model="gpt-4o",consumer="alice",tag="customer_service"}` in
// /stats/prometheus. The bootstrap generator puts these in Envoy's stats_config; the TypeScript host applies the
// same rules (first capture group removed from the name, second one the value), so both runtimes print the same.

export interface StatsTag {
  tag_name: string;
  regex: string;
}

const P = "^wasmcustom\\.ai_proxy\\.";
const SEG = "[^.]+\\.";

export const STATS_TAGS: StatsTag[] = [
  { tag_name: "provider", regex: `${P}(p\\.([^.]+)\\.)m\\.` },
  { tag_name: "model", regex: `${P}p\\.${SEG}(m\\.([^.]+)\\.)c\\.` },
  { tag_name: "consumer", regex: `${P}p\\.${SEG}m\\.${SEG}(c\\.([^.]+)\\.)t\\.` },
  { tag_name: "tag", regex: `${P}p\\.${SEG}m\\.${SEG}c\\.${SEG}(t\\.([^.]+)\\.)` },
  { tag_name: "user", regex: `${P}(u\\.([^.]+)\\.)` },
];

/** Envoy's stats_config for the bootstrap (default tags kept). */
export function statsConfig(): object {
  return { stats_tags: STATS_TAGS.map((t) => ({ tag_name: t.tag_name, regex: t.regex })) };
}

/** A custom stat name (without `wasmcustom.`) split into its tag-extracted name and labels, as Envoy does. */
export function extractTags(name: string): { name: string; labels: [string, string][] } {
  const full = `wasmcustom.${name}`;
  const cuts: [number, number][] = [];
  const labels: [string, string][] = [];
  for (const t of STATS_TAGS) {
    const m = new RegExp(t.regex, "d").exec(full) as (RegExpExecArray & { indices?: [number, number][] }) | null;
    if (!m || !m.indices) continue;
    cuts.push(m.indices[1]);
    labels.push([t.tag_name, m[2]]);
  }
  if (cuts.length === 0) return { name, labels };
  cuts.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [s, e] of cuts) {
    out += full.slice(at, s);
    at = e;
  }
  out += full.slice(at);
  return { name: out.replace(/^wasmcustom\./, ""), labels };
}
