// pathWithKey: Vertex AI express mode's key as the `key` query parameter
// (https://cloud.google.com/vertex-ai/generative-ai/docs/start/express-mode/vertex-ai-express-mode-api-reference:
// …/models/MODEL:generateContent?key=API_KEY); header schemes leave the path alone.
import { AuthScheme, pathWithKey } from "../providers/auth";

const M = "/v1/publishers/google/models/gemini-2.5-flash";

describe("pathWithKey", () => {
  it("adds ?key= to a path without a query, &key= after an existing one", () => {
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":generateContent", "AQ.k")).toBe(M + ":generateContent?key=AQ.k");
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":streamGenerateContent?alt=sse", "AQ.k")).toBe(M + ":streamGenerateContent?alt=sse&key=AQ.k");
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":generateContent?", "AQ.k")).toBe(M + ":generateContent?key=AQ.k");
  });

  it("replaces a key already there (exactly one key, the other parameters kept in order)", () => {
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":streamGenerateContent?alt=sse&key=client&trace=1", "AQ.k")).toBe(M + ":streamGenerateContent?alt=sse&trace=1&key=AQ.k");
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":generateContent?key=a&key=b", "AQ.k")).toBe(M + ":generateContent?key=AQ.k");
  });

  it("leaves the path alone without a key or for header schemes", () => {
    expect<string>(pathWithKey(AuthScheme.QueryKey, M + ":generateContent", "")).toBe(M + ":generateContent");
    expect<string>(pathWithKey(AuthScheme.GoogApiKey, "/v1beta/models/gemini-2.5-flash:generateContent", "AIza")).toBe("/v1beta/models/gemini-2.5-flash:generateContent");
    expect<string>(pathWithKey(AuthScheme.Bearer, "/v1/chat/completions?x=1", "sk")).toBe("/v1/chat/completions?x=1");
  });
});
