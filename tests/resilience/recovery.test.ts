// Retries, token failover and provider fallback through build/ai-proxy.wasm in the host. Callouts go to host
// cluster handlers named after the provider hosts; vm.tick() advances the VM clock for breakers and health checks.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterHandler, ClusterRequest, HostOptions, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, WASM } from "../support/plugin";

let vmSeq = 0;
/** Envoy's allow_on_headers_stop_iteration and the plugin's allowOnHeadersStopIteration, set together. */
async function startWith(allow: boolean, config: object, clusters: Record<string, ClusterHandler> = {}, opts: HostOptions = {}) {
  const host = await ProxyWasmHost.load(WASM, { clusters, allowOnHeadersStopIteration: allow, ...opts });
  const vmId = `resilience-${process.pid}-${++vmSeq}`;
  const vm = await host.createVm({ vmId });
  const plugin = vm.startPlugin({ configuration: { ...config, allowOnHeadersStopIteration: allow } });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  return { host, vm, plugin, vmId };
}

const okChat = (model = "gpt-4o") => json({
  id: "chatcmpl-ok", object: "chat.completion", created: 1, model,
  choices: [{ index: 0, message: { role: "assistant", content: "recovered" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
});
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const chatBody = json({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
const messagesBody = json({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] });
const bodyText = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());

for (const allow of [false, true]) describe(`allow_on_headers_stop_iteration: ${allow}`, () => {
  const start = (config: object, clusters: Record<string, ClusterHandler> = {}, opts: HostOptions = {}) => startWith(allow, config, clusters, opts);

  test("retryOnFailure: a 503 is retried with the other token and exactly the body sent upstream; the client never sees the 503", async () => {
    const seen: ClusterRequest[] = [];
    const { plugin } = await start(
      { provider: { type: "openai", apiTokens: ["sk-one", "sk-two"], retryOnFailure: { enabled: true, maxRetries: 2 } } },
      { "api.openai.com": (req) => { seen.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: okChat() }; } },
    );
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: messagesBody },
      upstream: () => ({ status: 503, headers: JSON_CT, body: json({ error: { message: "overloaded", type: "server_error" } }) }),
    });
    assert.equal(r.status, 200);
    const answer = JSON.parse(r.bodyText);
    assert.equal(answer.type, "message");
    assert.equal(answer.content[0].text, "recovered");
    assert.equal(header(r.headers, "x-ai-proxy-attempts"), "2");
    assert.equal(seen.length, 1);
    const first = r.upstreamRequest!;
    assert.equal(bodyText(seen[0].body), bodyText(first.body), "the retry re-sends the converted body, not the client's");
    assert.equal(header(seen[0].headers, ":path"), "/v1/chat/completions");
    const firstKey = header(first.headers, "authorization");
    const retryKey = header(seen[0].headers, "authorization");
    assert.notEqual(retryKey, firstKey, "a retry uses another token when there is one");
    assert.ok(["Bearer sk-one", "Bearer sk-two"].includes(retryKey!));
  });

  test("retryOnFailure: when every retry fails the client gets the last error in its own protocol", async () => {
    let calls = 0;
    const { plugin } = await start(
      { provider: { type: "openai", apiTokens: ["sk-one"], retryOnFailure: { enabled: true, maxRetries: 2, retryOnStatus: ["5.*"] } } },
      { "api.openai.com": () => { calls++; return { headers: [[":status", "502"], ...JSON_CT], body: json({ error: { message: "bad gateway " + calls } }) }; } },
    );
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: messagesBody },
      upstream: () => ({ status: 500, headers: JSON_CT, body: json({ error: { message: "boom" } }) }),
    });
    assert.equal(calls, 2);
    assert.equal(r.status, 502);
    const err = JSON.parse(r.bodyText);
    assert.equal(err.type, "error");
    assert.match(err.error.message, /bad gateway 2/);
    assert.equal(header(r.headers, "x-ai-proxy-attempts"), "3");
  });

  test("retryOnFailure: statuses outside retryOnStatus pass through untouched", async () => {
    let calls = 0;
    const { plugin } = await start(
      { provider: { type: "openai", apiTokens: ["sk-one"], retryOnFailure: { enabled: true, retryOnStatus: ["5.*"] } } },
      { "api.openai.com": () => { calls++; return { headers: [[":status", "200"]], body: okChat() }; } },
    );
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody },
      upstream: () => ({ status: 400, headers: JSON_CT, body: json({ error: { message: "bad request", type: "invalid_request_error" } }) }),
    });
    assert.equal(calls, 0);
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.bodyText).error.message, "bad request");
  });

  test("retryOnFailure on a streamed request: the recovered SSE answer is converted for the client", async () => {
    const sse = [
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"ok"},"finish_reason":null}]}\n\n`,
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n`,
      `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n`,
      `data: [DONE]\n\n`,
    ].join("");
    const { plugin } = await start(
      { provider: { type: "openai", apiTokens: ["a", "b"], retryOnFailure: { enabled: true } } },
      { "api.openai.com": () => ({ headers: [[":status", "200"], ["content-type", "text/event-stream"]], body: sse }) },
    );
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: json({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] }) },
      upstream: () => ({ status: 429, headers: JSON_CT, body: json({ error: { message: "slow down" } }) }),
    });
    assert.equal(r.status, 200);
    assert.equal(header(r.headers, "content-type"), "text/event-stream");
    assert.match(r.bodyText, /event: message_start/);
    assert.match(r.bodyText, /"text":"ok"/);
    assert.match(r.bodyText, /event: message_stop/);
  });

  test("failover: a token failing failureThreshold times leaves rotation; a health check puts it back", async () => {
    const checks: ClusterRequest[] = [];
    let healthy = false;
    const { vm, plugin } = await start(
      { provider: { type: "openai", apiTokens: ["sk-bad", "sk-good"], failover: { enabled: true, failureThreshold: 2, successThreshold: 1, healthCheckInterval: 1000, healthCheckModel: "gpt-4o-mini" } } },
      { "api.openai.com": (req) => { checks.push(req); return { headers: [[":status", healthy ? "200" : "401"], ...JSON_CT], body: healthy ? okChat() : "{}" }; } },
    );
    const used: string[] = [];
    const send = async () => {
      const r = await plugin.exchange({
        request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody },
        upstream: (req) => {
          const key = header(req.headers, "authorization")!;
          used.push(key);
          return key === "Bearer sk-bad" ? { status: 401, headers: JSON_CT, body: json({ error: { message: "invalid key" } }) } : { status: 200, headers: JSON_CT, body: okChat() };
        },
      });
      return r;
    };
    for (let i = 0; i < 40 && used.filter((k) => k === "Bearer sk-bad").length < 2; i++) await send();
    assert.equal(used.filter((k) => k === "Bearer sk-bad").length, 2, "the bad token was used twice");
    used.length = 0;
    for (let i = 0; i < 20; i++) await send();
    assert.deepEqual([...new Set(used)], ["Bearer sk-good"], "the failed token is out of rotation");

    await vm.tick(1000);
    assert.equal(checks.length, 1, "one health check for the one token out of rotation");
    assert.equal(header(checks[0].headers, "authorization"), "Bearer sk-bad");
    assert.equal(JSON.parse(bodyText(checks[0].body)).model, "gpt-4o-mini");
    healthy = true;
    await vm.tick(1000);
    assert.equal(checks.length, 2);
    used.length = 0;
    for (let i = 0; i < 40 && !used.includes("Bearer sk-bad"); i++) await send();
    assert.ok(used.includes("Bearer sk-bad"), "the token rejoined rotation after a successful health check");
    assert.ok(!vm.logs.some((l) => l.message.includes("sk-bad")), "logs name tokens by position, never by value");
  });

  test("failover: with every token out of rotation the client gets a clear 503 in its protocol", async () => {
    const { plugin } = await start(
      { provider: { type: "openai", apiTokens: ["sk-only"], failover: { enabled: true, failureThreshold: 1, healthCheckModel: "m" } } },
      { "api.openai.com": () => ({ headers: [[":status", "500"]] }) },
    );
    await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody }, upstream: () => ({ status: 500, headers: JSON_CT, body: "{}" }) });
    let called = false;
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: messagesBody },
      upstream: () => { called = true; return { status: 200 }; },
    });
    assert.equal(called, false);
    assert.equal(r.status, 503);
    const err = JSON.parse(r.bodyText);
    assert.equal(err.type, "error");
    assert.match(err.error.message, /no API token/);
    assert.ok(!r.bodyText.includes("sk-only"));
  });

  test("failover state is shared across VMs, and only one VM runs the health checks", async () => {
    const checks: string[] = [];
    const host = await ProxyWasmHost.load(WASM, { clusters: { "api.openai.com": (req) => { checks.push(req.cluster); return { headers: [[":status", "500"]] }; } } });
    const vmId = `resilience-shared-${process.pid}-${allow}`;
    const config = { provider: { type: "openai", apiTokens: ["sk-x", "sk-y"], failover: { enabled: true, failureThreshold: 1, healthCheckInterval: 500, healthCheckModel: "m" } } };
    const vm1 = await host.createVm({ vmId });
    const vm2 = await host.createVm({ vmId });
    const p1 = vm1.startPlugin({ configuration: config });
    const p2 = vm2.startPlugin({ configuration: config });
    // VM 1 sees sk-x fail once: out of rotation everywhere.
    for (let i = 0; i < 30; i++) {
      const r = await p1.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody }, upstream: (req) => ({ status: header(req.headers, "authorization") === "Bearer sk-x" ? 500 : 200, headers: JSON_CT, body: okChat() }) });
      if (r.status === 500) break;
    }
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await p2.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody }, upstream: (req) => { keys.add(header(req.headers, "authorization")!); return { status: 200, headers: JSON_CT, body: okChat() }; } });
      assert.equal(r.status, 200);
    }
    assert.deepEqual([...keys], ["Bearer sk-y"], "VM 2 learned from VM 1 through shared data");
    await vm1.tick(500);
    await vm2.tick(500);
    await vm1.tick(500);
    await vm2.tick(500);
    assert.equal(checks.length, 2, "two rounds, each run by the lease holder only");
  });

  const twoProviders = (fallbackExtra: object = {}) => ({
    providers: [
      { id: "primary", type: "openai", apiTokens: ["sk-openai"], modelMapping: { "*": "gpt-4o" } },
      { id: "backup", type: "claude", apiTokens: ["sk-ant"], modelMapping: { "*": "claude-sonnet-4-5" } },
    ],
    activeProviderId: "primary",
    fallback: { providers: ["backup"], consecutiveFailures: 2, coolDownMs: 10000, ...fallbackExtra },
  });

  const anthropicOk = json({
    id: "msg_01", type: "message", role: "assistant", model: "claude-sonnet-4-5",
    content: [{ type: "text", text: "from backup" }], stop_reason: "end_turn", stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: 2 },
  });

  test("fallback: a failed request is re-sent to the next provider, converted for its protocol and model mapping", async () => {
    const seen: ClusterRequest[] = [];
    const { plugin } = await start(twoProviders(), { "api.anthropic.com": (req) => { seen.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: anthropicOk }; } });
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions", [["authorization", "Bearer client"]]), body: chatBody },
      upstream: () => ({ status: 503, headers: JSON_CT, body: "{}" }),
    });
    assert.equal(r.status, 200);
    const answer = JSON.parse(r.bodyText);
    assert.equal(answer.object, "chat.completion");
    assert.equal(answer.choices[0].message.content, "from backup");
    assert.equal(seen.length, 1);
    assert.equal(header(seen[0].headers, ":path"), "/v1/messages");
    assert.equal(header(seen[0].headers, "x-api-key"), "sk-ant");
    assert.equal(header(seen[0].headers, "anthropic-version"), "2023-06-01");
    assert.equal(header(seen[0].headers, "authorization"), undefined);
    const sent = JSON.parse(bodyText(seen[0].body));
    assert.equal(sent.model, "claude-sonnet-4-5");
    assert.deepEqual(sent.messages, [{ role: "user", content: "hi" }]);
  });

  test("fallback: the fallback provider's own request edits apply (customSettings), as on its forwarded requests", async () => {
    const seen: ClusterRequest[] = [];
    const config = twoProviders();
    (config.providers[1] as Record<string, unknown>).customSettings = [{ name: "temperature", value: 0.2, overwrite: true }];
    const { plugin } = await start(config, { "api.anthropic.com": (req) => { seen.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: anthropicOk }; } });
    const r = await plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody },
      upstream: () => ({ status: 503, headers: JSON_CT, body: "{}" }),
    });
    assert.equal(r.status, 200);
    assert.equal(seen.length, 1);
    assert.equal(JSON.parse(bodyText(seen[0].body)).temperature, 0.2);
  });

  test("circuit breaker: a provider failing consecutiveFailures times is skipped for the cool-down, then comes back", async () => {
    const { vm, plugin } = await start(twoProviders(), { "api.anthropic.com": () => ({ headers: [[":status", "200"], ...JSON_CT], body: anthropicOk }) });
    let primaryUp = false;
    const send = () => plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody },
      upstream: (req) => (req.authority === "api.openai.com" && !primaryUp ? { status: 500, headers: JSON_CT, body: "{}" } : req.authority === "api.openai.com" ? { status: 200, headers: JSON_CT, body: okChat() } : { status: 200, headers: JSON_CT, body: anthropicOk }),
    });
    const first = await send();
    const second = await send();
    assert.equal(first.upstreamRequest!.authority, "api.openai.com");
    assert.equal(second.upstreamRequest!.authority, "api.openai.com");
    assert.equal(first.status, 200, "recovered by fallback");
    const third = await send();
    assert.equal(third.upstreamRequest!.authority, "api.anthropic.com", "the tripped provider is skipped");
    assert.equal(third.status, 200);
    assert.equal(JSON.parse(third.bodyText).choices[0].message.content, "from backup");
    primaryUp = true;
    await vm.tick(10001);
    const fourth = await send();
    assert.equal(fourth.upstreamRequest!.authority, "api.openai.com", "after the cool-down the primary is back");
    assert.equal(JSON.parse(fourth.bodyText).choices[0].message.content, "recovered");
  });

  test("circuit breaker: an error rate over the threshold in the window opens the breaker", async () => {
    const { plugin } = await start(twoProviders({ consecutiveFailures: 1000, minRequests: 10, errorRateThreshold: 0.2 }), { "api.anthropic.com": () => ({ headers: [[":status", "200"], ...JSON_CT], body: anthropicOk }) });
    let n = 0;
    const authorities: string[] = [];
    for (let i = 0; i < 14; i++) {
      const r = await plugin.exchange({
        request: { headers: requestHeaders("/v1/chat/completions"), body: chatBody },
        upstream: (req) => {
          authorities.push(req.authority);
          if (req.authority !== "api.openai.com") return { status: 200, headers: JSON_CT, body: anthropicOk };
          n++;
          return n % 3 === 0 ? { status: 503, headers: JSON_CT, body: "{}" } : { status: 200, headers: JSON_CT, body: okChat() };
        },
      });
      assert.equal(r.status, 200);
    }
    assert.ok(authorities.slice(0, 10).every((a) => a === "api.openai.com"));
    assert.ok(authorities.includes("api.anthropic.com"), "one failure in three (33% > 20%) over 10+ requests trips it");
  });
});

