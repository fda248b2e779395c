import { parseJson, parseJsonString, JsonKind, JsonValue, JsonParseResult } from "../json";
import { utf8Encode, utf8Decode } from "../bytes";

function bytesOf(list: i32[]): Uint8Array {
  const out = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = <u8>list[i];
  return out;
}
function cat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
function ok(s: string): JsonValue {
  const r = parseJsonString(s);
  if (r.error != "") trace("unexpected error: " + r.error);
  expect<string>(r.error).toBe("");
  return r.value!;
}
function err(s: string): string {
  const r = parseJsonString(s);
  expect<bool>(r.ok).toBe(false);
  expect<bool>(r.value == null).toBe(true);
  return r.error;
}
function errBytes(b: Uint8Array): JsonParseResult {
  const r = parseJson(b);
  expect<bool>(r.ok).toBe(false);
  return r;
}

describe("parseJson: valid documents", () => {
  it("parses scalars at top level", () => {
    expect<i32>(ok("null").kind).toBe(JsonKind.Null);
    expect<bool>(ok("true").asBool()).toBe(true);
    expect<bool>(ok("false").asBool(true)).toBe(false);
    expect<f64>(ok("-12.5e1").asF64()).toBe(-125.0);
    expect<string>(ok('"hi"').str()).toBe("hi");
    expect<i32>(ok("  7  ").asI32()).toBe(7);
  });

  it("gives kinds, ranges and raw text", () => {
    const v = ok(' {"a" : [1, 2 ,3], "b":{"c":"d"} } ');
    expect<i32>(v.kind).toBe(JsonKind.Object);
    expect<i32>(v.start).toBe(1);
    expect<i32>(v.end).toBe(34);
    const a = v.get("a")!;
    expect<i32>(a.kind).toBe(JsonKind.Array);
    expect<string>(a.rawString()).toBe("[1, 2 ,3]");
    expect<i32>(a.length).toBe(3);
    expect<i64>(a.at(2)!.asI64()).toBe(3);
    expect<bool>(a.at(3) == null).toBe(true);
    expect<bool>(a.at(-1) == null).toBe(true);
    expect<string>(v.get("b")!.rawString()).toBe('{"c":"d"}');
    expect<string>(v.getObject("b")!.getString("c")!).toBe("d");
  });

  it("handles empty containers and nesting", () => {
    const v = ok('{"a":{},"b":[],"c":[[],[{}]],"d":1}');
    expect<i32>(v.length).toBe(4);
    expect<i32>(v.get("a")!.length).toBe(0);
    expect<i32>(v.get("b")!.length).toBe(0);
    const c = v.get("c")!;
    expect<i32>(c.length).toBe(2);
    expect<i32>(c.at(1)!.length).toBe(1);
    expect<i32>(c.at(1)!.at(0)!.kind).toBe(JsonKind.Object);
    expect<i64>(v.getInt("d")).toBe(1);
    expect<i32>(ok("[]").length).toBe(0);
    expect<i32>(ok("{}").length).toBe(0);
  });

  it("iterates members in order, with keyAt/valueAt/keys/items", () => {
    const v = ok('{"x":1,"y":"two","z":[3]}');
    const keys = v.keys();
    expect<i32>(keys.length).toBe(3);
    expect<string>(keys[0]).toBe("x");
    expect<string>(keys[2]).toBe("z");
    expect<string>(v.keyAt(1)!.str()).toBe("y");
    expect<string>(v.valueAt(1)!.str()).toBe("two");
    expect<string>(v.at(2)!.rawString()).toBe("[3]");
    const it = v.iter();
    let n = 0;
    while (it.next()) {
      expect<i32>(it.index).toBe(n);
      expect<string>(it.key!.str()).toBe(keys[n]);
      n++;
    }
    expect<i32>(n).toBe(3);
    const items = ok("[1,[2,3],{\"a\":4},5]").items();
    expect<i32>(items.length).toBe(4);
    expect<i64>(items[3].asI64()).toBe(5);
    const ait = ok("[true]").iter();
    expect<bool>(ait.next()).toBe(true);
    expect<bool>(ait.key == null).toBe(true);
    expect<bool>(ait.next()).toBe(false);
  });

  it("at(i) works backwards and forwards (cursor cache)", () => {
    const a = ok("[0,1,[2],3,{\"k\":4},5]");
    expect<i64>(a.at(5)!.asI64()).toBe(5);
    expect<i64>(a.at(0)!.asI64()).toBe(0);
    expect<i64>(a.at(3)!.asI64()).toBe(3);
    expect<i64>(a.at(4)!.getInt("k")).toBe(4);
    expect<i64>(a.at(1)!.asI64()).toBe(1);
  });

  it("typed getters return defaults on wrong kinds", () => {
    const v = ok('{"s":"x","n":5,"b":true,"o":{},"a":[],"z":null}');
    expect<bool>(v.getString("n") == null).toBe(true);
    expect<string>(v.getString("s")!).toBe("x");
    expect<i64>(v.getInt("s", -1)).toBe(-1);
    expect<i64>(v.getInt("missing", 9)).toBe(9);
    expect<f64>(v.getNumber("n")).toBe(5.0);
    expect<bool>(v.getBool("b")).toBe(true);
    expect<bool>(v.getBool("n", true)).toBe(true);
    expect<bool>(v.getObject("a") == null).toBe(true);
    expect<bool>(v.getArray("a") != null).toBe(true);
    expect<bool>(v.getObject("o") != null).toBe(true);
    expect<bool>(v.has("z")).toBe(true);
    expect<bool>(v.get("z")!.isNull()).toBe(true);
    expect<bool>(v.has("nope")).toBe(false);
    // Scalars behave as empty containers.
    const n = v.get("n")!;
    expect<i32>(n.length).toBe(0);
    expect<bool>(n.get("x") == null).toBe(true);
    expect<bool>(n.at(0) == null).toBe(true);
    expect<string>(n.str("def")).toBe("def");
    expect<bool>(n.equals("5")).toBe(false);
    expect<i32>(v.get("s")!.asI32(-3)).toBe(-3);
    expect<i32>(v.keys().length).toBe(6);
    expect<i32>(n.keys().length).toBe(0);
  });

  it("duplicate keys: last one wins", () => {
    const v = ok('{"model":"a","x":1,"model":"b"}');
    expect<string>(v.getString("model")!).toBe("b");
    expect<i32>(v.length).toBe(3);
  });

  it("skips a leading UTF-8 BOM", () => {
    const r = parseJson(cat(bytesOf([0xEF, 0xBB, 0xBF]), utf8Encode('{"a":1}')));
    expect<string>(r.error).toBe("");
    expect<i32>(r.value!.start).toBe(3);
    expect<i64>(r.value!.getInt("a")).toBe(1);
  });

  it("accepts all JSON whitespace", () => {
    expect<i32>(ok(" \t\r\n[ \t\r\n1 \t\r\n, 2\n]\r\n").length).toBe(2);
  });
});

