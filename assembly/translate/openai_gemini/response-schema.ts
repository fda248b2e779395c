// Whether a JSON Schema can go to Gemini as `generationConfig.responseSchema` unchanged: Google's Schema object, a
// subset of OpenAPI 3.0 (https://ai.google.dev/api/caching#Schema, Vertex AI's
// https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/Schema), which every Gemini model takes;
// `responseJsonSchema` (full JSON Schema) only Gemini 2.5 and later. A schema fits when every keyword, through
// properties/items/anyOf, is one of the Schema object's fields with a value of that field's kind, in a shape Gemini
// takes (see the end of fits()); anything else ($ref, $defs, additionalProperties, const, oneOf, type arrays, "null"…)
// keeps the schema on responseJsonSchema, so no keyword is ever dropped. Type names in any case (Google's own function
// calling examples use "object", "string").

import { JsonValue } from "../../json/value";

/** Schema nesting followed before giving up (the request parser already bounds JSON depth; this bounds the stack). */
const MAX_LEVELS = 32;

/** Google's Type names, lower-case (matched in any case); ARRAY and OBJECT last. */
const TYPES: Array<string> = ["string", "number", "integer", "boolean", "array", "object"];
const ARRAY = 4, OBJECT = 5;

/** The Schema object's fields, grouped by the kind of value they take (see fits()). */
const FIELDS: Array<string> = [
  "type", "items", "properties", "anyOf", "nullable", "minimum", "maximum",
  "format", "title", "description", "pattern", // strings: 7-10
  "enum", "required", "propertyOrdering", // lists of strings: 11-13
  "maxItems", "minItems", "minLength", "maxLength", "minProperties", "maxProperties", // counts: 14-19
  "example", "default", // any value
];

export function fitsResponseSchema(v: JsonValue): bool {
  return fits(v, 0);
}

function fits(v: JsonValue, level: i32): bool {
  if (!v.isObject() || level >= MAX_LEVELS) return false;
  let type = -1, anyOf = false, hasItems = false, hasProperties = false, objectOnly = false;
  const it = v.iter();
  while (it.next()) {
    const x = it.value;
    let f = 0;
    while (f < FIELDS.length && !it.key!.equals(unchecked(FIELDS[f]))) f++;
    if (f == FIELDS.length) return false;
    // properties, required, propertyOrdering, min/maxProperties: OBJECT fields only.
    if (f == 2 || f == 12 || f == 13 || f == 18 || f == 19) objectOnly = true;
    if (f == 0) {
      type = typeIndex(x);
      if (type < 0) return false;
    } else if (f == 1) {
      if (!fits(x, level + 1)) return false;
      hasItems = true;
    } else if (f == 2 || f == 3) {
      // properties: an object of schemas; anyOf: a non-empty array of schemas (a type of its own).
      if (f == 2 ? !x.isObject() : !x.isArray() || x.length == 0) return false;
      const p = x.iter();
      while (p.next()) if (!fits(p.value, level + 1)) return false;
      if (f == 2) hasProperties = x.length > 0;
      else anyOf = true;
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
  // What Gemini refuses in a Schema and JSON Schema takes stays JSON Schema: a node with neither type nor anyOf, an
  // OBJECT without properties ("should be non-empty for OBJECT type"), object fields on another type ("only allowed for
  // OBJECT type"), an ARRAY without items ("items: missing field"); items only on an ARRAY.
  if (type == OBJECT) return hasProperties && !hasItems;
  if (type == ARRAY) return hasItems && !objectOnly;
  return (type >= 0 || anyOf) && !objectOnly && !hasItems;
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
