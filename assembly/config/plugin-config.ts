// The whole plugin configuration as Envoy's `configuration` (or Higress's WasmPlugin) delivers it:
// a global scope (`provider`, or `providers` + `activeProviderId`) and Higress `_rules_`, each overlaying
// the global scope for the routes, domains or services it matches.
import { JsonValue, parseJson } from "../json";
import { ConfigErrors, FieldReader } from "./reader";
import { FallbackConfig, parseFallback } from "./fallback-config";
import { OPS_FIELDS, OpsConfig, parseOpsConfig } from "./ops-config";
import { parseProviderConfig, ProviderConfig } from "./provider-config";
import { parseRouting } from "./routing-config";
import { RoutingConfig } from "../routing/route";

/** The providers visible in one scope and the one requests use. */
export class Scope {
  providers: Array<ProviderConfig> = [];
  active: ProviderConfig | null = null;
  /** Providers to re-send a failed request to, and the circuit breaker deciding when to skip one. */
  fallback: FallbackConfig | null = null;
  /** Model and trait routing over the scope's providers (config/routing-config.ts); null: `active` serves all. */
  routing: RoutingConfig | null = null;
}

export class Rule {
  /**
   * Why the rule is disabled ("" when it is not): its configuration is invalid. Its requests are left alone
   * (never sent to the global scope's provider instead), as Higress skips a rule that fails to parse.
   */
  disabled: string = "";
  routes: Array<string> = [];
  domains: Array<string> = [];
  services: Array<string> = [];
  routePrefixes: Array<string> = [];
  scope: Scope = new Scope();
}

export class PluginConfig {
  global: Scope = new Scope();
  rules: Array<Rule> = [];
  /** Whether any rule needs the route or cluster name (each is a property read per request). */
  needsRouteName: bool = false;
  needsClusterName: bool = false;
  /** Request bodies larger than this get 413 in the client's protocol (top-level `maxRequestBodyBytes`). */
  maxRequestBodyBytes: i64 = DEFAULT_MAX_REQUEST_BODY_BYTES;
  /**
   * Top-level `allowOnHeadersStopIteration`: the filter runs with Envoy >= 1.35's allow_on_headers_stop_iteration, so
   * a header callback may hold the headers while body callbacks keep coming. The plugin then holds non-streamed
   * responses until their body is known (a broken body gets its real status) and reads bodies it answers locally
   * without routing them. Off by default: Higress and older Envoy turn such a hold into a stall.
   */
  allowOnHeadersStopIteration: bool = false;
  /** Consumers, budgets, cost, tags, redaction, cache, base paths (config/ops-config.ts); null when none is set. */
  ops: OpsConfig | null = null;

  /** Every distinct provider configuration (global and rules), e.g. for health checks. */
  allProviders(): Array<ProviderConfig> {
    const out = new Array<ProviderConfig>();
    addAll(out, this.global.providers);
    for (let i = 0; i < this.rules.length; i++) addAll(out, this.rules[i].scope.providers);
    return out;
  }
}

function addAll(out: Array<ProviderConfig>, list: Array<ProviderConfig>): void {
  for (let i = 0; i < list.length; i++) if (!out.includes(list[i])) out.push(list[i]);
}

export const DEFAULT_MAX_REQUEST_BODY_BYTES: i64 = 8388608; // 8 MiB: a VM stays under ~36 MB (README, Robustness)

export class ConfigResult {
  config: PluginConfig | null = null;
  error: string = "";
  warnings: Array<string> = [];
  /** Problems that disabled a provider or a rule without refusing the configuration (logged as errors). */
  errors: Array<string> = [];
}

const SCOPE_FIELDS: Array<string> = ["provider", "providers", "activeProviderId", "fallback", "routing"];
const RULE_FIELDS: Array<string> = ["_match_route_", "_match_domain_", "_match_service_", "_match_route_prefix_", "provider", "providers", "activeProviderId", "fallback", "routing"];

/**
 * Parses and validates the plugin JSON; never traps, whatever the bytes.
 *
 * As in Higress, only what a scope uses must be valid: an invalid provider in a `providers` list is disabled
 * (the scope works while its active provider is valid), an invalid rule is disabled (the other rules and the
 * global scope work) and an invalid global scope leaves only the rules. Each problem is logged under its field
 * path with what it disabled. The configuration is refused when it is not a JSON object, when a top-level field
 * of ours or the shape of `_rules_` is wrong, or when no scope is left at all.
 */
