// Typed reads of configuration JSON that record "field path: problem" errors instead of failing hard,
// so one pass reports the first problem with the exact field that caused it.
//
// Scalars are read the way Higress reads them (gjson's String(), Bool(), Int() on ai-proxy's fields), so an
// existing Higress configuration loads unchanged: a number or a boolean where a string is expected is its text
// (`"minimaxGroupId": 1` is "1"), "true"/"1"/"t" and "false"/"0"/"f" (any case) or a number where a boolean is
// expected are that boolean, a string of digits where a number is expected is that number, and a lone value
// where an array is expected is a one-item array. Each such read is logged as a warning naming the field. What
// gjson would turn into nonsense (an object as a string, "yes" as false, 1.5 as 1) stays an error.
import { JsonKind, JsonValue } from "../json";

export class ConfigErrors {
  messages: Array<string> = [];
  /** Not fatal: logged at configure time (e.g. fields Higress knows and we ignore). */
  warnings: Array<string> = [];
  add(path: string, problem: string): void {
    this.messages.push(path + ": " + problem);
  }
  warn(path: string, problem: string): void {
    this.warnings.push(path + ": " + problem);
  }
  get ok(): bool { return this.messages.length == 0; }
  first(): string { return this.messages.length > 0 ? this.messages[0] : ""; }
}

function kindName(v: JsonValue): string {
  switch (v.kind) {
    case JsonKind.Null: return "null";
    case JsonKind.Bool: return "a boolean";
    case JsonKind.Number: return "a number";
    case JsonKind.String: return "a string";
    case JsonKind.Array: return "an array";
    default: return "an object";
  }
}

/** Reads fields of one JSON object; `path` prefixes every error ("provider", "_rules_[2].provider"). */
export class FieldReader {
  constructor(public obj: JsonValue, public path: string, public errors: ConfigErrors) {}

  fieldPath(key: string): string { return this.path.length == 0 ? key : this.path + "." + key; }

  has(key: string): bool {
    const v = this.obj.get(key);
    return v !== null && !v.isNull();
  }

  /** A scalar read as text the way gjson's String() reads it; null (after an error) for objects and arrays. */
  private scalarText(v: JsonValue, path: string): string | null {
    if (v.kind == JsonKind.String) return v.str();
    if (v.kind == JsonKind.Number || v.kind == JsonKind.Bool) {
      // The value is not repeated: the field may hold a secret (apiTokens, auth keys).
      this.errors.warn(path, "is " + kindName(v) + ", read as its text (as Higress reads it)");
      return scalarAsText(v);
    }
    this.errors.add(path, "must be a string, got " + kindName(v));
    return null;
  }

  private typed(key: string, kind: JsonKind, expected: string): JsonValue | null {
    const v = this.obj.get(key);
    if (v === null || v.isNull()) return null;
    if (v.kind != kind) {
      this.errors.add(this.fieldPath(key), "must be " + expected + ", got " + kindName(v));
      return null;
    }
    return v;
  }

  str(key: string, def: string = ""): string {
    const v = this.obj.get(key);
    if (v === null || v.isNull()) return def;
    const text = this.scalarText(v, this.fieldPath(key));
    return text === null ? def : text;
  }

  /** A string restricted to `allowed` values. */
  oneOf(key: string, allowed: Array<string>, def: string): string {
    const s = this.str(key, def);
    if (!allowed.includes(s)) this.errors.add(this.fieldPath(key), "must be one of " + allowed.join(", ") + ", got \"" + s + "\"");
    return s;
  }

  bool(key: string, def: bool = false): bool {
    const v = this.obj.get(key);
    if (v === null || v.isNull()) return def;
    if (v.kind == JsonKind.Bool) return v.asBool(def);
    if (v.kind == JsonKind.String || v.kind == JsonKind.Number) {
      const b = v.kind == JsonKind.Number ? (v.asF64() != 0 ? 1 : 0) : parseBoolText(v.str());
      if (b >= 0) {
        this.errors.warn(this.fieldPath(key), "is " + kindName(v) + ", read as " + (b == 1 ? "true" : "false") + " (as Higress reads it)");
        return b == 1;
      }
    }
    this.errors.add(this.fieldPath(key), "must be a boolean, got " + kindName(v));
    return def;
  }

