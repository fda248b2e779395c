// Public option and result types of the host's test face.

import type { Headers } from "./header-map";
export type { Headers } from "./header-map";

export interface ClusterRequest {
  headers: Headers;
  body: Uint8Array;
  timeoutMs: number;
  /** The cluster name the plugin gave. */
  cluster: string;
}

/** The answer of a cluster to proxy_http_call. `status` is used when `headers` has no `:status` (default 200). */
export interface ClusterResponse {
  status?: number;
  headers: Headers;
  body?: Uint8Array | string;
  trailers?: Headers;
}

export type ClusterHandler = (req: ClusterRequest) => Promise<ClusterResponse | "reset" | "timeout"> | ClusterResponse | "reset" | "timeout";

export interface LogEntry {
  level: number;
  message: string;
  /** Context the plugin was running in (0 = VM context, e.g. during _initialize). */
  contextId: number;
}

export type PropertyValue = string | Uint8Array | number | bigint | boolean;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ExtraImports = Record<string, (...args: any[]) => number | void>;

export interface HostOptions {
  /** Envoy ≥1.35 `allow_on_headers_stop_iteration: true`: StopIteration from a header callback is a true StopIteration. */
  allowOnHeadersStopIteration?: boolean;
  /** Per-stream buffer limit (Envoy's per_connection_buffer_limit_bytes; default 1 MiB). */
  bufferLimitBytes?: number;
  /** Envoy's `wasm` logger level (proxy_get_log_level); lower-level plugin logs are not kept. Default 2 (info). */
  logLevel?: number;
  /** Call proxy_on_vm_start for each plugin (default true). */
  callVmStart?: boolean;
  /** Clusters reachable by proxy_http_call, by cluster name. */
  clusters?: Record<string, ClusterHandler>;
  /** Fallback for cluster names not in `clusters` (the gateway maps names to URLs here). Undefined = unknown cluster. */
  resolveCluster?: (name: string) => ClusterHandler | undefined;
  /** Wall clock in ns (proxy_get_current_time_nanoseconds, WASI realtime). Default: Date.now() + time advanced by tick(). */
  now?: () => bigint;
  /** "manual" (default): timers fire only in vm.tick(ms). "real": setTimeout (the gateway). */
  timers?: "manual" | "real";
  /** Called for every kept plugin log line (default: none; lines are stored in vm.logs). */
  onLog?: (entry: LogEntry, vm: { vmId: string }) => void;
  /** Called when a VM traps (default: console.error with the stack). The trap is also stored on vm.trap. */
  onTrap?: (error: Error, vm: { vmId: string }) => void;
  /** Foreign functions for proxy_call_foreign_function (default: none → NotFound, like HG 1.27). */
  foreignFunctions?: Record<string, (args: Uint8Array) => Uint8Array>;
  /**
   * Extra `env` functions linked into every VM (test harnesses only: e.g. a WAT shim whose callbacks call into JS).
   * They are not Proxy-Wasm hostcalls; Envoy would refuse a module importing them.
   */
  extraImports?: ExtraImports | ((vm: import("./vm").Vm) => ExtraImports);
  /** How long an exchange may make no progress while timers are armed before it fails (ms, default 2000). */
  stallTimeoutMs?: number;
}
