// Issue 15's findings on answers and requests that are not converted (OpenAI client → openai, Anthropic client →
// claude), and on compressed answers: same-protocol answers are cleaned like converted ones — keys redacted in SSE
// error events, a 2xx that is not JSON refused with 502, stray SSE lines dropped, every stream terminated — and
// same-protocol requests get the converters' shape checks. Expected bytes are the providers' documented formats.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as zlib from "node:zlib";
import { convertedStreamProblem, errorShapeProblem, HOST_OPTIONS, parseSse, start } from "../fuzz/harness";
import { header } from "../support/plugin";
import { ANTHROPIC_SSE, OPENAI_SSE, Proto, SSE } from "./streams";

const KEY: Record<Proto, string> = { openai: "sk-same-protocol-openai-key-0001", anthropic: "sk-ant-same-protocol-key-000002" };
const PROVIDER: Record<Proto, string> = { openai: "openai", anthropic: "claude" };
const PATH: Record<Proto, string> = { openai: "/v1/chat/completions", anthropic: "/v1/messages" };

function request(proto: Proto, body: object | string | Uint8Array, path = PATH[proto], method = "POST") {
  const h: Array<[string, string]> = [[":method", method], [":path", path], [":authority", "gateway.local"], ["content-type", "application/json"]];
  if (proto === "anthropic") h.push(["anthropic-version", "2023-06-01"]);
  return { headers: h, body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body) };
}
const chat = (proto: Proto, stream: boolean): object => proto === "openai"
  ? { model: "gpt-4o", stream, messages: [{ role: "user", content: "hi" }] }
  : { model: "claude-sonnet-4-5", max_tokens: 64, stream, messages: [{ role: "user", content: "hi" }] };

const sseHeaders: Array<[string, string]> = [["content-type", "text/event-stream"]];

async function vmFor(proto: Proto, extra: object = {}, held = false) {
  return start({ provider: { type: PROVIDER[proto], apiTokens: [KEY[proto]] }, ...(held ? { allowOnHeadersStopIteration: true } : {}), ...extra },
    held ? { ...HOST_OPTIONS, allowOnHeadersStopIteration: true } : HOST_OPTIONS);
}

