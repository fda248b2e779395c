// APIs the gateway forwards without translating (images, audio, moderations, files, batches, fine-tuning, rerank,
// conversations, the realtime handshake): host, path and auth rewritten to the provider's, the model mapped where
// the request carries one (JSON body, multipart field, realtime `?model=`), the answer passed as it comes (audio,
// SSE and JSON alike; error bodies still put in the client's shape). A provider that does not offer the API gets a
// 404 in the client's protocol. Which provider serves which, per its documentation:
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Protocol, Schema } from "../protocol/api";
import { AzureForm, AzureUrl } from "./azure";
import { customBaseOf, UpstreamTarget, withQuery } from "./resolve";
import { ProviderRow } from "./table";

class Forwarded {
  constructor(
    public type: string,
    /** The path the provider's OpenAI-style APIs hang under (the client's "/v1"). */
    public base: string,
    /** The API families it serves, space-separated (FAMILIES below). */
    public apis: string,
    /** Rerank's path under `base` ("/rerank" unless the provider names it otherwise: DashScope's "/reranks"). */
    public rerank: string = "/rerank",
  ) {}
}

const ROWS: Array<Forwarded> = [
  // https://platform.openai.com/docs/api-reference (images, audio, moderations, files, batches, fine-tuning,
  // conversations, realtime)
  new Forwarded("openai", "/v1", "images.generations images.edits images.variations audio.speech audio.transcriptions audio.translations moderations files batches fine_tuning conversations realtime"),
  // https://learn.microsoft.com/azure/ai-foundry/openai/reference (images and audio per deployment; files, batches
  // and fine-tuning per resource); the paths come from azureServiceUrl (azureForwardedPath). Image variations are not in
  // Azure's reference: forwarded to the deployment as Higress does, so Azure answers for itself.
  new Forwarded("azure", "", "images.generations images.edits images.variations audio.speech audio.transcriptions audio.translations files batches fine_tuning"),
  // https://docs.anthropic.com/en/docs/build-with-claude/files (Files API, beta header from the client)
  new Forwarded("claude", "/v1", "files"),
  // https://console.groq.com/docs/api-reference (base https://api.groq.com/openai/v1)
  new Forwarded("groq", "/openai/v1", "audio.speech audio.transcriptions audio.translations files batches"),
  // https://docs.x.ai/docs/api-reference#image-generations
  new Forwarded("grok", "/v1", "images.generations"),
  // https://docs.together.ai/reference (images, audio, files, batches, rerank)
  new Forwarded("together-ai", "/v1", "images.generations audio.speech audio.transcriptions files batches rerank"),
  // https://docs.mistral.ai/api/ (moderations, files, fine-tuning jobs, audio transcriptions)
  new Forwarded("mistral", "/v1", "moderations files fine_tuning audio.transcriptions"),
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (transcriptions, translations, rerank)
  new Forwarded("vllm", "/v1", "audio.transcriptions audio.translations rerank"),
  // https://help.aliyun.com/zh/model-studio/batch-interfaces-compatible-with-openai (files and batches, compatible mode);
  // conversations under compatible mode too (Higress's qwenCompatibleConversationsPath)
  new Forwarded("qwen", "/compatible-mode/v1", "files batches conversations"),
  // https://www.alibabacloud.com/help/en/model-studio/rerank (OpenAI-compatible base /compatible-api/v1, POST /reranks;
  // without qwenEnableCompatible rerank is converted for the native API instead: providers/qwen.ts)
  new Forwarded("qwen", "/compatible-api/v1", "rerank", "/reranks"),
  // https://docs.bigmodel.cn/api-reference (image generation, files, batches under /api/paas/v4)
  new Forwarded("zhipuai", "/api/paas/v4", "images.generations files batches"),
  // https://www.volcengine.com/docs/82379/1541523 (Ark image generation)
  new Forwarded("doubao", "/api/v3", "images.generations"),
  // https://platform.moonshot.cn/docs/api/files
  new Forwarded("moonshot", "/v1", "files"),
  // https://docs.cohere.com/v1/reference/rerank (POST https://api.cohere.com/v1/rerank; Higress's cohere/v1/rerank)
  new Forwarded("cohere", "/v1", "rerank"),
];

