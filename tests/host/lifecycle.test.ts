// Loading, init order, allocator choice, plugin start sequence, context ids, stream end order.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ProxyWasmHost, BufferType, Status } from "../../host";
import { Shim, compileWat, reqHeaders, text } from "./harness";

const wabt: () => Promise<any> = require("wabt");
async function wat(src: string): Promise<Uint8Array> {
  const w = await wabt();
  return new Uint8Array(w.parseWat("t.wat", src).toBinary({}).buffer);
}

test("load refuses a module without an ABI version export, and one without an allocator", async () => {
  await assert.rejects(
    ProxyWasmHost.load(await wat(`(module (memory (export "memory") 1) (func (export "malloc") (param i32) (result i32) (i32.const 0)))`)),
    /Missing or unknown Proxy-Wasm ABI version/,
  );
  await assert.rejects(ProxyWasmHost.load(await wat(`(module (memory (export "memory") 1) (func (export "proxy_abi_version_0_1_0")) (func (export "malloc") (param i32) (result i32) (i32.const 0)))`)), /ABI version/);
  await assert.rejects(ProxyWasmHost.load(await wat(`(module (memory (export "memory") 1) (func (export "proxy_abi_version_0_2_1")))`)), /neither malloc nor proxy_on_memory_allocate/);
});

test("unknown env imports link as Unimplemented (12) stubs and are reported", async () => {
  const bin = await wat(`(module
    (import "env" "proxy_grpc_call" (func $g (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (import "env" "proxy_redis_init" (func $r (param i32 i32 i32 i32 i32 i32 i32) (result i32)))
    (import "env" "something_else" (func $s (result i32)))
    (memory (export "memory") 1) (global $out (export "out") (mut i32) (i32.const 0))
    (func (export "malloc") (param i32) (result i32) (i32.const 1024)) (func (export "proxy_abi_version_0_2_1"))
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (global.set $out (i32.add (i32.add
        (call $g (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
        (i32.mul (i32.const 100) (call $r (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
        (i32.mul (i32.const 10000) (call $s))))
      (i32.const 1)))`);
  const warn = console.warn;
  const warned: string[] = [];
  console.warn = (m: string) => warned.push(m);
  try {
    const host = await ProxyWasmHost.load(bin);
    assert.deepEqual(host.unknownImports, ["env.something_else"]);
    assert.match(warned[0], /env\.something_else/);
    const vm = await host.createVm();
    assert.equal(vm.startPlugin({ configuration: "" }).ok, true);
    assert.equal((vm.exports.out as WebAssembly.Global).value, 12 + 1200 + 120000);
  } finally {
    console.warn = warn;
  }
});

test("init: _initialize then main(0,0), not _start; malloc preferred over proxy_on_memory_allocate; ABI 0.2.0 accepted", async () => {
  const host = await ProxyWasmHost.load(await compileWat("allocators.wat"));
  assert.equal(host.abiVersion, "0_2_0");
  const vm = await host.createVm();
  assert.equal((vm.exports.init_marker as WebAssembly.Global).value, 10);
  // on_configure reads the plugin configuration through malloc (proxy_on_memory_allocate would trap).
  const p = vm.startPlugin({ configuration: "accept" });
  assert.equal(p.ok, true);
  assert.equal(vm.trap, null);
  const refused = vm.startPlugin({ configuration: "refuse" });
  assert.equal(refused.ok, false);
  assert.equal(refused.configureResult, 0);
});

test("_start runs when there is no _initialize; a proc_exit(0) inside it is a normal end", async () => {
  const bin = await wat(`(module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1) (global $m (export "m") (mut i32) (i32.const 0))
    (func (export "malloc") (param i32) (result i32) (i32.const 1024)) (func (export "proxy_abi_version_0_2_100"))
    (func (export "_start") (global.set $m (i32.const 7)) (call $exit (i32.const 0)) (global.set $m (i32.const 8))))`);
  const host = await ProxyWasmHost.load(bin);
  assert.equal(host.abiVersion, "0_2_100");
  const vm = await host.createVm();
  assert.equal((vm.exports.m as WebAssembly.Global).value, 7);
  assert.equal(vm.trap, null);
});

