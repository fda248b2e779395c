// Incremental Server-Sent Events parser (WHATWG HTML "event stream interpretation"), bytes in, events out.
//
// Network chunks may split the stream at any byte: between \r and \n, inside a field name, inside a multi-byte
// UTF-8 character. Partial lines are buffered as bytes and only interpreted once complete, so nothing is ever
// decoded mid-character. Data stays bytes (JSON payloads are parsed straight from them). Memory is bounded:
// a line or an event larger than `maxEventBytes` puts the parser in a sticky error state instead of growing.

import { ByteBuffer } from "../bytes/buffer";
import { clampEnd, clampStart, utf8DecodePtr, utf8EqualsPtr } from "../bytes/utf8";

export const DEFAULT_MAX_EVENT_BYTES: i32 = 1 << 20;

/** One dispatched event (or, with emitComments, one comment line). */
export class SseEvent {
  /** Value of the `event:` field; "" when absent (the SSE default type is then "message", see `type`). */
  event: string = "";
  /** The `data:` lines joined with "\n" (no trailing newline). Empty for `data:` with nothing after it. */
  data: Uint8Array;
  /** Value of an `id:` field seen in this event, else null. */
  id: string | null = null;
  /** Value of a valid `retry:` field seen in this event, else -1. */
  retry: i32 = -1;
  /** True for a comment line (only produced when the parser was built with emitComments); `data` = its text. */
  isComment: bool = false;
  /**
   * False only for an event returned by finish() whose blank-line terminator never arrived (stream cut).
   * Per the SSE spec such an event would be discarded; the caller decides.
   */
  complete: bool = true;

  constructor(data: Uint8Array) { this.data = data; }

  /** The event type: `event` or "message" when absent. */
  get type(): string { return this.event.length ? this.event : "message"; }
  /** `data` decoded as UTF-8 (invalid sequences become U+FFFD). */
  dataString(): string { return utf8DecodePtr(this.data.dataStart, this.data.length); }
  /** Whether `data` is exactly the UTF-8 of `s` (no allocation). */
  dataEquals(s: string): bool { return utf8EqualsPtr(this.data.dataStart, this.data.length, s); }
  /** OpenAI's end-of-stream sentinel `data: [DONE]`. */
  isDone(): bool { return this.dataEquals("[DONE]"); }
}

// Field names as little-endian words for cheap comparison.
const DATA_W: u32 = 0x61746164; // "data"
const EVEN_W: u32 = 0x6E657665; // "even" + 't'
const RETR_W: u32 = 0x72746572; // "retr" + 'y'

/** What SseParser.next() stopped at. */
const NONE: i32 = 0;
const EVENT: i32 = 1;
const COMMENT: i32 = 2;

export class SseParser {
  /** "" while healthy; once set, the parser ignores further input (see reset()). */
  error: string = "";
  readonly maxEventBytes: i32;
  readonly emitComments: bool;

  private line: ByteBuffer = new ByteBuffer(256);
  private data: ByteBuffer = new ByteBuffer(256);
  private hasData: bool = false;
  private eventName: string = "";
  private lastName: string = "";
  private id: string | null = null;
  private retry: i32 = -1;
  /** The previous chunk ended with \r: a \n starting the next chunk belongs to that line break. */
  private skipLF: bool = false;
  private firstLine: bool = true;

  // Pull state (begin()/next()): the chunk being read and where.
  private cur: Uint8Array = EMPTY;
  private pos: i32 = 0;
  private curEnd: i32 = 0;
  /** What the last next() stopped at; an EVENT's fields are cleared on the following call. */
  private got: i32 = NONE;
  private comment: ByteBuffer = new ByteBuffer(16);
  /** A view over the data buffer's current store (re-made only when the store is replaced). */
  private dataWrap: Uint8Array = EMPTY;

  /**
   * @param maxEventBytes  limit for one line and for one event's joined data (default 1 MiB)
   * @param emitComments   report `:comment` lines as events with isComment = true (default: skip them)
   */
  constructor(maxEventBytes: i32 = DEFAULT_MAX_EVENT_BYTES, emitComments: bool = false) {
    this.maxEventBytes = maxEventBytes > 0 ? maxEventBytes : DEFAULT_MAX_EVENT_BYTES;
    this.emitComments = emitComments;
  }

