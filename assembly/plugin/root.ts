// One root context per plugin configuration: parses the configuration once and creates a stream per request.
import { HttpContext, logError, logInfo, logWarn, nowMillis, randomU32, RootContext, setTickPeriod } from "../abi";
import { parsePluginConfig, PluginConfig } from "../config/plugin-config";
import { ProviderConfig } from "../config/provider-config";
import { addSecrets } from "../protocol/secrets";
import { runHealthChecks } from "../resilience/health-check";
import { holdsRequestHeaders } from "../providers/resolve";
import { ContextEntry } from "./context-file";
import { appliesToEveryRequest } from "./first-byte-timeout";
import { AiProxyStream } from "./stream";

export class AiProxyRoot extends RootContext {
  config: PluginConfig | null = null;
  /** System context fetched for chat requests (`context`, moonshotFileId), by source; kept for the root's lifetime. */
  contexts: Map<string, ContextEntry> = new Map();
  /** Providers whose tokens are health-checked on tick. */
  private checked: Array<ProviderConfig> = [];
  /** Identifies this VM's root context in shared leases (several VMs and workers share them). */
  private readonly owner: u64 = (<u64>randomU32() << 32) | <u64>randomU32() | 1;

  onConfigure(configuration: ArrayBuffer): bool {
    const result = parsePluginConfig(Uint8Array.wrap(configuration));
    for (let i = 0; i < result.warnings.length; i++) logWarn("ai-proxy: configuration: " + result.warnings[i]);
    for (let i = 0; i < result.errors.length; i++) logError("ai-proxy: configuration: " + result.errors[i]);
    const config = result.config;
    if (config === null) {
      logError("ai-proxy: invalid configuration: " + result.error);
      return false;
    }
    this.config = config;
    this.contexts = new Map();
    if (anyHoldsRequestHeaders(config)) {
      logInfo("ai-proxy: a provider's URL names the request's model (a {model} path, or azureServiceUrl without a deployment), so request headers wait for the body: this needs Envoy >= 1.35 with allow_on_headers_stop_iteration: true (older Envoy and Higress would stall such requests)");
    }
    const providers = config.allProviders();
    for (let i = 0; i < providers.length; i++) {
      addSecrets(providers[i].apiTokens);
      if (providers[i].firstByteTimeout > 0 && !config.allowOnHeadersStopIteration && !appliesToEveryRequest(providers[i])) {
        logWarn("ai-proxy: firstByteTimeout is not applied: it needs allowOnHeadersStopIteration (Envoy >= 1.35 allow_on_headers_stop_iteration), as whether a request streams is known from its body");
      }
    }
    this.scheduleHealthChecks(config);
    const active = config.global.active;
    logInfo("ai-proxy: configured" + (active !== null ? " provider " + active.type : "") + ", " + config.rules.length.toString() + " rule(s)");
    return true;
  }

  private scheduleHealthChecks(config: PluginConfig): void {
    const all = config.allProviders();
    this.checked = [];
    let period: i32 = 0;
    for (let i = 0; i < all.length; i++) {
      const f = all[i].failover;
      if (!f.enabled) continue;
      this.checked.push(all[i]);
      if (period == 0 || f.healthCheckInterval < period) period = f.healthCheckInterval;
    }
    setTickPeriod(<u32>period);
  }

  onTick(): void {
    const now = nowMillis();
    for (let i = 0; i < this.checked.length; i++) runHealthChecks(this.checked[i], this.owner, now);
  }

  newHttpContext(id: u32): HttpContext {
    return new AiProxyStream(id, this);
  }
}

export function newAiProxyRoot(id: u32): RootContext {
  return new AiProxyRoot(id);
}

/** Whether a provider must hold request headers until the body is read (its URL names the model). */
function anyHoldsRequestHeaders(config: PluginConfig): bool {
  const all = config.allProviders();
  for (let i = 0; i < all.length; i++) if (holdsRequestHeaders(all[i])) return true;
  return false;
}
