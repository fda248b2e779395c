// Model and trait routing, balancing and the routed model list, driving build/ai-proxy.wasm through the host
// (request headers held for the body, as with Envoy's allow_on_headers_stop_iteration). The end-to-end tests on
// both runtimes are tests/e2e/routing.test.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Plugin } from "../../host";
import { header, json, requestHeaders, startPlugin } from "../support/plugin";
import { ROUTED_CONFIG } from "./config";

const HOLD = { allowOnHeadersStopIteration: true };

const OPENAI_ANSWER = json({
  id: "chatcmpl-1", object: "chat.completion", created: 1, model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
});
const ANTHROPIC_ANSWER = json({
  id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "hi" }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 },
});

function answer(path: string): { status: number; headers: Array<[string, string]>; body: string } {
  return { status: 200, headers: [["content-type", "application/json"]], body: path.endsWith("/messages") ? ANTHROPIC_ANSWER : OPENAI_ANSWER };
}

async function openaiChat(plugin: Plugin, body: object, extra: Array<[string, string]> = []) {
  return plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", [["authorization", "Bearer client-key"], ...extra]), body: json(body) },
    upstream: (req) => answer(req.path),
  });
}

async function claudeCode(plugin: Plugin, body: object) {
  return plugin.exchange({
    request: { headers: requestHeaders("/v1/messages?beta=true", [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]]), body: json(body) },
    upstream: (req) => answer(req.path),
  });
}

function sent(r: { upstreamRequest: { body: Uint8Array } | null }): any {
  return JSON.parse(new TextDecoder().decode(r.upstreamRequest!.body));
}

test("one scope, three providers: the client's model picks the provider, each with its own conversion and key", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const gpt = await openaiChat(plugin, { model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
  assert.equal(gpt.status, 200);
  assert.equal(gpt.upstreamRequest!.authority, "api.openai.com");
  assert.equal(gpt.upstreamRequest!.path, "/v1/chat/completions");
  assert.equal(header(gpt.upstreamRequest!.headers, "authorization"), "Bearer sk-openai-key-1");
  assert.equal(sent(gpt).model, "gpt-4o");

  // An OpenAI client naming a Claude model reaches Anthropic in Anthropic's protocol and gets OpenAI's shape back.
  const claude = await openaiChat(plugin, { model: "claude-sonnet-4-5", messages: [{ role: "system", content: "be brief" }, { role: "user", content: "hi" }] });
  assert.equal(claude.status, 200);
  assert.equal(claude.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(claude.upstreamRequest!.path, "/v1/messages");
  assert.equal(header(claude.upstreamRequest!.headers, "x-api-key"), "sk-ant-key-1");
  assert.equal(header(claude.upstreamRequest!.headers, "authorization"), undefined, "the client's key never goes upstream");
  assert.deepEqual(sent(claude).system, "be brief");
  assert.equal(sent(claude).model, "claude-sonnet-4-5");
  assert.equal(JSON.parse(claude.bodyText).object, "chat.completion");

  // deepseek-* goes to DeepSeek with the route's model rewrite.
  const ds = await openaiChat(plugin, { model: "deepseek-v3", messages: [{ role: "user", content: "hi" }] });
  assert.equal(ds.upstreamRequest!.authority, "api.deepseek.com");
  assert.equal(ds.upstreamRequest!.path, "/chat/completions");
  assert.equal(header(ds.upstreamRequest!.headers, "authorization"), "Bearer sk-deepseek-key-1");
  assert.equal(sent(ds).model, "deepseek-chat");

  // An Anthropic client naming a GPT model is converted to OpenAI's protocol.
  const anth = await claudeCode(plugin, { model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: "hi" }] });
  assert.equal(anth.status, 200);
  assert.equal(anth.upstreamRequest!.authority, "api.openai.com");
  assert.equal(anth.upstreamRequest!.path, "/v1/chat/completions");
  assert.equal(sent(anth).max_completion_tokens, 100);
  assert.equal(JSON.parse(anth.bodyText).type, "message");

  // "provider/model" (the form Higress's model-router splits) names a provider of the scope directly.
  const prefixed = await openaiChat(plugin, { model: "deepseek/deepseek-reasoner", messages: [{ role: "user", content: "hi" }] });
  assert.equal(prefixed.upstreamRequest!.authority, "api.deepseek.com");
  assert.equal(sent(prefixed).model, "deepseek-reasoner");

  // The provider header (Higress model-router's addProviderHeader) chooses the provider; the model is kept.
  const byHeader = await openaiChat(plugin, { model: "some-model", messages: [{ role: "user", content: "hi" }] }, [["x-higress-llm-provider", "anthropic"]]);
  assert.equal(byHeader.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(sent(byHeader).model, "some-model");

  // No route and no default provider: 404 in the client's protocol, nothing upstream.
  const none = await openaiChat(plugin, { model: "llama-3", messages: [{ role: "user", content: "hi" }] });
  assert.equal(none.status, 404);
  assert.equal(none.upstreamRequest, null);
  assert.match(JSON.parse(none.bodyText).error.message, /model "llama-3" matches no route/);
  const broken = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: "{\"model\": \"gpt-4o\"" } });
  assert.equal(broken.status, 400);
  assert.equal(JSON.parse(broken.bodyText).error.message, "request body is not a JSON object");
  const noModel = await openaiChat(plugin, { messages: [{ role: "user", content: "hi" }] });
  assert.equal(noModel.status, 400);
  assert.equal(JSON.parse(noModel.bodyText).error.message, "model is required to choose a provider");
  const noneAnth = await claudeCode(plugin, { model: "llama-3", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
  assert.equal(noneAnth.status, 404);
  assert.equal(JSON.parse(noneAnth.bodyText).type, "error");
});

