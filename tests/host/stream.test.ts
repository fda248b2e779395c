// The Envoy stream state machine around the plugin: StopIteration switch, body buffering modes, local replies in
// each phase, buffer limits, close_stream.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Action, BufferType, MapType, Status } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

/** Plugin: header callback returns StopIteration; body callbacks record (size, eos, body) and return `bodyResult`. */
async function stopIterationRun(opts: { allowOnHeadersStopIteration?: boolean; abi?: "0_2_1" | "0_2_100" }) {
  const shim = await Shim.create(opts);
  const bodies: Array<[number, number, string]> = [];
  shim.on({
    request_headers: () => Action.StopIteration,
    request_body: (abi, _id, size, eos) => {
      bodies.push([size, eos, text(abi.getBuffer(BufferType.HttpRequestBody).bytes)]);
      if (!eos) return Action.StopIterationAndBuffer;
      abi.replaceHeader(MapType.RequestHeaders, "x-model-in-body", "seen"); // only works if headers are still held
      return Action.Continue;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const s = p.newStream();
  const hr = s.requestHeaders(reqHeaders(), false);
  const r1 = s.requestBody("ab", false);
  const r2 = s.requestBody("cd", false);
  const forwardedBeforeEnd = s.forwarded.headers;
  const r3 = s.requestBody("ef", true);
  return { shim, s, hr, results: [r1, r2, r3], bodies, forwardedBeforeEnd };
}

test("stock Envoy (ABI 0.2.1): StopIteration from headers = StopAllIterationAndWatermark — no body callbacks until continue", async () => {
  const { s, hr, results, bodies, forwardedBeforeEnd } = await stopIterationRun({});
  assert.equal(hr, Action.StopIteration);
  assert.deepEqual(results, [null, null, null]); // buffered by the host, plugin not called
  assert.deepEqual(bodies, []);
  assert.equal(forwardedBeforeEnd, null);
  assert.equal(s.forwarded.headers, null); // stalled until the plugin continues
  assert.equal(s.req.iteration, "stopAllWatermark");
});

test("stock Envoy: continue_stream after StopAll re-delivers everything buffered in ONE body callback", async () => {
  const shim = await Shim.create();
  const bodies: Array<[number, number, string]> = [];
  shim.on({
    request_headers: () => Action.StopIteration,
    request_body: (abi, _id, size, eos) => void bodies.push([size, eos, text(abi.getBuffer(BufferType.HttpRequestBody).bytes)]),
    tick: (abi) => {
      abi.setEffectiveContext(2);
      abi.continueStream(0);
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  p.setTickPeriod(10);
  const s = p.newStream();
  s.requestHeaders(reqHeaders(), false);
  s.requestBody("ab", false);
  s.requestBody("cd", true);
  assert.deepEqual(bodies, []);
  await shim.vm.tick(10);
  assert.deepEqual(bodies, [[4, 1, "abcd"]]);
  assert.equal(s.forwarded.endOfStream, true);
  assert.deepEqual(s.forwarded.chunks.map(text), ["abcd"]);
  assert.ok(s.forwarded.headers);
});

for (const [name, opts] of [
  ["allowOnHeadersStopIteration: true (Envoy ≥1.35)", { allowOnHeadersStopIteration: true }],
  ["a proxy_abi_version_0_2_100 module (Higress)", { abi: "0_2_100" as const }],
] as const) {
  test(`${name}: true StopIteration — body callbacks keep coming; Continue releases held headers + buffered body`, async () => {
    const { s, results, bodies, forwardedBeforeEnd } = await stopIterationRun(opts);
    assert.deepEqual(results, [Action.StopIterationAndBuffer, Action.StopIterationAndBuffer, Action.Continue]);
    // StopIterationAndBuffer: each callback sees the whole accumulated body.
    assert.deepEqual(bodies, [
      [2, 0, "ab"],
      [4, 0, "abcd"],
      [6, 1, "abcdef"],
    ]);
    assert.equal(forwardedBeforeEnd, null);
    assert.ok(s.forwarded.headers!.some(([k, v]) => k === "x-model-in-body" && v === "seen"));
    assert.deepEqual(s.forwarded.chunks.map(text), ["abcdef"]);
    assert.equal(s.forwarded.endOfStream, true);
  });
}

test("body modes: Watermark shows only the new chunk, NoBuffer drops the chunk, Continue releases what is held", async () => {
  const shim = await Shim.create();
  const seen: Array<[number, string]> = [];
  const plan = [Action.StopIterationAndWatermark, Action.StopIterationNoBuffer, Action.StopIterationAndWatermark, Action.Continue];
  shim.on({
    request_body: (abi, _id, size) => {
      seen.push([size, text(abi.getBuffer(BufferType.HttpRequestBody).bytes)]);
      return plan[seen.length - 1];
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: ["aa", "bb", "cc", "dd"] } });
  assert.deepEqual(seen, [
    [2, "aa"],
    [2, "bb"],
    [2, "cc"],
    [2, "dd"],
  ]);
  assert.equal(text(r.upstreamRequest!.body), "aaccdd");
});

test("set_buffer_bytes on a buffered body: the modified whole body is what goes upstream", async () => {
  const shim = await Shim.create();
  shim.on({
    request_headers: (abi) => void abi.removeHeader(MapType.RequestHeaders, "content-length"),
    request_body: (abi, _id, size, eos) => {
      if (!eos) return Action.StopIterationAndBuffer;
      assert.equal(abi.setBuffer(BufferType.HttpRequestBody, 0, size, `{"new":"${text(abi.getBuffer(BufferType.HttpRequestBody).bytes)}"}`), Status.Ok);
      return Action.Continue;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: ["x", "y", "z"] } });
  assert.equal(text(r.upstreamRequest!.body), '{"new":"xyz"}');
  assert.ok(!r.upstreamRequest!.headers.some(([k]) => k === "content-length"));
});

test("response body chunk by chunk: each upstream chunk is one callback and reaches the client as one write", async () => {
  const shim = await Shim.create();
  const sizes: Array<[number, number]> = [];
  shim.on({
    response_body: (abi, _id, size, eos) => {
      sizes.push([size, eos]);
      abi.setBuffer(BufferType.HttpResponseBody, 0, 0, "<");
      abi.setBuffer(BufferType.HttpResponseBody, 0xffffffff, 0, ">");
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["data: 1\n\n", "data: 2\n\n", ""] }) });
  assert.deepEqual(sizes, [
    [9, 0],
    [9, 0],
    [0, 1],
  ]);
  assert.deepEqual(r.chunks.map(text), ["<data: 1\n\n>", "<data: 2\n\n>", "<>"]);
});

test("buffer limit: StopIterationAndBuffer over the limit → 413 on request, 500 on response", async () => {
  const shim = await Shim.create({ bufferLimitBytes: 5 });
  shim.on({ request_body: () => Action.StopIterationAndBuffer });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: ["abc", "def", "ghi"] } });
  assert.equal(r.status, 413);
  assert.equal(r.bodyText, "Payload Too Large");
  assert.deepEqual(r.localReply, { status: 413, details: "request_payload_too_large" });
  assert.equal(r.upstreamRequest, null);

  // Response held (headers not sent yet) → 500; headers already sent downstream → reset.
  shim.on({ request_body: () => 0, response_headers: () => Action.StopAllIterationAndBuffer });
  const r2 = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["1234", "5678", "9"] }) });
  assert.equal(r2.status, 500);
  assert.equal(r2.bodyText, "Internal Server Error");
  assert.deepEqual(r2.localReply, { status: 500, details: "response_payload_too_large" });
  shim.on({ response_headers: () => 0, response_body: (_a, _id, _s, eos) => (eos ? 0 : Action.StopIterationAndBuffer) });
  const r3 = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["1234", "5678", "9"] }) });
  assert.equal(r3.status, 200);
  assert.equal(r3.reset, true);

  // StopAllIterationAndBuffer from headers: Envoy buffers without calling the plugin, with the same limit.
  shim.on({ request_headers: () => Action.StopAllIterationAndBuffer, request_body: () => 0 });
  const s = p.newStream();
  s.requestHeaders(reqHeaders(), false);
  s.requestBody("abcdef", true);
  assert.equal(s.localReply?.status, 413);
  // Watermark variants apply back-pressure instead: no 413.
  shim.on({ request_headers: () => Action.StopAllIterationAndWatermark });
  const s2 = p.newStream();
  s2.requestHeaders(reqHeaders(), false);
  s2.requestBody("abcdefghijkl", true);
  assert.equal(s2.localReply, null);
});

