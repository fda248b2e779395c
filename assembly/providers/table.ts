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
  ) {}
}

const O = Protocol.OpenAI;
const A = Protocol.Anthropic;
const BEARER = AuthScheme.Bearer;

// Hosts and paths from each provider's API documentation.
export const PROVIDER_ROWS: Array<ProviderRow> = [
  new ProviderRow("openai", "api.openai.com", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models", "max_completion_tokens"),
  new ProviderRow("claude", "api.anthropic.com", A, AuthScheme.XApiKey, "/v1/messages", "", "", "/v1/models"),
  new ProviderRow("azure", "", O, AuthScheme.ApiKeyHeader, "/chat/completions", "/embeddings", "", "/models"),
  new ProviderRow("qwen", "dashscope.aliyuncs.com", O, BEARER, "/compatible-mode/v1/chat/completions", "/compatible-mode/v1/embeddings", "", "/compatible-mode/v1/models"),
  new ProviderRow("moonshot", "api.moonshot.cn", O, BEARER, "/v1/chat/completions", "", "/anthropic/v1/messages", "/v1/models"),
  new ProviderRow("deepseek", "api.deepseek.com", O, BEARER, "/chat/completions", "", "/anthropic/v1/messages", "/models"),
  new ProviderRow("baichuan", "api.baichuan-ai.com", O, BEARER, "/v1/chat/completions", "/v1/embeddings"),
  new ProviderRow("yi", "api.lingyiwanwu.com", O, BEARER, "/v1/chat/completions", "", "", "/v1/models"),
  new ProviderRow("zhipuai", "open.bigmodel.cn", O, BEARER, "/api/paas/v4/chat/completions", "/api/paas/v4/embeddings", "/api/anthropic/v1/messages"),
  new ProviderRow("groq", "api.groq.com", O, BEARER, "/openai/v1/chat/completions", "", "", "/openai/v1/models"),
  new ProviderRow("grok", "api.x.ai", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("openrouter", "openrouter.ai", O, BEARER, "/api/v1/chat/completions", "/api/v1/embeddings", "", "/api/v1/models"),
  new ProviderRow("fireworks", "api.fireworks.ai", O, BEARER, "/inference/v1/chat/completions", "/inference/v1/embeddings", "", "/inference/v1/models"),
  new ProviderRow("ai360", "api.360.cn", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("github", "models.github.ai", O, BEARER, "/inference/chat/completions", "/inference/embeddings"),
  new ProviderRow("mistral", "api.mistral.ai", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("stepfun", "api.stepfun.com", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("together-ai", "api.together.xyz", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("doubao", "ark.cn-beijing.volces.com", O, BEARER, "/api/v3/chat/completions", "/api/v3/embeddings", "", "/api/v3/models"),
  new ProviderRow("cloudflare", "api.cloudflare.com", O, BEARER, "/client/v4/accounts/{cloudflareAccountId}/ai/v1/chat/completions", "/client/v4/accounts/{cloudflareAccountId}/ai/v1/embeddings"),
  new ProviderRow("baidu", "qianfan.baidubce.com", O, BEARER, "/v2/chat/completions", "/v2/embeddings", "", "/v2/models"),
  new ProviderRow("minimax", "api.minimax.chat", O, BEARER, "/v1/text/chatcompletion_v2", "/v1/embeddings", "/anthropic/v1/messages"),
  new ProviderRow("ollama", "", O, AuthScheme.None, "/v1/chat/completions", "/v1/embeddings", "/v1/messages", "/v1/models"),
  new ProviderRow("vllm", "", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("generic", "", O, BEARER, "/v1/chat/completions", "/v1/embeddings", "", "/v1/models"),
  new ProviderRow("longcat", "api.longcat.chat", O, BEARER, "/openai/v1/chat/completions", "", "/anthropic/v1/messages"),
];

export function findProviderRow(type: string): ProviderRow | null {
  for (let i = 0; i < PROVIDER_ROWS.length; i++) {
    if (PROVIDER_ROWS[i].type == type) return PROVIDER_ROWS[i];
  }
  return null;
}