test("Claude Code's background, thinking, long-context and web-search requests reach their configured targets", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const msg = (extra: object) => ({ model: "claude-sonnet-4-5", max_tokens: 1000, messages: [{ role: "user", content: "hi" }], ...extra });
  const background = await claudeCode(plugin, msg({ model: "claude-haiku-4-5-20251001" }));
  assert.equal(background.upstreamRequest!.authority, "api.deepseek.com");
  assert.equal(background.upstreamRequest!.path, "/anthropic/v1/messages?beta=true", "DeepSeek's native Anthropic API, the query kept");
  assert.equal(sent(background).model, "deepseek-chat");

  const thinking = await claudeCode(plugin, msg({ thinking: { type: "enabled", budget_tokens: 500 } }));
  assert.equal(thinking.upstreamRequest!.authority, "api.deepseek.com");
  assert.equal(sent(thinking).model, "deepseek-reasoner");

  const disabled = await claudeCode(plugin, msg({ thinking: { type: "disabled" } }));
  assert.equal(disabled.upstreamRequest!.authority, "api.anthropic.com", "thinking disabled is not a thinking request");

  const long = await claudeCode(plugin, msg({ messages: [{ role: "user", content: "word ".repeat(5000) }] }));
  assert.equal(long.upstreamRequest!.authority, "api.openai.com");
  assert.equal(sent(long).model, "gpt-4.1");

  const search = await claudeCode(plugin, msg({ tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 3 }] }));
  assert.equal(search.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(sent(search).model, "claude-opus-4-1");

  const plain = await claudeCode(plugin, msg({}));
  assert.equal(plain.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(sent(plain).model, "claude-sonnet-4-5");
});

test("weights 3:1 over 4,000 requests split within ±5%, counted per route and target", async () => {
  const { vm, plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const hosts = new Map<string, number>();
  const started = Date.now();
  for (let i = 0; i < 4000; i++) {
    const r = await openaiChat(plugin, { model: "fast", messages: [{ role: "user", content: "hi" }] });
    assert.equal(r.status, 200);
    hosts.set(r.upstreamRequest!.authority, (hosts.get(r.upstreamRequest!.authority) ?? 0) + 1);
  }
  const share = (hosts.get("api.openai.com") ?? 0) / 4000;
  console.log(`# weighted 3:1 over 4,000 requests on the host: openai ${(share * 100).toFixed(1)}%, ${Date.now() - started} ms`);
  assert.ok(Math.abs(share - 0.75) <= 0.05, `openai share ${share}`);
  assert.equal((hosts.get("api.openai.com") ?? 0) + (hosts.get("api.deepseek.com") ?? 0), 4000);
  const m = vm.metrics();
  const get = (name: string) => m.get(name) ?? m.get(`wasmcustom.${name}`) ?? 0;
  assert.equal(get("ai_proxy.route.fast.openai.requests") + get("ai_proxy.route.fast.deepseek.requests"), 4000);
  assert.equal(get("ai_proxy.route.fast.openai.requests"), hosts.get("api.openai.com"));
});

test("the access log can name the route and the target (filter state wasm.ai_proxy.route / wasm.ai_proxy.target)", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const r = await openaiChat(plugin, { model: "deepseek-v3", messages: [{ role: "user", content: "hi" }] });
  const state = (k: string) => new TextDecoder().decode(r.stream.filterState.get(k) ?? new Uint8Array());
  assert.equal(state("ai_proxy.route"), "deepseek-_");
  assert.equal(state("ai_proxy.target"), "deepseek");
});

