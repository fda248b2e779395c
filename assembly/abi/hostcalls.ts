// Safe wrappers over the host imports: plugin code calls these and never sees a pointer.
// NotFound becomes "absent" (null); other failures come back as a Status the caller may inspect.
import * as imp from "./imports";
import { BufferType, LogLevel, MapType, MetricType, Status, StreamType } from "./types";
import { allocateNextInto, RET_AUX, RET_LEN, RET_PTR, releaseStray, resetReturnSlots, returnedPtr, takeReturned } from "./memory";
import { HeaderPair, deserializePairs, serializePairs } from "./pairs";

@inline function ptrOf(buf: ArrayBuffer): usize { return changetype<usize>(buf); }
@inline function utf8(s: string): ArrayBuffer { return String.UTF8.encode(s); }

/** The status of the most recent wrapped call, for callers that need to tell NotFound from BadArgument. */
export let lastStatus: Status = Status.Ok;

function finish(status: u32): ArrayBuffer | null {
  lastStatus = <Status>status;
  if (status != Status.Ok) {
    resetReturnSlots();
    releaseStray();
    return null;
  }
  return takeReturned();
}

// ---- Higress's wasm-go test host ----
// That host (github.com/higress-group/wasm-go pkg/test over proxy-wasm-go-sdk's proxytest) keeps the bytes a plugin
// passes for headers, bodies, local replies and callouts as views into the plugin's memory instead of copying them.
// Where it is detected, what was passed stays referenced, so our allocator does not reuse that memory while the host
// still reads it: until an HTTP context starts once more than PIN_BUDGET bytes are held (that host's tests compare
// header values across several requests: one context is not enough). It answers Higress's own foreign function
// `get_log_level`, which Envoy does not have (newer Higress has it too: there the pins only keep a few streams'
// buffers a bit longer).
let higressProbe: i32 = -1; // -1 not probed yet, 0 no, 1 yes
let pins: Array<Object> = [];
let pinnedBytes: i32 = 0;
const PIN_BUDGET: i32 = 256 * 1024;

/** Whether the host answers Higress's `get_log_level` foreign function (probed once per VM). */
export function hostIsHigress(): bool {
  if (higressProbe < 0) {
    const n = utf8("get_log_level");
    const status = imp.proxy_call_foreign_function(ptrOf(n), n.byteLength, 0, 0, RET_PTR, RET_LEN);
    finish(status);
    higressProbe = status == Status.Ok ? 1 : 0;
  }
  return higressProbe == 1;
}

@inline function pin<T>(o: T): void {
  if (!hostIsHigress()) return;
  pins.push(changetype<Object>(o));
  pinnedBytes += o.byteLength;
}

/** Header strings and log lines: the host's tests compare them across requests (kept under the same budget). */
@inline function pinHeader<T>(o: T): void { pin<T>(o); }

/** A new HTTP context starts: the earlier streams' bytes are let go once they exceed the budget. */
export function releaseHostPins(): void {
  if (pinnedBytes <= PIN_BUDGET) return;
  pins = [];
  pinnedBytes = 0;
}

// ---- logging ----
export function log(level: LogLevel, message: string): void {
  const m = utf8(message);
  pinHeader(m);
  imp.proxy_log(level, ptrOf(m), m.byteLength);
}
export function logTrace(message: string): void { log(LogLevel.Trace, message); }
export function logDebug(message: string): void { log(LogLevel.Debug, message); }
export function logInfo(message: string): void { log(LogLevel.Info, message); }
export function logWarn(message: string): void { log(LogLevel.Warn, message); }
export function logError(message: string): void { log(LogLevel.Error, message); }

