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
  let problem = "";
  for (let i = first; i < stop; i++) {
    const kind = doc.kind(i);
    if (kind == JsonKind.String) {
      if (doc.payload(i) & NODE_SURROGATE) {
        problem = surrogateProblem(doc, i);
        if (problem.length) break;
      }
    } else if (kind == JsonKind.Number) {
      const s = doc.start(i), e = doc.end(i);
      // An integer of at most 300 characters is below 1e301: always finite.
      if ((doc.payload(i) & NODE_INTEGER) == 0 || e - s > 300) {
        if (!isFinite(numberToF64(doc.bytes, s, e))) {
          problem = "number " + clip(utf8DecodePtr(doc.bytes.dataStart + <usize>s, e - s)) + " is out of range";
          break;
        }
      }
    }
    // A key repeated earlier in its object: reported at the repeat (after that key's own string check).
    if (i == dupNode) {
      problem = "duplicate key \"" + clip(new JsonValue(doc, i).str()) + "\"";
      break;
    }
    if (kind == JsonKind.Object && doc.payload(i) > 1) {
      const d = firstDuplicateKey(doc, i);
      if (d >= 0 && d < dupNode) dupNode = d;
    }
  }
  // A hostile body with a huge object must not leave its scratch tables allocated for the VM's lifetime.
  if (NODES.length > 4096) { NODES = new StaticArray<i32>(32); SIGS = new StaticArray<u32>(32); }
  if (TABLE.length > 8192) TABLE = new StaticArray<i32>(64);
  return problem;
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

// Scratch space reused across calls (grown to the largest object seen): per key, its node and a signature
// (length, first and last byte), and an open-addressing table of key positions for large objects.
let NODES = new StaticArray<i32>(32);
let SIGS = new StaticArray<u32>(32);
let TABLE = new StaticArray<i32>(64);

/** Node index of the first key of object `obj` equal to an earlier key of it, or -1. */
function firstDuplicateKey(doc: JsonDoc, obj: i32): i32 {
  const count = doc.payload(obj);
  if (count > NODES.length) {
    let cap = NODES.length;
    while (cap < count) cap <<= 1;
    NODES = new StaticArray<i32>(cap);
    SIGS = new StaticArray<u32>(cap);
  }
  const nodes = NODES, sigs = SIGS;
  const base = doc.bytes.dataStart;
  let k = obj + 1;
  for (let m = 0; m < count; m++) {
    // Escaped keys: compare decoded strings (rare).
    if (doc.payload(k) & NODE_ESCAPED) return firstDuplicateDecoded(doc, obj);
    const s = doc.start(k) + 1, len = doc.end(k) - 1 - s;
    let sig = <u32>len & 0xFFFF;
    if (len > 0) sig |= (<u32>load<u8>(base + <usize>s) << 16) | (<u32>load<u8>(base + <usize>(s + len - 1)) << 24);
    unchecked(nodes[m] = k);
    unchecked(sigs[m] = sig);
    k = doc.next(k + 1);
  }
  if (count <= 16) {
    for (let m = 1; m < count; m++) {
      const sig = unchecked(sigs[m]);
      for (let j = 0; j < m; j++) {
        if (unchecked(sigs[j]) == sig && sameKey(doc, unchecked(nodes[j]), unchecked(nodes[m]))) return unchecked(nodes[m]);
      }
    }
    return -1;
  }
  let size = TABLE.length;
  while (size < count * 2) size <<= 1;
  if (size != TABLE.length) TABLE = new StaticArray<i32>(size);
  const table = TABLE;
  for (let i = 0; i < size; i++) unchecked(table[i] = -1);
  const mask = <u32>size - 1;
  for (let m = 0; m < count; m++) {
    const sig = unchecked(sigs[m]);
    let slot = (sig * 0x9E3779B1) >>> 7 & mask;
    while (true) {
      const j = unchecked(table[slot]);
      if (j < 0) { unchecked(table[slot] = m); break; }
      if (unchecked(sigs[j]) == sig && sameKey(doc, unchecked(nodes[j]), unchecked(nodes[m]))) return unchecked(nodes[m]);
      slot = (slot + 1) & mask;
    }
  }
  return -1;
}

/** Whether unescaped key nodes `a` and `b` have the same bytes. */
function sameKey(doc: JsonDoc, a: i32, b: i32): bool {
  const as = doc.start(a), al = doc.end(a) - as;
  const bs = doc.start(b);
  return doc.end(b) - bs == al && memory.compare(doc.bytes.dataStart + <usize>as, doc.bytes.dataStart + <usize>bs, <usize>al) == 0;
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
