// Syntax tree for the regex engine. Every node knows how many VM instructions it compiles to
// (`size`), so the parser can reject an oversized program before anything is emitted.

export const N_EMPTY: i32 = 0; // matches the empty string
export const N_CHAR: i32 = 1; // one code point (val)
export const N_CLASS: i32 = 2; // code-point ranges
export const N_ASSERT: i32 = 3; // zero-width assertion (val = A_*)
export const N_CAPTURE: i32 = 4; // capture group (val = group index >= 1)
export const N_CONCAT: i32 = 5;
export const N_ALT: i32 = 6; // leftmost-first alternation
export const N_REPEAT: i32 = 7; // {val, max}; max = -1 means unbounded

export const A_BEGIN_TEXT: i32 = 0; // ^ (no m flag), \A
export const A_END_TEXT: i32 = 1; // $ (no m flag), \z
export const A_BEGIN_LINE: i32 = 2; // ^ with (?m)
export const A_END_LINE: i32 = 3; // $ with (?m)
export const A_WORD_BOUNDARY: i32 = 4; // \b (ASCII word characters)
export const A_NOT_WORD_BOUNDARY: i32 = 5; // \B

export class Node {
  kind: i32;
  val: i32 = 0;
  max: i32 = 0;
  greedy: bool = true;
  /** REPEAT written as {n,m} (Go's OpRepeat), used for Go's nested-repeat limit. */
  braces: bool = false;
  ranges: StaticArray<i32> | null = null;
  subs: Array<Node> | null = null;
  size: i64 = 0;
  nullable: bool = false;

  constructor(kind: i32) {
    this.kind = kind;
  }

  static empty(): Node {
    const n = new Node(N_EMPTY);
    n.nullable = true;
    return n;
  }

  static char(c: i32): Node {
    const n = new Node(N_CHAR);
    n.val = c;
    n.size = 1;
    return n;
  }

  static cls(ranges: StaticArray<i32>): Node {
    const n = new Node(N_CLASS);
    n.ranges = ranges;
    n.size = 1;
    return n;
  }

  static assert(kind: i32): Node {
    const n = new Node(N_ASSERT);
    n.val = kind;
    n.size = 1;
    n.nullable = true;
    return n;
  }

  static capture(index: i32, sub: Node): Node {
    const n = new Node(N_CAPTURE);
    n.val = index;
    const subs = new Array<Node>();
    subs.push(sub);
    n.subs = subs;
    n.size = sub.size + 2;
    n.nullable = sub.nullable;
    return n;
  }

  static concat(items: Array<Node>): Node {
    const n = new Node(N_CONCAT);
    n.subs = items;
    let size: i64 = 0;
    let nullable = true;
    for (let i = 0; i < items.length; i++) {
      size += items[i].size;
      if (!items[i].nullable) nullable = false;
    }
    n.size = size;
    n.nullable = nullable;
    return n;
  }

  static alt(items: Array<Node>): Node {
    const n = new Node(N_ALT);
    n.subs = items;
    let size: i64 = 0;
    let nullable = false;
    for (let i = 0; i < items.length; i++) {
      size += items[i].size;
      if (items[i].nullable) nullable = true;
    }
    n.size = size + 2 * <i64>(items.length - 1);
    n.nullable = nullable;
    return n;
  }

  /** Repetition {min,max} (max = -1: unbounded). Size mirrors the emitter in program.ts. */
  static repeat(sub: Node, min: i32, max: i32, greedy: bool): Node {
    const n = new Node(N_REPEAT);
    n.val = min;
    n.max = max;
    n.greedy = greedy;
    const subs = new Array<Node>();
    subs.push(sub);
    n.subs = subs;
    const x = sub.size;
    if (max < 0) {
      n.size = min == 0 ? x + 2 : <i64>min * x + 1;
    } else {
      n.size = <i64>min * x + <i64>(max - min) * (x + 1);
    }
    n.nullable = min == 0 || sub.nullable;
    return n;
  }
}

/**
 * Go's repeatIsValid: nested {n,m} repetitions may not multiply beyond `n` (1000).
 * Recursion depth = tree depth (bounded by the parser's nesting limit).
 */
export function repeatIsValid(re: Node, n: i32): bool {
  if (re.kind == N_REPEAT && re.braces) {
    let m = re.max;
    if (m == 0) return true;
    if (m < 0) m = re.val;
    if (m > n) return false;
    if (m > 0) n = n / m;
  }
  const subs = re.subs;
  if (subs !== null) {
    for (let i = 0; i < subs.length; i++) {
      if (!repeatIsValid(subs[i], n)) return false;
    }
  }
  return true;
}
