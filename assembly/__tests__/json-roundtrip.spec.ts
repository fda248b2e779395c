import { parseJson, JsonWriter, JsonValue, JsonKind } from "../json";
import { utf8Decode } from "../bytes";

// Deterministic LCG so failures reproduce.
let seed: u32 = 12345;
function rnd(n: i32): i32 {
  seed = seed * 1103515245 + 12345;
  return <i32>((seed >>> 8) % <u32>n);
}

const PIECES: string[] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "é", "€", "😀", "\u2028", "model", "{", "]"];

function randomString(): string {
  let s = "";
  const n = rnd(8);
  for (let i = 0; i < n; i++) s += PIECES[rnd(PIECES.length)];
  return s;
}

function randomValue(w: JsonWriter, depth: i32): void {
  const k = depth > 4 ? rnd(4) : rnd(6);
  if (k == 0) w.null();
  else if (k == 1) w.bool(rnd(2) == 1);
  else if (k == 2) {
    const r = rnd(4);
    if (r == 0) w.int(<i64>rnd(1000000) - 500000);
    else if (r == 1) w.number(<f64>rnd(100000) / 64.0);
    else if (r == 2) w.number(<f64>rnd(1000) * 1e300);
    else w.number(0.1 * <f64>rnd(1000));
  } else if (k == 3) w.string(randomString());
  else if (k == 4) {
    w.beginArray();
    const n = rnd(5);
    for (let i = 0; i < n; i++) randomValue(w, depth + 1);
    w.endArray();
  } else {
    w.beginObject();
    const n = rnd(5);
    for (let i = 0; i < n; i++) { w.key(randomString()); randomValue(w, depth + 1); }
    w.endObject();
  }
}

/** Rebuilds `v` through the decoded accessors (not raw copies). */
function rebuild(w: JsonWriter, v: JsonValue): void {
  const k = v.kind;
  if (k == JsonKind.Null) w.null();
  else if (k == JsonKind.Bool) w.bool(v.asBool());
  else if (k == JsonKind.Number) {
    if (v.isInteger()) w.int(v.asI64()); else w.number(v.asF64());
  } else if (k == JsonKind.String) w.string(v.str());
  else if (k == JsonKind.Array) {
    w.beginArray();
    for (let i = 0; i < v.length; i++) rebuild(w, v.at(i)!);
    w.endArray();
  } else {
    w.beginObject();
    const it = v.iter();
    while (it.next()) { w.key(it.key!.str()); rebuild(w, it.value); }
    w.endObject();
  }
}

describe("round trips", () => {
  it("writer -> parser -> writer is the identity on 500 random documents", () => {
    for (let i = 0; i < 500; i++) {
      const w = new JsonWriter();
      randomValue(w, 0);
      const bytes = w.toBytes();
      const r = parseJson(bytes);
      if (!r.ok) trace(r.error + " in " + utf8Decode(bytes));
      expect<bool>(r.ok).toBe(true);
      const w2 = new JsonWriter();
      rebuild(w2, r.value!);
      expect<string>(w2.toString()).toBe(w.toString());
      // And the raw copy is byte-identical.
      const w3 = new JsonWriter();
      w3.raw(r.value!);
      expect<string>(w3.toString()).toBe(w.toString());
    }
  });

  it("random bytes never trap", () => {
    const alphabet: u8[] = [0x7B, 0x7D, 0x5B, 0x5D, 0x22, 0x5C, 0x3A, 0x2C, 0x20, 0x31, 0x2D, 0x2E, 0x65, 0x74, 0x6E, 0x75, 0x00, 0xC3, 0xA9, 0xF0, 0x9F, 0xFF];
    let oks = 0;
    for (let i = 0; i < 3000; i++) {
      const n = rnd(24);
      const b = new Uint8Array(n);
      for (let j = 0; j < n; j++) b[j] = alphabet[rnd(alphabet.length)];
      const r = parseJson(b);
      if (r.ok) { oks++; const w = new JsonWriter(); rebuild(w, r.value!); }
      else expect<bool>(r.error.length > 0).toBe(true);
    }
    expect<bool>(oks >= 0).toBe(true);
  });
});