test("local reply from request headers: deferred, forced stop, details spaces → _, empty body strips content-length/type", async () => {
  const shim = await Shim.create();
  const order: string[] = [];
  shim.on({
    request_headers: (abi) => {
      abi.sendLocalResponse(401, "no key given", "", new Uint8Array([1, 0, 0, 0, 12, 0, 0, 0, 2, 0, 0, 0, ...Buffer.from("content-type\0ab\0")]));
      order.push("after-send");
      return Action.Continue; // ignored: a local reply forces a stop
    },
    response_headers: (abi, _id, n, eos) => {
      order.push(`response_headers eos=${eos}`);
      abi.addHeader(MapType.ResponseHeaders, "x-plugin", "saw-it");
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "never" }, upstream: () => assert.fail("no upstream") });
  assert.deepEqual(order, ["after-send", "response_headers eos=1"]);
  assert.equal(r.status, 401);
  assert.deepEqual(r.headers, [[":status", "401"], ["x-plugin", "saw-it"]]);
  assert.deepEqual(r.localReply, { status: 401, details: "no_key_given" });
  assert.equal(r.upstreamRequest, null);
  assert.equal(r.stream.responseCodeDetails, "no_key_given");
});

test("local reply in on_response_headers goes straight to the client (plugin not called again), upstream body dropped", async () => {
  const shim = await Shim.create();
  let responseHeaderCalls = 0;
  shim.on({
    response_headers: (abi) => {
      responseHeaderCalls++;
      abi.sendLocalResponse(502, "bad upstream", "sorry");
      return 0;
    },
    response_body: () => assert.fail("no body callback for a replaced response"),
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["a", "b"] }) });
  assert.equal(responseHeaderCalls, 1);
  assert.equal(r.status, 502);
  assert.equal(r.bodyText, "sorry");
  assert.deepEqual(r.headers, [[":status", "502"], ["content-length", "5"], ["content-type", "text/plain"]]);
  assert.notEqual(r.upstreamRequest, null);
});

