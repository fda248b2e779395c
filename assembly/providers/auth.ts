// How a provider expects its key, and the header that carries it: used for forwarded requests (plugin/headers.ts,
// after the client's credentials are stripped) and for the plugin's own calls (resilience/upstream-request.ts).
import { HeaderPair } from "../abi";

export enum AuthScheme {
  /** `Authorization: Bearer <token>` (OpenAI and most compatible providers). */
  Bearer = 0,
  /** `x-api-key: <token>` (Anthropic). */
  XApiKey = 1,
  /** `api-key: <token>` (Azure OpenAI). */
  ApiKeyHeader = 2,
  /** No key (a local Ollama or vLLM without auth). */
  None = 3,
  /**
   * `x-goog-api-key: <token>` (Google Gemini API). Google also takes `?key=` in the query; a key in :path would be
   * written to every access log, so the header form is the only one used.
   */
  GoogApiKey = 4,
  /** `Authorization: DeepL-Auth-Key <token>` (https://developers.deepl.com/docs/getting-started/auth). */
  DeepLAuthKey = 5,
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