test("latency-aware balancing sends less traffic to a target whose time to first byte rose", async () => {
  let clock = 1_000_000_000_000n;
  const delayMs: Record<string, number> = { "api.openai.com": 20, "api.deepseek.com": 20 };
  const { plugin } = await startPlugin(ROUTED_CONFIG, { ...HOLD, now: () => clock });
  const run = async (n: number) => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = await plugin.exchange({
        request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "quick", messages: [{ role: "user", content: "hi" }] }) },
        upstream: (req) => {
          clock += BigInt(delayMs[req.authority] * 1_000_000);
          return answer(req.path);
        },
      });
      counts[r.upstreamRequest!.authority] = (counts[r.upstreamRequest!.authority] ?? 0) + 1;
    }
    return counts;
  };
  const before = await run(400);
  assert.ok((before["api.deepseek.com"] ?? 0) > 120 && before["api.deepseek.com"] < 280, `even split while equally fast: ${JSON.stringify(before)}`);
  delayMs["api.deepseek.com"] = 400;
  await run(100); // the moving average follows
  const after = await run(400);
  console.log(`# latency-aware: equal latency ${JSON.stringify(before)}; deepseek at 20x latency ${JSON.stringify(after)}`);
  assert.ok((after["api.deepseek.com"] ?? 0) < 40, `slow target's share fell: ${JSON.stringify(after)}`);
  // Recovered: once its average is older than 10 s it is measured afresh and takes its share again.
  delayMs["api.deepseek.com"] = 20;
  clock += 11_000_000_000n;
  const recovered = await run(400);
  assert.ok((recovered["api.deepseek.com"] ?? 0) > 120, `the recovered target's share came back: ${JSON.stringify(recovered)}`);
});

test("GET /v1/models lists the routable model names in the client's protocol", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const openai = await plugin.exchange({ request: { headers: requestHeaders("/v1/models", [], "GET") } });
  assert.equal(openai.status, 200);
  assert.equal(openai.upstreamRequest, null);
  assert.deepEqual(JSON.parse(openai.bodyText), {
    object: "list",
    data: [
      { id: "fast", object: "model", created: 0, owned_by: "openai" },
      { id: "quick", object: "model", created: 0, owned_by: "openai" },
    ],
  });
  const anth = await plugin.exchange({ request: { headers: requestHeaders("/v1/models", [["anthropic-version", "2023-06-01"]], "GET") } });
  assert.deepEqual(JSON.parse(anth.bodyText), {
    data: [
      { type: "model", id: "fast", display_name: "fast", created_at: "1970-01-01T00:00:00Z" },
      { type: "model", id: "quick", display_name: "quick", created_at: "1970-01-01T00:00:00Z" },
    ],
    has_more: false, first_id: "fast", last_id: "quick",
  });
});

test("without allowOnHeadersStopIteration, routing by the body is refused at configure time, naming the field", async () => {
  const { ProxyWasmHost } = await import("../../host");
  const { WASM } = await import("../support/plugin");
  const host = await ProxyWasmHost.load(WASM, {});
  const vm = await host.createVm();
  const cfg = { ...ROUTED_CONFIG, allowOnHeadersStopIteration: false };
  const p = vm.startPlugin({ configuration: JSON.stringify(cfg) });
  assert.equal(p.ok, false);
  assert.ok(vm.logs.some((l) => l.message.includes("routing.models: routing by the body's model needs the request body: set the top-level allowOnHeadersStopIteration")), vm.logs.map((l) => l.message).join("\n"));
  const traits = { ...ROUTED_CONFIG, allowOnHeadersStopIteration: false, routing: { ...ROUTED_CONFIG.routing, modelHeader: "x-higress-llm-model" } };
  const vm2 = await host.createVm();
  assert.equal(vm2.startPlugin({ configuration: JSON.stringify(traits) }).ok, false);
  assert.ok(vm2.logs.some((l) => l.message.includes("routing.rules[0].when.background") || l.message.includes("routing.rules[1].when.thinking: needs the request body")), vm2.logs.map((l) => l.message).join("\n"));
});

test("without holding headers, the model header a routing plugin ahead set (x-higress-llm-model) routes the request", async () => {
  const cfg = {
    providers: ROUTED_CONFIG.providers,
    routing: { modelHeader: "x-higress-llm-model", models: ROUTED_CONFIG.routing.models },
  };
  const { plugin } = await startPlugin(cfg, { allowOnHeadersStopIteration: false });
  const r = await openaiChat(plugin, { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] }, [["x-higress-llm-model", "claude-sonnet-4-5"]]);
  assert.equal(r.status, 200);
  assert.equal(r.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(r.upstreamRequest!.path, "/v1/messages");
  const missing = await openaiChat(plugin, { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] });
  assert.equal(missing.status, 400);
  assert.match(JSON.parse(missing.bodyText).error.message, /model is required to choose a provider/);
});

