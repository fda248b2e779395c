// Buffer hostcalls: Envoy's clamping reads and copyFrom writes.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Action, BufferType, Status } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

test("get_buffer_bytes clamps; get_buffer_status gives the size and flags 0; unknown types", async () => {
  const shim = await Shim.create();
  const seen: Record<string, unknown> = {};
  shim.on({
    request_body: (abi) => {
      const B = BufferType.HttpRequestBody;
      seen.all = abi.getBuffer(B).text;
      seen.mid = abi.getBuffer(B, 2, 3).text;
      seen.tail = abi.getBuffer(B, 7, 100).text;
      const past = abi.getBuffer(B, 50, 5);
      seen.past = [past.status, past.ptr, past.size];
      seen.status = abi.bufferStatus(B);
      seen.badType = [abi.getBuffer(9).status, abi.bufferStatus(9).status, abi.setBuffer(9, 0, 0, "x")];
      seen.unavailable = [abi.getBuffer(BufferType.DownstreamData).status, abi.getBuffer(BufferType.GrpcReceiveBuffer).status, abi.getBuffer(BufferType.HttpCallResponseBody).status];
      seen.vmConfWrite = abi.setBuffer(BufferType.VmConfiguration, 0, 0, "x");
      seen.respBody = [abi.getBuffer(BufferType.HttpResponseBody).status, abi.getBuffer(BufferType.HttpResponseBody).size, abi.setBuffer(BufferType.HttpResponseBody, 0, 0, "x")];
      return 0;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const s = p.newStream();
  s.requestHeaders(reqHeaders(), false);
  s.requestBody("0123456789", true);
  assert.deepEqual({ ...seen }, {
    all: "0123456789",
    mid: "234",
    tail: "789",
    past: [Status.Ok, 0, 0],
    status: { status: Status.Ok, size: 10, flags: 0 },
    badType: [Status.BadArgument, Status.BadArgument, Status.BadArgument],
    unavailable: [Status.NotFound, Status.NotFound, Status.NotFound],
    vmConfWrite: Status.BadArgument,
    respBody: [Status.Ok, 0, Status.NotFound], // outside its body callback: an empty buffer, not writable
  });
});

test("set_buffer_bytes: prepend, replace prefix, replace all, append (start ≥ size), middle splice → BadArgument", async () => {
  const shim = await Shim.create();
  const cases: Array<[number, number, string, number, string]> = [];
  const plan: Array<[number, number, string]> = [
    [0, 0, ">>"], // prepend
    [0, 2, "AB"], // replace the first 2 bytes
    [0, 100, "whole"], // replace everything
    [5, 0, "+tail"], // start == size: append
    [0xffffffff, 0, "!"], // SIZE_MAX: append
    [3, 1, "mid"], // 0 < start < size
  ];
  shim.on({
    request_body: (abi) => {
      for (const [start, len, data] of plan) {
        const st = abi.setBuffer(BufferType.HttpRequestBody, start, len, data);
        cases.push([start, len, data, st, text(abi.getBuffer(BufferType.HttpRequestBody).bytes)]);
      }
      return Action.Continue;
    },
  });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "body" } });
  assert.deepEqual(cases.map((c) => [c[3], c[4]]), [
    [Status.Ok, ">>body"],
    [Status.Ok, "ABbody"],
    [Status.Ok, "whole"],
    [Status.Ok, "whole+tail"],
    [Status.Ok, "whole+tail!"],
    [Status.BadArgument, "whole+tail!"],
  ]);
  assert.equal(text(r.upstreamRequest!.body), "whole+tail!");
});

test("ContinueAndEndStream from headers acts as Continue; vm.memoryBytes reports linear memory", async () => {
  const shim = await Shim.create();
  shim.on({ request_headers: () => Action.ContinueAndEndStream });
  const p = shim.vm.startPlugin({ configuration: "" });
  const r = await p.exchange({ request: { headers: reqHeaders(), body: "still sent" } });
  assert.equal(text(r.upstreamRequest!.body), "still sent");
  assert.equal(shim.vm.memoryBytes(), 2 * 65536);
});
