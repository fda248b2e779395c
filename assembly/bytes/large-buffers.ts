// Large request bodies in blocks reused for the VM's life.
//
// Linear memory never shrinks, and the allocator grows it by at least its current size when a block does not fit.
// Multi-megabyte bodies freed into the general heap leave holes that small allocations settle in, so the next large
// body needs fresh pages: the VM, and the Envoy worker's RSS with it, kept growing long after warm-up. A request
// body and its translation go instead to a few blocks kept for the VM's life: once the largest body has been seen,
// large requests touch no new pages.
//
// A view into a block is valid until releaseLargeBlocks(), which the plugin calls when the body callback that
// filled it returns; whatever keeps a body longer (a retry, a fallback) keeps detach(body).

/** Below this, bodies use the ordinary heap (a block per request costs nothing worth avoiding). */
export const LARGE_BLOCK_BYTES: i32 = 256 * 1024;
const MAX_BLOCKS = 3;
const MAX_BLOCK: i32 = (1 << 30) - 64;

const SMALL_HEAP_ROOM: i32 = 1 << 20;
const EMPTY = new ArrayBuffer(0);
let smallHeapRoom: ArrayBuffer = EMPTY;

const blocks = new Array<ArrayBuffer>();
const inUse = new Array<bool>();

/**
 * A block of at least `capacity` bytes for one body callback, or an ordinary allocation when every kept block is
 * in use. A kept block too small for `capacity` is replaced by a larger one, with headroom so that bodies of about
 * the same size reuse it.
 */
export function acquireLargeBlock(capacity: i32): ArrayBuffer {
  if (capacity > MAX_BLOCK) capacity = MAX_BLOCK; // the allocator's limit (~1 GiB); a buffer grows past it or fails as values
  let best = -1;
  let free = -1;
  for (let i = 0; i < blocks.length; i++) {
    if (unchecked(inUse[i])) continue;
    if (free < 0) free = i;
    const cap = unchecked(blocks[i]).byteLength;
    if (cap >= capacity && (best < 0 || cap < unchecked(blocks[best]).byteLength)) best = i;
  }
  if (best < 0) {
    const wanted = <i64>capacity + (<i64>capacity >> 3);
    const rounded = (wanted + 0xFFFF) & ~0xFFFF;
    const size = rounded > <i64>MAX_BLOCK ? capacity : <i32>rounded;
    // The allocator grows memory by at least its current size when the small heap runs out, and the blocks count in
    // that size: room reserved for small allocations below the first block (freed at the next collection) keeps a
    // later small need from doubling the VM.
    if (blocks.length == 0) smallHeapRoom = new ArrayBuffer(SMALL_HEAP_ROOM);
    const block = new ArrayBuffer(size);
    smallHeapRoom = EMPTY;
    if (free >= 0) blocks[free] = block; // the smaller block becomes garbage, once, during warm-up
    else if (blocks.length < MAX_BLOCKS) { blocks.push(block); inUse.push(false); free = blocks.length - 1; }
    else return block;
    best = free;
  }
  unchecked(inUse[best] = true);
  return unchecked(blocks[best]);
}

/** Every kept block is free again: call when the callback that filled them has handed its output to the host. */
export function releaseLargeBlocks(): void {
  for (let i = 0; i < inUse.length; i++) unchecked(inUse[i] = false);
}

/** `bytes` itself, or a copy of it when it lives in a kept block (to outlive the callback). */
export function detach(bytes: Uint8Array): Uint8Array {
  const buf = bytes.buffer;
  for (let i = 0; i < blocks.length; i++) {
    if (unchecked(blocks[i]) === buf) return bytes.slice();
  }
  return bytes;
}
