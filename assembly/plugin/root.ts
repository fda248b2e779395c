// One root context per plugin configuration: parses the configuration once and creates a stream per request.
import { HttpContext, logError, logInfo, logWarn, RootContext } from "../abi";
import { parsePluginConfig, PluginConfig } from "../config/plugin-config";
import { AiProxyStream } from "./stream";

export class AiProxyRoot extends RootContext {
  config: PluginConfig | null = null;

  onConfigure(configuration: ArrayBuffer): bool {
    const result = parsePluginConfig(Uint8Array.wrap(configuration));
    for (let i = 0; i < result.warnings.length; i++) logWarn("ai-proxy: configuration: " + result.warnings[i]);
    const config = result.config;
    if (config === null) {
      logError("ai-proxy: invalid configuration: " + result.error);
      return false;
    }
    this.config = config;
    const active = config.global.active;
    logInfo("ai-proxy: configured" + (active !== null ? " provider " + active.type : "") + ", " + config.rules.length.toString() + " rule(s)");
    return true;
  }

  newHttpContext(id: u32): HttpContext {
    return new AiProxyStream(id, this);
  }
}

export function newAiProxyRoot(id: u32): RootContext {
  return new AiProxyRoot(id);
}