test("a retry to claude carries the client's own anthropic-version (claudeVersion not pinned), and a recovered answer still announces the fields left out", async () => {
  const seen: ClusterRequest[] = [];
  const okMessage = json({ id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "recovered" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } });
  const host = await ProxyWasmHost.load(WASM, { clusters: { "api.anthropic.com": (req) => { seen.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: okMessage }; } } });
  const vm = await host.createVm({ vmId: `resilience-version-${process.pid}` });
  const plugin = vm.startPlugin({ configuration: { provider: { type: "claude", apiTokens: ["sk-ant-one-0123456789"], retryOnFailure: { enabled: true, maxRetries: 1 } } } });
  assert.ok(plugin.ok);
  const overloaded = { status: 529, headers: JSON_CT, body: json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) };
  const anthropic = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2026-10-21"], ["anthropic-beta", "files-api-2025-04-14"]]), body: messagesBody },
    upstream: () => overloaded,
  });
  assert.equal(anthropic.status, 200);
  assert.equal(header(anthropic.upstreamRequest!.headers, "anthropic-version"), "2026-10-21");
  assert.equal(header(seen[0].headers, "anthropic-version"), "2026-10-21", "the retry speaks the client's API version");
  assert.equal(header(seen[0].headers, "anthropic-beta"), "files-api-2025-04-14");

  // `seed` has no Anthropic counterpart: left out and announced, on the recovered answer too.
  const openai = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "claude-sonnet-4-5", seed: 7, messages: [{ role: "user", content: "hi" }] }) },
    upstream: () => overloaded,
  });
  assert.equal(openai.status, 200);
  assert.equal(header(openai.headers, "x-ai-proxy-attempts"), "2");
  assert.equal(header(openai.headers, "x-ai-proxy-dropped-params"), "seed");
  assert.equal(header(seen[1].headers, "anthropic-version"), "2023-06-01", "an OpenAI client gets the configured version");
});