  /** True once a size limit was exceeded. */
  get failed(): bool { return this.error.length > 0; }

  /** Bytes held for an incomplete line plus an incomplete event. */
  get pendingBytes(): i32 { this.settle(); return this.line.length + this.data.length; }

  /** Back to the initial state (also clears an error). */
  reset(): void {
    this.error = "";
    this.line.clear();
    this.resetEvent();
    this.skipLF = false;
    this.firstLine = true;
    this.got = NONE;
    this.cur = EMPTY;
    this.pos = 0;
    this.curEnd = 0;
  }

  private resetEvent(): void {
    this.data.clear();
    this.hasData = false;
    this.eventName = "";
    this.id = null;
    this.retry = -1;
  }

  /** Clears the event the last next() returned (its fields stay readable until the parser moves on). */
  // @ts-ignore: decorator
  @inline private settle(): void {
    if (this.got == EVENT) this.resetEvent();
    this.got = NONE;
  }

  // ---------------------------------------------------------------- pull API (no allocation per event)

  /**
   * Starts reading chunk[start, end) (clamped); then call next() until it returns false. The chunk must stay
   * unchanged until then. Equivalent to push(), without building event objects:
   *   p.begin(chunk); while (p.next()) { p.eventType; p.dataLength; p.dataBuffer() … }
   */
  begin(chunk: Uint8Array, start: i32 = 0, end: i32 = -1): void {
    this.settle();
    end = clampEnd(chunk.length, end);
    start = clampStart(start, end);
    this.cur = chunk;
    this.curEnd = end;
    this.pos = this.error.length ? end : start;
    if (this.skipLF && this.pos < end) {
      this.skipLF = false;
      if (load<u8>(chunk.dataStart + <usize>this.pos) == 0x0A) this.pos++;
    }
  }

  /**
   * Reads on to the next dispatched event (or comment, with emitComments): true with the event's fields set
   * (eventType/event name, dataLength, dataBuffer(), eventId, eventRetry, isComment), false when the chunk is used
   * up (a partial line or event is kept for the next chunk) or the parser failed.
   */
  next(): bool {
    this.settle();
    const chunk = this.cur;
    const base = chunk.dataStart;
    const end = this.curEnd;
    let i = this.pos;
    while (i < end) {
      let j = findEol(base, i, end);
      if (j < 0) {
        // No line end in the rest of the chunk: keep the partial line (bounded).
        if (this.line.length + (end - i) > this.maxEventBytes) {
          this.fail("SSE line longer than " + this.maxEventBytes.toString() + " bytes");
          i = end;
          break;
        }
        this.line.pushPtr(base + <usize>i, end - i);
        i = end;
        break;
      }
      let got = NONE;
      if (this.line.length) {
        if (this.line.length + (j - i) > this.maxEventBytes) {
          this.fail("SSE line longer than " + this.maxEventBytes.toString() + " bytes");
          i = end;
          break;
        }
        this.line.pushPtr(base + <usize>i, j - i);
        got = this.processLine(this.line.dataStart, this.line.length);
        this.line.clear();
      } else {
        got = this.processLine(base + <usize>i, j - i);
      }
      if (this.error.length) { i = end; break; }
      // \r\n counts as one line break, also when the \n arrives in the next chunk.
      if (load<u8>(base + <usize>j) == 0x0D) {
        if (j + 1 < end) { if (load<u8>(base + <usize>(j + 1)) == 0x0A) j++; }
        else this.skipLF = true;
      }
      i = j + 1;
      if (got != NONE) {
        this.pos = i;
        this.got = got;
        return true;
      }
    }
    this.cur = EMPTY; // the chunk is used up: do not keep it alive
    this.curEnd = 0;
    this.pos = 0;
    return false;
  }

