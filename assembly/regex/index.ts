// A small, safe regular-expression engine (RE2 / Go `regexp` syntax subset) for AssemblyScript.
//
// Design (runs inside Envoy, where a trap kills the VM):
//   * Never aborts. Compile errors are values ("<message> at <index>"); matching never traps.
//   * Pike-VM (Thompson NFA simulation with capture slots, like RE2/Go): time O(len(input) x program
//     size), no backtracking, so `(a*)*b` and friends stay linear. A per-call step budget
//     (`stepLimit`) bounds the work anyway; when it runs out the call reports "no match" and sets
//     `tooComplex`.
//   * Bounded recursion only (parser/emitter depth <= MAX_DEPTH nested groups); the VM uses an
//     explicit stack. Thread lists / capture buffers are allocated once per Regex and reused.
//   * Leftmost-first semantics (Go's default, Perl-like), not POSIX leftmost-longest.
//
// Text model: patterns and inputs are AssemblyScript (UTF-16) strings. Matching works on code
// points (a valid surrogate pair is one character for `.`/classes); all reported indices are
// UTF-16 code-unit offsets, usable with String#substring. Lone surrogates match as themselves.
// \d \w \s \b and POSIX classes are ASCII (as in Go); (?i) folds ASCII letters (plus Go's
// K/KELVIN SIGN and S/LONG S pairs) — non-ASCII letters are not case-folded.
//
// Supported syntax: literals, `.`, `^`, `$`, `\A`, `\z`, `\b`, `\B`, `*`, `+`, `?`, `{n}`, `{n,}`,
// `{n,m}` (n, m <= 1000) and their lazy `?` forms, `( )`, `(?: )`, `(?P<name> )`, `(?<name> )`,
// `|`, classes `[...]` / `[^...]` with ranges, `\d\D\s\S\w\W` and `[:alpha:]`-style POSIX names,
// escapes of any ASCII punctuation, `\t \n \r \f \v \a`, `\x41`, `\x{263a}`, octal `\0`, `\012`,
// flags `(?i)`, `(?m)`, `(?s)`, `(?U)`, `(?i-s)`, `(?i:...)` (scoped like Go). Not supported
// (compile error): backreferences, lookaround, `\p{..}`, `\Q..\E`, `\C`.
// Go details mirrored: `$` without (?m) matches only at the very end (not before a final "\n");
// `.` excludes "\n" unless (?s); `[^a]` matches "\n"; `{` that is not a valid repeat is a literal;
// `a**` is an error; nested {n,m} counts may not multiply past 1000; duplicate group names are allowed.
//
// Limits (all reported as compile errors, never traps): pattern <= 65536 code units, group nesting
// <= 32 (MAX_DEPTH; keeps recursion well inside AssemblyScript's 32 KiB shadow stack), repeat
// counts <= 1000, program <= 10000 instructions ("expression too large"), <= 1000 groups, and
// (character instructions x capture slots) <= 262144. Matching: `stepLimit` per call (default
// 250000 ~ a few ms); on exhaustion find/matchString/matchesWhole return no-match, replaceAll
// returns its input unchanged, and `tooComplex` is true until the next call.
import { Parser, MAX_DEPTH, MAX_GROUPS, MAX_PROGRAM, MAX_REPEAT } from "./parser";
import { Program, OP_ASSERT, OP_CHAR, OP_CLASS, OP_JMP, OP_MATCH, OP_SAVE, OP_SPLIT } from "./program";
import {
  A_BEGIN_LINE,
  A_BEGIN_TEXT,
  A_END_LINE,
  A_END_TEXT,
  A_NOT_WORD_BOUNDARY,
  A_WORD_BOUNDARY,
} from "./ast";
import { isWordChar } from "./charclass";

export { MAX_DEPTH, MAX_GROUPS, MAX_PROGRAM, MAX_REPEAT };

