// Provider fallback and circuit breaking (not in Higress ai-proxy; our addition). In a scope (global or a rule):
//   "fallback": { "providers": ["backup-a", "backup-b"], "onStatus": ["5.*", "429"],
//                 "errorRateThreshold": 0.05, "windowMs": 60000, "minRequests": 20,
//                 "consecutiveFailures": 5, "coolDownMs": 30000 }
// A provider whose error rate over the window passes the threshold (seed 003: 5%), or that fails
// `consecutiveFailures` times in a row, is skipped for `coolDownMs`; requests it fails with a status in
// `onStatus` are re-sent to the next provider in `providers` before anything reaches the client.
import { JsonValue } from "../json";
import { Regex } from "../regex";
import { ConfigErrors, FieldReader } from "./reader";
import { ProviderConfig, StatusPatterns } from "./provider-config";

export class BreakerConfig {
  errorRateThreshold: f64 = 0.05;
  windowMs: i64 = 60000;
  minRequests: i64 = 20;
  consecutiveFailures: i64 = 5;
  coolDownMs: i64 = 30000;
}

export class FallbackConfig {
  providerIds: Array<string> = [];
  /** Resolved from providerIds against the scope's providers. */
  providers: Array<ProviderConfig> = [];
  /** Per provider, the model to send it ("" applies its modelMapping); set for a route's targets (routing/router.ts). */
  models: Array<string> = [];
  onStatus: StatusPatterns = new StatusPatterns();
  breaker: BreakerConfig = new BreakerConfig();
}

const FIELDS: Array<string> = ["providers", "onStatus", "errorRateThreshold", "windowMs", "minRequests", "consecutiveFailures", "coolDownMs"];

export function parseFallback(v: JsonValue, path: string, scopeProviders: Array<ProviderConfig>, errors: ConfigErrors): FallbackConfig {
  const r = new FieldReader(v, path, errors);
  r.warnUnknown(FIELDS);
  const f = new FallbackConfig();
  f.providerIds = r.strArray("providers");
  if (f.providerIds.length == 0) errors.add(r.fieldPath("providers"), "must name at least one provider id to fall back to");
  for (let i = 0; i < f.providerIds.length; i++) {
    let found: ProviderConfig | null = null;
    for (let j = 0; j < scopeProviders.length; j++) if (scopeProviders[j].id == f.providerIds[i]) found = scopeProviders[j];
    if (found === null) errors.add(r.fieldPath("providers") + "[" + i.toString() + "]", "no provider has id \"" + f.providerIds[i] + "\"");
    else f.providers.push(found);
  }
  const statuses = r.has("onStatus") ? r.strArray("onStatus") : ["5.*", "429"];
  for (let i = 0; i < statuses.length; i++) {
    const c = Regex.compile(statuses[i]);
    const re = c.regex;
    if (re === null) errors.add(r.fieldPath("onStatus") + "[" + i.toString() + "]", "invalid pattern \"" + statuses[i] + "\": " + c.error);
    else f.onStatus.patterns.push(re);
  }
  const b = f.breaker;
  if (r.has("errorRateThreshold")) {
    const t = v.getNumber("errorRateThreshold", -1);
    if (t <= 0 || t > 1) errors.add(r.fieldPath("errorRateThreshold"), "must be a number in (0, 1]");
    else b.errorRateThreshold = t;
  }
  b.windowMs = r.int("windowMs", 60000, 1000, 86400000);
  b.minRequests = r.int("minRequests", 20, 1, 1000000);
  b.consecutiveFailures = r.int("consecutiveFailures", 5, 1, 1000000);
  b.coolDownMs = r.int("coolDownMs", 30000, 100, 86400000);
  return f;
}
