// The fuzz harness's hostile and valid requests (tests/fuzz/) through a routed scope whose request headers are held
// for the body: every route, rule and balancing policy leads to an OpenAI-protocol provider, so the harness's
// oracles for its `openai` configuration hold (no trap, answers in the client's protocol, no key leaked, no client
// credential upstream, valid requests forwarded).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { generateCase, HOST_OPTIONS, runCase, start } from "../fuzz/harness";
import { caseSeed, PROVIDER_KEYS } from "../fuzz/gen";

const MAPPING = { "gpt-4": "gpt-4o", "claude-*": "gpt-4o-mini", "~^o[0-9]": "o3-mini", "*": "" };
const ROUTED = {
  allowOnHeadersStopIteration: true,
  providers: [
    { id: "a", type: "openai", apiTokens: [PROVIDER_KEYS[0]], modelMapping: MAPPING },
    { id: "b", type: "openai", apiTokens: [PROVIDER_KEYS[1]], modelMapping: MAPPING },
  ],
  activeProviderId: "a",
  routing: {
    rules: [
      { when: { thinking: true }, provider: "b", model: "o3-mini" },
      { when: { inputTokensAbove: 3000 }, targets: [{ provider: "a" }, { provider: "b" }], balance: "least_busy" },
      { when: { tool: "web_search" }, provider: "b" },
      { when: { background: true }, provider: "a", model: "gpt-4o-mini" },
    ],
    models: [
      { match: "gpt-*", targets: [{ provider: "a", weight: 3 }, { provider: "b", weight: 1 }] },
      { match: "~^o[0-9]", provider: "b" },
      { match: "claude-*", balance: "latency", targets: [{ provider: "a" }, { provider: "b", model: "gpt-4.1" }] },
    ],
  },
};

test("1,500 fuzz cases through a routed scope with held request headers: no trap, no leak, well-formed answers", async () => {
  const { vm, plugin } = await start(ROUTED, { ...HOST_OPTIONS, allowOnHeadersStopIteration: true });
  const problems: string[] = [];
  let forwarded = 0;
  for (let i = 0; i < 1500; i++) {
    const { c, rng, clientStream } = generateCase(caseSeed(7117, i), "openai");
    const r = await runCase(plugin, vm, c, rng, clientStream);
    if (r.upstreamCalled) forwarded++;
    if (r.failures.length > 0) problems.push(`case ${i} (${c.mutations.join(",") || "valid"}, ${c.request.path}): ${r.failures.join("; ")}`);
    assert.equal(vm.trap, null, problems.join("\n"));
  }
  assert.deepEqual(problems.slice(0, 10), []);
  assert.ok(forwarded > 300, `valid requests reached a provider (${forwarded})`);
});