/** Default per-call VM step budget (instructions visited + capture copies / 8); roughly 2-5 ms of work in V8. */
export const DEFAULT_STEP_LIMIT: i32 = 250000;
/** Upper bound on (character-consuming instructions x capture slots) per thread list. */
export const MAX_CAPTURE_STATE: i64 = 262144;

export class RegexCompileResult {
  regex: Regex | null;
  /** Empty on success; otherwise "<message> at <pattern index>". */
  error: string;

  constructor(regex: Regex | null, error: string) {
    this.regex = regex;
    this.error = error;
  }

  get ok(): bool {
    return this.regex !== null;
  }
}

class ThreadList {
  // Storage (kept alive here); the VM reads it through the raw pointers below.
  pcs: StaticArray<i32>;
  caps: StaticArray<i32>;
  visited: StaticArray<i32>;
  pcsP: usize;
  capsP: usize;
  visitedP: usize;
  cap: i32;
  nInst: i32;
  stamp: i32 = 0;
  n: i32 = 0;

  constructor(nInst: i32, nCons: i32, stride: i32) {
    const pcs = new StaticArray<i32>(nCons);
    const caps = new StaticArray<i32>(nCons * stride);
    const visited = new StaticArray<i32>(nInst);
    this.pcs = pcs;
    this.caps = caps;
    this.visited = visited;
    this.pcsP = changetype<usize>(pcs);
    this.capsP = changetype<usize>(caps);
    this.visitedP = changetype<usize>(visited);
    this.cap = nCons;
    this.nInst = nInst;
  }

  reset(): void {
    this.n = 0;
    if (this.stamp >= 0x7ffffff0) {
      memory.fill(this.visitedP, 0, <usize>this.nInst << 2);
      this.stamp = 0;
    }
    this.stamp++;
  }
}

