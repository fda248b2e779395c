// One provider's configuration, with Higress ai-proxy's field names (seed 001) so existing configs load unchanged.
import { JsonValue } from "../json";
import { ModelMapping } from "../mapping/model-mapping";
import { findProviderRow, ProviderRow } from "../providers/table";
import { Regex } from "../regex";
import { ConfigErrors, FieldReader } from "./reader";

export class ContextConfig {
  fileUrl: string = "";
  serviceName: string = "";
  servicePort: i64 = 0;
}

export class CustomSetting {
  name: string = "";
  /** The value as raw JSON (string, number, bool, object...) to splice into the request. */
  valueJson: string = "";
  /** "auto" renames per protocol; "raw" sets the name as given. */
  mode: string = "auto";
  overwrite: bool = true;
}

export class StatusPatterns {
  patterns: Array<Regex> = [];
  /** Anchored match of a status code such as "429" against any pattern. */
  matches(status: string): bool {
    for (let i = 0; i < this.patterns.length; i++) if (this.patterns[i].matchesWhole(status)) return true;
    return false;
  }
}

export class FailoverConfig {
  enabled: bool = false;
  failureThreshold: i32 = 3;
  successThreshold: i32 = 1;
  healthCheckInterval: i32 = 5000;
  healthCheckTimeout: i32 = 5000;
  healthCheckModel: string = "";
  failoverOnStatus: StatusPatterns = new StatusPatterns();
}

export class RetryConfig {
  enabled: bool = false;
  maxRetries: i32 = 1;
  retryTimeout: i32 = 30000;
  retryOnStatus: StatusPatterns = new StatusPatterns();
}

export class ProviderConfig {
  id: string = "";
  type: string = "";
  row: ProviderRow | null = null;
  apiTokens: Array<string> = [];
  timeout: i32 = 120000;
  modelMapping: ModelMapping = new ModelMapping();
  /** "openai" (convert to and from the provider) or "original" (only host, path and auth rewritten). */
  protocol: string = "openai";
  context: ContextConfig | null = null;
  customSettings: Array<CustomSetting> = [];
  capabilities: Map<string, string> = new Map();
  failover: FailoverConfig = new FailoverConfig();
  retryOnFailure: RetryConfig = new RetryConfig();
  reasoningContentMode: string = "passthrough";
  subPath: string = "";
  basePath: string = "";
  basePathHandling: string = "removePrefix";
  providerBasePath: string = "";
  providerDomain: string = "";
  claudeVersion: string = "2023-06-01";
  apiVersion: string = "";
  /** Raw JSON of responseJsonSchema, spliced into OpenAI requests as response_format. */
  responseJsonSchema: string = "";
  firstByteTimeout: i32 = 0;
  claudeCodeMode: bool = false;
  /** Streaming chat requests to OpenAI-protocol providers ask for usage unless this is false. */
  streamIncludeUsage: bool = true;
  // provider-specific
  openaiCustomUrl: string = "";
  azureServiceUrl: string = "";
  moonshotFileId: string = "";
  qwenEnableCompatible: bool = false;
  qwenEnableSearch: bool = false;
  qwenFileIds: Array<string> = [];
  qwenDomain: string = "";
  ollamaServerHost: string = "";
  ollamaServerPort: i32 = 11434;
  cloudflareAccountId: string = "";
  minimaxApiType: string = "v2";
  minimaxGroupId: string = "";
  doubaoDomain: string = "";
  zhipuDomain: string = "";
  vllmServerHost: string = "";
  vllmCustomUrl: string = "";
  genericHost: string = "";
}

const KNOWN_FIELDS: Array<string> = [
  "id", "type", "apiTokens", "timeout", "modelMapping", "protocol", "context", "customSettings", "capabilities",
  "failover", "retryOnFailure", "reasoningContentMode", "subPath", "basePath", "basePathHandling", "providerBasePath",
  "providerDomain", "claudeVersion", "apiVersion", "responseJsonSchema", "firstByteTimeout", "claudeCodeMode",
  "streamIncludeUsage", "openaiCustomUrl", "azureServiceUrl", "moonshotFileId", "qwenEnableCompatible",
  "qwenEnableSearch", "qwenFileIds", "qwenDomain", "ollamaServerHost", "ollamaServerPort", "cloudflareAccountId",
  "minimaxApiType", "minimaxGroupId", "doubaoDomain", "zhipuDomain", "vllmServerHost", "vllmCustomUrl", "genericHost",
];

