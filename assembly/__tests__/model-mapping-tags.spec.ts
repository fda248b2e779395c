import { ModelMapping } from "../mapping/model-mapping";

describe("model mapping tags (routing's table)", () => {
  it("finds the entry map() would apply, in the same order: exact, longest prefix, regex in order, *", () => {
    const m = new ModelMapping();
    m.add("gpt-*", "", 0);
    m.add("gpt-4o-*", "", 1);
    m.add("~^o[0-9]", "", 2);
    m.add("~mini", "", 3);
    m.add("gpt-4o-mini", "", 4);
    expect<i32>(m.matchTag("gpt-4o-mini")).toBe(4);
    expect<i32>(m.matchTag("gpt-4o-2024")).toBe(1);
    expect<i32>(m.matchTag("gpt-3.5")).toBe(0);
    expect<i32>(m.matchTag("o3-mini")).toBe(2);
    expect<i32>(m.matchTag("qwen-mini")).toBe(3);
    expect<i32>(m.matchTag("llama")).toBe(-1);
    m.add("*", "", 5);
    expect<i32>(m.matchTag("llama")).toBe(5);
  });
  it("lists exact keys in configuration order", () => {
    const m = new ModelMapping();
    m.add("fast", "", 0);
    m.add("claude-*", "", 1);
    m.add("quick", "", 2);
    const keys = m.exactKeys();
    expect<i32>(keys.length).toBe(2);
    expect<string>(keys[0]).toBe("fast");
    expect<string>(keys[1]).toBe("quick");
  });
});
