// Plain WAT plugins (constant data, real hostcalls) driven through exchange(): rewrites reach the upstream,
// a local reply passes through the plugin's own response callbacks, a trap fails the VM closed.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ProxyWasmHost } from "../../host";
import { compileWat, reqHeaders } from "./harness";

test("header-rewrite.wat: the upstream sees the rewritten :authority and headers; the client sees the response mark", async () => {
  const host = await ProxyWasmHost.load(await compileWat("header-rewrite.wat"));
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration: "{}" });
  assert.equal(plugin.ok, true);
  assert.deepEqual(vm.logs.map((l) => l.message), ["configured"]);
  const r = await plugin.exchange({
    request: { headers: [["Host", "client.example"], [":path", "/a?b=1"], [":method", "GET"], ["X-Drop", "x"], ["x-keep", "k"]] },
    upstream: (req) => ({ status: 200, headers: [["content-type", "text/plain"]], body: `${req.authority}${req.path}` }),
  });
  const up = r.upstreamRequest!;
  assert.equal(up.authority, "upstream.example");
  assert.equal(up.path, "/a?b=1");
  assert.equal(up.method, "GET");
  const names = up.headers.map(([k]) => k);
  assert.deepEqual(names.slice(0, 4).sort(), [":authority", ":method", ":path", ":scheme"]);
  assert.ok(!names.includes("x-drop"));
  assert.ok(!names.includes("host"));
  assert.deepEqual(up.headers.filter(([k]) => k === "x-wat"), [["x-wat", "1"]]);
  assert.ok(names.includes("x-request-id") && names.includes("x-forwarded-proto"));
  assert.equal(r.status, 200);
  assert.equal(r.bodyText, "upstream.example/a?b=1");
  assert.deepEqual(r.headers, [[":status", "200"], ["content-type", "text/plain"], ["x-wat-response", "seen"]]);
  assert.equal(r.localReply, null);
  assert.equal(r.trap, null);
});

test("local-reply.wat: the reply goes through the plugin's on_response_headers; no upstream request", async () => {
  const host = await ProxyWasmHost.load(await compileWat("local-reply.wat"));
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration: "" });
  let called = false;
  const r = await plugin.exchange({
    request: { headers: reqHeaders(), body: "ignored" },
    upstream: () => ((called = true), { status: 200 }),
  });
  assert.equal(called, false);
  assert.equal(r.upstreamRequest, null);
  assert.equal(r.status, 403);
  assert.equal(r.bodyText, "forbidden");
  assert.deepEqual(r.headers, [
    [":status", "403"],
    ["x-wat-reply", "yes"],
    ["content-length", "9"],
    ["content-type", "text/plain"],
    ["x-seen", "response-callback"],
  ]);
  assert.deepEqual(r.localReply, { status: 403, details: "denied_by_wat" });
});

test("trap.wat: a trap fails the VM loudly; this and later streams get 503 wasm_fail_stream", async () => {
  const reported: Error[] = [];
  const host = await ProxyWasmHost.load(await compileWat("trap.wat"), { onTrap: (e) => reported.push(e) });
  const vm = await host.createVm({ vmId: "trapper" });
  const plugin = vm.startPlugin({ configuration: "" });
  const ok = await plugin.exchange({ request: { headers: reqHeaders() }, upstream: () => ({ status: 204 }) });
  assert.equal(ok.status, 204);
  assert.equal(ok.trap, null);
  const r = await plugin.exchange({ request: { headers: reqHeaders(), body: "boom" } });
  assert.equal(r.status, 503);
  assert.deepEqual(r.headers, [[":status", "503"]]);
  assert.equal(r.bodyText, "");
  assert.deepEqual(r.localReply, { status: 503, details: "wasm_fail_stream" });
  assert.equal(r.upstreamRequest, null);
  assert.ok(r.trap instanceof Error);
  assert.match(r.trap!.message, /^Wasm VM "trapper" trapped in proxy_on_request_body\(3, 4, 1\): unreachable/);
  assert.equal(reported.length, 1);
  assert.equal(vm.trap, r.trap);
  const later = await plugin.exchange({ request: { headers: reqHeaders() } });
  assert.equal(later.status, 503);
  assert.equal(later.localReply?.details, "wasm_fail_stream");
  assert.equal(reported.length, 1);
});