describe("parseJson: strings", () => {
  it("decodes escapes", () => {
    const v = ok('"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC"');
    expect<string>(v.str()).toBe("a\"b\\c/d\b\f\n\r\tAé€");
    expect<bool>(v.hasEscapes()).toBe(true);
  });

  it("decodes surrogate pairs and non-ASCII UTF-8", () => {
    expect<string>(ok('"\\ud83d\\ude00"').str()).toBe("😀");
    expect<string>(ok('"héllo 世界 😀"').str()).toBe("héllo 世界 😀");
    expect<string>(utf8Decode(ok('"\\ud83d\\ude00x"').strBytes())).toBe("😀x");
  });

  it("accepts lone surrogate escapes and decodes them to U+FFFD", () => {
    expect<string>(ok('"\\uD800"').str()).toBe("\uFFFD");
    expect<string>(ok('"a\\uDC00b"').str()).toBe("a\uFFFDb");
    expect<string>(ok('"\\uD800\\u0041"').str()).toBe("\uFFFDA");
    expect<string>(ok('"\\uD800\\uD800\\uDC00"').str()).toBe("\uFFFD𐀀");
    const b = ok('"\\uD800"').strBytes();
    expect<i32>(b.length).toBe(3);
    expect<u8>(b[0]).toBe(0xEF);
  });

  it("strBytes is a zero-copy view without escapes", () => {
    const v = ok('{"k":"plain text"}').get("k")!;
    const b = v.strBytes();
    expect<i32>(b.length).toBe(10);
    expect<usize>(b.dataStart).toBe(v.source.dataStart + 6);
  });

  it("equals compares without decoding", () => {
    const v = ok('["model","mödel","m\\u00f6del","😀",""]');
    expect<bool>(v.at(0)!.equals("model")).toBe(true);
    expect<bool>(v.at(0)!.equals("mode")).toBe(false);
    expect<bool>(v.at(0)!.equals("models")).toBe(false);
    expect<bool>(v.at(1)!.equals("mödel")).toBe(true);
    expect<bool>(v.at(2)!.equals("mödel")).toBe(true);
    expect<bool>(v.at(3)!.equals("😀")).toBe(true);
    expect<bool>(v.at(4)!.equals("")).toBe(true);
    expect<bool>(v.at(4)!.equals("x")).toBe(false);
  });

  it("finds keys with non-ASCII and escaped spellings", () => {
    const v = ok('{"clé":1,"\\u006Bey":2}');
    expect<i64>(v.getInt("clé")).toBe(1);
    expect<i64>(v.getInt("key")).toBe(2);
  });

  it("rawBytes keeps the token verbatim", () => {
    const v = ok('{"a":"x\\ny"}').get("a")!;
    expect<string>(utf8Decode(v.rawBytes())).toBe('"x\\ny"');
  });
});

