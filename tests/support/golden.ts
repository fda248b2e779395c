// The translation golden fixtures (tests/fixtures/translate/<case>/): reading them and the configuration each case
// runs under. Used by the host replay (tests/plugin/golden-translate.test.ts) and the end-to-end replay on both
// runtimes (tests/e2e/golden-runtimes.test.ts).
import * as fs from "node:fs";
import * as path from "node:path";
import { framesFromFixture } from "./aws";
import { ROOT } from "./plugin";

export const GOLDEN_DIR = path.join(ROOT, "tests", "fixtures", "translate");
export const GOLDEN_KEY = "sk-golden-key";

/**
 * The documented chat endpoint of each provider type the goldens run against (full URL as the provider's API reference
 * gives it). The upstream request must reach exactly this authority and path.
 */
export const PROVIDER_ENDPOINT = {
  // https://platform.openai.com/docs/api-reference/chat/create  "POST https://api.openai.com/v1/chat/completions"
  openai: "https://api.openai.com/v1/chat/completions",
  // https://docs.anthropic.com/en/api/messages  "POST https://api.anthropic.com/v1/messages" (header x-api-key)
  claude: "https://api.anthropic.com/v1/messages",
  // https://api-docs.deepseek.com/api/create-chat-completion  "POST https://api.deepseek.com/chat/completions"
  deepseek: "https://api.deepseek.com/chat/completions",
  // https://openrouter.ai/docs/api-reference/chat-completion  "POST https://openrouter.ai/api/v1/chat/completions"
  openrouter: "https://openrouter.ai/api/v1/chat/completions",
  // https://ai.google.dev/api/generate-content  "POST https://generativelanguage.googleapis.com/v1beta/{model=models/*}:generateContent"
  // (header x-goog-api-key); the path names the model and the method, so each case states it (case.json upstreamPath)
  gemini: "https://generativelanguage.googleapis.com/v1beta/models",
  // https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html  "POST /model/modelId/converse"
  // on bedrock-runtime.{region}.amazonaws.com (a Bedrock API key as Bearer); each case states its upstreamPath
  bedrock: "https://bedrock-runtime.us-east-1.amazonaws.com/model",
  // https://developers.deepl.com/api-reference/translate  "POST https://api.deepl.com/v2/translate" (Authorization:
  // DeepL-Auth-Key; keys ending in :fx go to api-free.deepl.com)
  deepl: "https://api.deepl.com/v2/translate",
  // https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html
  // "POST v2/models/${MODEL_NAME}[/versions/${MODEL_VERSION}]/generate" on the configured tritonDomain (the goldens'
  // tritonDomain is this host); the path names the model, so each case states it (upstreamPath)
  triton: "https://triton.example.com/v2/models",
  // https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference
  // "https://aiplatform.googleapis.com/v1/{model}:generateContent?key=API_KEY" (express mode: the goldens configure a
  // key, sent as ?key=); Claude models on publishers/anthropic (https://docs.anthropic.com/en/api/claude-on-vertex-ai).
  // Each case states its upstreamPath, key included.
  vertex: "https://aiplatform.googleapis.com/v1/publishers",
  // https://www.coze.cn/open/docs/developer_guides/chat_v3  "POST https://api.coze.cn/v3/chat" (Authorization: Bearer)
  coze: "https://api.coze.cn/v3/chat",
  // https://docs.dify.ai/en/openapi-api-access-readme  "POST https://api.dify.ai/v1/chat-messages" (a Chat app, the
  // default botType; the app key as Bearer)
  dify: "https://api.dify.ai/v1/chat-messages",
  // https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope  "POST https://dashscope.aliyuncs.com/
  // compatible-mode/v1/chat/completions"; the native endpoint (qwenEnableCompatible false) is each case's upstreamPath
  qwen: "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",
  // https://platform.minimaxi.com/document/ChatCompletion%20v2  "POST https://api.minimaxi.com/v1/text/chatcompletion_v2";
  // ChatCompletion Pro (minimaxApiType pro) is each case's upstreamPath
  minimax: "https://api.minimaxi.com/v1/text/chatcompletion_v2",
  // The OpenAI-compatible chat endpoints (each provider's docs, cited in assembly/providers/table.ts; the key as Bearer).
  moonshot: "https://api.moonshot.cn/v1/chat/completions",
  baichuan: "https://api.baichuan-ai.com/v1/chat/completions",
  yi: "https://api.lingyiwanwu.com/v1/chat/completions",
  zhipuai: "https://open.bigmodel.cn/api/paas/v4/chat/completions",
  groq: "https://api.groq.com/openai/v1/chat/completions",
  grok: "https://api.x.ai/v1/chat/completions",
  fireworks: "https://api.fireworks.ai/inference/v1/chat/completions",
  baidu: "https://qianfan.baidubce.com/v2/chat/completions",
  ai360: "https://api.360.cn/v1/chat/completions",
  github: "https://models.github.ai/inference/chat/completions",
  mistral: "https://api.mistral.ai/v1/chat/completions",
  stepfun: "https://api.stepfun.com/v1/chat/completions",
  spark: "https://spark-api-open.xf-yun.com/v1/chat/completions",
  "together-ai": "https://api.together.xyz/v1/chat/completions",
  doubao: "https://ark.cn-beijing.volces.com/api/v3/chat/completions",
  // https://cloud.tencent.com/document/product/1729/111007 (OpenAI-compatible endpoint, apiTokens; the signed API 3.0
  // is used with hunyuanAuthId/hunyuanAuthKey, tests/e2e/hunyuan.test.ts)
  hunyuan: "https://api.hunyuan.cloud.tencent.com/v1/chat/completions",
  // https://learn.microsoft.com/azure/ai-services/openai/reference  "POST {endpoint}/openai/deployments/{deployment-id}/
  // chat/completions?api-version=…" (api-key header); the goldens' azureServiceUrl is this resource, the deployment
  // named after the mapped model (each case states its upstreamPath)
  azure: "https://res1.openai.azure.com/openai/deployments",
  // https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility (the goldens' cloudflareAccountId)
  cloudflare: "https://api.cloudflare.com/client/v4/accounts/acc123/ai/v1/chat/completions",
  // https://docs.cohere.com/docs/compatibility-api  "https://api.cohere.com/compatibility/v1/chat/completions"
  cohere: "https://api.cohere.com/compatibility/v1/chat/completions",
  // https://docs.ollama.com/api/openai-compatibility  "http://localhost:11434/v1/chat/completions" (the goldens'
  // ollamaServerHost / ollamaServerPort)
  ollama: "http://ollama.local:11434/v1/chat/completions",
} as const;
export type GoldenProvider = keyof typeof PROVIDER_ENDPOINT;

