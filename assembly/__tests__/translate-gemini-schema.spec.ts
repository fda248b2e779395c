// OpenAI response_format → Gemini generationConfig: a schema within Google's Schema object (an OpenAPI 3.0 subset,
// https://ai.google.dev/api/caching#Schema, taken by every Gemini model) goes as responseSchema, unchanged; any other
// JSON Schema as responseJsonSchema (https://ai.google.dev/gemini-api/docs/structured-output, Gemini 2.5+). Exact
// upstream bytes; generationConfig is always sent ({} when empty); deep schemas never trap.
import { Protocol, TranslateOptions, translateRequest, RequestResult } from "../translate";
import { utf8Encode, utf8Decode } from "../bytes";

function opts(): TranslateOptions { const o = new TranslateOptions(); o.model = "gemini-2.0-flash"; return o; }
function o2g(body: string): RequestResult { return translateRequest(Protocol.OpenAI, Protocol.Gemini, utf8Encode(body), opts()); }
const HEAD = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
const CONTENTS = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]";
/** The upstream body for a response_format holding `schema` as json_schema.schema. */
function withSchema(schema: string): RequestResult {
  return o2g(HEAD + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"x\",\"strict\":true,\"schema\":" + schema + "}}}");
}
function expectSent(r: RequestResult, field: string, schema: string): void {
  expect<bool>(r.ok).toBe(true);
  expect<string>(utf8Decode(r.body)).toBe(CONTENTS + ",\"generationConfig\":{\"responseMimeType\":\"application/json\",\"" + field + "\":" + schema + "}}");
}
function nested(levels: i32, leaf: string): string {
  return "{\"type\":\"array\",\"items\":".repeat(levels) + leaf + "}".repeat(levels);
}

describe("OpenAI → Gemini generationConfig", () => {
  it("is sent empty when nothing goes into it", () => {
    const r = o2g(HEAD + "}");
    expect<bool>(r.ok).toBe(true);
    expect<string>(utf8Decode(r.body)).toBe(CONTENTS + ",\"generationConfig\":{}}");
  });

  it("sends a schema within Google's Schema object as responseSchema, unchanged", () => {
    const simple = "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}";
    expectSent(withSchema(simple), "responseSchema", simple);
    // Every Schema field, type names in any case, anyOf, nullable, counts and bounds.
    const full = "{\"type\":\"OBJECT\",\"title\":\"T\",\"description\":\"D\",\"nullable\":false,\"minProperties\":1,\"maxProperties\":3," +
      "\"properties\":{\"s\":{\"type\":\"String\",\"format\":\"date-time\",\"minLength\":1,\"maxLength\":9,\"pattern\":\"^a\",\"example\":\"a\",\"default\":\"b\"}," +
      "\"e\":{\"type\":\"string\",\"enum\":[\"x\",\"y\"]},\"n\":{\"type\":\"number\",\"minimum\":-1.5,\"maximum\":2e3}," +
      "\"l\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"},\"minItems\":0,\"maxItems\":4},\"u\":{\"anyOf\":[{\"type\":\"boolean\"},{\"type\":\"string\",\"nullable\":true}]}}," +
      "\"required\":[\"s\"],\"propertyOrdering\":[\"s\",\"e\",\"n\",\"l\",\"u\"]}";
    expectSent(withSchema(full), "responseSchema", full);
    // A response_format that is itself a schema (Higress's direct form).
    const city = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
    expectSent(o2g(HEAD + ",\"response_format\":" + city + "}"), "responseSchema", city);
  });

  it("keeps every other JSON Schema on responseJsonSchema", () => {
    const schemas = [
      "{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"#/$defs/A\"}},\"$defs\":{\"A\":{\"type\":\"string\"}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},\"additionalProperties\":false}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":[\"string\",\"null\"]}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"null\"}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"const\":\"x\",\"type\":\"string\"}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"oneOf\":[{\"type\":\"string\"}]}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\",\"enum\":[1,2]}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":1.5}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"enum\":[\"x\"]}}}",
      "{\"type\":\"object\",\"properties\":{}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"array\"}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"required\":[\"b\"]}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\",\"items\":{\"type\":\"string\"}}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[{\"type\":\"string\"}],\"properties\":{\"b\":{\"type\":\"string\"}}}}}",
      "{\"type\":\"object\",\"properties\":{\"a\":{\"description\":\"untyped\"}}}",
      "{\"type\":\"object\"}",
      "{\"type\":\"strings\",\"properties\":{\"a\":{\"type\":\"string\"}}}",
    ];
    for (let i = 0; i < schemas.length; i++) expectSent(withSchema(schemas[i]), "responseJsonSchema", schemas[i]);
  });

  it("never traps on deep schemas", () => {
    const shallow = nested(20, "{\"type\":\"string\"}");
    expectSent(withSchema(shallow), "responseSchema", shallow);
    // Deeper than the Schema check follows (still within the request parser's bound): JSON Schema, as sent.
    const deep = nested(40, "{\"type\":\"string\"}");
    expectSent(withSchema(deep), "responseJsonSchema", deep);
    // Beyond the parser's bound: a 400, as any too-deep request.
    const r = withSchema(nested(100000, "{}"));
    expect<bool>(r.ok).toBe(false);
    expect<i32>(r.errorStatus).toBe(400);
  });

  it("refuses a malformed json_schema naming it", () => {
    const r = o2g(HEAD + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":\"invalid\"}}");
    expect<bool>(r.ok).toBe(false);
    expect<i32>(r.errorStatus).toBe(400);
    expect<string>(r.errorMessage).toBe("invalid response_format.json_schema: must be an object, got a string");
  });
});
