// multipart/form-data uploads (audio transcriptions and translations, image edits and variations, file uploads):
// the `model` field is mapped as the body streams through, every other byte passes unchanged. Held back at any
// time: a part's headers (≤ MAX_HEADERS), the model value (≤ MAX_MODEL) and a delimiter's length of the current
// part, so a 25 MB audio upload never sits in memory. RFC 7578 (form-data) on RFC 2046 §5.1.1 (delimiters).
import { ByteBuffer } from "../bytes/buffer";
import { utf8Decode, utf8Encode } from "../bytes/utf8";

const MAX_HEADERS: i32 = 16384;
const MAX_MODEL: i32 = 1024;

const PREAMBLE: i32 = 0;
const AFTER_DELIMITER: i32 = 1;
const HEADERS: i32 = 2;
const BODY: i32 = 3;
const MODEL: i32 = 4;
const EPILOGUE: i32 = 5;

/** Maps a requested model name to the upstream's ("" stays ""). */
export abstract class ModelMapper {
  abstract map(requested: string): string;
}

/** The boundary of a `multipart/form-data` content type, "" when the type is another. */
export function multipartBoundary(contentType: string): string {
  const lower = contentType.toLowerCase();
  if (!lower.trimStart().startsWith("multipart/form-data")) return "";
  const at = lower.indexOf("boundary=");
  if (at < 0) return "";
  let b = contentType.substring(at + 9);
  const semi = b.indexOf(";");
  if (semi >= 0) b = b.substring(0, semi);
  b = b.trim();
  if (b.length >= 2 && b.startsWith("\"") && b.endsWith("\"")) b = b.substring(1, b.length - 1);
  return b.length > 0 && b.length <= 70 ? b : ""; // RFC 2046: 1 to 70 characters
}

export class MultipartModelRewriter {
  /** The client's model ("" until the field was seen). */
  requestedModel: string = "";
  upstreamModel: string = "";
  /** Non-empty when the body is malformed where the rewriter must read it (the request is then refused). */
  error: string = "";
  private state: i32 = PREAMBLE;
  private pending: ByteBuffer = new ByteBuffer(256);
  /** "--" + boundary, and CRLF + "--" + boundary. */
  private dash: Uint8Array;
  private delimiter: Uint8Array;

  constructor(boundary: string, private mapper: ModelMapper) {
    this.dash = utf8Encode("--" + boundary);
    this.delimiter = utf8Encode("\r\n--" + boundary);
  }

  /** A piece of the body, split anywhere: the bytes to forward now. */
  push(chunk: Uint8Array): Uint8Array {
    if (this.error.length > 0) return new Uint8Array(0);
    if (this.state == EPILOGUE) return chunk;
    this.pending.pushBytes(chunk);
    const out = new ByteBuffer(chunk.length + 64);
    this.run(out, false);
    return out.take();
  }

  /** End of the body: what is still held. A body cut inside the model field or a part's headers passes as it came. */
  finish(): Uint8Array {
    const out = new ByteBuffer(this.pending.length + 16);
    if (this.error.length == 0) this.run(out, true);
    out.pushBuffer(this.pending);
    this.pending.clear();
    return out.take();
  }

  private run(out: ByteBuffer, atEnd: bool): void {
    while (true) {
      const p = this.pending;
      const n = p.length;
      if (this.state == PREAMBLE) {
        if (n < this.dash.length && !atEnd) return;
        if (startsWith(p, 0, this.dash)) { this.consume(out, this.dash.length); this.state = AFTER_DELIMITER; continue; }
        this.state = BODY; // a preamble: passed until the first delimiter
        continue;
      }
      if (this.state == AFTER_DELIMITER) {
        if (n < 2) return;
        if (p.byteAt(0) == 0x2D && p.byteAt(1) == 0x2D) { this.state = EPILOGUE; this.consume(out, n); return; }
        // CRLF (transport padding before it is allowed and passed as it came)
        const eol = indexOf(p, CRLF, 0);
        if (eol < 0) { if (n > 256) this.error = "multipart body: malformed delimiter line"; return; }
        this.consume(out, eol + 2);
        this.state = HEADERS;
        continue;
      }
      if (this.state == HEADERS) {
        const end = indexOf(p, CRLFCRLF, 0);
        if (end < 0) {
          if (n > MAX_HEADERS) this.error = "multipart body: part headers over " + MAX_HEADERS.toString() + " bytes";
          return;
        }
        const isModel = namesModel(p, end);
        this.consume(out, end + 4);
        this.state = isModel ? MODEL : BODY;
        continue;
      }
      if (this.state == BODY) {
        const d = indexOf(p, this.delimiter, 0);
        if (d < 0) {
          // Everything but a possible start of the delimiter goes on now.
          const keep = min(n, this.delimiter.length - 1);
          this.consume(out, n - keep);
          return;
        }
        this.consume(out, d + this.delimiter.length);
        this.state = AFTER_DELIMITER;
        continue;
      }
      if (this.state == MODEL) {
        const d = indexOf(p, this.delimiter, 0);
        if (d < 0) {
          if (n > MAX_MODEL + this.delimiter.length) this.error = "multipart body: the model field is over " + MAX_MODEL.toString() + " bytes";
          return;
        }
        this.requestedModel = utf8Decode(p.view(), 0, d);
        this.upstreamModel = this.mapper.map(this.requestedModel);
        out.pushString(this.upstreamModel);
        p.dropFront(d);
        this.consume(out, this.delimiter.length);
        this.state = AFTER_DELIMITER;
        continue;
      }
      return; // EPILOGUE
    }
  }

  /** Moves the first `count` pending bytes to `out`. */
  private consume(out: ByteBuffer, count: i32): void {
    const p = this.pending;
    out.pushPtr(p.dataStart, count);
    p.dropFront(count);
  }
}

const CRLF = utf8Encode("\r\n");
const CRLFCRLF = utf8Encode("\r\n\r\n");

function startsWith(b: ByteBuffer, at: i32, s: Uint8Array): bool {
  if (at + s.length > b.length) return false;
  return memory.compare(b.dataStart + <usize>at, s.dataStart, <usize>s.length) == 0;
}

function indexOf(b: ByteBuffer, s: Uint8Array, from: i32): i32 {
  const n = b.length, m = s.length;
  if (m == 0) return from;
  const base = b.dataStart;
  const first = load<u8>(s.dataStart);
  for (let i = from; i + m <= n; i++) {
    if (load<u8>(base + <usize>i) != first) continue;
    if (memory.compare(base + <usize>i, s.dataStart, <usize>m) == 0) return i;
  }
  return -1;
}

/** The part headers in b[0, end) hold `Content-Disposition: form-data; name="model"` (header name in any case). */
function namesModel(b: ByteBuffer, end: i32): bool {
  const text = utf8Decode(b.view(), 0, end);
  const lines = text.split("\r\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon < 0 || line.substring(0, colon).trim().toLowerCase() != "content-disposition") continue;
    const params = line.substring(colon + 1).split(";");
    for (let k = 1; k < params.length; k++) {
      const kv = params[k].trim();
      const eq = kv.indexOf("=");
      if (eq < 0 || kv.substring(0, eq).trim().toLowerCase() != "name") continue;
      let v = kv.substring(eq + 1).trim();
      if (v.length >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length - 1);
      return v == "model";
    }
  }
  return false;
}
