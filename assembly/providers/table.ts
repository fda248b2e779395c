// Providers as data. Most providers are "OpenAI with another host and path": one row each.
// A row only states facts about the provider's API; per-deployment settings (custom URL, account id,
// domain overrides) come from the configuration and are applied in providers/resolve.ts.
import { Protocol } from "../protocol/api";
import { AuthScheme } from "./auth";

export class ProviderRow {
  constructor(
    /** The `type` value in the configuration. */
    public type: string,
    /** Default upstream host (":authority"). Empty when the configuration must supply it. */
    public host: string,
    /** The protocol the provider speaks natively for chat. */
    public protocol: Protocol,
    public auth: AuthScheme,
    /** Chat path: OpenAI chat completions, or Anthropic messages for Anthropic-protocol rows. */
    public chatPath: string,
    /** Embeddings path; empty when the provider has none. */
    public embeddingsPath: string = "",
    /** A native Anthropic Messages endpoint on an OpenAI-protocol provider (e.g. DeepSeek); empty when none. */
    public anthropicMessagesPath: string = "",
    /** Models listing path; empty when none. */
    public modelsPath: string = "",
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
  ) {}
}

const O = Protocol.OpenAI;
const A = Protocol.Anthropic;
const BEARER = AuthScheme.Bearer;

