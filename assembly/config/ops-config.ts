// The operations layer's configuration (top-level fields next to `provider`): consumers with virtual keys,
// budgets and limits, the price table, tags and end users, redaction, the response cache, base paths.
// Read with the shared FieldReader so errors name the field; secrets (keys) are hashed as they are read.
import { FieldReader } from "./reader";
import { ModelPatterns } from "../ops/model-patterns";
import { hashKeyHex, isSha256Hex } from "../ops/key-hash";
import { Regex } from "../regex";
import { ByteBuffer } from "../bytes/buffer";
import { escapeBytesInto } from "../json";

export const OPS_FIELDS: Array<string> = ["consumers", "pricing", "tags", "redaction", "cache", "basePaths"];

export class Consumer {
  name: string = "";
  /** Lower-case hex SHA-256 of the virtual key (the key itself is never kept). */
  keyHash: string = "";
  models: ModelPatterns = new ModelPatterns();
  /** Budget over `budgetWindowSeconds`: tokens (input + output, cached included) and cost (micro-USD); 0 = none. */
  budgetTokens: i64 = 0;
  budgetMicroUsd: i64 = 0;
  budgetWindowSeconds: i64 = 86400;
  requestsPerMinute: i64 = 0;
  tokensPerMinute: i64 = 0;
  /** Metric label (sanitised name). */
  label: string = "";
}

/** USD per million tokens, stored as micro-USD per million tokens (= micro-USD per token × 1e6). */
export class Price {
  constructor(public pattern: string, public input: f64, public output: f64, public cacheRead: f64, public cacheWrite: f64) {}
}

export class RedactionRule {
  constructor(public name: string, public regex: Regex | null, public builtin: i32) {}
}

export class OpsConfig {
  consumers: Array<Consumer> = [];
  /** Base paths stripped from :path before anything else (`/anthropic` for ANTHROPIC_BASE_URL=http://gw/anthropic). */
  basePaths: Array<string> = [];
  /** Configured rows first, then the built-in table. */
  prices: Array<Price> = [];
  pricePatterns: ModelPatterns = new ModelPatterns();
  tagHeaders: Array<string> = [];
  /** Allowed tag values (metric labels); anything else is counted as "other". Empty: every tag is "other". */
  tagAllow: Array<string> = [];
  /** Allowed end users as metric labels; others are "other" (the access log still carries the real one). */
  userAllow: Array<string> = [];
  redaction: Array<RedactionRule> = [];
  redactionReplacement: string = "[REDACTED]";
  replacementBytes: Uint8Array = Uint8Array.wrap(String.UTF8.encode("[REDACTED]"));
  /** The replacement as JSON string content (escaped), for redaction inside raw JSON. */
  replacementJson: Uint8Array = Uint8Array.wrap(String.UTF8.encode("[REDACTED]"));
  /** No configured patterns: every detector works on raw JSON bytes. */
  builtinsOnly: bool = true;
  redactResponses: bool = false;
  cacheEnabled: bool = false;
  /** Only requests with temperature 0 (default) or every request without sampling randomness left open. */
  cacheOnlyTemperatureZero: bool = true;
  cacheTtlSeconds: i64 = 300;
  cacheMaxEntries: i64 = 1000;
  cacheMaxEntryBytes: i64 = 262144;

  get hasConsumers(): bool { return this.consumers.length > 0; }
}

export const BUILTIN_CN_ID = 1;
export const BUILTIN_BANK_CARD = 2;
export const BUILTIN_EMAIL = 3;
export const BUILTIN_PHONE = 4;
const BUILTIN_NAMES: Array<string> = ["cn_id", "bank_card", "email", "phone"];

/**
 * Built-in prices, USD per million tokens (input, output, cache read, cache write), from the providers' public
 * price lists (anthropic.com/pricing, openai.com/api/pricing); most specific pattern first. Overridable by `pricing`.
 */