// ---- header maps ----
export function getHeader(map: MapType, key: string): string | null {
  const k = utf8(key);
  const buf = finish(imp.proxy_get_header_map_value(map, ptrOf(k), k.byteLength, RET_PTR, RET_LEN));
  if (lastStatus != Status.Ok) return null;
  return buf === null ? "" : String.UTF8.decode(buf);
}
export function addHeader(map: MapType, key: string, value: string): Status {
  const k = utf8(key);
  const v = utf8(value);
  pinHeader(k); pinHeader(v);
  return lastStatus = <Status>imp.proxy_add_header_map_value(map, ptrOf(k), k.byteLength, ptrOf(v), v.byteLength);
}
/** Envoy's setCopy: removes every value of `key`, then adds one. */
export function replaceHeader(map: MapType, key: string, value: string): Status {
  const k = utf8(key);
  const v = utf8(value);
  pinHeader(k); pinHeader(v);
  return lastStatus = <Status>imp.proxy_replace_header_map_value(map, ptrOf(k), k.byteLength, ptrOf(v), v.byteLength);
}
export function removeHeader(map: MapType, key: string): Status {
  const k = utf8(key);
  return lastStatus = <Status>imp.proxy_remove_header_map_value(map, ptrOf(k), k.byteLength);
}
export function getHeaderPairs(map: MapType): Array<HeaderPair> {
  return deserializePairs(finish(imp.proxy_get_header_map_pairs(map, RET_PTR, RET_LEN)));
}
export function setHeaderPairs(map: MapType, pairs: Array<HeaderPair>): Status {
  const s = serializePairs(pairs);
  pinHeader(s);
  return lastStatus = <Status>imp.proxy_set_header_map_pairs(map, ptrOf(s), s.byteLength);
}

// ---- buffers ----
/** Bytes [start, start+maxSize) of a buffer, clamped by the host; empty when the buffer is empty, null when unavailable. */
export function getBuffer(type: BufferType, start: u32 = 0, maxSize: u32 = 0xFFFFFFFF): ArrayBuffer | null {
  const buf = finish(imp.proxy_get_buffer_bytes(type, start, maxSize, RET_PTR, RET_LEN));
  if (lastStatus != Status.Ok) return null;
  return buf === null ? new ArrayBuffer(0) : buf;
}
/**
 * Bytes [0, dest.byteLength) of a buffer written straight into `dest` (no allocation when the host writes there);
 * the count written, or -1 when the buffer is unavailable.
 */
export function getBufferInto(type: BufferType, dest: ArrayBuffer): i32 {
  const d = changetype<usize>(dest);
  allocateNextInto(d, <usize>dest.byteLength);
  const status = imp.proxy_get_buffer_bytes(type, 0, dest.byteLength, RET_PTR, RET_LEN);
  allocateNextInto(0, 0);
  if (status != Status.Ok) { finish(status); return -1; }
  lastStatus = Status.Ok;
  if (returnedPtr() == d) {
    const n = <i32>min(load<usize>(RET_LEN), <usize>dest.byteLength);
    resetReturnSlots();
    return n;
  }
  // The host wrote elsewhere (an empty buffer, or a host that allocates differently): copy what it returned.
  const other = takeReturned();
  if (other === null) return 0;
  const n = min(other.byteLength, dest.byteLength);
  memory.copy(d, changetype<usize>(other), <usize>n);
  return n;
}

// Bytes sent to the host are passed as views (pointer + length): no copy, whatever slice of a buffer they are.

/** Envoy's rules: start 0 replaces the first `size` bytes (size >= length replaces all); start >= length appends. */
export function setBuffer(type: BufferType, start: u32, size: u32, value: Uint8Array): Status {
  pin(value);
  return lastStatus = <Status>imp.proxy_set_buffer_bytes(type, start, size, value.dataStart, value.byteLength);
}
/**
 * Replaces the whole buffer. Envoy drains min(size, length) bytes and prepends, so size 0xFFFFFFFF replaces all;
 * Higress's wasm-go test host reads the size as int32 -1 and answers BadArgument. There (only there) the buffer's
 * length is read and the call repeated with it; Envoy never takes that path.
 */
