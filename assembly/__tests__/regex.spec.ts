// Specs for the regex engine (assembly/regex). Expected values in GO_TABLE were produced by Go 1.26
// regexp (FindStringSubmatchIndex, MatchString on ^(?:re)$, ReplaceAllString) for the same inputs.
import { Regex, RegexCompileResult } from "../regex";

function compileOrFail(p: string): Regex {
  const r = Regex.compile(p);
  expect<string>(r.error).toBe("", "compile " + p);
  expect<bool>(r.regex !== null).toBe(true, "compile " + p);
  return changetype<Regex>(r.regex);
}

function compileError(p: string): string {
  const r = Regex.compile(p);
  expect<bool>(r.regex === null).toBe(true, "expected compile error for " + p);
  return r.error;
}

function findStr(p: string, s: string): string {
  const m = compileOrFail(p).find(s);
  return m === null ? "nil" : m.join(",");
}

function whole(p: string, s: string): bool {
  return compileOrFail(p).matchesWhole(s);
}

function repl(p: string, s: string, t: string): string {
  return compileOrFail(p).replaceAll(s, t);
}

class Row {
  constructor(
    public p: string,
    public s: string,
    public t: string,
    public find: string,
    public whole: bool,
    public repl: string,
  ) {}
}

function row(p: string, s: string, t: string, find: string, whole: bool, repl: string): Row {
  return new Row(p, s, t, find, whole, repl);
}

const GO_TABLE: Array<Row> = [
  row("gpt(.*)", "gpt-4o", "openai/gpt$1", "0,6,3,6", true, "openai/gpt-4o"),
  row("gpt(.*)", "my-gpt-4o", "openai/gpt$1", "3,9,6,9", false, "my-openai/gpt-4o"),
  row("^claude-(opus|sonnet)-(\\d+)", "claude-sonnet-4-5-20250929", "anthropic/$1-$2", "0,15,7,13,14,15", false, "anthropic/sonnet-4-5-20250929"),
  row("^claude-(opus|sonnet)-(\\d+)", "claude-haiku-3", "anthropic/$1-$2", "nil", false, "claude-haiku-3"),
  row("(?i)^GPT-4(o?)", "gpt-4o-mini", "azure/gpt4$1", "0,6,5,6", false, "azure/gpt4o-mini"),
  row("a|ab", "ab", "[$0]", "0,1", true, "[a]b"),
  row("(a|ab)(c|bcd)(d*)", "abcd", "$1|$2|$3", "0,4,0,1,1,4,4,4", true, "a|bcd|"),
  row("a*", "baaac", "-", "0,0", false, "-b-c-"),
  row("", "abc", "-", "0,0", false, "-a-b-c-"),
  row("x*", "", "-", "0,0", true, "-"),
  row("a+?", "aaa", "<$0>", "0,1", true, "<a><a><a>"),
  row("a*?b", "aab", "<$0>", "0,3", true, "<aab>"),
  row("a??a", "aa", "<$0>", "0,1", true, "<a><a>"),
  row("a{2}", "aaaaa", "X", "0,2", false, "XXa"),
  row("a{2,}", "aaaaa", "X", "0,5", true, "X"),
  row("a{2,3}", "aaaaaaa", "X", "0,3", false, "XXa"),
  row("a{2,3}?", "aaaaaaa", "X", "0,2", false, "XXXa"),
  row("a{,2}", "a{,2}", "X", "0,5", true, "X"),
  row("x{", "x{", "X", "0,2", true, "X"),
  row("(a)(?:b)(c)", "xabc", "$1$2", "1,4,1,2,3,4", false, "xac"),
  row("(a*)*", "b", "<$1>", "0,0,0,0", false, "<>b<>"),
  row("(a*)+", "b", "<$1>", "0,0,0,0", false, "<>b<>"),
  row("(a|b)*", "abab", "$1", "0,4,3,4", true, "b"),
  row("[abc]+", "xxcabz", "<$0>", "2,5", false, "xx<cab>z"),
  row("[^a-z]+", "abC1-z", "<$0>", "2,5", false, "ab<C1->z"),
  row("[\\d_-]+", "ab_12-3c", "<$0>", "2,7", false, "ab<_12-3>c"),
  row("[]a]+", "x]a]y", "<$0>", "1,4", false, "x<]a]>y"),
  row("[a-]+", "b-a-c", "<$0>", "1,4", false, "b<-a->c"),
  row("[[:alpha:]]+", "12abC3", "<$0>", "2,5", false, "12<abC>3"),
  row("[[:^digit:]]+", "12abC3", "<$0>", "2,5", false, "12<abC>3"),
  row("\\d+\\D\\w+\\W\\s\\S", "12-ab_! x", "<$0>", "0,9", true, "<12-ab_! x>"),
  row("\\.\\\\\\-\\[\\]\\(\\)\\{\\}\\*\\+\\?\\|\\^\\$\\/", ".\\-[](){}*+?|^$/", "ok", "0,16", true, "ok"),
  row("a\\tb\\nc\\rd", "a\tb\nc\rd", "ok", "0,7", true, "ok"),
  row("a.c", "a\nc", "X", "nil", false, "a\nc"),
  row("(?s)a.c", "a\nc", "X", "0,3", true, "X"),
  row("^ab", "cab", "X", "nil", false, "cab"),
  row("ab$", "abab", "X", "2,4", false, "abX"),
  row("(?m)^a$", "a\nb\na", "X", "0,1", false, "X\nb\nX"),
  row("\\bfoo\\b", "a foo foobar", "X", "2,5", false, "a X foobar"),
  row("(?i)k", "K\u212ak", "X", "0,1", false, "XXX"),
  row("(?i:a)b", "ABAb", "X", "2,4", false, "ABX"),
  row("(?U)a+", "aaa", "<$0>", "0,1", true, "<a><a><a>"),
  row("(?P<ver>\\d+)", "v12", "${ver}/$ver", "1,3,1,3", false, "v12/12"),
  row("(\\w+)-(\\w+)", "ab-cd", "$2-$1", "0,5,0,2,3,5", true, "cd-ab"),
  row("(\\w+)-(\\w+)", "ab-cd", "$1x", "0,5,0,2,3,5", true, ""),
  row("(\\w+)-(\\w+)", "ab-cd", "${1}x", "0,5,0,2,3,5", true, "abx"),
  row("(\\w+)-(\\w+)", "ab-cd", "$$1", "0,5,0,2,3,5", true, "$1"),
  row("(\\w+)-(\\w+)", "ab-cd", "cost $", "0,5,0,2,3,5", true, "cost $"),
  row("(\\w+)-(\\w+)", "ab-cd", "${1", "0,5,0,2,3,5", true, "${1"),
  row("(\\w+)-(\\w+)", "ab-cd", "$01|$0|$9", "0,5,0,2,3,5", true, "|ab-cd|"),
  row("a(x)?b", "ab", "[$1]", "0,2,-1,-1", true, "[]"),
  row("4.*", "429", "X", "0,3", true, "X"),
  row("5.*", "429", "X", "nil", false, "429"),
  row("50[234]", "503", "X", "0,3", true, "X"),
  row("\\x41\\x{42}\\101", "ABA", "X", "0,3", true, "X"),
  row("(a*)*b", "aaab", "<$1>", "0,4,0,3", true, "<aaa>"),
];

