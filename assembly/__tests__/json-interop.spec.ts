// interopProblem (json/interop.ts, one pass over the tape) must say exactly what a plain recursive reading of the
// rules says (the oracle below, kept only here), on every input: same rules, same message, same first problem.
import { parseJsonString, interopProblem } from "../json";
import { numberToF64 } from "../json/number";
import { JsonValue } from "../json/value";

/** "" when the parsed request body is acceptable, otherwise what is wrong with it. */
function requestProblem(root: JsonValue): string {
  return check(root);
}

function clip(s: string): string {
  return s.length > 60 ? s.substring(0, 60) + "…" : s;
}

function check(v: JsonValue): string {
  if (v.isNumber()) {
    const f = numberToF64(v.source, v.start, v.end);
    if (!isFinite(f)) return "number " + clip(v.rawString()) + " is out of range";
    return "";
  }
  if (v.isString()) return stringProblem(v);
  if (!v.isArray() && !v.isObject()) return "";
  const obj = v.isObject();
  const n = v.length;
  let seen: Set<string> | null = null;
  const it = v.iter();
  while (it.next()) {
    if (obj) {
      const key = it.key!;
      const kp = stringProblem(key);
      if (kp.length) return kp;
      if (n > 1) {
        const name = key.str();
        let s = seen;
        if (s === null) { s = new Set<string>(); seen = s; }
        if (s.has(name)) return "duplicate key \"" + clip(name) + "\"";
        s.add(name);
      }
    }
    const p = check(it.value);
    if (p.length) return p;
  }
  return "";
}

function hexVal(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** The \uXXXX escape at `p` (a backslash), or -1. */
function escapeAt(b: Uint8Array, p: i32, end: i32): i32 {
  if (p + 6 > end || b[p + 1] != 0x75 /* u */) return -1;
  let cp = 0;
  for (let i = 2; i < 6; i++) {
    const h = hexVal(b[p + i]);
    if (h < 0) return -1;
    cp = (cp << 4) | h;
  }
  return cp;
}

function stringProblem(v: JsonValue): string {
  if (!v.hasEscapes()) return "";
  const b = v.source;
  const end = v.end;
  let p = v.start;
  while (p < end) {
    if (b[p] != 0x5c /* \ */) { p++; continue; }
    const cp = escapeAt(b, p, end);
    if (cp < 0) { p += 2; continue; }
    if (cp >= 0xd800 && cp <= 0xdbff) {
      const lo = escapeAt(b, p + 6, end);
      if (b[p + 6] == 0x5c && lo >= 0xdc00 && lo <= 0xdfff) { p += 12; continue; }
      return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    }
    if (cp >= 0xdc00 && cp <= 0xdfff) return "string contains a lone UTF-16 surrogate escape (\\u" + cp.toString(16) + ")";
    p += 6;
  }
  return "";
}


const CASES: string[] = [
  "{}", "[]", "1", "\"x\"", "null",
  "{\"model\":\"a\",\"model\":\"b\"}",
  "{\"a\":1,\"b\":{\"c\":1,\"c\":2},\"a\":3}",
  "{\"a\":{\"x\":1,\"x\":2},\"a\":1}",
  "{\"a\":[1,{\"k\":\"\\ud800\"}],\"a\":2}",
  "{\"a\":1,\"\\u0061\":2}",
  "{\"\\ud800\":1,\"\\ud800\":2}",
  "{\"s\":\"\\ud83d\\ude00 ok\",\"t\":\"\\udc00\"}",
  "{\"s\":\"\\ud83d\"}", "{\"s\":\"\\ud83dx\"}", "{\"s\":\"\\\\ud800\"}", "{\"s\":\"a\\n\\u0041\\\"\"}",
  "{\"n\":1e999}", "{\"n\":-1e999}", "{\"n\":1e-999}", "{\"n\":-0}", "{\"n\":0.5,\"m\":1E+400}",
  "[1e308,1.7976931348623157e308,1.8e308]",
  "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"c\":19}",
  "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"r\":18,\"s\":19}",
  "{\"x\":[{\"a\":1,\"b\":1e999},{\"a\":1,\"a\":2}],\"y\":\"\\udfff\"}",
  "{\"é\":1,\"e\":2,\"é\":3}",
];

describe("interopProblem", () => {
  it("agrees with requestProblem", () => {
    for (let i = 0; i < CASES.length; i++) {
      const v = parseJsonString(CASES[i]).value!;
      expect<string>(interopProblem(v)).toBe(requestProblem(v), CASES[i]);
    }
    // Long numbers: integers of 300+ digits and long fractions.
    let big = "";
    for (let i = 0; i < 320; i++) big += "9";
    const v = parseJsonString("[" + big + "," + big.substring(0, 300) + ",0." + big + "]").value!;
    expect<string>(interopProblem(v)).toBe(requestProblem(v));
    expect<bool>(interopProblem(v).length > 0).toBe(true);
  });
  it("handles objects larger than its scratch tables", () => {
    let text = "{";
    for (let i = 0; i < 5000; i++) text += "\"k" + i.toString() + "\":" + i.toString() + ",";
    const clean = parseJsonString(text + "\"end\":0}").value!;
    expect<string>(interopProblem(clean)).toBe("");
    const dup = parseJsonString(text + "\"k4999\":0}").value!;
    expect<string>(interopProblem(dup)).toBe("duplicate key \"k4999\"");
    expect<string>(requestProblem(dup)).toBe(interopProblem(dup));
    // After a huge object, small ones still work.
    expect<string>(interopProblem(parseJsonString("{\"a\":1,\"a\":2}").value!)).toBe("duplicate key \"a\"");
  });
});
