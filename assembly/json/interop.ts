// Interop hazards in a parsed document: JSON that different parsers would read differently or not at all.
//   - duplicate keys (`{"model":"a","model":"b"}`: which one a provider reads depends on its parser);
//   - lone UTF-16 surrogate escapes ("\ud800"), which are not Unicode text;
//   - numbers out of range of a double (1e999); -0 and underflows (1e-999) are fine.
//
// Same rules, messages and order as protocol/validate.ts's requestProblem() (the first problem in document order),
// in one flat pass over the tape: no JsonValue per node, no decoded key strings, no Set per object. Only strings
// with a \uD800–\uDFFF escape (flagged by the parser) are scanned, only numbers that could overflow are converted, and keys are compared as raw bytes
// (exact for unescaped keys: the parser validated the UTF-8); objects with an escaped key compare decoded keys.

import { utf8DecodePtr } from "../bytes/utf8";
import { numberToF64 } from "./number";
import { JsonDoc, JsonKind, JsonValue, NODE_ESCAPED, NODE_INTEGER, NODE_SURROGATE } from "./value";

function clip(s: string): string {
  return s.length > 60 ? s.substring(0, 60) + "…" : s;
}

/** "" when the document rooted at `root` has none of the hazards above, else what is wrong (first in document order). */
export function interopProblem(root: JsonValue): string {
  const doc = root.doc;
  const first = root.node;
  const stop = doc.next(first);
  let dupNode = i32.MAX_VALUE;
  for (let i = first; i < stop; i++) {
    const kind = doc.kind(i);
    if (kind == JsonKind.String) {
      if (doc.payload(i) & NODE_SURROGATE) {
        const p = surrogateProblem(doc, i);
        if (p.length) return p;
      }
    } else if (kind == JsonKind.Number) {
      const s = doc.start(i), e = doc.end(i);
      // An integer of at most 300 characters is below 1e301: always finite.
      if ((doc.payload(i) & NODE_INTEGER) == 0 || e - s > 300) {
        if (!isFinite(numberToF64(doc.bytes, s, e))) return "number " + clip(utf8DecodePtr(doc.bytes.dataStart + <usize>s, e - s)) + " is out of range";
      }
    }
    // A key repeated earlier in its object: reported at the repeat (after that key's own string check).
    if (i == dupNode) return "duplicate key \"" + clip(new JsonValue(doc, i).str()) + "\"";
    if (kind == JsonKind.Object && doc.payload(i) > 1) {
      const d = firstDuplicateKey(doc, i);
      if (d >= 0 && d < dupNode) dupNode = d;
    }
  }
  return "";
}

/** The lone-surrogate message for string node `n` (which has escapes), or "". */
function surrogateProblem(doc: JsonDoc, n: i32): string {
  const base = doc.bytes.dataStart;
  const end = doc.end(n) - 1; // the closing quote
  let p = doc.start(n) + 1;
  while (p < end) {
    if (load<u8>(base + <usize>p) != 0x5C) { p++; continue; }
    const cp = escapeAt(base, p, end);
    if (cp < 0) { p += 2; continue; }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      const lo = escapeAt(base, p + 6, end);
      if (lo >= 0xDC00 && lo <= 0xDFFF) { p += 12; continue; }
      return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF) return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    p += 6;
  }
  return "";
}

/** The code unit of the \uXXXX escape at `p` (a backslash; the escape must end by `end`), or -1. */
function escapeAt(base: usize, p: i32, end: i32): i32 {
  if (p + 6 > end || load<u8>(base + <usize>p) != 0x5C || load<u8>(base + <usize>(p + 1)) != 0x75) return -1;
  let cp = 0;
  for (let k = 2; k < 6; k++) {
    const c = <i32>load<u8>(base + <usize>(p + k));
    let h = -1;
    if (c >= 0x30 && c <= 0x39) h = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) h = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) h = c - 0x41 + 10;
    if (h < 0) return -1;
    cp = (cp << 4) | h;
  }
  return cp;
}

// Open-addressing table of key node indices, reused across calls (grows with the largest object seen).
let TABLE = new StaticArray<i32>(64);

/** Node index of the first key of object `obj` equal to an earlier key of it, or -1. */
function firstDuplicateKey(doc: JsonDoc, obj: i32): i32 {
  const count = doc.payload(obj);
  // Escaped keys: compare decoded strings (rare).
  let k = obj + 1;
  for (let m = 0; m < count; m++) {
    if (doc.payload(k) & NODE_ESCAPED) return firstDuplicateDecoded(doc, obj);
    k = doc.next(k + 1);
  }
  const base = doc.bytes.dataStart;
  if (count <= 12) {
    let a = obj + 1;
    for (let m = 0; m < count; m++) {
      const as = doc.start(a), al = doc.end(a) - as;
      let b = obj + 1;
      for (let j = 0; j < m; j++) {
        const bs = doc.start(b);
        if (doc.end(b) - bs == al && memory.compare(base + <usize>as, base + <usize>bs, <usize>al) == 0) return a;
        b = doc.next(b + 1);
      }
      a = doc.next(a + 1);
    }
    return -1;
  }
  let size = TABLE.length;
  while (size < count * 2) size <<= 1;
  if (size != TABLE.length) TABLE = new StaticArray<i32>(size);
  const table = TABLE;
  for (let i = 0; i < size; i++) unchecked(table[i] = -1);
  const mask = size - 1;
  let a = obj + 1;
  for (let m = 0; m < count; m++) {
    const as = doc.start(a), al = doc.end(a) - as;
    let h: u32 = 2166136261;
    for (let q = 0; q < al; q++) h = (h ^ <u32>load<u8>(base + <usize>(as + q))) * 16777619;
    let slot = <i32>(h & <u32>mask);
    while (true) {
      const b = unchecked(table[slot]);
      if (b < 0) { unchecked(table[slot] = a); break; }
      const bs = doc.start(b);
      if (doc.end(b) - bs == al && memory.compare(base + <usize>as, base + <usize>bs, <usize>al) == 0) return a;
      slot = (slot + 1) & mask;
    }
    a = doc.next(a + 1);
  }
  return -1;
}

function firstDuplicateDecoded(doc: JsonDoc, obj: i32): i32 {
  const seen = new Set<string>();
  const count = doc.payload(obj);
  let k = obj + 1;
  for (let m = 0; m < count; m++) {
    const name = new JsonValue(doc, k).str();
    if (seen.has(name)) return k;
    seen.add(name);
    k = doc.next(k + 1);
  }
  return -1;
}
