// Broken upstreams (issue 5): whatever the provider sends, the client gets a well-formed error (status kept where
// meaningful) or a well-formed end of stream in its own protocol — for both client protocols, with and without
// protocol conversion — and the VM keeps serving.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { convertedStreamProblem, errorShapeProblem, parseSse, passthroughStreamProblem, start } from "../fuzz/harness";
import { ANTHROPIC_SSE, OPENAI_SSE, Proto, SSE } from "./streams";
import { header } from "../support/plugin";

const PATH: Record<Proto, string> = { openai: "/v1/chat/completions", anthropic: "/v1/messages" };
const enc = new TextEncoder();

function request(proto: Proto, stream: boolean) {
  const h: Array<[string, string]> = [[":method", "POST"], [":path", PATH[proto]], [":authority", "gateway.local"], ["content-type", "application/json"]];
  if (proto === "anthropic") h.push(["anthropic-version", "2023-06-01"]);
  const body = proto === "openai"
    ? { model: "gpt-4o", stream, messages: [{ role: "user", content: "hi" }] }
    : { model: "claude-sonnet-4-5", max_tokens: 64, stream, messages: [{ role: "user", content: "hi" }] };
  return { headers: h, body: JSON.stringify(body) };
}


interface ErrCase { name: string; status: number; headers: Array<[string, string]>; body: string | Uint8Array; message: RegExp; clientStatus?: Partial<Record<Proto, number>> }