describe("parseJson: numbers", () => {
  it("converts common numbers exactly", () => {
    expect<f64>(ok("0").asF64()).toBe(0.0);
    expect<f64>(ok("0.7").asF64()).toBe(0.7);
    expect<f64>(ok("1.5E+3").asF64()).toBe(1500.0);
    expect<f64>(ok("2.5e-3").asF64()).toBe(0.0025);
    expect<f64>(ok("123456789.123").asF64()).toBe(123456789.123);
    expect<f64>(ok("0.1234567890123456789").asF64()).toBe(0.1234567890123456789);
    expect<f64>(ok("1.7976931348623157e308").asF64()).toBe(1.7976931348623157e308);
    expect<f64>(ok("5e-324").asF64()).toBe(5e-324);
    expect<bool>(ok("-0").asF64() == 0).toBe(true);
  });

  it("keeps absurd numbers as raw text", () => {
    const big = ok("1e999");
    expect<f64>(big.asF64()).toBe(Infinity);
    expect<f64>(ok("-1e999").asF64()).toBe(-Infinity);
    expect<string>(big.numberText()).toBe("1e999");
    expect<i64>(big.asI64()).toBe(i64.MAX_VALUE);
    expect<bool>(big.isInteger()).toBe(false);
    const huge = ok("123456789012345678901234567890");
    expect<i64>(huge.asI64()).toBe(i64.MAX_VALUE);
    expect<i64>(ok("-123456789012345678901234567890").asI64()).toBe(i64.MIN_VALUE);
    expect<bool>(huge.isInteger()).toBe(false);
    expect<string>(huge.numberText()).toBe("123456789012345678901234567890");
    expect<f64>(ok("1e-999").asF64()).toBe(0.0);
  });

  it("i64/i32 truncate and clamp", () => {
    expect<i64>(ok("9223372036854775807").asI64()).toBe(i64.MAX_VALUE);
    expect<i64>(ok("-9223372036854775808").asI64()).toBe(i64.MIN_VALUE);
    expect<bool>(ok("9223372036854775807").isInteger()).toBe(true);
    expect<bool>(ok("9223372036854775808").isInteger()).toBe(false);
    expect<i64>(ok("3.9").asI64()).toBe(3);
    expect<i64>(ok("-3.9").asI64()).toBe(-3);
    expect<i64>(ok("1e3").asI64()).toBe(1000);
    expect<i32>(ok("4294967296").asI32()).toBe(i32.MAX_VALUE);
    expect<i32>(ok("-4294967296").asI32()).toBe(i32.MIN_VALUE);
    expect<bool>(ok("12").isInteger()).toBe(true);
    expect<bool>(ok("12.0").isInteger()).toBe(false);
  });
});

