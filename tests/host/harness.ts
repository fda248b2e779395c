// Test harness for the host: compiles WAT fixtures, and drives the programmable shim plugin (fixtures/wat/shim.wat)
// whose callbacks call back into JS, where tests make real hostcalls into the module's memory through `Abi`.

import * as fs from "node:fs";
import * as path from "node:path";
import { ProxyWasmHost, Vm, type HostOptions } from "../../host";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
const WAT_DIR = path.join(ROOT, "tests", "fixtures", "wat");

// eslint-disable-next-line @typescript-eslint/no-require-imports
const wabtInit: () => Promise<any> = require("wabt");
let wabt: Promise<any> | null = null;

export async function compileWat(name: string, replace: Record<string, string> = {}): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const w = await wabt;
  let text = fs.readFileSync(path.join(WAT_DIR, name), "utf8");
  for (const [k, v] of Object.entries(replace)) text = text.split(k).join(v);
  const mod = w.parseWat(name, text);
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

export const CALLBACKS = [
  "context_create",
  "vm_start",
  "configure",
  "request_headers",
  "request_body",
  "request_trailers",
  "response_headers",
  "response_body",
  "response_trailers",
  "log",
  "done",
  "delete",
  "tick",
  "http_call_response",
  "queue_ready",
] as const;
export type CallbackName = (typeof CALLBACKS)[number];
export type Handler = (abi: Abi, ...args: number[]) => number | void;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/** Hostcalls from JS, exactly as the module would make them: arguments are pointers into the module's memory. */
export class Abi {
  constructor(readonly vm: Vm) {}

  private get mem(): DataView {
    return new DataView((this.vm.exports.memory as WebAssembly.Memory).buffer);
  }
  alloc(n: number): number {
    return (this.vm.exports.malloc as (n: number) => number)(Math.max(n, 1));
  }
  put(data: string | Uint8Array): [number, number] {
    const b = typeof data === "string" ? utf8.encode(data) : data;
    const p = this.alloc(b.length);
    new Uint8Array((this.vm.exports.memory as WebAssembly.Memory).buffer).set(b, p);
    return [p, b.length];
  }
  u32(p: number): number {
    return this.mem.getUint32(p, true);
  }
  u64(p: number): bigint {
    return this.mem.getBigUint64(p, true);
  }
  bytes(p: number, n: number): Uint8Array {
    return new Uint8Array((this.vm.exports.memory as WebAssembly.Memory).buffer).slice(p, p + n);
  }
  /** Call a hostcall with (…args, retPtr, retLen) and read the returned bytes. */
  private withOut(name: string, ...args: Array<number | bigint>): { status: number; ptr: number; size: number; bytes: Uint8Array; text: string } {
    const out = this.alloc(8);
    const status = this.call(name, ...args, out, out + 4);
    const ptr = status === 0 ? this.u32(out) : 0;
    const size = status === 0 ? this.u32(out + 4) : 0;
    const bytes = this.bytes(ptr, size);
    return { status, ptr, size, bytes, text: utf8d.decode(bytes) };
  }
  call(name: string, ...args: Array<number | bigint>): number {
    const fn = this.vm.hostcalls[name];
    if (!fn) throw new Error(`no hostcall ${name} linked (add it to shim.wat?)`);
    return fn(...args) as number;
  }