/** The family of a forwarded API and the path segment that starts it in the client's path. */
function family(api: ApiName): string {
  switch (api) {
    case ApiName.ImageGenerations: return "images.generations";
    case ApiName.ImageEdits: return "images.edits";
    case ApiName.ImageVariations: return "images.variations";
    case ApiName.AudioSpeech: return "audio.speech";
    case ApiName.AudioTranscriptions: return "audio.transcriptions";
    case ApiName.AudioTranslations: return "audio.translations";
    case ApiName.Moderations: return "moderations";
    case ApiName.Files: return "files";
    case ApiName.Batches: return "batches";
    case ApiName.FineTuning: return "fine_tuning";
    case ApiName.Rerank: return "rerank";
    case ApiName.Conversations: return "conversations";
    case ApiName.Realtime: return "realtime";
    default: return "";
  }
}

/** Higress's capability names for the forwarded APIs (`capabilities` maps them to a provider path). */
function capabilityName(api: ApiName): string {
  switch (api) {
    case ApiName.ImageGenerations: return "openai/v1/imagegeneration";
    case ApiName.ImageEdits: return "openai/v1/imageedit";
    case ApiName.ImageVariations: return "openai/v1/imagevariation";
    case ApiName.AudioSpeech: return "openai/v1/audiospeech";
    case ApiName.AudioTranscriptions: return "openai/v1/audiotranscription";
    case ApiName.AudioTranslations: return "openai/v1/audiotranslation";
    case ApiName.Moderations: return "openai/v1/moderations";
    case ApiName.Files: return "openai/v1/files";
    case ApiName.Batches: return "openai/v1/batches";
    case ApiName.FineTuning: return "openai/v1/fine-tuning/jobs";
    case ApiName.Rerank: return "cohere/v1/rerank";
    case ApiName.Conversations: return "openai/v1/conversations";
    case ApiName.Realtime: return "openai/v1/realtime";
    default: return "";
  }
}

export function isForwarded(api: ApiName): bool {
  return api >= ApiName.ImageGenerations && api <= ApiName.Realtime;
}

/** The request may carry a model to map: in a JSON body, a multipart field (uploads) or the realtime query. */
export function carriesModel(api: ApiName, clientPath: string): bool {
  if (api == ApiName.FineTuning) return stripQuery(clientPath).endsWith("/fine_tuning/jobs"); // create only
  return api != ApiName.Files && api != ApiName.Batches && api != ApiName.Conversations && isForwarded(api);
}

/** APIs whose uploads are multipart/form-data (the model field is mapped as the body streams). */
export function takesMultipart(api: ApiName): bool {
  return api == ApiName.ImageEdits || api == ApiName.ImageVariations || api == ApiName.AudioTranscriptions || api == ApiName.AudioTranslations;
}

/** The provider's row serving `fam` (a provider may hang its APIs under several bases); null when none does. */
function rowFor(type: string, fam: string): Forwarded | null {
  for (let i = 0; i < ROWS.length; i++) if (ROWS[i].type == type && (" " + ROWS[i].apis + " ").includes(" " + fam + " ")) return ROWS[i];
  return null;
}

function stripQuery(path: string): string {
  const q = path.indexOf("?");
  return q >= 0 ? path.substring(0, q) : path;
}

