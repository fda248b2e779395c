// One Wasm VM: an instance of the module with its own memory, contexts, timers, metric ids and http_call tokens
// (Envoy: one per worker thread). Every host→VM call goes through invoke(), which tracks the current and effective
// context, turns a trap into a failed VM (loudly), and leaves deferred actions (continue/close/local reply) to
// flushDeferred(), run when the outermost callback has returned — Envoy's DeferAfterCallActions.

import { WasmMemory } from "./abi/memory";
import { LogLevel, Status } from "./abi/status";
import { HeaderMap } from "./header-map";
import { buildImports } from "./imports";
import { MetricStore, VmMetrics } from "./metrics";
import { Plugin, type PluginOptions } from "./plugin";
import { ManualScheduler, RealScheduler, settle, type Scheduler } from "./scheduler";
import { sharedStore } from "./shared-store";
import type { Stream } from "./filter-chain";
import type { HostOptions, LogEntry } from "./types";
import { bindWasiMemory, createWasi, ProcExit } from "./wasi";

export type Context = Plugin | Stream;

/** The http_call response visible to the plugin during proxy_on_http_call_response. */
export interface CallResponse {
  headers: HeaderMap | null;
  body: Uint8Array | null;
  trailers: HeaderMap | null;
}

const utf8 = new TextEncoder();

export class Vm {
  readonly logs: LogEntry[] = [];
  /** The trap (or host error) that failed this VM; null while healthy. */
  trap: Error | null = null;
  readonly memory = new WasmMemory();
  readonly contexts = new Map<number, Context>();
  readonly plugins: Plugin[] = [];
  readonly vmConfiguration: Uint8Array;
  readonly metricsTable: VmMetrics;
  readonly scheduler: Scheduler;
  readonly options: HostOptions;
  exports: Record<string, unknown> = {};
  /** The `env` functions linked into the module (tests can call hostcalls exactly as the module would). */
  hostcalls: Record<string, (...args: any[]) => number> = {};
  instance: WebAssembly.Instance | null = null;

  /** Context of the callback now running, and the effective context (proxy_set_effective_context). */
  currentContextId = 0;
  effectiveContextId = 0;
  private depth = 0;
  private deferred: Array<() => void> = [];
  private nextContextId = 1;
  /** Incremented on every callback: lets an exchange tell "waiting" from "stalled". */
  progress = 0;

  // proxy_http_call state
  nextCallToken = 0;
  readonly pendingCalls = new Map<number, { plugin: Plugin; done: boolean }>();
  callResponse: CallResponse | null = null;
  lastStatus: { code: number; message: string } = { code: 0, message: "" };
  /** The plugin configuration, readable only during proxy_on_configure. */
  pluginConfiguration: Uint8Array | null = null;
  private timeOffsetNs = 0n;
  private closed = false;

  constructor(
    readonly vmId: string,
    vmConfiguration: string,
    readonly abiVersion: string,
    options: HostOptions,
    metricStore: MetricStore,
  ) {
    this.options = options;
    this.vmConfiguration = utf8.encode(vmConfiguration);
    this.metricsTable = new VmMetrics(metricStore);
    this.scheduler = options.timers === "real" ? new RealScheduler() : new ManualScheduler();
    sharedStore.retain(vmId);
  }

