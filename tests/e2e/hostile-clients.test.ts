// Hostile clients end to end on both runtimes (the TypeScript host's `serve` and real Envoy): every request of the
// hostile-client table (tests/hostile/client-cases.ts) gets its exact 4xx in the client's protocol with a message
// naming the problem, nothing reaches the provider, the client's credential is never forwarded, and the same
// gateway then serves a good request. The host replay of the same table is tests/hostile/clients.test.ts.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { errorShapeProblem } from "../fuzz/harness";
import { CASES, GOOD, PATH } from "../hostile/client-cases";
import type { Proto } from "../hostile/streams";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const KEYS = { openai: "sk-hostile-openai-0123456789", claude: "sk-ant-hostile-0123456789" };
const CLIENT_KEY = "client-own-key-0123456789";
let seen: { path: string; headers: http.IncomingHttpHeaders }[] = [];
let upstream: TestUpstream;

before(async () => {
  upstream = await startUpstream((req, _body, res) => {
    seen.push({ path: req.url!, headers: req.headers });
    const body = req.url!.includes("/v1/messages")
      ? { id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }
      : { id: "c1", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok", refusal: null }, logprobs: null, finish_reason: "stop" }] };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
});
after(() => upstream.close());

function clientHeaders(proto: Proto): Record<string, string> {
  return proto === "anthropic"
    ? { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": CLIENT_KEY }
    : { "content-type": "application/json", authorization: `Bearer ${CLIENT_KEY}` };
}

forEachRuntime((runtime: Runtime) => {
  for (const provider of ["openai", "claude"] as const) {
    describe(`hostile clients (provider ${provider})`, () => {
      let gw: GatewayUnderTest;
      before(async () => {
        gw = await startGateway(runtime, { provider: { type: provider, apiTokens: [KEYS[provider]] } }, { "api.openai.com": upstream.url, "api.anthropic.com": upstream.url });
      });
      after(() => gw?.stop());

      for (const proto of ["openai", "anthropic"] as const) {
        for (const c of CASES) {
          test(`${proto} client: ${c.name} → ${c.status}`, async () => {
            seen = [];
            const body = c.body[proto];
            const res = await fetch(`${gw.url}${PATH[proto]}`, { method: "POST", headers: clientHeaders(proto), body: body ?? undefined });
            const text = await res.text();
            assert.equal(res.status, c.status, text.slice(0, 300));
            assert.equal(errorShapeProblem(proto, text), null);
            const err = JSON.parse(text);
            assert.equal(err.error.type, "invalid_request_error");
            assert.match(err.error.message, c.message);
            assert.equal(seen.length, 0, "nothing reached the provider");
            // The same gateway keeps serving, and never forwards the client's credential.
            const good = await fetch(`${gw.url}${PATH[proto]}`, { method: "POST", headers: clientHeaders(proto), body: GOOD[proto] });
            assert.equal(good.status, 200, await good.text());
            assert.equal(seen.length, 1);
            assert.ok(!JSON.stringify(seen[0].headers).includes(CLIENT_KEY), "the client's key was forwarded");
          });
        }
      }
    });
  }
});
