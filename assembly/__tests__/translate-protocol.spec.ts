import { ApiName, Protocol, detectApi, clientProtocolForPath, upstreamPathFor, errorBody, convertErrorBody, clientErrorStatus, anthropicErrorType, streamErrorEvent, extractError } from "../protocol";
import { utf8Encode, utf8Decode } from "../bytes";

function s(b: Uint8Array): string { return utf8Decode(b); }
function b(x: string): Uint8Array { return utf8Encode(x); }

describe("API detection", () => {
  it("ignores the query string and matches suffixes", () => {
    expect<ApiName>(detectApi("/v1/messages?beta=true")).toBe(ApiName.Messages);
    expect<ApiName>(detectApi("/v1/messages")).toBe(ApiName.Messages);
    expect<ApiName>(detectApi("/anthropic/v1/messages/")).toBe(ApiName.Messages);
    expect<ApiName>(detectApi("/v1/chat/completions")).toBe(ApiName.ChatCompletions);
    expect<ApiName>(detectApi("/openai/deployments/gpt4/chat/completions?api-version=2024-06-01")).toBe(ApiName.ChatCompletions);
    expect<ApiName>(detectApi("/v1/messages/count_tokens?beta=true")).toBe(ApiName.CountTokens);
    expect<ApiName>(detectApi("/v1/messages/batches")).toBe(ApiName.MessageBatches);
    expect<ApiName>(detectApi("/v1/messages/batches/msgbatch_01/results")).toBe(ApiName.MessageBatches);
    expect<ApiName>(detectApi("/v1/embeddings")).toBe(ApiName.Embeddings);
    expect<ApiName>(detectApi("/v1/models")).toBe(ApiName.Models);
    expect<ApiName>(detectApi("/v1/models/claude-sonnet-4-5")).toBe(ApiName.Models);
    expect<ApiName>(detectApi("/v1/completions")).toBe(ApiName.Completions);
    expect<ApiName>(detectApi("/v1/complete")).toBe(ApiName.AnthropicComplete);
    expect<ApiName>(detectApi("/v1/threads/t/messages")).toBe(ApiName.Unknown);
    expect<ApiName>(detectApi("")).toBe(ApiName.Unknown);
    expect<ApiName>(detectApi("?")).toBe(ApiName.Unknown);
  });
  it("decides the client protocol", () => {
    expect<Protocol>(clientProtocolForPath("/v1/messages?beta=true")).toBe(Protocol.Anthropic);
    expect<Protocol>(clientProtocolForPath("/v1/messages/count_tokens")).toBe(Protocol.Anthropic);
    expect<Protocol>(clientProtocolForPath("/v1/chat/completions")).toBe(Protocol.OpenAI);
    expect<Protocol>(clientProtocolForPath("/v1/models")).toBe(Protocol.OpenAI);
    expect<Protocol>(clientProtocolForPath("/v1/models", true)).toBe(Protocol.Anthropic);
    expect<string>(upstreamPathFor(ApiName.Messages, Protocol.OpenAI)).toBe("/v1/chat/completions");
    expect<string>(upstreamPathFor(ApiName.ChatCompletions, Protocol.Anthropic)).toBe("/v1/messages");
    expect<string>(upstreamPathFor(ApiName.Messages, Protocol.Anthropic)).toBe("");
  });
});

describe("error bodies", () => {
  it("maps statuses to Anthropic types", () => {
    expect<string>(anthropicErrorType(400)).toBe("invalid_request_error");
    expect<string>(anthropicErrorType(401)).toBe("authentication_error");
    expect<string>(anthropicErrorType(403)).toBe("permission_error");
    expect<string>(anthropicErrorType(404)).toBe("not_found_error");
    expect<string>(anthropicErrorType(413)).toBe("request_too_large");
    expect<string>(anthropicErrorType(422)).toBe("invalid_request_error");
    expect<string>(anthropicErrorType(429)).toBe("rate_limit_error");
    expect<string>(anthropicErrorType(500)).toBe("api_error");
    expect<string>(anthropicErrorType(502)).toBe("api_error");
    expect<string>(anthropicErrorType(503)).toBe("overloaded_error");
    expect<string>(anthropicErrorType(504)).toBe("timeout_error");
    expect<string>(anthropicErrorType(529)).toBe("overloaded_error");
  });
  it("builds exact bodies", () => {
    expect<string>(s(errorBody(Protocol.Anthropic, 400, "messages: \"x\" bad"))).toBe("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages: \\\"x\\\" bad\"}}");
    expect<string>(s(errorBody(Protocol.OpenAI, 429, "slow down"))).toBe("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":null}}");
    expect<string>(s(streamErrorEvent(Protocol.Anthropic, 529, "Overloaded"))).toBe("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    expect<string>(s(streamErrorEvent(Protocol.OpenAI, 500, "boom"))).toBe("data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\ndata: [DONE]\n\n");
  });
  it("converts between protocols, keeping the status where it means the same", () => {
    const oai = b("{\"error\":{\"message\":\"Incorrect API key\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}");
    expect<string>(s(convertErrorBody(Protocol.Anthropic, 401, oai))).toBe("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Incorrect API key\"}}");
    const ant = b("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}");
    expect<string>(s(convertErrorBody(Protocol.OpenAI, 529, ant))).toBe("{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}");
    expect<i32>(clientErrorStatus(Protocol.OpenAI, 529)).toBe(503);
    expect<i32>(clientErrorStatus(Protocol.Anthropic, 529)).toBe(529);
    expect<i32>(clientErrorStatus(Protocol.Anthropic, 200)).toBe(502);
    // Already in the client's shape: unchanged bytes.
    expect<string>(s(convertErrorBody(Protocol.Anthropic, 529, ant))).toBe(s(ant));
  });
  it("survives HTML, text, empty and binary bodies", () => {
    expect<string>(extractError(502, b("<html><head><title>502 Bad Gateway</title></head></html>")).message).toBe("upstream returned HTTP 502: 502 Bad Gateway");
    expect<string>(extractError(503, b("no healthy upstream")).message).toBe("upstream returned HTTP 503: no healthy upstream");
    expect<string>(extractError(500, new Uint8Array(0)).message).toBe("upstream returned HTTP 500");
    expect<string>(extractError(400, b("{\"detail\":\"Not Found\"}")).message).toBe("Not Found");
    expect<string>(extractError(400, b("{\"error\":\"plain string\"}")).message).toBe("plain string");
    expect<string>(extractError(400, b("[{\"error\":{\"code\":400,\"message\":\"gemini style\"}}]")).message).toBe("gemini style");
    const bin = new Uint8Array(64);
    for (let i = 0; i < 64; i++) bin[i] = <u8>(i * 37 + 200);
    const out = s(convertErrorBody(Protocol.OpenAI, 500, bin));
    expect<bool>(out.startsWith("{\"error\":{\"message\":\"upstream returned HTTP 500")).toBe(true);
  });
});
