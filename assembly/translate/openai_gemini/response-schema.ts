// Whether a JSON Schema can go to Gemini as `generationConfig.responseSchema` unchanged: Google's Schema object, a
// subset of OpenAPI 3.0 (https://ai.google.dev/api/caching#Schema, Vertex AI's
// https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/Schema), which every Gemini model takes;
// `responseJsonSchema` (full JSON Schema) only Gemini 2.5 and later. A schema fits when every keyword, through
// properties/items/anyOf, is one of the Schema object's fields with a value of that field's kind; anything else
// ($ref, $defs, additionalProperties, const, oneOf, type arrays, "null"…) keeps the schema on responseJsonSchema, so no
// keyword is ever dropped. Type names in any case (Google's own examples use "object", "string").

import { JsonValue } from "../../json/value";

/** Schema nesting followed before giving up (the request parser already bounds JSON depth; this bounds the stack). */
const MAX_LEVELS = 32;

/** Google's Type names, lower-case (matched in any case); OBJECT last. */
const TYPES: Array<string> = ["string", "number", "integer", "boolean", "array", "object"];

/** The Schema object's fields, grouped by the kind of value they take (see fits()). */
const FIELDS: Array<string> = [
  "type", "items", "properties", "anyOf", "nullable", "minimum", "maximum",
  "format", "title", "description", "pattern", // strings: 7-10
  "enum", "required", "propertyOrdering", // lists of strings: 11-13
  "maxItems", "minItems", "minProperties", "maxProperties", "minLength", "maxLength", // counts: 14-19
  "example", "default", // any value
];

export function fitsResponseSchema(v: JsonValue): bool {
  return fits(v, 0);
}

function fits(v: JsonValue, level: i32): bool {
  if (!v.isObject() || level >= MAX_LEVELS) return false;
  let typed = false, object = false, hasProperties = false;
  const it = v.iter();
  while (it.next()) {
    const x = it.value;
    let f = 0;
    while (f < FIELDS.length && !it.key!.equals(unchecked(FIELDS[f]))) f++;
    if (f == FIELDS.length) return false;
    if (f == 0) {
      const t = typeIndex(x);
      if (t < 0) return false;
      typed = true;
      object = t == TYPES.length - 1;
    } else if (f == 1) {
      if (!fits(x, level + 1)) return false;
    } else if (f == 2 || f == 3) {
      // properties: an object of schemas; anyOf: a non-empty array of schemas (a type of its own).
      if (f == 2 ? !x.isObject() : !x.isArray() || x.length == 0) return false;
      const p = x.iter();
      while (p.next()) if (!fits(p.value, level + 1)) return false;
      if (f == 2) hasProperties = x.length > 0;
      else typed = true;
    } else if (f == 4) {
      if (!x.isBool()) return false;
    } else if (f <= 6) {
      if (!x.isNumber()) return false;
    } else if (f <= 10) {
      if (!x.isString()) return false;
    } else if (f <= 13) {
      if (!x.isArray()) return false;
      const s = x.iter();
      while (s.next()) if (!s.value.isString()) return false;
    } else if (f <= 19) {
      if (!x.isInteger() || x.asI64(-1) < 0) return false;
    }
  }
  // The Gemini API's Schema requires a type, and refuses an OBJECT without properties ("should be non-empty for
  // OBJECT type"); JSON Schema takes both, so such schemas stay JSON Schema.
  return typed && (!object || hasProperties);
}

/** Index of string `v` in TYPES, ASCII case ignored; -1 when none. */
function typeIndex(v: JsonValue): i32 {
  if (!v.isString()) return -1;
  const b = v.strBytes();
  for (let i = 0; i < TYPES.length; i++) {
    const name = TYPES[i];
    if (name.length != b.length) continue;
    let j = 0;
    for (; j < b.length; j++) {
      const c = <i32>b[j];
      if ((c >= 0x41 && c <= 0x5A ? c + 0x20 : c) != name.charCodeAt(j)) break;
    }
    if (j == b.length) return i;
  }
  return -1;
}
