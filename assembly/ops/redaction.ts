// Redaction of personal data in request text before it leaves the gateway: built-in detectors for Chinese resident
// ID numbers (18 characters, checksum verified), bank-card numbers (16–19 digits, Luhn-valid), e-mail addresses and
// phone numbers, plus configured regular expressions. Only text fields are touched (string values of `content`,
// `text`, `system`, `arguments`, `input`, `thinking`, in both protocols), never base64 data or URLs; each changed
// string is re-escaped in place, so the JSON and its UTF-8 stay valid and every other byte is kept.
import { ByteBuffer } from "../bytes/buffer";
import { BUILTIN_BANK_CARD, BUILTIN_CN_ID, BUILTIN_EMAIL, BUILTIN_PHONE, OpsConfig, RedactionRule } from "../config/ops-config";
import { escapeBytesInto, JsonIter, JsonValue } from "../json";

const TEXT_KEYS: Array<string> = ["content", "text", "system", "arguments", "input", "thinking", "prompt"];

class Edit {
  /** `raw`: `text` is already JSON-escaped string content (the token's raw bytes, redacted in place). */
  constructor(public start: i32, public end: i32, public text: Uint8Array, public raw: bool) {}
}

/** The body with every text field redacted, or null when nothing matched (the caller keeps its bytes). */
export function redactRequest(ops: OpsConfig, root: JsonValue): Uint8Array | null {
  const edits = new Array<Edit>();
  walk(ops, root, false, edits, 0);
  if (edits.length == 0) return null;
  const src = root.source;
  const out = new ByteBuffer(src.length + 64);
  let at = root.start;
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i];
    out.pushSlice(src, at, e.start);
    out.pushByte(0x22);
    if (e.raw) out.pushBytes(e.text);
    else escapeBytesInto(out, e.text, 0, e.text.length);
    out.pushByte(0x22);
    at = e.end;
  }
  out.pushSlice(src, at, root.end);
  return out.take();
}

function walk(ops: OpsConfig, v: JsonValue, text: bool, edits: Array<Edit>, depth: i32): void {
  if (depth > 64) return;
  if (v.isString()) {
    if (!text) return;
    // Built-ins alone on a string without \u escapes: the raw token, no decoding (digits, `@`, `.`, `+`, `-` and
    // spaces are never escaped); otherwise decode, redact, re-escape.
    const raw = v.rawBytes();
    if (ops.builtinsOnly && !hasUnicodeEscape(raw)) {
      const r = redactRaw(ops, raw.subarray(1, raw.length - 1));
      if (r !== null) edits.push(new Edit(v.start, v.end, r, true));
      return;
    }
    const r = redactBytes(ops, v.strBytes());
    if (r !== null) edits.push(new Edit(v.start, v.end, r, false));
    return;
  }
  if (!v.isObject() && !v.isArray()) return;
  const obj = v.isObject();
  const it = new JsonIter(v);
  while (it.next()) {
    const key = it.key;
    // Inside a text container (an array of parts) strings count; an object's member counts by its key.
    const isText = obj ? key !== null && isTextKey(key) : text;
    walk(ops, it.value, isText, edits, depth + 1);
  }
}

function isTextKey(k: JsonValue): bool {
  for (let i = 0; i < TEXT_KEYS.length; i++) if (k.equals(TEXT_KEYS[i])) return true;
  return false;
}

function hasUnicodeEscape(b: Uint8Array): bool {
  for (let i = 0, n = b.length - 1; i < n; i++) {
    if (unchecked(b[i]) == 0x5C) {
      if (unchecked(b[i + 1]) == 0x75) return true;
      i++;
    }
  }
  return false;
}

/** The built-in detectors over a JSON string's escaped content; null when nothing matched. */
function redactRaw(ops: OpsConfig, text: Uint8Array): Uint8Array | null {
  if (!worthScanning(text, ops.redaction)) return null;
  let cur = text;
  let changed = false;
  const rules = ops.redaction;
  for (let i = 0; i < rules.length; i++) {
    const out = redactBuiltin(cur, rules[i].builtin, ops.replacementJson, true);
    if (out !== null) { cur = out; changed = true; }
  }
  return changed ? cur : null;
}

/** Whether any built-in could match: 8 digits for the numeric ones, an `@` for e-mail addresses. */
function worthScanning(text: Uint8Array, rules: Array<RedactionRule>): bool {
  let digits = 0;
  let at = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = unchecked(text[i]);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c == 0x40) at = true;
  }
  for (let i = 0; i < rules.length; i++) if (rules[i].builtin == BUILTIN_EMAIL ? at : digits >= 8) return true;
  return false;
}

/** `s` with every configured detector's matches replaced (strings: for tests and configured patterns). */
export function redactText(ops: OpsConfig, s: string): string {
  const r = redactBytes(ops, Uint8Array.wrap(String.UTF8.encode(s)));
  return r === null ? s : String.UTF8.decode(r.slice().buffer);
}

