import { globMatch, lookupDefault, ModelTraits, ModelTraitsTable, Reasoning, traitsFor } from "../mapping/model-traits";

describe("model traits", () => {
  it("matches globs with * anywhere", () => {
    expect<bool>(globMatch("claude-opus-4-7*", "claude-opus-4-7")).toBe(true);
    expect<bool>(globMatch("*claude-opus-4-7*", "us.anthropic.claude-opus-4-7-v1")).toBe(true);
    expect<bool>(globMatch("gpt-5.*", "gpt-5.2-codex")).toBe(true);
    expect<bool>(globMatch("gpt-5.*", "gpt-5-mini")).toBe(false);
    expect<bool>(globMatch("o3*", "gpt-4o3")).toBe(false);
    expect<bool>(globMatch("*", "")).toBe(true);
    expect<bool>(globMatch("a*b*c", "axxbyyc")).toBe(true);
    expect<bool>(globMatch("a*b*c", "axxbyy")).toBe(false);
  });
  it("has defaults for the current families", () => {
    const opus = lookupDefault("claude-opus-5-5", true);
    expect<i32>(opus.reasoning).toBe(Reasoning.Adaptive);
    expect<bool>(opus.sampling).toBe(false);
    expect<bool>(opus.midSystem).toBe(true);
    const o47 = lookupDefault("claude-opus-4-7", true);
    expect<bool>(o47.sampling).toBe(false);
    expect<bool>(o47.midSystem).toBe(false);
    const sonnet45 = lookupDefault("claude-sonnet-4-5-20250929", true);
    expect<i32>(sonnet45.reasoning).toBe(Reasoning.Budget);
    expect<bool>(sonnet45.sampling).toBe(true);
    // Not a Claude 5 model, although it has "-5" in its name.
    expect<i32>(lookupDefault("claude-3-5-sonnet-20241022", true).reasoning).toBe(Reasoning.Budget);
    expect<string>(lookupDefault("gpt-5", false).efforts.join(",")).toBe("minimal,low,medium,high");
    expect<string>(lookupDefault("gpt-5.1", false).efforts.join(",")).toBe("none,low,medium,high");
    expect<string>(lookupDefault("gpt-5.2", false).efforts.join(",")).toBe("none,low,medium,high,xhigh");
    expect<i32>(lookupDefault("gpt-4o", false).reasoning).toBe(Reasoning.None);
    // Unknown models: OpenAI-protocol servers take nothing special; Anthropic-protocol ones the budget form.
    expect<i32>(lookupDefault("my-model", false).reasoning).toBe(Reasoning.None);
    expect<i32>(lookupDefault("my-model", true).reasoning).toBe(Reasoning.Budget);
    expect<bool>(lookupDefault("my-model", true).midSystem).toBe(false);
  });
  it("picks the nearest accepted effort, ties to the lower", () => {
    const t = ModelTraits.of("x", Reasoning.Effort, "low,medium,high", false, false);
    expect<string>(t.nearestEffort("none")).toBe("low");
    expect<string>(t.nearestEffort("minimal")).toBe("low");
    expect<string>(t.nearestEffort("max")).toBe("high");
    expect<string>(t.nearestEffort("xhigh")).toBe("high");
    expect<string>(t.nearestEffort("medium")).toBe("medium");
    expect<string>(t.nearestEffort("bogus")).toBe("");
    const g = ModelTraits.of("x", Reasoning.Effort, "low,high", false, false);
    expect<string>(g.nearestEffort("medium")).toBe("low");
  });
  it("puts configured rows before the defaults", () => {
    const table = new ModelTraitsTable();
    table.rows.push(ModelTraits.of("claude-opus-5*", Reasoning.Budget, "", true, false));
    expect<i32>(traitsFor(table, "claude-opus-5-5", true).reasoning).toBe(Reasoning.Budget);
    expect<i32>(traitsFor(table, "claude-opus-4-7", true).reasoning).toBe(Reasoning.Adaptive);
    expect<i32>(traitsFor(null, "claude-opus-5-5", true).reasoning).toBe(Reasoning.Adaptive);
  });
});
