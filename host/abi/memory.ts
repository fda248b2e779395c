// Access to the plugin's linear memory, and handing memory to the plugin the way Envoy does
// (WasmBase::allocMemory / copyToPointerSize): the host calls the module's own allocator, writes the bytes there and
// stores (ptr, size) into the plugin's out-parameters. Ownership passes to the plugin; the host never frees.

import { Status } from "./status";

/** Thrown inside a hostcall when the plugin passed a bad pointer; the import wrapper turns it into InvalidMemoryAccess. */
export class MemoryAccessError extends Error {}

const utf8d = new TextDecoder();
const utf8e = new TextEncoder();

export class WasmMemory {
  /** The allocator export to use: `malloc` preferred over `proxy_on_memory_allocate` (WasmBase::getFunctions). */
  allocate: ((size: number) => number) | null = null;
  private memory: WebAssembly.Memory | null = null;

  attach(memory: WebAssembly.Memory, allocate: (size: number) => number): void {
    this.memory = memory;
    this.allocate = allocate;
  }

  /** Fresh view each time: `malloc` may grow memory, which detaches the old ArrayBuffer. */
  get bytes(): Uint8Array {
    if (!this.memory) throw new MemoryAccessError("memory not attached");
    return new Uint8Array(this.memory.buffer);
  }

  get byteLength(): number {
    return this.memory ? this.memory.buffer.byteLength : 0;
  }

  private check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.byteLength) {
      throw new MemoryAccessError(`out of bounds: ptr=${ptr} len=${len} memory=${this.byteLength}`);
    }
  }

  /** Copy bytes out of wasm memory (a copy, so later growth or plugin writes don't change it). */
  read(ptr: number, len: number): Uint8Array {
    ptr >>>= 0;
    len >>>= 0;
    if (len === 0) return new Uint8Array(0);
    this.check(ptr, len);
    return this.bytes.slice(ptr, ptr + len);
  }

  readString(ptr: number, len: number): string {
    return utf8d.decode(this.read(ptr, len));
  }

  write(ptr: number, data: Uint8Array): void {
    ptr >>>= 0;
    this.check(ptr, data.length);
    this.bytes.set(data, ptr);
  }

  writeU32(ptr: number, v: number): void {
    ptr >>>= 0;
    this.check(ptr, 4);
    new DataView(this.memory!.buffer).setUint32(ptr, v >>> 0, true);
  }

  writeU64(ptr: number, v: bigint): void {
    ptr >>>= 0;
    this.check(ptr, 8);
    new DataView(this.memory!.buffer).setBigUint64(ptr, BigInt.asUintN(64, v), true);
  }

  readU32(ptr: number): number {
    ptr >>>= 0;
    this.check(ptr, 4);
    return new DataView(this.memory!.buffer).getUint32(ptr, true);
  }

  /**
   * Hand `data` to the plugin: malloc(len), copy, write (ptr, len) to the out-params. Empty data → (0, 0) without
   * calling malloc (Envoy's copyToPointerSize). Returns InvalidMemoryAccess when malloc returns 0.
   */
  copyOut(data: Uint8Array | string, ptrPtr: number, sizePtr: number): Status {
    const bytes = typeof data === "string" ? utf8e.encode(data) : data;
    if (bytes.length === 0) {
      this.writeU32(ptrPtr, 0);
      this.writeU32(sizePtr, 0);
      return Status.Ok;
    }
    if (!this.allocate) return Status.InvalidMemoryAccess;
    const p = this.allocate(bytes.length) >>> 0;
    if (p === 0) return Status.InvalidMemoryAccess;
    this.write(p, bytes);
    this.writeU32(ptrPtr, p);
    this.writeU32(sizePtr, bytes.length);
    return Status.Ok;
  }
}
