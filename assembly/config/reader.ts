// Typed reads of configuration JSON that record "field path: problem" errors instead of failing hard,
// so one pass reports the first problem with the exact field that caused it.
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
    const v = this.typed(key, JsonKind.String, "a string");
    return v === null ? def : v.str();
  }

  /** A string restricted to `allowed` values. */
  oneOf(key: string, allowed: Array<string>, def: string): string {
    const s = this.str(key, def);
    if (!allowed.includes(s)) this.errors.add(this.fieldPath(key), "must be one of " + allowed.join(", ") + ", got \"" + s + "\"");
    return s;
  }

  bool(key: string, def: bool = false): bool {
    const v = this.typed(key, JsonKind.Bool, "a boolean");
    return v === null ? def : v.asBool(def);
  }

  /** A whole number in [min, max]. */
  int(key: string, def: i64, min: i64 = 0, max: i64 = 0x7FFFFFFF): i64 {
    const v = this.typed(key, JsonKind.Number, "a number");
    if (v === null) return def;
    if (!v.isInteger()) {
      this.errors.add(this.fieldPath(key), "must be a whole number, got " + v.rawString());
      return def;
    }
    const n = v.asI64(def);
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
    const arr = this.array(key);
    if (arr === null) return out;
    for (let i = 0, n = arr.length; i < n; i++) {
      const item = arr.at(i);
      if (item === null || !item.isString()) {
        this.errors.add(this.fieldPath(key) + "[" + i.toString() + "]", "must be a string");
        continue;
      }
      out.push(item.str());
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
      if (!v.isString()) {
        this.errors.add(this.fieldPath(key) + "." + name, "must be a string");
        continue;
      }
      out.push([name, v.str()]);
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
