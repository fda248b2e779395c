// Which provider and model serve a request in a scope with `routing`. Precedence (first that applies):
//   1. trait rules, in order (claude-code-router's idea: background, thinking, long context, tools, headers);
//   2. the provider header (Higress model-router's addProviderHeader, x-higress-llm-provider) naming a provider;
//   3. the model table, on the body's model (or, when the body is not read, the model header, x-higress-llm-model);
//   4. "<provider id>/<model>" (the form addProviderHeader splits);
//   5. the scope's activeProviderId; else the client gets a 404 naming its model.
import { getHeader, HeaderMapEdits, MapType, nowMillis, nowNanos, setProperty } from "../abi";
import { JsonValue, JsonWriter, parseJson } from "../json";
import { ProviderConfig } from "../config/provider-config";
import { Scope } from "../config/plugin-config";
import { recordRequest } from "../metrics/provider-metrics";
import { estimateRequestTokens } from "../plugin/count-tokens";
import { anthropicModels } from "../plugin/models-list";
import { FallbackConfig } from "../config/fallback-config";
import { ApiName, clientProtocolOf, detectApi, Protocol, stripQuery } from "../protocol/api";
import { printable } from "../protocol/errors";
import { Usage } from "../translate";
import { isAvailable } from "../resilience/circuit-breaker";
import { pickTarget, targetDone, targetFirstByte, targetSent } from "./balancer";
import { Route, RouteTarget, RoutingConfig, TraitConditions } from "./route";

/** What routing sees of a request: the client's model, the parsed body (when read) and the request headers. */
export class RequestView {
  private tokens: i64 = -2;
  constructor(public model: string, public root: JsonValue | null) {}

  header(name: string): string | null {
    return getHeader(MapType.HttpRequestHeaders, name);
  }

  thinking(): bool {
    const root = this.root;
    if (root === null) return false;
    const t = root.get("thinking");
    if (t !== null && t.isObject()) return !t.memberEquals("type", "disabled");
    const effort = root.get("reasoning_effort");
    if (effort !== null && effort.isString()) return !effort.equals("none");
    const r = root.get("reasoning");
    if (r !== null && r.isObject()) return !r.memberEquals("effort", "none");
    return root.getBool("enable_thinking", false);
  }

  inputTokens(): i64 {
    if (this.tokens == -2) this.tokens = this.root === null ? -1 : estimateRequestTokens(this.root!);
    return this.tokens;
  }

  /** A tool whose type starts with `name` (web_search_20250305) or whose (function) name is `name`. */
  hasTool(name: string): bool {
    const root = this.root;
    if (root === null) return false;
    if (root.has("web_search_options") && "web_search_options".startsWith(name)) return true;
    const tools = root.get("tools");
    if (tools === null || !tools.isArray()) return false;
    for (let i = 0, n = tools.length; i < n; i++) {
      const t = tools.at(i);
      if (t === null || !t.isObject()) continue;
      const type = t.getString("type");
      if (type !== null && type.startsWith(name)) return true;
      if (t.memberEquals("name", name)) return true;
      const f = t.get("function");
      if (f !== null && f.isObject() && f.memberEquals("name", name)) return true;
    }
    return false;
  }
}

function holds(w: TraitConditions, v: RequestView, c: RoutingConfig): bool {
  if (w.background >= 0 && (c.backgroundModels.matchTag(v.model) >= 0) != (w.background == 1)) return false;
  const models = w.model;
  if (models !== null && models.matchTag(v.model) < 0) return false;
  if (w.header.length > 0) {
    const value = v.header(w.header);
    if (value === null) return false;
    const pattern = w.headerValue;
    if (pattern !== null && pattern.matchTag(value) < 0) return false;
  }
  if (w.thinking >= 0 && v.thinking() != (w.thinking == 1)) return false;
  if (w.inputTokensAbove >= 0 && v.inputTokens() <= w.inputTokensAbove) return false;
  if (w.tool.length > 0 && !v.hasTool(w.tool)) return false;
  return true;
}

