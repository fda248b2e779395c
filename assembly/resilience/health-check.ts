// Health checks of tokens out of rotation: a tiny chat request with `healthCheckModel`, sent with that token by
// an HTTP callout from the root context of the one VM that holds the provider's lease.
import { dispatchHttpCall, getHeader, HttpCallHandler, logInfo, logWarn, MapType } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Protocol, Schema } from "../protocol/api";
import { JsonWriter } from "../json";
import { resolveTarget, UpstreamTarget } from "../providers/resolve";
import { optionsFor } from "../providers/translate-options";
import { translateBody } from "../translate";
import { holdLease } from "./lease";
import { clusterFor } from "./recovery";
import { TokenPool } from "./token-health";
import { calloutHeaders } from "./upstream-request";

class HealthCheckAnswer extends HttpCallHandler {
  constructor(public pool: TokenPool, public index: i32) { super(); }
  onHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
    const status = numHeaders == 0 ? 0 : I32.parseInt(headerOr(":status"));
    const ok = status >= 200 && status < 300;
    this.pool.recordHealthCheck(this.index, ok);
    const name = this.pool.provider.id.length > 0 ? this.pool.provider.id : this.pool.provider.type;
    // Never log the token itself: its position identifies it for the operator.
    if (ok) logInfo("ai-proxy: health check of " + name + " token #" + this.index.toString() + " passed");
    else logWarn("ai-proxy: health check of " + name + " token #" + this.index.toString() + " failed with status " + status.toString());
  }
}

function headerOr(key: string): string {
  const v = getHeader(MapType.HttpCallResponseHeaders, key);
  return v === null ? "0" : v;
}

/**
 * The smallest chat request: the same JSON is valid for OpenAI and Anthropic; other schemas get it translated by the
 * registry, and a path naming the model gets it (null when the probe cannot be built). The provider module's own edit
 * follows, as on forwarded requests (Claude Code mode's system line, Vertex AI's anthropic_version…).
 */
function probeBody(p: ProviderConfig, model: string, target: UpstreamTarget): Uint8Array | null {
  const w = new JsonWriter().beginObject().fieldString("model", model).fieldInt("max_tokens", 1).key("messages").beginArray()
    .beginObject().fieldString("role", "user").fieldString("content", "ping").endObject().endArray().endObject();
  let body = w.toBytes();
  if (!target.finishPath(model, false)) return null;
  if (target.upstreamSchema != Schema.OpenAIChat && target.upstreamSchema != Schema.AnthropicMessages) {
    const opts = optionsFor(p, 0);
    opts.modelMapping = null;
    opts.includeUsage = false;
    const r = translateBody(Schema.OpenAIChat, target.upstreamSchema, body, opts);
    if (!r.ok) return null;
    body = r.body;
  }
  const row = p.row;
  const own = row !== null && row.module !== null ? row.module!.editRequest(p, body, target.upstreamSchema) : null;
  return own !== null ? own : body;
}

/** Runs one round of health checks for `provider` if this VM holds its lease. */
export function runHealthChecks(provider: ProviderConfig, owner: u64, nowMs: u64): void {
  const f = provider.failover;
  if (!f.enabled) return;
  const pool = new TokenPool(provider);
  if (!holdLease(pool.key + "/lease", owner, nowMs, <u64>f.healthCheckInterval * 3)) return;
  const down = pool.unhealthy();
  if (down.length == 0) return;
  const target = resolveTarget(provider, ApiName.ChatCompletions, Protocol.OpenAI, "/v1/chat/completions");
  if (target.authority.length == 0) return;
  const probe = probeBody(provider, f.healthCheckModel, target);
  if (probe === null) return;
  const cluster = clusterFor(provider, target);
  for (let i = 0; i < down.length; i++) {
    const index = down[i];
    const headers = calloutHeaders(target, provider.apiTokens[index], provider.claudeVersion, null);
    const handler = new HealthCheckAnswer(pool, index);
    if (!dispatchHttpCall(cluster, headers, probe, <u32>f.healthCheckTimeout, handler)) {
      logWarn("ai-proxy: health check callout to cluster " + cluster + " was refused");
      pool.recordHealthCheck(index, false);
    }
  }
}