  /** The current event's `event:` value ("" when absent), as SseEvent.event. */
  get event(): string { return this.eventName; }
  /** The current event's type: its `event:` value, or "message" when absent. */
  get eventType(): string { return this.eventName.length ? this.eventName : "message"; }
  /** Whether the current event's `event:` value is exactly `name` (no allocation). */
  eventIs(name: string): bool { return this.got == EVENT && this.eventName == name; }
  /** The current event's `id:` value, or null. */
  get eventId(): string | null { return this.id; }
  /** The current event's valid `retry:` value, or -1. */
  get eventRetry(): i32 { return this.retry; }
  /** The current item is a comment (emitComments); its text is the data. */
  get isComment(): bool { return this.got == COMMENT; }
  /** Length of the current event's data (the `data:` lines joined with "\n"). */
  get dataLength(): i32 {
    if (this.got == COMMENT) return this.comment.length;
    const n = this.data.length - 1;
    return n < 0 ? 0 : n;
  }
  /**
   * The bytes whose first dataLength bytes are the current event's data: a view over the parser's own buffer,
   * reused from event to event (so no allocation), valid until the next call into the parser.
   */
  dataBuffer(): Uint8Array {
    const store = this.got == COMMENT ? this.comment.backing : this.data.backing;
    if (changetype<usize>(this.dataWrap.buffer) != changetype<usize>(store)) this.dataWrap = Uint8Array.wrap(store);
    return this.dataWrap;
  }
  /** Whether the current event's data is exactly the UTF-8 of `s` (e.g. "[DONE]"). */
  dataEquals(s: string): bool {
    const store = this.got == COMMENT ? this.comment.dataStart : this.data.dataStart;
    return utf8EqualsPtr(store, this.dataLength, s);
  }

  // ---------------------------------------------------------------- push API (an array of event objects)

  /** Feeds one network chunk; returns the events it completed (possibly none). */
  push(chunk: Uint8Array): SseEvent[] {
    return this.pushSlice(chunk, 0, chunk.length);
  }

  /** Feeds chunk[start, end) (clamped). */
  pushSlice(chunk: Uint8Array, start: i32, end: i32 = -1): SseEvent[] {
    const out = new Array<SseEvent>(0);
    this.begin(chunk, start, end);
    while (this.next()) out.push(this.current());
    return out;
  }

  /** The current event (or comment) as an object with its own copy of the data. */
  private current(): SseEvent {
    const n = this.dataLength;
    const bytes = new Uint8Array(n);
    if (this.got == COMMENT) {
      memory.copy(bytes.dataStart, this.comment.dataStart, <usize>n);
      const c = new SseEvent(bytes);
      c.isComment = true;
      return c;
    }
    memory.copy(bytes.dataStart, this.data.dataStart, <usize>n);
    const ev = new SseEvent(bytes);
    ev.event = this.eventName;
    ev.id = this.id;
    ev.retry = this.retry;
    return ev;
  }

  /**
   * End of stream: interprets a final line that lacked its line break and returns an event still in progress
   * with `complete = false` (the SSE spec would drop it; a gateway may want to convert or report it). The
   * parser is reset afterwards. Returns an empty array when nothing was pending (or after an error).
   */
  finish(): SseEvent[] {
    this.settle();
    const out = new Array<SseEvent>(0);
    if (!this.error.length) {
      if (this.line.length) {
        // A final line cannot be blank (it has bytes), so it can only dispatch a comment.
        const got = this.processLine(this.line.dataStart, this.line.length);
        if (got == COMMENT) { this.got = COMMENT; out.push(this.current()); this.got = NONE; }
      }
      if (!this.error.length && this.hasData) {
        this.got = EVENT;
        const ev = this.current();
        this.got = NONE;
        ev.complete = false;
        out.push(ev);
      }
    }
    const err = this.error;
    this.reset();
    this.error = err;
    return out;
  }

  private fail(msg: string): void {
    this.error = msg;
    this.line.clear();
    this.resetEvent();
  }