  /** Instantiate and run the module's init: `_initialize` (then `main(0,0)` if exported), else `_start`. */
  async instantiate(module: WebAssembly.Module): Promise<void> {
    const wanted = WebAssembly.Module.imports(module);
    const { wasi, imports: wasiImports } = createWasi(
      {
        memory: this.memory,
        log: (level, msg) => this.log(level, msg),
        realtimeNs: () => this.nowNs(),
        monotonicNs: () => process.hrtime.bigint() + this.timeOffsetNs,
      },
      wanted.filter((i) => i.module === "wasi_snapshot_preview1" && i.kind === "function").map((i) => i.name),
    );
    const env = buildImports(this, wanted.filter((i) => i.module === "env"));
    const extra = typeof this.options.extraImports === "function" ? this.options.extraImports(this) : this.options.extraImports;
    for (const [k, fn] of Object.entries(extra ?? {})) if (k in env) env[k] = fn;
    this.hostcalls = env as Record<string, (...args: any[]) => number>;
    const importObject: WebAssembly.Imports = { env, wasi_snapshot_preview1: wasiImports as WebAssembly.ModuleImports };
    this.instance = await WebAssembly.instantiate(module, importObject);
    this.exports = this.instance.exports as Record<string, unknown>;
    const mem = this.exports.memory;
    if (!(mem instanceof WebAssembly.Memory)) throw new Error("Proxy-Wasm module does not export its memory");
    const alloc = (this.exports.malloc ?? this.exports.proxy_on_memory_allocate) as (n: number) => number;
    this.memory.attach(mem, (n) => alloc(n));
    bindWasiMemory(wasi, mem);
    const init = this.exports._initialize as (() => void) | undefined;
    const start = this.exports._start as (() => void) | undefined;
    const main = this.exports.main as ((a: number, b: number) => number) | undefined;
    try {
      if (typeof init === "function") {
        init();
        if (typeof main === "function") main(0, 0);
      } else if (typeof start === "function") {
        start();
      }
    } catch (e) {
      if (!(e instanceof ProcExit && e.code === 0)) {
        this.fail(e, "module initialization");
        throw this.trap!;
      }
    }
  }

  // ---- contexts ----------------------------------------------------------------------------------------------

  /** Context ids start at 1 and are never reused. */
  allocContextId(): number {
    while (this.contexts.has(this.nextContextId)) this.nextContextId++;
    return this.nextContextId++;
  }

  /** The context hostcalls act on: the effective context if set, else the current one. */
  effectiveContext(): Context | undefined {
    return this.contexts.get(this.effectiveContextId || this.currentContextId);
  }

  /** The root context (plugin) owning the effective context. */
  effectiveRoot(): Plugin | undefined {
    const c = this.effectiveContext();
    if (!c) return undefined;
    return c.kind === "root" ? c : c.plugin;
  }

  startPlugin(opts: PluginOptions): Plugin {
    const p = new Plugin(this, opts);
    this.plugins.push(p);
    p.start();
    return p;
  }

  // ---- calling into the VM -----------------------------------------------------------------------------------

  /**
   * Call export `name` for context `ctxId`. Returns the export's i32 result, `dflt` when the module does not export
   * it, or null when the VM has failed (now or before).
   */
  invoke(ctxId: number, name: string, args: Array<number | bigint>, dflt = 0): number | null {
    if (this.trap || this.closed) return null;
    const fn = this.exports[name];
    if (typeof fn !== "function") return dflt;
    const saved = [this.currentContextId, this.effectiveContextId];
    this.currentContextId = ctxId;
    this.effectiveContextId = 0;
    this.depth++;
    this.progress++;
    try {
      const r = (fn as (...a: Array<number | bigint>) => unknown)(...args);
      return typeof r === "number" ? r >>> 0 : typeof r === "bigint" ? Number(BigInt.asUintN(32, r)) : 0;
    } catch (e) {
      this.fail(e, `${name}(${args.join(", ")})`);
      return null;
    } finally {
      this.depth--;
      [this.currentContextId, this.effectiveContextId] = saved;
    }
  }

  /** Queue an action to run once the outermost callback has returned. */
  defer(action: () => void): void {
    this.deferred.push(action);
  }

  get inCallback(): boolean {
    return this.depth > 0;
  }

  flushDeferred(): void {
    if (this.depth > 0) return;
    while (this.deferred.length) this.deferred.shift()!();
  }

  /** Mark the whole VM failed (Envoy: fail(RuntimeError)), report it loudly, drop queued actions. */
  fail(e: unknown, where: string): void {
    const err = e instanceof Error ? e : new Error(String(e));
    if (this.trap) return;
    const kind = e instanceof WebAssembly.RuntimeError ? "trapped" : "failed (host error)";
    const wrapped = new Error(`Wasm VM "${this.vmId}" ${kind} in ${where}: ${err.message}`, { cause: err });
    wrapped.stack = `${wrapped.message}\n${err.stack ?? ""}`;
    this.trap = wrapped;
    this.deferred = [];
    this.logs.push({ level: LogLevel.Critical, message: wrapped.message, contextId: this.currentContextId });
    if (this.options.onTrap) this.options.onTrap(wrapped, this);
    else console.error(`[ai-proxy-wasm host] ${wrapped.stack}`);
  }

