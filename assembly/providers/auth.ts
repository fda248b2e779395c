// How a provider expects its key, and the header that carries it: used for forwarded requests (plugin/headers.ts,
// after the client's credentials are stripped) and for the plugin's own calls (resilience/upstream-request.ts).
import { HeaderPair } from "../abi";
import { stripCredentialParams } from "../protocol/secrets";

export enum AuthScheme {
  /** `Authorization: Bearer <token>` (OpenAI and most compatible providers). */
  Bearer = 0,
  /** `x-api-key: <token>` (Anthropic). */
  XApiKey = 1,
  /** `api-key: <token>` (Azure OpenAI). */
  ApiKeyHeader = 2,
  /** No key (a local Ollama or vLLM without auth). */
  None = 3,
  /** `x-goog-api-key: <token>` (Google Gemini API: https://ai.google.dev/api#authentication). */
  GoogApiKey = 4,
  /** `Authorization: DeepL-Auth-Key <token>` (https://developers.deepl.com/docs/getting-started/auth). */
  DeepLAuthKey = 5,
  /**
   * The `key` query parameter (Vertex AI express mode: https://cloud.google.com/vertex-ai/generative-ai/docs/start/
   * express-mode/vertex-ai-express-mode-api-reference, `…:generateContent?key=API_KEY`): no header; pathWithKey puts
   * it in :path, and the plugin keeps the client's path in x-envoy-original-path, which access logs print.
   */
  QueryKey = 6,
}

/** The header carrying `token` for `scheme`; null when the provider takes no key. */
export function authHeader(scheme: AuthScheme, token: string): HeaderPair | null {
  if (token.length == 0) return null;
  switch (scheme) {
    case AuthScheme.Bearer: return new HeaderPair("authorization", "Bearer " + token);
    case AuthScheme.XApiKey: return new HeaderPair("x-api-key", token);
    case AuthScheme.ApiKeyHeader: return new HeaderPair("api-key", token);
    case AuthScheme.GoogApiKey: return new HeaderPair("x-goog-api-key", token);
    case AuthScheme.DeepLAuthKey: return new HeaderPair("authorization", "DeepL-Auth-Key " + token);
    default: return null;
  }
}

/**
 * `path` as sent with `token` under `scheme`: for QueryKey, with exactly one `key` parameter, `token`, after the other
 * parameters (kept in order; credential parameters already there are dropped). Header schemes: `path` as is.
 */
export function pathWithKey(scheme: AuthScheme, path: string, token: string): string {
  if (scheme != AuthScheme.QueryKey || token.length == 0) return path;
  const bare = stripCredentialParams(path);
  const q = bare.indexOf("?");
  return bare + (q < 0 ? "?" : q == bare.length - 1 ? "" : "&") + "key=" + token;
}
