// The hooks a provider that deviates from its table row implements (one file per provider under providers/), and
// the base class of the configuration fields such a module owns. A row names its module (table.ts); the plugin
// calls the hooks through the row, so no code outside the module tests the provider's type.
import { HeaderPair } from "../abi";
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Schema } from "../protocol/api";
import { TranslateOptions } from "../translate/common";
import { ServiceAccount } from "./google-oauth";
import { UpstreamTarget } from "./resolve";

/** The upstream model in a path template (filled from the translated body: UpstreamTarget.finishPath). */
export const MODEL_PLACEHOLDER = "{model}";
/** Azure's name for the same value (its deployment is named after the model). */
export const DEPLOYMENT_PLACEHOLDER = "{deployment}";

/** Configuration fields a provider module reads for itself (ProviderConfig.settings; subclassed per module). */
export class ProviderSettings {}

/**
 * An OAuth access token the provider's requests carry (`Authorization: Bearer`), exchanged for a service account's
 * signed JWT at its token endpoint through an Envoy cluster (plugin/access-token.ts fetches and caches it).
 */
export class TokenGrant {
  /** Names the token in the root's cache and (hashed) in shared data: the same account and scope share a token. */
  key: string;
  constructor(
    public account: ServiceAccount,
    public scope: string,
    /** The Envoy cluster of the token endpoint, and the request's :authority and :path there. */
    public cluster: string,
    public authority: string,
    public path: string,
    /** The token is replaced this long before it expires. */
    public refreshAheadSeconds: i64,
    public timeoutMs: u32,
  ) {
    this.key = "oauth " + account.clientEmail + " " + account.tokenUri + " " + scope;
  }
}

export class ProviderModule {
  /** The configuration fields this provider reads beyond the common ones (not warned about as unknown). */
  fields(): Array<string> { return []; }

  /** Reads the module's own fields (into `p.settings`) and checks them; errors name the field. Runs after the common fields are read. */
  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {}

  /** The upstream host its configuration names instead of the row's ("" = the row's host). */
  authority(p: ProviderConfig): string { return ""; }

  /**
   * The whole upstream path (with its own query) for `api` when the configuration decides it rather than the row
   * (Azure's azureServiceUrl); "" = the row's template. It may hold MODEL_PLACEHOLDER / DEPLOYMENT_PLACEHOLDER.
   */
  path(p: ProviderConfig, api: ApiName): string { return ""; }

  /** The configuration puts the model in the URL although the row's templates do not (Azure's resource-only form). */
  namesModelInPath(p: ProviderConfig): bool { return false; }

  /** Fills the provider's own placeholders in a path template (`{apiVersion}` …); {model} is filled by resolve.ts. */
  fillPath(p: ProviderConfig, path: string): string { return path; }

  /**
   * The schema whose endpoint serves the upstream `model` when that depends on the model (Vertex AI: Claude models on
   * Anthropic's publisher endpoint, the others on Gemini's); Schema.None: the endpoint chosen for the API.
   */
  schemaForModel(p: ProviderConfig, model: string): Schema { return Schema.None; }

  /** The OAuth token its requests carry instead of an apiTokens key; null for key-based providers. */
  tokenGrant(p: ProviderConfig): TokenGrant | null { return null; }

  /**
   * The last word on where and how a request goes, once the row and the common fields placed it: the auth scheme, the
   * path's query, headers every request to it carries (`target.headers`; forwarded requests and callouts alike).
   */
  adjustTarget(p: ProviderConfig, api: ApiName, target: UpstreamTarget): void {}

  /** Edits a translated request body in the upstream `schema` (fields the configuration adds); null: unchanged. */
  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null { return null; }

  /** Sets the translation options its configuration decides (DeepL's targetLang, Dify's apiVariant/inputField/outputField); forwarded requests, retries, fallbacks and health probes alike. */
  options(p: ProviderConfig, opts: TranslateOptions): void {}

  /**
   * Headers that sign the request as it goes out (`path` and `body` final: after translation and edits), set over the
   * held request headers and on the plugin's own callouts; empty when the provider does not sign (AWS SigV4: Bedrock).
   */
  signRequest(p: ProviderConfig, method: string, authority: string, path: string, body: Uint8Array, nowMs: i64): Array<HeaderPair> { return []; }

  /** signRequest() signs this configuration's requests (their bodies are read even under `protocol: original`). */
  signsRequests(p: ProviderConfig): bool { return false; }

  /** The schema chat requests are sent in when the configuration picks it among the row's endpoints; None: the row's. */
  chatSchema(p: ProviderConfig): Schema { return Schema.None; }

  /**
   * The schema a non-chat API is served in when the configuration picks it among the row's endpoints (DashScope's
   * native embeddings and rerank unless qwenEnableCompatible); None: the row's endpoint, or the forwarded API.
   */
  apiSchema(p: ProviderConfig, api: ApiName): Schema { return Schema.None; }

  /**
   * Request headers depend on the final body (a signature over it, Hunyuan; the stream switch, DashScope): the request
   * headers wait for it (bodyHeaders). Applies to chat requests in the schema chatSchema() picks.
   */
  addsBodyHeaders(p: ProviderConfig): bool { return false; }

  /** Headers computed from the final upstream body (as sent to `authority`, at `nowSeconds`); set over the held ones. */
  bodyHeaders(p: ProviderConfig, authority: string, body: Uint8Array, nowSeconds: i64): Array<HeaderPair> { return []; }

  /** http(s) image URLs of OpenAI chat requests are fetched by the plugin and sent inline (plugin/image-fetch.ts). */
  inlinesImageUrls(p: ProviderConfig): bool { return false; }
}


/** The signing headers `p`'s module adds for a POST of `body` to authority + path (none for most providers). */
export function signingHeaders(p: ProviderConfig, authority: string, path: string, body: Uint8Array, nowMs: i64): Array<HeaderPair> {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  return mod !== null ? mod.signRequest(p, "POST", authority, path, body, nowMs) : [];
}

/** The body-dependent headers `p`'s module adds to a request (none for most providers). */
export function bodyHeadersOf(p: ProviderConfig, authority: string, body: Uint8Array, nowSeconds: i64): Array<HeaderPair> {
  const row = p.row;
  const mod = row !== null ? row.module : null;
  return mod !== null ? mod.bodyHeaders(p, authority, body, nowSeconds) : [];
}