export function replaceBuffer(type: BufferType, value: Uint8Array): Status {
  if (setBuffer(type, 0, 0xFFFFFFFF, value) != Status.BadArgument) return lastStatus;
  const current = getBuffer(type, 0, 0x7FFFFFFF);
  return setBuffer(type, 0, current === null ? 0 : <u32>current.byteLength, value);
}

// ---- properties ----
/** Property path parts are joined with NUL, as Envoy expects. */
function propertyPath(path: Array<string>): ArrayBuffer {
  return utf8(path.join("\0"));
}
export function getProperty(path: Array<string>): ArrayBuffer | null {
  const p = propertyPath(path);
  const buf = finish(imp.proxy_get_property(ptrOf(p), p.byteLength, RET_PTR, RET_LEN));
  if (lastStatus != Status.Ok) return null;
  return buf === null ? new ArrayBuffer(0) : buf;
}
export function getPropertyString(path: Array<string>): string | null {
  const buf = getProperty(path);
  return buf === null ? null : String.UTF8.decode(buf);
}
export function setProperty(path: Array<string>, value: ArrayBuffer): Status {
  const p = propertyPath(path);
  return lastStatus = <Status>imp.proxy_set_property(ptrOf(p), p.byteLength, ptrOf(value), value.byteLength);
}

// ---- local replies and stream control ----
export function sendLocalResponse(status: u32, details: string, body: Uint8Array, headers: Array<HeaderPair>, grpcStatus: i32 = -1): Status {
  const d = utf8(details);
  const h = serializePairs(headers);
  pin(d); pin(body); pin(h);
  return lastStatus = <Status>imp.proxy_send_local_response(status, ptrOf(d), d.byteLength, body.dataStart, body.byteLength, ptrOf(h), h.byteLength, grpcStatus);
}
export function continueStream(stream: StreamType): Status {
  return lastStatus = <Status>imp.proxy_continue_stream(stream);
}
export function closeStream(stream: StreamType): Status {
  return lastStatus = <Status>imp.proxy_close_stream(stream);
}
export function setEffectiveContext(contextId: u32): Status {
  return lastStatus = <Status>imp.proxy_set_effective_context(contextId);
}
export function done(): Status {
  return lastStatus = <Status>imp.proxy_done();
}

// ---- HTTP callouts ----
/** Returns the call token, or 0 when the host refused the call (unknown cluster, missing pseudo-headers). */
export function httpCall(cluster: string, headers: Array<HeaderPair>, body: Uint8Array, trailers: Array<HeaderPair>, timeoutMs: u32): u32 {
  const c = utf8(cluster);
  const h = serializePairs(headers);
  const t = serializePairs(trailers);
  pin(c); pin(h); pin(t);
  store<u32>(RET_AUX, 0);
  lastStatus = <Status>imp.proxy_http_call(ptrOf(c), c.byteLength, ptrOf(h), h.byteLength, body.dataStart, body.byteLength, ptrOf(t), t.byteLength, timeoutMs, RET_AUX);
  return lastStatus == Status.Ok ? load<u32>(RET_AUX) : 0;
}

// ---- timers ----
export function setTickPeriod(periodMs: u32): Status {
  return lastStatus = <Status>imp.proxy_set_tick_period_milliseconds(periodMs);
}

// ---- shared data (process-wide per vm_id, compare-and-swap) ----
export class SharedValue {
  constructor(public value: ArrayBuffer | null, public cas: u32) {}
}
/** null when the key is absent. */
export function getSharedData(key: string): SharedValue | null {
  const k = utf8(key);
  store<u32>(RET_AUX, 0);
  const buf = finish(imp.proxy_get_shared_data(ptrOf(k), k.byteLength, RET_PTR, RET_LEN, RET_AUX));
  if (lastStatus != Status.Ok) return null;
  return new SharedValue(buf === null ? new ArrayBuffer(0) : buf, load<u32>(RET_AUX));
}
/** cas 0 writes unconditionally; otherwise CasMismatch when someone wrote since the read. */
export function setSharedData(key: string, value: ArrayBuffer, cas: u32): Status {
  const k = utf8(key);
  return lastStatus = <Status>imp.proxy_set_shared_data(ptrOf(k), k.byteLength, ptrOf(value), value.byteLength, cas);
}