  log(level: number, msg: string): number {
    return this.call("proxy_log", level, ...this.put(msg));
  }
  getHeader(map: number, key: string) {
    return this.withOut("proxy_get_header_map_value", map, ...this.put(key));
  }
  addHeader(map: number, key: string, value: string): number {
    return this.call("proxy_add_header_map_value", map, ...this.put(key), ...this.put(value));
  }
  replaceHeader(map: number, key: string, value: string): number {
    return this.call("proxy_replace_header_map_value", map, ...this.put(key), ...this.put(value));
  }
  removeHeader(map: number, key: string): number {
    return this.call("proxy_remove_header_map_value", map, ...this.put(key));
  }
  getPairs(map: number) {
    return this.withOut("proxy_get_header_map_pairs", map);
  }
  setPairs(map: number, serialized: Uint8Array): number {
    return this.call("proxy_set_header_map_pairs", map, ...this.put(serialized));
  }
  headerMapSize(map: number): { status: number; size: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_get_header_map_size", map, out);
    return { status, size: status === 0 ? this.u32(out) : 0 };
  }
  getBuffer(type: number, start = 0, len = 0x7fffffff) {
    return this.withOut("proxy_get_buffer_bytes", type, start, len);
  }
  setBuffer(type: number, start: number, len: number, data: string | Uint8Array): number {
    return this.call("proxy_set_buffer_bytes", type, start, len, ...this.put(data));
  }
  bufferStatus(type: number): { status: number; size: number; flags: number } {
    const out = this.alloc(8);
    const status = this.call("proxy_get_buffer_status", type, out, out + 4);
    return { status, size: status === 0 ? this.u32(out) : 0, flags: status === 0 ? this.u32(out + 4) : 0 };
  }
  getProperty(path: string[]) {
    return this.withOut("proxy_get_property", ...this.put(path.join("\0")));
  }
  setProperty(path: string[], value: string | Uint8Array): number {
    return this.call("proxy_set_property", ...this.put(path.join("\0")), ...this.put(value));
  }
  sendLocalResponse(status: number, details: string, body: string, headers: Uint8Array = new Uint8Array(0), grpc = -1): number {
    return this.call("proxy_send_local_response", status, ...this.put(details), ...this.put(body), ...this.put(headers), grpc);
  }
  httpCall(cluster: string, headers: Uint8Array, body = "", trailers: Uint8Array = new Uint8Array(0), timeout = 1000): { status: number; token: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_http_call", ...this.put(cluster), ...this.put(headers), ...this.put(body), ...this.put(trailers), timeout, out);
    return { status, token: status === 0 ? this.u32(out) : 0 };
  }
  continueStream(t: number): number {
    return this.call("proxy_continue_stream", t);
  }
  closeStream(t: number): number {
    return this.call("proxy_close_stream", t);
  }
  setEffectiveContext(id: number): number {
    return this.call("proxy_set_effective_context", id);
  }
  setTickPeriod(ms: number): number {
    return this.call("proxy_set_tick_period_milliseconds", ms);
  }
  getSharedData(key: string) {
    const out = this.alloc(12);
    const status = this.call("proxy_get_shared_data", ...this.put(key), out, out + 4, out + 8);
    const bytes = status === 0 ? this.bytes(this.u32(out), this.u32(out + 4)) : new Uint8Array(0);
    return { status, text: utf8d.decode(bytes), cas: status === 0 ? this.u32(out + 8) : 0 };
  }
  setSharedData(key: string, value: string, cas = 0): number {
    return this.call("proxy_set_shared_data", ...this.put(key), ...this.put(value), cas);
  }
  registerQueue(name: string): { status: number; token: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_register_shared_queue", ...this.put(name), out);
    return { status, token: status === 0 ? this.u32(out) : 0 };
  }
  resolveQueue(vmId: string, name: string): { status: number; token: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_resolve_shared_queue", ...this.put(vmId), ...this.put(name), out);
    return { status, token: status === 0 ? this.u32(out) : 0 };
  }
  enqueue(token: number, value: string): number {
    return this.call("proxy_enqueue_shared_queue", token, ...this.put(value));
  }
  dequeue(token: number) {
    return this.withOut("proxy_dequeue_shared_queue", token);
  }
  defineMetric(type: number, name: string): { status: number; id: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_define_metric", type, ...this.put(name), out);
    return { status, id: status === 0 ? this.u32(out) : 0 };
  }
  recordMetric(id: number, v: bigint): number {
    return this.call("proxy_record_metric", id, v);
  }
  incrementMetric(id: number, d: bigint): number {
    return this.call("proxy_increment_metric", id, d);
  }
  getMetric(id: number): { status: number; value: bigint } {
    const out = this.alloc(8);
    const status = this.call("proxy_get_metric", id, out);
    return { status, value: status === 0 ? this.u64(out) : 0n };
  }
  getStatus() {
    const code = this.alloc(4);
    const r = this.withOut("proxy_get_status", code);
    return { ...r, code: this.u32(code) };
  }
  getLogLevel(): { status: number; level: number } {
    const out = this.alloc(4);
    const status = this.call("proxy_get_log_level", out);
    return { status, level: this.u32(out) };
  }
  now(): bigint {
    const out = this.alloc(8);
    this.call("proxy_get_current_time_nanoseconds", out);
    return this.u64(out);
  }
  foreign(name: string, args: string) {
    return this.withOut("proxy_call_foreign_function", ...this.put(name), ...this.put(args));
  }
  done(): number {
    return this.call("proxy_done");
  }
}

export interface ShimOptions extends HostOptions {
  abi?: "0_2_0" | "0_2_1" | "0_2_100";
}

