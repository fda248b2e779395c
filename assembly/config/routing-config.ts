// `routing` in a scope (global or a _rules_ entry) with several providers (our addition; Higress spreads the same
// over its model-router and ai-load-balancer plugins):
//   "routing": {
//     "models": [ { "match": "gpt-*", "provider": "openai" },
//                 { "match": "fast", "targets": [ { "provider": "openai", "model": "gpt-4o-mini", "weight": 3 },
//                                                 { "provider": "deepseek", "model": "deepseek-chat" } ],
//                   "balance": "weighted" | "least_busy" | "latency" } ],
//     "rules": [ { "when": { "background": true }, "provider": "deepseek", "model": "deepseek-chat" },
//                { "when": { "thinking": true }, "provider": "deepseek", "model": "deepseek-reasoner" },
//                { "when": { "inputTokensAbove": 60000 }, "provider": "gemini", "model": "gemini-2.5-pro" },
//                { "when": { "tool": "web_search" }, ... }, { "when": { "header": "x-team", "value": "a*" }, ... } ],
//     "backgroundModels": ["claude-3-5-haiku*", "claude-haiku-*"],
//     "modelHeader": "x-higress-llm-model", "providerHeader": "x-higress-llm-provider" }
// `match`, `when.model` and `when.value` are patterns with modelMapping's semantics (exact, prefix `*`, `~regex`).
import { ModelMapping } from "../mapping/model-mapping";
import { fnv1a } from "../resilience/shared-state";
import { Balance, Route, RouteTarget, RoutingConfig, TraitConditions } from "../routing/route";
import { ConfigErrors, FieldReader } from "./reader";
import { ProviderConfig } from "./provider-config";

const FIELDS: Array<string> = ["models", "rules", "backgroundModels", "modelHeader", "providerHeader"];
const ROUTE_FIELDS: Array<string> = ["match", "when", "name", "provider", "model", "weight", "targets", "balance"];
const TARGET_FIELDS: Array<string> = ["provider", "model", "weight", "name"];
const WHEN_FIELDS: Array<string> = ["thinking", "inputTokensAbove", "tool", "background", "model", "header", "value"];
const BALANCES: Array<string> = ["weighted", "least_busy", "latency", "LeastBusy", "LeastFirstTokenLatency"];
const HOLD_HINT = "needs the request body: set the top-level allowOnHeadersStopIteration: true (with Envoy >= 1.35 allow_on_headers_stop_iteration)";

/** Reads `routing` against the scope's providers; `readsBody`: request headers may be held for the body. */
export function parseRouting(r: FieldReader, providers: Array<ProviderConfig>, readsBody: bool): RoutingConfig {
  const errors = r.errors;
  r.warnUnknown(FIELDS);
  const c = new RoutingConfig();
  c.readsBody = readsBody;
  const explicitHeader = r.has("modelHeader");
  c.modelHeader = r.str("modelHeader", c.modelHeader).toLowerCase();
  c.providerHeader = r.str("providerHeader", c.providerHeader).toLowerCase();
  const background = r.has("backgroundModels") ? r.strArray("backgroundModels") : ["claude-3-5-haiku*", "claude-haiku-*"];
  addPatterns(c.backgroundModels, background, r.fieldPath("backgroundModels"), errors);
  const models = r.objects("models");
  if (models !== null) {
    for (let i = 0; i < models.length; i++) {
      const m = models[i];
      const match = m.str("match");
      if (match.length == 0) errors.add(m.fieldPath("match"), "is required (a model name or pattern)");
      const route = parseRoute(m, providers, sanitize(match), errors);
      const problem = c.table.add(match, "", c.models.length);
      if (problem.length > 0) errors.add(m.fieldPath("match"), problem);
      c.models.push(route);
    }
    if (!readsBody && !explicitHeader && models.length > 0) {
      errors.add(r.fieldPath("models"), "routing by the body's model " + HOLD_HINT + "; or set routing.modelHeader to route by a header (Higress model-router's modelToHeader)");
    }
  }
  const rules = r.objects("rules");
  if (rules !== null) {
    for (let i = 0; i < rules.length; i++) {
      const m = rules[i];
      const route = parseRoute(m, providers, "rule" + i.toString(), errors);
      const w = m.child("when");
      if (w === null) errors.add(m.fieldPath("when"), "is required (the conditions that select this rule)");
      else route.when = parseWhen(w, readsBody);
      if (route.when !== null && route.when!.needsBody) c.needsTraits = true;
      c.rules.push(route);
    }
  }
  return c;
}

