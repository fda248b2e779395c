// Redaction of personal data in request text before it leaves the gateway: built-in detectors for Chinese resident
// ID numbers (18 characters, checksum verified), bank-card numbers (16–19 digits, Luhn-valid), e-mail addresses and
// phone numbers, plus configured regular expressions. Only text fields are touched (string values of `content`,
// `text`, `system`, `arguments`, `input`, `thinking`, in both protocols), never base64 data or URLs; each changed
// string is re-escaped in place, so the JSON and its UTF-8 stay valid and every other byte is kept.
import { ByteBuffer } from "../bytes/buffer";
import { BUILTIN_BANK_CARD, BUILTIN_CN_ID, BUILTIN_EMAIL, BUILTIN_PHONE, OpsConfig } from "../config/ops-config";
import { escapeStringInto, JsonIter, JsonValue } from "../json";

const TEXT_KEYS: Array<string> = ["content", "text", "system", "arguments", "input", "thinking", "prompt"];

class Edit {
  constructor(public start: i32, public end: i32, public text: string) {}
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
    escapeStringInto(out, e.text);
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
    const s = v.str();
    const r = redactText(ops, s);
    if (r != s) edits.push(new Edit(v.start, v.end, r));
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

/** `s` with every configured detector's matches replaced. */
export function redactText(ops: OpsConfig, s: string): string {
  let out = s;
  const rules = ops.redaction;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    const re = r.regex;
    if (re !== null) out = re.replaceAll(out, ops.redactionReplacement.replaceAll("$", "$$"));
    else out = redactBuiltin(out, r.builtin, ops.redactionReplacement);
  }
  return out;
}

// ---- built-in detectors (hand-written: checks a regex cannot express, and no backtracking) ----

@inline function isDigit(c: i32): bool { return c >= 0x30 && c <= 0x39; }
@inline function isAlnum(c: i32): bool { return isDigit(c) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A); }

function redactBuiltin(s: string, kind: i32, repl: string): string {
  let out: string[] | null = null;
  let last = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const end = matchAt(s, i, kind);
    if (end > i) {
      if (out === null) out = [];
      out.push(s.substring(last, i));
      out.push(repl);
      last = end;
      i = end;
    } else i++;
  }
  if (out === null) return s;
  out.push(s.substring(last));
  return out.join("");
}

/** End of a match of `kind` starting exactly at `i`, or -1. */
function matchAt(s: string, i: i32, kind: i32): i32 {
  const c = s.charCodeAt(i);
  const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
  switch (kind) {
    case BUILTIN_CN_ID: return isDigit(c) && !isAlnum(prev) ? cnId(s, i) : -1;
    case BUILTIN_BANK_CARD: return isDigit(c) && !isDigit(prev) ? bankCard(s, i) : -1;
    case BUILTIN_EMAIL: return isAlnum(c) && !isEmailLocal(prev) ? email(s, i) : -1;
    case BUILTIN_PHONE: return (isDigit(c) || c == 0x2B) && !isDigit(prev) && prev != 0x2B ? phone(s, i) : -1;
  }
  return -1;
}

const CN_WEIGHTS: StaticArray<i32> = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = "10X98765432";

/** GB 11643-1999: 17 digits and a check character (digit or X) from the weighted sum mod 11. */
function cnId(s: string, i: i32): i32 {
  if (i + 18 > s.length) return -1;
  let sum = 0;
  for (let k = 0; k < 17; k++) {
    const c = s.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    sum += (c - 0x30) * CN_WEIGHTS[k];
  }
  let last = s.charCodeAt(i + 17);
  if (last == 0x78) last = 0x58; // x
  if (last != CN_CHECK.charCodeAt(sum % 11)) return -1;
  if (i + 18 < s.length && isAlnum(s.charCodeAt(i + 18))) return -1;
  return i + 18;
}

/** 16–19 digits, contiguous or in groups separated by one space or hyphen, passing the Luhn check. */
function bankCard(s: string, i: i32): i32 {
  const digits = new StaticArray<i32>(19);
  let n = 0;
  let j = i;
  let end = -1;
  while (j < s.length && n < 20) {
    const c = s.charCodeAt(j);
    if (isDigit(c)) {
      if (n == 19) { n = 20; break; }
      digits[n++] = c - 0x30;
      j++;
      end = j;
      continue;
    }
    if ((c == 0x20 || c == 0x2D) && j + 1 < s.length && isDigit(s.charCodeAt(j + 1)) && j > i) { j++; continue; }
    break;
  }
  if (n < 16 || n > 19) return -1;
  if (end < s.length && isDigit(s.charCodeAt(end))) return -1;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    let d = digits[n - 1 - k];
    if (k & 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 == 0 ? end : -1;
}

@inline function isEmailLocal(c: i32): bool { return isAlnum(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D; }

/** local@domain.tld (ASCII): a local part of [A-Za-z0-9._%+-], a domain with a dot and a letters-only TLD. */
function email(s: string, i: i32): i32 {
  let j = i;
  while (j < s.length && isEmailLocal(s.charCodeAt(j))) j++;
  if (j == i || j >= s.length || s.charCodeAt(j) != 0x40) return -1;
  j++;
  const domainStart = j;
  let lastDot = -1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (isAlnum(c) || c == 0x2D) j++;
    else if (c == 0x2E && j + 1 < s.length && isAlnum(s.charCodeAt(j + 1)) && j > domainStart) { lastDot = j; j++; }
    else break;
  }
  if (lastDot < 0 || j - lastDot - 1 < 2) return -1;
  for (let k = lastDot + 1; k < j; k++) {
    const c = s.charCodeAt(k) | 0x20;
    if (c < 0x61 || c > 0x7A) return -1;
  }
  return j;
}

/**
 * Phone numbers: Chinese mobile numbers (1[3-9] and 9 more digits, optionally after +86 / 86, a space or hyphen
 * allowed after the prefix and in 3-4-4 groups) and international numbers (+ and 8–15 digits, single spaces or
 * hyphens between groups). Longer digit runs are not phone numbers (bank cards and IDs have their own detectors).
 */
function phone(s: string, i: i32): i32 {
  let j = i;
  let n = 0;
  const plus = s.charCodeAt(i) == 0x2B;
  if (plus) j++;
  let first = -1, second = -1;
  let end = -1;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (isDigit(c)) {
      if (n == 0) first = c; else if (n == 1) second = c;
      n++;
      j++;
      end = j;
      if (n > 15) return -1;
      continue;
    }
    if ((c == 0x20 || c == 0x2D) && n > 0 && j + 1 < s.length && isDigit(s.charCodeAt(j + 1))) { j++; continue; }
    break;
  }
  if (end < 0 || (end < s.length && isAlnum(s.charCodeAt(end)))) return -1;
  if (plus) return n >= 8 && n <= 15 ? end : -1;
  // Without +: an 11-digit mobile number, or 86 and one.
  if (n == 11 && first == 0x31 && second >= 0x33) return end;
  if (n == 13 && first == 0x38 && second == 0x36) return end;
  return -1;
}