/** Hostcalls the shim imports (so tests can call them through vm.hostcalls). */
const SHIM_IMPORTS: Record<string, string> = {
  proxy_get_header_map_value: "i32 i32 i32 i32 i32",
  proxy_add_header_map_value: "i32 i32 i32 i32 i32",
  proxy_replace_header_map_value: "i32 i32 i32 i32 i32",
  proxy_remove_header_map_value: "i32 i32 i32",
  proxy_get_header_map_pairs: "i32 i32 i32",
  proxy_set_header_map_pairs: "i32 i32 i32",
  proxy_get_header_map_size: "i32 i32",
  proxy_get_buffer_bytes: "i32 i32 i32 i32 i32",
  proxy_set_buffer_bytes: "i32 i32 i32 i32 i32",
  proxy_get_buffer_status: "i32 i32 i32",
  proxy_get_property: "i32 i32 i32 i32",
  proxy_set_property: "i32 i32 i32 i32",
  proxy_send_local_response: "i32 i32 i32 i32 i32 i32 i32 i32",
  proxy_http_call: "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32",
  proxy_continue_stream: "i32",
  proxy_close_stream: "i32",
  proxy_set_effective_context: "i32",
  proxy_set_tick_period_milliseconds: "i32",
  proxy_get_shared_data: "i32 i32 i32 i32 i32",
  proxy_set_shared_data: "i32 i32 i32 i32 i32",
  proxy_register_shared_queue: "i32 i32 i32",
  proxy_resolve_shared_queue: "i32 i32 i32 i32 i32",
  proxy_enqueue_shared_queue: "i32 i32 i32",
  proxy_dequeue_shared_queue: "i32 i32 i32",
  proxy_define_metric: "i32 i32 i32 i32",
  proxy_record_metric: "i32 i64",
  proxy_increment_metric: "i32 i64",
  proxy_get_metric: "i32 i32",
  proxy_get_status: "i32 i32 i32",
  proxy_get_log_level: "i32",
  proxy_get_current_time_nanoseconds: "i32",
  proxy_call_foreign_function: "i32 i32 i32 i32 i32 i32",
  proxy_done: "",
  proxy_grpc_call: "i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32",
};

/** The shim module text with every hostcall imported (so they are all linked and callable). */
function shimReplacements(abi: string): Record<string, string> {
  const imports = Object.entries(SHIM_IMPORTS)
    .map(([n, params]) => `  (import "env" "${n}" (func (param ${params}) (result i32)))`)
    .join("\n");
  return { __ABI__: abi, '  (memory (export "memory") 2)': `${imports}\n  (memory (export "memory") 2)` };
}

/** A host + VM running shim.wat; `on` sets the JS behaviour of each callback, `calls` records them in order. */
export class Shim {
  readonly calls: Array<{ cb: CallbackName; args: number[]; vm: string }> = [];
  handlers: Partial<Record<CallbackName, Handler>> = {};
  readonly abis = new Map<Vm, Abi>();
  host!: ProxyWasmHost;
  vm!: Vm;

  static async create(opts: ShimOptions = {}, vmOpts: { vmId?: string; vmConfiguration?: string } = {}): Promise<Shim> {
    const shim = new Shim();
    const bin = await compileWat("shim.wat", shimReplacements(opts.abi ?? "0_2_1"));
    shim.host = await ProxyWasmHost.load(bin, {
      onTrap: () => {},
      ...opts,
      extraImports: (vm) => ({
        test_callback: (id: number, a: number, b: number, c: number, d: number, e: number) => {
          const cb = CALLBACKS[id];
          const args = [a, b, c, d, e].slice(0, ARITY[cb]);
          shim.calls.push({ cb, args, vm: vm.vmId });
          const h = shim.handlers[cb];
          const r = h ? h(shim.abiFor(vm), ...args) : undefined;
          return r ?? DEFAULTS[cb];
        },
      }),
    });
    shim.vm = await shim.host.createVm(vmOpts);
    return shim;
  }

  abiFor(vm: Vm): Abi {
    let a = this.abis.get(vm);
    if (!a) this.abis.set(vm, (a = new Abi(vm)));
    return a;
  }

  get abi(): Abi {
    return this.abiFor(this.vm);
  }

  on(handlers: Partial<Record<CallbackName, Handler>>): this {
    Object.assign(this.handlers, handlers);
    return this;
  }

  /** The callback names seen so far, e.g. ["context_create", "vm_start", "configure"]. */
  names(): string[] {
    return this.calls.map((c) => c.cb);
  }
}

const ARITY: Record<CallbackName, number> = {
  context_create: 2,
  vm_start: 2,
  configure: 2,
  request_headers: 3,
  request_body: 3,
  request_trailers: 2,
  response_headers: 3,
  response_body: 3,
  response_trailers: 2,
  log: 1,
  done: 1,
  delete: 1,
  tick: 1,
  http_call_response: 5,
  queue_ready: 2,
};

const DEFAULTS: Record<CallbackName, number> = {
  context_create: 0,
  vm_start: 1,
  configure: 1,
  request_headers: 0,
  request_body: 0,
  request_trailers: 0,
  response_headers: 0,
  response_body: 0,
  response_trailers: 0,
  log: 0,
  done: 1,
  delete: 0,
  tick: 0,
  http_call_response: 0,
  queue_ready: 0,
};

export const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");
export const H = (...pairs: Array<[string, string]>) => pairs;
/** Minimal request headers (4 pseudo-headers). */
export function reqHeaders(extra: Array<[string, string]> = [], path = "/v1/x", method = "POST"): Array<[string, string]> {
  return [[":authority", "client.example"], [":path", path], [":method", method], [":scheme", "http"], ...extra];
}