describe("parseJson: errors (never traps)", () => {
  it("empty and whitespace-only input", () => {
    expect<string>(err("")).toBe("empty body, expected JSON at byte 0");
    expect<string>(err("   ")).toBe("unexpected end of JSON, expected a value at byte 3");
  });

  it("truncated documents at every byte", () => {
    const doc = '{"a":[1,2.5e3,"x\\u0041",true,false,null,{"b":{}}],"c":"d"}';
    const full = utf8Encode(doc);
    for (let n = 0; n < full.length; n++) {
      const r = parseJson(full.subarray(0, n));
      expect<bool>(r.ok).toBe(false);
      expect<bool>(r.error.length > 0).toBe(true);
    }
    expect<bool>(parseJson(full).ok).toBe(true);
  });

  it("names the problem and the byte offset", () => {
    expect<string>(err('{"a":1,')).toBe("unexpected end of JSON, expected a string key at byte 7");
    expect<string>(err('{"a" 1}')).toBe("unexpected byte '1', expected ':' at byte 5");
    expect<string>(err("[1 2]")).toBe("unexpected byte '2', expected ',' or ']' at byte 3");
    expect<string>(err('{"a":1]')).toBe("unexpected byte ']', expected ',' or '}' at byte 6");
    expect<string>(err("[1,]")).toBe("unexpected byte ']', expected a value at byte 3");
    expect<string>(err('{,}')).toBe("unexpected byte ',', expected a string key or '}' at byte 1");
    expect<string>(err("{'a':1}")).toBe("unexpected byte ''', expected a string key or '}' at byte 1");
    expect<string>(err('"abc')).toBe("unterminated string starting at byte 0");
    expect<string>(err('"a\\x"')).toBe("invalid escape \\x at byte 2");
    expect<string>(err('"\\u12G4"')).toBe("invalid \\u escape at byte 1");
    expect<string>(err('"\\u12"')).toBe("unterminated string starting at byte 0");
    expect<string>(err('"\\u12"  ')).toBe("invalid \\u escape at byte 1");
    expect<string>(err("tru")).toBe("invalid literal, expected true at byte 0");
    expect<string>(err("nul")).toBe("invalid literal, expected null at byte 0");
    expect<string>(err("falsy")).toBe("invalid literal, expected false at byte 0");
    expect<string>(err("True")).toBe("unexpected byte 'T', expected a value at byte 0");
  });

  it("rejects bad numbers", () => {
    expect<string>(err("01")).toBe("leading zero in number at byte 0");
    expect<string>(err("-")).toBe("unexpected end of JSON in number at byte 1");
    expect<string>(err("-a")).toBe("unexpected byte 'a', expected a digit at byte 1");
    expect<string>(err("1.")).toBe("unexpected end of JSON, expected a digit after '.' at byte 2");
    expect<string>(err("1.e5")).toBe("unexpected byte 'e', expected a digit after '.' at byte 2");
    expect<string>(err("1e")).toBe("unexpected end of JSON, expected a digit in exponent at byte 2");
    expect<string>(err("1e+")).toBe("unexpected end of JSON, expected a digit in exponent at byte 3");
    expect<string>(err(".5")).toBe("unexpected byte '.', expected a value at byte 0");
    expect<string>(err("+1")).toBe("unexpected byte '+', expected a value at byte 0");
    expect<string>(err("NaN")).toBe("unexpected byte 'N', expected a value at byte 0");
    expect<string>(err("Infinity")).toBe("unexpected byte 'I', expected a value at byte 0");
  });

  it("rejects trailing garbage", () => {
    expect<string>(err("{} x")).toBe("unexpected data after the JSON value at byte 3");
    expect<string>(err("1 2")).toBe("unexpected data after the JSON value at byte 2");
    expect<string>(err('{"a":1}}')).toBe("unexpected data after the JSON value at byte 7");
  });

  it("rejects NUL and control bytes", () => {
    let r = errBytes(bytesOf([0x22, 0x61, 0x00, 0x22]));
    expect<string>(r.error).toBe("control character 0x00 in string at byte 2");
    expect<i32>(r.errorOffset).toBe(2);
    r = errBytes(bytesOf([0x7B, 0x7D, 0x00]));
    expect<string>(r.error).toBe("unexpected data after the JSON value at byte 2");
    r = errBytes(bytesOf([0x00]));
    expect<string>(r.error).toBe("unexpected byte 0x00, expected a value at byte 0");
    expect<string>(err('"a\tb"')).toBe("control character 0x09 in string at byte 2");
    expect<string>(err('"a\nb"')).toBe("control character 0x0a in string at byte 2");
  });

  it("rejects invalid UTF-8", () => {
    const cases: i32[][] = [
      [0x22, 0xFF, 0x22],             // never valid
      [0x22, 0xC0, 0xAF, 0x22],       // overlong '/'
      [0x22, 0xE0, 0x80, 0xAF, 0x22], // overlong
      [0x22, 0xED, 0xA0, 0x80, 0x22], // UTF-8-encoded surrogate
      [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], // > U+10FFFF
      [0x22, 0x80, 0x22],             // stray continuation
      [0x22, 0xE2, 0x82, 0x22],       // truncated sequence
      [0x22, 0xC3],                   // truncated at end
    ];
    for (let i = 0; i < cases.length; i++) {
      const r = errBytes(bytesOf(cases[i]));
      expect<bool>(r.error.startsWith("invalid UTF-8 at byte 1") || r.error.startsWith("unterminated")).toBe(true);
    }
    // Non-ASCII outside strings is just an unexpected byte.
    expect<string>(errBytes(bytesOf([0xC3, 0xA9])).error).toBe("unexpected byte 0xc3, expected a value at byte 0");
    // A BOM is only skipped at the very start.
    expect<bool>(errBytes(bytesOf([0x20, 0xEF, 0xBB, 0xBF, 0x31])).ok).toBe(false);
  });

  it("refuses nesting beyond maxDepth without recursion", () => {
    const deep = "[".repeat(10000) + "]".repeat(10000);
    const r = parseJsonString(deep);
    expect<string>(r.error).toBe("nesting deeper than 64 levels at byte 64");
    const deepObj = '{"a":'.repeat(10000) + "1" + "}".repeat(10000);
    expect<string>(parseJsonString(deepObj).error).toBe("nesting deeper than 64 levels at byte 320");
    // Exactly maxDepth is fine; an explicit larger limit works too.
    expect<bool>(parseJsonString("[".repeat(64) + "]".repeat(64)).ok).toBe(true);
    expect<bool>(parseJsonString("[".repeat(65) + "]".repeat(65)).ok).toBe(false);
    const r2 = parseJsonString(deep, 20000);
    expect<bool>(r2.ok).toBe(true);
    let v = r2.value!;
    for (let i = 0; i < 9999; i++) v = v.at(0)!;
    expect<i32>(v.length).toBe(0);
    expect<bool>(parseJsonString("[1]", 0).ok).toBe(false);
    expect<bool>(parseJsonString("1", 0).ok).toBe(true);
  });

  it("survives every single-byte mutation of a document", () => {
    const src = utf8Encode('{"model":"x","messages":[{"role":"user","content":"h\\u00e9 😀"}],"n":-1.5e2,"b":[true,null]}');
    const probes: u8[] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x80, 0xFF, 0x20, 0x31, 0x65];
    let oks = 0;
    for (let i = 0; i < src.length; i++) {
      for (let j = 0; j < probes.length; j++) {
        const m = new Uint8Array(src.length);
        m.set(src, 0);
        m[i] = probes[j];
        const r = parseJson(m);
        if (r.ok) {
          oks++;
          // Walking a successfully parsed mutant must not trap either.
          const v = r.value!;
          v.keys();
          v.getString("model");
          v.get("messages");
        } else {
          expect<bool>(r.error.length > 0).toBe(true);
        }
      }
    }
    expect<bool>(oks > 0).toBe(true);
  });
});

