// Recursive-descent parser for the supported RE2/Go syntax subset. Never aborts: every problem is
// recorded as `error` ("<message> at <index>") and parsing unwinds by returning null. Recursion
// depth is bounded by MAX_DEPTH (group nesting), so hostile patterns cannot exhaust the stack.
import {
  Node,
  repeatIsValid,
  A_BEGIN_LINE,
  A_BEGIN_TEXT,
  A_END_LINE,
  A_END_TEXT,
  A_NOT_WORD_BOUNDARY,
  A_WORD_BOUNDARY,
} from "./ast";
import {
  MAX_RUNE,
  foldRanges,
  hasFold,
  negateRanges,
  normalizeRanges,
  perlRanges,
  posixRanges,
  toStatic,
} from "./charclass";

export const FLAG_FOLD: i32 = 1; // (?i)
export const FLAG_MULTILINE: i32 = 2; // (?m)
export const FLAG_DOTNL: i32 = 4; // (?s)
export const FLAG_UNGREEDY: i32 = 8; // (?U)

/** Largest {n,m} bound, as in Go/RE2. */
export const MAX_REPEAT: i32 = 1000;
/** Maximum group nesting depth (bounds parser/emitter recursion: AssemblyScript's shadow stack is only 32 KiB with the incremental GC). */
export const MAX_DEPTH: i32 = 32;
/** Maximum compiled program size (instructions). */
export const MAX_PROGRAM: i64 = 10000;
/** Maximum number of capture groups. */
export const MAX_GROUPS: i32 = 1000;
/** Maximum pattern length in UTF-16 code units. */
export const MAX_PATTERN_LENGTH: i32 = 65536;