/**
 * The text (UTF-8) with every detector's matches replaced, or null when nothing matched. Built-in detectors work
 * on the bytes (every pattern they look for is ASCII); most text has neither 8 digits nor an `@` and is skipped
 * after one pass.
 */
export function redactBytes(ops: OpsConfig, text: Uint8Array): Uint8Array | null {
  let cur = text;
  let changed = false;
  const rules = ops.redaction;
  const repl = ops.replacementBytes;
  let digits = 0;
  let at = false;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = unchecked(text[i]);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c == 0x40) at = true;
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    const re = r.regex;
    let out: Uint8Array | null = null;
    if (re !== null) {
      const s = String.UTF8.decode(cur.buffer.slice(cur.byteOffset, cur.byteOffset + cur.length));
      const replaced = re.replaceAll(s, ops.redactionReplacement.replaceAll("$", "$$"));
      if (replaced != s) out = Uint8Array.wrap(String.UTF8.encode(replaced));
    } else if (r.builtin == BUILTIN_EMAIL ? at : digits >= 8) {
      out = redactBuiltin(cur, r.builtin, repl, false);
    }
    if (out !== null) { cur = out; changed = true; }
  }
  return changed ? cur : null;
}

// ---- built-in detectors (hand-written: checks a regex cannot express, and no backtracking) ----

// @ts-ignore: decorator
@inline function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
// @ts-ignore: decorator
@inline function isAlnum(c: i32): bool { return isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A); }
// @ts-ignore: decorator
@inline function at(s: Uint8Array, i: i32): i32 { return i >= 0 && i < s.length ? <i32>unchecked(s[i]) : 0; }

/**
 * One built-in detector over `s` (`raw`: escaped JSON string content, whose escape sequences are skipped and count
 * as boundaries); null when nothing matched. The scan touches each byte once: numbers are tried where a digit run
 * starts (the rest of a run is skipped), e-mail addresses where an `@` is.
 */
function redactBuiltin(s: Uint8Array, kind: i32, repl: Uint8Array, raw: bool): Uint8Array | null {
  let out: ByteBuffer | null = null;
  let last = 0;
  let i = 0;
  const n = s.length;
  const email = kind == BUILTIN_EMAIL;
  while (i < n) {
    const c = <i32>unchecked(s[i]);
    let start = -1, end = -1;
    if (raw && c == 0x5C) { i += 2; continue; }
    if (email) {
      if (c != 0x40) { i++; continue; }
      start = emailStart(s, i, last, raw);
      end = start >= 0 ? emailAt(s, start) : -1;
      if (end < 0) { i++; continue; }
    } else {
      if (!isDigit(c) && c != 0x2B) { i++; continue; }
      const prev = raw && i >= 2 && at(s, i - 2) == 0x5C ? 0x20 : at(s, i - 1);
      if (kind == BUILTIN_CN_ID) end = isDigit(c) && !isAlnum(prev) ? cnId(s, i) : -1;
      else if (kind == BUILTIN_BANK_CARD) end = isDigit(c) && !isDigit(prev) ? bankCard(s, i) : -1;
      else end = !isDigit(prev) && prev != 0x2B ? phone(s, i) : -1;
      if (end < 0) {
        i++;
        while (i < n && isDigit(<i32>unchecked(s[i]))) i++;
        continue;
      }
      start = i;
    }
    if (out === null) out = new ByteBuffer(n + 16);
    out.pushSlice(s, last, start);
    out.pushBytes(repl);
    last = end;
    i = end;
  }
  if (out === null) return null;
  out.pushSlice(s, last, n);
  return out.take();
}

/** Where the local part before the `@` at `i` starts (not before `floor`), or -1. */
function emailStart(s: Uint8Array, i: i32, floor: i32, raw: bool): i32 {
  let j = i;
  while (j > floor && isEmailLocal(<i32>unchecked(s[j - 1]))) j--;
  if (raw) {
    // An odd number of backslashes before j: s[j] is an escape's letter (\n, \u00e9), not text.
    let k = j;
    while (k > 0 && unchecked(s[k - 1]) == 0x5C) k--;
    if (((j - k) & 1) != 0) j += unchecked(s[j]) == 0x75 ? 5 : 1;
  }
  return j < i && isAlnum(<i32>unchecked(s[j])) ? j : -1;
}

const CN_WEIGHTS: StaticArray<i32> = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = "10X98765432";

/** GB 11643-1999: 17 digits and a check character (digit or X) from the weighted sum mod 11. */
function cnId(s: Uint8Array, i: i32): i32 {
  if (i + 18 > s.length) return -1;
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const c = at(s, i + k);
    if (!isDigit(c)) return -1;
    sum += (c - 0x30) * CN_WEIGHTS[k];
  }
  let last = at(s, i + 17);
  if (last == 0x78) last = 0x58; // x
  if (last != CN_CHECK.charCodeAt(sum % 11)) return -1;
  if (isAlnum(at(s, i + 18))) return -1;
  return i + 18;
}

