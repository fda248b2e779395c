// AWS event stream decoder (application/vnd.amazon.eventstream, the framing of Bedrock's ConverseStream:
// https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html#streaming-event-stream and
// https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html). A frame is
//   total length (u32 BE) | headers length (u32 BE) | prelude CRC-32 of the 8 bytes before it |
//   headers (name length u8, name, value type u8, value) | payload | message CRC-32 of everything before it.
// Frames may be split at any byte across chunks; bytes of an incomplete frame wait here (one frame at most, bounded
// by MAX_FRAME). Both CRCs are checked: a corrupt or oversized frame ends decoding with `error` set.
import { crc32Update } from "../../crypto/crc32";

/** Largest frame accepted (Bedrock's events are small; AWS allows 16 MB, far more than any chat event). */
const MAX_FRAME: i32 = 2 << 20;
const PRELUDE: i32 = 12;

function u32At(b: Uint8Array, i: i32): u32 {
  return (<u32>b[i] << 24) | (<u32>b[i + 1] << 16) | (<u32>b[i + 2] << 8) | <u32>b[i + 3];
}

export class EventStreamDecoder {
  /** `:event-type`, `:message-type` ("event", "exception", "error"), `:exception-type`, `:error-code`, `:error-message`. */
  eventType: string = "";
  messageType: string = "";
  exceptionType: string = "";
  errorCode: string = "";
  errorMessage: string = "";
  /** The payload of the frame `next()` returned: frame[payloadStart, payloadEnd). */
  frame: Uint8Array = new Uint8Array(0);
  payloadStart: i32 = 0;
  payloadEnd: i32 = 0;
  /** Why decoding stopped ("" while the stream is well-formed). */
  error: string = "";

  private pending: Uint8Array = new Uint8Array(256);
  private pendingLen: i32 = 0;
  private input: Uint8Array = new Uint8Array(0);
  private at: i32 = 0;

  /** Starts decoding a chunk; call `next()` until it returns false. */
  begin(chunk: Uint8Array): void {
    this.input = chunk;
    this.at = 0;
  }

  /** Whether bytes of an unfinished frame are waiting. */
  get hasPartial(): bool { return this.pendingLen > 0; }

  /** Decodes the next whole frame (false: need more bytes, or `error` set). */
  next(): bool {
    if (this.error.length) return false;
    const inLeft = this.input.length - this.at;
    let frame: Uint8Array;
    let start: i32;
    if (this.pendingLen == 0 && inLeft >= PRELUDE) {
      // Common case: the whole frame is inside this chunk, decoded in place.
      const total = <i32>u32At(this.input, this.at);
      if (!this.checkLength(total)) return false;
      if (inLeft < total) { this.keep(inLeft); return false; }
      frame = this.input;
      start = this.at;
      this.at += total;
    } else {
      // Gather the frame's bytes: its length is known once the prelude is here.
      if (this.pendingLen < PRELUDE) {
        const take = min(PRELUDE - this.pendingLen, inLeft);
        this.keep(take);
        if (this.pendingLen < PRELUDE) return false;
      }
      const total = <i32>u32At(this.pending, 0);
      if (!this.checkLength(total)) return false;
      const take = min(total - this.pendingLen, this.input.length - this.at);
      this.keep(take);
      if (this.pendingLen < total) return false;
      frame = this.pending;
      start = 0;
      this.pendingLen = 0;
    }
    return this.decode(frame, start);
  }

  private checkLength(total: i32): bool {
    if (total < PRELUDE + 4 || total > MAX_FRAME) {
      this.error = total > MAX_FRAME ? "event stream frame larger than " + MAX_FRAME.toString() + " bytes" : "event stream frame too short";
      return false;
    }
    return true;
  }

  /** Moves `n` input bytes into the pending frame. */
  private keep(n: i32): void {
    if (n <= 0) return;
    const need = this.pendingLen + n;
    if (need > this.pending.length) {
      let cap = this.pending.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.pending.subarray(0, this.pendingLen));
      this.pending = grown;
    }
    this.pending.set(this.input.subarray(this.at, this.at + n), this.pendingLen);
    this.pendingLen += n;
    this.at += n;
  }

  private decode(b: Uint8Array, s: i32): bool {
    const total = <i32>u32At(b, s);
    const headersLen = <i32>u32At(b, s + 4);
    if (crc32Update(0, b, s, s + 8) != u32At(b, s + 8)) { this.error = "event stream prelude CRC mismatch"; return false; }
    const end = s + total - 4;
    if (crc32Update(0, b, s, end) != u32At(b, end)) { this.error = "event stream message CRC mismatch"; return false; }
    const hEnd = s + PRELUDE + headersLen;
    if (headersLen < 0 || hEnd > end) { this.error = "event stream headers overrun the frame"; return false; }
    this.eventType = "";
    this.messageType = "";
    this.exceptionType = "";
    this.errorCode = "";
    this.errorMessage = "";
    let i = s + PRELUDE;
    while (i < hEnd) {
      const nameLen = <i32>b[i];
      const nameAt = i + 1;
      i = nameAt + nameLen;
      if (i >= hEnd) { this.error = "event stream header truncated"; return false; }
      const type = b[i++];
      let valueLen = 0;
      if (type == 0 || type == 1) valueLen = 0;
      else if (type == 2) valueLen = 1;
      else if (type == 3) valueLen = 2;
      else if (type == 4) valueLen = 4;
      else if (type == 5 || type == 8) valueLen = 8;
      else if (type == 9) valueLen = 16;
      else if (type == 6 || type == 7) {
        if (i + 2 > hEnd) { this.error = "event stream header truncated"; return false; }
        valueLen = (<i32>b[i] << 8) | <i32>b[i + 1];
        i += 2;
      } else { this.error = "event stream header of unknown type " + type.toString(); return false; }
      if (i + valueLen > hEnd) { this.error = "event stream header truncated"; return false; }
      if (type == 7) this.header(b, nameAt, nameLen, i, valueLen);
      i += valueLen;
    }
    this.frame = b;
    this.payloadStart = hEnd;
    this.payloadEnd = end;
    return true;
  }

  private header(b: Uint8Array, nameAt: i32, nameLen: i32, valueAt: i32, valueLen: i32): void {
    if (nameLen < 2 || b[nameAt] != 0x3A) return; // only the ":"-prefixed headers matter
    const name = String.UTF8.decodeUnsafe(b.dataStart + <usize>nameAt, <usize>nameLen);
    const value = String.UTF8.decodeUnsafe(b.dataStart + <usize>valueAt, <usize>valueLen);
    if (name == ":event-type") this.eventType = value;
    else if (name == ":message-type") this.messageType = value;
    else if (name == ":exception-type") this.exceptionType = value;
    else if (name == ":error-code") this.errorCode = value;
    else if (name == ":error-message") this.errorMessage = value;
  }
}
