// The validating JSON parser (RFC 8259) over untrusted UTF-8 bytes.
//
// One pass, no recursion: open containers are chained through the tape itself, bounded by maxDepth. Every
// load is preceded by a bounds check, so truncated, binary or hostile input ends in an error value, never a
// trap. The output is the tape described in value.ts. Policy decisions:
//   - a leading UTF-8 BOM (EF BB BF) is skipped (RFC 8259 §8.1 allows ignoring it); offsets stay absolute;
//   - invalid UTF-8 anywhere (inside strings; outside strings any non-ASCII byte is unexpected) is rejected;
//   - lone surrogate escapes (\uD800) are accepted; decoding them yields U+FFFD;
//   - duplicate keys are accepted; lookups return the last one;
//   - numbers of any size are accepted and keep their raw text;
//   - anything but whitespace after the top-level value is rejected.

import { clampEnd, clampStart, utf8SeqLen } from "../bytes/utf8";
import { JsonDoc, JsonKind, JsonValue, NODE_ESCAPED, NODE_INTEGER, NODE_SURROGATE, NODE_TRUE } from "./value";
import { hexVal } from "./strings";

/** Result of parseJson(): `value` on success, else `error` (with the byte offset) and `errorOffset`. */
export class JsonParseResult {
  constructor(public value: JsonValue | null, public error: string, public errorOffset: i32) {}
  /** True when parsing succeeded. */
  get ok(): bool { return this.value != null; }
}

/** Default nesting limit: deep enough for any real API body, far from stack or memory trouble. */
export const DEFAULT_MAX_DEPTH: i32 = 64;

// Counts are stored in 28 bits of the node's first word.
const MAX_COUNT: i32 = (1 << 27) - 1;

/** Human-readable form of byte `c` for error messages. */
function describeByte(c: u32): string {
  if (c >= 0x20 && c < 0x7F) return "'" + String.fromCharCode(c) + "'";
  return "0x" + (c < 16 ? "0" : "") + c.toString(16);
}

class Parser {
  base: usize = 0;
  len: i32 = 0;
  error: string = "";
  errorAt: i32 = -1;
  /** Flags of the last scanned scalar (NODE_ESCAPED / NODE_INTEGER). */
  flags: i32 = 0;

  /** Re-arms the (single, reused) parser for bytes[0, end): parsing allocates no parser object per call. */
  reset(bytes: Uint8Array, end: i32): void {
    this.base = bytes.dataStart;
    this.len = end;
    this.error = "";
    this.errorAt = -1;
    this.flags = 0;
  }

  fail(msg: string, at: i32): i32 {
    if (this.errorAt < 0) {
      this.error = msg + " at byte " + at.toString();
      this.errorAt = at;
    }
    return -1;
  }
  unexpected(at: i32, what: string): i32 {
    if (at >= this.len) return this.fail("unexpected end of JSON, expected " + what, at);
    const c = <u32>load<u8>(this.base + <usize>at);
    return this.fail("unexpected byte " + describeByte(c) + ", expected " + what, at);
  }

  // @ts-ignore: decorator
  @inline ws(pos: i32): i32 {
    const base = this.base, len = this.len;
    while (pos < len) {
      const c = load<u8>(base + <usize>pos);
      if (c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09) break;
      pos++;
    }
    return pos;
  }

