// modelMapping: requested model name → upstream model name.
// Order (deterministic, unlike Higress's map iteration): exact key, then prefix keys ending in "*"
// (longest prefix first), then "~regex" keys in configuration order, then "*". An empty target keeps
// the requested name. Regex keys use Go's ReplaceAllString semantics, as Higress does.
import { Regex } from "../regex";
import { parseModelPattern, PATTERN_ANY, PATTERN_PREFIX, PATTERN_REGEX } from "./model-patterns";

class PrefixRule {
  constructor(public prefix: string, public target: string, public tag: i32) {}
}
class RegexRule {
  constructor(public regex: Regex, public target: string, public tag: i32) {}
}

export class ModelMapping {
  private exact: Map<string, string> = new Map();
  /** Exact keys in configuration order and their tags (linear lookups: only routing tables use tags). */
  private exactKeyList: Array<string> = [];
  private exactTags: Array<i32> = [];
  private prefixes: Array<PrefixRule> = [];
  private regexes: Array<RegexRule> = [];
  private hasWildcard: bool = false;
  private wildcard: string = "";
  private wildcardTag: i32 = -1;

  get isEmpty(): bool {
    return this.exact.size == 0 && this.prefixes.length == 0 && this.regexes.length == 0 && !this.hasWildcard;
  }

  /** Adds one configured entry (`tag` names it for matchTag); returns an error message (empty when fine). */
  add(key: string, target: string, tag: i32 = -1): string {
    const p = parseModelPattern(key);
    if (p.error.length) return p.error;
    if (p.kind == PATTERN_ANY) {
      this.hasWildcard = true;
      this.wildcard = target;
      this.wildcardTag = tag;
    } else if (p.kind == PATTERN_REGEX) {
      this.regexes.push(new RegexRule(p.regex!, target, tag));
    } else if (p.kind == PATTERN_PREFIX) {
      const prefix = p.text;
      // Keep longest-first so "gpt-4o-*" wins over "gpt-*" whatever the config order.
      const list = this.prefixes;
      list.push(new PrefixRule(prefix, target, tag));
      for (let i = list.length - 1; i > 0 && list[i - 1].prefix.length < prefix.length; i--) {
        const t = list[i - 1];
        list[i - 1] = list[i];
        list[i] = t;
      }
    } else {
      if (!this.exact.has(key)) {
        this.exactKeyList.push(key);
        this.exactTags.push(tag);
      } else this.exactTags[this.exactKeyList.indexOf(key)] = tag;
      this.exact.set(key, target);
    }
    return "";
  }

  /** The tag of the entry map() would apply to `model` (same order), or -1 when none matches. */
  matchTag(model: string): i32 {
    if (this.exact.has(model)) return this.exactTags[this.exactKeyList.indexOf(model)];
    for (let i = 0; i < this.prefixes.length; i++) if (model.startsWith(this.prefixes[i].prefix)) return this.prefixes[i].tag;
    for (let i = 0; i < this.regexes.length; i++) if (this.regexes[i].regex.find(model) !== null) return this.regexes[i].tag;
    return this.hasWildcard ? this.wildcardTag : -1;
  }

  /** Exact keys in configuration order (the names a client can use as they are). */
  exactKeys(): Array<string> {
    return this.exactKeyList;
  }

  /** The upstream model for `model`; `model` itself when nothing matches or the target is empty. */
  map(model: string, withWildcard: bool = true): string {
    if (this.exact.has(model)) return orKeep(this.exact.get(model), model);
    for (let i = 0; i < this.prefixes.length; i++) {
      const p = this.prefixes[i];
      if (model.startsWith(p.prefix)) return orKeep(p.target, model);
    }
    for (let i = 0; i < this.regexes.length; i++) {
      const r = this.regexes[i];
      if (r.regex.find(model) !== null) return orKeep(r.regex.replaceAll(model, r.target), model);
    }
    if (this.hasWildcard && withWildcard) return orKeep(this.wildcard, model);
    return model;
  }
}

@inline function orKeep(target: string, model: string): string {
  return target.length == 0 ? model : target;
}