// Deterministic PRNG for the fuzz loop (no host randomness needed).
let seed: u32 = 12345;
function rnd(n: i32): i32 {
  seed = seed * 1103515245 + 12345;
  return <i32>((seed >>> 8) % <u32>n);
}

const FUZZ_TOKENS: Array<string> = [
  "a", "b", "a", "b", ".", "[ab]", "[^a]", "[a-", "]", "\\d", "\\w", "\\b", "\\", "^", "$", "(", "(", ")", ")",
  "(?:", "(?i)", "(?P<n>", "|", "|", "*", "+", "?", "*?", "{", "}", "{2}", "{1,3}", "{0,}", "{1001}", ",", "-",
  "\\1", "(?=", "[[:alpha:]]", "\\x{", "\\Q", "\u00e9", "\ud83d\ude00", "",
];
const FUZZ_INPUT = "ab-\n1\u00e9";
const FUZZ_TEMPLATES: Array<string> = ["$1", "${1}", "$0", "x", "$$", "$1x", "${2}", "$", "${", "$n", ""];

describe("regex: Go parity table", () => {
  it("find / whole / replaceAll agree with Go's regexp", () => {
    for (let i = 0; i < GO_TABLE.length; i++) {
      const c = GO_TABLE[i];
      const re = compileOrFail(c.p);
      const m = re.find(c.s);
      expect<string>(m === null ? "nil" : m.join(",")).toBe(c.find, "find " + c.p + " on " + c.s);
      expect<bool>(re.matchesWhole(c.s)).toBe(c.whole, "matchesWhole " + c.p + " on " + c.s);
      expect<bool>(re.matchString(c.s)).toBe(c.find != "nil", "matchString " + c.p);
      expect<string>(re.replaceAll(c.s, c.t)).toBe(c.repl, "replaceAll " + c.p + " on " + c.s + " with " + c.t);
      expect<bool>(re.tooComplex).toBe(false);
    }
  });
});