const BUILTIN_PRICES: Array<Price> = [
  new Price("claude-opus-4-1*", 15, 75, 1.5, 18.75),
  new Price("claude-opus-4-0*", 15, 75, 1.5, 18.75),
  new Price("claude-opus-4-2*", 15, 75, 1.5, 18.75),
  new Price("claude-opus-4*", 5, 25, 0.5, 6.25),
  new Price("claude-sonnet-4*", 3, 15, 0.3, 3.75),
  new Price("claude-3-7-sonnet*", 3, 15, 0.3, 3.75),
  new Price("claude-3-5-sonnet*", 3, 15, 0.3, 3.75),
  new Price("claude-haiku-4*", 1, 5, 0.1, 1.25),
  new Price("claude-3-5-haiku*", 0.8, 4, 0.08, 1),
  new Price("claude-3-haiku*", 0.25, 1.25, 0.03, 0.3),
  new Price("gpt-4o-mini*", 0.15, 0.6, 0.075, 0),
  new Price("gpt-4o*", 2.5, 10, 1.25, 0),
  new Price("gpt-4.1-nano*", 0.1, 0.4, 0.025, 0),
  new Price("gpt-4.1-mini*", 0.4, 1.6, 0.1, 0),
  new Price("gpt-4.1*", 2, 8, 0.5, 0),
  new Price("gpt-5-nano*", 0.05, 0.4, 0.005, 0),
  new Price("gpt-5-mini*", 0.25, 2, 0.025, 0),
  new Price("gpt-5*", 1.25, 10, 0.125, 0),
  new Price("o4-mini*", 1.1, 4.4, 0.275, 0),
  new Price("o3*", 2, 8, 0.5, 0),
  new Price("deepseek-chat*", 0.27, 1.1, 0.07, 0),
  new Price("deepseek-reasoner*", 0.55, 2.19, 0.14, 0),
];

/** Reads the operations fields of the top-level object; problems go to `r.errors` naming the field. */
export function parseOpsConfig(r: FieldReader): OpsConfig {
  const c = new OpsConfig();
  c.basePaths = r.strArray("basePaths");
  for (let i = 0; i < c.basePaths.length; i++) {
    const p = c.basePaths[i];
    if (!p.startsWith("/") || p.endsWith("/") || p.length < 2) r.errors.add(r.fieldPath("basePaths") + "[" + i.toString() + "]", "must start with / and not end with /");
  }
  const consumers = r.objects("consumers");
  if (consumers !== null) {
    for (let i = 0; i < consumers.length; i++) c.consumers.push(parseConsumer(consumers[i], c.consumers));
  }
  const pricing = r.objects("pricing");
  if (pricing !== null) {
    for (let i = 0; i < pricing.length; i++) {
      const p = pricing[i];
      p.warnUnknown(["model", "input", "output", "cacheRead", "cacheWrite"]);
      const model = p.str("model");
      if (model.length == 0) p.errors.add(p.fieldPath("model"), "is required");
      c.prices.push(new Price(model, price(p, "input"), price(p, "output"), price(p, "cacheRead"), price(p, "cacheWrite")));
    }
  }
  for (let i = 0; i < BUILTIN_PRICES.length; i++) c.prices.push(BUILTIN_PRICES[i]);
  for (let i = 0; i < c.prices.length; i++) {
    const err = c.pricePatterns.add(c.prices[i].pattern);
    if (err.length > 0) r.errors.add(r.fieldPath("pricing") + "[" + i.toString() + "].model", err);
  }
  const tags = r.child("tags");
  if (tags !== null) {
    tags.warnUnknown(["headers", "allowed", "users"]);
    c.tagHeaders = lower(tags.strArray("headers"));
    c.tagAllow = tags.strArray("allowed");
    c.userAllow = tags.strArray("users");
  }
  const red = r.child("redaction");
  if (red !== null) {
    red.warnUnknown(["builtins", "patterns", "replacement", "responses"]);
    const builtins = red.has("builtins") ? red.strArray("builtins") : BUILTIN_NAMES;
    for (let i = 0; i < builtins.length; i++) {
      const at = BUILTIN_NAMES.indexOf(builtins[i]);
      if (at < 0) red.errors.add(red.fieldPath("builtins") + "[" + i.toString() + "]", "must be one of " + BUILTIN_NAMES.join(", "));
      else c.redaction.push(new RedactionRule(builtins[i], null, at + 1));
    }
    const patterns = red.strArray("patterns");
    for (let i = 0; i < patterns.length; i++) {
      const compiled = Regex.compile(patterns[i]);
      if (compiled.regex === null) red.errors.add(red.fieldPath("patterns") + "[" + i.toString() + "]", "invalid regular expression: " + compiled.error);
      else c.redaction.push(new RedactionRule("pattern" + i.toString(), compiled.regex, 0));
    }
    c.redactionReplacement = red.str("replacement", "[REDACTED]");
    c.replacementBytes = Uint8Array.wrap(String.UTF8.encode(c.redactionReplacement));
    const escaped = new ByteBuffer(c.replacementBytes.length + 8);
    escapeBytesInto(escaped, c.replacementBytes, 0, c.replacementBytes.length);
    c.replacementJson = escaped.take().slice();
    c.builtinsOnly = patterns.length == 0;
    c.redactResponses = red.bool("responses", false);
  }
  const cache = r.child("cache");
  if (cache !== null) {
    cache.warnUnknown(["enabled", "when", "ttlSeconds", "maxEntries", "maxEntryBytes"]);
    c.cacheEnabled = cache.bool("enabled", true);
    c.cacheOnlyTemperatureZero = cache.oneOf("when", ["temperature0", "always"], "temperature0") == "temperature0";
    c.cacheTtlSeconds = cache.int("ttlSeconds", 300, 1, 86400 * 30);
    c.cacheMaxEntries = cache.int("maxEntries", 1000, 1, 1000000);
    c.cacheMaxEntryBytes = cache.int("maxEntryBytes", 262144, 16, 16777216);
  }
  return c;
}