for (const proto of ["openai", "anthropic"] as Proto[]) {
  describe(`same protocol: ${proto} client → ${PROVIDER[proto]}`, () => {
    test("an SSE error event echoing the provider key reaches the client redacted, and the stream ends well-formed", async () => {
      const { vm, plugin } = await vmFor(proto);
      const error = proto === "openai"
        ? `data: {"error":{"message":"Incorrect API key provided: ${KEY.openai}","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}\n\n`
        : `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded key=${KEY.anthropic}"}}\n\n`;
      const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body: SSE[proto].slice(0, 2).join("") + error }) });
      assert.equal(vm.trap, null);
      assert.ok(!r.bodyText.includes(KEY[proto]), r.bodyText);
      assert.match(r.bodyText, /\[REDACTED\]/);
      assert.equal(convertedStreamProblem(proto, r.bodyText), null, r.bodyText);
      const events = parseSse(r.bodyText).events;
      if (proto === "openai") {
        // The provider's error chunk (redacted), then the [DONE] it never sent.
        assert.deepEqual(events.slice(-2).map((e) => e.data), [`{"error":{"message":"Incorrect API key provided: [REDACTED]","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}`, "[DONE]"]);
      } else {
        assert.equal(events[events.length - 1].event, "error");
        assert.equal(events[events.length - 1].data, '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded key=[REDACTED]"}}');
      }
    });

    test("a 200 whose first event is an error ends there, redacted, in the client's protocol", async () => {
      const { plugin } = await vmFor(proto);
      const error = proto === "openai"
        ? `data: {"error":{"message":"boom ${KEY.openai}","type":"server_error"}}\n\n`
        : `event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom ${KEY.anthropic}"}}\n\n`;
      const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body: error + SSE[proto].join("") }) });
      assert.ok(!r.bodyText.includes(KEY[proto]), r.bodyText);
      assert.equal(convertedStreamProblem(proto, r.bodyText), null, r.bodyText);
      assert.ok(!r.bodyText.includes("Hello"), "nothing after the error event is forwarded");
    });

    test("stray lines and data that is not JSON are dropped; good events pass byte for byte", async () => {
      const { plugin } = await vmFor(proto);
      const s = SSE[proto].slice();
      s.splice(2, 0, "garbage line without a field\n\n", "data: not json at all\n\n", 'data: {"half":\n\n', ": keep-alive\n\n");
      const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body: s.join("") }) });
      const expected = SSE[proto].slice(0, 2).join("") + ": keep-alive\n\n" + SSE[proto].slice(2).join("");
      assert.equal(r.bodyText, expected);
    });

    test("an event carrying a stray line is rewritten with its fields only", async () => {
      const { plugin } = await vmFor(proto);
      const s = SSE[proto].slice();
      s[1] = "junk\n" + s[1];
      const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body: s.join("") }) });
      assert.equal(r.bodyText, SSE[proto].join(""));
    });

    if (proto === "openai") {
      test("a stream ending in an error chunk without [DONE] gets its [DONE]", async () => {
        const { plugin } = await vmFor(proto);
        const body = OPENAI_SSE.slice(0, 2).join("") + 'data: {"error":{"message":"server had an error","type":"server_error","param":null,"code":null}}\n\n';
        const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body }) });
        assert.equal(r.bodyText, body + "data: [DONE]\n\n");
      });
      test("a last [DONE] without its blank line still ends the stream (no error added)", async () => {
        const { plugin } = await vmFor(proto);
        const body = OPENAI_SSE.join("").slice(0, -1);
        const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body }) });
        assert.equal(r.bodyText, OPENAI_SSE.join(""));
      });
    }

    for (const tail of ["data: ", "event: content_block_delta\ndata: ", 'data: {"type":"content_block_stop","index":0', 'data: {"a":{"b":1}']) {
      test(`a stream cut right after ${JSON.stringify(tail)} ends with an error event, not with the cut tail`, async () => {
        const { plugin } = await vmFor(proto);
        const r = await plugin.exchange({ request: request(proto, chat(proto, true)), upstream: () => ({ status: 200, headers: sseHeaders, body: SSE[proto].slice(0, 2).join("") + tail }) });
        assert.equal(convertedStreamProblem(proto, r.bodyText), null, r.bodyText);
        assert.ok(r.bodyText.startsWith(SSE[proto].slice(0, 2).join("")), r.bodyText);
        const events = parseSse(r.bodyText).events;
        assert.equal(events.length, proto === "openai" ? 4 : 3, r.bodyText); // the two events, the error (and [DONE])
      });
    }

    test("a non-streamed request answered with a cut SSE stream gets a terminated stream", async () => {
      const { plugin } = await vmFor(proto);
      const cut = SSE[proto].slice(0, 3).join("").slice(0, -20);
      const r = await plugin.exchange({ request: request(proto, chat(proto, false)), upstream: () => ({ status: 200, headers: sseHeaders, body: cut }) });
      assert.equal(convertedStreamProblem(proto, r.bodyText), null, r.bodyText);
      const events = parseSse(r.bodyText).events;
      const last = events[events.length - 1];
      if (proto === "openai") assert.equal(last.data, "[DONE]");
      else assert.equal(last.event, "error");
    });

    for (const [name, body] of [["HTML", "<html><title>Login</title></html>"], ["truncated JSON", '{"id":"x","choi'], ["SSE in a JSON answer", SSE[proto].join("")]] as const) {
      test(`a 200 with ${name} → 502 in the client's protocol (headers held)`, async () => {
        const { vm, plugin } = await vmFor(proto, {}, true);
        const r = await plugin.exchange({ request: request(proto, chat(proto, false)), upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body }) });
        assert.equal(vm.trap, null);
        assert.equal(r.status, 502);
        assert.equal(errorShapeProblem(proto, r.bodyText), null, r.bodyText);
        assert.match(JSON.parse(r.bodyText).error.message, /not JSON/);
      });
    }

    test("a valid 200 passes byte for byte (key redacted if echoed)", async () => {
      const { plugin } = await vmFor(proto, {}, true);
      const body = proto === "openai"
        ? '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
        : '{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}';
      const r = await plugin.exchange({ request: request(proto, chat(proto, false)), upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body }) });
      assert.equal(r.status, 200);
      assert.equal(r.bodyText, body);
    });

    const wrong: Array<[string, unknown, RegExp]> = [["stream", "yes", /stream: must be a boolean/], ["tools", "x", /tools: must be an array/], ["model", null, /model: must be a string/], ["temperature", "hot", /temperature: must be a number/]];
    for (const [field, value, message] of wrong) {
      test(`${field}: ${JSON.stringify(value)} is refused with 400 naming the field, nothing upstream`, async () => {
        const { plugin } = await vmFor(proto);
        const b = chat(proto, false) as Record<string, unknown>;
        b[field] = value;
        const r = await plugin.exchange({ request: request(proto, b), upstream: () => ({ status: 200, headers: [], body: "{}" }) });
        assert.equal(r.status, 400);
        assert.equal(r.upstreamRequest, null);
        assert.equal(errorShapeProblem(proto, r.bodyText), null, r.bodyText);
        assert.match(JSON.parse(r.bodyText).error.message, message);
      });
    }

    test("a UTF-8 byte order mark is not forwarded (the rest of the body is, byte for byte)", async () => {
      const { plugin } = await vmFor(proto);
      const text = JSON.stringify(chat(proto, false));
      const body = new Uint8Array([0xEF, 0xBB, 0xBF, ...Buffer.from(text)]);
      const r = await plugin.exchange({ request: request(proto, body), upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: "{}" }) });
      assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), text);
    });
  });
}