import { JsonParser } from "../json";

describe("JsonParser (reusable)", () => {
  it("parses many documents with one tape", () => {
    const jp = new JsonParser();
    for (let i = 0; i < 50; i++) {
      const v = jp.parse(utf8Encode('{"i":' + i.toString() + ',"a":[' + "1,".repeat(i) + '0]}'));
      expect<string>(jp.error).toBe("");
      expect<i64>(v!.getInt("i")).toBe(i);
      expect<i32>(v!.getArray("a")!.length).toBe(i + 1);
    }
    expect<bool>(jp.parse(utf8Encode("[1,")) == null).toBe(true);
    expect<string>(jp.error).toBe("unexpected end of JSON, expected a value at byte 3");
    expect<i32>(jp.errorOffset).toBe(3);
    expect<bool>(jp.parse(utf8Encode("true"))!.asBool()).toBe(true);
    expect<string>(jp.error).toBe("");
  });

  it("stale values never trap and never spoil the parser", () => {
    const jp = new JsonParser();
    const big = jp.parse(utf8Encode('{"model":"a-long-model-name","messages":[{"role":"user","content":"' + "x".repeat(500) + '"}],"n":[1,2,3,4,5,6,7,8]}'))!;
    const msgs = big.getArray("messages")!;
    const n = big.getArray("n")!;
    const content = msgs.at(0)!.get("content")!;
    jp.parse(utf8Encode("[1]"));
    // Whatever these return, they must not trap.
    big.keys();
    big.getString("model");
    msgs.length;
    msgs.at(0);
    n.items();
    content.str();
    content.strBytes();
    content.rawString();
    content.equals("x");
    // ...and leave the parser whole: the next document reads correctly.
    const again = jp.parse(utf8Encode('{"a":"b","c":[true]}'))!;
    expect<string>(again.getString("a")!).toBe("b");
    expect<bool>(again.getArray("c")!.at(0)!.asBool()).toBe(true);
  });
});
