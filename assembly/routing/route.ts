// The routing table of a scope with several providers: routes chosen by the client's model (patterns with
// modelMapping's semantics) or by what the request looks like (trait rules), each leading to one or more targets
// (provider + optional model rewrite + weight) balanced by a policy. Parsed by config/routing-config.ts.
import { ModelMapping } from "../mapping/model-mapping";
import { ProviderConfig } from "../config/provider-config";

export const enum Balance {
  /** Random, in proportion to the weights. */
  Weighted,
  /** The fewest requests in flight per unit of weight (Higress cluster_metrics LeastBusy). */
  LeastBusy,
  /** In proportion to weight / (moving average of time to first byte)² (Higress LeastFirstTokenLatency, smoothed). */
  Latency,
}

export class RouteTarget {
  provider: ProviderConfig;
  /** The model sent upstream; "" keeps the client's (the provider's own modelMapping then applies). */
  model: string = "";
  weight: i32 = 1;
  /** Named in metrics and the access log: the provider id, made unique within the route. */
  name: string = "";
  /** Shared-data key of the target's balancing state (in flight, latency average). */
  stateKey: string = "";
  constructor(provider: ProviderConfig) {
    this.provider = provider;
  }
}

/** Conditions on the request (all must hold); unset ones are not checked. */
export class TraitConditions {
  /** Thinking / reasoning requested (Anthropic `thinking`, OpenAI `reasoning_effort`, `enable_thinking`). */
  thinking: i32 = -1; // -1 unset, 0 false, 1 true
  /** Estimated input tokens above this (count_tokens' estimate); -1 unset. */
  inputTokensAbove: i64 = -1;
  /** A tool whose type starts with this (web_search_20250305) or whose name is this; "" unset. */
  tool: string = "";
  /** The client's model is one of the scope's background models (Claude Code's small fast model). */
  background: i32 = -1;
  /** The client's model matches one of these patterns. */
  model: ModelMapping | null = null;
  /** A request header (lower-case) present, and matching `headerValue` patterns when given. */
  header: string = "";
  headerValue: ModelMapping | null = null;

  /** Whether checking these needs the request body (not only its headers). */
  get needsBody(): bool {
    return this.thinking >= 0 || this.inputTokensAbove >= 0 || this.tool.length > 0;
  }
}

export class Route {
  /** Named in metrics (ai_proxy.route.<name>.<target>.*) and the access log. */
  name: string = "";
  targets: Array<RouteTarget> = [];
  balance: Balance = Balance.Weighted;
  /** Trait rules only: the conditions that select this route. */
  when: TraitConditions | null = null;
}

export class RoutingConfig {
  /** Routes by the client's model, looked up through `table` (tags are indexes into `models`). */
  models: Array<Route> = [];
  table: ModelMapping = new ModelMapping();
  /** Trait rules, checked in order before the model table (claude-code-router's precedence). */
  rules: Array<Route> = [];
  /** Patterns of Claude Code's small fast model (`background` rules). */
  backgroundModels: ModelMapping = new ModelMapping();
  /** Headers a routing plugin ahead of this one sets (Higress model-router's modelToHeader / addProviderHeader). */
  modelHeader: string = "x-higress-llm-model";
  providerHeader: string = "x-higress-llm-provider";
  /** The request body is read before routing (allowOnHeadersStopIteration); otherwise only headers route. */
  readsBody: bool = false;
  /** Some rule needs the body's traits beyond the model (thinking, tokens, tools). */
  needsTraits: bool = false;
}