/** Every option a case may set; each one is a plugin setting (goldenConfig), so none is ignored. */
const OPTIONS = ["model", "reasoningContentMode", "nowSeconds", "dropUnsupported", "anthropicVersion", "targetLang", "qwenEnableCompatible", "minimaxApiType", "minimaxGroupId"];

export interface GoldenCase {
  /** "responses": an OpenAI client calling /v1/responses. */
  client: "anthropic" | "openai" | "responses";
  provider: GoldenProvider;
  path: string;
  /** The documented endpoint (full URL) the request must reach when it is not the provider's chat endpoint. */
  upstreamUrl?: string;
  options?: {
    model?: string; reasoningContentMode?: string; nowSeconds?: number; dropUnsupported?: boolean; anthropicVersion?: string; targetLang?: string;
    qwenEnableCompatible?: boolean; minimaxApiType?: string; minimaxGroupId?: string;
  };
  /**
   * Where the expected files come from, reviewed by hand: the provider documentation (with its URL) for the request,
   * response and stream shapes, and the project's mapping decisions (assembly/translate/README.md, docs/field-policy.md).
   */
  reviewed?: { source: string; notes?: string };
  /** Fields the gateway leaves out of the upstream request, announced in x-ai-proxy-dropped-params. */
  dropped?: string[];
  status: number;
  clientStatus: number;
  /**
   * The upstream path when the provider's URL names the model and the method (Gemini:
   * `/v1beta/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse` for streams), from its docs.
   */
  upstreamPath?: string;
}

export interface Golden {
  name: string;
  c: GoldenCase;
  clientRequest: Buffer;
  /** null: the gateway refuses the request and nothing reaches the upstream. */
  wantUpstream: Buffer | null;
  upstreamBody: Buffer | null;
  sse: boolean;
  /** The stream is AWS event stream frames (built from `upstream-response.events.json`), not SSE. */
  eventStream: boolean;
  wantClient: Buffer;
}

function read(dir: string, name: string): Buffer | null {
  const p = path.join(dir, name);
  return fs.existsSync(p) ? fs.readFileSync(p) : null;
}

