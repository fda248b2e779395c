// Pairs serialization: exact bytes, round trip, and Envoy's rejection rules (rejected = empty list, never an error).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { parsePairs, serializePairs, PAIRS_MAX_COUNT, MapType, Status } from "../../host";
import { Shim, reqHeaders } from "./harness";

test("serializePairs: u32 count, (u32 klen, u32 vlen)…, then key NUL value NUL", () => {
  const b = serializePairs([["ab", "c"], ["", "xyz"]]);
  assert.deepEqual(
    [...b],
    [2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0x61, 0x62, 0, 0x63, 0, 0, 0x78, 0x79, 0x7a, 0],
  );
  assert.equal(b.length, 4 + (8 + 2 + 1 + 1 + 1) + (8 + 0 + 1 + 3 + 1));
});

test("round trip, including UTF-8 and duplicate keys", () => {
  const pairs: Array<[string, string]> = [[":path", "/ü?x=1"], ["a", ""], ["a", "2"], ["emoji", "🙂"]];
  assert.deepEqual(parsePairs(serializePairs(pairs)), pairs);
  assert.deepEqual(parsePairs(new Uint8Array(0)), []);
  assert.deepEqual(parsePairs(serializePairs([])), []);
});

test("rejections decode to an empty list: missing NUL, trailing bytes, truncation, >1024 pairs, >1 MiB", () => {
  const good = serializePairs([["k", "v"]]);
  const noNul = good.slice();
  noNul[noNul.length - 1] = 0x41;
  assert.deepEqual(parsePairs(noNul), []);
  assert.deepEqual(parsePairs(new Uint8Array([...good, 0])), []);
  assert.deepEqual(parsePairs(good.subarray(0, good.length - 1)), []);
  assert.deepEqual(parsePairs(new Uint8Array([1, 0, 0])), []);
  const many = serializePairs(Array.from({ length: PAIRS_MAX_COUNT + 1 }, (_, i) => [`k${i}`, "v"] as [string, string]));
  assert.deepEqual(parsePairs(many), []);
  assert.equal(parsePairs(serializePairs(Array.from({ length: PAIRS_MAX_COUNT }, (_, i) => [`k${i}`, "v"] as [string, string]))).length, 1024);
  const big = serializePairs([["big", "x".repeat(1024 * 1024)]]);
  assert.deepEqual(parsePairs(big), []);
});

test("set_header_map_pairs with rejected data clears the headers and still returns Ok; get pairs returns the exact bytes", async () => {
  const shim = await Shim.create();
  const seen: Record<string, unknown> = {};
  shim.on({
    request_headers: (abi) => {
      const p = abi.getPairs(MapType.RequestHeaders);
      seen.before = parsePairs(p.bytes);
      seen.exact = Buffer.from(p.bytes).equals(Buffer.from(serializePairs(reqHeaders([["x", "1"]]))));
      seen.status = abi.setPairs(MapType.RequestHeaders, new Uint8Array([5, 0, 0, 0, 1]));
      const after = abi.getPairs(MapType.RequestHeaders);
      seen.after = [after.status, after.ptr, after.size];
      seen.set2 = abi.setPairs(MapType.RequestHeaders, serializePairs([["B", "2"], [":path", "/p"]]));
      seen.final = parsePairs(abi.getPairs(MapType.RequestHeaders).bytes);
      return 0;
    },
  });
  const plugin = shim.vm.startPlugin({ configuration: "" });
  const s = plugin.newStream();
  s.requestHeaders(reqHeaders([["x", "1"]]), true);
  assert.deepEqual(seen.before, reqHeaders([["x", "1"]]));
  assert.equal(seen.exact, true);
  assert.equal(seen.status, Status.Ok);
  assert.deepEqual(seen.after, [Status.Ok, 0, 0]); // empty map → ptr 0, size 0, no malloc
  assert.equal(seen.set2, Status.Ok);
  assert.deepEqual(seen.final, [[":path", "/p"], ["b", "2"]]); // keys lower-cased, pseudo-headers first
  assert.deepEqual(s.forwarded.headers, [[":path", "/p"], ["b", "2"]]);
});
