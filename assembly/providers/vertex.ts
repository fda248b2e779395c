// Google Vertex AI (type vertex): Gemini models in Gemini's own schema (the gemini translators) and Claude models in
// Anthropic's (https://docs.anthropic.com/en/api/claude-on-vertex-ai: no `model` in the body, `anthropic_version`
// "vertex-2023-10-16" in it), both at a URL naming the model. Seed 001's fields: vertexAuthKey (a service-account
// JSON key: its token comes from providers/google-oauth.ts through the cluster Higress names after
// vertexAuthServiceName), vertexRegion ("global": no region prefix on the host), vertexProjectId,
// vertexTokenRefreshAhead (seconds, default 60), geminiSafetySetting. Express mode (apiTokens set, as in Higress):
// https://aiplatform.googleapis.com/v1/publishers/… with no project or location, the key as `?key=` (Google's
// express-mode reference; auth.ts QueryKey: the client's path stays in x-envoy-original-path for access logs).
// vertexOpenAICompatible (service account only, as in Higress): chat requests go in OpenAI's own schema to Vertex's
// OpenAI-compatible endpoint (https://cloud.google.com/vertex-ai/generative-ai/docs/migrate/openai/overview:
// POST /v1beta1/projects/{p}/locations/{r}/endpoints/openapi/chat/completions), only the model mapped.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { JsonKind, ObjectEdits, parseJson, spliceObject } from "../json";
import { Schema } from "../protocol/api";
import { GeminiModule, GeminiSettings, safetyJson } from "./gemini";
import { CLOUD_PLATFORM_SCOPE, readServiceAccount, ServiceAccount } from "./google-oauth";
import { TokenGrant } from "./module";
import { parseUrl } from "./resolve";

/** The path segment between /v1 and /publishers: `/projects/{p}/locations/{r}`, or nothing in express mode. */
export const VERTEX_SCOPE_PLACEHOLDER = "{vertexScope}";
const HOST = "aiplatform.googleapis.com";
/** https://docs.anthropic.com/en/api/claude-on-vertex-ai: "must be set to the value vertex-2023-10-16". */
const ANTHROPIC_VERSION = "vertex-2023-10-16";

export class VertexSettings extends GeminiSettings {
  region: string = "";
  projectId: string = "";
  /** null in express mode (apiTokens). */
  grant: TokenGrant | null = null;
  /** vertexOpenAICompatible: chat in OpenAI's schema at the OpenAI-compatible endpoint. */
  openAICompatible: bool = false;
}