function parseStatusPatterns(r: FieldReader, key: string, errors: ConfigErrors): StatusPatterns {
  const out = new StatusPatterns();
  const given = r.strArray(key);
  const sources = r.has(key) ? given : ["4.*", "5.*"];
  for (let i = 0; i < sources.length; i++) {
    const c = Regex.compile(sources[i]);
    const re = c.regex;
    if (re === null) errors.add(r.fieldPath(key) + "[" + i.toString() + "]", "invalid pattern \"" + sources[i] + "\": " + c.error);
    else out.patterns.push(re);
  }
  return out;
}

export function parseProviderConfig(v: JsonValue, path: string, errors: ConfigErrors): ProviderConfig {
  const r = new FieldReader(v, path, errors);
  const p = new ProviderConfig();
  r.warnUnknown(KNOWN_FIELDS);
  p.id = r.str("id");
  p.type = r.str("type");
  if (p.type.length == 0) errors.add(r.fieldPath("type"), "is required (e.g. \"openai\", \"claude\", \"azure\")");
  else {
    p.row = findProviderRow(p.type);
    if (p.row === null) errors.add(r.fieldPath("type"), "unknown provider type \"" + p.type + "\"");
  }
  p.apiTokens = r.strArray("apiTokens");
  p.timeout = <i32>r.int("timeout", 120000, 1);
  const mapping = r.strMap("modelMapping");
  for (let i = 0; i < mapping.length; i++) {
    const problem = p.modelMapping.add(mapping[i][0], mapping[i][1]);
    if (problem.length > 0) errors.add(r.fieldPath("modelMapping") + "." + mapping[i][0], problem);
  }
  p.protocol = r.oneOf("protocol", ["openai", "original"], "openai");
  const ctx = r.child("context");
  if (ctx !== null) {
    const c = new ContextConfig();
    c.fileUrl = ctx.str("fileUrl");
    c.serviceName = ctx.str("serviceName");
    c.servicePort = ctx.int("servicePort", 0, 1, 65535);
    if (c.fileUrl.length == 0) errors.add(ctx.fieldPath("fileUrl"), "is required");
    if (c.serviceName.length == 0) errors.add(ctx.fieldPath("serviceName"), "is required");
    if (c.servicePort == 0) errors.add(ctx.fieldPath("servicePort"), "is required");
    p.context = c;
  }
  const settings = r.array("customSettings");
  if (settings !== null) {
    for (let i = 0, n = settings.length; i < n; i++) {
      const item = settings.at(i);
      const itemPath = r.fieldPath("customSettings") + "[" + i.toString() + "]";
      if (item === null || !item.isObject()) {
        errors.add(itemPath, "must be an object");
        continue;
      }
      const sr = new FieldReader(item, itemPath, errors);
      const s = new CustomSetting();
      s.name = sr.str("name");
      if (s.name.length == 0) errors.add(sr.fieldPath("name"), "is required");
      const value = item.get("value");
      if (value === null) errors.add(sr.fieldPath("value"), "is required");
      else s.valueJson = value.rawString();
      s.mode = sr.oneOf("mode", ["auto", "raw"], "auto");
      s.overwrite = sr.bool("overwrite", true);
      p.customSettings.push(s);
    }
  }
  const caps = r.strMap("capabilities");
  for (let i = 0; i < caps.length; i++) p.capabilities.set(caps[i][0], caps[i][1]);
  const fo = r.child("failover");
  if (fo !== null) {
    const f = p.failover;
    f.enabled = fo.bool("enabled", false);
    f.failureThreshold = <i32>fo.int("failureThreshold", 3, 1);
    f.successThreshold = <i32>fo.int("successThreshold", 1, 1);
    f.healthCheckInterval = <i32>fo.int("healthCheckInterval", 5000, 1);
    f.healthCheckTimeout = <i32>fo.int("healthCheckTimeout", 5000, 1);
    f.healthCheckModel = fo.str("healthCheckModel");
    if (f.enabled && f.healthCheckModel.length == 0) errors.add(fo.fieldPath("healthCheckModel"), "is required when failover is enabled");
    f.failoverOnStatus = parseStatusPatterns(fo, "failoverOnStatus", errors);
  }
  const retry = r.child("retryOnFailure");
  if (retry !== null) {
    const rc = p.retryOnFailure;
    rc.enabled = retry.bool("enabled", false);
    rc.maxRetries = <i32>retry.int("maxRetries", 1, 0, 10);
    rc.retryTimeout = <i32>retry.int("retryTimeout", 30000, 1);
    rc.retryOnStatus = parseStatusPatterns(retry, "retryOnStatus", errors);
  }
  p.reasoningContentMode = r.oneOf("reasoningContentMode", ["passthrough", "ignore", "concat"], "passthrough");
  p.subPath = r.str("subPath");
  p.basePath = r.str("basePath");
  p.basePathHandling = r.oneOf("basePathHandling", ["removePrefix", "prepend"], "removePrefix");
  p.providerBasePath = r.str("providerBasePath");
  p.providerDomain = r.str("providerDomain");
  p.claudeVersion = r.str("claudeVersion", "2023-06-01");
  p.apiVersion = r.str("apiVersion");
  const schema = r.object("responseJsonSchema");
  if (schema !== null) p.responseJsonSchema = schema.rawString();
  p.firstByteTimeout = <i32>r.int("firstByteTimeout", 0);
  p.claudeCodeMode = r.bool("claudeCodeMode", false);
  p.streamIncludeUsage = r.bool("streamIncludeUsage", true);
  p.openaiCustomUrl = r.str("openaiCustomUrl");
  p.azureServiceUrl = r.str("azureServiceUrl");
  p.moonshotFileId = r.str("moonshotFileId");
  p.qwenEnableCompatible = r.bool("qwenEnableCompatible", false);
  p.qwenEnableSearch = r.bool("qwenEnableSearch", false);
  p.qwenFileIds = r.strArray("qwenFileIds");
  p.qwenDomain = r.str("qwenDomain");
  p.ollamaServerHost = r.str("ollamaServerHost");
  p.ollamaServerPort = <i32>r.int("ollamaServerPort", 11434, 1, 65535);
  p.cloudflareAccountId = r.str("cloudflareAccountId");
  p.minimaxApiType = r.oneOf("minimaxApiType", ["v2", "pro"], "v2");
  p.minimaxGroupId = r.str("minimaxGroupId");
  p.doubaoDomain = r.str("doubaoDomain");
  p.zhipuDomain = r.str("zhipuDomain");
  p.vllmServerHost = r.str("vllmServerHost");
  p.vllmCustomUrl = r.str("vllmCustomUrl");
  p.genericHost = r.str("genericHost");
  validateProviderSpecific(p, r, errors);
  return p;
}

