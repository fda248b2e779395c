import {
  ByteBuffer, utf8Encode, utf8Decode, utf8Validate, utf8Length, bytesEqualString, bytesEqual, indexOfByte,
  copyBytes, sliceView,
} from "../bytes";

function bytesOf(list: i32[]): Uint8Array {
  const out = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = <u8>list[i];
  return out;
}

describe("utf8", () => {
  it("encodes and decodes round trip", () => {
    const s = "aé€😀\u0000z";
    const b = utf8Encode(s);
    expect<i32>(b.length).toBe(1 + 2 + 3 + 4 + 1 + 1);
    expect<i32>(utf8Length(s)).toBe(12);
    expect<string>(utf8Decode(b)).toBe(s);
    expect<i32>(utf8Validate(b)).toBe(-1);
  });

  it("encodes lone surrogates as U+FFFD", () => {
    const s = String.fromCharCode(0xDC00) + "x" + String.fromCharCode(0xD800);
    expect<string>(utf8Decode(utf8Encode(s))).toBe("\uFFFDx\uFFFD");
    expect<i32>(utf8Length(s)).toBe(7);
  });

  it("decodes invalid sequences to U+FFFD (maximal subparts)", () => {
    expect<string>(utf8Decode(bytesOf([0x61, 0xFF, 0x62]))).toBe("a\uFFFDb");
    expect<string>(utf8Decode(bytesOf([0xE2, 0x82, 0x61]))).toBe("\uFFFDa");
    expect<string>(utf8Decode(bytesOf([0xF0, 0x9F, 0x98]))).toBe("\uFFFD");
    expect<string>(utf8Decode(bytesOf([0xC0, 0xAF]))).toBe("\uFFFD\uFFFD");
    expect<string>(utf8Decode(bytesOf([0xED, 0xA0, 0x80]))).toBe("\uFFFD\uFFFD\uFFFD");
    expect<string>(utf8Decode(bytesOf([0x80, 0x80]))).toBe("\uFFFD\uFFFD");
    expect<i32>(utf8Validate(bytesOf([0x61, 0x62, 0xC3]))).toBe(2);
    expect<i32>(utf8Validate(bytesOf([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xFF]))).toBe(9);
  });

  it("clamps ranges instead of trapping", () => {
    const b = utf8Encode("hello");
    expect<string>(utf8Decode(b, 1, 3)).toBe("el");
    expect<string>(utf8Decode(b, -5, 100)).toBe("hello");
    expect<string>(utf8Decode(b, 4, 2)).toBe("");
    expect<string>(utf8Decode(b, 10)).toBe("");
    expect<i32>(copyBytes(b, 3, 99).length).toBe(2);
    expect<i32>(sliceView(b, -1, 2).length).toBe(2);
    expect<i32>(indexOfByte(b, 0x6C)).toBe(2);
    expect<i32>(indexOfByte(b, 0x6C, 3)).toBe(3);
    expect<i32>(indexOfByte(b, 0x7A)).toBe(-1);
  });

  it("compares bytes with strings without allocating", () => {
    const b = utf8Encode("xx😀é");
    expect<bool>(bytesEqualString(b, 2, -1, "😀é")).toBe(true);
    expect<bool>(bytesEqualString(b, 2, -1, "😀e")).toBe(false);
    expect<bool>(bytesEqualString(b, 0, 2, "xx")).toBe(true);
    expect<bool>(bytesEqualString(b, 0, 2, "xxx")).toBe(false);
    expect<bool>(bytesEqual(utf8Encode("ab"), utf8Encode("ab"))).toBe(true);
    expect<bool>(bytesEqual(utf8Encode("ab"), utf8Encode("ac"))).toBe(false);
  });
});

describe("ByteBuffer", () => {
  it("appends and grows", () => {
    const b = new ByteBuffer(1);
    b.pushByte(0x61);
    b.push2(0x62, 0x63);
    b.pushString("-é-");
    b.pushBytes(utf8Encode("xyz"));
    b.pushSlice(utf8Encode("012345"), 2, 4);
    b.pushSlice(utf8Encode("012345"), 4, 100);
    b.pushInt(-1234567890123);
    b.pushInt(0);
    b.pushInt(i64.MIN_VALUE);
    for (let i = 0; i < 1000; i++) b.pushByte(0x2E);
    const s = b.toString();
    expect<string>(s.substring(0, 45)).toBe("abc-é-xyz2345-12345678901230-9223372036854775808".substring(0, 45));
    expect<i32>(b.length).toBe(utf8Length(s));
    expect<i32>(b.byteAt(0)).toBe(0x61);
    expect<i32>(b.byteAt(-1)).toBe(-1);
    expect<i32>(b.byteAt(b.length)).toBe(-1);
    expect<i32>(b.lastByte()).toBe(0x2E);
  });

  it("views survive growth; take detaches", () => {
    const b = new ByteBuffer(16);
    b.pushString("abc");
    const v = b.view();
    for (let i = 0; i < 100; i++) b.pushString("0123456789");
    expect<string>(utf8Decode(v)).toBe("abc");
    const t = b.take();
    expect<i32>(t.length).toBe(1003);
    expect<i32>(b.length).toBe(0);
    b.pushString("x");
    expect<string>(utf8Decode(t, 0, 3)).toBe("abc");
    b.truncate(0);
    expect<i32>(b.length).toBe(0);
    b.pushString("hello");
    b.truncate(2);
    b.truncate(10);
    expect<string>(b.toString()).toBe("he");
    b.clear();
    expect<i32>(b.toBytes().length).toBe(0);
  });
});