export function loadGoldens(): Golden[] {
  const out: Golden[] = [];
  for (const name of fs.readdirSync(GOLDEN_DIR).sort()) {
    const dir = path.join(GOLDEN_DIR, name);
    if (name.startsWith("_") || !fs.statSync(dir).isDirectory()) continue;
    const c: GoldenCase = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8"));
    if (!(c.provider in PROVIDER_ENDPOINT)) throw new Error(`${name}: unknown provider ${c.provider}`);
    for (const k of Object.keys(c.options ?? {})) if (!OPTIONS.includes(k)) throw new Error(`${name}: option ${k} is not a plugin setting`);
    const events = read(dir, "upstream-response.events.json");
    const sse = events !== null ? framesFromFixture(JSON.parse(events.toString())) : read(dir, "upstream-response.sse");
    out.push({
      name, c, clientRequest: read(dir, "client-request.json")!, wantUpstream: read(dir, "upstream-request.json"),
      upstreamBody: sse ?? read(dir, "upstream-response.json"), sse: sse !== null, eventStream: events !== null,
      wantClient: read(dir, "client-response.sse") ?? read(dir, "client-response.json")!,
    });
  }
  return out;
}

/** The plugin configuration a case runs under: every option in case.json is honoured. */
export function goldenConfig(c: GoldenCase): object {
  const provider: Record<string, unknown> = { type: c.provider, apiTokens: [GOLDEN_KEY] };
  if (c.options?.model) provider.modelMapping = { "*": c.options.model };
  if (c.options?.reasoningContentMode) provider.reasoningContentMode = c.options.reasoningContentMode;
  if (c.options?.dropUnsupported) provider.dropUnsupportedParams = true;
  if (c.options?.anthropicVersion) provider.claudeVersion = c.options.anthropicVersion;
  if (c.provider === "bedrock") provider.awsRegion = "us-east-1";
  if (c.options?.targetLang) provider.targetLang = c.options.targetLang;
  for (const k of ["qwenEnableCompatible", "minimaxApiType", "minimaxGroupId"] as const) if (c.options?.[k] !== undefined) provider[k] = c.options[k];
  if (c.provider === "triton") provider.tritonDomain = new URL(PROVIDER_ENDPOINT.triton).host;
  if (c.provider === "azure") provider.azureServiceUrl = "https://res1.openai.azure.com?api-version=2024-10-21";
  if (c.provider === "cloudflare") provider.cloudflareAccountId = "acc123";
  if (c.provider === "ollama") Object.assign(provider, { ollamaServerHost: "ollama.local", ollamaServerPort: 11434 });
  return { provider };
}

/** The upstream hosts the goldens reach (the end-to-end replay points each at its local upstream). */
export const GOLDEN_HOSTS: string[] = [
  ...Object.values(PROVIDER_ENDPOINT).map((u) => new URL(u).host),
  "api.minimax.chat", // MiniMax ChatCompletion Pro's cases (their upstreamUrl)
];

/** The authority the request must reach: the provider's documented host. */
export function wantUpstreamAuthority(c: GoldenCase): string {
  return new URL(c.upstreamUrl ?? PROVIDER_ENDPOINT[c.provider]).host;
}

/** The content type the recorded upstream answered with. */
export function upstreamContentType(g: Golden): string {
  if (g.eventStream) return "application/vnd.amazon.eventstream";
  return g.sse ? "text/event-stream" : g.upstreamBody && g.upstreamBody[0] === 0x3c /* < */ ? "text/html" : "application/json";
}

/** The upstream path the request must reach: the client's query string is kept only without protocol conversion. */
export function wantUpstreamPath(c: GoldenCase): string {
  if (c.upstreamUrl) return new URL(c.upstreamUrl).pathname + new URL(c.upstreamUrl).search;
  if (c.upstreamPath) return c.upstreamPath;
  const sameProtocol = (c.client === "anthropic") === (c.provider === "claude");
  const query = c.path.includes("?") ? c.path.slice(c.path.indexOf("?")) : "";
  return new URL(PROVIDER_ENDPOINT[c.provider]).pathname + (sameProtocol ? query : "");
}

/** The upstream credential the case's provider must receive in wantUpstreamKeyHeader (Vertex: in the path, upstreamPath). */
export function wantUpstreamKey(c: GoldenCase): string {
  if (c.provider === "deepl") return `DeepL-Auth-Key ${GOLDEN_KEY}`;
  if (c.provider === "azure") return GOLDEN_KEY;
  return c.provider === "claude" || c.provider === "gemini" || c.provider === "vertex" ? GOLDEN_KEY : `Bearer ${GOLDEN_KEY}`;
}

/** The one header that must carry the provider key (every other credential header is absent upstream); null: none (Vertex express: ?key=). */
export function wantUpstreamKeyHeader(c: GoldenCase): string | null {
  if (c.provider === "azure") return "api-key";
  if (c.provider === "vertex") return null;
  return c.provider === "claude" ? "x-api-key" : c.provider === "gemini" ? "x-goog-api-key" : "authorization";
}

/** Headers a credential may travel in: upstream, only the provider's own may be present. */
export const CREDENTIAL_HEADERS = ["authorization", "x-api-key", "api-key", "x-goog-api-key", "proxy-authorization"];
