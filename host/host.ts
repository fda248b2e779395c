// ProxyWasmHost: a compiled Proxy-Wasm module plus host options; VMs are instances of it.
// Load-time checks follow proxy-wasm-cpp-host: an ABI version export (0.2.0, 0.2.1, or Higress's 0.2.100; 0.1.0 is
// not supported by this host) and an allocator export (malloc or proxy_on_memory_allocate).

import { readFile } from "node:fs/promises";
import { implementedImports } from "./imports";
import { MetricStore } from "./metrics";
import type { HostOptions } from "./types";
import { Vm } from "./vm";

const ABI_VERSIONS = ["0_2_100", "0_2_1", "0_2_0"];

export class ProxyWasmHost {
  /** Shared by this host's VMs (Envoy shares stat values process-wide by name). */
  readonly metricStore = new MetricStore();
  /** `env` imports the module declares that are not Proxy-Wasm hostcalls (Envoy would refuse to load it). */
  readonly unknownImports: string[];
  private vmCount = 0;

  private constructor(
    readonly module: WebAssembly.Module,
    readonly abiVersion: string,
    readonly options: HostOptions,
  ) {
    const known = new Set(Object.keys(implementedImports({} as never)));
    const hostcallPrefix = /^proxy_/;
    this.unknownImports = WebAssembly.Module.imports(module)
      .filter((i) => i.module === "env" && !(known.has(i.name) || hostcallPrefix.test(i.name)))
      .map((i) => `env.${i.name}`);
  }

  /** Compile a module from a file path or bytes. Throws if it is not a loadable Proxy-Wasm module. */
  static async load(wasm: string | Uint8Array, opts: HostOptions = {}): Promise<ProxyWasmHost> {
    const bytes = typeof wasm === "string" ? await readFile(wasm) : wasm;
    const module = await WebAssembly.compile(bytes);
    const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
    const abi = ABI_VERSIONS.find((v) => exports.has(`proxy_abi_version_${v}`));
    if (!abi) throw new Error("Missing or unknown Proxy-Wasm ABI version (expected proxy_abi_version_0_2_0, _0_2_1 or _0_2_100)");
    if (!exports.has("malloc") && !exports.has("proxy_on_memory_allocate")) {
      throw new Error("Proxy-Wasm module exports neither malloc nor proxy_on_memory_allocate (Envoy: MissingFunction)");
    }
    const host = new ProxyWasmHost(module, abi, opts);
    if (host.unknownImports.length) {
      console.warn(`[ai-proxy-wasm host] module imports non-Proxy-Wasm functions Envoy would not provide: ${host.unknownImports.join(", ")}`);
    }
    return host;
  }

  /** A new VM (instance) running the module's init. vm_id keys shared data and queues process-wide. */
  async createVm(opts: { vmId?: string; vmConfiguration?: string } = {}): Promise<Vm> {
    const vm = new Vm(opts.vmId ?? "", opts.vmConfiguration ?? "", this.abiVersion, this.options, this.metricStore);
    this.vmCount++;
    await vm.instantiate(this.module);
    return vm;
  }

  get vmsCreated(): number {
    return this.vmCount;
  }
}
