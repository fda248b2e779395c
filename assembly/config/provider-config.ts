// One provider's configuration, with Higress ai-proxy's field names (seed 001) so existing configs load unchanged.
import { EFFORT_ORDER, effortRank, ModelTraits, ModelTraitsTable, Reasoning } from "../mapping/model-traits";
import { JsonValue } from "../json";
import { ModelMapping } from "../mapping/model-mapping";
import { ProviderSettings } from "../providers/module";
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
  /** claudeVersion (or apiVersion for claude) was configured: it replaces the client's anthropic-version. */
  claudeVersionPinned: bool = false;
  /** Rows put before the built-in model traits table (mapping/model-traits.ts); null: the defaults only. */
  modelTraits: ModelTraitsTable | null = null;
  /** Drop (and announce) request fields that change the output but have no counterpart upstream, instead of a 400. */
  dropUnsupportedParams: bool = false;
  apiVersion: string = "";
  /** Raw JSON of responseJsonSchema, spliced into OpenAI requests as response_format. */
  responseJsonSchema: string = "";
  firstByteTimeout: i32 = 0;
  /**
   * Why requests to this provider cannot be sent although Higress accepts the configuration (a value its URL needs is
   * missing): each request is answered with a 500 naming it instead of reaching the provider with a broken URL.
   */
  unusable: string = "";
  /** Shared-data keys of this provider's token and breaker state: filled by resilience/ on first use, so they
   *  are computed once per configuration and go away with it. */
  tokenStateKey: string = "";
  breakerStateKey: string = "";
  /** Streaming chat requests to OpenAI-protocol providers ask for usage unless this is false. */
  streamIncludeUsage: bool = true;
  // provider-specific
  openaiCustomUrl: string = "";
  moonshotFileId: string = "";
  qwenEnableCompatible: bool = false;
  qwenEnableSearch: bool = false;
  qwenFileIds: Array<string> = [];
  minimaxApiType: string = "v2";
  minimaxGroupId: string = "";
  vllmServerHost: string = "";
  vllmCustomUrl: string = "";
  /** A user message that is exactly one of these drops itself and the conversation before it (system messages stay). */
  contextCleanupCommands: Array<string> = [];
  /** Consecutive user (or assistant) messages are joined into one, for providers that require alternation. */
  mergeConsecutiveMessages: bool = false;
  /** An answer with reasoning but no text gets the reasoning as its text (OpenAI chat answers). */
  promoteThinkingOnEmpty: bool = false;
  /** The fields a provider module reads for itself (providers/module.ts); null when its row names no module. */
  settings: ProviderSettings | null = null;
  /**
   * The Envoy cluster the plugin's own calls to this provider go to (retries, fallback, health checks). Empty: the
   * cluster its forwarded traffic last went to, else one named after the provider's host.
   */
  calloutCluster: string = "";
}