export class VertexModule extends GeminiModule {
  fields(): Array<string> {
    return ["geminiSafetySetting", "geminiThinkingBudget", "vertexAuthKey", "vertexRegion", "vertexProjectId", "vertexAuthServiceName", "vertexTokenRefreshAhead", "vertexOpenAICompatible"];
  }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new VertexSettings();
    s.safety = r.strMap("geminiSafetySetting");
    if (r.has("geminiThinkingBudget")) {
      s.thinkingBudget = r.int("geminiThinkingBudget", 0, -1, 0x7FFFFFFF);
      s.hasThinkingBudget = true;
    }
    p.settings = s;
    s.openAICompatible = r.bool("vertexOpenAICompatible");
    if (p.apiTokens.length > 0) {
      // express mode: nothing else is needed (Higress), and its keys do not reach the OpenAI-compatible endpoint
      if (s.openAICompatible) errors.add(r.fieldPath("vertexOpenAICompatible"), "cannot be used with apiTokens (express mode): the OpenAI-compatible endpoint takes the service account's token");
      // The key goes in the query as it is: a character that needs escaping would change the URL.
      for (let i = 0; i < p.apiTokens.length; i++) {
        if (!isQuerySafe(p.apiTokens[i])) errors.add(r.fieldPath("apiTokens") + "[" + i.toString() + "]", "a Vertex AI express-mode key has only letters, digits, '-', '.', '_' and '~' (it is sent as ?key=)");
      }
      return;
    }
    s.region = r.str("vertexRegion");
    s.projectId = r.str("vertexProjectId");
    const service = r.str("vertexAuthServiceName");
    const required = ["vertexAuthKey", "vertexRegion", "vertexProjectId", "vertexAuthServiceName"];
    for (let i = 0; i < required.length; i++) {
      if (!r.has(required[i])) errors.add(r.fieldPath(required[i]), "is required for provider type vertex without apiTokens (express mode)");
    }
    if (r.has("vertexRegion") && !isHostLabel(s.region)) errors.add(r.fieldPath("vertexRegion"), "must be a Google Cloud region such as us-central1 or global");
    if (r.has("vertexProjectId") && !isPathSegment(s.projectId)) errors.add(r.fieldPath("vertexProjectId"), "must be a Google Cloud project id");
    // The key may be the JSON text (as Higress documents it) or the JSON object itself.
    const raw = r.obj.get("vertexAuthKey");
    if (raw === null || raw.isNull()) return;
    const account = new ServiceAccount();
    const problem = readServiceAccount(raw.kind == JsonKind.Object ? raw.rawString() : r.str("vertexAuthKey"), account);
    if (problem.length > 0) {
      errors.add(r.fieldPath("vertexAuthKey"), problem);
      return;
    }
    // Higress loads a key it cannot sign with and fails its requests; so do we, saying why at load time too.
    if (account.key === null) errors.warn(r.fieldPath("vertexAuthKey"), "private_key " + account.keyError + ": requests will fail with 500");
    const aheadSeconds = r.int("vertexTokenRefreshAhead", 60, 0, 3000);
    const token = parseUrl(account.tokenUri);
    // Higress calls the token endpoint through its DNS service's cluster (wrapper.DnsCluster, port 443).
    s.grant = new TokenGrant(account, CLOUD_PLATFORM_SCOPE, "outbound|443||" + service + ".dns", token.authority,
      token.path.length > 0 ? token.path : "/token", aheadSeconds == 0 ? 60 : aheadSeconds, <u32>p.timeout);
  }

  authority(p: ProviderConfig): string {
    const s = p.settings;
    if (s === null) return HOST;
    const region = (s as VertexSettings).region;
    return region.length == 0 || region == "global" ? HOST : region + "-" + HOST;
  }

  fillPath(p: ProviderConfig, path: string): string {
    const s = p.settings;
    const v = s !== null ? s as VertexSettings : null;
    const scope = v !== null && v.grant !== null ? "/projects/" + v.projectId + "/locations/" + v.region : "";
    return path.replace(VERTEX_SCOPE_PLACEHOLDER, scope);
  }

  /** Claude models are Anthropic's publisher models (Higress: a mapped model starting with "claude"). */
  schemaForModel(p: ProviderConfig, model: string): Schema {
    return model.startsWith("claude") ? Schema.AnthropicMessages : this.chatSchema(p);
  }

  /** Gemini's schema, or OpenAI's at the OpenAI-compatible endpoint (vertexOpenAICompatible). */
  chatSchema(p: ProviderConfig): Schema {
    const s = p.settings;
    return s !== null && (s as VertexSettings).openAICompatible ? Schema.OpenAIChat : Schema.GeminiGenerateContent;
  }

  tokenGrant(p: ProviderConfig): TokenGrant | null {
    const s = p.settings;
    return s !== null ? (s as VertexSettings).grant : null;
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    if (schema == Schema.GeminiImageContent) return imageRequestEdits(p, body);
    if (schema != Schema.AnthropicMessages) return super.editRequest(p, body, schema);
    const root = parseJson(body).value;
    if (root === null || !root.isObject()) return null;
    return spliceObject(root, new ObjectEdits().remove("model").setString("anthropic_version", ANTHROPIC_VERSION));
  }
}

/** An images request (translate/openai_images_gemini) gets geminiSafetySetting as safetySettings, as Higress sends it. */
function imageRequestEdits(p: ProviderConfig, body: Uint8Array): Uint8Array | null {
  const s = p.settings;
  if (s === null || (s as GeminiSettings).safety.length == 0) return null;
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return null;
  return spliceObject(root, new ObjectEdits().setRaw("safetySettings", safetyJson((s as GeminiSettings).safety)));
}

/** A region as it appears in a host name: letters, digits and hyphens. */
function isHostLabel(s: string): bool {
  if (s.length == 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d)) return false;
  }
  return true;
}

/** RFC 3986 unreserved characters only (Google's API keys are letters, digits, '-' and '_'). */
function isQuerySafe(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e)) return false;
  }
  return true;
}

/** A project id as one path segment (letters, digits, hyphens; also the domain-scoped `example.com:project`). */
function isPathSegment(s: string): bool {
  if (s.length == 0 || s.length > 100) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2e || c == 0x3a || c == 0x5f)) return false;
  }
  return true;
}

export const VERTEX = new VertexModule();
