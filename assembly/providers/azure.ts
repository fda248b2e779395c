// Azure OpenAI: the forms of azureServiceUrl (seed 001, and Higress's newer /openai/v1 form) parsed once at
// configure time, and the upstream path for each API. Reference:
// https://learn.microsoft.com/azure/ai-services/openai/reference (deployments/{id}/chat/completions?api-version=…,
// `api-key` header) and https://learn.microsoft.com/azure/ai-foundry/openai/api-version-lifecycle (/openai/v1).
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ApiName } from "../protocol/api";
import { DEPLOYMENT_PLACEHOLDER, ProviderModule, ProviderSettings } from "./module";

export const enum AzureForm {
  /**
   * .../openai/deployments/{d}/chat/completions?api-version=…, or any other path (`/openai/responses?api-version=…`,
   * as Higress takes it): every chat request goes to this URL.
   */
  Full = 0,
  /** .../openai/deployments/{d}?api-version=…: the API suffix is appended, the deployment kept. */
  Deployment = 1,
  /** https://{resource}.openai.azure.com?api-version=…: the deployment is the (mapped) model of the request. */
  Resource = 2,
  /** .../openai/v1: OpenAI-style paths under /openai/v1, no deployment in the path. */
  V1 = 3,
}

export class AzureUrl extends ProviderSettings {
  authority: string = "";
  form: AzureForm = AzureForm.Resource;
  /** Full: the whole path; Deployment: /openai/deployments/{d}; V1: /openai/v1; Resource: "". */
  path: string = "";
  /** The query string without "?" (api-version=…), kept on every request. */
  query: string = "";
  /** Empty when valid, else the problem. */
  error: string = "";
}


export function parseAzureServiceUrl(url: string): AzureUrl {
  const out = new AzureUrl();
  let rest = url;
  const scheme = rest.indexOf("://");
  if (scheme >= 0) rest = rest.substring(scheme + 3);
  let q = rest.indexOf("?");
  if (q >= 0) {
    out.query = rest.substring(q + 1);
    rest = rest.substring(0, q);
  }
  const slash = rest.indexOf("/");
  out.authority = slash >= 0 ? rest.substring(0, slash) : rest;
  let path = slash >= 0 ? rest.substring(slash) : "";
  while (path.length > 0 && path.endsWith("/")) path = path.substring(0, path.length - 1);
  if (out.authority.length == 0) {
    out.error = "has no host";
    return out;
  }
  const deployments = "/openai/deployments/";
  if (path.length == 0) {
    out.form = AzureForm.Resource;
  } else if (path == "/openai/v1" || path.startsWith("/openai/v1/")) {
    out.form = AzureForm.V1;
    out.path = "/openai/v1";
  } else if (path.startsWith(deployments) && path.length > deployments.length && path.substring(deployments.length).indexOf("/") < 0) {
    out.form = AzureForm.Deployment;
    out.path = path;
  } else {
    out.form = AzureForm.Full;
    out.path = path;
  }
  if (out.form != AzureForm.V1 && !hasApiVersion(out.query)) out.error = "must carry the api-version query parameter";
  return out;
}

function hasApiVersion(query: string): bool {
  const parts = query.split("&");
  for (let i = 0; i < parts.length; i++) if (parts[i].startsWith("api-version=") && parts[i].length > 12) return true;
  return false;
}

/**
 * The upstream path (with query) for an API suffix such as "/chat/completions", "/embeddings" or "/models".
 * `perDeployment` is false for APIs that live outside a deployment (the models list).
 */
export function azurePath(a: AzureUrl, suffix: string, perDeployment: bool): string {
  let path: string;
  switch (a.form) {
    case AzureForm.Full: path = a.path; break;
    case AzureForm.V1: path = a.path + suffix; break;
    case AzureForm.Deployment: path = perDeployment ? a.path + suffix : "/openai" + suffix; break;
    default: path = perDeployment ? "/openai/deployments/" + DEPLOYMENT_PLACEHOLDER + suffix : "/openai" + suffix; break;
  }
  return a.query.length > 0 ? path + "?" + a.query : path;
}

/** azureServiceUrl (required) decides host and path; Azure takes one key. */
class AzureModule extends ProviderModule {
  fields(): Array<string> { return ["azureServiceUrl"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const url = r.str("azureServiceUrl");
    if (url.length == 0) errors.add(r.fieldPath("azureServiceUrl"), "is required for provider type azure");
    else {
      const parsed = parseAzureServiceUrl(url);
      if (parsed.error.length > 0) errors.add(r.fieldPath("azureServiceUrl"), parsed.error);
      p.settings = parsed;
    }
    if (p.apiTokens.length > 1) errors.add(r.fieldPath("apiTokens"), "azure supports a single token");
  }

  authority(p: ProviderConfig): string {
    const s = p.settings;
    return s === null ? "" : (s as AzureUrl).authority;
  }

  /** The path (and its api-version query) comes from azureServiceUrl; the client's query is not forwarded. */
  path(p: ProviderConfig, api: ApiName): string {
    const s = p.settings;
    if (s === null) return "";
    const suffix = api == ApiName.Embeddings ? "/embeddings" : api == ApiName.Models ? "/models" : "/chat/completions";
    return azurePath(s as AzureUrl, suffix, api != ApiName.Models);
  }

  /** The resource-only form names the deployment after the (mapped) model. */
  namesModelInPath(p: ProviderConfig): bool {
    const s = p.settings;
    return s !== null && (s as AzureUrl).form == AzureForm.Resource;
  }
}

export const AZURE: ProviderModule = new AzureModule();
