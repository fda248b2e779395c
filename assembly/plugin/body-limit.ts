// The request-body size limit (top-level `maxRequestBodyBytes`): checked chunk by chunk so an oversized body is
// refused as soon as it crosses the limit, before anything reaches the provider.
import { setProperty } from "../abi";

export class BodyLimit {
  /** Bytes seen so far. */
  seen: i64 = 0;
  constructor(public max: i64) {}

  /**
   * Counts a body callback. `accumulated` is true when the previous callback returned StopIterationAndBuffer:
   * the host then reports the whole buffered body, otherwise only the new chunk. Returns true once over the limit.
   */
  exceeded(bodySize: u32, accumulated: bool): bool {
    if (accumulated) this.seen = <i64>bodySize;
    else this.seen += <i64>bodySize;
    return this.seen > this.max;
  }
}

/**
 * Envoy answers 413 by itself when a buffered body exceeds the stream's buffer limit (1 MiB by default).
 * Higress lets a plugin raise it with the `set_decoder_buffer_limit` property; elsewhere the write only
 * stores filter state and the listener's per_connection_buffer_limit_bytes stays in charge.
 */
export function raiseDecoderBufferLimit(max: i64): void {
  const v = String.UTF8.encode(max.toString());
  setProperty(["set_decoder_buffer_limit"], v);
}

/** Bodies at least this large trigger a collection before they are read into the VM (see reclaimBeforeLargeBody). */
export const LARGE_BODY_BYTES: i64 = 256 * 1024;

/**
 * A whole body is about to be read into linear memory. Linear memory never shrinks, and the allocator grows it by
 * at least its current size when a block does not fit: if the previous large request's buffers are still
 * uncollected garbage, each new large body doubles the VM. A full collection first lets the new body reuse them,
 * so a VM's linear memory stays within a fixed multiple of the largest body it accepts (README, Robustness).
 * Small bodies skip it: a collection costs about as much as reading a megabyte.
 */
export function reclaimBeforeLargeBody(size: i64): void {
  if (size >= LARGE_BODY_BYTES) __collect();
}