@inline
function ld(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline
function st(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

/** UTF-16 code unit at i of a string at sp with length len, or -1 if out of range. */
@inline
function cu(sp: usize, len: i32, i: i32): i32 {
  return <u32>i < <u32>len ? <i32>load<u16>(sp + (<usize>i << 1)) : -1;
}

export class Regex {
  /** The source pattern. */
  readonly pattern: string;
  /** Number of capture groups (not counting group 0, the whole match). */
  readonly groupCount: i32;
  /** Group names by index ("" for unnamed; index 0 is the whole match). */
  readonly names: Array<string>;
  /** Maximum VM steps per public call (matchesWhole / matchString / find / replaceAll). */
  stepLimit: i32 = DEFAULT_STEP_LIMIT;

  // Program: code[3*pc] = op, code[3*pc+1] = a, code[3*pc+2] = b.
  private code: StaticArray<i32>;
  private codeP: usize;
  private nInst: i32;
  private classes: Array<StaticArray<i32>>;
  private classPtr: StaticArray<usize>;
  private classLen: StaticArray<i32>;
  private stride: i32; // 2 * (groupCount + 1) capture slots
  private l0: ThreadList;
  private l1: ThreadList;
  private stack: StaticArray<i32>; // pairs (entry, saved value)
  private stackP: usize;
  private stackCap: i32;
  private work: StaticArray<i32>;
  private workP: usize;
  private matchCaps: StaticArray<i32>;
  private steps: i32 = 0;
  private exhausted: bool = false;

  /** Use Regex.compile(). */
  constructor(pattern: string, prog: Program, groupCount: i32, names: Array<string>, nCons: i32) {
    const n = prog.ops.length;
    const code = new StaticArray<i32>(3 * n);
    for (let i = 0; i < n; i++) {
      code[3 * i] = prog.ops[i];
      code[3 * i + 1] = prog.a[i];
      code[3 * i + 2] = prog.b[i];
    }
    const classes = prog.classes;
    const classPtr = new StaticArray<usize>(classes.length);
    const classLen = new StaticArray<i32>(classes.length);
    for (let i = 0; i < classes.length; i++) {
      classPtr[i] = changetype<usize>(classes[i]);
      classLen[i] = classes[i].length >> 1;
    }
    const stride = 2 * (groupCount + 1);
    const stack = new StaticArray<i32>(2 * (n + 1));
    const work = new StaticArray<i32>(stride);
    this.pattern = pattern;
    this.groupCount = groupCount;
    this.names = names;
    this.code = code;
    this.codeP = changetype<usize>(code);
    this.nInst = n;
    this.classes = classes;
    this.classPtr = classPtr;
    this.classLen = classLen;
    this.stride = stride;
    this.l0 = new ThreadList(n, nCons, stride);
    this.l1 = new ThreadList(n, nCons, stride);
    this.stack = stack;
    this.stackP = changetype<usize>(stack);
    this.stackCap = n + 1;
    this.work = work;
    this.workP = changetype<usize>(work);
    this.matchCaps = new StaticArray<i32>(stride);
  }

  /** Parse and compile `pattern`. Never aborts; problems are reported in `.error`. */
  static compile(pattern: string): RegexCompileResult {
    const p = new Parser(pattern);
    const root = p.parse();
    if (root === null) {
      return new RegexCompileResult(null, p.error.length > 0 ? p.error : "invalid pattern at 0");
    }
    const prog = new Program();
    prog.emit(root);
    prog.inst(OP_MATCH, 0, 0);
    let nCons = 0;
    for (let i = 0; i < prog.ops.length; i++) {
      const op = prog.ops[i];
      if (op == OP_CHAR || op == OP_CLASS || op == OP_MATCH) nCons++;
    }
    const stride = 2 * (p.ncap + 1);
    if (<i64>nCons * <i64>stride > MAX_CAPTURE_STATE) {
      return new RegexCompileResult(null, "expression too large (too many groups x characters) at 0");
    }
    return new RegexCompileResult(new Regex(pattern, prog, p.ncap, p.names, nCons), "");
  }

  /** True when the last matchesWhole/matchString/find/replaceAll call ran out of its step budget. */
  get tooComplex(): bool {
    return this.exhausted;
  }

  /** Whole-string match (anchored at both ends), e.g. status patterns "5.*" vs "503". */
  matchesWhole(s: string): bool {
    this.begin();
    return this.run(s, 0, true, true, 0);
  }

  /** Unanchored search without captures (Go's MatchString). */
  matchString(s: string): bool {
    this.begin();
    return this.run(s, 0, false, false, 0);
  }

  /**
   * Leftmost-first unanchored search (Go's FindStringSubmatchIndex). Returns
   * [start0, end0, start1, end1, ...] (UTF-16 offsets; -1 for unset groups), or null.
   */
  find(s: string): Array<i32> | null {
    this.begin();
    if (!this.search(s, 0)) return null;
    const m = this.matchCaps;
    const out = new Array<i32>(m.length);
    for (let i = 0; i < m.length; i++) out[i] = m[i];
    return out;
  }

  /**
   * Go's Regexp.ExpandString for one match: `$1`, `${1}`, `${name}`/`$name`, `$$` -> `$`.
   * Like Go, `$name` takes the longest run of letters, digits and `_`, so `$1x` means group
   * "1x" (unknown -> empty); write `${1}x`. Unknown / unset groups expand to "". A malformed
   * reference (`$` followed by no name, `${` without `}`) is copied literally.
   * Non-ASCII name characters: Latin/Greek/Cyrillic/CJK/kana/Hangul letters count as letters,
   * other non-ASCII characters end the name (approximation of Go's unicode.IsLetter).
   */
  expand(template: string, s: string, match: Array<i32>): string {
    const parts = new Array<string>();
    expandTo<Array<i32>>(parts, template, s, match, this.names);
    return parts.join("");
  }

  /**
   * Go's Regexp.ReplaceAllString: every non-overlapping leftmost-first match is replaced by the
   * expanded template; unmatched text is kept; an empty match right after a previous match is
   * not replaced. If the step budget runs out, returns `src` unchanged (and sets tooComplex).
   */
  replaceAll(src: string, template: string): string {
    this.begin();
    const parts = new Array<string>();
    const end = src.length;
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= end) {
      if (!this.search(src, searchPos)) {
        if (this.exhausted) return src;
        break;
      }
      const m = this.matchCaps;
      const a0 = m[0];
      const a1 = m[1];
      if (a0 < lastMatchEnd || a1 < a0 || a1 > end) break; // cannot happen; defensive
      parts.push(src.substring(lastMatchEnd, a0));
      if (a1 > lastMatchEnd || a0 == 0) expandTo<StaticArray<i32>>(parts, template, src, m, this.names);
      lastMatchEnd = a1;
      const width = searchPos < end ? runeWidth(src, searchPos) : 0;
      if (searchPos + width > a1) searchPos += width;
      else if (searchPos + 1 > a1) searchPos++;
      else searchPos = a1;
    }
    parts.push(src.substring(lastMatchEnd));
    return parts.join("");
  }

  // ---- Pike VM ------------------------------------------------------------------------------

  private begin(): void {
    this.steps = 0;
    this.exhausted = false;
  }

  /**
   * Leftmost-first search from `start` with all groups into matchCaps. Two passes (like RE2):
   * find the match bounds tracking only group 0, then re-run anchored at the match start to fill
   * the groups — avoids copying every group for every concurrent start position.
   */
  private search(s: string, start: i32): bool {
    if (this.groupCount == 0) return this.run(s, start, false, false, 2);
    if (!this.run(s, start, false, false, 2)) return false;
    const m = this.matchCaps;
    const a0 = m[0];
    const a1 = m[1];
    if (!this.run(s, a0, true, false, this.stride)) return false;
    // Same leftmost-first match by construction; keep the first pass's bounds regardless.
    m[0] = a0;
    m[1] = a1;
    return true;
  }

  /**
   * Runs the NFA over s from `start` (context for ^, \b is the whole string). ncap = number of
   * capture slots to track (0 = boolean only, returns at the first match). On success with
   * ncap > 0 the match is in matchCaps.
   */
  private run(s: string, start: i32, anchorStart: bool, anchorEnd: bool, ncap: i32): bool {
    const len = s.length;
    if (start < 0 || start > len) return false;
    if (ncap > this.stride) ncap = this.stride;
    const sp = changetype<usize>(s);
    const stride = this.stride;
    const codeP = this.codeP;
    const nInst = this.nInst;
    const workP = this.workP;
    const mcP = changetype<usize>(this.matchCaps);
    const nClasses = this.classLen.length;
    const limit = this.stepLimit;
    let clist = this.l0;
    let nlist = this.l1;
    clist.reset();
    let matched = false;
    let pos = start;
    while (true) {
      if (clist.n == 0) {
        if (matched) break;
        if (anchorStart && pos != start) break;
      }
      if (!matched && (!anchorStart || pos == start)) {
        if (ncap > 0) {
          for (let i = 0; i < ncap; i++) st(workP, i, -1);
          st(workP, 0, pos);
        }
        this.add(clist, 0, pos, sp, len, ncap);
      }
      // Decode the character at pos (c = -1 at end of input).
      let c = -1;
      let w = 0;
      if (pos < len) {
        c = cu(sp, len, pos);
        w = 1;
        if (c >= 0xd800 && c <= 0xdbff) {
          const d = cu(sp, len, pos + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
            w = 2;
          }
        }
      }
      nlist.reset();
      const n = clist.n;
      const pcsP = clist.pcsP;
      const capsP = clist.capsP;
      let steps = this.steps;
      for (let i = 0; i < n; i++) {
        const pc = ld(pcsP, i);
        if (<u32>pc >= <u32>nInst) continue; // defensive; cannot happen
        const op = ld(codeP, 3 * pc);
        steps++;
        if (op == OP_MATCH) {
          if (anchorEnd && pos != len) continue;
          if (ncap == 0) {
            this.steps = steps;
            return true;
          }
          const base = i * stride;
          for (let j = 0; j < ncap; j++) st(mcP, j, ld(capsP, base + j));
          st(mcP, 1, pos);
          matched = true;
          break; // leftmost-first: cut off lower-priority threads
        }
        if (c < 0) continue;
        let ok = false;
        const arg = ld(codeP, 3 * pc + 1);
        if (op == OP_CHAR) {
          ok = arg == c;
        } else if (op == OP_CLASS && <u32>arg < <u32>nClasses) {
          ok = rangesContain(unchecked(this.classPtr[arg]), unchecked(this.classLen[arg]), c);
        }
        if (ok) {
          if (ncap > 0) {
            const base = i * stride;
            for (let j = 0; j < ncap; j++) st(workP, j, ld(capsP, base + j));
            steps += ncap >> 3;
          }
          this.steps = steps;
          this.add(nlist, pc + 1, pos + w, sp, len, ncap);
          steps = this.steps;
        }
      }
      this.steps = steps;
      clist.n = 0;
      if (steps > limit || steps < 0) {
        this.exhausted = true;
        return false;
      }
      if (w == 0) break;
      pos += w;
      const t = clist;
      clist = nlist;
      nlist = t;
    }
    return matched;
  }

  /** Follows empty transitions from pc0 (explicit stack), adding consuming threads to `list` in priority order. */
  private add(list: ThreadList, pc0: i32, pos: i32, sp: usize, len: i32, ncap: i32): void {
    const codeP = this.codeP;
    const nInst = this.nInst;
    const stackP = this.stackP;
    const stackCap = this.stackCap;
    const workP = this.workP;
    const visitedP = list.visitedP;
    const stamp = list.stamp;
    const pcsP = list.pcsP;
    const capsP = list.capsP;
    const listCap = list.cap;
    const stride = this.stride;
    let steps = this.steps;
    let top = 1;
    st(stackP, 0, pc0);
    while (top > 0) {
      top--;
      const e = ld(stackP, 2 * top);
      if (e < 0) {
        st(workP, -e - 1, ld(stackP, 2 * top + 1)); // restore a capture slot
        continue;
      }
      let pc = e;
      while (true) {
        if (<u32>pc >= <u32>nInst) break; // defensive; cannot happen
        if (ld(visitedP, pc) == stamp) break;
        st(visitedP, pc, stamp);
        steps++;
        const op = ld(codeP, 3 * pc);
        if (op == OP_JMP) {
          pc = ld(codeP, 3 * pc + 1);
          continue;
        }
        if (op == OP_SPLIT) {
          if (top >= stackCap) break; // cannot happen (each pc pushes at most once)
          st(stackP, 2 * top, ld(codeP, 3 * pc + 2));
          top++;
          pc = ld(codeP, 3 * pc + 1);
          continue;
        }
        if (op == OP_SAVE) {
          const slot = ld(codeP, 3 * pc + 1);
          if (slot < ncap) {
            if (top >= stackCap) break;
            st(stackP, 2 * top, -slot - 1);
            st(stackP, 2 * top + 1, ld(workP, slot));
            top++;
            st(workP, slot, pos);
          }
          pc++;
          continue;
        }
        if (op == OP_ASSERT) {
          if (assertOk(ld(codeP, 3 * pc + 1), sp, len, pos)) {
            pc++;
            continue;
          }
          break;
        }
        // Consuming instruction or MATCH: record a thread.
        const n = list.n;
        if (n < listCap) {
          st(pcsP, n, pc);
          if (ncap > 0) {
            const base = n * stride;
            for (let j = 0; j < ncap; j++) st(capsP, base + j, ld(workP, j));
            steps += ncap >> 3;
          }
          list.n = n + 1;
        }
        break;
      }
    }
    this.steps = steps;
  }
}

/** Membership in a normalized range list at p with n ranges. */
@inline
function rangesContain(p: usize, n: i32, c: i32): bool {
  let l = 0;
  let h = n - 1;
  let found = false;
  while (l <= h) {
    const m = (l + h) >>> 1;
    const lo = ld(p, 2 * m);
    const hi = ld(p, 2 * m + 1);
    if (c < lo) h = m - 1;
    else if (c > hi) l = m + 1;
    else {
      found = true;
      break;
    }
  }
  return found;
}

@inline
function isWordCU(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}

function assertOk(kind: i32, sp: usize, len: i32, pos: i32): bool {
  if (kind == A_BEGIN_TEXT) return pos == 0;
  if (kind == A_END_TEXT) return pos == len;
  if (kind == A_BEGIN_LINE) return pos == 0 || cu(sp, len, pos - 1) == 0x0a;
  if (kind == A_END_LINE) return pos == len || cu(sp, len, pos) == 0x0a;
  const before = isWordCU(cu(sp, len, pos - 1));
  const after = isWordCU(cu(sp, len, pos));
  if (kind == A_WORD_BOUNDARY) return before != after;
  if (kind == A_NOT_WORD_BOUNDARY) return before == after;
  return false;
}

function runeWidth(s: string, pos: i32): i32 {
  const c = s.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

/** Approximation of Go's unicode.IsLetter || unicode.IsDigit || '_' for template names. */
function isNameChar(c: i32): bool {
  if (c < 0x80) return isWordChar(c);
  if (c == 0xaa || c == 0xb5 || c == 0xba) return true;
  if (c >= 0xc0 && c <= 0x24f) return c != 0xd7 && c != 0xf7;
  if (c >= 0x370 && c <= 0x52f) return c != 0x37e && c != 0x387;
  if (c >= 0x3040 && c <= 0x30ff) return c != 0x30a0 && c != 0x30fb;
  if (c >= 0x3400 && c <= 0x9fff) return true;
  if (c >= 0xac00 && c <= 0xd7a3) return true;
  return false;
}

/** Go's Regexp.expand over a match slice (Array<i32> or StaticArray<i32>). */
function expandTo<T>(out: Array<string>, template: string, s: string, m: T, names: Array<string>): void {
  const tl = template.length;
  const slen = s.length;
  const mlen = m.length;
  let i = 0;
  while (i < tl) {
    const dollar = template.indexOf("$", i);
    if (dollar < 0) break;
    if (dollar > i) out.push(template.substring(i, dollar));
    i = dollar + 1;
    if (i < tl && template.charCodeAt(i) == 0x24) {
      out.push("$");
      i++;
      continue;
    }
    let p = i;
    let brace = false;
    if (p < tl && template.charCodeAt(p) == 0x7b) {
      brace = true;
      p++;
    }
    const nameStart = p;
    while (p < tl && isNameChar(template.charCodeAt(p))) p++;
    if (p == nameStart || (brace && template.charCodeAt(p) != 0x7d)) {
      out.push("$"); // malformed: keep the '$' literally
      continue;
    }
    const name = template.substring(nameStart, p);
    i = brace ? p + 1 : p;
    let num = 0;
    for (let k = 0; k < name.length; k++) {
      const ch = name.charCodeAt(k);
      if (ch < 0x30 || ch > 0x39 || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (ch - 0x30);
    }
    if (name.charCodeAt(0) == 0x30 && name.length > 1) num = -1;
    let g = -1;
    if (num >= 0) {
      g = num;
    } else {
      for (let k = 0; k < names.length; k++) {
        if (names[k] == name && 2 * k + 1 < mlen && m[2 * k] >= 0) {
          g = k;
          break;
        }
      }
    }
    if (g >= 0 && 2 * g + 1 < mlen) {
      const a = m[2 * g];
      const b = m[2 * g + 1];
      if (a >= 0 && a <= b && b <= slen) out.push(s.substring(a, b));
    }
  }
  if (i < tl) out.push(template.substring(i));
}