describe("compressed answers", () => {
  for (const proto of ["openai", "anthropic"] as Proto[]) {
    for (const other of ["openai", "anthropic"] as Proto[]) {
      const provider = other === "openai" ? "openai" : "claude";
      test(`${proto} client → ${provider}: the upstream is asked for identity, and a gzip answer becomes a 502 in the client's protocol`, async () => {
        const { vm, plugin } = await start({ provider: { type: provider, apiTokens: [KEY[other]] } });
        for (const [status, text] of [[200, JSON.stringify({ id: "x", choices: [] })], [500, `{"error":{"message":"bad key ${KEY[other]}"}}`]] as const) {
          const h = request(proto, chat(proto, false));
          h.headers.push(["accept-encoding", "gzip, br"]);
          const r = await plugin.exchange({ request: h, upstream: () => ({ status, headers: [["content-type", "application/json"], ["content-encoding", "gzip"]], body: zlib.gzipSync(text) }) });
          assert.equal(header(r.upstreamRequest!.headers, "accept-encoding"), "identity");
          assert.equal(vm.trap, null);
          assert.equal(r.status, 502);
          assert.equal(header(r.headers, "content-encoding"), undefined);
          assert.equal(errorShapeProblem(proto, r.bodyText), null, r.bodyText);
          assert.match(JSON.parse(r.bodyText).error.message, /content-encoding gzip/);
        }
      });
    }
  }
  test("a bodiless compressed answer also becomes a 502 (local reply)", async () => {
    const { plugin } = await start({ provider: { type: "openai", apiTokens: [KEY.openai] } });
    const r = await plugin.exchange({ request: request("openai", chat("openai", false)), upstream: () => ({ status: 200, headers: [["content-encoding", "br"]], body: "" }) });
    assert.equal(r.status, 502);
    assert.equal(errorShapeProblem("openai", r.bodyText), null, r.bodyText);
  });
});

describe("count_tokens on an Anthropic provider", () => {
  test("a hostile body is refused before the provider, in Anthropic's error shape", async () => {
    const { plugin } = await vmFor("anthropic");
    for (const body of ['{"model":"claude-sonnet-4-5","model":"x","messages":[]}', "{\"messages\":", '{"model":"claude-sonnet-4-5","messages":"hi"}']) {
      const r = await plugin.exchange({ request: request("anthropic", body, "/v1/messages/count_tokens"), upstream: () => ({ status: 200, headers: [], body: '{"input_tokens":1}' }) });
      assert.equal(r.status, 400, body);
      assert.equal(r.upstreamRequest, null, body);
      assert.equal(errorShapeProblem("anthropic", r.bodyText), null, r.bodyText);
    }
  });
  test("an HTML error page becomes Anthropic error JSON; a good body goes through unchanged", async () => {
    const { plugin } = await vmFor("anthropic");
    const body = '{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}]}';
    const r = await plugin.exchange({ request: request("anthropic", body, "/v1/messages/count_tokens"), upstream: () => ({ status: 502, headers: [["content-type", "text/html"]], body: "<html><head><title>502 Bad Gateway</title></head></html>" }) });
    assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
    assert.equal(r.status, 502);
    assert.deepEqual(JSON.parse(r.bodyText), { type: "error", error: { type: "api_error", message: "upstream returned HTTP 502: 502 Bad Gateway" } });
  });
});

describe("untranslated APIs", () => {
  test("GET /v1/models: an error page becomes error JSON in the client's shape, the key redacted", async () => {
    const { plugin } = await vmFor("openai");
    const r = await plugin.exchange({
      request: { headers: [[":method", "GET"], [":path", "/v1/models"], [":authority", "gateway.local"]] },
      upstream: () => ({ status: 500, headers: [["content-type", "text/plain"]], body: `upstream failure for key ${KEY.openai}` }),
    });
    assert.equal(r.status, 500);
    assert.deepEqual(JSON.parse(r.bodyText), { error: { message: "upstream returned HTTP 500: upstream failure for key [REDACTED]", type: "server_error", param: null, code: null } });
  });
});
