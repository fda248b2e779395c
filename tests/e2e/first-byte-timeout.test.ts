// firstByteTimeout (Higress ai-proxy) on both runtimes: a streamed request whose upstream does not start answering in
// time gets 504 in the client's protocol; a stream that started in time runs past the timeout undisturbed; a
// non-streamed request is not bounded by it. The plugin asks Envoy's router for it with
// x-envoy-upstream-rq-per-try-timeout-ms (plugin/first-byte-timeout.ts), which never reaches the upstream.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const TIMEOUT_MS = 400;
const chunk = (content: string, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`;

let upstream: TestUpstream;
const seen: http.IncomingHttpHeaders[] = [];
before(async () => {
  upstream = await startUpstream((req, body, res) => {
    seen.push(req.headers);
    const { stream, messages } = JSON.parse(body);
    const mode = messages[0].content as string;
    if (mode === "slow-start") {
      // The first byte comes well after the timeout.
      setTimeout(() => { res.writeHead(200, { "content-type": stream ? "text/event-stream" : "application/json" }); res.end(stream ? chunk("late", "stop") + "data: [DONE]\n\n" : JSON.stringify({ id: "c1", object: "chat.completion", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, message: { role: "assistant", content: "late" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } })); }, TIMEOUT_MS * 3);
      return;
    }
    // Starts at once, then keeps streaming for longer than the timeout.
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.write(chunk("one "));
    setTimeout(() => res.write(chunk("two ")), TIMEOUT_MS);
    setTimeout(() => res.end(chunk("three", "stop") + "data: [DONE]\n\n"), TIMEOUT_MS * 2);
  });
});
const gateways: GatewayUnderTest[] = [];
after(async () => {
  for (const g of gateways) await g.stop();
  await upstream.close();
});

forEachRuntime((runtime: Runtime) => {
  describe("firstByteTimeout", () => {
    let g: GatewayUnderTest;
    before(async () => {
      g = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-test"], firstByteTimeout: TIMEOUT_MS } }, { "api.openai.com": upstream.url });
      gateways.push(g);
    });
    const send = (content: string, stream: boolean) => fetch(`${g.url}/v1/chat/completions`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content }] }),
    });

    test("a stream whose upstream starts too late gets 504 in OpenAI's error format", async () => {
      const started = Date.now();
      const res = await send("slow-start", true);
      const text = await res.text();
      assert.equal(res.status, 504);
      assert.equal(JSON.parse(text).error.message, "upstream returned HTTP 504: upstream request timeout");
      assert.ok(Date.now() - started < TIMEOUT_MS * 3, "answered before the upstream's late first byte");
      assert.equal(seen.at(-1)!["x-envoy-upstream-rq-per-try-timeout-ms"], undefined, "the header is Envoy's, not the provider's");
    });

    test("a stream that started in time runs past the timeout", async () => {
      const res = await send("fast-start", true);
      const text = await res.text();
      assert.equal(res.status, 200);
      const content = text.split("\n\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? "").join("");
      assert.equal(content, "one two three");
      assert.ok(text.endsWith("data: [DONE]\n\n"));
    });

    test("a non-streamed request is not bounded by it", async () => {
      const res = await send("slow-start", false);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as any).choices[0].message.content, "late");
    });
  });
});