  /** Interprets one complete line (without its line break); returns what it dispatched (NONE, EVENT, COMMENT). */
  private processLine(p: usize, n: i32): i32 {
    if (this.firstLine) {
      this.firstLine = false;
      if (n >= 3 && load<u8>(p) == 0xEF && load<u8>(p, 1) == 0xBB && load<u8>(p, 2) == 0xBF) { p += 3; n -= 3; }
    }
    if (n == 0) {
      // Blank line: dispatch. An event with no data field is not dispatched (spec), only reset.
      if (this.hasData) return EVENT;
      this.resetEvent();
      return NONE;
    }
    const c0 = load<u8>(p);
    // The two fields every stream repeats, recognised at once.
    if (c0 == 0x64 && n >= 5 && load<u32>(p) == DATA_W && load<u8>(p, 4) == 0x3A) {
      let vs = 5;
      if (vs < n && load<u8>(p, 5) == 0x20) vs++;
      this.pushData(p + <usize>vs, n - vs);
      return NONE;
    }
    if (c0 == 0x3A) {
      if (this.emitComments) {
        let s = 1;
        if (n > 1 && load<u8>(p, 1) == 0x20) s = 2;
        this.comment.clear();
        this.comment.pushPtr(p + <usize>s, n - s);
        return COMMENT;
      }
      return NONE;
    }
    // field ":" [" "] value   |   field (no colon: empty value)
    let colon = 0;
    while (colon < n && load<u8>(p + <usize>colon) != 0x3A) colon++;
    let vs = colon + 1;
    if (vs < n && load<u8>(p + <usize>vs) == 0x20) vs++;
    if (vs > n) vs = n;
    const vp = p + <usize>vs;
    const vn = n - vs;
    if (colon == 4 && load<u32>(p) == DATA_W) {
      this.pushData(vp, vn);
    } else if (colon == 5 && load<u32>(p) == EVEN_W && load<u8>(p, 4) == 0x74) {
      // Streams repeat a handful of names: reuse the previous string instead of decoding it again.
      const last = this.lastName;
      if (utf8EqualsPtr(vp, vn, last)) this.eventName = last;
      else { this.eventName = utf8DecodePtr(vp, vn); this.lastName = this.eventName; }
    } else if (colon == 2 && load<u8>(p) == 0x69 && load<u8>(p, 1) == 0x64) {
      // An id containing NUL is ignored (spec).
      for (let k = 0; k < vn; k++) if (load<u8>(vp + <usize>k) == 0) return NONE;
      this.id = utf8DecodePtr(vp, vn);
    } else if (colon == 5 && load<u32>(p) == RETR_W && load<u8>(p, 4) == 0x79) {
      if (vn == 0 || vn > 9) return NONE;
      let v = 0;
      for (let k = 0; k < vn; k++) {
        const d = <u32>load<u8>(vp + <usize>k) - 0x30;
        if (d >= 10) return NONE;
        v = v * 10 + <i32>d;
      }
      this.retry = v;
    }
    // Unknown fields are ignored (spec).
    return NONE;
  }

  private pushData(vp: usize, vn: i32): void {
    if (this.data.length + vn + 1 > this.maxEventBytes) {
      this.fail("SSE event larger than " + this.maxEventBytes.toString() + " bytes");
      return;
    }
    this.data.reserve(vn + 1);
    this.data.pushPtr(vp, vn);
    this.data.pushByte(0x0A);
    this.hasData = true;
  }
}

const EMPTY = new Uint8Array(0);

/** Offset of the first \r or \n in [i, end) of the bytes at `base`, or -1. Checks 8 bytes at a time. */
export function findEol(base: usize, i: i32, end: i32): i32 {
  while (i + 8 <= end) {
    const v = load<u64>(base + <usize>i);
    const a = v ^ 0x0A0A0A0A0A0A0A0A;
    const b = v ^ 0x0D0D0D0D0D0D0D0D;
    const t = (((a - 0x0101010101010101) & ~a) | ((b - 0x0101010101010101) & ~b)) & 0x8080808080808080;
    if (t) return i + <i32>(ctz(t) >> 3);
    i += 8;
  }
  while (i < end) {
    const c = load<u8>(base + <usize>i);
    if (c == 0x0A || c == 0x0D) return i;
    i++;
  }
  return -1;
}