describe("regex: Higress modelMapping", () => {
  it("~gpt(.*) -> openai/gpt$1 maps gpt-4o to openai/gpt-4o", () => {
    const re = compileOrFail("gpt(.*)");
    const m = re.find("gpt-4o");
    expect<bool>(m !== null).toBe(true);
    expect<string>(re.expand("openai/gpt$1", "gpt-4o", changetype<Array<i32>>(m))).toBe("openai/gpt-4o");
    expect<string>(re.replaceAll("gpt-4o", "openai/gpt$1")).toBe("openai/gpt-4o");
  });
  it("replaceAll keeps unmatched text and replaces every match", () => {
    expect<string>(repl("^claude-(opus|sonnet)-(\\d+)", "claude-opus-4-1", "anthropic/claude-$1-$2")).toBe(
      "anthropic/claude-opus-4-1",
    );
    expect<string>(repl("-", "a-b-c", "_")).toBe("a_b_c");
    expect<string>(repl("o", "foo", "0")).toBe("f00");
    expect<string>(repl("x", "abc", "y")).toBe("abc");
  });
  it("template parsing mirrors Go: $1x is group \"1x\" (empty), ${1}x works, $$ is $", () => {
    const re = compileOrFail("(\\w+)-(\\w+)");
    const m = changetype<Array<i32>>(re.find("ab-cd"));
    expect<string>(re.expand("$1x", "ab-cd", m)).toBe("");
    expect<string>(re.expand("${1}x", "ab-cd", m)).toBe("abx");
    expect<string>(re.expand("$2-$1", "ab-cd", m)).toBe("cd-ab");
    expect<string>(re.expand("$$1", "ab-cd", m)).toBe("$1");
    expect<string>(re.expand("a$", "ab-cd", m)).toBe("a$");
    expect<string>(re.expand("${1", "ab-cd", m)).toBe("${1");
    expect<string>(re.expand("$0", "ab-cd", m)).toBe("ab-cd");
    expect<string>(re.expand("$01", "ab-cd", m)).toBe("");
    expect<string>(re.expand("$3", "ab-cd", m)).toBe("");
    expect<string>(re.expand("-$1.", "ab-cd", m)).toBe("-ab.");
  });
  it("named groups expand by name", () => {
    const re = compileOrFail("(?P<family>[a-z]+)-(?<ver>\\d+)");
    expect<i32>(re.groupCount).toBe(2);
    expect<string>(re.replaceAll("qwen-3", "${family}:$ver")).toBe("qwen:3");
  });
  it("unset groups are -1 and expand to empty", () => {
    const re = compileOrFail("a(x)?b");
    const m = changetype<Array<i32>>(re.find("zab"));
    expect<string>(m.join(",")).toBe("1,3,-1,-1");
    expect<string>(re.expand("[$1]", "zab", m)).toBe("[]");
  });
});

describe("regex: status-code patterns (anchored)", () => {
  it("matches whole strings only", () => {
    expect<bool>(whole("4.*", "429")).toBe(true);
    expect<bool>(whole("4.*", "404")).toBe(true);
    expect<bool>(whole("5.*", "429")).toBe(false);
    expect<bool>(whole("5.*", "503")).toBe(true);
    expect<bool>(whole("429", "429")).toBe(true);
    expect<bool>(whole("429", "4290")).toBe(false);
    expect<bool>(whole("429", "1429")).toBe(false);
    expect<bool>(whole("50[234]", "502")).toBe(true);
    expect<bool>(whole("50[234]", "503")).toBe(true);
    expect<bool>(whole("50[234]", "504")).toBe(true);
    expect<bool>(whole("50[234]", "500")).toBe(false);
    expect<bool>(whole("5\\d\\d", "599")).toBe(true);
    expect<bool>(whole("4..|5..", "503")).toBe(true);
    expect<bool>(whole("a|ab", "ab")).toBe(true); // whole-match explores every alternative
  });
});