/** Where `api` goes on `p`: the provider's base and the client's path from the API's own segment on (query kept). */
export function resolveForwarded(p: ProviderConfig, row: ProviderRow, api: ApiName, client: Protocol, clientPath: string, target: UpstreamTarget): UpstreamTarget {
  target.bodyPassthrough = true;
  target.upstreamProtocol = client;
  target.upstreamSchema = target.clientSchema; // same schema: the body passes, its model mapped
  const fam = family(api);
  const seg = "/" + (fam.indexOf(".") >= 0 ? fam.substring(0, fam.indexOf(".")) : fam);
  const bare = stripQuery(clientPath);
  let at = bare.indexOf("/v1" + seg);
  at = at >= 0 ? at + 3 : bare.indexOf(seg);
  let rest = at >= 0 ? clientPath.substring(at) : seg; // "/files/abc/content?x=1"
  // Rerank is one path, whichever name the client used (/rerank, /reranks): the provider's own, query kept.
  if (api == ApiName.Rerank) rest = seg + (clientPath.indexOf("?") >= 0 ? clientPath.substring(clientPath.indexOf("?")) : "");
  const capName = capabilityName(api);
  const fw = rowFor(p.type, fam);
  // Anthropic's Files API answers Anthropic clients only; OpenAI clients of /v1/files need an OpenAI files API.
  const served = fw !== null &&
    (api != ApiName.Files || (client == Protocol.Anthropic) == (row.chatSchema == Schema.AnthropicMessages));
  let path = "";
  if (p.capabilities.has(capName)) {
    // The capability names the API's path on this provider; what follows the API's own path is kept.
    const own = fam.indexOf(".") >= 0 ? "/" + fam.replace(".", "/") : seg;
    const cut = rest.indexOf(own);
    path = p.capabilities.get(capName) + (cut == 0 ? rest.substring(own.length) : "");
  } else if (served && p.settings !== null && p.settings instanceof AzureUrl) {
    path = azureForwardedPath(p, p.settings as AzureUrl, api, rest);
    if (path.includes("{deployment}")) target.pathNeedsBody = true;
  } else if (served && customBaseOf(p) !== null) {
    // openaiCustomUrl / vllmCustomUrl: the custom host, the API under the custom base.
    const custom = customBaseOf(p)!;
    target.authority = custom.authority;
    path = p.providerBasePath + custom.path + rest;
  } else if (served) {
    path = p.providerBasePath + fw!.base + (api == ApiName.Rerank ? fw!.rerank + rest.substring(seg.length) : rest);
  }
  if (path.length == 0) {
    target.authority = "";
    target.unsupportedReason = "provider \"" + p.type + "\" does not offer this API";
    return target;
  }
  if (api == ApiName.Realtime) path = mapQueryModel(path, p);
  target.path = path;
  return target;
}

/**
 * Azure: images and audio under the deployment (`/openai/deployments/{d}/audio/transcriptions?api-version=…`),
 * files, batches and fine-tuning under the resource (`/openai/files?api-version=…`); the v1 form keeps OpenAI's
 * paths under /openai/v1.
 */
function azureForwardedPath(p: ProviderConfig, a: AzureUrl, api: ApiName, rest: string): string {
  let path: string;
  if (a.form == AzureForm.V1) path = a.path + rest;
  else {
    const perDeployment = api != ApiName.Files && api != ApiName.Batches && api != ApiName.FineTuning;
    if (!perDeployment) path = "/openai" + rest;
    else if (a.form == AzureForm.Deployment) path = a.path + rest;
    else if (a.form == AzureForm.Full) {
      const d = a.path.indexOf("/deployments/");
      const end = d >= 0 ? a.path.indexOf("/", d + 13) : -1;
      path = (end > 0 ? a.path.substring(0, end) : "/openai/deployments/{deployment}") + rest;
    } else path = "/openai/deployments/{deployment}" + rest;
  }
  if (a.query.length == 0) return p.providerBasePath + path;
  return p.providerBasePath + withQuery(path, "?" + a.query);
}

/**
 * The realtime handshake names its model in the query (`?model=gpt-realtime`): mapped by the entries that name it
 * (exact, prefix, regex), not by `"*"` — Higress leaves this query alone, and a catch-all written for chat models
 * would turn a realtime session into a chat model's.
 */
function mapQueryModel(path: string, p: ProviderConfig): string {
  const q = path.indexOf("?");
  if (q < 0) return path;
  const params = path.substring(q + 1).split("&");
  for (let i = 0; i < params.length; i++) {
    if (!params[i].startsWith("model=")) continue;
    const requested = decodeQueryValue(params[i].substring(6));
    const mapped = p.modelMapping.map(requested, false);
    if (mapped != requested) params[i] = "model=" + encodeQueryValue(mapped);
  }
  return path.substring(0, q + 1) + params.join("&");
}

function decodeQueryValue(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c == 0x25 && i + 2 < v.length) {
      const h = I32.parseInt(v.substring(i + 1, i + 3), 16);
      if (h > 0 && h < 0x80) { out += String.fromCharCode(h); i += 2; continue; }
    }
    out += c == 0x2b ? " " : String.fromCharCode(c);
  }
  return out;
}

function encodeQueryValue(v: string): string {
  let out = "";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const safe = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e;
    if (safe) out += String.fromCharCode(c);
    else if (c < 0x80) out += "%" + (c < 16 ? "0" : "") + c.toString(16).toUpperCase();
    else out += "_";
  }
  return out;
}
