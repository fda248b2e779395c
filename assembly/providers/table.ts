// Providers as data. Most providers are "OpenAI with another host and path": one row each.
// A row only states facts about the provider's API: which API schemas it speaks at which path templates, and how it
// takes its key. Per-deployment settings (custom URL, account id, domain overrides) come from the configuration and
// are applied in providers/resolve.ts; a provider that deviates further names its module (providers/module.ts).
import { isChatSchema, Schema } from "../protocol/api";
import { AuthScheme } from "./auth";
import { AZURE } from "./azure";
import { BEDROCK } from "./bedrock";
import { CLAUDE } from "./claude";
import { CLOUDFLARE } from "./cloudflare";
import { COHERE } from "./cohere";
import { DEEPL } from "./deepl";
import { DomainOverride } from "./domain";
import { ZhipuModule } from "./zhipuai";
import { GEMINI } from "./gemini";
import { HUNYUAN } from "./hunyuan";
import { QWEN } from "./qwen";
import { DIFY } from "./dify";
import { MINIMAX } from "./minimax";
import { ProviderModule } from "./module";
import { TRITON } from "./triton";
import { VERTEX } from "./vertex";

/**
 * One API schema a provider speaks and where. Templates may hold `{model}` (the upstream model, known once the
 * body is read: the plugin holds the request headers until then), `{deployment}` (Azure, the same value) and
 * placeholders its module fills (`{cloudflareAccountId}`, `{apiVersion}` …). No query string except in streamPath.
 */
export class Endpoint {
  constructor(
    public schema: Schema,
    public path: string,
    /** The path of streamed requests when it differs (Gemini's `:streamGenerateContent?alt=sse`); "" = `path`. */
    public streamPath: string = "",
  ) {}
}

export class ProviderRow {
  /** The schema its chat endpoint speaks natively (the first chat endpoint); OpenAI chat when it has none. */
  chatSchema: Schema = Schema.OpenAIChat;

  constructor(
    /** The `type` value in the configuration. */
    public type: string,
    /** Default upstream host (":authority"). Empty when the configuration must supply it. */
    public host: string,
    public auth: AuthScheme,
    /** What the provider serves; empty: the client's own path is kept (generic). */
    public endpoints: Array<Endpoint>,
    /**
     * The token-limit field of OpenAI-protocol chat requests. api.openai.com rejects max_tokens for reasoning
     * models (o-series, gpt-5) and documents max_completion_tokens for all; most compatible servers only know max_tokens.
     */
    public maxTokensField: string = "max_tokens",
    /**
     * The provider documents OpenAI's `developer` role; elsewhere `developer` messages become `system` (the compatible
     * APIs document system/user/assistant/tool only).
     */
    public developerRole: bool = false,
    /** The provider's own hooks (providers/<type>.ts) when it deviates from the row; null for most. */
    public module: ProviderModule | null = null,
  ) {
    for (let i = 0; i < endpoints.length; i++) {
      const s = endpoints[i].schema;
      if (isChatSchema(s)) {
        this.chatSchema = s;
        break;
      }
    }
  }

  /** The endpoint for `schema`; null when the provider does not speak it. */
  endpoint(schema: Schema): Endpoint | null {
    for (let i = 0; i < this.endpoints.length; i++) if (this.endpoints[i].schema == schema) return this.endpoints[i];
    return null;
  }

  /** The models-list endpoint, whichever schema it speaks. */
  modelsEndpoint(): Endpoint | null {
    for (let i = 0; i < this.endpoints.length; i++) {
      const s = this.endpoints[i].schema;
      if (s == Schema.OpenAIModels || s == Schema.AnthropicModels || s == Schema.GeminiModels) return this.endpoints[i];
    }
    return null;
  }
}

function CHAT(path: string): Endpoint { return new Endpoint(Schema.OpenAIChat, path); }
function EMBED(path: string): Endpoint { return new Endpoint(Schema.OpenAIEmbeddings, path); }
function MESSAGES(path: string): Endpoint { return new Endpoint(Schema.AnthropicMessages, path); }
function MODELS(path: string): Endpoint { return new Endpoint(Schema.OpenAIModels, path); }
function ANTHROPIC_MODELS(path: string): Endpoint { return new Endpoint(Schema.AnthropicModels, path); }
function COMPLETIONS(path: string): Endpoint { return new Endpoint(Schema.OpenAICompletions, path); }
function RESPONSES(path: string): Endpoint { return new Endpoint(Schema.OpenAIResponses, path); }
const BEARER = AuthScheme.Bearer;