/** The route and target serving one request, and the bookkeeping the balancer needs. */
export class RoutedRequest {
  route: Route | null = null;
  target: RouteTarget | null = null;
  /** Names in metrics and the access log when no route of the table chose (header, prefix, default). */
  routeName: string = "";
  provider: ProviderConfig | null = null;
  /** The model to send upstream ("" keeps the client's, through the provider's modelMapping). */
  model: string = "";
  /** Request headers are held until the body is read and routed. */
  pending: bool = false;
  /** Nothing serves the request: the client gets `errorStatus` with `error`. */
  error: string = "";
  errorStatus: i32 = 404;
  /** Answered at the headers (GET /v1/models lists the routes' model names). */
  answer: Uint8Array | null = null;
  api: ApiName = ApiName.Unknown;
  client: Protocol = Protocol.OpenAI;
  private sentUs: u64 = 0;
  private seenFirstByte: bool = false;

  get targetName(): string {
    const t = this.target;
    return t !== null ? t.name : (this.provider !== null ? providerName(this.provider!) : "");
  }

  /** The request leaves for the chosen target: counted, timed, and named for the access log. */
  sent(): void {
    this.sentUs = nowNanos() / 1000;
    const route = this.route;
    if (route !== null) targetSent(route, this.target!, nowMillis());
    setProperty(["ai_proxy.route"], String.UTF8.encode(this.routeName));
    setProperty(["ai_proxy.target"], String.UTF8.encode(this.targetName));
  }

  /** Response headers arrived: the time to first byte feeds the latency-aware policy. */
  firstByte(): void {
    if (this.seenFirstByte || this.sentUs == 0) return;
    this.seenFirstByte = true;
    const route = this.route;
    const now = nowNanos() / 1000;
    if (route !== null) targetFirstByte(route, this.target!, now - min(now, this.sentUs), now / 1000);
  }

  /** The request ended (access-log phase): in-flight count released, per route-target counters recorded. */
  finish(status: i32, usage: Usage | null, extraAttempts: i32, answeredLocally: bool): void {
    if (this.sentUs == 0) return;
    const route = this.route;
    if (route !== null) targetDone(route, this.target!, nowMillis());
    recordRequest("route." + this.routeName + "." + this.targetName, status, usage, extraAttempts, answeredLocally);
    this.sentUs = 0;
  }
}

/**
 * Routes a request. `root` is the parsed body (null when only headers are read); `model` the client's model from
 * the body, or the model header. Sets `error` (a message for a 404) when nothing serves it.
 */
export function route(c: RoutingConfig, scope: Scope, model: string, root: JsonValue | null): RoutedRequest {
  const out = new RoutedRequest();
  const v = new RequestView(model, root);
  const now = nowMillis();
  for (let i = 0; i < c.rules.length; i++) {
    const r = c.rules[i];
    if (holds(r.when!, v, c) && choose(out, r, scope, now)) return out;
  }
  const named = v.header(c.providerHeader);
  if (named !== null) {
    const p = providerById(scope, named);
    if (p !== null) return direct(out, "header", p, "");
  }
  if (model.length > 0) {
    const tag = c.table.matchTag(model);
    if (tag >= 0 && choose(out, c.models[tag], scope, now)) return out;
    const slash = model.indexOf("/");
    if (slash > 0) {
      const p = providerById(scope, model.substring(0, slash));
      if (p !== null) return direct(out, "prefix", p, model.substring(slash + 1));
    }
  }
  if (scope.active !== null) return direct(out, "default", scope.active!, "");
  out.error = model.length > 0 ? "model \"" + printable(model, 100) + "\" matches no route of this gateway" : "model is required to choose a provider";
  out.errorStatus = model.length > 0 ? 404 : 400;
  return out;
}

/**
 * Routing on the request headers: GET /v1/models is answered with the routable names; a request carrying its
 * model in the body is held for it (`pending`) when the configuration allows holding headers; anything else is
 * routed on the headers alone (the model header a routing plugin ahead of this one set, the provider header).
 */
export function routeAtHeaders(scope: Scope, h: HeaderMapEdits, endOfStream: bool): RoutedRequest {
  const c = scope.routing!;
  const path = h.getOr(":path", "/");
  const api = detectApi(path);
  const client = clientProtocolOf(api, h.get("anthropic-version") !== null);
  let out: RoutedRequest;
  if (api == ApiName.Models && !stripQuery(path).includes("/v1/models/") && c.models.length > 0) {
    out = new RoutedRequest();
    out.answer = modelsList(c, client);
  } else if (c.readsBody && carriesModel(api) && !endOfStream) {
    out = new RoutedRequest();
    out.pending = true;
  } else {
    out = route(c, scope, h.getOr(c.modelHeader, ""), null);
  }
  out.api = api;
  out.client = client;
  return out;
}