// Hosts, paths and auth per provider, checked against each provider's API documentation (cited per row).
// An empty chatPath means "keep the client's own path" (generic). Paths carry no query string.
export const PROVIDER_ROWS: Array<ProviderRow> = [
  // https://platform.openai.com/docs/api-reference/chat/create (Bearer; max_completion_tokens; /v1/embeddings, /v1/models)
  new ProviderRow("openai", "api.openai.com", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models", "max_completion_tokens", true),
  // https://docs.anthropic.com/en/api/messages (x-api-key + anthropic-version; /v1/models; no embeddings)
  new ProviderRow("claude", "api.anthropic.com", A, AuthScheme.XApiKey, "/v1/messages", "", "", "/v1/models"),
  // https://learn.microsoft.com/azure/ai-services/openai/reference (api-key header); the host and the
  // /openai/deployments/{deployment} prefix come from azureServiceUrl (providers/azure.ts)
  new ProviderRow("azure", "", O, AuthScheme.ApiKeyHeader, "/chat/completions", "/embeddings", "", "/models", "max_tokens", true),
  // https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope (compatible mode, Bearer)
  new ProviderRow("qwen", "dashscope.aliyuncs.com", O, BEARER, "/compatible-mode/v1/chat/completions", "/compatible-mode/v1/embeddings", "", "/compatible-mode/v1/models"),
  // https://platform.moonshot.cn/docs/api/chat ; Anthropic-compatible base https://api.moonshot.cn/anthropic
  new ProviderRow("moonshot", "api.moonshot.cn", O, BEARER, "/v1/chat/completions", "", "/anthropic/v1/messages", "/v1/models"),
  // https://api-docs.deepseek.com/api/create-chat-completion ; https://api-docs.deepseek.com/guides/anthropic_api
  new ProviderRow("deepseek", "api.deepseek.com", O, BEARER, "/chat/completions", "", "/anthropic/v1/messages", "/models"),
  // https://platform.baichuan-ai.com/docs/api (chat and embeddings)
  new ProviderRow("baichuan", "api.baichuan-ai.com", O, BEARER, "/v1/chat/completions", "/v1/embeddings"),
  // https://platform.lingyiwanwu.com/docs/api-reference
  new ProviderRow("yi", "api.lingyiwanwu.com", O, BEARER, "/v1/chat/completions", "", "", "/v1/models"),
  // https://docs.bigmodel.cn/api-reference (v4 chat/embeddings) ; Anthropic-compatible base https://open.bigmodel.cn/api/anthropic
  new ProviderRow("zhipuai", "open.bigmodel.cn", O, BEARER, "/api/paas/v4/chat/completions", "/api/paas/v4/embeddings", "/api/anthropic/v1/messages"),
  // https://console.groq.com/docs/openai (base https://api.groq.com/openai/v1; no embeddings)
  new ProviderRow("groq", "api.groq.com", O, BEARER, "/openai/v1/chat/completions", "", "", "/openai/v1/models"),
  // https://docs.x.ai/docs/api-reference (chat completions, models; no embedding models offered)
  new ProviderRow("grok", "api.x.ai", O, BEARER, "/v1/chat/completions", "", "", "/v1/models"),
  // https://openrouter.ai/docs/api-reference/overview (base https://openrouter.ai/api/v1)
  new ProviderRow("openrouter", "openrouter.ai", O, BEARER, "/api/v1/chat/completions", "/api/v1/embeddings", "", "/api/v1/models"),
  // https://docs.fireworks.ai/api-reference/post-chatcompletions (base https://api.fireworks.ai/inference/v1)
  new ProviderRow("fireworks", "api.fireworks.ai", O, BEARER, "/inference/v1/chat/completions", "/inference/v1/embeddings", "", "/inference/v1/models"),
  // https://ai.360.com/platform/docs/overview (OpenAI-compatible chat and embeddings on api.360.cn)
  new ProviderRow("ai360", "api.360.cn", O, BEARER, "/v1/chat/completions", "/v1/embeddings"),
  // https://docs.github.com/rest/models/inference (POST /inference/chat/completions; /inference/embeddings since 2025-07)
  new ProviderRow("github", "models.github.ai", O, BEARER, "/inference/chat/completions", "/inference/embeddings"),
  // https://docs.mistral.ai/api/ (chat, embeddings, models)
  new ProviderRow("mistral", "api.mistral.ai", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  // https://platform.stepfun.com/docs/zh/api-reference/chat/chat-completion-create ; messages-create (Anthropic format)
  new ProviderRow("stepfun", "api.stepfun.com", O, BEARER, "/v1/chat/completions", "", "/v1/messages", "/v1/models"),
  // https://docs.together.ai/reference/chat-completions-1 (chat, embeddings, models)
  new ProviderRow("together-ai", "api.together.xyz", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  // https://www.volcengine.com/docs/82379/1494384 (Ark chat) ; https://www.volcengine.com/docs/82379/1521766 (embeddings)
  new ProviderRow("doubao", "ark.cn-beijing.volces.com", O, BEARER, "/api/v3/chat/completions", "/api/v3/embeddings"),
  // https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility
  new ProviderRow("cloudflare", "api.cloudflare.com", O, BEARER, "/client/v4/accounts/{cloudflareAccountId}/ai/v1/chat/completions", "/client/v4/accounts/{cloudflareAccountId}/ai/v1/embeddings", "", "/client/v4/accounts/{cloudflareAccountId}/ai/v1/models"),
  // https://cloud.baidu.com/doc/qianfan-api/s/3m7of64lb (Qianfan v2 chat) ; embeddings on /v2/embeddings
  new ProviderRow("baidu", "qianfan.baidubce.com", O, BEARER, "/v2/chat/completions", "/v2/embeddings"),
  // https://platform.minimaxi.com/docs/api-reference/text-post (ChatCompletion v2) ; Anthropic-compatible base
  // https://api.minimaxi.com/anthropic. Pro (GroupId) is handled in providers/resolve.ts.
  new ProviderRow("minimax", "api.minimaxi.com", O, BEARER, "/v1/text/chatcompletion_v2", "", "/anthropic/v1/messages"),
  // https://docs.ollama.com/api/openai-compatibility ; https://docs.ollama.com/api/anthropic-compatibility (host from config)
  new ProviderRow("ollama", "", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "/v1/messages", "/v1/models"),
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (host from config)
  new ProviderRow("vllm", "", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  // Higress "generic": host from genericHost, the client's path kept (no remapping), Bearer when a token is set
  new ProviderRow("generic", "", O, BEARER, ""),
  // https://longcat.chat/platform/docs/ (OpenAI base https://api.longcat.chat/openai ; Anthropic base https://api.longcat.chat/anthropic)
  new ProviderRow("longcat", "api.longcat.chat", O, BEARER, "/openai/v1/chat/completions", "", "/anthropic/v1/messages"),
];

export function findProviderRow(type: string): ProviderRow | null {
  for (let i = 0; i < PROVIDER_ROWS.length; i++) {
    if (PROVIDER_ROWS[i].type == type) return PROVIDER_ROWS[i];
  }
  return null;
}
