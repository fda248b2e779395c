// What an upstream model accepts, by model-name pattern: the reasoning control it takes (Anthropic
// adaptive thinking with output_config.effort, a thinking budget, or OpenAI reasoning_effort with a
// set of levels), whether it still takes sampling parameters, and whether a system message may sit
// inside the conversation. The converters read it for the *upstream* model; first matching row wins.
// Operators prepend rows with the provider's `modelTraits` (plugin JSON); the defaults follow the
// vendors' model pages as of 2026-12 (see docs/field-policy.md).

/** Effort levels in increasing order; both APIs' vocabularies ("max" is Anthropic's, "none"/"minimal" OpenAI's). */
export const EFFORT_ORDER: Array<string> = ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

export function effortRank(e: string): i32 {
  return EFFORT_ORDER.indexOf(e);
}

export const enum Reasoning {
  /** No reasoning control is sent (reasoning requests are dropped and announced). */
  None = 0,
  /** Anthropic thinking {type:"enabled", budget_tokens}. */
  Budget = 1,
  /** Anthropic thinking {type:"adaptive"} with output_config.effort (Opus 4.6 and newer). */
  Adaptive = 2,
  /** OpenAI reasoning_effort with the row's levels. */
  Effort = 3,
}

export class ModelTraits {
  /** Model-name glob: "*" matches any run of characters ("claude-opus-4-7*", "*"). */
  pattern: string = "*";
  reasoning: Reasoning = Reasoning.None;
  /** Accepted effort levels (Adaptive: output_config.effort; Effort: reasoning_effort), in EFFORT_ORDER order. */
  efforts: Array<string> = [];
  /** temperature / top_p / top_k are accepted. */
  sampling: bool = true;
  /** A system message may stand inside `messages` (Anthropic: right after a user turn). */
  midSystem: bool = false;

  static of(pattern: string, reasoning: Reasoning, efforts: string, sampling: bool, midSystem: bool): ModelTraits {
    const t = new ModelTraits();
    t.pattern = pattern;
    t.reasoning = reasoning;
    t.efforts = efforts.length > 0 ? efforts.split(",") : [];
    t.sampling = sampling;
    t.midSystem = midSystem;
    return t;
  }

  /**
   * The accepted level nearest to `want` (ties go to the lower one); "" when the row takes none.
   * "max" → "xhigh" → "high" on models without them; "minimal" → "low"; "none" → the lowest.
   */
  nearestEffort(want: string): string {
    if (this.efforts.length == 0) return "";
    const r = effortRank(want);
    if (r < 0) return "";
    let best = "";
    let bestDist = 1000;
    for (let i = 0; i < this.efforts.length; i++) {
      const e = this.efforts[i];
      const er = effortRank(e);
      const d = er > r ? er - r : r - er;
      if (d < bestDist || (d == bestDist && er < r)) { best = e; bestDist = d; }
    }
    return best;
  }

  acceptsEffort(e: string): bool { return this.efforts.includes(e); }
}

const ANTHROPIC_ADAPTIVE_ONLY = "low,medium,high,xhigh,max";

