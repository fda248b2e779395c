// Traps fail the whole VM loudly: stored, reported once, surfaced in results; every stream fails closed afterwards.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Shim, reqHeaders } from "./harness";

test("a trap in a root callback (on_tick) fails the VM: in-flight and new streams get 503 wasm_fail_stream, no more callbacks", async () => {
  const reported: Error[] = [];
  const shim = await Shim.create({ onTrap: (e) => reported.push(e) }, { vmId: "t" });
  shim.on({ tick: () => -1, request_headers: () => 1 /* held (StopAll under stock Envoy) */ });
  const p = shim.vm.startPlugin({ configuration: "" });
  const inflight = p.newStream();
  inflight.requestHeaders(reqHeaders(), false);
  p.setTickPeriod(10);
  await shim.vm.tick(10);
  assert.equal(reported.length, 1);
  assert.match(reported[0].message, /^Wasm VM "t" trapped in proxy_on_tick\(1\): unreachable/);
  assert.ok(shim.vm.trap);
  assert.ok(reported[0].cause instanceof WebAssembly.RuntimeError);
  shim.calls.length = 0;
  // The in-flight stream fails on its next event.
  inflight.requestBody("x", true);
  assert.deepEqual(inflight.downstream.headers, [[":status", "503"]]);
  assert.equal(inflight.localReply?.details, "wasm_fail_stream");
  inflight.complete();
  // New streams: 503 at request headers without calling the plugin.
  const r = await p.exchange({ request: { headers: reqHeaders() } });
  assert.equal(r.status, 503);
  assert.equal(r.trap, shim.vm.trap);
  assert.deepEqual(shim.calls, []); // no on_context_create, on_log, on_done, on_delete, on_tick after the failure
  await shim.vm.tick(50);
  assert.deepEqual(shim.calls, []);
  assert.equal(reported.length, 1);
  assert.ok(shim.vm.logs.some((l) => l.level === 5 && /trapped/.test(l.message)));
});

test("a trap after response headers went out resets the stream; the default trap report goes to console.error", async () => {
  const shim = await Shim.create({ onTrap: undefined });
  shim.on({ response_body: () => -1 });
  const p = shim.vm.startPlugin({ configuration: "" });
  const errors: string[] = [];
  const orig = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    const r = await p.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 200, body: ["a", "b"] }) });
    assert.equal(r.reset, true);
    assert.equal(r.status, 200);
    assert.ok(r.trap);
  } finally {
    console.error = orig;
  }
  assert.equal(errors.length, 1);
  assert.match(errors[0], /trapped in proxy_on_response_body/);
});