test("plugin start: context_create(root,0) → vm_start(root, vm config size) → configure(root, size); buffers readable in place", async () => {
  const shim = await Shim.create({}, { vmConfiguration: "vmconf" });
  const seen: Record<string, unknown> = {};
  shim.on({
    vm_start: (abi) => {
      seen.vmConf = text(abi.getBuffer(BufferType.VmConfiguration).bytes);
      seen.pluginConfInVmStart = abi.getBuffer(BufferType.PluginConfiguration).status;
    },
    configure: (abi, _root, size) => {
      seen.conf = text(abi.getBuffer(BufferType.PluginConfiguration, 0, size).bytes);
      seen.confPart = text(abi.getBuffer(BufferType.PluginConfiguration, 2, 3).bytes);
      seen.confImmutable = abi.setBuffer(BufferType.PluginConfiguration, 0, 0, "x");
      return 1;
    },
  });
  const p = shim.vm.startPlugin({ configuration: { a: 1 } });
  assert.equal(p.ok, true);
  assert.equal(p.id, 1);
  assert.deepEqual(shim.calls.map((c) => [c.cb, c.args]), [
    ["context_create", [1, 0]],
    ["vm_start", [1, 6]],
    ["configure", [1, 7]],
  ]);
  assert.deepEqual({ ...seen }, { vmConf: "vmconf", pluginConfInVmStart: Status.NotFound, conf: '{"a":1}', confPart: 'a":', confImmutable: Status.BadArgument });
  // Outside on_configure the plugin configuration is gone; the VM configuration stays readable.
  shim.on({ tick: (abi) => void (seen.later = [abi.getBuffer(BufferType.PluginConfiguration).status, text(abi.getBuffer(BufferType.VmConfiguration).bytes)]) });
  p.setTickPeriod(5);
  await shim.vm.tick(5);
  assert.deepEqual(seen.later, [Status.NotFound, "vmconf"]);
});

test("callVmStart: false skips proxy_on_vm_start; on_configure 0 refuses; exchange on a refused plugin throws", async () => {
  const shim = await Shim.create({ callVmStart: false });
  shim.on({ configure: () => 0 });
  const p = shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual(shim.names(), ["context_create", "configure"]);
  assert.equal(p.ok, false);
  await assert.rejects(p.exchange({ request: { headers: reqHeaders() } }), /proxy_on_configure returned 0/);
});

test("on_vm_start returning 0 fails the plugin; root context 1 can be re-created and re-configured in the same VM", async () => {
  const shim = await Shim.create();
  shim.on({ vm_start: () => 0 });
  assert.equal(shim.vm.startPlugin({ configuration: "" }).ok, false);
  shim.on({ vm_start: () => 1 });
  const again = shim.vm.startPlugin({ configuration: "", rootContextId: 1 });
  assert.equal(again.id, 1);
  assert.equal(again.ok, true);
  assert.equal(again.configure("{}"), true);
  assert.deepEqual(shim.calls.filter((c) => c.cb === "configure").map((c) => c.args), [[1, 0], [1, 0], [1, 2]]);
});

test("context ids: root first, streams next, never reused; end order on_log → on_done → on_delete", async () => {
  const shim = await Shim.create();
  const p1 = shim.vm.startPlugin({ configuration: "" });
  const p2 = shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual([p1.id, p2.id], [1, 2]);
  shim.calls.length = 0;
  const r = await p1.exchange({ request: { headers: reqHeaders() } });
  assert.equal(r.stream.id, 3);
  assert.deepEqual(shim.calls.map((c) => [c.cb, c.args[0]]), [
    ["context_create", 3],
    ["request_headers", 3],
    ["response_headers", 3],
    ["log", 3],
    ["done", 3],
    ["delete", 3],
  ]);
  assert.deepEqual(shim.calls[0].args, [3, 1]);
  const r2 = await p2.exchange({ request: { headers: reqHeaders() } });
  assert.equal(r2.stream.id, 4);
  assert.equal(shim.vm.contexts.has(3), false);
});

test("a stream that never saw request headers is created lazily just before on_log", async () => {
  const shim = await Shim.create();
  const p = shim.vm.startPlugin({ configuration: "" });
  shim.calls.length = 0;
  const s = p.newStream();
  s.complete();
  assert.deepEqual(shim.names(), ["context_create", "log", "done", "delete"]);
});

test("VM shutdown: on_done false defers on_delete until proxy_done; proxy_done otherwise NotFound", async () => {
  const shim = await Shim.create();
  const seen: number[] = [];
  shim.on({ done: () => 0, configure: (abi) => (seen.push(abi.done()), 1) });
  const p = shim.vm.startPlugin({ configuration: "" });
  shim.calls.length = 0;
  shim.vm.close();
  assert.deepEqual(shim.names(), ["done"]);
  assert.equal(p.pendingDone, true);
  assert.deepEqual(seen, [Status.NotFound]);
});