test("local reply after response headers went downstream resets the stream; close_stream resets too", async () => {
  const shim = await Shim.create();
  shim.on({ response_body: (abi) => void abi.sendLocalResponse(500, "late", "x") });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["a", "b"] }) });
  assert.equal(r.reset, true);
  assert.equal(r.status, 200);
  assert.equal(r.bodyText, "");

  shim.on({ response_body: () => 0, request_headers: (abi) => void abi.closeStream(0) });
  const r2 = await p.exchange({ request: { headers: reqHeaders() } });
  assert.equal(r2.reset, true);
  assert.equal(r2.status, 0);
  assert.equal(r2.upstreamRequest, null);
  assert.equal(r2.stream.responseCodeDetails, "wasm_close_stream");
});

test("continue/close stream argument rules", async () => {
  const shim = await Shim.create();
  const seen: number[] = [];
  shim.on({
    request_headers: (abi) => {
      seen.push(abi.continueStream(3), abi.continueStream(2), abi.continueStream(9), abi.closeStream(3), abi.closeStream(7));
      return 0;
    },
    configure: (abi) => (seen.push(abi.continueStream(0), abi.sendLocalResponse(200, "", "")), 1),
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  await p.exchange({ request: { headers: reqHeaders() } });
  assert.deepEqual(seen, [Status.Ok, Status.Ok, Status.Unimplemented, Status.Ok, Status.BadArgument, Status.Unimplemented, Status.BadArgument]);
});

test("a local reply with a body goes through on_response_body too; HEAD gets no body", async () => {
  const shim = await Shim.create();
  const calls: string[] = [];
  shim.on({
    request_headers: (abi) => void abi.sendLocalResponse(429, "slow down", "too many"),
    response_headers: (_a, _id, _n, eos) => void calls.push(`headers eos=${eos}`),
    response_body: (abi, _id, size, eos) => void calls.push(`body ${size} eos=${eos} ${text(abi.getBuffer(BufferType.HttpResponseBody).bytes)}`),
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders() } });
  assert.deepEqual(calls, ["headers eos=0", "body 8 eos=1 too many"]);
  assert.equal(r.bodyText, "too many");
  calls.length = 0;
  const head = await p.exchange({ request: { headers: reqHeaders([], "/", "HEAD") } });
  assert.deepEqual(calls, ["headers eos=1"]);
  assert.equal(head.bodyText, "");
  assert.ok(head.headers.some(([k, v]) => k === "content-length" && v === "8"));
});

test("gRPC requests get a trailers-only local reply: :status 200, grpc-status, grpc-message, no body", async () => {
  const shim = await Shim.create();
  shim.on({ request_headers: (abi) => void abi.sendLocalResponse(403, "denied", "nope", undefined, 7) });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders([["content-type", "application/grpc"]]) } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.headers, [[":status", "200"], ["content-type", "application/grpc"], ["grpc-status", "7"], ["grpc-message", "nope"]]);
  assert.equal(r.bodyText, "");
  assert.deepEqual(r.localReply, { status: 403, details: "denied" });
});
