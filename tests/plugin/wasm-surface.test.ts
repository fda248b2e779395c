// The release module imports only what both Envoy and Higress's wazero test host provide, and exports the
// ABI's HTTP entry points. A new import would make the module fail to load in one of them.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { WASM } from "../support/plugin";

const PORTABLE_IMPORTS = new Set([
  "env.proxy_log", "env.proxy_get_property", "env.proxy_set_property", "env.proxy_send_local_response",
  "env.proxy_get_shared_data", "env.proxy_set_shared_data", "env.proxy_register_shared_queue",
  "env.proxy_resolve_shared_queue", "env.proxy_enqueue_shared_queue", "env.proxy_dequeue_shared_queue",
  "env.proxy_get_header_map_value", "env.proxy_add_header_map_value", "env.proxy_replace_header_map_value",
  "env.proxy_remove_header_map_value", "env.proxy_get_header_map_pairs", "env.proxy_set_header_map_pairs",
  "env.proxy_continue_stream", "env.proxy_close_stream", "env.proxy_get_buffer_bytes", "env.proxy_set_buffer_bytes",
  "env.proxy_http_call", "env.proxy_call_foreign_function", "env.proxy_set_tick_period_milliseconds",
  "env.proxy_set_effective_context", "env.proxy_done", "env.proxy_define_metric", "env.proxy_increment_metric",
  "env.proxy_record_metric", "env.proxy_get_metric",
]);

const REQUIRED_EXPORTS = [
  "proxy_abi_version_0_2_1", "proxy_on_memory_allocate", "proxy_on_vm_start", "proxy_on_configure",
  "proxy_on_context_create", "proxy_on_request_headers", "proxy_on_request_body", "proxy_on_request_trailers",
  "proxy_on_response_headers", "proxy_on_response_body", "proxy_on_response_trailers", "proxy_on_http_call_response",
  "proxy_on_tick", "proxy_on_queue_ready", "proxy_on_log", "proxy_on_done", "proxy_on_delete", "memory", "_initialize",
];

const wasmModule = new WebAssembly.Module(fs.readFileSync(WASM));

test("imports only the portable ABI set and WASI clock/random", () => {
  const imports = WebAssembly.Module.imports(wasmModule).map((i) => `${i.module}.${i.name}`);
  for (const name of imports) {
    if (name.startsWith("wasi_snapshot_preview1.")) {
      assert.ok(["wasi_snapshot_preview1.clock_time_get", "wasi_snapshot_preview1.random_get"].includes(name), `unexpected WASI import ${name}`);
    } else {
      assert.ok(PORTABLE_IMPORTS.has(name), `non-portable import ${name}`);
    }
  }
  // AssemblyScript's default runtime imports must have been routed away.
  for (const banned of ["env.abort", "env.trace", "env.seed", "env.Date.now"]) assert.ok(!imports.includes(banned), banned);
});

test("exports every ABI 0.2.1 HTTP entry point, and no malloc competing with proxy_on_memory_allocate", () => {
  const exports = WebAssembly.Module.exports(wasmModule).map((e) => e.name);
  for (const name of REQUIRED_EXPORTS) assert.ok(exports.includes(name), `missing export ${name}`);
  assert.ok(!exports.includes("malloc"), "Envoy prefers malloc over proxy_on_memory_allocate; we export only the latter");
  assert.ok(!exports.includes("_start"), "a reactor exports _initialize, not _start");
});

test("ABI markers: Higress's 0.2.100 first (its host then keeps a request-header StopIteration), 0.2.1 for stock Envoy", () => {
  // Both hosts take the first marker they know, in export order (proxy-wasm-cpp-host src/bytecode_util.cc
  // getAbiVersion; Higress's fork adds proxy_abi_version_0_2_100 to the names it knows).
  const markers = WebAssembly.Module.exports(wasmModule).map((e) => e.name).filter((n) => n.startsWith("proxy_abi_version_"));
  assert.deepEqual(markers, ["proxy_abi_version_0_2_100", "proxy_abi_version_0_2_1"]);
});
