// proxy_http_call: argument checks, tokens, delivery to the root context, resuming a stream, timeouts, resets.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Action, BufferType, MapType, Status, serializePairs, parsePairs, type ClusterRequest } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

const callHeaders = serializePairs([[":method", "POST"], [":path", "/check"], [":authority", "auth.local"], ["x-h", "1"]]);

test("argument checks: unknown cluster, missing :path/:method/:authority, malformed headers, negative timeout → BadArgument", async () => {
  const shim = await Shim.create({ clusters: { auth: () => ({ headers: [] }) } });
  const seen: number[] = [];
  shim.on({
    configure: (abi) => {
      seen.push(abi.httpCall("nope", callHeaders).status);
      seen.push(abi.httpCall("auth", serializePairs([[":method", "GET"], [":path", "/"]])).status);
      seen.push(abi.httpCall("auth", serializePairs([[":authority", "a"], [":path", "/"]])).status);
      seen.push(abi.httpCall("auth", serializePairs([[":authority", "a"], [":method", "GET"]])).status);
      seen.push(abi.httpCall("auth", new Uint8Array([9, 9, 9])).status);
      seen.push(abi.httpCall("auth", callHeaders, "", new Uint8Array(0), -1).status);
      return 1;
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual(seen, Array(6).fill(Status.BadArgument));
});

test("tokens start at 4 and step by 4; the answer arrives later on the root context; body gets content-length", async () => {
  const got: ClusterRequest[] = [];
  const shim = await Shim.create({
    clusters: {
      auth: async (req) => {
        got.push(req);
        return { status: 202, headers: [["x-answer", "yes"]], body: "granted", trailers: [["t", "1"]] };
      },
    },
  });
  const tokens: number[] = [];
  const answers: unknown[] = [];
  shim.on({
    configure: (abi) => {
      tokens.push(abi.httpCall("auth", callHeaders, "payload").token, abi.httpCall("auth", callHeaders).token);
      assert.deepEqual(answers, []); // never delivered inside proxy_http_call
      return 1;
    },
    http_call_response: (abi, root, token, nh, size, nt) => {
      answers.push({
        root,
        token,
        nh,
        size,
        nt,
        headers: parsePairs(abi.getPairs(MapType.HttpCallResponseHeaders).bytes),
        status: abi.getHeader(MapType.HttpCallResponseHeaders, ":status").text,
        body: text(abi.getBuffer(BufferType.HttpCallResponseBody).bytes),
        trailer: abi.getHeader(MapType.HttpCallResponseTrailers, "t").text,
        write: abi.addHeader(MapType.HttpCallResponseHeaders, "a", "b"),
        setBody: abi.setBuffer(BufferType.HttpCallResponseBody, 0, 0, "x"),
        size6: abi.headerMapSize(MapType.HttpCallResponseHeaders).status,
        getStatus: abi.getStatus().code,
      });
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual(tokens, [4, 8]);
  await shim.vm.tick(0);
  assert.equal(answers.length, 2);
  assert.deepEqual(answers[0], {
    root: 1,
    token: 4,
    nh: 2,
    size: 7,
    nt: 1,
    headers: [[":status", "202"], ["x-answer", "yes"]],
    status: "202",
    body: "granted",
    trailer: "1",
    write: Status.BadArgument,
    setBody: Status.BadArgument,
    size6: Status.BadArgument,
    getStatus: Status.Ok,
  });
  assert.deepEqual(got[0].headers, [[":method", "POST"], [":path", "/check"], [":authority", "auth.local"], ["x-h", "1"], ["content-length", "7"]]);
  assert.equal(text(got[0].body), "payload");
  assert.equal(got[0].timeoutMs, 1000);
  assert.equal(got[0].cluster, "auth");
  // Outside the callback the answer is gone.
  shim.on({ tick: (abi) => void answers.push([abi.getBuffer(BufferType.HttpCallResponseBody).status, abi.getHeader(MapType.HttpCallResponseHeaders, ":status").status]) });
  shim.vm.plugins[0].setTickPeriod(1);
  await shim.vm.tick(1);
  assert.deepEqual(answers[2], [Status.NotFound, Status.BadArgument]);
});

test("a stream paused on a callout resumes from on_http_call_response via set_effective_context + continue_stream", async () => {
  const shim = await Shim.create({ clusters: { auth: async () => ({ headers: [[":status", "200"]], body: "user-7" }) } });
  const pending = new Map<number, number>();
  shim.on({
    request_headers: (abi, id) => {
      pending.set(abi.httpCall("auth", callHeaders).token, id);
      return Action.StopAllIterationAndWatermark;
    },
    http_call_response: (abi, _root, token) => {
      const streamId = pending.get(token)!;
      const user = text(abi.getBuffer(BufferType.HttpCallResponseBody).bytes);
      assert.equal(abi.setEffectiveContext(streamId), Status.Ok);
      assert.equal(abi.addHeader(MapType.RequestHeaders, "x-user", user), Status.Ok);
      assert.equal(abi.continueStream(0), Status.Ok);
      assert.equal(abi.setEffectiveContext(999), Status.BadArgument);
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "ab" } });
  assert.ok(r.upstreamRequest!.headers.some(([k, v]) => k === "x-user" && v === "user-7"));
  assert.equal(text(r.upstreamRequest!.body), "ab");
  // StopAll: the body was re-delivered to the plugin in one callback after continue.
  assert.deepEqual(shim.calls.filter((c) => c.cb === "request_body").map((c) => c.args.slice(1)), [[2, 1]]);
});

test("timeout → a 504 answer once the timeout elapses (vm.tick); 'timeout' from the cluster → 504 too", async () => {
  const shim = await Shim.create({ clusters: { slow: () => new Promise(() => {}), says: () => "timeout" as const } });
  const answers: Array<[number, string, string]> = [];
  shim.on({
    configure: (abi) => (abi.httpCall("slow", callHeaders, "", new Uint8Array(0), 500), abi.httpCall("says", callHeaders), 1),
    http_call_response: (abi, _r, token) =>
      void answers.push([token, abi.getHeader(MapType.HttpCallResponseHeaders, ":status").text, text(abi.getBuffer(BufferType.HttpCallResponseBody).bytes)]),
  });
  shim.vm.startPlugin({ configuration: "" });
  await shim.vm.tick(499);
  assert.deepEqual(answers, [[8, "504", "upstream request timeout"]]);
  await shim.vm.tick(1);
  assert.deepEqual(answers[1], [4, "504", "upstream request timeout"]);
});

test("reset → (token, 0, 0, 0), no maps, proxy_get_status = BrokenConnection 'reset'; a throwing cluster → 503", async () => {
  const shim = await Shim.create({ clusters: { r: () => "reset" as const, boom: () => Promise.reject(new Error("ECONNREFUSED")) } });
  const seen: unknown[] = [];
  shim.on({
    configure: (abi) => (abi.httpCall("r", callHeaders), abi.httpCall("boom", callHeaders), 1),
    http_call_response: (abi, _root, token, nh, size, nt) => {
      const st = abi.getStatus();
      seen.push([token, nh, size, nt, st.code, st.text, abi.getHeader(MapType.HttpCallResponseHeaders, ":status").text || abi.getHeader(MapType.HttpCallResponseHeaders, ":status").status]);
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  await shim.vm.tick(0);
  assert.deepEqual(seen, [
    [4, 0, 0, 0, Status.BrokenConnection, "reset", Status.BadArgument],
    [8, 3, 91, 0, Status.Ok, "", "503"],
  ]);
});

test("the stream ending does not cancel its call; the answer still reaches the root context", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const shim = await Shim.create({ clusters: { c: async () => (await gate, { headers: [] }) } });
  shim.on({ request_headers: (abi) => void abi.httpCall("c", callHeaders) });
  const p = shim.vm.startPlugin({ configuration: "" });
  await p.exchange({ request: { headers: reqHeaders() } });
  release();
  await shim.vm.tick(0);
  assert.deepEqual(shim.calls.filter((c) => c.cb === "http_call_response").map((c) => c.args), [[1, 4, 1, 0, 0]]);
});