function parseRoute(r: FieldReader, providers: Array<ProviderConfig>, defaultName: string, errors: ConfigErrors): Route {
  r.warnUnknown(ROUTE_FIELDS);
  const route = new Route();
  route.name = r.has("name") ? checkedName(r, "name") : defaultName;
  const balance = r.oneOf("balance", BALANCES, "weighted");
  route.balance = balance == "least_busy" || balance == "LeastBusy" ? Balance.LeastBusy
    : balance == "latency" || balance == "LeastFirstTokenLatency" ? Balance.Latency : Balance.Weighted;
  const targets = r.objects("targets");
  if (targets !== null) {
    if (r.has("provider")) errors.add(r.fieldPath("provider"), "give either provider or targets, not both");
    for (let i = 0; i < targets.length; i++) {
      const t = parseTarget(targets[i], providers, errors, true);
      if (t !== null) route.targets.push(t);
    }
    if (targets.length == 0) errors.add(r.fieldPath("targets"), "must list at least one target");
  } else {
    const t = parseTarget(r, providers, errors, false);
    if (t !== null) route.targets.push(t);
  }
  let total: i64 = 0;
  for (let i = 0; i < route.targets.length; i++) {
    const t = route.targets[i];
    total += t.weight;
    if (t.name.length == 0) t.name = t.provider.id;
    for (let j = 0; j < i; j++) if (route.targets[j].name == t.name) t.name = t.provider.id + "_" + i.toString();
    t.stateKey = "ai-proxy/v1/lb/" + fnv1a(route.name + "\n" + t.name + "\n" + t.model).toString(16) + "/" + i.toString();
  }
  if (route.targets.length > 0 && total == 0) errors.add(r.path, "needs a target with a weight above 0");
  return route;
}

function parseTarget(r: FieldReader, providers: Array<ProviderConfig>, errors: ConfigErrors, inList: bool): RouteTarget | null {
  const id = r.str("provider");
  let found: ProviderConfig | null = null;
  for (let i = 0; i < providers.length; i++) if (providers[i].id == id) found = providers[i];
  if (id.length == 0) {
    errors.add(r.fieldPath("provider"), "is required (a provider id of this scope)");
    return null;
  }
  if (found === null) {
    errors.add(r.fieldPath("provider"), "no provider has id \"" + id + "\"");
    return null;
  }
  const t = new RouteTarget(found);
  if (inList) {
    r.warnUnknown(TARGET_FIELDS);
    if (r.has("name")) t.name = checkedName(r, "name");
  }
  t.model = r.str("model");
  t.weight = <i32>r.int("weight", 1, 0, 1000000);
  return t;
}

function parseWhen(r: FieldReader, readsBody: bool): TraitConditions {
  r.warnUnknown(WHEN_FIELDS);
  const w = new TraitConditions();
  if (r.has("thinking")) w.thinking = r.bool("thinking") ? 1 : 0;
  if (r.has("background")) w.background = r.bool("background") ? 1 : 0;
  w.inputTokensAbove = r.int("inputTokensAbove", -1, 0, 0x7FFFFFFF);
  w.tool = r.str("tool");
  if (r.has("model")) {
    const m = new ModelMapping();
    addPatterns(m, r.obj.get("model")!.isString() ? [r.str("model")] : r.strArray("model"), r.fieldPath("model"), r.errors);
    w.model = m;
  }
  w.header = r.str("header").toLowerCase();
  if (r.has("value")) {
    if (w.header.length == 0) r.errors.add(r.fieldPath("value"), "needs header");
    const m = new ModelMapping();
    addPatterns(m, [r.str("value")], r.fieldPath("value"), r.errors);
    w.headerValue = m;
  }
  if (!readsBody) {
    const field = w.thinking >= 0 ? "thinking" : w.inputTokensAbove >= 0 ? "inputTokensAbove" : w.tool.length > 0 ? "tool" : "";
    if (field.length > 0) r.errors.add(r.fieldPath(field), HOLD_HINT);
  }
  return w;
}

function addPatterns(m: ModelMapping, patterns: Array<string>, path: string, errors: ConfigErrors): void {
  for (let i = 0; i < patterns.length; i++) {
    const problem = m.add(patterns[i], "", 0);
    if (problem.length > 0) errors.add(path + "[" + i.toString() + "]", problem);
  }
}

/** Route and target names go into metric names: letters, digits, `_` and `-` only. */
function checkedName(r: FieldReader, key: string): string {
  const name = r.str(key);
  if (name.length == 0 || sanitize(name) != name) r.errors.add(r.fieldPath(key), "must be letters, digits, _ or - (it names metrics)");
  return name;
}

function sanitize(s: string): string {
  let out = "";
  for (let i = 0; i < s.length && i < 64; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D;
    out += ok ? String.fromCharCode(c) : "_";
  }
  return out.length == 0 ? "any" : out;
}
