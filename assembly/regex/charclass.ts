// Character-class helpers for the regex engine. A class is a sorted, non-overlapping, non-adjacent
// list of inclusive code-point ranges stored flat: [lo0, hi0, lo1, hi1, ...].

export const MAX_RUNE: i32 = 0x10ffff;
const KELVIN: i32 = 0x212a; // folds with k / K in Go's (?i)
const LONG_S: i32 = 0x17f; // folds with s / S in Go's (?i)

/** Sort and merge a flat range list (pairs may be unsorted / overlapping). O(k log k). */
export function normalizeRanges(r: Array<i32>): Array<i32> {
  const n = r.length >> 1;
  const keys = new Array<i64>(n);
  for (let i = 0; i < n; i++) {
    keys[i] = (<i64>r[2 * i] << 32) | <i64>(<u32>r[2 * i + 1]);
  }
  keys.sort();
  const out = new Array<i32>();
  for (let i = 0; i < n; i++) {
    const k = keys[i];
    const lo = <i32>(k >> 32);
    const hi = <i32>(k & 0xffffffff);
    const m = out.length;
    if (m > 0 && lo <= out[m - 1] + 1) {
      if (hi > out[m - 1]) out[m - 1] = hi;
    } else {
      out.push(lo);
      out.push(hi);
    }
  }
  return out;
}

/** Complement of a normalized range list over [0, MAX_RUNE]. */
export function negateRanges(r: Array<i32>): Array<i32> {
  const out = new Array<i32>();
  let next = 0;
  const n = r.length >> 1;
  for (let i = 0; i < n; i++) {
    const lo = r[2 * i];
    const hi = r[2 * i + 1];
    if (lo > next) {
      out.push(next);
      out.push(lo - 1);
    }
    next = hi + 1;
  }
  if (next <= MAX_RUNE) {
    out.push(next);
    out.push(MAX_RUNE);
  }
  return out;
}

function overlaps(lo: i32, hi: i32, a: i32, b: i32): bool {
  return lo <= b && hi >= a;
}

/**
 * Add simple case-fold partners for every range (ASCII letters plus Go's two non-ASCII members of
 * ASCII fold orbits: U+212A KELVIN SIGN ~ k, U+017F LONG S ~ s). Non-ASCII letters are not folded.
 * Returns a new, normalized list.
 */
export function foldRanges(r: Array<i32>): Array<i32> {
  const out = new Array<i32>();
  const n = r.length >> 1;
  for (let i = 0; i < n; i++) {
    const lo = r[2 * i];
    const hi = r[2 * i + 1];
    out.push(lo);
    out.push(hi);
    // lower-case part -> upper
    if (overlaps(lo, hi, 0x61, 0x7a)) {
      const a = lo > 0x61 ? lo : 0x61;
      const b = hi < 0x7a ? hi : 0x7a;
      out.push(a - 32);
      out.push(b - 32);
    }
    if (overlaps(lo, hi, 0x41, 0x5a)) {
      const a = lo > 0x41 ? lo : 0x41;
      const b = hi < 0x5a ? hi : 0x5a;
      out.push(a + 32);
      out.push(b + 32);
    }
    if (overlaps(lo, hi, 0x6b, 0x6b) || overlaps(lo, hi, 0x4b, 0x4b) || overlaps(lo, hi, KELVIN, KELVIN)) {
      out.push(0x6b);
      out.push(0x6b);
      out.push(0x4b);
      out.push(0x4b);
      out.push(KELVIN);
      out.push(KELVIN);
    }
    if (overlaps(lo, hi, 0x73, 0x73) || overlaps(lo, hi, 0x53, 0x53) || overlaps(lo, hi, LONG_S, LONG_S)) {
      out.push(0x73);
      out.push(0x73);
      out.push(0x53);
      out.push(0x53);
      out.push(LONG_S);
      out.push(LONG_S);
    }
  }
  return normalizeRanges(out);
}

/** True if `c` has a case-fold partner (so a folded literal needs a class). */
export function hasFold(c: i32): bool {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == KELVIN || c == LONG_S;
}

export function toStatic(r: Array<i32>): StaticArray<i32> {
  const n = r.length;
  const out = new StaticArray<i32>(n);
  for (let i = 0; i < n; i++) out[i] = r[i];
  return out;
}

// ---- Perl / POSIX classes (ASCII, like Go) --------------------------------------------------

/** \d \s \w ranges (ASCII, as in Go). kind: 'd', 's', 'w'. */
export function perlRanges(kind: i32): Array<i32> {
  const r = new Array<i32>();
  if (kind == 0x64) {
    r.push(0x30);
    r.push(0x39);
  } else if (kind == 0x73) {
    // Go's \s is [\t\n\f\r ]
    r.push(0x09);
    r.push(0x0a);
    r.push(0x0c);
    r.push(0x0d);
    r.push(0x20);
    r.push(0x20);
  } else {
    r.push(0x30);
    r.push(0x39);
    r.push(0x41);
    r.push(0x5a);
    r.push(0x5f);
    r.push(0x5f);
    r.push(0x61);
    r.push(0x7a);
  }
  return r;
}

function pr(r: Array<i32>, lo: i32, hi: i32): void {
  r.push(lo);
  r.push(hi);
}

/** POSIX [:name:] ranges (ASCII). Returns null for an unknown name. */
export function posixRanges(name: string): Array<i32> | null {
  const r = new Array<i32>();
  if (name == "alnum") {
    pr(r, 0x30, 0x39);
    pr(r, 0x41, 0x5a);
    pr(r, 0x61, 0x7a);
  } else if (name == "alpha") {
    pr(r, 0x41, 0x5a);
    pr(r, 0x61, 0x7a);
  } else if (name == "ascii") {
    pr(r, 0, 0x7f);
  } else if (name == "blank") {
    pr(r, 0x09, 0x09);
    pr(r, 0x20, 0x20);
  } else if (name == "cntrl") {
    pr(r, 0, 0x1f);
    pr(r, 0x7f, 0x7f);
  } else if (name == "digit") {
    pr(r, 0x30, 0x39);
  } else if (name == "graph") {
    pr(r, 0x21, 0x7e);
  } else if (name == "lower") {
    pr(r, 0x61, 0x7a);
  } else if (name == "print") {
    pr(r, 0x20, 0x7e);
  } else if (name == "punct") {
    pr(r, 0x21, 0x2f);
    pr(r, 0x3a, 0x40);
    pr(r, 0x5b, 0x60);
    pr(r, 0x7b, 0x7e);
  } else if (name == "space") {
    pr(r, 0x09, 0x0d);
    pr(r, 0x20, 0x20);
  } else if (name == "upper") {
    pr(r, 0x41, 0x5a);
  } else if (name == "word") {
    pr(r, 0x30, 0x39);
    pr(r, 0x41, 0x5a);
    pr(r, 0x5f, 0x5f);
    pr(r, 0x61, 0x7a);
  } else if (name == "xdigit") {
    pr(r, 0x30, 0x39);
    pr(r, 0x41, 0x46);
    pr(r, 0x61, 0x66);
  } else {
    return null;
  }
  return r;
}

export function isWordChar(c: i32): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f;
}