describe("regex: syntax elements", () => {
  it("literals and .", () => {
    expect<string>(findStr("abc", "xxabcx")).toBe("2,5");
    expect<string>(findStr("a.c", "abc")).toBe("0,3");
    expect<string>(findStr("a.c", "a\nc")).toBe("nil");
    expect<string>(findStr("(?s)a.c", "a\nc")).toBe("0,3");
  });
  it("anchors ^ $ \\A \\z \\b \\B", () => {
    expect<string>(findStr("^ab", "cab")).toBe("nil");
    expect<string>(findStr("^ab", "abab")).toBe("0,2");
    expect<string>(findStr("ab$", "abab")).toBe("2,4");
    expect<string>(findStr("\\Aa", "aa")).toBe("0,1");
    expect<string>(findStr("a\\z", "aa")).toBe("1,2");
    expect<string>(findStr("(?m)^b$", "a\nb\nc")).toBe("2,3");
    expect<string>(findStr("\\bfoo\\b", "foobar foo")).toBe("7,10");
    expect<string>(findStr("\\Boo\\B", "oo foo fooo")).toBe("8,10");
  });
  it("greedy and lazy quantifiers", () => {
    expect<string>(findStr("a*", "aaa")).toBe("0,3");
    expect<string>(findStr("a+", "baaa")).toBe("1,4");
    expect<string>(findStr("ab?", "ab")).toBe("0,2");
    expect<string>(findStr("a*?", "aaa")).toBe("0,0");
    expect<string>(findStr("a+?", "aaa")).toBe("0,1");
    expect<string>(findStr("ab??", "ab")).toBe("0,1");
    expect<string>(findStr("<.*>", "<a><b>")).toBe("0,6");
    expect<string>(findStr("<.*?>", "<a><b>")).toBe("0,3");
    expect<string>(findStr("(?U)a+", "aaa")).toBe("0,1");
    expect<string>(findStr("(?U)a+?", "aaa")).toBe("0,3");
  });
  it("counted repetition", () => {
    expect<string>(findStr("a{2}", "aaaa")).toBe("0,2");
    expect<string>(findStr("a{2,}", "aaaa")).toBe("0,4");
    expect<string>(findStr("a{1,3}", "aaaa")).toBe("0,3");
    expect<string>(findStr("a{1,3}?", "aaaa")).toBe("0,1");
    expect<string>(findStr("a{0}b", "ab")).toBe("1,2");
    expect<string>(findStr("(ab){2}", "ababab")).toBe("0,4,2,4");
    expect<bool>(whole("a{1000}", "a".repeat(1000))).toBe(true);
    expect<bool>(whole("a{1000}", "a".repeat(999))).toBe(false);
    // Not a valid repeat -> literal '{' (Go behaviour)
    expect<string>(findStr("a{,2}", "a{,2}")).toBe("0,5");
    expect<string>(findStr("a{x", "a{x")).toBe("0,3");
  });
  it("groups, non-capturing groups, alternation (leftmost-first)", () => {
    expect<i32>(compileOrFail("(a)(?:b)(c)").groupCount).toBe(2);
    expect<string>(findStr("(a)(?:b)(c)", "xabc")).toBe("1,4,1,2,3,4");
    expect<string>(findStr("a|ab", "ab")).toBe("0,1");
    expect<string>(findStr("ab|a", "ab")).toBe("0,2");
    expect<string>(findStr("(a|ab)(c|bcd)(d*)", "abcd")).toBe("0,4,0,1,1,4,4,4");
    expect<string>(findStr("(a|b)*", "abab")).toBe("0,4,3,4");
    expect<string>(findStr("x(|y)z", "xz")).toBe("0,2,1,1");
  });
  it("character classes", () => {
    expect<string>(findStr("[abc]+", "xxcabz")).toBe("2,5");
    expect<string>(findStr("[^a-z]+", "abC1-z")).toBe("2,5");
    expect<string>(findStr("[\\d_-]+", "ab_12-3c")).toBe("2,7");
    expect<string>(findStr("[]a]+", "x]a]y")).toBe("1,4");
    expect<string>(findStr("[a-]+", "b-a-c")).toBe("1,4");
    expect<string>(findStr("[\\]\\[]+", "x[]y")).toBe("1,3");
    expect<string>(findStr("[[:alpha:]]+", "12abC3")).toBe("2,5");
    expect<string>(findStr("[[:^digit:]]+", "12abC3")).toBe("2,5");
    expect<string>(findStr("[^\\d\\s]+", "1 ab 2")).toBe("2,4");
    expect<string>(findStr("[^a]", "\n")).toBe("0,1"); // negated classes match newline (Go)
  });
  it("escapes", () => {
    expect<string>(findStr("\\d+", "ab123c")).toBe("2,5");
    expect<string>(findStr("\\D+", "12ab3")).toBe("2,4");
    expect<string>(findStr("\\w+", "--a_1--")).toBe("2,5");
    expect<string>(findStr("\\W+", "ab-+cd")).toBe("2,4");
    expect<string>(findStr("\\s+", "a \t\nb")).toBe("1,4");
    expect<string>(findStr("\\S+", "  ab ")).toBe("2,4");
    expect<bool>(whole("\\.\\\\\\-\\[\\]\\(\\)\\{\\}\\*\\+\\?\\|\\^\\$\\/", ".\\-[](){}*+?|^$/")).toBe(true);
    expect<bool>(whole("a\\tb\\nc\\rd", "a\tb\nc\rd")).toBe(true);
    expect<bool>(whole("\\x41\\x{42}\\101", "ABA")).toBe(true);
    expect<bool>(whole("gpt-4\\.1", "gpt-4x1")).toBe(false);
  });
  it("case-insensitive flag", () => {
    expect<string>(findStr("(?i)gpt", "xGpT")).toBe("1,4");
    expect<string>(findStr("(?i)[a-c]+", "xAbC")).toBe("1,4");
    expect<string>(findStr("(?i:a)b", "ABAb")).toBe("2,4");
    expect<string>(findStr("(?i)k", "\u212a")).toBe("0,1");
    expect<bool>(whole("(?i)^claude-(OPUS|sonnet)", "Claude-Opus")).toBe(true);
  });
  it("UTF-16: a surrogate pair is one character, indices are code units", () => {
    expect<bool>(whole("^.$", "\ud83d\ude00")).toBe(true);
    expect<string>(findStr("(.)b", "a\ud83d\ude00b")).toBe("1,4,1,3");
    expect<bool>(whole("[\ud83d\ude00]", "\ud83d\ude00")).toBe(true);
    expect<string>(repl("", "\u00e9\ud83d\ude00", "-")).toBe("-\u00e9-\ud83d\ude00-");
  });
  it("empty pattern and empty input", () => {
    expect<string>(findStr("", "")).toBe("0,0");
    expect<string>(findStr("", "abc")).toBe("0,0");
    expect<bool>(whole("", "")).toBe(true);
    expect<bool>(whole("", "a")).toBe(false);
    expect<string>(repl("", "abc", "-")).toBe("-a-b-c-");
    expect<string>(findStr("a", "")).toBe("nil");
    expect<string>(findStr("a*", "")).toBe("0,0");
    expect<bool>(whole("a*", "")).toBe(true);
    expect<string>(repl("a*", "baaac", "-")).toBe("-b-c-");
    expect<string>(repl("()", "", "[$1]")).toBe("[]");
  });
});