// Hosts, paths and auth per provider, checked against each provider's API documentation (cited per row).
// No endpoints means "keep the client's own path" (generic).
export const PROVIDER_ROWS: Array<ProviderRow> = [
  // https://platform.openai.com/docs/api-reference/chat/create (Bearer; max_completion_tokens; /v1/embeddings, /v1/models,
  // /v1/responses https://platform.openai.com/docs/api-reference/responses/create)
  new ProviderRow("openai", "api.openai.com", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), MODELS("/v1/models"), COMPLETIONS("/v1/completions"), RESPONSES("/v1/responses")], "max_completion_tokens", true),
  // https://docs.anthropic.com/en/api/messages (x-api-key + anthropic-version; /v1/models; no embeddings)
  new ProviderRow("claude", "api.anthropic.com", AuthScheme.XApiKey, [MESSAGES("/v1/messages"), ANTHROPIC_MODELS("/v1/models")], "max_tokens", false, CLAUDE),
  // https://learn.microsoft.com/azure/ai-services/openai/reference (api-key header); host and path come from
  // azureServiceUrl (providers/azure.ts: the row's paths are the suffixes after the deployment); Responses at
  // /openai/v1/responses or /openai/responses?api-version=… (https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses)
  new ProviderRow("azure", "", AuthScheme.ApiKeyHeader, [CHAT("/chat/completions"), EMBED("/embeddings"), MODELS("/models"), RESPONSES("/responses")], "max_tokens", true, AZURE),
  // https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope (compatible mode, Bearer; Responses at
  // /compatible-mode/v1/responses) ; native (the default; providers/qwen.ts picks): https://help.aliyun.com/zh/model-studio/qwen-api-reference
  // (text and multimodal generation), https://www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api,
  // https://help.aliyun.com/zh/model-studio/text-rerank-api
  new ProviderRow("qwen", "dashscope.aliyuncs.com", BEARER, [CHAT("/compatible-mode/v1/chat/completions"), EMBED("/compatible-mode/v1/embeddings"), MODELS("/compatible-mode/v1/models"), RESPONSES("/compatible-mode/v1/responses"),
    new Endpoint(Schema.DashScopeGeneration, "/api/v1/services/aigc/text-generation/generation"),
    new Endpoint(Schema.DashScopeMultimodal, "/api/v1/services/aigc/multimodal-generation/generation"),
    new Endpoint(Schema.DashScopeEmbeddings, "/api/v1/services/embeddings/text-embedding/text-embedding"),
    new Endpoint(Schema.DashScopeRerank, "/api/v1/services/rerank/text-rerank/text-rerank")], "max_tokens", false, QWEN),
  // https://platform.moonshot.cn/docs/api/chat ; Anthropic-compatible base https://api.moonshot.cn/anthropic
  new ProviderRow("moonshot", "api.moonshot.cn", BEARER, [CHAT("/v1/chat/completions"), MESSAGES("/anthropic/v1/messages"), MODELS("/v1/models")]),
  // https://api-docs.deepseek.com/api/create-chat-completion ; https://api-docs.deepseek.com/guides/anthropic_api
  new ProviderRow("deepseek", "api.deepseek.com", BEARER, [CHAT("/chat/completions"), MESSAGES("/anthropic/v1/messages"), MODELS("/models")]),
  // https://platform.baichuan-ai.com/docs/api (chat and embeddings)
  new ProviderRow("baichuan", "api.baichuan-ai.com", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings")]),
  // https://platform.lingyiwanwu.com/docs/api-reference
  new ProviderRow("yi", "api.lingyiwanwu.com", BEARER, [CHAT("/v1/chat/completions"), MODELS("/v1/models")]),
  // https://docs.bigmodel.cn/api-reference (v4 chat/embeddings) ; Anthropic-compatible base https://open.bigmodel.cn/api/anthropic
  new ProviderRow("zhipuai", "open.bigmodel.cn", BEARER, [CHAT("/api/paas/v4/chat/completions"), EMBED("/api/paas/v4/embeddings"), MESSAGES("/api/anthropic/v1/messages")], "max_tokens", false, new ZhipuModule()),
  // https://console.groq.com/docs/openai (base https://api.groq.com/openai/v1; no embeddings); https://console.groq.com/docs/responses-api
  new ProviderRow("groq", "api.groq.com", BEARER, [CHAT("/openai/v1/chat/completions"), MODELS("/openai/v1/models"), RESPONSES("/openai/v1/responses")]),
  // https://docs.x.ai/docs/api-reference (chat completions, models, responses; no embedding models offered)
  new ProviderRow("grok", "api.x.ai", BEARER, [CHAT("/v1/chat/completions"), MODELS("/v1/models"), RESPONSES("/v1/responses")]),
  // https://openrouter.ai/docs/api-reference/overview (base https://openrouter.ai/api/v1); /api/v1/responses:
  // https://openrouter.ai/docs/api-reference/responses-api/overview
  new ProviderRow("openrouter", "openrouter.ai", BEARER, [CHAT("/api/v1/chat/completions"), EMBED("/api/v1/embeddings"), MODELS("/api/v1/models"), RESPONSES("/api/v1/responses")]),
  // https://docs.fireworks.ai/api-reference/post-chatcompletions (base https://api.fireworks.ai/inference/v1);
  // https://docs.fireworks.ai/api-reference/post-completions (legacy completions)
  new ProviderRow("fireworks", "api.fireworks.ai", BEARER, [CHAT("/inference/v1/chat/completions"), EMBED("/inference/v1/embeddings"), MODELS("/inference/v1/models"), COMPLETIONS("/inference/v1/completions")]),
  // https://ai.360.com/platform/docs/overview (OpenAI-compatible chat and embeddings on api.360.cn)
  new ProviderRow("ai360", "api.360.cn", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings")]),
  // https://docs.github.com/rest/models/inference (POST /inference/chat/completions; /inference/embeddings since 2025-07)
  new ProviderRow("github", "models.github.ai", BEARER, [CHAT("/inference/chat/completions"), EMBED("/inference/embeddings")]),
  // https://docs.mistral.ai/api/ (chat, embeddings, models)
  new ProviderRow("mistral", "api.mistral.ai", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), MODELS("/v1/models")]),
  // https://platform.stepfun.com/docs/zh/api-reference/chat/chat-completion-create ; messages-create (Anthropic format)
  new ProviderRow("stepfun", "api.stepfun.com", BEARER, [CHAT("/v1/chat/completions"), MESSAGES("/v1/messages"), MODELS("/v1/models")]),
  // https://docs.together.ai/reference/chat-completions-1 (chat, embeddings, models)
  new ProviderRow("together-ai", "api.together.xyz", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), MODELS("/v1/models")]),
  // https://www.volcengine.com/docs/82379/1494384 (Ark chat) ; https://www.volcengine.com/docs/82379/1521766 (embeddings)
  new ProviderRow("doubao", "ark.cn-beijing.volces.com", BEARER, [CHAT("/api/v3/chat/completions"), EMBED("/api/v3/embeddings")], "max_tokens", false, new DomainOverride("doubaoDomain")),
  // https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility
  new ProviderRow("cloudflare", "api.cloudflare.com", BEARER, [CHAT("/client/v4/accounts/{cloudflareAccountId}/ai/v1/chat/completions"), EMBED("/client/v4/accounts/{cloudflareAccountId}/ai/v1/embeddings"), MODELS("/client/v4/accounts/{cloudflareAccountId}/ai/v1/models")], "max_tokens", false, CLOUDFLARE),
  // https://cloud.baidu.com/doc/qianfan-api/s/3m7of64lb (Qianfan v2 chat) ; embeddings on /v2/embeddings
  new ProviderRow("baidu", "qianfan.baidubce.com", BEARER, [CHAT("/v2/chat/completions"), EMBED("/v2/embeddings")]),
  // https://platform.minimaxi.com/docs/api-reference/text-post (ChatCompletion v2) ; Anthropic-compatible base
  // https://api.minimaxi.com/anthropic. minimaxApiType "pro": ChatCompletion Pro in its own format (providers/minimax.ts)
  new ProviderRow("minimax", "api.minimaxi.com", BEARER, [CHAT("/v1/text/chatcompletion_v2"), MESSAGES("/anthropic/v1/messages"), new Endpoint(Schema.MiniMaxPro, "/v1/text/chatcompletion_pro")], "max_tokens", false, MINIMAX),
  // https://docs.ollama.com/api/openai-compatibility ; https://docs.ollama.com/api/anthropic-compatibility (host from config)
  new ProviderRow("ollama", "", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), MESSAGES("/v1/messages"), MODELS("/v1/models")], "max_tokens", false, new DomainOverride("ollamaServerHost", true, "ollamaServerPort", 11434)),
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (host from config; chat, embeddings, responses)
  new ProviderRow("vllm", "", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), MODELS("/v1/models"), RESPONSES("/v1/responses")]),
  // Higress "generic": host from genericHost (unset: the client's), the client's path kept (no remapping, any path),
  // Bearer when a token is set
  new ProviderRow("generic", "", BEARER, [], "max_tokens", false, new DomainOverride("genericHost")),
  // https://ai.google.dev/api/generate-content (POST /{apiVersion}/models/{model}:generateContent, streams on
  // :streamGenerateContent?alt=sse; x-goog-api-key) ; https://ai.google.dev/api/models#method:-models.list ;
  // https://ai.google.dev/api/embeddings#method:-models.batchembedcontents ; https://ai.google.dev/gemini-api/docs/imagen
  // (Imagen: POST /v1beta/models/{model}:predict)
  new ProviderRow("gemini", "generativelanguage.googleapis.com", AuthScheme.GoogApiKey, [
    new Endpoint(Schema.GeminiGenerateContent, "/{apiVersion}/models/{model}:generateContent", "/{apiVersion}/models/{model}:streamGenerateContent?alt=sse"),
    new Endpoint(Schema.GeminiModels, "/{apiVersion}/models"),
    new Endpoint(Schema.GeminiBatchEmbed, "/{apiVersion}/models/{model}:batchEmbedContents"),
    new Endpoint(Schema.GeminiImagenPredict, "/{apiVersion}/models/{model}:predict"),
  ], "max_tokens", false, GEMINI),
  // https://longcat.chat/platform/docs/ (OpenAI base https://api.longcat.chat/openai ; Anthropic base https://api.longcat.chat/anthropic)
  new ProviderRow("longcat", "api.longcat.chat", BEARER, [CHAT("/openai/v1/chat/completions"), MESSAGES("/anthropic/v1/messages")]),
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html (POST /model/{modelId}/converse,
  // streams on /converse-stream as application/vnd.amazon.eventstream); host bedrock-runtime.{awsRegion}.amazonaws.com
  // from its module, SigV4 (awsAccessKey/awsSecretKey) or a Bedrock API key as Bearer ;
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html (POST /model/{modelId}/invoke:
  // embeddings, the body in the model's own schema)
  new ProviderRow("bedrock", "", BEARER, [
    new Endpoint(Schema.BedrockConverse, "/model/{model}/converse", "/model/{model}/converse-stream"),
    new Endpoint(Schema.BedrockInvokeEmbeddings, "/model/{model}/invoke"),
  ], "max_tokens", false, BEDROCK),
  // https://docs.cohere.com/docs/compatibility-api (OpenAI Compatibility API, base /compatibility/v1: chat, embeddings;
  // Bearer) on Higress's host api.cohere.com
  new ProviderRow("cohere", "api.cohere.com", BEARER, [CHAT("/compatibility/v1/chat/completions"), EMBED("/compatibility/v1/embeddings")], "max_tokens", false, COHERE),
  // https://developers.deepl.com/api-reference/translate (POST /v2/translate, Authorization: DeepL-Auth-Key; the host
  // follows the keys: providers/deepl.ts)
  new ProviderRow("deepl", "api.deepl.com", AuthScheme.DeepLAuthKey, [new Endpoint(Schema.DeepLTranslate, "/v2/translate")], "max_tokens", false, DEEPL),
  // https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html
  // (POST /v2/models/{model}[/versions/{version}]/generate, streams on generate_stream; host from tritonDomain)
  new ProviderRow("triton", "", BEARER, [new Endpoint(Schema.TritonGenerate, "/v2/models/{model}{tritonVersion}/generate", "/v2/models/{model}{tritonVersion}/generate_stream")], "max_tokens", false, TRITON),
  // https://cloud.tencent.com/document/product/1729/111007 (OpenAI-compatible, base https://api.hunyuan.cloud.tencent.com/v1,
  // Bearer) ; https://cloud.tencent.com/document/api/1729/105701 (native ChatCompletions at "/" of
  // hunyuan.tencentcloudapi.com, TC3-signed: providers/hunyuan.ts picks it when hunyuanAuthId/Key are set)
  new ProviderRow("hunyuan", "api.hunyuan.cloud.tencent.com", BEARER, [CHAT("/v1/chat/completions"), EMBED("/v1/embeddings"), new Endpoint(Schema.HunyuanChat, "/")], "max_tokens", false, HUNYUAN),
  // https://www.xfyun.cn/doc/spark/HTTP%E8%B0%83%E7%94%A8%E6%96%87%E6%A1%A3.html (OpenAI-compatible HTTP API; the key is
  // "APIKey:APISecret" or the APIPassword, as a Bearer token; models lite, generalv3, pro-128k, generalv3.5, max-32k, 4.0Ultra)
  new ProviderRow("spark", "spark-api-open.xf-yun.com", BEARER, [CHAT("/v1/chat/completions")]),
  // https://docs.dify.ai/en/openapi-api-access-readme (base https://api.dify.ai/v1, app key as Bearer; the app API
  // by botType: providers/dify.ts fills {difyApp}; difyApiUrl names a self-hosted host)
  new ProviderRow("dify", "api.dify.ai", BEARER, [new Endpoint(Schema.DifyApp, "/v1/{difyApp}")], "max_tokens", false, DIFY),
  // https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference (POST https://{LOCATION}-aiplatform.
  // googleapis.com/v1/projects/{PROJECT}/locations/{LOCATION}/publishers/google/models/{MODEL}:generateContent,
  // :streamGenerateContent?alt=sse; Bearer OAuth token) ; https://docs.anthropic.com/en/api/claude-on-vertex-ai
  // (publishers/anthropic/models/{MODEL}:rawPredict, :streamRawPredict) ; express mode without project and location:
  // https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference.
  // The model picks the endpoint (providers/vertex.ts); host, scope and token come from the configuration.
  new ProviderRow("vertex", "aiplatform.googleapis.com", AuthScheme.QueryKey, [
    new Endpoint(Schema.GeminiGenerateContent, "/v1{vertexScope}/publishers/google/models/{model}:generateContent", "/v1{vertexScope}/publishers/google/models/{model}:streamGenerateContent?alt=sse"),
    new Endpoint(Schema.AnthropicMessages, "/v1{vertexScope}/publishers/anthropic/models/{model}:rawPredict", "/v1{vertexScope}/publishers/anthropic/models/{model}:streamRawPredict"),
    // OpenAI's images APIs, converted for Gemini's image models (https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/image-generation).
    new Endpoint(Schema.GeminiImageContent, "/v1{vertexScope}/publishers/google/models/{model}:generateContent"),
    // https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/text-embeddings-api
    new Endpoint(Schema.VertexEmbeddings, "/v1{vertexScope}/publishers/google/models/{model}:predict"),
    // vertexOpenAICompatible: https://cloud.google.com/vertex-ai/generative-ai/docs/migrate/openai/overview
    new Endpoint(Schema.OpenAIChat, "/v1beta1{vertexScope}/endpoints/openapi/chat/completions"),
  ], "max_tokens", false, VERTEX),
  // https://www.coze.cn/open/docs/developer_guides/chat_v3 (POST https://api.coze.cn/v3/chat, a personal access token or
  // an OAuth app's token as Bearer; the model names the bot). `protocol: original` (seed 001's example) forwards the
  // client's own Coze API calls to api.coze.cn with the token, as Higress does.
  new ProviderRow("coze", "api.coze.cn", BEARER, [new Endpoint(Schema.CozeChat, "/v3/chat")]),
];

export function findProviderRow(type: string): ProviderRow | null {
  for (let i = 0; i < PROVIDER_ROWS.length; i++) {
    if (PROVIDER_ROWS[i].type == type) return PROVIDER_ROWS[i];
  }
  return null;
}
