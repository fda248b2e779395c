// exchange(): request normalization, chunking in both directions, stalls reported clearly.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Action, normalizeRequestHeaders } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

test("normalizeRequestHeaders: Host → :authority, pseudo-headers first, defaults, x-forwarded-proto, x-request-id, content-length", () => {
  const h = normalizeRequestHeaders([["Host", "api.example"], ["Content-Type", "application/json"]], "{}");
  assert.deepEqual(h.slice(0, 4), [[":authority", "api.example"], [":path", "/"], [":method", "POST"], [":scheme", "http"]]);
  assert.deepEqual(h[4], ["content-type", "application/json"]);
  assert.equal(h[5][0], "x-forwarded-proto");
  assert.equal(h[6][0], "x-request-id");
  assert.match(h[6][1], /^[0-9a-f-]{36}$/);
  assert.deepEqual(h[7], ["content-length", "2"]);
  assert.ok(!h.some(([k]) => k === "host"));
  // Given pseudo-headers and ids are kept; chunked bodies get no content-length; GET without body.
  const g = normalizeRequestHeaders([[":method", "PUT"], [":path", "/p"], [":authority", "a"], ["x-request-id", "r"]], ["a", "b"]);
  assert.deepEqual(g, [[":method", "PUT"], [":path", "/p"], [":authority", "a"], [":scheme", "http"], ["x-request-id", "r"], ["x-forwarded-proto", "http"]]);
  assert.equal(normalizeRequestHeaders([])[2][1], "GET");
});

test("chunks in both directions: one body callback per chunk, end_of_stream on the last", async () => {
  const shim = await Shim.create();
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({
    request: { headers: reqHeaders(), body: ["a", new Uint8Array([98]), "c"] },
    upstream: (req) => ({ status: 200, headers: [["X-Up", "1"]], body: [text(req.body), "-", "end"] }),
  });
  const req = shim.calls.filter((c) => c.cb === "request_body").map((c) => c.args.slice(1));
  const resp = shim.calls.filter((c) => c.cb === "response_body").map((c) => c.args.slice(1));
  assert.deepEqual(req, [[1, 0], [1, 0], [1, 1]]);
  assert.deepEqual(resp, [[3, 0], [1, 0], [3, 1]]);
  assert.deepEqual(shim.calls.find((c) => c.cb === "request_headers")!.args.slice(2), [0]);
  assert.deepEqual(r.chunks.map(text), ["abc", "-", "end"]);
  assert.deepEqual(r.headers, [[":status", "200"], ["x-up", "1"]]);
  assert.equal(r.bodyText, "abc-end");
  assert.equal(r.status, 200);
});

test("a body-less request has end_of_stream on headers and no body callback; an empty response body too", async () => {
  const shim = await Shim.create();
  const p = shim.vm.startPlugin({ configuration: "" });
  await p.exchange({ request: { headers: reqHeaders([], "/", "GET") }, upstream: () => ({ status: 204 }) });
  assert.deepEqual(shim.calls.filter((c) => c.cb.startsWith("re")).map((c) => [c.cb, c.args.slice(2)]), [
    ["request_headers", [1]],
    ["response_headers", [1]],
  ]);
});

test("a plugin that holds the stream forever makes exchange() fail with a clear message instead of hanging", async () => {
  const shim = await Shim.create();
  shim.on({ request_headers: () => Action.StopAllIterationAndWatermark });
  const p = shim.vm.startPlugin({ configuration: "" });
  await assert.rejects(p.exchange({ request: { headers: reqHeaders() } }), /exchange stalled waiting for the request to reach the upstream: .*request stopAllWatermark/);
});

test("an exchange waiting on a tick timer continues when the test ticks", async () => {
  const shim = await Shim.create();
  shim.on({
    request_headers: (abi) => (abi.setTickPeriod(100), Action.StopAllIterationAndWatermark),
    tick: (abi) => {
      abi.setEffectiveContext(2);
      abi.continueStream(0);
      abi.setTickPeriod(0);
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const pending = p.exchange({ request: { headers: reqHeaders() } });
  await shim.vm.tick(100);
  const r = await pending;
  assert.equal(r.status, 200);
  assert.notEqual(r.upstreamRequest, null);
});