const C_LPAREN: i32 = 0x28;
const C_RPAREN: i32 = 0x29;
const C_STAR: i32 = 0x2a;
const C_PLUS: i32 = 0x2b;
const C_COMMA: i32 = 0x2c;
const C_MINUS: i32 = 0x2d;
const C_DOT: i32 = 0x2e;
const C_COLON: i32 = 0x3a;
const C_LT: i32 = 0x3c;
const C_EQ: i32 = 0x3d;
const C_GT: i32 = 0x3e;
const C_QUESTION: i32 = 0x3f;
const C_LBRACKET: i32 = 0x5b;
const C_BACKSLASH: i32 = 0x5c;
const C_RBRACKET: i32 = 0x5d;
const C_CARET: i32 = 0x5e;
const C_DOLLAR: i32 = 0x24;
const C_LBRACE: i32 = 0x7b;
const C_RBRACE: i32 = 0x7d;
const C_PIPE: i32 = 0x7c;
const C_BANG: i32 = 0x21;

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function isAlnum(c: i32): bool {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function hexVal(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function pushAll(dst: Array<i32>, src: Array<i32>): void {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
}

export class Parser {
  src: string;
  len: i32;
  pos: i32 = 0;
  flags: i32 = 0;
  ncap: i32 = 0;
  names: Array<string> = [""];
  failed: bool = false;
  error: string = "";

  constructor(src: string) {
    this.src = src;
    this.len = src.length;
  }

  /** Code unit at i, or -1 when out of range (never traps). */
  @inline
  private at(i: i32): i32 {
    return this.src.charCodeAt(i);
  }

  private fail(msg: string, at: i32): Node | null {
    if (!this.failed) {
      this.failed = true;
      this.error = msg + " at " + at.toString();
    }
    return null;
  }

  private checkSize(n: Node, at: i32): Node | null {
    if (n.size > MAX_PROGRAM) return this.fail("expression too large", at);
    return n;
  }

  parse(): Node | null {
    if (this.len > MAX_PATTERN_LENGTH) return this.fail("pattern too long", 0);
    const n = this.parseAlt();
    if (n === null) return null;
    if (this.pos < this.len) return this.fail("unexpected )", this.pos); // only ')' stops parseAlt early
    return n;
  }

  private parseAlt(): Node | null {
    const start = this.pos;
    const subs = new Array<Node>();
    while (true) {
      const c = this.parseConcat();
      if (c === null) return null;
      subs.push(c);
      if (this.pos < this.len && this.at(this.pos) == C_PIPE) {
        this.pos++;
        continue;
      }
      break;
    }
    if (subs.length == 1) return subs[0];
    return this.checkSize(Node.alt(subs), start);
  }

  private parseConcat(): Node | null {
    const items = new Array<Node>();
    const itemPos = new Array<i32>(); // pattern index of each item, for error positions
    let lastRepeat = false;
    let size: i64 = 0;
    while (this.pos < this.len) {
      const c = this.at(this.pos);
      if (c == C_PIPE || c == C_RPAREN) break;
      if (c == C_STAR || c == C_PLUS || c == C_QUESTION) {
        const opPos = this.pos;
        this.pos++;
        const min = c == C_PLUS ? 1 : 0;
        const max = c == C_QUESTION ? 1 : -1;
        if (!this.applyRepeat(items, min, max, opPos, lastRepeat, false)) return null;
        lastRepeat = true;
        continue;
      }
      if (c == C_LBRACE) {
        const opPos = this.pos;
        const r = this.tryRepeatSpec();
        if (r < 0) return null;
        if (r > 0) {
          if (!this.applyRepeat(items, this.repMin, this.repMax, opPos, lastRepeat, true)) return null;
          lastRepeat = true;
          continue;
        }
        // Not a valid {n,m}: a literal '{' (as in Go).
        this.pos++;
        items.push(Node.char(C_LBRACE));
        itemPos.push(opPos);
        lastRepeat = false;
        continue;
      }
      lastRepeat = false;
      const atomPos = this.pos;
      const a = this.parseAtom();
      if (a === null) {
        if (this.failed) return null;
        continue; // a flag group like (?i) produces no node
      }
      items.push(a);
      itemPos.push(atomPos);
    }
    if (items.length == 0) return Node.empty();
    if (items.length == 1) return items[0];
    for (let i = 0; i < items.length; i++) {
      size += items[i].size;
      if (size > MAX_PROGRAM) return this.fail("expression too large", itemPos[i]);
    }
    return Node.concat(items);
  }

  private repMin: i32 = 0;
  private repMax: i32 = 0;

  private applyRepeat(items: Array<Node>, min: i32, max: i32, opPos: i32, lastRepeat: bool, braces: bool): bool {
    if (lastRepeat) {
      this.fail("invalid nested repetition operator", opPos);
      return false;
    }
    if (items.length == 0) {
      this.fail("missing argument to repetition operator", opPos);
      return false;
    }
    let greedy = true;
    if (this.pos < this.len && this.at(this.pos) == C_QUESTION) {
      this.pos++;
      greedy = false;
    }
    if ((this.flags & FLAG_UNGREEDY) != 0) greedy = !greedy;
    const sub = items.pop();
    const n = Node.repeat(sub, min, max, greedy);
    n.braces = braces;
    // Go: nested {n,m} counts may not multiply past 1000.
    if (braces && (min >= 2 || max >= 2) && !repeatIsValid(n, MAX_REPEAT)) {
      this.fail("invalid repeat count", opPos);
      return false;
    }
    if (this.checkSize(n, opPos) === null) return false;
    items.push(n);
    return true;
  }

  /** Parses a decimal number at p like Go's parseInt: -2 = no digits / leading zero, else value (capped). */
  private parseNum(p: i32): i32 {
    if (!isDigit(this.at(p))) return -2;
    if (this.at(p) == 0x30 && isDigit(this.at(p + 1))) return -2;
    let v: i32 = 0;
    while (isDigit(this.at(p))) {
      if (v < 100000000) v = v * 10 + (this.at(p) - 0x30);
      p++;
    }
    this.numEnd = p;
    return v;
  }

  private numEnd: i32 = 0;

  /** At '{': 1 = valid repeat (repMin/repMax set, pos advanced); 0 = literal '{'; -1 = error. */
  private tryRepeatSpec(): i32 {
    const start = this.pos;
    let p = start + 1;
    const min = this.parseNum(p);
    if (min == -2) return 0;
    p = this.numEnd;
    let max = min;
    if (this.at(p) == C_COMMA) {
      p++;
      if (isDigit(this.at(p))) {
        max = this.parseNum(p);
        if (max == -2) return 0;
        p = this.numEnd;
      } else {
        max = -1;
      }
    }
    if (this.at(p) != C_RBRACE) return 0;
    p++;
    if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      this.fail("invalid repeat count", start);
      return -1;
    }
    this.pos = p;
    this.repMin = min;
    this.repMax = max;
    return 1;
  }

  /** Decodes the code point at pos (joining a valid surrogate pair) and advances. */
  private nextRune(): i32 {
    const c = this.at(this.pos);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.at(this.pos + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        this.pos += 2;
        return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
      }
    }
    this.pos++;
    return c;
  }

  private literal(c: i32): Node {
    if ((this.flags & FLAG_FOLD) != 0 && hasFold(c)) {
      const r = new Array<i32>();
      r.push(c);
      r.push(c);
      return Node.cls(toStatic(foldRanges(r)));
    }
    return Node.char(c);
  }

  private parseAtom(): Node | null {
    const c = this.at(this.pos);
    if (c == C_LPAREN) return this.parseGroup();
    if (c == C_LBRACKET) return this.parseClass();
    if (c == C_DOT) {
      this.pos++;
      const r = new Array<i32>();
      if ((this.flags & FLAG_DOTNL) != 0) {
        r.push(0);
        r.push(MAX_RUNE);
      } else {
        r.push(0);
        r.push(0x09);
        r.push(0x0b);
        r.push(MAX_RUNE);
      }
      return Node.cls(toStatic(r));
    }
    if (c == C_CARET) {
      this.pos++;
      return Node.assert((this.flags & FLAG_MULTILINE) != 0 ? A_BEGIN_LINE : A_BEGIN_TEXT);
    }
    if (c == C_DOLLAR) {
      this.pos++;
      return Node.assert((this.flags & FLAG_MULTILINE) != 0 ? A_END_LINE : A_END_TEXT);
    }
    if (c == C_BACKSLASH) return this.parseEscapeAtom();
    return this.literal(this.nextRune());
  }

  private parseGroup(): Node | null {
    const start = this.pos;
    // Depth = number of currently open groups; bounded so recursion stays shallow.
    if (this.depth >= MAX_DEPTH) return this.fail("expression nests too deeply", start);
    this.pos++;
    let name = "";
    let capture = true;
    if (this.at(this.pos) == C_QUESTION) {
      const c1 = this.at(this.pos + 1);
      const c2 = this.at(this.pos + 2);
      let nameStart = -1;
      if (c1 == 0x50 /* P */ && c2 == C_LT) nameStart = this.pos + 3;
      else if (c1 == C_LT && c2 != C_EQ && c2 != C_BANG) nameStart = this.pos + 2;
      else if (c1 == C_EQ || c1 == C_BANG || (c1 == C_LT && (c2 == C_EQ || c2 == C_BANG)))
        return this.fail("lookaround assertions are not supported", start);
      if (nameStart >= 0) {
        const gt = this.src.indexOf(">", nameStart);
        if (gt < 0) return this.fail("invalid named capture", start);
        name = this.src.substring(nameStart, gt);
        if (name.length == 0) return this.fail("invalid named capture", start);
        for (let i = 0; i < name.length; i++) {
          const ch = name.charCodeAt(i);
          if (!isAlnum(ch) && ch != 0x5f) return this.fail("invalid named capture", start);
        }
        // Duplicate names are allowed (as in current Go); expansion uses the first set one.
        this.pos = gt + 1;
      } else {
        // Flags: (?flags) or (?flags:re)
        let f = this.flags;
        let neg = false;
        let sawFlag = false;
        let p = this.pos + 1;
        while (true) {
          const ch = this.at(p);
          if (ch < 0) return this.fail("missing closing )", start);
          p++;
          let bit = 0;
          if (ch == 0x69) bit = FLAG_FOLD;
          else if (ch == 0x6d) bit = FLAG_MULTILINE;
          else if (ch == 0x73) bit = FLAG_DOTNL;
          else if (ch == 0x55) bit = FLAG_UNGREEDY;
          if (bit != 0) {
            f = neg ? f & ~bit : f | bit;
            sawFlag = true;
            continue;
          }
          if (ch == C_MINUS) {
            if (neg) return this.fail("invalid or unsupported Perl syntax", start);
            neg = true;
            sawFlag = false;
            continue;
          }
          if (ch == C_COLON || ch == C_RPAREN) {
            if (neg && !sawFlag) return this.fail("invalid or unsupported Perl syntax", start);
            if (ch == C_RPAREN) {
              this.flags = f; // applies to the rest of the enclosing group
              this.pos = p;
              return null;
            }
            capture = false;
            this.pos = p;
            const saved = this.flags;
            this.flags = f;
            const inner = this.parseInner(start);
            this.flags = saved;
            return inner;
          }
          return this.fail("invalid or unsupported Perl syntax", start);
        }
      }
    }
    if (this.ncap >= MAX_GROUPS) return this.fail("too many capture groups", start);
    const index = ++this.ncap;
    this.names.push(name);
    const saved = this.flags;
    const inner = this.parseInner(start);
    this.flags = saved;
    if (inner === null) return null;
    return this.checkSize(Node.capture(index, inner), start);
  }

  private depth: i32 = 0;

  private parseInner(start: i32): Node | null {
    this.depth++;
    const inner = this.parseAlt();
    this.depth--;
    if (inner === null) return null;
    if (this.at(this.pos) != C_RPAREN) return this.fail("missing closing )", start);
    this.pos++;
    return inner;
  }

  private perlClass(d: i32): Array<i32> {
    const lower = d | 0x20;
    let r = perlRanges(lower);
    if ((this.flags & FLAG_FOLD) != 0) r = foldRanges(r);
    else r = normalizeRanges(r);
    if (d != lower) r = negateRanges(r);
    return r;
  }

  private parseEscapeAtom(): Node | null {
    const start = this.pos;
    const d = this.at(this.pos + 1);
    if (d < 0) return this.fail("trailing backslash at end of expression", start);
    if (d == 0x64 || d == 0x44 || d == 0x73 || d == 0x53 || d == 0x77 || d == 0x57) {
      this.pos += 2;
      return Node.cls(toStatic(this.perlClass(d)));
    }
    if (d == 0x62) {
      this.pos += 2;
      return Node.assert(A_WORD_BOUNDARY);
    }
    if (d == 0x42) {
      this.pos += 2;
      return Node.assert(A_NOT_WORD_BOUNDARY);
    }
    if (d == 0x41) {
      this.pos += 2;
      return Node.assert(A_BEGIN_TEXT);
    }
    if (d == 0x7a) {
      this.pos += 2;
      return Node.assert(A_END_TEXT);
    }
    if (d == 0x70 || d == 0x50) return this.fail("Unicode character classes (\\p, \\P) are not supported", start);
    if (d == 0x51) return this.fail("\\Q...\\E is not supported", start);
    if (d == 0x43) return this.fail("\\C is not supported", start);
    const c = this.escapeChar();
    if (c < 0) return null;
    return this.literal(c);
  }

  /** Single-character escape at pos ('\\'). Returns the code point, or -1 after recording an error. */
  private escapeChar(): i32 {
    const start = this.pos;
    const c = this.at(this.pos + 1);
    if (c < 0) {
      this.fail("trailing backslash at end of expression", start);
      return -1;
    }
    if (c < 0x80 && !isAlnum(c)) {
      this.pos += 2; // escaped punctuation is itself
      return c;
    }
    if (c >= 0x80) {
      this.fail("invalid escape sequence", start);
      return -1;
    }
    this.pos += 2;
    if (c >= 0x31 && c <= 0x39) {
      const n = this.at(this.pos);
      if (c > 0x37 || n < 0x30 || n > 0x37) {
        this.fail("backreferences are not supported", start);
        return -1;
      }
    }
    if (c >= 0x30 && c <= 0x37) {
      // Octal: the digit plus up to two more octal digits (Go: \0, \012, \123).
      let r = c - 0x30;
      for (let i = 1; i < 3; i++) {
        const n = this.at(this.pos);
        if (n < 0x30 || n > 0x37) break;
        r = r * 8 + (n - 0x30);
        this.pos++;
      }
      return r;
    }
    if (c == 0x78 /* x */) {
      if (this.at(this.pos) == C_LBRACE) {
        this.pos++;
        let r = 0;
        let digits = 0;
        while (true) {
          const h = this.at(this.pos);
          if (h == C_RBRACE) break;
          const v = hexVal(h);
          if (v < 0) {
            this.fail("invalid escape sequence", start);
            return -1;
          }
          r = r * 16 + v;
          if (r > MAX_RUNE) {
            this.fail("invalid escape sequence", start);
            return -1;
          }
          digits++;
          this.pos++;
        }
        if (digits == 0) {
          this.fail("invalid escape sequence", start);
          return -1;
        }
        this.pos++;
        return r;
      }
      const x = hexVal(this.at(this.pos));
      const y = hexVal(this.at(this.pos + 1));
      if (x < 0 || y < 0) {
        this.fail("invalid escape sequence", start);
        return -1;
      }
      this.pos += 2;
      return x * 16 + y;
    }
    if (c == 0x61) return 0x07; // \a
    if (c == 0x66) return 0x0c; // \f
    if (c == 0x6e) return 0x0a; // \n
    if (c == 0x72) return 0x0d; // \r
    if (c == 0x74) return 0x09; // \t
    if (c == 0x76) return 0x0b; // \v
    this.fail("invalid escape sequence \\" + String.fromCharCode(c), start);
    return -1;
  }

  private parseClass(): Node | null {
    const start = this.pos;
    this.pos++;
    const fold = (this.flags & FLAG_FOLD) != 0;
    const acc = new Array<i32>();
    let neg = false;
    if (this.at(this.pos) == C_CARET) {
      neg = true;
      this.pos++;
    }
    let first = true;
    while (true) {
      const c = this.at(this.pos);
      if (c < 0) return this.fail("missing closing ]", start);
      if (c == C_RBRACKET && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c == C_LBRACKET && this.at(this.pos + 1) == C_COLON) {
        // POSIX class [:name:] / [:^name:] (Go looks for the next ":]" anywhere after it).
        const end = this.src.indexOf(":]", this.pos + 2);
        if (end >= 0) {
          let nameStart = this.pos + 2;
          let negp = false;
          if (this.at(nameStart) == C_CARET) {
            negp = true;
            nameStart++;
          }
          const pr = posixRanges(this.src.substring(nameStart, end));
          if (pr === null) return this.fail("invalid character class range", this.pos);
          let r = fold ? foldRanges(pr) : normalizeRanges(pr);
          if (negp) r = negateRanges(r);
          pushAll(acc, r);
          this.pos = end + 2;
          continue;
        }
      }
      if (c == C_BACKSLASH) {
        const d = this.at(this.pos + 1);
        if (d == 0x64 || d == 0x44 || d == 0x73 || d == 0x53 || d == 0x77 || d == 0x57) {
          pushAll(acc, this.perlClass(d));
          this.pos += 2;
          continue;
        }
        if (d == 0x70 || d == 0x50) return this.fail("Unicode character classes (\\p, \\P) are not supported", this.pos);
      }
      const rangeStart = this.pos;
      const lo = this.classChar(start);
      if (lo < 0) return null;
      let hi = lo;
      if (this.at(this.pos) == C_MINUS && this.at(this.pos + 1) != C_RBRACKET && this.at(this.pos + 1) >= 0) {
        this.pos++;
        hi = this.classChar(start);
        if (hi < 0) return null;
        if (hi < lo) return this.fail("invalid character class range", rangeStart);
      }
      if (fold) {
        const one = new Array<i32>();
        one.push(lo);
        one.push(hi);
        pushAll(acc, foldRanges(one));
      } else {
        acc.push(lo);
        acc.push(hi);
      }
    }
    let r = normalizeRanges(acc);
    if (neg) r = negateRanges(r);
    return Node.cls(toStatic(r));
  }

  private classChar(classStart: i32): i32 {
    const c = this.at(this.pos);
    if (c < 0) {
      this.fail("missing closing ]", classStart);
      return -1;
    }
    if (c == C_BACKSLASH) return this.escapeChar();
    return this.nextRune();
  }
}