  /** Scans the string token whose opening quote is at `pos`; returns the offset after the closing quote. */
  string(pos: i32): i32 {
    const base = this.base, len = this.len;
    let i = pos + 1;
    let flags = 0;
    while (true) {
      // 8 bytes at a time while none of them is '"', '\\', a control byte or non-ASCII.
      // The lowest flagged byte of each test is exact (borrows only travel upward), so ctz jumps straight to
      // the first byte that needs attention.
      while (i + 8 <= len) {
        const v = load<u64>(base + <usize>i);
        const q = v ^ 0x2222222222222222;
        const b = v ^ 0x5C5C5C5C5C5C5C5C;
        const t = (((q - 0x0101010101010101) & ~q) | ((b - 0x0101010101010101) & ~b) |
          ((v - 0x2020202020202020) & ~v) | v) & 0x8080808080808080;
        if (t) { i += <i32>(ctz(t) >> 3); break; }
        i += 8;
      }
      if (i >= len) return this.fail("unterminated string starting", pos);
      const c = <u32>load<u8>(base + <usize>i);
      if (c == 0x22) { this.flags = flags; return i + 1; }
      if (c == 0x5C) {
        flags |= NODE_ESCAPED;
        if (i + 1 >= len) return this.fail("unterminated string starting", pos);
        const e = <u32>load<u8>(base + <usize>(i + 1));
        if (e == 0x75) {
          if (i + 6 > len) return this.fail("unterminated string starting", pos);
          const h = hexVal(load<u8>(base + <usize>(i + 2))) | hexVal(load<u8>(base + <usize>(i + 3))) |
            hexVal(load<u8>(base + <usize>(i + 4))) | hexVal(load<u8>(base + <usize>(i + 5)));
          if (h < 0) return this.fail("invalid \\u escape", i);
          // \uD800-\uDFFF: flagged so checks for lone surrogates only look at the few strings that have one.
          if ((load<u8>(base + <usize>(i + 2)) | 0x20) == 0x64 && hexVal(load<u8>(base + <usize>(i + 3))) >= 8) flags |= NODE_SURROGATE;
          i += 6;
        } else if (e == 0x22 || e == 0x5C || e == 0x2F || e == 0x62 || e == 0x66 || e == 0x6E || e == 0x72 ||
          e == 0x74) {
          i += 2;
        } else {
          return this.fail("invalid escape \\" + (e >= 0x20 && e < 0x7F ? String.fromCharCode(e) : "?"), i);
        }
        continue;
      }
      if (c < 0x20) return this.fail("control character " + describeByte(c) + " in string", i);
      if (c < 0x80) { i++; continue; }
      // Two-byte sequences (Latin, Greek, Cyrillic...) inline; the rest through the full check.
      if (c >= 0xC2 && c < 0xE0 && i + 1 < len && (load<u8>(base + <usize>(i + 1)) & 0xC0) == 0x80) { i += 2; continue; }
      const n = utf8SeqLen(base + <usize>i, <usize>(len - i));
      if (n == 0) return this.fail("invalid UTF-8", i);
      i += n;
    }
    return -1; // not reached: the loop only exits through returns
  }

  /** Scans the number token at `pos`; returns the offset after it. */
  number(pos: i32): i32 {
    const base = this.base, len = this.len;
    let i = pos;
    let integer = NODE_INTEGER;
    if (load<u8>(base + <usize>i) == 0x2D) i++;
    if (i >= len) return this.fail("unexpected end of JSON in number", i);
    let c = <u32>load<u8>(base + <usize>i);
    if (c == 0x30) {
      i++;
      if (i < len && <u32>load<u8>(base + <usize>i) - 0x30 < 10) return this.fail("leading zero in number", pos);
    } else if (c - 0x31 < 9) {
      i++;
      while (i < len && <u32>load<u8>(base + <usize>i) - 0x30 < 10) i++;
    } else return this.unexpected(i, "a digit");
    if (i < len && load<u8>(base + <usize>i) == 0x2E) {
      integer = 0;
      i++;
      if (i >= len || <u32>load<u8>(base + <usize>i) - 0x30 >= 10) return this.unexpected(i, "a digit after '.'");
      while (i < len && <u32>load<u8>(base + <usize>i) - 0x30 < 10) i++;
    }
    if (i < len && (load<u8>(base + <usize>i) | 0x20) == 0x65) {
      integer = 0;
      i++;
      if (i < len) {
        c = <u32>load<u8>(base + <usize>i);
        if (c == 0x2B || c == 0x2D) i++;
      }
      if (i >= len || <u32>load<u8>(base + <usize>i) - 0x30 >= 10) return this.unexpected(i, "a digit in exponent");
      while (i < len && <u32>load<u8>(base + <usize>i) - 0x30 < 10) i++;
    }
    this.flags = integer;
    return i;
  }

  /** Checks that the literal (true/false/null, given as a little-endian u32 of its first 4 bytes) is at pos. */
  literal(pos: i32, word: u32, n: i32, name: string): i32 {
    const base = this.base;
    if (pos + n > this.len) return this.fail("invalid literal, expected " + name, pos);
    if (load<u32>(base + <usize>pos) != word) return this.fail("invalid literal, expected " + name, pos);
    // Only "false" has a fifth byte.
    if (n == 5 && load<u8>(base + <usize>(pos + 4)) != 0x65) return this.fail("invalid literal, expected " + name, pos);
    return pos + n;
  }
}

const PARSER = new Parser();
const MAX_INITIAL_TAPE_NODES = 4096;

