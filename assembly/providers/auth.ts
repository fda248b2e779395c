// How a provider expects its key. Client credentials are always stripped first (see plugin/headers.ts).
export enum AuthScheme {
  /** `Authorization: Bearer <token>` (OpenAI and most compatible providers). */
  Bearer = 0,
  /** `x-api-key: <token>` (Anthropic). */
  XApiKey = 1,
  /** `api-key: <token>` (Azure OpenAI). */
  ApiKeyHeader = 2,
  /** No key (a local Ollama or vLLM without auth). */
  None = 3,
}