function defaults(): Array<ModelTraits> {
  const t = new Array<ModelTraits>();
  // Anthropic. Opus 4.7 and newer: adaptive thinking only, no sampling parameters, xhigh effort;
  // Opus 4.8 and the 5 family also take system messages mid-conversation.
  t.push(ModelTraits.of("*claude-opus-4-7*", Reasoning.Adaptive, ANTHROPIC_ADAPTIVE_ONLY, false, false));
  t.push(ModelTraits.of("*claude-opus-4-8*", Reasoning.Adaptive, ANTHROPIC_ADAPTIVE_ONLY, false, true));
  const five = ["*claude-opus-5*", "*claude-sonnet-5*", "*claude-haiku-5*", "*claude-mythos-5*", "*claude-fable*"];
  for (let i = 0; i < five.length; i++) t.push(ModelTraits.of(five[i], Reasoning.Adaptive, ANTHROPIC_ADAPTIVE_ONLY, false, true));
  t.push(ModelTraits.of("*claude-mythos*", Reasoning.Adaptive, ANTHROPIC_ADAPTIVE_ONLY, false, false));
  // Opus/Sonnet 4.6: adaptive preferred (budget deprecated), effort without xhigh, sampling kept.
  t.push(ModelTraits.of("*claude-opus-4-6*", Reasoning.Adaptive, "low,medium,high,max", true, false));
  t.push(ModelTraits.of("*claude-sonnet-4-6*", Reasoning.Adaptive, "low,medium,high,max", true, false));
  t.push(ModelTraits.of("*claude-*", Reasoning.Budget, "", true, false));
  // OpenAI. o-series and GPT-5 are reasoning models (no temperature/top_p); levels per family.
  t.push(ModelTraits.of("gpt-5.1*", Reasoning.Effort, "none,low,medium,high", false, true));
  t.push(ModelTraits.of("gpt-5.*", Reasoning.Effort, "none,low,medium,high,xhigh", false, true));
  t.push(ModelTraits.of("gpt-5*", Reasoning.Effort, "minimal,low,medium,high", false, true));
  t.push(ModelTraits.of("o1*", Reasoning.Effort, "low,medium,high", false, true));
  t.push(ModelTraits.of("o3*", Reasoning.Effort, "low,medium,high", false, true));
  t.push(ModelTraits.of("o4*", Reasoning.Effort, "low,medium,high", false, true));
  // Gemini (https://ai.google.dev/gemini-api/docs/thinking): 3.x takes thinkingLevel (Flash minimal to high, Pro low
  // and high), 2.5 a thinkingBudget.
  t.push(ModelTraits.of("gemini-3*flash*", Reasoning.Effort, "minimal,low,medium,high", true, true));
  t.push(ModelTraits.of("gemini-3*", Reasoning.Effort, "low,high", true, true));
  t.push(ModelTraits.of("gemini-2.5*", Reasoning.Budget, "", true, true));
  // Any other model: OpenAI-protocol servers take system messages anywhere; no reasoning control.
  t.push(ModelTraits.of("*", Reasoning.None, "", true, true));
  return t;
}

/** Any other model behind an Anthropic-protocol upstream: the oldest common ground (budget thinking, sampling, system up front). */
const ANTHROPIC_FALLBACK = ModelTraits.of("*", Reasoning.Budget, "", true, false);

let DEFAULTS: Array<ModelTraits> | null = null;

/** The built-in rows (the last one, "*", matches every model). */
export function defaultModelTraits(): Array<ModelTraits> {
  let d = DEFAULTS;
  if (d === null) { d = defaults(); DEFAULTS = d; }
  return d;
}

/** A provider's rows: its own first, then the defaults. */
export class ModelTraitsTable {
  rows: Array<ModelTraits> = [];

  lookup(model: string, anthropic: bool): ModelTraits {
    for (let i = 0; i < this.rows.length; i++) if (globMatch(this.rows[i].pattern, model)) return this.rows[i];
    return lookupDefault(model, anthropic);
  }
}

/** The built-in row for `model`; models no row names get the catch-all of the upstream's protocol. */
export function lookupDefault(model: string, anthropic: bool): ModelTraits {
  const d = defaultModelTraits();
  for (let i = 0, n = d.length - 1; i < n; i++) if (globMatch(d[i].pattern, model)) return d[i];
  return anthropic ? ANTHROPIC_FALLBACK : d[d.length - 1];
}

export function traitsFor(table: ModelTraitsTable | null, model: string, anthropic: bool): ModelTraits {
  return table === null ? lookupDefault(model, anthropic) : table.lookup(model, anthropic);
}

/** `*` matches any run of characters (case-sensitive, as model names are); everything else literally. */
export function globMatch(pattern: string, s: string): bool {
  let p = 0, i = 0, star = -1, mark = 0;
  const pl = pattern.length, sl = s.length;
  while (i < sl) {
    if (p < pl && pattern.charCodeAt(p) == 42) { star = p++; mark = i; continue; }
    if (p < pl && pattern.charCodeAt(p) == s.charCodeAt(i)) { p++; i++; continue; }
    if (star < 0) return false;
    p = star + 1;
    i = ++mark;
  }
  while (p < pl && pattern.charCodeAt(p) == 42) p++;
  return p == pl;
}