// ---- shared queues ----
export function registerSharedQueue(name: string): u32 {
  const n = utf8(name);
  store<u32>(RET_AUX, 0);
  lastStatus = <Status>imp.proxy_register_shared_queue(ptrOf(n), n.byteLength, RET_AUX);
  return lastStatus == Status.Ok ? load<u32>(RET_AUX) : 0;
}
export function resolveSharedQueue(vmId: string, name: string): u32 {
  const v = utf8(vmId);
  const n = utf8(name);
  store<u32>(RET_AUX, 0);
  lastStatus = <Status>imp.proxy_resolve_shared_queue(ptrOf(v), v.byteLength, ptrOf(n), n.byteLength, RET_AUX);
  return lastStatus == Status.Ok ? load<u32>(RET_AUX) : 0;
}
export function enqueueSharedQueue(queueId: u32, value: ArrayBuffer): Status {
  return lastStatus = <Status>imp.proxy_enqueue_shared_queue(queueId, ptrOf(value), value.byteLength);
}
/** null when empty or unknown (lastStatus says which). */
export function dequeueSharedQueue(queueId: u32): ArrayBuffer | null {
  const buf = finish(imp.proxy_dequeue_shared_queue(queueId, RET_PTR, RET_LEN));
  if (lastStatus != Status.Ok) return null;
  return buf === null ? new ArrayBuffer(0) : buf;
}

// ---- metrics ----
/** Returns the metric id, or 0 when the host refused. */
export function defineMetric(type: MetricType, name: string): u32 {
  const n = utf8(name);
  store<u32>(RET_AUX, 0);
  lastStatus = <Status>imp.proxy_define_metric(type, ptrOf(n), n.byteLength, RET_AUX);
  return lastStatus == Status.Ok ? load<u32>(RET_AUX) : 0;
}
export function incrementMetric(id: u32, delta: i64): Status {
  return lastStatus = <Status>imp.proxy_increment_metric(id, delta);
}
export function recordMetric(id: u32, value: u64): Status {
  return lastStatus = <Status>imp.proxy_record_metric(id, value);
}
export function getMetric(id: u32): u64 {
  store<u64>(RET_AUX, 0);
  lastStatus = <Status>imp.proxy_get_metric(id, RET_AUX);
  return lastStatus == Status.Ok ? load<u64>(RET_AUX) : 0;
}

// ---- foreign functions ----
export function callForeignFunction(name: string, args: ArrayBuffer): ArrayBuffer | null {
  const n = utf8(name);
  const buf = finish(imp.proxy_call_foreign_function(ptrOf(n), n.byteLength, ptrOf(args), args.byteLength, RET_PTR, RET_LEN));
  if (lastStatus != Status.Ok) return null;
  return buf === null ? new ArrayBuffer(0) : buf;
}

// ---- time and randomness (WASI) ----
/** Wall-clock time in nanoseconds since the epoch. */
export function nowNanos(): u64 {
  store<u64>(RET_AUX, 0);
  imp.wasi_clock_time_get(0, 1000, RET_AUX);
  return load<u64>(RET_AUX);
}
/** Monotonic time in nanoseconds (for durations). */
export function monotonicNanos(): u64 {
  store<u64>(RET_AUX, 0);
  imp.wasi_clock_time_get(1, 1000, RET_AUX);
  return load<u64>(RET_AUX);
}
export function nowMillis(): u64 {
  return nowNanos() / 1000000;
}
export function randomU32(): u32 {
  store<u32>(RET_AUX, 0);
  imp.wasi_random_get(RET_AUX, 4);
  return load<u32>(RET_AUX);
}
