// modelMapping: requested model name → upstream model name.
// Order (deterministic, unlike Higress's map iteration): exact key, then prefix keys ending in "*"
// (longest prefix first), then "~regex" keys in configuration order, then "*". An empty target keeps
// the requested name. Regex keys use Go's ReplaceAllString semantics, as Higress does.
import { Regex } from "../regex";

class PrefixRule {
  constructor(public prefix: string, public target: string) {}
}
class RegexRule {
  constructor(public regex: Regex, public target: string) {}
}

export class ModelMapping {
  private exact: Map<string, string> = new Map();
  private prefixes: Array<PrefixRule> = [];
  private regexes: Array<RegexRule> = [];
  private hasWildcard: bool = false;
  private wildcard: string = "";

  get isEmpty(): bool {
    return this.exact.size == 0 && this.prefixes.length == 0 && this.regexes.length == 0 && !this.hasWildcard;
  }

  /** Adds one configured entry; returns an error message (empty when fine). */
  add(key: string, target: string): string {
    if (key == "*") {
      this.hasWildcard = true;
      this.wildcard = target;
    } else if (key.startsWith("~")) {
      const compiled = Regex.compile(key.substring(1));
      const re = compiled.regex;
      if (re === null) return "invalid regular expression \"" + key + "\": " + compiled.error;
      this.regexes.push(new RegexRule(re, target));
    } else if (key.endsWith("*")) {
      const prefix = key.substring(0, key.length - 1);
      // Keep longest-first so "gpt-4o-*" wins over "gpt-*" whatever the config order.
      const list = this.prefixes;
      list.push(new PrefixRule(prefix, target));
      for (let i = list.length - 1; i > 0 && list[i - 1].prefix.length < prefix.length; i--) {
        const t = list[i - 1];
        list[i - 1] = list[i];
        list[i] = t;
      }
    } else {
      this.exact.set(key, target);
    }
    return "";
  }

  /** The upstream model for `model`; `model` itself when nothing matches or the target is empty. */
  map(model: string): string {
    if (this.exact.has(model)) return orKeep(this.exact.get(model), model);
    for (let i = 0; i < this.prefixes.length; i++) {
      const p = this.prefixes[i];
      if (model.startsWith(p.prefix)) return orKeep(p.target, model);
    }
    for (let i = 0; i < this.regexes.length; i++) {
      const r = this.regexes[i];
      if (r.regex.find(model) !== null) return orKeep(r.regex.replaceAll(model, r.target), model);
    }
    if (this.hasWildcard) return orKeep(this.wildcard, model);
    return model;
  }
}

@inline function orKeep(target: string, model: string): string {
  return target.length == 0 ? model : target;
}
