// SSE framing exactly as the providers emit it:
//   Anthropic: "event: message_start\ndata: {...}\n\n"     OpenAI: "data: {...}\n\n" and "data: [DONE]\n\n"
// Data containing line breaks is split into several `data:` lines so a parser rejoins it unchanged.

import { ByteBuffer } from "../bytes/buffer";
import { utf8Encode } from "../bytes/utf8";
import { JsonWriter } from "../json/writer";
import { findEol } from "./parser";

/** Appends `data: <line>\n` for every line of data[start, end) (split at \r\n, \r or \n). */
function pushDataLines(buf: ByteBuffer, data: Uint8Array, start: i32, end: i32): void {
  const base = data.dataStart;
  let i = start;
  while (true) {
    let j = findEol(base, i, end);
    if (j < 0) j = end;
    buf.reserve(j - i + 7);
    buf.push2(0x64, 0x61); buf.push2(0x74, 0x61); buf.push2(0x3A, 0x20); // "data: "
    buf.pushPtr(base + <usize>i, j - i);
    buf.pushByte(0x0A);
    if (j >= end) return;
    if (load<u8>(base + <usize>j) == 0x0D && j + 1 < end && load<u8>(base + <usize>(j + 1)) == 0x0A) j++;
    i = j + 1;
  }
}

/** Appends one event: optional `event: name` line, the data lines, and the blank line. */
export function writeSseEvent(buf: ByteBuffer, name: string, data: Uint8Array): void {
  if (name.length) {
    buf.push2(0x65, 0x76); buf.push2(0x65, 0x6E); buf.push2(0x74, 0x3A); buf.pushByte(0x20); // "event: "
    buf.pushString(name);
    buf.pushByte(0x0A);
  }
  pushDataLines(buf, data, 0, data.length);
  buf.pushByte(0x0A);
}

const DONE_FRAME = "data: [DONE]\n\n";

export class SseWriter {
  readonly buf: ByteBuffer;

  /** Writes into `buf` when given (e.g. a response body being assembled), else into a new buffer. */
  constructor(buf: ByteBuffer | null = null) {
    this.buf = buf != null ? buf : new ByteBuffer(1024);
  }

  get length(): i32 { return this.buf.length; }

  /** `event: name\ndata: ...\n\n` (no event line when name is ""). */
  event(name: string, data: Uint8Array): SseWriter { writeSseEvent(this.buf, name, data); return this; }
  /** Same with string data (UTF-8 encoded). */
  eventString(name: string, data: string): SseWriter { return this.event(name, utf8Encode(data)); }
  /** An event whose data is the JSON in `w` (single line; appended without an intermediate copy). */
  eventJson(name: string, w: JsonWriter): SseWriter {
    const v = w.buf.view();
    writeSseEvent(this.buf, name, v);
    return this;
  }
  /** `data: ...\n\n` (OpenAI framing). */
  data(data: Uint8Array): SseWriter { writeSseEvent(this.buf, "", data); return this; }
  /** `data: <json>\n\n` from a JsonWriter. */
  dataJson(w: JsonWriter): SseWriter { return this.eventJson("", w); }
  /** `data: [DONE]\n\n`. */
  done(): SseWriter { this.buf.pushString(DONE_FRAME); return this; }
  /** `: text\n\n` — a comment (keep-alive); line breaks in `text` are replaced by spaces. */
  comment(text: string): SseWriter {
    this.buf.push2(0x3A, 0x20);
    const start = this.buf.length;
    this.buf.pushString(text);
    const p = this.buf.dataStart;
    for (let k = start, e = this.buf.length; k < e; k++) {
      const c = load<u8>(p + <usize>k);
      if (c == 0x0A || c == 0x0D) store<u8>(p + <usize>k, 0x20);
    }
    this.buf.push2(0x0A, 0x0A);
    return this;
  }

  /** Copy of everything written. */
  toBytes(): Uint8Array { return this.buf.toBytes(); }
  /** Everything written, without copying; the writer starts over empty. */
  take(): Uint8Array { return this.buf.take(); }
  clear(): void { this.buf.clear(); }
  toString(): string { return this.buf.toString(); }
}
