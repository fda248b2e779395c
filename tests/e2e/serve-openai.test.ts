// The gateway end to end with provider "openai", on both runtimes (`ai-proxy-wasm serve` and real Envoy): the real
// gateway process, a real HTTP upstream.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import OpenAI from "openai";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

/** An upstream that speaks OpenAI's wire format, records requests, and lets a test hold a stream open. */
class OpenAiUpstream {
  seen: Seen[] = [];
  /** Resolved by the test once the client has seen the first streamed bytes. */
  releaseStream: () => void = () => {};
  private held: Promise<void> = Promise.resolve();
  private server: TestUpstream | null = null;
  get url(): string { return this.server!.url; }

  holdStreamUntilReleased(): void {
    this.held = new Promise((r) => (this.releaseStream = r));
  }

  async start(): Promise<void> {
    this.server = await startUpstream((req, body, res) => this.handle(req, body, res));
  }

  close(): Promise<void> {
    return this.server!.close();
  }

  private async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): Promise<void> {
    this.seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    const json = JSON.parse(body);
    if (!json.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        id: "chatcmpl-e2e", object: "chat.completion", created: 1714807624, model: json.model,
        choices: [{ index: 0, message: { role: "assistant", content: "Hello from upstream" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
      }));
      return;
    }
    const chunk = (delta: object, finish: string | null) =>
      `data: ${JSON.stringify({ id: "chatcmpl-e2e", object: "chat.completion.chunk", created: 1714807624, model: json.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.write(chunk({ role: "assistant", content: "Hel" }, null));
    await this.held; // the client must get the first event while the upstream is still streaming
    res.write(chunk({ content: "lo" }, null));
    res.write(chunk({}, "stop"));
    res.end("data: [DONE]\n\n");
  }
}

const upstream = new OpenAiUpstream();
before(() => upstream.start());
after(() => upstream.close());

forEachRuntime((runtime: Runtime) => {
let gw: GatewayUnderTest;
before(async () => {
  gw = await startGateway(runtime,
    { provider: { type: "openai", apiTokens: ["sk-upstream-key"], modelMapping: { "gpt-4": "gpt-4o", "*": "gpt-4o-mini" } } },
    { "api.openai.com": upstream.url },
  );
});
after(() => gw?.stop());

test("non-streamed chat: Host rewritten, key injected, client key dropped, model mapped", async () => {
  upstream.seen = [];
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer client-key-must-not-leak" },
    body: JSON.stringify({ model: "gpt-4", messages: [{ role: "user", content: "Hi" }] }),
  });
  assert.equal(res.status, 200);
  const answer: any = await res.json();
  assert.equal(answer.choices[0].message.content, "Hello from upstream");
  const [seen] = upstream.seen;
  assert.equal(seen.url, "/v1/chat/completions");
  assert.equal(seen.headers.host, "api.openai.com");
  assert.equal(seen.headers.authorization, "Bearer sk-upstream-key");
  assert.ok(!JSON.stringify(seen.headers).includes("client-key-must-not-leak"));
  assert.equal(JSON.parse(seen.body).model, "gpt-4o");
});

test("streamed chat: the first event reaches the client before the upstream finishes", async () => {
  upstream.seen = [];
  upstream.holdStreamUntilReleased();
  const res = await fetch(`${gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer client-key" },
    body: JSON.stringify({ model: "o3", stream: true, messages: [{ role: "user", content: "Hi" }] }),
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const reader = res.body!.getReader();
  const first = await reader.read();
  const firstText = Buffer.from(first.value!).toString();
  assert.match(firstText, /"content":"Hel"/, "the first event arrived while the upstream still held its stream open");
  upstream.releaseStream();
  let rest = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += Buffer.from(value).toString();
  }
  assert.match(rest, /data: \[DONE\]/);
  assert.equal(JSON.parse(upstream.seen[0].body).model, "gpt-4o-mini");
});

test("the official openai SDK works through the gateway, streamed and not", async () => {
  const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });
  const done = await client.chat.completions.create({ model: "gpt-4", messages: [{ role: "user", content: "Hi" }] });
  assert.equal(done.choices[0].message.content, "Hello from upstream");
  const stream = await client.chat.completions.create({ model: "gpt-4", stream: true, messages: [{ role: "user", content: "Hi" }] });
  let text = "";
  for await (const part of stream) text += part.choices[0]?.delta?.content ?? "";
  assert.equal(text, "Hello");
});

test("the admin port serves the plugin's Prometheus metrics", async () => {
  const m = await gw.metrics();
  assert.ok(m.ai_proxy_openai_requests >= 3, JSON.stringify(m));
});
});