describe("regex: compile errors are values", () => {
  it("reports the problem and its position", () => {
    expect<string>(compileError("(abc")).toBe("missing closing ) at 0");
    expect<string>(compileError("ab(c(d)")).toBe("missing closing ) at 2");
    expect<string>(compileError("abc)")).toBe("unexpected ) at 3");
    expect<string>(compileError("[abc")).toBe("missing closing ] at 0");
    expect<string>(compileError("[]")).toBe("missing closing ] at 0");
    expect<string>(compileError("x[z-a]")).toBe("invalid character class range at 2");
    expect<string>(compileError("[[:foo:]]")).toBe("invalid character class range at 1");
    expect<string>(compileError("*a")).toBe("missing argument to repetition operator at 0");
    expect<string>(compileError("a|+")).toBe("missing argument to repetition operator at 2");
    expect<string>(compileError("(?i)*")).toBe("missing argument to repetition operator at 4");
    expect<string>(compileError("a**")).toBe("invalid nested repetition operator at 2");
    expect<string>(compileError("a{1001}")).toBe("invalid repeat count at 1");
    expect<string>(compileError("a{3,2}")).toBe("invalid repeat count at 1");
    expect<string>(compileError("(a{100}){100}")).toBe("invalid repeat count at 8");
    expect<string>(compileError("(a)\\1")).toBe("backreferences are not supported at 3");
    expect<string>(compileError("(?=a)")).toBe("lookaround assertions are not supported at 0");
    expect<string>(compileError("(?<!a)b")).toBe("lookaround assertions are not supported at 0");
    expect<string>(compileError("a\\")).toBe("trailing backslash at end of expression at 1");
    expect<string>(compileError("\\q")).toBe("invalid escape sequence \\q at 0");
    expect<string>(compileError("\\pL")).toBe("Unicode character classes (\\p, \\P) are not supported at 0");
    expect<string>(compileError("(?x)a")).toBe("invalid or unsupported Perl syntax at 0");
    expect<string>(compileError("(?P<a-b>x)")).toBe("invalid named capture at 0");
    expect<string>(compileError("(".repeat(33) + ")".repeat(33))).toBe("expression nests too deeply at 32");
    expect<string>(compileError("a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}g{1000}h{1000}i{1000}j{1000}k")).toBe(
      "expression too large at 70",
    );
    const r: RegexCompileResult = Regex.compile("ok(");
    expect<bool>(r.ok).toBe(false);
  });
});

