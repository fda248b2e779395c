// A whole multipart/form-data body read into its parts (RFC 7578 on RFC 2046 §5.1.1), for requests that are
// converted rather than streamed through (an OpenAI image edit sent to Gemini as JSON). Part values stay where they
// are in the body (start/end offsets); only the part headers are decoded. Never traps: a malformed body is `error`.
import { utf8Decode, utf8Encode } from "../bytes/utf8";

/** Enough for any form a client builds; a body with more parts is refused. */
const MAX_PARTS: i32 = 256;
const MAX_HEADERS: i32 = 16384;

export class FormPart {
  /** The `name` of its Content-Disposition. */
  name: string = "";
  /** A `filename` parameter was present (a file upload). */
  isFile: bool = false;
  filename: string = "";
  /** Its Content-Type header ("" when none), parameters included. */
  contentType: string = "";
  /** The value is body[start, end). */
  start: i32 = 0;
  end: i32 = 0;
}

export class FormData {
  parts: Array<FormPart> = [];
  /** Non-empty when the body is not a well-formed form with this boundary. */
  error: string = "";

  /** The first part named `name`; null when there is none. */
  get(name: string): FormPart | null {
    for (let i = 0; i < this.parts.length; i++) if (this.parts[i].name == name) return this.parts[i];
    return null;
  }
}

/** The value of a part as text (UTF-8). */
export function partText(body: Uint8Array, p: FormPart): string {
  return utf8Decode(body, p.start, p.end);
}

export function parseFormData(body: Uint8Array, boundary: string): FormData {
  const out = new FormData();
  const dash = utf8Encode("--" + boundary);
  const delimiter = utf8Encode("\r\n--" + boundary);
  const n = body.length;
  // The first delimiter opens the body or follows a preamble's CRLF.
  let at = startsAt(body, 0, dash) ? 0 : indexOf(body, delimiter, 0);
  if (at < 0) { out.error = "multipart body: no part delimited by the content type's boundary"; return out; }
  at += at == 0 && startsAt(body, 0, dash) ? dash.length : delimiter.length;
  while (true) {
    if (at + 2 <= n && body[at] == 0x2D && body[at + 1] == 0x2D) return out; // close delimiter
    // Transport padding, then CRLF.
    while (at < n && (body[at] == 0x20 || body[at] == 0x09)) at++;
    if (at + 2 > n || body[at] != 0x0D || body[at + 1] != 0x0A) { out.error = "multipart body: malformed delimiter line"; return out; }
    at += 2;
    if (out.parts.length == MAX_PARTS) { out.error = "multipart body: more than " + MAX_PARTS.toString() + " parts"; return out; }
    const part = new FormPart();
    // Headers end with an empty line (a part without headers starts with it).
    let bodyStart: i32;
    if (at + 2 <= n && body[at] == 0x0D && body[at + 1] == 0x0A) bodyStart = at + 2;
    else {
      const end = indexOf(body, CRLFCRLF, at);
      if (end < 0 || end - at > MAX_HEADERS) { out.error = "multipart body: part headers not terminated"; return out; }
      readHeaders(utf8Decode(body, at, end), part);
      bodyStart = end + 4;
    }
    const next = indexOf(body, delimiter, bodyStart);
    if (next < 0) { out.error = "multipart body: the last part is not closed by the boundary"; return out; }
    part.start = bodyStart;
    part.end = next;
    out.parts.push(part);
    at = next + delimiter.length;
  }
  return out;
}

const CRLFCRLF = utf8Encode("\r\n\r\n");

function readHeaders(text: string, part: FormPart): void {
  const lines = text.split("\r\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const name = line.substring(0, colon).trim().toLowerCase();
    const value = line.substring(colon + 1).trim();
    if (name == "content-type") part.contentType = value;
    else if (name == "content-disposition") {
      const params = splitParams(value);
      for (let k = 1; k < params.length; k++) {
        const kv = params[k];
        const eq = kv.indexOf("=");
        if (eq < 0) continue;
        const key = kv.substring(0, eq).trim().toLowerCase();
        const v = unquote(kv.substring(eq + 1).trim());
        if (key == "name") part.name = v;
        else if (key == "filename") { part.filename = v; part.isFile = true; }
      }
    }
  }
}

/** `form-data; name="a;b"; filename=x` → its `;`-separated items, quoted strings kept whole. */
function splitParams(s: string): Array<string> {
  const out = new Array<string>();
  let from = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 0x5C && quoted) { i++; continue; }
    if (c == 0x22) quoted = !quoted;
    else if (c == 0x3B && !quoted) { out.push(s.substring(from, i).trim()); from = i + 1; }
  }
  out.push(s.substring(from).trim());
  return out;
}

function unquote(v: string): string {
  if (v.length < 2 || !v.startsWith("\"") || !v.endsWith("\"")) return v;
  const inner = v.substring(1, v.length - 1);
  if (inner.indexOf("\\") < 0) return inner;
  let out = "";
  for (let i = 0; i < inner.length; i++) {
    const c = inner.charAt(i);
    if (c == "\\" && i + 1 < inner.length) { out += inner.charAt(i + 1); i++; } else out += c;
  }
  return out;
}

function startsAt(b: Uint8Array, at: i32, s: Uint8Array): bool {
  if (at + s.length > b.length) return false;
  return memory.compare(b.dataStart + <usize>at, s.dataStart, <usize>s.length) == 0;
}

function indexOf(b: Uint8Array, s: Uint8Array, from: i32): i32 {
  const n = b.length, m = s.length;
  const first = s[0];
  for (let i = from; i + m <= n; i++) {
    if (unchecked(b[i]) != first) continue;
    if (memory.compare(b.dataStart + <usize>i, s.dataStart, <usize>m) == 0) return i;
  }
  return -1;
}
