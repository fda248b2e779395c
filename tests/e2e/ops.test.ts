// The operations layer end to end on both runtimes (real Envoy and the TypeScript host): virtual keys, budgets and
// limits (shared by Envoy's workers), the /anthropic base path, cost, tags and end users in the Prometheus output,
// latency histograms, redaction of personal data before the upstream, and the response cache.
import { after, before, beforeEach, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { forEachRuntime, GatewayUnderTest, Runtime, runtimes, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";
import { ROOT } from "../support/plugin";

const PROVIDER_KEY = "sk-ant-provider-secret-0123456789";
const ALICE = "vk-alice-0123456789";
const BOB = "vk-bob-0123456789"; // configured by its SHA-256 only
const BOB_SHA256 = "47a5d55eed7d36b02fe4c8948460ed436ca936dd51399aec350269aa3fd777b6";

type Seen = { path: string; headers: http.IncomingHttpHeaders; body: string };

/** An Anthropic upstream: every answer reports 10 input and 5 output tokens (15 per request). */
class AnthropicUpstream {
  seen: Seen[] = [];
  delayMs = 0;
  /** Answers the next request instead of the default answer. */
  custom: ((res: http.ServerResponse) => void) | null = null;
  private server: TestUpstream | null = null;
  get url(): string { return this.server!.url; }
  async start(): Promise<void> {
    this.server = await startUpstream((req, body, res) => {
      this.seen.push({ path: req.url!, headers: req.headers, body });
      const custom = this.custom;
      this.custom = null;
      const answer = () => (custom ? custom(res) : this.answer(body, res));
      if (this.delayMs > 0) setTimeout(answer, this.delayMs);
      else answer();
    });
  }
  close(): Promise<void> { return this.server!.close(); }
  private answer(body: string, res: http.ServerResponse): void {
    const req = JSON.parse(body || "{}") as { model?: string; stream?: boolean };
    const model = req.model ?? "claude-sonnet-4-5";
    if (req.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const ev = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
      res.write(ev("message_start", { type: "message_start", message: { id: "msg_s", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } } }));
      res.write(ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
      res.write(ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } }));
      res.write(ev("content_block_stop", { type: "content_block_stop", index: 0 }));
      res.write(ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 5 } }));
      res.end(ev("message_stop", { type: "message_stop" }));
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model, content: [{ type: "text", text: "Hello" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } }));
  }
}

const upstream = new AnthropicUpstream();
const gateways: GatewayUnderTest[] = [];
before(() => upstream.start());
beforeEach(() => {
  upstream.seen = [];
  upstream.delayMs = 0;
});
after(async () => {
  for (const g of gateways) await g.stop();
  await upstream.close();
});

function config(extra: object): object {
  return {
    provider: { type: "claude", apiTokens: [PROVIDER_KEY] },
    basePaths: ["/anthropic"],
    consumers: [
      { name: "alice", key: ALICE, models: ["claude-*"] },
      { name: "bob", keySha256: BOB_SHA256, budget: { tokens: 40, windowSeconds: 3600 } },
    ],
    tags: { headers: ["x-biz-type"], allowed: ["customer_service"], users: ["user-7"] },
    ...extra,
  };
}