describe("regex: safety", () => {
  it("(a*)*b against 5000 a's is linear and does not trap", () => {
    const re = compileOrFail("(a*)*b");
    const s = "a".repeat(5000);
    expect<bool>(re.find(s) === null).toBe(true);
    expect<bool>(re.tooComplex).toBe(false);
    expect<bool>(re.matchesWhole(s)).toBe(false);
    expect<bool>(re.matchString(s + "b")).toBe(true);
    const m = changetype<Array<i32>>(re.find(s + "b"));
    expect<string>(m.join(",")).toBe("0,5001,0,5000");
  });
  it("other classic backtracking bombs stay cheap", () => {
    const s = "x".repeat(3000);
    expect<bool>(compileOrFail("(x+x+)+y").matchString(s)).toBe(false);
    expect<bool>(compileOrFail("(x|x)*y").matchString(s)).toBe(false);
    expect<bool>(compileOrFail("(.*)(.*)(.*)(.*)(.*)y").find(s) === null).toBe(true);
  });
  it("step budget exhaustion is a non-match plus a flag, never a trap", () => {
    const re = compileOrFail("(a|b)*c");
    re.stepLimit = 200;
    const s = "ab".repeat(500);
    expect<bool>(re.find(s) === null).toBe(true);
    expect<bool>(re.tooComplex).toBe(true);
    expect<string>(re.replaceAll(s, "x")).toBe(s);
    expect<bool>(re.tooComplex).toBe(true);
    re.stepLimit = 1000000;
    expect<bool>(re.matchString(s + "c")).toBe(true);
    expect<bool>(re.tooComplex).toBe(false);
  });
  it("expand tolerates malformed match arrays", () => {
    const re = compileOrFail("(a)");
    expect<string>(re.expand("[$1][$0][$2]", "a", [5, 9, -3, 2])).toBe("[][][]");
    expect<string>(re.expand("[$1]", "a", [])).toBe("[]");
  });
  it("fuzz: random patterns over a small alphabet never trap", () => {
    let compiled = 0;
    for (let i = 0; i < 3000; i++) {
      let p = "";
      const pl = rnd(8);
      for (let j = 0; j < pl; j++) p += FUZZ_TOKENS[rnd(FUZZ_TOKENS.length)];
      let s = "";
      const sl = rnd(10);
      for (let j = 0; j < sl; j++) s += FUZZ_INPUT.charAt(rnd(FUZZ_INPUT.length));
      const t = FUZZ_TEMPLATES[rnd(FUZZ_TEMPLATES.length)];
      const r = Regex.compile(p);
      const re = r.regex;
      if (re === null) {
        expect<bool>(r.error.length > 0).toBe(true, p);
        continue;
      }
      compiled++;
      const m = re.find(s);
      const w = re.matchesWhole(s);
      expect<bool>(re.matchString(s)).toBe(m !== null, "matchString vs find: " + p);
      if (m !== null) {
        expect<i32>(m.length).toBe(2 * (re.groupCount + 1));
        expect<bool>(m[0] >= 0 && m[0] <= m[1] && m[1] <= s.length).toBe(true, "bounds: " + p);
        re.expand(t, s, m);
      }
      if (w) expect<bool>(m !== null).toBe(true, "whole implies find: " + p);
      const anchored = Regex.compile("^(?:" + p + ")$").regex;
      if (anchored !== null) expect<bool>(anchored.find(s) !== null).toBe(w, "whole vs ^(?:re)$: " + p + " on " + s);
      re.replaceAll(s, t);
      expect<bool>(re.tooComplex).toBe(false);
    }
    expect<bool>(compiled > 300).toBe(true);
  });
});
