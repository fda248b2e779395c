// Timers, shared data (CAS across VMs), shared queues, metrics, logging, clocks, foreign functions.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { MetricType, Status } from "../../host";
import { Shim, reqHeaders, text } from "./harness";

test("tick timers are per root context: first tick after one period, re-armed, period 0 stops; a stream sets its root's", async () => {
  const shim = await Shim.create();
  const ticks: Array<[number, number]> = [];
  shim.on({
    tick: (abi, root) => {
      ticks.push([root, shim.vm.scheduler.nowMs()]);
      if (root === 2 && ticks.filter(([r]) => r === 2).length === 2) abi.setTickPeriod(0);
    },
    request_headers: (abi) => void abi.setTickPeriod(30),
  });
  const a = shim.vm.startPlugin({ configuration: "" });
  const b = shim.vm.startPlugin({ configuration: "" });
  a.setTickPeriod(100);
  await a.exchange({ request: { headers: reqHeaders() } }); // from a stream: root a's period becomes 30
  assert.equal(a.tickPeriod, 30);
  b.setTickPeriod(50);
  await shim.vm.tick(29);
  assert.deepEqual(ticks, []);
  await shim.vm.tick(121);
  assert.deepEqual(ticks, [
    [1, 30],
    [2, 50],
    [1, 60],
    [1, 90],
    [2, 100],
    [1, 120],
    [1, 150],
  ]);
  assert.equal(b.tickPeriod, 0);
});