  /** A whole number in [min, max]. */
  int(key: string, def: i64, min: i64 = 0, max: i64 = 0x7FFFFFFF): i64 {
    const v = this.obj.get(key);
    if (v === null || v.isNull()) return def;
    let n: i64 = def;
    if (v.kind == JsonKind.String) {
      const text = v.str();
      if (!isIntegerText(text)) {
        this.errors.add(this.fieldPath(key), "must be a number, got a string");
        return def;
      }
      n = I64.parseInt(text);
      this.errors.warn(this.fieldPath(key), "is a string, read as the number " + n.toString() + " (as Higress reads it)");
    } else if (v.kind != JsonKind.Number) {
      this.errors.add(this.fieldPath(key), "must be a number, got " + kindName(v));
      return def;
    } else if (!v.isInteger()) {
      this.errors.add(this.fieldPath(key), "must be a whole number, got " + v.rawString());
      return def;
    } else n = v.asI64(def);
    if (n < min || n > max) {
      this.errors.add(this.fieldPath(key), "must be between " + min.toString() + " and " + max.toString() + ", got " + n.toString());
      return def;
    }
    return n;
  }

  object(key: string): JsonValue | null { return this.typed(key, JsonKind.Object, "an object"); }
  array(key: string): JsonValue | null { return this.typed(key, JsonKind.Array, "an array"); }

  /** An object nested under `key`, as a reader with the right path. */
  child(key: string): FieldReader | null {
    const v = this.object(key);
    return v === null ? null : new FieldReader(v, this.fieldPath(key), this.errors);
  }

  /** An array of objects under `key`, each as a reader with its path (`key[i]`); null when the key is absent. */
  objects(key: string): Array<FieldReader> | null {
    const arr = this.array(key);
    if (arr === null) return null;
    const out = new Array<FieldReader>();
    for (let i = 0, n = arr.length; i < n; i++) {
      const item = arr.at(i);
      const itemPath = this.fieldPath(key) + "[" + i.toString() + "]";
      if (item === null || !item.isObject()) {
        this.errors.add(itemPath, "must be an object");
        continue;
      }
      out.push(new FieldReader(item, itemPath, this.errors));
    }
    return out;
  }

  strArray(key: string): Array<string> {
    const out = new Array<string>();
    const v = this.obj.get(key);
    if (v === null || v.isNull()) return out;
    if (!v.isArray()) {
      // gjson's Array() of a lone value is that value.
      const text = this.scalarText(v, this.fieldPath(key));
      if (text !== null) {
        this.errors.warn(this.fieldPath(key), "is not an array, read as a one-item array (as Higress reads it)");
        out.push(text);
      }
      return out;
    }
    for (let i = 0, n = v.length; i < n; i++) {
      const item = v.at(i);
      if (item === null) continue;
      const text = this.scalarText(item, this.fieldPath(key) + "[" + i.toString() + "]");
      if (text !== null) out.push(text);
    }
    return out;
  }

  /** Object of string → string, keys in document order (later duplicates win). */
  strMap(key: string): Array<Array<string>> {
    const out = new Array<Array<string>>();
    const obj = this.object(key);
    if (obj === null) return out;
    for (let i = 0, n = obj.length; i < n; i++) {
      const k = obj.keyAt(i);
      const v = obj.at(i);
      if (k === null || v === null) continue;
      const name = k.str();
      const text = this.scalarText(v, this.fieldPath(key) + "." + name);
      if (text !== null) out.push([name, text]);
    }
    return out;
  }

  /** Warnings for keys not in `known`: Higress ignores unknown fields, so we accept them but say so. */
  warnUnknown(known: Array<string>): void {
    for (let i = 0, n = this.obj.length; i < n; i++) {
      const k = this.obj.keyAt(i);
      if (k === null) continue;
      const name = k.str();
      if (!known.includes(name)) this.errors.warn(this.fieldPath(name), "unknown field, ignored");
    }
  }
}

/**
 * A number or boolean as gjson's String() writes it: a plain integer keeps its source text, a whole number written
 * otherwise (`1e3`, `2.0`) is written as an integer, booleans are true/false. Other numbers keep their source text
 * (gjson would print Go's shortest decimal: the same for `1.5`, not for `1.50` or `1.25e-1`).
 */
export function scalarAsText(v: JsonValue): string {
  if (v.kind == JsonKind.Bool) return v.asBool() ? "true" : "false";
  if (v.kind != JsonKind.Number) return "";
  const raw = v.rawString();
  if (isIntegerText(raw)) return raw;
  const f = v.asF64();
  if (Math.abs(f) < 9007199254740992 && f == Math.trunc(f)) return (<i64>f).toString();
  return raw;
}

/** An optional "-" and one or more ASCII digits, as gjson's parseInt takes them (at most 18 digits here). */
function isIntegerText(s: string): bool {
  let i = s.startsWith("-") ? 1 : 0;
  if (i >= s.length || s.length - i > 18) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Go's strconv.ParseBool of the lower-cased text, as gjson's Bool() reads a string: 1, 0, or -1 (not a boolean). */
function parseBoolText(s: string): i32 {
  const t = s.toLowerCase();
  if (t == "1" || t == "t" || t == "true") return 1;
  if (t == "0" || t == "f" || t == "false") return 0;
  return -1;
}