test("routing configuration errors name the field", async () => {
  const { ProxyWasmHost } = await import("../../host");
  const { WASM } = await import("../support/plugin");
  const host = await ProxyWasmHost.load(WASM, {});
  const refused = async (routing: object) => {
    const vm = await host.createVm();
    const p = vm.startPlugin({ configuration: JSON.stringify({ allowOnHeadersStopIteration: true, providers: ROUTED_CONFIG.providers, routing }) });
    assert.equal(p.ok, false);
    return vm.logs.map((l) => l.message).join("\n");
  };
  assert.match(await refused({ models: [{ match: "gpt-*", provider: "nope" }] }), /routing\.models\[0\]\.provider: no provider has id "nope"/);
  assert.match(await refused({ models: [{ match: "~gpt(", provider: "openai" }] }), /routing\.models\[0\]\.match: invalid regular expression/);
  assert.match(await refused({ models: [{ match: "x", targets: [{ provider: "openai", weight: 0 }] }] }), /routing\.models\[0\]: needs a target with a weight above 0/);
  assert.match(await refused({ models: [{ match: "x", provider: "openai", balance: "fastest" }] }), /routing\.models\[0\]\.balance: must be one of/);
  assert.match(await refused({ rules: [{ provider: "openai" }] }), /routing\.rules\[0\]\.when: is required/);
});

test("least-busy balancing sends requests to the target with fewer in flight, and releases them when they end", async () => {
  const cfg = {
    ...ROUTED_CONFIG,
    routing: { models: [{ match: "busy", balance: "least_busy", targets: [{ provider: "openai" }, { provider: "deepseek" }] }] },
  };
  const { plugin } = await startPlugin(cfg, HOLD);
  let release: () => void = () => {};
  const held = new Promise<void>((r) => { release = r; });
  let heldHost = "";
  const first = plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "busy", messages: [{ role: "user", content: "hi" }] }) },
    upstream: async (req) => {
      heldHost = req.authority;
      await held;
      return answer(req.path);
    },
  });
  while (heldHost === "") await new Promise((r) => setImmediate(r));
  const others: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await openaiChat(plugin, { model: "busy", messages: [{ role: "user", content: "hi" }] });
    others.push(r.upstreamRequest!.authority);
  }
  assert.ok(others.every((h) => h !== heldHost), `while ${heldHost} has one in flight, every request goes to the other: ${others}`);
  release();
  assert.equal((await first).status, 200);
  const after = new Set<string>();
  for (let i = 0; i < 40; i++) after.add((await openaiChat(plugin, { model: "busy", messages: [{ role: "user", content: "hi" }] })).upstreamRequest!.authority);
  assert.equal(after.size, 2, "once it ended, both targets take traffic again");
});

test("count_tokens is routed by its model too: answered locally for an OpenAI-protocol target, forwarded to Anthropic", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const count = (model: string) => plugin.exchange({
    request: { headers: requestHeaders("/v1/messages/count_tokens", [["anthropic-version", "2023-06-01"]]), body: json({ model, messages: [{ role: "user", content: "hello there" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: json({ input_tokens: 9 }) }),
  });
  const local = await count("gpt-4o");
  assert.equal(local.status, 200);
  assert.equal(local.upstreamRequest, null);
  assert.equal(header(local.headers, "x-ai-proxy-token-count"), "estimated");
  const forwarded = await count("claude-sonnet-4-5");
  assert.equal(forwarded.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(forwarded.upstreamRequest!.path, "/v1/messages/count_tokens");
  assert.deepEqual(JSON.parse(forwarded.bodyText), { input_tokens: 9 });
});

test("a streamed request routed by its model is converted as it streams", async () => {
  const { plugin } = await startPlugin(ROUTED_CONFIG, HOLD);
  const sse = [
    `event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}\n\n`,
    `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n`,
    `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n`,
    `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`,
    `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}\n\n`,
    `event: message_stop\ndata: {"type":"message_stop"}\n\n`,
  ];
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "claude-sonnet-4-5", stream: true, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: sse }),
  });
  assert.equal(r.upstreamRequest!.authority, "api.anthropic.com");
  assert.equal(sent(r).stream, true);
  const chunks = r.bodyText.split("\n\n").filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
  assert.equal(chunks[chunks.length - 1], "[DONE]");
  const text = chunks.slice(0, -1).map((c) => JSON.parse(c).choices?.[0]?.delta?.content ?? "").join("");
  assert.equal(text, "Hello");
  assert.ok(r.chunks.length >= 3, "the answer reached the client in pieces, not buffered whole");
});
