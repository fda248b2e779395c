// A plugin = one root context in a VM (Envoy: one per (VM, plugin config)). Owns the tick timer, the http_calls it
// made, the shared queues it registered, and creates stream contexts.

import { Stream } from "./filter-chain";
import { exchange, type ExchangeOptions, type ExchangeResult } from "./exchange";
import type { TimerHandle } from "./scheduler";
import type { PropertyValue } from "./types";
import type { Vm } from "./vm";

export interface PluginOptions {
  /** The plugin configuration exactly as Envoy's `configuration` carries it (objects are JSON-encoded). */
  configuration: string | object;
  rootId?: string;
  name?: string;
  /** Properties answered for this plugin's contexts (dotted path → value), e.g. {"route_name": "r1"}. */
  properties?: Record<string, PropertyValue>;
  /** Force the root context id (emulates a host that re-creates root context 1 in the same instance). */
  rootContextId?: number;
}

const utf8 = new TextEncoder();

export class Plugin {
  readonly kind = "root" as const;
  readonly id: number;
  readonly name: string;
  readonly rootId: string;
  readonly properties: Record<string, PropertyValue>;
  configuration: Uint8Array;
  /** False when proxy_on_configure (or proxy_on_vm_start) returned 0: Envoy would reject this configuration. */
  ok = false;
  vmStartResult: number | null = null;
  configureResult: number | null = null;
  /** proxy_on_done returned false at shutdown: proxy_done is now allowed. */
  pendingDone = false;
  deleted = false;
  private tickTimer: TimerHandle | null = null;
  private tickPeriodMs = 0;
  private tickGeneration = 0;

  constructor(
    readonly vm: Vm,
    opts: PluginOptions,
  ) {
    this.id = opts.rootContextId ?? vm.allocContextId();
    this.name = opts.name ?? "";
    this.rootId = opts.rootId ?? "";
    this.properties = opts.properties ?? {};
    this.configuration = encodeConfig(opts.configuration);
  }

  get rootContextId(): number {
    return this.id;
  }

  /** proxy_on_context_create(root, 0) → proxy_on_vm_start(root, vm_config_size) → proxy_on_configure(root, size). */
  start(): void {
    const vm = this.vm;
    vm.contexts.set(this.id, this);
    vm.invoke(this.id, "proxy_on_context_create", [this.id, 0]);
    vm.flushDeferred();
    let startOk = true;
    if (vm.options.callVmStart !== false) {
      this.vmStartResult = vm.invoke(this.id, "proxy_on_vm_start", [this.id, vm.vmConfiguration.length], 1);
      vm.flushDeferred();
      startOk = this.vmStartResult !== null && this.vmStartResult !== 0;
    }
    this.configure();
    this.ok = startOk && this.ok;
  }

  /** Run proxy_on_configure (again) with `configuration` (default: the current one). Returns ok. */
  configure(configuration?: string | object): boolean {
    if (configuration !== undefined) this.configuration = encodeConfig(configuration);
    const vm = this.vm;
    vm.pluginConfiguration = this.configuration;
    try {
      this.configureResult = vm.invoke(this.id, "proxy_on_configure", [this.id, this.configuration.length], 1);
    } finally {
      vm.pluginConfiguration = null;
    }
    vm.flushDeferred();
    this.ok = this.configureResult !== null && this.configureResult !== 0;
    return this.ok;
  }

  /** A new HTTP stream context (id allocated now, proxy_on_context_create on first use as Envoy does). */
  newStream(opts: { properties?: Record<string, PropertyValue> } = {}): Stream {
    return new Stream(this, opts.properties ?? {});
  }

  /** One full HTTP exchange through the filter (see exchange.ts). */
  exchange(opts: ExchangeOptions): Promise<ExchangeResult> {
    return exchange(this, opts);
  }

  // ---- tick timer (per root context) -------------------------------------------------------------------------

  setTickPeriod(ms: number): void {
    this.tickPeriodMs = ms;
    this.tickTimer?.cancel();
    this.tickTimer = null;
    const gen = ++this.tickGeneration;
    if (ms > 0) this.armTick(gen);
  }

  private armTick(gen: number): void {
    this.tickTimer = this.vm.scheduler.setTimer(this.tickPeriodMs, () => {
      if (gen !== this.tickGeneration || this.deleted || this.vm.trap) return;
      this.vm.invoke(this.id, "proxy_on_tick", [this.id]);
      this.vm.flushDeferred();
      // Re-arm unless the tick itself changed the period (setTickPeriod already re-armed or stopped it).
      if (gen === this.tickGeneration && this.tickPeriodMs > 0) this.armTick(gen);
    });
  }

  get tickPeriod(): number {
    return this.tickPeriodMs;
  }

  /** proxy_on_queue_ready for a queue this root registered (called asynchronously by the shared store). */
  notify(token: number): void {
    if (this.deleted || this.vm.trap) return;
    this.vm.invoke(this.id, "proxy_on_queue_ready", [this.id, token]);
    this.vm.flushDeferred();
  }

  /** VM shutdown: proxy_on_done; if it answers false the plugin must call proxy_done before proxy_on_delete. */
  shutdown(): void {
    this.setTickPeriod(0);
    if (this.deleted) return;
    const r = this.vm.invoke(this.id, "proxy_on_done", [this.id], 1);
    this.vm.flushDeferred();
    if (r === 0) {
      this.pendingDone = true;
      return;
    }
    this.delete();
  }

  /** proxy_done from this root after a false proxy_on_done. */
  done(): void {
    this.pendingDone = false;
    this.vm.defer(() => this.delete());
  }

  private delete(): void {
    if (this.deleted) return;
    this.deleted = true;
    this.vm.invoke(this.id, "proxy_on_delete", [this.id]);
    this.vm.contexts.delete(this.id);
  }
}

function encodeConfig(c: string | object): Uint8Array {
  return utf8.encode(typeof c === "string" ? c : JSON.stringify(c));
}