/** Requirements seed 001 states per provider type. */
function validateProviderSpecific(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
  if (p.type == "azure") {
    if (p.azureServiceUrl.length == 0) errors.add(r.fieldPath("azureServiceUrl"), "is required for provider type azure");
    if (p.apiTokens.length > 1) errors.add(r.fieldPath("apiTokens"), "azure supports a single token");
  } else if (p.type == "ollama") {
    if (p.ollamaServerHost.length == 0) errors.add(r.fieldPath("ollamaServerHost"), "is required for provider type ollama");
  } else if (p.type == "cloudflare") {
    if (p.cloudflareAccountId.length == 0) errors.add(r.fieldPath("cloudflareAccountId"), "is required for provider type cloudflare");
  } else if (p.type == "minimax") {
    if (p.minimaxApiType == "pro" && p.minimaxGroupId.length == 0) errors.add(r.fieldPath("minimaxGroupId"), "is required when minimaxApiType is pro");
  } else if (p.type == "vllm") {
    if (p.vllmServerHost.length == 0 && p.vllmCustomUrl.length == 0) errors.add(r.fieldPath("vllmServerHost"), "vllmServerHost or vllmCustomUrl is required for provider type vllm");
  } else if (p.type == "generic") {
    if (p.genericHost.length == 0) errors.add(r.fieldPath("genericHost"), "is required for provider type generic");
  }
  if (p.context !== null && (p.moonshotFileId.length > 0 || p.qwenFileIds.length > 0)) {
    errors.add(r.fieldPath("context"), "cannot be combined with moonshotFileId or qwenFileIds");
  }
}
