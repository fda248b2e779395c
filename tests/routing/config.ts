// The routed configuration the routing tests share: three providers of different protocols behind one scope.
export const ROUTED_CONFIG = {
  allowOnHeadersStopIteration: true,
  providers: [
    { id: "openai", type: "openai", apiTokens: ["sk-openai-key-1"] },
    { id: "anthropic", type: "claude", apiTokens: ["sk-ant-key-1"] },
    { id: "deepseek", type: "deepseek", apiTokens: ["sk-deepseek-key-1"] },
  ],
  routing: {
    rules: [
      { name: "background", when: { background: true }, provider: "deepseek", model: "deepseek-chat" },
      { name: "think", when: { thinking: true }, provider: "deepseek", model: "deepseek-reasoner" },
      { name: "long", when: { inputTokensAbove: 2000 }, provider: "openai", model: "gpt-4.1" },
      { name: "search", when: { tool: "web_search" }, provider: "anthropic", model: "claude-opus-4-1" },
    ],
    models: [
      { match: "gpt-*", provider: "openai" },
      { match: "claude-*", provider: "anthropic" },
      { match: "deepseek-*", provider: "deepseek", model: "deepseek-chat" },
      { match: "fast", targets: [{ provider: "openai", model: "gpt-4o-mini", weight: 3 }, { provider: "deepseek", model: "deepseek-chat", weight: 1 }] },
      { match: "quick", balance: "latency", targets: [{ provider: "openai", model: "gpt-4o-mini" }, { provider: "deepseek", model: "deepseek-chat" }] },
    ],
  },
};
