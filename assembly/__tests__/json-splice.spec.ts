import { replaceTopLevelString, spliceTopLevel, ObjectEdits, parseJsonString, parseJson } from "../json";
import { utf8Encode, utf8Decode } from "../bytes";

function splice(text: string, edits: ObjectEdits): string {
  const out = spliceTopLevel(utf8Encode(text), edits);
  if (out == null) return "<null>";
  expect<bool>(parseJson(out).ok).toBe(true);
  return utf8Decode(out);
}

describe("replaceTopLevelString", () => {
  it("rewrites only the model", () => {
    const body = '{"model":"gpt-4o", "messages":[{"role":"user","content":"hi \\"there\\""}],\n "stream":true}';
    const out = replaceTopLevelString(utf8Encode(body), "model", "claude-\"x\"");
    expect<string>(utf8Decode(out!)).toBe('{"model":"claude-\\"x\\"","messages":[{"role":"user","content":"hi \\"there\\""}],"stream":true}');
  });

  it("leaves nested fields of the same name alone and adds a missing key", () => {
    const body = '{"a":{"model":"inner"}}';
    const out = replaceTopLevelString(utf8Encode(body), "model", "m");
    expect<string>(utf8Decode(out!)).toBe('{"a":{"model":"inner"},"model":"m"}');
    expect<string>(utf8Decode(replaceTopLevelString(utf8Encode("{}"), "model", "m")!)).toBe('{"model":"m"}');
  });

  it("collapses duplicate keys into one", () => {
    const out = replaceTopLevelString(utf8Encode('{"model":"a","x":1,"model":"b"}'), "model", "c");
    expect<string>(utf8Decode(out!)).toBe('{"model":"c","x":1}');
  });

  it("refuses invalid or non-object bodies", () => {
    expect<bool>(replaceTopLevelString(utf8Encode('{"model":"a"'), "model", "b") == null).toBe(true);
    expect<bool>(replaceTopLevelString(utf8Encode('[1]'), "model", "b") == null).toBe(true);
    expect<bool>(replaceTopLevelString(utf8Encode(''), "model", "b") == null).toBe(true);
  });
});

describe("spliceTopLevel", () => {
  it("sets, removes and appends members", () => {
    const e = new ObjectEdits()
      .setString("model", "m2")
      .remove("stream_options")
      .setInt("max_tokens", 4096)
      .setBool("stream", false)
      .setRaw("metadata", utf8Encode('{"user_id":"u"}'));
    expect<string>(splice('{"model":"m1","stream":true,"stream_options":{"include_usage":true},"messages":[]}', e))
      .toBe('{"model":"m2","stream":false,"messages":[],"max_tokens":4096,"metadata":{"user_id":"u"}}');
  });

  it("removing an absent key is a no-op; later edits of a key replace earlier ones", () => {
    const e = new ObjectEdits().remove("nope").setInt("a", 1).setInt("a", 2);
    expect<i32>(e.length).toBe(2);
    expect<string>(splice('{"b":[1, 2]}', e)).toBe('{"b":[1, 2],"a":2}');
  });

  it("copies a parsed value with setValue", () => {
    const v = parseJsonString('{"x":{"y":[1,"z"]}}').value!.get("x")!;
    expect<string>(splice('{"a":1}', new ObjectEdits().setValue("x", v))).toBe('{"a":1,"x":{"y":[1,"z"]}}');
  });

  it("matches keys written with escapes", () => {
    expect<string>(splice('{"mod\\u0065l":"a","b":2}', new ObjectEdits().setString("model", "z")))
      .toBe('{"mod\\u0065l":"z","b":2}');
  });

  it("removing everything leaves an empty object", () => {
    expect<string>(splice('{"a":1,"b":2}', new ObjectEdits().remove("a").remove("b"))).toBe("{}");
  });
});