/**
 * Parses and validates `bytes` as one JSON text. Never traps. On success `.value` is the root value (lazy;
 * it references `bytes`, which must not be modified afterwards); on failure `.value` is null and `.error`
 * says what went wrong and where, e.g. "unexpected end of JSON, expected a value at byte 12".
 * Nesting deeper than `maxDepth` arrays/objects is refused.
 */
export function parseJson(bytes: Uint8Array, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonParseResult {
  // ~1 node per 16 bytes for typical API bodies; the document's tape grows as needed. Capped at 4,096 nodes (64 KB):
  // a multi-megabyte body is mostly long strings, and a tape sized after its length would add a whole body-sized
  // allocation (and, as linear memory never shrinks, a body-sized step in every VM) for a few dozen nodes.
  let tapeCap = bytes.length >> 4;
  if (tapeCap < 16) tapeCap = 16;
  if (tapeCap > MAX_INITIAL_TAPE_NODES) tapeCap = MAX_INITIAL_TAPE_NODES;
  const doc = new JsonDoc(bytes, new ArrayBuffer(tapeCap << 4), 0);
  if (parseInto(doc, maxDepth, 0, bytes.length)) return new JsonParseResult(new JsonValue(doc, 0), "", -1);
  return new JsonParseResult(null, PARSER.error, PARSER.errorAt);
}

/**
 * A reusable parser for many small documents (e.g. one per SSE event): it keeps one tape and one root value and
 * reuses them, so a parse allocates nothing. Values from a previous parse() become INVALID when parse() is called
 * again (reading them then gives unspecified results, but never traps; the root object is the same one, pointing
 * at the new document). Use parseJson() for values that
 * must outlive the next parse.
 */
export class JsonParser {
  /** "" after a successful parse, else the message (as in JsonParseResult.error). */
  error: string = "";
  errorOffset: i32 = -1;
  private doc: JsonDoc = new JsonDoc(new Uint8Array(0), new ArrayBuffer(512), 0);
  /** The root value, re-targeted by every parse (values of a previous parse are invalid anyway). */
  private root: JsonValue = new JsonValue(this.doc, 0);

  /** Parses `bytes`; the root value, or null with `error` set. */
  parse(bytes: Uint8Array, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonValue | null {
    return this.parseRange(bytes, 0, bytes.length, maxDepth);
  }

  /**
   * Parses the JSON text bytes[start, end) (clamped), e.g. an SSE event's data inside a reused buffer, without a
   * view per call. Offsets in the values (start/end, error offsets) are offsets into `bytes`.
   */
  parseRange(bytes: Uint8Array, start: i32, end: i32, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonValue | null {
    const doc = this.doc;
    doc.bytes = bytes;
    end = clampEnd(bytes.length, end);
    start = clampStart(start, end);
    if (parseInto(doc, maxDepth, start, end)) {
      this.error = "";
      this.errorOffset = -1;
      const root = this.root;
      root.point(doc, 0);
      return root;
    }
    this.error = PARSER.error;
    this.errorOffset = PARSER.errorAt;
    return null;
  }
}

/** Validates doc.bytes[start, end) and fills doc's tape (from node 0). False on error (details in PARSER). */
function parseInto(doc: JsonDoc, maxDepth: i32, start: i32, end: i32): bool {
  const bytes = doc.bytes;
  doc.nodeCount = 0;
  const p = PARSER;
  p.reset(bytes, end);
  const len = p.len;
  const base = p.base;
  // Open containers form a stack threaded through the tape: while a container is open its skip word (w3)
  // holds the index of its parent, so nesting costs no extra allocation.
  let top = -1;
  let depth = 0;

  let pos = start;
  if (len - pos >= 3 && load<u8>(base + <usize>pos) == 0xEF && load<u8>(base + <usize>pos, 1) == 0xBB &&
    load<u8>(base + <usize>pos, 2) == 0xBF) pos += 3;
  pos = p.ws(pos);
  if (pos >= len) {
    if (len == start) p.fail("empty body, expected JSON", start);
    else p.unexpected(pos, "a value");
    return false;
  }

  // AssemblyScript has no labeled statements: `more` says whether the after-value loop wants another value.
  while (true) {
    // ---- a value starts at pos (whitespace skipped) ----
    if (pos >= len) { p.unexpected(pos, "a value"); break; }
    const c = <u32>load<u8>(base + <usize>pos);
    if (c == 0x7B || c == 0x5B) {
      const isObj = c == 0x7B;
      if (depth >= maxDepth) { p.fail("nesting deeper than " + maxDepth.toString() + " levels", pos); break; }
      const idx = doc.add(isObj ? JsonKind.Object : JsonKind.Array, pos, 0);
      store<i32>(doc.ptr(idx), top, 12);
      top = idx;
      depth++;
      pos = p.ws(pos + 1);
      if (pos >= len) { p.unexpected(pos, isObj ? "a key or '}'" : "a value or ']'"); break; }
      const d = <u32>load<u8>(base + <usize>pos);
      if (d == (isObj ? 0x7D : 0x5D)) {
        // Empty container: close it right away and fall through to "after a value".
        const np = doc.ptr(idx);
        top = load<i32>(np, 12);
        store<i32>(np, pos + 1, 8);
        store<i32>(np, doc.nodeCount, 12);
        depth--;
        pos++;
      } else if (isObj) {
        if (d != 0x22) { p.unexpected(pos, "a string key or '}'"); break; }
        const ke = p.string(pos);
        if (ke < 0) break;
        doc.add(JsonKind.String | (p.flags << 4), pos, ke);
        pos = p.ws(ke);
        if (pos >= len || load<u8>(base + <usize>pos) != 0x3A) { p.unexpected(pos, "':'"); break; }
        pos = p.ws(pos + 1);
        continue;
      } else {
        continue;
      }
    } else if (c == 0x22) {
      const e = p.string(pos);
      if (e < 0) break;
      doc.add(JsonKind.String | (p.flags << 4), pos, e);
      pos = e;
    } else if (c == 0x2D || c - 0x30 < 10) {
      const e = p.number(pos);
      if (e < 0) break;
      doc.add(JsonKind.Number | (p.flags << 4), pos, e);
      pos = e;
    } else if (c == 0x74) {
      const e = p.literal(pos, 0x65757274, 4, "true");
      if (e < 0) break;
      doc.add(JsonKind.Bool | (NODE_TRUE << 4), pos, e);
      pos = e;
    } else if (c == 0x66) {
      const e = p.literal(pos, 0x736C6166, 5, "false");
      if (e < 0) break;
      doc.add(JsonKind.Bool, pos, e);
      pos = e;
    } else if (c == 0x6E) {
      const e = p.literal(pos, 0x6C6C756E, 4, "null");
      if (e < 0) break;
      doc.add(JsonKind.Null, pos, e);
      pos = e;
    } else {
      p.unexpected(pos, "a value");
      break;
    }

    // ---- after a complete value: commas, closers, end of document ----
    let more = false;
    while (true) {
      if (depth == 0) {
        pos = p.ws(pos);
        if (pos < len) { p.fail("unexpected data after the JSON value", pos); break; }
        return true;
      }
      const tp = doc.ptr(top);
      const w0 = load<i32>(tp);
      if ((w0 >>> 4) >= MAX_COUNT) { p.fail("too many elements in one container", pos); break; }
      store<i32>(tp, w0 + 16);
      const isObj = (w0 & 15) == JsonKind.Object;
      pos = p.ws(pos);
      if (pos >= len) { p.unexpected(pos, isObj ? "',' or '}'" : "',' or ']'"); break; }
      const d = <u32>load<u8>(base + <usize>pos);
      if (d == 0x2C) {
        pos = p.ws(pos + 1);
        if (isObj) {
          if (pos >= len || load<u8>(base + <usize>pos) != 0x22) { p.unexpected(pos, "a string key"); break; }
          const ke = p.string(pos);
          if (ke < 0) break;
          doc.add(JsonKind.String | (p.flags << 4), pos, ke);
          pos = p.ws(ke);
          if (pos >= len || load<u8>(base + <usize>pos) != 0x3A) { p.unexpected(pos, "':'"); break; }
          pos = p.ws(pos + 1);
        }
        more = true;
        break;
      }
      if (d == (isObj ? 0x7D : 0x5D)) {
        top = load<i32>(tp, 12);
        store<i32>(tp, pos + 1, 8);
        store<i32>(tp, doc.nodeCount, 12);
        depth--;
        pos++;
        continue;
      }
      p.unexpected(pos, isObj ? "',' or '}'" : "',' or ']'");
      more = false;
      break;
    }
    if (!more) break;
  }
  doc.nodeCount = 0;
  return false;
}

/** Convenience for tests and small config strings: parses the UTF-8 encoding of `s`. */
export function parseJsonString(s: string, maxDepth: i32 = DEFAULT_MAX_DEPTH): JsonParseResult {
  return parseJson(Uint8Array.wrap(String.UTF8.encode(s)), maxDepth);
}