test("shared data: NotFound, CAS rules, visible across VMs with the same vm_id, isolated by vm_id", async () => {
  const shim = await Shim.create({}, { vmId: "shared-a" });
  const vm2 = await shim.host.createVm({ vmId: "shared-a" });
  const vm3 = await shim.host.createVm({ vmId: "other" });
  const abi1 = shim.abiFor(shim.vm);
  const abi2 = shim.abiFor(vm2);
  const results: unknown[] = [];
  shim.on({
    configure: (abi) => {
      if (abi === abi1) {
        results.push(abi.getSharedData("k").status);
        results.push(abi.setSharedData("k", "v1", 12345)); // missing key: cas ignored
        const g = abi.getSharedData("k");
        results.push([g.text, g.cas > 0]);
        results.push(abi.setSharedData("k", "v2", g.cas + 1)); // mismatch
        results.push(abi.setSharedData("k", "v2", g.cas)); // match
        results.push(abi.setSharedData("k", "v3", 0)); // unconditional
      } else if (abi === abi2) {
        const g = abi.getSharedData("k");
        results.push(["vm2", g.text]);
        results.push(abi.setSharedData("k", "from-vm2", g.cas));
      } else {
        results.push(["vm3", abi.getSharedData("k").status]);
      }
      return 1;
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  vm2.startPlugin({ configuration: "" });
  vm3.startPlugin({ configuration: "" });
  assert.deepEqual(results, [Status.NotFound, Status.Ok, ["v1", true], Status.CasMismatch, Status.Ok, Status.Ok, ["vm2", "v3"], Status.Ok, ["vm3", Status.NotFound]]);
  assert.equal(text(shim.vm.sharedData("k")!.value), "from-vm2");
  // Dropped when the last VM with that vm_id closes.
  shim.vm.close();
  assert.equal(text(vm2.sharedData("k")!.value), "from-vm2");
  vm2.close();
  assert.equal(vm3.sharedData("k"), undefined);
  const vm4 = await shim.host.createVm({ vmId: "shared-a" });
  assert.equal(vm4.sharedData("k"), undefined);
});

test("shared queues: register/resolve/enqueue/dequeue; on_queue_ready goes to the last registrant, asynchronously", async () => {
  const shim = await Shim.create({}, { vmId: "q" });
  const vm2 = await shim.host.createVm({ vmId: "q" });
  const seen: unknown[] = [];
  let token = 0;
  shim.on({
    configure: (abi) => {
      const r = abi.registerQueue("jobs");
      token = r.token;
      seen.push(["register", abi.vm === shim.vm ? 1 : 2, r.status, r.token]);
      return 1;
    },
    queue_ready: (abi, root, tok) => {
      const d = abi.dequeue(tok);
      seen.push(["ready", abi.vm === shim.vm ? 1 : 2, root, tok, d.text, abi.dequeue(tok).status]);
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  vm2.startPlugin({ configuration: "" }); // same name → same token, vm2 becomes the registrant
  const a = shim.abiFor(shim.vm);
  shim.on({ tick: () => {} });
  assert.deepEqual(a.resolveQueue("", "jobs"), { status: Status.Ok, token });
  assert.deepEqual(a.resolveQueue("q", "jobs"), { status: Status.Ok, token });
  assert.equal(a.resolveQueue("q", "nope").status, Status.NotFound);
  assert.equal(a.resolveQueue("other-vm", "jobs").status, Status.NotFound);
  assert.equal(a.enqueue(token, "job-1"), Status.Ok);
  assert.equal(a.enqueue(999999, "x"), Status.NotFound);
  assert.equal(a.dequeue(999999).status, Status.NotFound);
  assert.equal(seen.length, 2); // not notified synchronously
  await shim.vm.tick(0);
  assert.deepEqual(seen, [
    ["register", 1, Status.Ok, token],
    ["register", 2, Status.Ok, token],
    ["ready", 2, 1, token, "job-1", Status.Empty],
  ]);
});

test("metrics: ids carry the type in the low 2 bits; counter/gauge/histogram rules; Prometheus text", async () => {
  const shim = await Shim.create();
  const r: Record<string, unknown> = {};
  shim.on({
    configure: (abi) => {
      const c = abi.defineMetric(MetricType.Counter, "requests.total");
      const g = abi.defineMetric(MetricType.Gauge, "inflight");
      const h = abi.defineMetric(MetricType.Histogram, "latency_ms");
      const c2 = abi.defineMetric(MetricType.Counter, "other");
      r.ids = [c.id, g.id, h.id, c2.id, abi.defineMetric(MetricType.Counter, "requests.total").id];
      r.badType = abi.defineMetric(3, "x").status;
      r.counter = [abi.incrementMetric(c.id, 2n), abi.incrementMetric(c.id, 0n), abi.incrementMetric(c.id, -1n), abi.recordMetric(c.id, 5n), abi.getMetric(c.id)];
      r.gauge = [abi.recordMetric(g.id, 10n), abi.incrementMetric(g.id, -3n), abi.getMetric(g.id)];
      r.hist = [abi.recordMetric(h.id, 7n), abi.recordMetric(h.id, 300n), abi.incrementMetric(h.id, 1n), abi.getMetric(h.id).status];
      r.unknown = [abi.recordMetric(100, 1n), abi.incrementMetric(100, 1n), abi.getMetric(100).status];
      return 1;
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual(r.ids, [4, 5, 6, 8, 4]);
  assert.equal(r.badType, Status.BadArgument);
  assert.deepEqual(r.counter, [Status.Ok, Status.BadArgument, Status.BadArgument, Status.Ok, { status: Status.Ok, value: 7n }]);
  assert.deepEqual(r.gauge, [Status.Ok, Status.Ok, { status: Status.Ok, value: 7n }]);
  assert.deepEqual(r.hist, [Status.Ok, Status.Ok, Status.BadArgument, Status.BadArgument]);
  assert.deepEqual(r.unknown, [Status.NotFound, Status.NotFound, Status.NotFound]);
  assert.deepEqual([...shim.vm.metrics()], [["requests.total", 7], ["other", 0], ["inflight", 7]]);
  assert.deepEqual([...shim.vm.histograms()], [["latency_ms", [7, 300]]]);
  const prom = shim.vm.prometheus();
  assert.match(prom, /^# TYPE other counter\nother 0\n# TYPE requests_total counter\nrequests_total 7\n# TYPE inflight gauge\ninflight 7\n# TYPE latency_ms histogram\n/);
  assert.match(prom, /latency_ms_bucket\{le="10"\} 1\n/);
  assert.match(prom, /latency_ms_bucket\{le="\+Inf"\} 2\nlatency_ms_sum 307\nlatency_ms_count 2\n$/);
  // Values are shared by name across the host's VMs; ids are per VM.
  const vm2 = await shim.host.createVm();
  const a2 = shim.abiFor(vm2);
  const id = a2.defineMetric(MetricType.Counter, "other").id;
  assert.equal(id, 4);
  a2.incrementMetric(id, 3n);
  assert.equal(shim.vm.metrics().get("other"), 3);
});

test("logging: levels 0..5 kept at/above the configured level, >5 BadArgument; get_log_level; WASI fd_write → info/error", async () => {
  const shim = await Shim.create({ logLevel: 1 });
  const r: unknown[] = [];
  shim.on({
    configure: (abi) => {
      r.push(abi.log(0, "trace-dropped"), abi.log(1, "debug"), abi.log(4, "error"), abi.log(6, "bad"), abi.getLogLevel());
      return 1;
    },
  });
  shim.vm.startPlugin({ configuration: "" });
  assert.deepEqual(r, [Status.Ok, Status.Ok, Status.Ok, Status.BadArgument, { status: Status.Ok, level: 1 }]);
  assert.deepEqual(shim.vm.logs.map((l) => [l.level, l.message, l.contextId]), [
    [1, "debug", 1],
    [4, "error", 1],
  ]);
});

test("WASI fd_write on stdout/stderr becomes plugin logs (info/error, trailing newline removed); clocks follow the VM", async () => {
  const wabt = await require("wabt")();
  const bin = wabt.parseWat("w.wat", `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (import "wasi_snapshot_preview1" "clock_time_get" (func $c (param i32 i64 i32) (result i32)))
    (import "wasi_snapshot_preview1" "random_get" (func $r (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 100) "hello ") (data (i32.const 110) "world\\n")
    (data (i32.const 0) "\\64\\00\\00\\00\\06\\00\\00\\00\\6e\\00\\00\\00\\06\\00\\00\\00")
    (global $err (export "clock3") (mut i32) (i32.const 0))
    (func (export "malloc") (param i32) (result i32) (i32.const 1024)) (func (export "proxy_abi_version_0_2_1"))
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $w (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 200)))
      (drop (call $w (i32.const 2) (i32.const 8) (i32.const 1) (i32.const 200)))
      (drop (call $c (i32.const 0) (i64.const 1) (i32.const 300)))
      (global.set $err (call $c (i32.const 3) (i64.const 1) (i32.const 308)))
      (drop (call $r (i32.const 400) (i32.const 16)))
      (i32.const 1)))`).toBinary({}).buffer;
  const { ProxyWasmHost } = await import("../../host");
  const host = await ProxyWasmHost.load(new Uint8Array(bin), { now: () => 1_700_000_000_123_456_789n });
  const vm = await host.createVm();
  vm.startPlugin({ configuration: "" });
  assert.deepEqual(vm.logs.map((l) => [l.level, l.message]), [
    [2, "hello world"],
    [4, "world"],
  ]);
  const mem = new DataView((vm.exports.memory as WebAssembly.Memory).buffer);
  assert.equal(mem.getBigUint64(300, true), 1_700_000_000_123_456_789n);
  assert.equal((vm.exports.clock3 as WebAssembly.Global).value, 58); // ENOTSUP
  assert.notEqual(mem.getBigUint64(400, true) | mem.getBigUint64(408, true), 0n);
});

test("proxy_get_current_time_nanoseconds follows `now`, else wall clock advanced by vm.tick; foreign functions", async () => {
  let fake = 5_000_000_000n;
  const shim = await Shim.create({ now: () => fake, foreignFunctions: { echo: (a) => new Uint8Array([...a, 33]) } });
  const a = shim.abi;
  assert.equal(a.now(), 5_000_000_000n);
  fake += 7n;
  assert.equal(a.now(), 5_000_000_007n);
  assert.deepEqual([a.foreign("echo", "hi").text, a.foreign("get_log_level", "").status], ["hi!", Status.NotFound]);
  const real = await Shim.create();
  const t0 = real.abi.now();
  await real.vm.tick(60_000);
  const t1 = real.abi.now();
  assert.ok(t1 - t0 >= 60_000_000_000n && t1 - t0 < 70_000_000_000n, String(t1 - t0));
});

test("unimplemented hostcalls (grpc) return Unimplemented", async () => {
  const shim = await Shim.create();
  assert.equal(shim.abi.call("proxy_grpc_call", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Status.Unimplemented);
});
