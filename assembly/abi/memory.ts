// Memory the host hands to the plugin. Envoy allocates every returned buffer by calling our
// proxy_on_memory_allocate and gives up ownership. We allocate a managed ArrayBuffer and pin it, so
// taking the result costs no copy: unpin it and it is an ordinary GC'd ArrayBuffer.

// Pointers handed out and not yet taken. Only these may be unpinned (unpinning anything else traps).
const outstanding = new Array<usize>();

/** Export: the host asks for `size` bytes to write a result into. */
export function proxy_on_memory_allocate(size: usize): usize {
  const into = intoPtr;
  if (into != 0) {
    intoPtr = 0;
    if (size <= intoCap) return into;
  }
  if (size > <usize>0x3FFFFFFF) return 0; // more than AssemblyScript can allocate: let the host fail the call
  const ptr = __new(size, idof<ArrayBuffer>());
  __pin(ptr);
  outstanding.push(ptr);
  return ptr;
}

// A caller-owned destination for the next allocation the host asks for (readInto): one host call writes a large
// buffer straight into memory the caller reuses, instead of into a fresh allocation.
let intoPtr: usize = 0;
let intoCap: usize = 0;

/** The next proxy_on_memory_allocate of at most `cap` bytes returns `ptr` (once). */
export function allocateNextInto(ptr: usize, cap: usize): void {
  intoPtr = ptr;
  intoCap = cap;
}

/** Where the host wrote its last result (RET_PTR), without taking ownership. */
export function returnedPtr(): usize { return load<usize>(RET_PTR); }

// Two out-parameter slots shared by every host call (calls never overlap inside one VM).
export const RET_PTR: usize = memory.data(8);
export const RET_LEN: usize = memory.data(8);
export const RET_AUX: usize = memory.data(8);

/** Takes ownership of what the host wrote into RET_PTR/RET_LEN; null when it wrote nothing. */
export function takeReturned(): ArrayBuffer | null {
  const ptr = load<usize>(RET_PTR);
  const len = load<usize>(RET_LEN);
  store<usize>(RET_PTR, 0);
  store<usize>(RET_LEN, 0);
  let result: ArrayBuffer | null = null;
  if (ptr != 0) {
    const i = outstanding.indexOf(ptr);
    if (i >= 0) {
      outstanding.splice(i, 1);
      __unpin(ptr);
      const buf = changetype<ArrayBuffer>(ptr);
      // The host may report fewer bytes than it asked for; never expose more than it wrote.
      result = <usize>buf.byteLength == len ? buf : buf.slice(0, <i32>min(len, <usize>buf.byteLength));
    }
  }
  releaseStray();
  return result;
}

/** Unpins any allocation the host made but did not hand back (e.g. a call that failed after allocating). */
export function releaseStray(): void {
  while (outstanding.length > 0) __unpin(outstanding.pop());
}

export function resetReturnSlots(): void {
  store<usize>(RET_PTR, 0);
  store<usize>(RET_LEN, 0);
}
