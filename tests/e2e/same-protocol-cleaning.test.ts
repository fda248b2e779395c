// Issue 15's same-protocol and content-encoding findings, end to end on both runtimes (the TypeScript host and real
// Envoy) and both header-stop settings: the upstream is asked for identity, a compressed answer becomes a 502 in the
// client's protocol, a same-protocol SSE error event never shows the key and the stream ends well-formed, a 200 that
// is not JSON is refused (502 where headers can be held), and wrong-type fields never reach the provider.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import * as zlib from "node:zlib";
import { convertedStreamProblem, errorShapeProblem } from "../fuzz/harness";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const KEY = "sk-ant-cleaning-e2e-key-0123456789";
type Reply = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let next: Reply = (_req, res) => res.end();
const seen: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
let upstream: TestUpstream;
before(async () => {
  upstream = await startUpstream((req, body, res) => {
    seen.push({ headers: req.headers, body });
    next(req, res);
  });
});
after(() => upstream.close());

const chat = (stream: boolean) => ({ model: "claude-sonnet-4-5", max_tokens: 64, stream, messages: [{ role: "user", content: "hi" }] });

async function post(g: GatewayUnderTest, body: object | string, extra: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(`${g.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", "x-api-key": "client-credential", "accept-encoding": "gzip", ...extra },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

forEachRuntime((runtime: Runtime) => {
  for (const allow of [true, false]) describe(`allow_on_headers_stop_iteration: ${allow}`, () => {
    let g: GatewayUnderTest;
    before(async () => {
      g = await startGateway(runtime, { provider: { type: "claude", apiTokens: [KEY] } }, { "api.anthropic.com": upstream.url }, { allowOnHeadersStopIteration: allow, routeTimeoutSeconds: 5 });
    });
    after(() => g.stop());

    test("identity is asked for; a gzip answer (with an echoed key inside) becomes a 502 in Anthropic's shape", async () => {
      next = (_req, res) => {
        res.writeHead(500, { "content-type": "application/json", "content-encoding": "gzip" });
        res.end(zlib.gzipSync(`{"type":"error","error":{"type":"api_error","message":"bad key ${KEY}"}}`));
      };
      seen.length = 0;
      const r = await post(g, chat(false));
      assert.equal(seen[0].headers["accept-encoding"], "identity");
      assert.equal(r.status, 502);
      assert.equal(r.headers.get("content-encoding"), null);
      assert.equal(errorShapeProblem("anthropic", r.text), null, r.text);
      assert.ok(!r.text.includes(KEY));
    });

    test("an SSE error event echoing the key reaches the client redacted, as the stream's last event", async () => {
      next = (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"usage":{"input_tokens":3,"output_tokens":1}}}\n\n');
        res.end(`event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded key=${KEY}"}}\n\ngarbage after the end\n\n`);
      };
      const r = await post(g, chat(true));
      assert.equal(r.status, 200);
      assert.ok(!r.text.includes(KEY), r.text);
      assert.equal(convertedStreamProblem("anthropic", r.text), null, r.text);
      assert.ok(r.text.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded key=[REDACTED]"}}\n\n'), r.text);
    });

    test(`a 200 that is not JSON → ${allow ? "502" : "an error object (stock Envoy has sent the 200)"} in Anthropic's shape`, async () => {
      next = (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id":"msg_1","type":"mess');
      };
      const r = await post(g, chat(false));
      assert.equal(r.status, allow ? 502 : 200);
      assert.equal(errorShapeProblem("anthropic", r.text), null, r.text);
    });

    test("count_tokens: a duplicate-key body is refused before the provider; an HTML error page becomes Anthropic error JSON", async () => {
      seen.length = 0;
      const dup = await fetch(`${g.url}/v1/messages/count_tokens`, { method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" }, body: '{"model":"claude-sonnet-4-5","model":"x","messages":[]}' });
      assert.equal(dup.status, 400);
      assert.equal(errorShapeProblem("anthropic", await dup.text()), null);
      assert.equal(seen.length, 0);
      next = (_req, res) => {
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
      };
      const body = '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}';
      const r = await fetch(`${g.url}/v1/messages/count_tokens`, { method: "POST", headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" }, body });
      assert.equal(seen[0].body, body);
      assert.equal(r.status, 502);
      assert.deepEqual(await r.json(), { type: "error", error: { type: "api_error", message: "upstream returned HTTP 502: 502 Bad Gateway" } });
    });

    test("a UTF-8 byte order mark before the JSON is not forwarded", async () => {
      next = (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}');
      };
      seen.length = 0;
      const r = await post(g, "\uFEFF" + JSON.stringify(chat(false)));
      assert.equal(r.status, 200);
      assert.equal(seen[0].body, JSON.stringify(chat(false)));
    });

    test("stream: \"yes\" is refused with 400 naming the field; nothing reaches the provider", async () => {
      seen.length = 0;
      const r = await post(g, { ...chat(false), stream: "yes" });
      assert.equal(r.status, 400);
      assert.match(JSON.parse(r.text).error.message, /stream: must be a boolean/);
      assert.equal(seen.length, 0);
    });
  });
});