const HTML502 = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
const ERRORS: ErrCase[] = [
  { name: "HTML 502 page", status: 502, headers: [["content-type", "text/html"]], body: HTML502, message: /502 Bad Gateway/ },
  { name: "HTML 403 page (a WAF)", status: 403, headers: [["content-type", "text/html"]], body: "<!DOCTYPE html><html><head><title>Access denied</title></head></html>", message: /Access denied/ },
  { name: "plain-text 500", status: 500, headers: [["content-type", "text/plain"]], body: "Internal Server Error", message: /Internal Server Error/ },
  { name: "truncated JSON 400", status: 400, headers: [["content-type", "application/json"]], body: '{"error":{"message":"bad req', message: /HTTP 400/ },
  { name: "invalid UTF-8 500", status: 500, headers: [["content-type", "text/plain"]], body: new Uint8Array([0x6f, 0x6f, 0x70, 0x73, 0x20, 0xff, 0xfe, 0xc0, 0x80]), message: /HTTP 500: oops/ },
  { name: "429 with a body", status: 429, headers: [["content-type", "application/json"], ["retry-after", "7"]], body: '{"error":{"message":"Rate limit reached","type":"rate_limit_error"}}', message: /Rate limit reached/ },
  { name: "429 without a body", status: 429, headers: [["retry-after", "7"]], body: "", message: /HTTP 429/ },
  { name: "500 without a body", status: 500, headers: [], body: "", message: /HTTP 500/ },
  { name: "502 without a body", status: 502, headers: [], body: "", message: /HTTP 502/ },
  { name: "503 with a body", status: 503, headers: [["content-type", "application/json"]], body: '{"message":"Service Unavailable"}', message: /Service Unavailable/ },
  { name: "504 without a body", status: 504, headers: [], body: "", message: /HTTP 504/ },
  { name: "529 overloaded", status: 529, headers: [["content-type", "application/json"]], body: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', message: /Overloaded/, clientStatus: { openai: 503 } },
  { name: "Google-style array error", status: 400, headers: [["content-type", "application/json"]], body: '[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]', message: /API key not valid/ },
];

interface StreamCase { name: string; body: (p: Proto) => string; end: "normal" | "error"; endSameProtocol?: "error" }
const STREAMS: StreamCase[] = [
  { name: "cut in the middle of an event", body: (p) => { const s = SSE[p].slice(0, 3).join(""); return s.slice(0, s.length - 25); }, end: "error" },
  { name: "cut after a whole event, before any finish", body: (p) => SSE[p].slice(0, 2).join(""), end: "error" },
  { name: "finished but no [DONE] / message_stop", body: (p) => SSE[p].slice(0, -1).join(""), end: "normal", endSameProtocol: "error" /* passed through: the gateway cannot vouch for it */ },
  { name: "unknown event types", body: (p) => { const s = SSE[p].slice(); s.splice(2, 0, "event: mystery_event\ndata: {\"type\":\"mystery_event\"}\n\n", ": comment\n\n", "event: ping\ndata: {\"type\":\"ping\"}\n\n"); return s.join(""); }, end: "normal" },
  { name: "data lines that are not JSON", body: (p) => { const s = SSE[p].slice(); s.splice(2, 0, "data: not json\n\n", "data: {\"half\":\n\n"); return s.join(""); }, end: "normal" },
  { name: "an error event mid-stream", body: (p) => SSE[p].slice(0, 2).join("") + (p === "anthropic" ? 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n' : 'data: {"error":{"message":"server had an error","type":"server_error"}}\n\n'), end: "error" },
];

const PAIRS: Array<[Proto, "openai" | "claude"]> = [["openai", "claude"], ["anthropic", "openai"], ["openai", "openai"], ["anthropic", "claude"]];

for (const [client, provider] of PAIRS) {
  const upstream: Proto = provider === "openai" ? "openai" : "anthropic";
  const converts = client !== upstream;
  describe(`broken upstreams: ${client} client, ${provider} provider${converts ? " (converted)" : " (same protocol)"}`, () => {
    for (const c of ERRORS) {
      for (const stream of [false, true]) {
        test(`${c.name}${stream ? " (streamed request)" : ""} → ${c.clientStatus?.[client] ?? c.status} error in the client's protocol`, async () => {
          const { vm, plugin } = await start({ provider: { type: provider, apiTokens: ["sk-broken-upstream-key"] } });
          const r = await plugin.exchange({ request: request(client, stream), upstream: () => ({ status: c.status, headers: c.headers, body: c.body }) });
          assert.equal(vm.trap, null);
          assert.equal(r.status, c.clientStatus?.[client] ?? c.status);
          assert.equal(header(r.headers, "content-type"), "application/json");
          assert.equal(errorShapeProblem(client, r.bodyText), null);
          assert.match(JSON.parse(r.bodyText).error.message, c.message);
          if (c.status === 429 && c.headers.some(([k]) => k === "retry-after")) assert.equal(header(r.headers, "retry-after"), "7");
        });
      }
    }

    for (const c of STREAMS) {
      for (const chunking of ["whole", "byte by byte"]) {
        const end = !converts && c.endSameProtocol ? c.endSameProtocol : c.end;
        test(`SSE ${c.name} (${chunking}) → ${end === "normal" ? "a normal end" : "an error event"} in the client's protocol`, async () => {
          const { vm, plugin } = await start({ provider: { type: provider, apiTokens: ["sk-broken-upstream-key"] } });
          const text = c.body(upstream);
          const bytes = enc.encode(text);
          const body = chunking === "whole" ? text : Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
          const r = await plugin.exchange({ request: request(client, true), upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body }) });
          assert.equal(vm.trap, null);
          assert.equal(r.status, 200);
          assert.equal(converts ? convertedStreamProblem(client, r.bodyText) : passthroughStreamProblem(client, r.bodyText), null, r.bodyText);
          const events = parseSse(r.bodyText).events;
          const last = events[events.length - 1];
          if (client === "anthropic") assert.equal(last.event, end === "normal" ? "message_stop" : "error", r.bodyText);
          else {
            const isError = (d: string) => { try { return JSON.parse(d).error != null; } catch { return false; } };
            // A same-protocol stream that carried the provider's own error chunk ends there, as the provider ended it.
            if (!(end === "error" && !converts && isError(last.data))) assert.equal(last.data, "[DONE]");
            assert.equal(events.some((e) => isError(e.data)), end === "error", r.bodyText);
          }
        });
      }
    }

    test("the VM keeps serving after every broken answer above", async () => {
      const { vm, plugin } = await start({ provider: { type: provider, apiTokens: ["sk-broken-upstream-key"] } });
      for (const c of ERRORS) await plugin.exchange({ request: request(client, false), upstream: () => ({ status: c.status, headers: c.headers, body: c.body }) });
      for (const c of STREAMS) await plugin.exchange({ request: request(client, true), upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: c.body(upstream) }) });
      const r = await plugin.exchange({ request: request(client, true), upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: SSE[upstream] }) });
      assert.equal(vm.trap, null);
      assert.equal(r.status, 200);
      const events = parseSse(r.bodyText).events;
      assert.equal(client === "anthropic" ? events[events.length - 1].event : events[events.length - 1].data, client === "anthropic" ? "message_stop" : "[DONE]");
    });
  });
}

describe("non-JSON 2xx answers to a converted request", () => {
  for (const [client, provider] of [["anthropic", "openai"], ["openai", "claude"]] as const) {
    for (const [name, body] of [["HTML", "<html><title>Login</title></html>"], ["truncated JSON", '{"id":"x","choi'], ["empty", ""]] as const) {
      test(`${client} client, ${provider} provider: 200 with ${name} → an error object in the client's protocol`, async () => {
        const { vm, plugin } = await start({ provider: { type: provider, apiTokens: ["sk-broken-upstream-key"] } });
        const r = await plugin.exchange({ request: request(client, false), upstream: () => ({ status: 200, headers: [["content-type", name === "HTML" ? "text/html" : "application/json"]], body }) });
        assert.equal(vm.trap, null);
        // Stock Envoy has already sent the 200 when the body turns out to be unusable: the body says what happened.
        assert.equal(errorShapeProblem(client, r.bodyText), null, r.bodyText);
        assert.match(JSON.parse(r.bodyText).error.message, /not JSON|no choices|no message|upstream/);
      });
    }
  }
});
