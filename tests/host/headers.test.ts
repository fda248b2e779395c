// Header-map hostcalls: Envoy's add/replace/get/remove semantics, maps gone after continue, log-phase snapshots.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MapType, Status, parsePairs } from "../../host";
import { Shim, reqHeaders } from "./harness";

test("add = addCopy, replace = setCopy (remove all, add one), get = first value, keys lower-cased, size = byteSize", async () => {
  const shim = await Shim.create();
  const seen: Record<string, unknown> = {};
  shim.on({
    request_headers: (abi) => {
      const M = MapType.RequestHeaders;
      seen.add = abi.addHeader(M, "X-Multi", "3");
      seen.first = abi.getHeader(M, "x-MULTI").text;
      seen.missing = abi.getHeader(M, "nope").status;
      seen.emptyValue = [abi.getHeader(M, "x-empty").status, abi.getHeader(M, "x-empty").ptr];
      seen.replace = abi.replaceHeader(M, "x-multi", "only");
      seen.replaceNew = abi.replaceHeader(M, "x-new", "n");
      seen.addPseudo = abi.addHeader(M, ":custom", "p");
      seen.remove = abi.removeHeader(M, "x-gone");
      seen.removeAbsent = abi.removeHeader(M, "x-never");
      seen.size = abi.headerMapSize(M);
      seen.pairs = parsePairs(abi.getPairs(M).bytes);
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const s = p.newStream();
  s.requestHeaders(reqHeaders([["x-multi", "1"], ["x-gone", "g"], ["x-multi", "2"], ["x-empty", ""]]), true);
  const expected: Array<[string, string]> = [
    [":authority", "client.example"],
    [":path", "/v1/x"],
    [":method", "POST"],
    [":scheme", "http"],
    [":custom", "p"],
    ["x-empty", ""],
    ["x-multi", "only"],
    ["x-new", "n"],
  ];
  assert.deepEqual(seen.pairs, expected);
  assert.deepEqual(s.forwarded.headers, expected);
  assert.equal(seen.first, "1");
  assert.equal(seen.missing, Status.NotFound);
  assert.deepEqual(seen.emptyValue, [Status.Ok, 0]);
  for (const k of ["add", "replace", "replaceNew", "addPseudo", "remove", "removeAbsent"]) assert.equal(seen[k], Status.Ok, k);
  const bytes = expected.reduce((n, [k, v]) => n + k.length + v.length, 0);
  assert.deepEqual(seen.size, { status: Status.Ok, size: bytes });
});

test("after headers continue the map is gone: writes and get BadArgument, get pairs Ok and empty", async () => {
  const shim = await Shim.create();
  const seen: Record<string, unknown> = {};
  shim.on({
    request_headers: () => 0,
    request_body: (abi) => {
      const M = MapType.RequestHeaders;
      seen.get = abi.getHeader(M, ":path").status;
      seen.add = abi.addHeader(M, "a", "b");
      seen.replace = abi.replaceHeader(M, "a", "b");
      seen.remove = abi.removeHeader(M, "a");
      seen.set = abi.setPairs(M, new Uint8Array(0));
      const pairs = abi.getPairs(M);
      seen.pairs = [pairs.status, pairs.ptr, pairs.size];
      seen.size = abi.headerMapSize(M).status;
      seen.respHeaders = abi.getHeader(MapType.ResponseHeaders, ":status").status;
      seen.badType = [abi.getHeader(8, "a").status, abi.getPairs(8).status];
      seen.grpc = abi.getHeader(MapType.GrpcReceiveInitialMetadata, "a").status;
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  await p.exchange({ request: { headers: reqHeaders(), body: "x" } });
  assert.deepEqual({ ...seen }, {
    get: Status.BadArgument,
    add: Status.BadArgument,
    replace: Status.BadArgument,
    remove: Status.BadArgument,
    set: Status.BadArgument,
    pairs: [Status.Ok, 0, 0],
    size: Status.BadArgument,
    respHeaders: Status.BadArgument,
    badType: [Status.BadArgument, Status.BadArgument],
    grpc: Status.BadArgument,
  });
});

test("continue_stream drops the map at once: a write after continue in the same callback fails", async () => {
  const shim = await Shim.create({ allowOnHeadersStopIteration: true });
  const seen: number[] = [];
  shim.on({
    request_headers: () => 1,
    request_body: (abi) => {
      seen.push(abi.addHeader(MapType.RequestHeaders, "x-before", "1"));
      seen.push(abi.continueStream(0));
      seen.push(abi.addHeader(MapType.RequestHeaders, "x-after", "1"));
      return 1; // the deferred continue still releases the stream
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "b" } });
  assert.deepEqual(seen, [Status.Ok, Status.Ok, Status.BadArgument]);
  const names = r.upstreamRequest!.headers.map(([k]) => k);
  assert.ok(names.includes("x-before") && !names.includes("x-after"));
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), "b");
});

test("on_log sees final request/response headers and response trailers read-only; request trailers NotFound", async () => {
  const shim = await Shim.create();
  const seen: Record<string, unknown> = {};
  shim.on({
    response_headers: (abi) => void abi.addHeader(MapType.ResponseHeaders, "x-added", "1"),
    log: (abi) => {
      seen.path = abi.getHeader(MapType.RequestHeaders, ":path").text;
      seen.status = abi.getHeader(MapType.ResponseHeaders, ":status").text;
      seen.added = abi.getHeader(MapType.ResponseHeaders, "x-added").text;
      seen.trailer = abi.getHeader(MapType.ResponseTrailers, "grpc-status").text;
      seen.reqTrailers = abi.getHeader(MapType.RequestTrailers, "x").status;
      seen.reqTrailerPairs = abi.getPairs(MapType.RequestTrailers).size;
      seen.write = abi.addHeader(MapType.RequestHeaders, "x", "y");
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  await p.exchange({
    request: { headers: reqHeaders(), body: "q", trailers: [["x-req-trailer", "1"]] },
    upstream: () => ({ status: 201, body: "r", trailers: [["grpc-status", "0"]] }),
  });
  assert.deepEqual({ ...seen }, { path: "/v1/x", status: "201", added: "1", trailer: "0", reqTrailers: Status.NotFound, reqTrailerPairs: 0, write: Status.BadArgument });
});

test("trailers: callbacks get them; writing RequestTrailers in the final body callback creates them", async () => {
  const shim = await Shim.create();
  const seen: unknown[] = [];
  shim.on({
    request_body: (abi, _id, _size, eos) => {
      if (eos) seen.push(abi.addHeader(MapType.RequestTrailers, "x-made", "here"));
      return 0;
    },
    response_trailers: (abi, _id, n) => {
      seen.push(n, abi.getHeader(MapType.ResponseTrailers, "t").text, abi.replaceHeader(MapType.ResponseTrailers, "t", "changed"));
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "q" }, upstream: () => ({ status: 200, body: "r", trailers: [["t", "orig"]] }) });
  assert.deepEqual(seen, [Status.Ok, 1, "orig", Status.Ok]);
  assert.deepEqual(r.upstreamRequest!.trailers, [["x-made", "here"]]);
  assert.deepEqual(r.trailers, [["t", "changed"]]);
});
