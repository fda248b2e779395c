// The model pattern syntax of modelMapping keys, consumer allow-lists and price rows: "*", "prefix*", "~regex" or
// an exact name. ModelMapping (model-mapping.ts) orders its keys by kind; ModelPatterns keeps configuration order
// (first match wins: price rows and allow-lists are ordered by the operator).
import { Regex } from "../regex";

export const PATTERN_EXACT: u8 = 0;
export const PATTERN_PREFIX: u8 = 1;
export const PATTERN_REGEX: u8 = 2;
export const PATTERN_ANY: u8 = 3;

export class ModelPattern {
  kind: u8 = PATTERN_EXACT;
  /** The exact name, or the prefix without its "*". */
  text: string = "";
  regex: Regex | null = null;
  /** An invalid regex, else "". */
  error: string = "";

  matches(model: string): bool {
    const k = this.kind;
    if (k == PATTERN_ANY) return true;
    if (k == PATTERN_EXACT) return this.text == model;
    if (k == PATTERN_PREFIX) return model.startsWith(this.text);
    const re = this.regex;
    return re !== null && re.find(model) !== null;
  }
}

export function parseModelPattern(p: string): ModelPattern {
  const out = new ModelPattern();
  out.text = p;
  if (p == "*") out.kind = PATTERN_ANY;
  else if (p.startsWith("~")) {
    const compiled = Regex.compile(p.substring(1));
    if (compiled.regex === null) out.error = "invalid regular expression \"" + p + "\": " + compiled.error;
    out.regex = compiled.regex;
    out.kind = PATTERN_REGEX;
  } else if (p.endsWith("*")) {
    out.kind = PATTERN_PREFIX;
    out.text = p.substring(0, p.length - 1);
  }
  return out;
}

export class ModelPatterns {
  private list: Array<ModelPattern> = [];

  get length(): i32 { return this.list.length; }

  /** Adds a pattern; an error message for an invalid regex, else "". */
  add(p: string): string {
    const parsed = parseModelPattern(p);
    if (parsed.error.length == 0) this.list.push(parsed);
    return parsed.error;
  }

  /** Index of the first pattern matching `model`, or -1. */
  match(model: string): i32 {
    for (let i = 0; i < this.list.length; i++) if (this.list[i].matches(model)) return i;
    return -1;
  }
}