  // ---- host services -----------------------------------------------------------------------------------------

  get logLevel(): number {
    return this.options.logLevel ?? LogLevel.Info;
  }

  log(level: number, message: string): void {
    if (level < this.logLevel) return;
    const entry = { level, message, contextId: this.currentContextId };
    this.logs.push(entry);
    this.options.onLog?.(entry, this);
  }

  nowNs(): bigint {
    return this.options.now ? this.options.now() : BigInt(Date.now()) * 1_000_000n + this.timeOffsetNs;
  }

  get bufferLimit(): number {
    return this.options.bufferLimitBytes ?? 1024 * 1024;
  }

  /** Work that will call back into the VM on its own: in-flight http_calls. */
  pendingWork(): number {
    let n = 0;
    for (const c of this.pendingCalls.values()) if (!c.done) n++;
    return n;
  }

  /** Deliver an http_call answer (null = reset) to the owning root context, never inside another callback. */
  deliverCallResponse(plugin: Plugin, token: number, resp: CallResponse | null): void {
    const pending = this.pendingCalls.get(token);
    if (!pending || pending.done) return;
    pending.done = true;
    this.pendingCalls.delete(token);
    // Envoy never calls a failed VM (Higress drops the response); a gone root context cancels its calls.
    if (this.trap || !this.contexts.has(plugin.id)) return;
    this.callResponse = resp;
    this.lastStatus = resp ? { code: Status.Ok, message: "" } : { code: Status.BrokenConnection, message: "reset" };
    const bodyLen = resp?.body?.length ?? 0;
    this.invoke(plugin.id, "proxy_on_http_call_response", [plugin.id, token, resp?.headers?.size ?? 0, bodyLen, resp?.trailers?.size ?? 0]);
    this.callResponse = null;
    this.flushDeferred();
  }

  // ---- test face ---------------------------------------------------------------------------------------------

  /** Bytes of linear memory. */
  memoryBytes(): number {
    return this.memory.byteLength;
  }

  /** Counter and gauge values by metric name (histograms: see histograms()). Shared by the host's VMs, like Envoy stats. */
  metrics(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [k, v] of this.metricsTable.store.counters) m.set(k, Number(v));
    for (const [k, v] of this.metricsTable.store.gauges) m.set(k, Number(v));
    return m;
  }

  histograms(): Map<string, number[]> {
    return new Map([...this.metricsTable.store.histograms].map(([k, v]) => [k, v.map(Number)]));
  }

  prometheus(): string {
    return this.metricsTable.store.prometheus();
  }

  /**
   * Advance time by ms: in manual mode fire due tick timers and http_call timeouts in order, letting async work
   * (http_call answers, queue notifications) land in between; in real mode just wait.
   */
  async tick(ms: number): Promise<void> {
    if (this.scheduler instanceof ManualScheduler) {
      const before = this.scheduler.nowMs();
      await this.scheduler.advance(ms, async () => {
        this.timeOffsetNs = BigInt(Math.round(this.scheduler.nowMs())) * 1_000_000n;
        await settle();
      });
      this.timeOffsetNs = BigInt(Math.round(before + ms)) * 1_000_000n;
    } else {
      await new Promise((r) => setTimeout(r, ms));
    }
  }

  /** Shared-data value for this VM's vm_id (test helper). */
  sharedData(key: string): { value: Uint8Array; cas: number } | undefined {
    return sharedStore.get(this.vmId, key);
  }

  /**
   * Shut the VM down: proxy_on_done for each root context (a root answering false may finish later with proxy_done),
   * proxy_on_delete, cancel timers; the vm_id's shared data goes when its last VM closes.
   */
  close(): void {
    if (this.closed) return;
    for (const p of this.plugins) p.shutdown();
    this.closed = true;
    (this.scheduler as ManualScheduler | RealScheduler).cancelAll();
    sharedStore.release(this.vmId);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
