import { JsonWriter, parseJsonString, parseJson } from "../json";
import { utf8Encode, utf8Decode } from "../bytes";

function bytesOf(list: i32[]): Uint8Array {
  const out = new Uint8Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = <u8>list[i];
  return out;
}

describe("JsonWriter", () => {
  it("handles commas automatically", () => {
    const w = new JsonWriter();
    w.beginObject()
      .key("a").int(1)
      .key("b").beginArray().int(1).string("x").bool(true).bool(false).null().beginObject().endObject().beginArray().endArray().endArray()
      .key("c").beginObject().fieldString("d", "e").fieldInt("f", -7).fieldBool("g", false).fieldNull("h").endObject()
      .endObject();
    expect<string>(w.toString()).toBe('{"a":1,"b":[1,"x",true,false,null,{},[]],"c":{"d":"e","f":-7,"g":false,"h":null}}');
    expect<bool>(parseJson(w.toBytes()).ok).toBe(true);
  });

  it("escapes strings", () => {
    const w = new JsonWriter();
    w.string("q\"b\\s/\b\f\n\r\t\x00\x01\x1f\x7f é€😀");
    expect<string>(w.toString()).toBe('"q\\"b\\\\s/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\x7f é€😀"');
  });

  it("writes lone surrogates as U+FFFD (valid UTF-8 output)", () => {
    const lone = String.fromCharCode(0xD800) + "a" + String.fromCharCode(0xDC00);
    const w = new JsonWriter();
    w.beginArray().string(lone).endArray();
    expect<string>(w.toString()).toBe('["\uFFFDa\uFFFD"]');
    const r = parseJson(w.toBytes());
    expect<string>(r.value!.at(0)!.str()).toBe("\uFFFDa\uFFFD");
  });

  it("escapes keys", () => {
    const w = new JsonWriter();
    w.beginObject().key("a\"b").int(1).key("").int(2).endObject();
    expect<string>(w.toString()).toBe('{"a\\"b":1,"":2}');
  });

  it("stringFromBytes escapes and repairs UTF-8", () => {
    const w = new JsonWriter();
    w.beginArray()
      .stringFromBytes(utf8Encode("line1\nline2 \"q\" é"))
      .stringFromBytes(bytesOf([0x61, 0xFF, 0x62, 0xE2, 0x82, 0x63, 0xC3]))
      .stringFromBytes(utf8Encode("abcdef"), 2, 4)
      .endArray();
    expect<string>(w.toString()).toBe('["line1\\nline2 \\"q\\" é","a\uFFFDb\uFFFDc\uFFFD","cd"]');
    expect<bool>(parseJson(w.toBytes()).ok).toBe(true);
  });

  it("builds strings from parts", () => {
    const w = new JsonWriter();
    w.beginObject().key("t").openString().stringPart("a\n").stringPartBytes(utf8Encode("\"b")).closeString().endObject();
    expect<string>(w.toString()).toBe('{"t":"a\\n\\"b"}');
  });

  it("writes numbers", () => {
    const w = new JsonWriter();
    w.beginArray()
      .number(1.0).number(-2.0).number(0.5).number(1e21).number(1.5e-7).number(0.1)
      .number(NaN).number(Infinity).number(-Infinity).number(-0.0)
      .int(i64.MIN_VALUE).int(i64.MAX_VALUE).int(0)
      .number(9007199254740993.0).number(123456789.125)
      .endArray();
    expect<string>(w.toString()).toBe(
      "[1,-2,0.5,1e+21,1.5e-7,0.1,null,null,null,-0,-9223372036854775808,9223372036854775807,0,9007199254740992,123456789.125]");
    const r = parseJson(w.toBytes());
    expect<bool>(r.ok).toBe(true);
    expect<f64>(r.value!.at(5)!.asF64()).toBe(0.1);
    expect<f64>(r.value!.at(3)!.asF64()).toBe(1e21);
  });

  it("copies parsed values verbatim", () => {
    const src = parseJsonString('{"tools":[{"name":"a","input_schema":{"type":"object"}}], "k\\u00e9y": "v\\n", "n": 1.50}').value!;
    const w = new JsonWriter();
    w.beginObject();
    w.fieldRaw("tools", src.get("tools")!);
    w.keyFrom(src.keyAt(1)!).raw(src.at(1)!);
    w.keyRaw(src.keyAt(2)!.rawBytes()).raw(src.at(2)!);
    w.key("x").rawBytes(utf8Encode("[1,2]"));
    w.key("y").rawString("{}");
    w.endObject();
    expect<string>(w.toString()).toBe('{"tools":[{"name":"a","input_schema":{"type":"object"}}],"k\\u00e9y":"v\\n","n":1.50,"x":[1,2],"y":{}}');
  });

  it("keyBytes escapes UTF-8 key text", () => {
    const w = new JsonWriter();
    w.beginObject().keyBytes(utf8Encode("a\"b")).int(1).endObject();
    expect<string>(w.toString()).toBe('{"a\\"b":1}');
  });

  it("round-trips a document through parse -> rebuild", () => {
    const text = '{"a":[1,2,{"b":null}],"c":"d\\u0000e","f":true,"g":-0.25}';
    const v = parseJsonString(text).value!;
    const w = new JsonWriter();
    w.beginObject();
    const it = v.iter();
    while (it.next()) w.key(it.key!.str()).raw(it.value);
    w.endObject();
    expect<string>(w.toString()).toBe(text);
  });

  it("take() hands over the bytes and resets; reset() reuses", () => {
    const w = new JsonWriter(4);
    w.beginArray().string("a long enough string to force growth of the buffer").endArray();
    const b = w.take();
    expect<string>(utf8Decode(b)).toBe('["a long enough string to force growth of the buffer"]');
    expect<i32>(w.length).toBe(0);
    w.beginArray().int(1).endArray();
    expect<string>(w.toString()).toBe("[1]");
    expect<string>(utf8Decode(b)).toBe('["a long enough string to force growth of the buffer"]');
    w.reset();
    w.int(5);
    expect<string>(w.toString()).toBe("5");
  });

  it("tolerates misuse without trapping", () => {
    const w = new JsonWriter();
    w.endObject().endArray().endObject();
    w.beginArray();
    for (let i = 0; i < 100; i++) w.beginArray();
    for (let i = 0; i < 101; i++) w.endArray();
    expect<bool>(w.length > 0).toBe(true);
  });
});