async function messages(g: GatewayUnderTest, key: string | null, body: object, headers: Record<string, string> = {}, path = "/anthropic/v1/messages") {
  const h: Record<string, string> = { "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers };
  if (key !== null) h["x-api-key"] = key;
  const res = await fetch(`${g.url}${path}`, { method: "POST", headers: h, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const hello = (model = "claude-sonnet-4-5", extra: object = {}) => ({ model, max_tokens: 64, messages: [{ role: "user", content: "Hello" }], ...extra });

interface Sample { name: string; labels: Record<string, string>; value: number }

/** Prometheus text with labels kept. */
function samples(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line.trim());
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function sum(all: Sample[], name: string, labels: Record<string, string>): number {
  return all.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);
}

/** Envoy merges histograms on its stats flush (every 5 s): poll until `ready` holds. */
async function scrapeUntil(g: GatewayUnderTest, ready: (s: Sample[]) => boolean): Promise<Sample[]> {
  const path = g.runtime === "envoy" ? "/stats/prometheus" : "/metrics";
  let last: Sample[] = [];
  for (let i = 0; i < 40; i++) {
    last = samples(await (await fetch(`${g.adminUrl}${path}`)).text());
    if (ready(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

forEachRuntime((runtime: Runtime) => {
  for (const allow of [true, false]) describe(`allow_on_headers_stop_iteration: ${allow}`, () => {
  let g: GatewayUnderTest;
  before(async () => {
    g = await startGateway(runtime, config({ redaction: {}, cache: { maxEntries: 64, ttlSeconds: 60 } }), { "api.anthropic.com": upstream.url }, { concurrency: 2, allowOnHeadersStopIteration: allow });
    gateways.push(g);
  });

  describe("virtual keys", () => {
    test("a configured key is admitted on /anthropic/v1/messages; the upstream sees the provider key, never the virtual key", async () => {
      const r = await messages(g, ALICE, hello());
      assert.equal(r.status, 200, r.text);
      assert.equal(JSON.parse(r.text).content[0].text, "Hello");
      assert.equal(upstream.seen.length, 1);
      assert.equal(upstream.seen[0].path, "/v1/messages");
      assert.equal(upstream.seen[0].headers["x-api-key"], PROVIDER_KEY);
      assert.ok(!JSON.stringify(upstream.seen[0].headers).includes(ALICE));
    });

    test("Authorization: Bearer carries a key too (the key given as its SHA-256)", async () => {
      const r = await messages(g, null, hello(), { authorization: `Bearer ${BOB}` });
      assert.equal(r.status, 200, r.text);
    });

    test("an unknown key and a missing key get 401 in Anthropic's error shape; nothing reaches the upstream", async () => {
      for (const key of ["vk-unknown-0123456789", null]) {
        const r = await messages(g, key, hello());
        assert.equal(r.status, 401, r.text);
        const e = JSON.parse(r.text);
        assert.equal(e.type, "error");
        assert.equal(e.error.type, "authentication_error");
      }
      assert.equal(upstream.seen.length, 0);
      assert.ok(!g.output().includes("vk-unknown-0123456789"), "the key is not logged");
    });

    test("a model outside the consumer's patterns gets 403", async () => {
      const r = await messages(g, ALICE, hello("gpt-4o"));
      assert.equal(r.status, 403, r.text);
      assert.equal(JSON.parse(r.text).error.type, "permission_error");
      assert.equal(upstream.seen.length, 0);
    });

    test("an OpenAI client without a key gets 401 in OpenAI's error shape", async () => {
      const res = await fetch(`${g.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] }) });
      assert.equal(res.status, 401);
      const e = await res.json() as { error: { message: string } };
      assert.ok(e.error.message.includes("API key"));
    });
  });

  describe("budgets", () => {
    test("a spent token budget gets 429 with retry-after", async () => {
      // bob's budget: 40 tokens per hour; each answer reports 15. The Bearer test above spent 15.
      const first = await messages(g, BOB, hello());
      assert.equal(first.status, 200, first.text); // 15 spent before: 30 after
      const second = await messages(g, BOB, hello());
      assert.equal(second.status, 200, second.text); // 45 after: over
      const third = await messages(g, BOB, hello());
      assert.equal(third.status, 429, third.text);
      assert.equal(JSON.parse(third.text).error.type, "rate_limit_error");
      const after = Number(third.headers.get("retry-after"));
      assert.ok(after >= 1 && after <= 3600, String(after));
    });
  });

  describe("cost, tags and latency in the Prometheus output", () => {
    test("per consumer × tag: requests, tokens, cost; per end user: cost; histograms of latency and TTFT", async () => {
      const body = hello("claude-sonnet-4-5", { metadata: { user_id: "user-7" }, litellm_metadata: { tags: ["ignored-when-header-set"], user: "user-7" } });
      for (const stream of [false, true]) {
        const r = await messages(g, ALICE, { ...body, stream }, { "x-biz-type": "customer_service" });
        assert.equal(r.status, 200, r.text);
      }
      // litellm_metadata never reaches the provider (it refuses unknown fields); metadata.user_id does.
      for (const s of upstream.seen) {
        const sent = JSON.parse(s.body);
        assert.equal(sent.litellm_metadata, undefined);
        assert.deepEqual(sent.metadata, { user_id: "user-7" });
      }
      const labels = { provider: "claude", model: "claude-sonnet-4-5", consumer: "alice", tag: "customer_service" };
      const all = await scrapeUntil(g, (s) => sum(s, "ai_proxy_latency_ms_count", labels) >= 2 && sum(s, "ai_proxy_ttft_ms_count", labels) >= 2);
      assert.equal(sum(all, "ai_proxy_requests", labels), 2);
      assert.equal(sum(all, "ai_proxy_responses_2xx", labels), 2);
      assert.equal(sum(all, "ai_proxy_input_tokens", labels), 20);
      assert.equal(sum(all, "ai_proxy_output_tokens", labels), 10);
      // claude-sonnet-4-5: $3 / $15 per million input / output tokens → 10 × 3 + 5 × 15 = 105 micro-USD a request.
      assert.equal(sum(all, "ai_proxy_cost_micro_usd", labels), 210);
      assert.equal(sum(all, "ai_proxy_cost_micro_usd", { user: "user-7" }), 210);
      assert.equal(sum(all, "ai_proxy_latency_ms_count", labels), 2);
      assert.equal(sum(all, "ai_proxy_ttft_ms_count", labels), 2);
      assert.equal(sum(all, "ai_proxy_latency_ms_bucket", { ...labels, le: "+Inf" }), 2);
      // Refusals are counted under the consumer they came from (none for an unknown key).
      assert.ok(sum(all, "ai_proxy_responses_4xx", { consumer: "none" }) >= 2);
      // No key in any metric.
      const text = JSON.stringify(all);
      for (const secret of [ALICE, BOB, PROVIDER_KEY]) assert.ok(!text.includes(secret));
    });
  });

  test("every metric the Grafana dashboard (deploy/grafana) queries is in the Prometheus output", async () => {
    const dashboard = fs.readFileSync(path.join(ROOT, "deploy", "grafana", "ai-proxy-dashboard.json"), "utf8");
    const wanted = new Set([...dashboard.matchAll(/\b(ai_proxy_[a-z0-9_]+)/g)].map((m) => m[1]));
    assert.ok(wanted.size >= 8, [...wanted].join(","));
    const names = new Set((await scrapeUntil(g, (s) => s.some((x) => x.name === "ai_proxy_latency_ms_bucket"))).map((x) => x.name));
    for (const n of wanted) assert.ok(names.has(n), `${n} is not exported`);
  });

  describe("redaction", () => {
    test("an ID number and a card number are redacted upstream; a number matching neither is left alone", async () => {
      const text = "ID 11010519491231002X, card 4111 1111 1111 1111, order 123456789012345678, mail li.lei@example.com, 手机 13812345678.";
      const r = await messages(g, ALICE, { model: "claude-sonnet-4-5", max_tokens: 64, system: "Card on file: 4111111111111111", messages: [{ role: "user", content: [{ type: "text", text }] }] });
      assert.equal(r.status, 200, r.text);
      const sent = JSON.parse(upstream.seen[0].body);
      assert.equal(sent.messages[0].content[0].text, "ID [REDACTED], card [REDACTED], order 123456789012345678, mail [REDACTED], 手机 [REDACTED].");
      assert.equal(sent.system, "Card on file: [REDACTED]");
    });
  });

  describe("redaction of answers", () => {
    let gr: GatewayUnderTest;
    before(async () => {
      gr = await startGateway(runtime, config({ redaction: { responses: true, builtins: ["bank_card", "email"] } }), { "api.anthropic.com": upstream.url }, { allowOnHeadersStopIteration: allow });
      gateways.push(gr);
    });
    test("a card number cut between two network reads of a stream is still redacted", async () => {
      upstream.custom = (res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        const ev = (name: string, data: object) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
        res.write(ev("message_start", { type: "message_start", message: { id: "msg_r", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1 } } }) +
          ev("content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }));
        const delta = ev("content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Your card 4111 1111 1111 1111 is on file; order 1234567890123456." } });
        const cut = delta.indexOf("1111 1111 1111") + 7;
        res.write(delta.slice(0, cut));
        setTimeout(() => {
          res.write(delta.slice(cut));
          res.end(ev("content_block_stop", { type: "content_block_stop", index: 0 }) +
            ev("message_delta", { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } }) +
            ev("message_stop", { type: "message_stop" }));
        }, 50);
      };
      const r = await messages(gr, ALICE, hello("claude-sonnet-4-5", { stream: true }));
      assert.equal(r.status, 200, r.text);
      const text = r.text.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6)))
        .filter((d) => d.type === "content_block_delta").map((d) => d.delta.text).join("");
      assert.equal(text, "Your card [REDACTED] is on file; order 1234567890123456.");
      assert.ok(r.text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n'));
    });
    test("a whole answer is redacted with its content-length exact", async () => {
      upstream.custom = (res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: "msg_w", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "Write to li.lei@example.com" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 3, output_tokens: 6 } }));
      };
      const r = await messages(gr, ALICE, hello());
      assert.equal(r.status, 200, r.text);
      assert.equal(JSON.parse(r.text).content[0].text, "Write to [REDACTED]");
      const length = r.headers.get("content-length");
      if (length !== null) assert.equal(Number(length), Buffer.byteLength(r.text));
    });
  });

  describe("response cache", () => {
    for (const stream of [false, true]) {
      test(`a cacheable request (temperature 0) is answered from the cache the second time${stream ? ", streamed" : ""}`, async () => {
        const body = hello("claude-sonnet-4-5", { temperature: 0, stream, messages: [{ role: "user", content: `cache me ${stream}` }] });
        const first = await messages(g, ALICE, body);
        assert.equal(first.status, 200, first.text);
        assert.equal(first.headers.get("x-ai-proxy-cache"), "miss");
        assert.equal(upstream.seen.length, 1);
        // Member order and whitespace do not matter.
        const reordered = { messages: body.messages, stream, temperature: 0, max_tokens: 64, model: "claude-sonnet-4-5" };
        const second = await messages(g, ALICE, reordered);
        assert.equal(second.status, 200, second.text);
        assert.equal(second.headers.get("x-ai-proxy-cache"), "hit");
        assert.equal(second.text, first.text);
        assert.equal(second.headers.get("content-type"), stream ? "text/event-stream" : "application/json");
        assert.equal(upstream.seen.length, 1, "the hit never reached the upstream");
        // Not cacheable: temperature other than 0.
        const warm = await messages(g, ALICE, { ...body, temperature: 0.7 });
        assert.equal(warm.status, 200);
        assert.equal(warm.headers.get("x-ai-proxy-cache"), null);
        assert.equal(upstream.seen.length, 2);
      });
    }
  });
  });
});

forEachRuntime((runtime: Runtime) => {
  describe("limits under concurrent load (2 Envoy workers)", () => {
    test("requests per minute: exactly the limit is admitted; a token budget is overshot by at most (C − 1) requests", async () => {
      const g = await startGateway(runtime, {
        provider: { type: "claude", apiTokens: [PROVIDER_KEY] },
        consumers: [
          { name: "rpm", key: "vk-rpm-0123456789", limits: { requestsPerMinute: 10 } },
          { name: "budget", key: "vk-budget-0123456789", budget: { tokens: 100 } },
        ],
      }, { "api.anthropic.com": upstream.url }, { concurrency: 2 });
      gateways.push(g);
      upstream.delayMs = 30;
      const burst = async (key: string, total: number, concurrency: number) => {
        const statuses: number[] = [];
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            statuses.push((await messages(g, key, hello(), {}, "/v1/messages")).status);
          }
        }));
        return statuses;
      };
      // A minute boundary between the requests would reset the count: retry once if one fell inside it.
      let rpm = await burst("vk-rpm-0123456789", 30, 10);
      if (rpm.filter((s) => s === 200).length > 10) rpm = await burst("vk-rpm-0123456789", 30, 10);
      assert.equal(rpm.filter((s) => s === 200).length, 10, JSON.stringify(rpm));
      assert.equal(rpm.filter((s) => s === 429).length, 20);
      // Budget 100 tokens, 15 per request: 7 requests sequentially (the 7th crosses it); with C = 8 in flight at
      // most 7 more are admitted before the spending is known (README, Operations: the bound).
      const budget = await burst("vk-budget-0123456789", 40, 8);
      const admitted = budget.filter((s) => s === 200).length;
      assert.ok(admitted >= 7 && admitted <= 7 + 8 - 1, `${admitted} admitted: ${JSON.stringify(budget)}`);
      assert.equal(budget.filter((s) => s === 429).length, 40 - admitted);
    });
  });
});

describe("[envoy] access log", { skip: !runtimes().includes("envoy") && "Envoy is not provisioned" }, () => {
  test("model, consumer, tag, end user, tokens and cost reach Envoy's access log (filter state wasm.ai_proxy.*)", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ai-proxy-ops-")), "access.log");
    const g = await startGateway("envoy", config({}), { "api.anthropic.com": upstream.url }, { accessLogPath: file });
    gateways.push(g);
    const r = await messages(g, ALICE, hello("claude-sonnet-4-5", { metadata: { user_id: "user-7" } }), { "x-biz-type": "customer_service" });
    assert.equal(r.status, 200, r.text);
    let log = "";
    for (let i = 0; i < 50 && !log.includes("cost_usd="); i++) {
      await new Promise((res) => setTimeout(res, 100));
      log = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    }
    assert.match(log, /"POST \/v1\/messages" 200 \d+ms model=claude-sonnet-4-5 consumer=alice tag=customer_service user=user-7 input_tokens=10 output_tokens=5 cost_usd=0\.000105 cache=-/);
    assert.ok(!log.includes(ALICE) && !log.includes(PROVIDER_KEY));
  });
});
