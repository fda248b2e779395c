import { Protocol, TranslateOptions, newResponseTranslator } from "../translate";
import { utf8Encode, utf8Decode } from "../bytes";

function s(b: Uint8Array): string { return utf8Decode(b); }
function b(x: string): Uint8Array { return utf8Encode(x); }
function opts(mode: string = "passthrough"): TranslateOptions { const o = new TranslateOptions(); o.model = "m"; o.nowSeconds = 1700000000; o.reasoningContentMode = mode; return o; }

const OAI_BODY = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"created\":5,\"model\":\"deepseek-chat\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\"," +
  "\"content\":\"Hi\",\"reasoning_content\":\"why\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\": 1}\"}}]},\"finish_reason\":\"tool_calls\"}]," +
  "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":10,\"total_tokens\":1010,\"prompt_cache_hit_tokens\":900,\"prompt_cache_miss_tokens\":100}}";

const ANT_BODY = "{\"id\":\"msg_9\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"sig\"}," +
  "{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{\"a\":1}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null," +
  "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":900,\"output_tokens\":10}}";

describe("non-streamed answers", () => {
  it("OpenAI → Anthropic, reasoning as a thinking block, cached tokens carried", () => {
    const t = newResponseTranslator(Protocol.Anthropic, Protocol.OpenAI, opts(), false);
    expect<string>(s(t.body(b(OAI_BODY), 200))).toBe(
      "{\"id\":\"chatcmpl-9\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"deepseek-chat\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"\"}," +
      "{\"type\":\"text\",\"text\":\"Hi\"},{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"f\",\"input\":{\"a\":1}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null," +
      "\"usage\":{\"input_tokens\":100,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":900,\"output_tokens\":10}}");
    expect<i64>(t.usage.cacheReadTokens).toBe(900);
    expect<string>(t.stopReason).toBe("tool_use");
  });
  it("OpenAI → Anthropic in ignore and concat modes", () => {
    let t = newResponseTranslator(Protocol.Anthropic, Protocol.OpenAI, opts("ignore"), false);
    expect<bool>(s(t.body(b(OAI_BODY), 200)).includes("why")).toBe(false);
    t = newResponseTranslator(Protocol.Anthropic, Protocol.OpenAI, opts("concat"), false);
    expect<bool>(s(t.body(b(OAI_BODY), 200)).includes("{\"type\":\"text\",\"text\":\"<think>\\nwhy\\n</think>\\n\\nHi\"}")).toBe(true);
  });
  it("Anthropic → OpenAI, thinking as reasoning_content + thinking_blocks, prompt tokens include cache reads", () => {
    const t = newResponseTranslator(Protocol.OpenAI, Protocol.Anthropic, opts(), false);
    expect<string>(s(t.body(b(ANT_BODY), 200))).toBe(
      "{\"id\":\"msg_9\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\",\"refusal\":null," +
      "\"reasoning_content\":\"why\",\"thinking_blocks\":[{\"type\":\"thinking\",\"thinking\":\"why\",\"signature\":\"sig\"}]," +
      "\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]," +
      "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":10,\"total_tokens\":1010,\"prompt_tokens_details\":{\"cached_tokens\":900}}}");
  });
  it("error statuses become the client's error format", () => {
    const t = newResponseTranslator(Protocol.OpenAI, Protocol.Anthropic, opts(), false);
    expect<string>(s(t.body(b("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}"), 429))).toBe(
      "{\"error\":{\"message\":\"slow\",\"type\":\"rate_limit_error\",\"param\":null,\"code\":\"rate_limit_error\"}}");
    expect<i32>(t.clientStatus(429)).toBe(429);
    const t2 = newResponseTranslator(Protocol.Anthropic, Protocol.OpenAI, opts(), false);
    expect<string>(s(t2.body(b("upstream connect error or disconnect/reset before headers"), 503))).toBe(
      "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"upstream returned HTTP 503: upstream connect error or disconnect/reset before headers\"}}");
  });
});