export function parsePluginConfig(bytes: Uint8Array): ConfigResult {
  const result = new ConfigResult();
  const parsed = parseJson(bytes, 64);
  const root = parsed.value;
  if (root === null) {
    result.error = "configuration is not valid JSON: " + parsed.error;
    return result;
  }
  if (!root.isObject()) {
    result.error = "configuration must be a JSON object";
    return result;
  }
  const errors = new ConfigErrors();
  const r = new FieldReader(root, "", errors);
  r.warnUnknown(SCOPE_FIELDS.concat(["_rules_", "maxRequestBodyBytes", "allowOnHeadersStopIteration"]).concat(OPS_FIELDS));
  const config = new PluginConfig();
  config.maxRequestBodyBytes = r.int("maxRequestBodyBytes", DEFAULT_MAX_REQUEST_BODY_BYTES, 1, 0x7FFFFFFF);
  config.allowOnHeadersStopIteration = r.bool("allowOnHeadersStopIteration", false);
  for (let i = 0; i < OPS_FIELDS.length; i++) if (r.has(OPS_FIELDS[i])) {
    config.ops = parseOpsConfig(r);
    break;
  }
  const disabled = new Array<string>();
  const globalErrors = new ConfigErrors();
  parseScope(new FieldReader(root, "", globalErrors), null, config.global, globalErrors, disabled, config.allowOnHeadersStopIteration);
  if (!globalErrors.ok) {
    config.global = new Scope();
    report(globalErrors, "the global provider is disabled", disabled);
  }
  mergeWarnings(errors, globalErrors);
  const rules = r.objects("_rules_");
  let enabledRules = 0;
  if (rules !== null) {
    for (let i = 0; i < rules.length; i++) {
      const rr = rules[i];
      if (!hasMatcher(rr)) {
        errors.add(rr.path, "needs one of _match_route_, _match_domain_, _match_service_, _match_route_prefix_");
        continue;
      }
      const ruleErrors = new ConfigErrors();
      const rule = parseRule(new FieldReader(rr.obj, rr.path, ruleErrors), config.global, ruleErrors, disabled, config.allowOnHeadersStopIteration);
      mergeWarnings(errors, ruleErrors);
      if (!ruleErrors.ok) {
        rule.disabled = ruleErrors.first();
        rule.scope = new Scope();
        report(ruleErrors, "rule " + rr.path + " is disabled", disabled);
      } else enabledRules++;
      if (rule.routes.length > 0 || rule.routePrefixes.length > 0) config.needsRouteName = true;
      if (rule.services.length > 0) config.needsClusterName = true;
      config.rules.push(rule);
    }
  }
  if (errors.ok && !serves(config.global) && enabledRules == 0) {
    if (disabled.length > 0) errors.messages.push(disabled[0]);
    else errors.add("provider", "is required (or providers with activeProviderId, or _rules_)");
  }
  result.warnings = errors.warnings;
  result.errors = disabled;
  if (!errors.ok) {
    result.error = errors.first();
    return result;
  }
  result.config = config;
  return result;
}

function mergeWarnings(into: ConfigErrors, from: ConfigErrors): void {
  for (let i = 0; i < from.warnings.length; i++) into.warnings.push(from.warnings[i]);
}

/** Each error of a disabled unit, with what it disabled. */
function report(errors: ConfigErrors, what: string, out: Array<string>): void {
  for (let i = 0; i < errors.messages.length; i++) out.push(errors.messages[i] + " (" + what + ")");
}

function hasMatcher(r: FieldReader): bool {
  return r.has("_match_route_") || r.has("_match_domain_") || r.has("_match_service_") || r.has("_match_route_prefix_");
}

/**
 * Reads provider/providers/activeProviderId into `scope`; `inherited` supplies providers a rule only re-selects.
 * A listed provider with errors is left out (its errors go to `disabled`); the scope fails (errors in `errors`)
 * only when what it uses is invalid: its single provider, its active provider or its fallback.
 */