const KNOWN_FIELDS: Array<string> = [
  "id", "type", "apiTokens", "timeout", "modelMapping", "protocol", "context", "customSettings", "capabilities",
  "failover", "retryOnFailure", "reasoningContentMode", "subPath", "basePath", "basePathHandling", "providerBasePath",
  "providerDomain", "claudeVersion", "apiVersion", "modelTraits", "dropUnsupportedParams", "responseJsonSchema", "firstByteTimeout",
  "streamIncludeUsage", "openaiCustomUrl", "moonshotFileId", "qwenEnableCompatible",
  "qwenEnableSearch", "qwenFileIds",
  "minimaxApiType", "minimaxGroupId", "vllmServerHost", "vllmCustomUrl",
  "calloutCluster",
  "contextCleanupCommands", "mergeConsecutiveMessages", "promoteThinkingOnEmpty", "hiclawMode",
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

const REASONING_KINDS: Array<string> = ["none", "budget", "adaptive", "effort"];

/** `modelTraits`: [{pattern, reasoning, efforts, sampling, midConversationSystem}], checked first, then the defaults. */
function parseModelTraits(r: FieldReader, errors: ConfigErrors): ModelTraitsTable | null {
  const rows = r.objects("modelTraits");
  if (rows === null) return null;
  const table = new ModelTraitsTable();
  for (let i = 0; i < rows.length; i++) {
    const tr = rows[i];
    const t = new ModelTraits();
    t.pattern = tr.str("pattern");
    if (t.pattern.length == 0) errors.add(tr.fieldPath("pattern"), "is required (a model-name glob, e.g. \"my-model-*\")");
    const kind = tr.oneOf("reasoning", REASONING_KINDS, "none");
    t.reasoning = <Reasoning>REASONING_KINDS.indexOf(kind);
    const efforts = tr.strArray("efforts");
    for (let k = 0; k < efforts.length; k++) {
      if (effortRank(efforts[k]) < 0) errors.add(tr.fieldPath("efforts") + "[" + k.toString() + "]", "must be one of " + EFFORT_ORDER.join(", "));
    }
    t.efforts = efforts;
    if ((t.reasoning == Reasoning.Adaptive || t.reasoning == Reasoning.Effort) && efforts.length == 0) {
      errors.add(tr.fieldPath("efforts"), "is required when reasoning is \"" + kind + "\"");
    }
    t.sampling = tr.bool("sampling", true);
    t.midSystem = tr.bool("midConversationSystem", false);
    table.rows.push(t);
  }
  return table;
}

export function parseProviderConfig(v: JsonValue, path: string, errors: ConfigErrors): ProviderConfig {
  const r = new FieldReader(v, path, errors);
  const p = new ProviderConfig();
  p.id = r.str("id");
  p.type = r.str("type");
  if (p.type.length == 0) errors.add(r.fieldPath("type"), "is required (e.g. \"openai\", \"claude\", \"azure\")");
  else {
    p.row = findProviderRow(p.type);
    if (p.row === null) errors.add(r.fieldPath("type"), "unknown provider type \"" + p.type + "\"");
  }
  const row = p.row;
  const mod = row !== null ? row.module : null;
  r.warnUnknown(mod === null ? KNOWN_FIELDS : KNOWN_FIELDS.concat(mod.fields()));
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
  const settings = r.objects("customSettings");
  if (settings !== null) {
    for (let i = 0; i < settings.length; i++) {
      const sr = settings[i];
      const s = new CustomSetting();
      s.name = sr.str("name");
      if (s.name.length == 0) errors.add(sr.fieldPath("name"), "is required");
      const value = sr.obj.get("value");
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
  p.apiVersion = r.str("apiVersion");
  // Higress reads claudeVersion, then apiVersion, for the anthropic-version header.
  p.claudeVersion = r.str("claudeVersion", p.type == "claude" && p.apiVersion.length > 0 ? p.apiVersion : "2023-06-01");
  p.claudeVersionPinned = r.has("claudeVersion") || (p.type == "claude" && p.apiVersion.length > 0);
  p.modelTraits = parseModelTraits(r, errors);
  p.dropUnsupportedParams = r.bool("dropUnsupportedParams", false);
  const schema = r.object("responseJsonSchema");
  if (schema !== null) p.responseJsonSchema = schema.rawString();
  p.firstByteTimeout = <i32>r.int("firstByteTimeout", 0);
  // generic passes bodies as they come (Higress adds no stream_options there): an unknown backend may reject the field.
  p.streamIncludeUsage = r.bool("streamIncludeUsage", p.type != "generic");
  p.openaiCustomUrl = r.str("openaiCustomUrl");
  p.moonshotFileId = r.str("moonshotFileId");
  p.qwenEnableCompatible = r.bool("qwenEnableCompatible", false);
  p.qwenEnableSearch = r.bool("qwenEnableSearch", false);
  p.qwenFileIds = r.strArray("qwenFileIds");
  p.minimaxApiType = r.oneOf("minimaxApiType", ["v2", "pro"], "v2");
  p.minimaxGroupId = r.str("minimaxGroupId");
  p.vllmServerHost = r.str("vllmServerHost");
  p.vllmCustomUrl = r.str("vllmCustomUrl");
  p.calloutCluster = r.str("calloutCluster");
  // An empty command would match every empty user message: skipped, as Higress skips it.
  p.contextCleanupCommands = r.strArray("contextCleanupCommands").filter((c: string) => c.trim().length > 0);
  // Higress's hiclawMode (multi-agent collaboration) turns on both of the following.
  const hiclaw = r.bool("hiclawMode", false);
  p.mergeConsecutiveMessages = hiclaw || r.bool("mergeConsecutiveMessages", false);
  p.promoteThinkingOnEmpty = hiclaw || r.bool("promoteThinkingOnEmpty", false);
  if (mod !== null) mod.configure(p, r, errors);
  validateProviderSpecific(p, r, errors);
  return p;
}

/** The customSettings names seed 001's table knows (auto mode renames or drops the others). */
const CUSTOM_SETTING_NAMES: Array<string> = ["max_tokens", "temperature", "top_p", "top_k", "seed"];
/**
 * The capabilities served (resolve.ts, forwarded.ts): the ones Higress accepts (chat, embeddings, images, audio,
 * realtime, responses, cohere/v1/rerank; Higress ignores any other name) and the forwarded APIs' own names (files,
 * batches, moderations, fine-tuning, conversations). Other names are warned about and ignored, as Higress ignores them.
 */
const CAPABILITY_NAMES: Array<string> = [
  "openai/v1/chatcompletions", "openai/v1/embeddings", "openai/v1/imagegeneration", "openai/v1/imageedit",
  "openai/v1/imagevariation", "openai/v1/audiospeech", "openai/v1/audiotranscription", "openai/v1/audiotranslation",
  "openai/v1/realtime", "openai/v1/responses", "cohere/v1/rerank", "openai/v1/files", "openai/v1/batches",
  "openai/v1/moderations", "openai/v1/fine-tuning/jobs", "openai/v1/conversations",
];
/** Higress accepts these, for /v1/videos, which this gateway does not serve. */
const VIDEO_CAPABILITIES: Array<string> = ["openai/v1/videos", "openai/v1/retrievevideo", "openai/v1/retrievevideocontent", "openai/v1/videoremix"];

function checkPathField(r: FieldReader, key: string, value: string, errors: ConfigErrors): void {
  if (value.length > 0 && !value.startsWith("/")) errors.add(r.fieldPath(key), "must start with \"/\", got \"" + value + "\"");
  if (value.includes("?") || value.includes("#")) errors.add(r.fieldPath(key), "must be a path without query or fragment");
}

function checkUrlField(r: FieldReader, key: string, value: string, errors: ConfigErrors): void {
  if (value.length == 0) return;
  let rest = value;
  const scheme = rest.indexOf("://");
  if (scheme >= 0) {
    const s = rest.substring(0, scheme);
    if (s != "http" && s != "https") errors.add(r.fieldPath(key), "must be an http(s) URL, got scheme \"" + s + "\"");
    rest = rest.substring(scheme + 3);
  }
  let end = rest.length;
  const slash = rest.indexOf("/");
  if (slash >= 0) end = slash;
  const q = rest.indexOf("?");
  if (q >= 0 && q < end) end = q;
  if (end == 0) errors.add(r.fieldPath(key), "has no host: \"" + value + "\"");
  else if (rest.substring(0, end).includes(" ")) errors.add(r.fieldPath(key), "host must not contain spaces");
}

/** Requirements seed 001 states per provider type, and the checks of fields that need more than a type. */
function validateProviderSpecific(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
  checkPathField(r, "subPath", p.subPath, errors);
  checkPathField(r, "basePath", p.basePath, errors);
  checkPathField(r, "providerBasePath", p.providerBasePath, errors);
  checkUrlField(r, "openaiCustomUrl", p.openaiCustomUrl, errors);
  checkUrlField(r, "vllmCustomUrl", p.vllmCustomUrl, errors);
  if (p.providerDomain.includes("/")) errors.add(r.fieldPath("providerDomain"), "must be a host[:port], not a URL");
  for (let i = 0; i < p.apiTokens.length; i++) {
    const t = p.apiTokens[i];
    if (t.includes("\n") || t.includes("\r")) errors.add(r.fieldPath("apiTokens") + "[" + i.toString() + "]", "must not contain line breaks");
  }
  for (let i = 0; i < p.customSettings.length; i++) {
    const s = p.customSettings[i];
    if (s.mode == "auto" && s.name.length > 0 && !CUSTOM_SETTING_NAMES.includes(s.name)) {
      errors.warn(r.fieldPath("customSettings") + "[" + i.toString() + "].name", "\"" + s.name + "\" is not in the auto-mode table (max_tokens, temperature, top_p, top_k, seed): no effect unless mode is raw");
    }
  }
  const caps = p.capabilities.keys();
  for (let i = 0; i < caps.length; i++) {
    if (!CAPABILITY_NAMES.includes(caps[i])) {
      errors.warn(r.fieldPath("capabilities") + "." + caps[i], VIDEO_CAPABILITIES.includes(caps[i]) ? "the videos API is not served by this gateway, ignored" : "unknown capability, ignored");
      p.capabilities.delete(caps[i]);
    } else if (!p.capabilities.get(caps[i]).startsWith("/")) errors.add(r.fieldPath("capabilities") + "." + caps[i], "must be a path starting with \"/\"");
  }
  const ctx = p.context;
  if (ctx !== null && ctx.fileUrl.length > 0) checkUrlField(r, "context.fileUrl", ctx.fileUrl, errors);
  if (p.type == "minimax") {
    if (p.minimaxApiType == "pro" && p.minimaxGroupId.length == 0) errors.add(r.fieldPath("minimaxGroupId"), "is required when minimaxApiType is pro");
  } else if (p.type == "vllm") {
    if (p.vllmServerHost.length == 0 && p.vllmCustomUrl.length == 0) errors.add(r.fieldPath("vllmServerHost"), "vllmServerHost or vllmCustomUrl is required for provider type vllm");
  }
  if (p.context !== null && (p.moonshotFileId.length > 0 || p.qwenFileIds.length > 0)) {
    errors.add(r.fieldPath("context"), "cannot be combined with moonshotFileId or qwenFileIds");
  }
}