/** Routing on the whole request body (its headers held until now). */
export function routeByBody(scope: Scope, body: Uint8Array): RoutedRequest {
  const root = parseJson(body).value;
  const obj = root !== null && root.isObject() ? root : null;
  const m = obj !== null ? obj.getString("model") : null;
  const out = route(scope.routing!, scope, m === null ? "" : m, obj);
  if (obj === null && out.provider === null) out.error = "request body is not a JSON object";
  return out;
}

/** The APIs whose request body names the model. */
function carriesModel(api: ApiName): bool {
  return api == ApiName.ChatCompletions || api == ApiName.Messages || api == ApiName.Embeddings ||
    api == ApiName.CountTokens || api == ApiName.Completions || api == ApiName.AnthropicComplete;
}

/**
 * What a routed request falls back to when its target fails (scope `fallback` set): the route's other targets, each
 * with its model, then the scope's fallback providers. The breaker thresholds and statuses are the scope's.
 */
export function fallbackFor(routed: RoutedRequest | null, f: FallbackConfig | null): FallbackConfig | null {
  if (routed === null || f === null || routed.route === null || routed.route!.targets.length < 2) return f;
  const out = new FallbackConfig();
  out.onStatus = f.onStatus;
  out.breaker = f.breaker;
  const targets = routed.route!.targets;
  for (let i = 0; i < targets.length; i++) {
    const t = targets[i];
    if (t === routed.target || t.weight == 0) continue;
    out.providers.push(t.provider);
    out.models.push(t.model);
  }
  for (let i = 0; i < f.providers.length; i++) {
    out.providers.push(f.providers[i]);
    out.models.push("");
  }
  return out;
}

function choose(out: RoutedRequest, r: Route, scope: Scope, nowMs: u64): bool {
  const f = scope.fallback;
  let i = pickTarget(r, nowMs, f !== null);
  if (i < 0 && f !== null) {
    // Every target's breaker is open: the first fallback provider that can serve takes the request (as it would
    // for the active provider), else the targets are tried anyway rather than failing outright.
    for (let j = 0; j < f.providers.length; j++) {
      if (isAvailable(f.providers[j], nowMs)) {
        direct(out, r.name, f.providers[j], "");
        return true;
      }
    }
    i = pickTarget(r, nowMs, false);
  }
  if (i < 0) return false;
  const t = r.targets[i];
  out.route = r;
  out.target = t;
  out.routeName = r.name;
  out.provider = t.provider;
  out.model = t.model;
  return true;
}

function direct(out: RoutedRequest, name: string, p: ProviderConfig, model: string): RoutedRequest {
  out.routeName = name;
  out.provider = p;
  out.model = model;
  return out;
}

function providerById(scope: Scope, id: string): ProviderConfig | null {
  for (let i = 0; i < scope.providers.length; i++) if (scope.providers[i].id == id) return scope.providers[i];
  return null;
}

function providerName(p: ProviderConfig): string {
  return p.id.length > 0 ? p.id : p.type;
}

/** GET /v1/models on a routed scope: the model names of the table, in the client's protocol. */
export function modelsList(c: RoutingConfig, client: Protocol): Uint8Array {
  const names = c.table.exactKeys();
  const w = new JsonWriter(64 + names.length * 80);
  w.beginObject().fieldString("object", "list").key("data").beginArray();
  for (let i = 0; i < names.length; i++) {
    const r = c.models[c.table.matchTag(names[i])];
    w.beginObject().fieldString("id", names[i]).fieldString("object", "model").fieldInt("created", 0)
      .fieldString("owned_by", r.targets.length > 0 ? providerName(r.targets[0].provider) : "").endObject();
  }
  w.endArray().endObject();
  const openai = w.toBytes();
  if (client != Protocol.Anthropic) return openai;
  const converted = anthropicModels(openai);
  return converted === null ? openai : converted!;
}