function parseConsumer(r: FieldReader, seen: Array<Consumer>): Consumer {
  r.warnUnknown(["name", "key", "keySha256", "models", "budget", "limits"]);
  const c = new Consumer();
  c.name = r.str("name");
  if (c.name.length == 0) r.errors.add(r.fieldPath("name"), "is required");
  for (let i = 0; i < seen.length; i++) if (seen[i].name == c.name) r.errors.add(r.fieldPath("name"), "is used by another consumer");
  c.label = metricLabel(c.name);
  const key = r.str("key");
  const hashed = r.str("keySha256").toLowerCase();
  if (key.length > 0 && hashed.length > 0) r.errors.add(r.path, "may set only one of key, keySha256");
  else if (key.length > 0) c.keyHash = hashKeyHex(key);
  else if (hashed.length > 0) {
    if (!isSha256Hex(hashed)) r.errors.add(r.fieldPath("keySha256"), "must be 64 hex digits (SHA-256 of the key)");
    c.keyHash = hashed;
  } else r.errors.add(r.path, "needs key or keySha256");
  for (let i = 0; i < seen.length; i++) if (c.keyHash.length > 0 && seen[i].keyHash == c.keyHash) r.errors.add(r.path, "has the same key as consumer " + seen[i].name);
  const models = r.strArray("models");
  for (let i = 0; i < models.length; i++) {
    const err = c.models.add(models[i]);
    if (err.length > 0) r.errors.add(r.fieldPath("models") + "[" + i.toString() + "]", err);
  }
  const budget = r.child("budget");
  if (budget !== null) {
    budget.warnUnknown(["tokens", "usd", "windowSeconds"]);
    c.budgetTokens = budget.int("tokens", 0, 0, I64.MAX_VALUE);
    const usd = budget.has("usd") ? numberField(budget, "usd") : 0;
    c.budgetMicroUsd = <i64>(usd * 1e6);
    c.budgetWindowSeconds = budget.int("windowSeconds", 86400, 1, 86400 * 366);
  }
  const limits = r.child("limits");
  if (limits !== null) {
    limits.warnUnknown(["requestsPerMinute", "tokensPerMinute"]);
    c.requestsPerMinute = limits.int("requestsPerMinute", 0, 0, 0x7FFFFFFF);
    c.tokensPerMinute = limits.int("tokensPerMinute", 0, 0, I64.MAX_VALUE);
  }
  return c;
}

function price(r: FieldReader, key: string): f64 {
  return r.has(key) ? numberField(r, key) : 0;
}

/** A non-negative finite number. */
function numberField(r: FieldReader, key: string): f64 {
  const v = r.obj.get(key);
  if (v === null || !v.isNumber()) {
    r.errors.add(r.fieldPath(key), "must be a number");
    return 0;
  }
  const n = v.asF64(0);
  if (!(n >= 0 && n < 1e12)) {
    r.errors.add(r.fieldPath(key), "must be a non-negative number");
    return 0;
  }
  return n;
}

function lower(a: Array<string>): Array<string> {
  for (let i = 0; i < a.length; i++) a[i] = a[i].toLowerCase();
  return a;
}

/** A name as one stat-name segment: [A-Za-z0-9_-] kept, anything else `_`, at most 64 characters. */
export function metricLabel(s: string): string {
  let out = "";
  const n = min(s.length, 64);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D;
    out += ok ? String.fromCharCode(c) : "_";
  }
  return out.length == 0 ? "none" : out;
}
