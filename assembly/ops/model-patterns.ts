// Model patterns as modelMapping writes its keys (mapping/model-mapping.ts): "*", "prefix*", "~regex" or an exact
// name. First match in configuration order wins (price rows and allow-lists are ordered by the operator).
import { Regex } from "../regex";

export class ModelPatterns {
  private kinds: Array<u8> = []; // 0 exact, 1 prefix, 2 regex, 3 any
  private texts: Array<string> = [];
  private regexes: Array<Regex | null> = [];

  get length(): i32 { return this.kinds.length; }

  /** Adds a pattern; an error message for an invalid regex, else "". */
  add(p: string): string {
    let kind: u8 = 0;
    let re: Regex | null = null;
    let text = p;
    if (p == "*") kind = 3;
    else if (p.startsWith("~")) {
      const compiled = Regex.compile(p.substring(1));
      if (compiled.regex === null) return "invalid regular expression \"" + p + "\": " + compiled.error;
      re = compiled.regex;
      kind = 2;
    } else if (p.endsWith("*")) {
      kind = 1;
      text = p.substring(0, p.length - 1);
    }
    this.kinds.push(kind);
    this.texts.push(text);
    this.regexes.push(re);
    return "";
  }

  /** Index of the first pattern matching `model`, or -1. */
  match(model: string): i32 {
    for (let i = 0; i < this.kinds.length; i++) {
      const k = this.kinds[i];
      if (k == 3) return i;
      if (k == 0 && this.texts[i] == model) return i;
      if (k == 1 && model.startsWith(this.texts[i])) return i;
      if (k == 2) {
        const re = this.regexes[i];
        if (re !== null && re.find(model) !== null) return i;
      }
    }
    return -1;
  }
}