function parseScope(r: FieldReader, inherited: Scope | null, scope: Scope, errors: ConfigErrors, disabled: Array<string>, readsBody: bool): void {
  const single = r.object("provider");
  if (single !== null) {
    const p = parseProviderConfig(single, r.fieldPath("provider"), errors);
    scope.providers.push(p);
    scope.active = p;
  }
  const list = r.objects("providers");
  const disabledIds = new Array<string>();
  if (list !== null) {
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      const own = new ConfigErrors();
      const p = parseProviderConfig(item.obj, item.path, own);
      if (p.id.length == 0) own.add(item.fieldPath("id"), "is required in a providers list");
      mergeWarnings(errors, own);
      if (!own.ok) {
        report(own, item.path + " is disabled", disabled);
        disabledIds.push(p.id);
        continue;
      }
      scope.providers.push(p);
    }
  }
  if (single === null && list === null && inherited !== null) {
    scope.providers = inherited.providers;
    scope.active = inherited.active;
    scope.fallback = inherited.fallback;
    scope.routing = inherited.routing;
  }
  if (r.has("activeProviderId")) {
    const id = r.str("activeProviderId");
    scope.active = null;
    for (let i = 0; i < scope.providers.length; i++) {
      if (scope.providers[i].id == id) scope.active = scope.providers[i];
    }
    if (scope.active === null) {
      errors.add(r.fieldPath("activeProviderId"), disabledIds.includes(id) ? "provider \"" + id + "\" is disabled (see its errors)" : "no provider has id \"" + id + "\"");
    }
  } else if (single === null && list !== null) {
    if (scope.providers.length == 1 && disabledIds.length == 0) scope.active = scope.providers[0];
    else if (scope.providers.length + disabledIds.length > 1 && !r.has("routing")) errors.add(r.fieldPath("activeProviderId"), "is required when several providers are configured (or routing)");
    else if (disabledIds.length > 0) errors.add(r.fieldPath("providers"), "has no valid provider");
  }
  const fallback = r.object("fallback");
  if (fallback !== null) scope.fallback = parseFallback(fallback, r.fieldPath("fallback"), scope.providers, errors);
  const routing = r.child("routing");
  if (routing !== null) scope.routing = parseRouting(routing, scope.providers, readsBody);
}

/** Whether a scope can serve a request: an active provider, or routing to choose one. */
function serves(scope: Scope): bool {
  return scope.active !== null || scope.routing !== null;
}

function parseRule(r: FieldReader, global: Scope, errors: ConfigErrors, disabled: Array<string>, readsBody: bool): Rule {
  const rule = new Rule();
  r.warnUnknown(RULE_FIELDS);
  rule.routes = r.strArray("_match_route_");
  rule.domains = r.strArray("_match_domain_");
  rule.services = r.strArray("_match_service_");
  rule.routePrefixes = r.strArray("_match_route_prefix_");
  const kinds = (rule.routes.length > 0 ? 1 : 0) + (rule.domains.length > 0 ? 1 : 0) + (rule.services.length > 0 ? 1 : 0) + (rule.routePrefixes.length > 0 ? 1 : 0);
  if (kinds == 0) errors.add(r.path, "needs one of _match_route_, _match_domain_, _match_service_, _match_route_prefix_");
  else if (kinds > 1) errors.add(r.path, "may use only one of _match_route_, _match_domain_, _match_service_, _match_route_prefix_");
  parseScope(r, global, rule.scope, errors, disabled, readsBody);
  if (!serves(rule.scope) && errors.ok) errors.add(r.path, "selects no provider");
  return rule;
}

// ---- per-request rule selection ----

/** `authority` without its port (IPv6 literals keep their brackets). */
export function hostWithoutPort(authority: string): string {
  const close = authority.lastIndexOf("]");
  const colon = authority.lastIndexOf(":");
  return colon > close ? authority.substring(0, colon) : authority;
}

function domainMatches(pattern: string, host: string): bool {
  if (pattern == "*") return true;
  if (pattern.startsWith("*.")) return host.endsWith(pattern.substring(1)) && host.length > pattern.length - 1;
  return pattern == host;
}

/** Higress cluster names look like "outbound|80||svc.ns.svc.cluster.local"; rules name "svc.ns.svc.cluster.local[:80]". */
function serviceMatches(pattern: string, clusterName: string): bool {
  if (pattern == clusterName) return true;
  const parts = clusterName.split("|");
  if (parts.length != 4) return false;
  const host = parts[3];
  return pattern == host || pattern == host + ":" + parts[1];
}

function ruleMatches(rule: Rule, routeName: string, clusterName: string, host: string): bool {
  for (let i = 0; i < rule.routes.length; i++) if (rule.routes[i] == routeName) return true;
  for (let i = 0; i < rule.routePrefixes.length; i++) if (routeName.startsWith(rule.routePrefixes[i])) return true;
  for (let i = 0; i < rule.domains.length; i++) if (domainMatches(rule.domains[i], host)) return true;
  for (let i = 0; i < rule.services.length; i++) if (serviceMatches(rule.services[i], clusterName)) return true;
  return false;
}

/**
 * The scope for a request: the first matching rule, else the global scope (null when neither has a provider,
 * and for a disabled rule: its requests are not handed to another provider).
 */
export function selectScope(config: PluginConfig, routeName: string, clusterName: string, authority: string): Scope | null {
  const host = hostWithoutPort(authority);
  for (let i = 0; i < config.rules.length; i++) {
    const rule = config.rules[i];
    if (ruleMatches(rule, routeName, clusterName, host)) return rule.disabled.length > 0 ? null : rule.scope;
  }
  return serves(config.global) ? config.global : null;
}