/** 16–19 digits, contiguous or in groups separated by one space or hyphen, passing the Luhn check. */
function bankCard(s: Uint8Array, i: i32): i32 {
  // First pass: count digits and find the end; second pass: Luhn from the right.
  let n = 0;
  let j = i;
  let end = -1;
  while (j < s.length) {
    const c = at(s, j);
    if (isDigit(c)) {
      n++;
      if (n > 19) return -1;
      j++;
      end = j;
      continue;
    }
    if ((c == 0x20 || c == 0x2D) && isDigit(at(s, j + 1)) && j > i) { j++; continue; }
    break;
  }
  if (n < 16) return -1;
  let sum = 0;
  let k = 0;
  for (let p = end - 1; p >= i; p--) {
    const c = at(s, p);
    if (!isDigit(c)) continue;
    let d = c - 0x30;
    if (k & 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    k++;
  }
  return sum % 10 == 0 ? end : -1;
}

// @ts-ignore: decorator
@inline function isEmailLocal(c: i32): bool { return isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D; }

/** local@domain.tld (ASCII): a local part of [A-Za-z0-9._%+-], a domain with a dot and a letters-only TLD. */
function emailAt(s: Uint8Array, i: i32): i32 {
  let j = i;
  while (j < s.length && isEmailLocal(at(s, j))) j++;
  if (j == i || at(s, j) != 0x40) return -1;
  j++;
  const domainStart = j;
  let lastDot = -1;
  while (j < s.length) {
    const c = at(s, j);
    if (isAlnum(c) || c == 0x2D) j++;
    else if (c == 0x2E && isAlnum(at(s, j + 1)) && j > domainStart) { lastDot = j; j++; }
    else break;
  }
  if (lastDot < 0 || j - lastDot - 1 < 2) return -1;
  for (let k = lastDot + 1; k < j; k++) {
    const c = at(s, k) | 0x20;
    if (c < 0x61 || c > 0x7A) return -1;
  }
  return j;
}

/**
 * Phone numbers: Chinese mobile numbers (1[3-9] and 9 more digits, optionally after +86 / 86, a space or hyphen
 * allowed after the prefix and in 3-4-4 groups) and international numbers (+ and 8–15 digits, single spaces or
 * hyphens between groups). Longer digit runs are not phone numbers (bank cards and IDs have their own detectors).
 */
function phone(s: Uint8Array, i: i32): i32 {
  let j = i;
  let n = 0;
  const plus = at(s, i) == 0x2B;
  if (plus) j++;
  let first = -1, second = -1;
  let end = -1;
  while (j < s.length) {
    const c = at(s, j);
    if (isDigit(c)) {
      if (n == 0) first = c; else if (n == 1) second = c;
      n++;
      j++;
      end = j;
      if (n > 15) return -1;
      continue;
    }
    if ((c == 0x20 || c == 0x2D) && n > 0 && isDigit(at(s, j + 1))) { j++; continue; }
    break;
  }
  if (end < 0 || isAlnum(at(s, end))) return -1;
  if (plus) return n >= 8 && n <= 15 ? end : -1;
  // Without +: an 11-digit mobile number, or 86 and one.
  if (n == 11 && first == 0x31 && second >= 0x33) return end;
  if (n == 13 && first == 0x38 && second == 0x36) return end;
  return -1;
}

/**
 * Redaction of answers as they stream to the client (`redaction.responses`): the built-in detectors over the
 * client-bound bytes (JSON or SSE; every byte they match is ASCII that JSON writes unescaped). A chunk's tail that
 * could still grow into a match (digits, separators, e-mail characters; at most HOLD_MAX bytes) is held back and
 * checked with the next chunk, so a number cut between two network reads is still found. A number split between
 * two SSE events (two text deltas) is not: each event is its own JSON.
 */
const HOLD_MAX = 128;

export class ResponseRedactor {
  private held: Uint8Array = new Uint8Array(0);
  constructor(public ops: OpsConfig) {}

  /** The bytes to send now for `chunk` (`last`: nothing follows, so nothing is held). */
  push(chunk: Uint8Array, last: bool): Uint8Array {
    let data = chunk;
    if (this.held.length > 0) {
      data = new Uint8Array(this.held.length + chunk.length);
      data.set(this.held);
      data.set(chunk, this.held.length);
    }
    let keep = 0;
    if (!last) {
      while (keep < data.length && keep < HOLD_MAX && mayContinue(<i32>unchecked(data[data.length - 1 - keep]))) keep++;
      if (keep == HOLD_MAX) keep = 0; // a run this long is not one match in progress
    }
    const ready = data.subarray(0, data.length - keep);
    this.held = keep > 0 ? data.slice(data.length - keep) : new Uint8Array(0);
    let out: Uint8Array = ready;
    const rules = this.ops.redaction;
    for (let i = 0; i < rules.length; i++) {
      if (rules[i].regex !== null) continue;
      const r = redactBuiltin(out, rules[i].builtin, this.ops.replacementJson, true);
      if (r !== null) out = r;
    }
    return out;
  }
}

function mayContinue(c: i32): bool {
  return isEmailLocal(c) || c == 0x40 || c == 0x20;
}
