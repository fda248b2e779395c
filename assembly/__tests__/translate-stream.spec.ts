import { Protocol, TranslateOptions, newResponseTranslator, ResponseTranslator } from "../translate";
import { utf8Encode, utf8Decode, ByteBuffer } from "../bytes";

function s(b: Uint8Array): string { return utf8Decode(b); }
function b(x: string): Uint8Array { return utf8Encode(x); }
function opts(): TranslateOptions { const o = new TranslateOptions(); o.model = "m"; o.nowSeconds = 1700000000; return o; }

/** Feeds `input` in pieces of `step` bytes (0 = whole) and returns everything the client gets. */
function run(client: Protocol, upstream: Protocol, input: Uint8Array, step: i32, includeUsage: bool = false, o: TranslateOptions = opts()): string {
  const t = newResponseTranslator(client, upstream, o, true, includeUsage);
  const out = new ByteBuffer(1024);
  if (step <= 0) out.pushBytes(t.chunk(input));
  else for (let i = 0; i < input.length; i += step) out.pushBytes(t.chunk(input.subarray(i, min(i + step, input.length))));
  out.pushBytes(t.end());
  out.pushBytes(t.end()); // idempotent
  out.pushBytes(t.chunk(b("data: late\n\n"))); // ignored once finished
  return out.toString();
}

function ev(name: string, data: string): string { return "event: " + name + "\ndata: " + data + "\n\n"; }

/** The end of a stream cut before its finish, in each client protocol (Anthropic `event: error`; OpenAI error chunk + [DONE]). */
const ANTHROPIC_CUT = ev("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream stream ended before completion\"}}");
const OPENAI_CUT = "data: {\"error\":{\"message\":\"upstream stream ended before completion\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\ndata: [DONE]\n\n";

const OAI_STREAM =
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
  ": keep-alive\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"думаю \"},\"finish_reason\":null}]}\r\n\r\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"héllo 👋\"},\"finish_reason\":null}]}\n\n" +
  "data: \n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]},\"finish_reason\":null}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},\"finish_reason\":null}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n" +
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":7,\"total_tokens\":107,\"prompt_tokens_details\":{\"cached_tokens\":64}}}\n\n" +
  "data: [DONE]\n\n";

const ANT_STREAM =
  ev("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":5,\"cache_read_input_tokens\":20,\"output_tokens\":1}}}") +
  ev("ping", "{\"type\": \"ping\"}") +
  ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}") +
  ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm ✓\"}}") +
  ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}") +
  ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
  ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
  ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"日本\"}}") +
  ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}") +
  ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}") +
  ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}") +
  ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"2}\"}}") +
  ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}") +
  ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":30}}") +
  ev("message_stop", "{\"type\":\"message_stop\"}");

/** The Anthropic events for OAI_STREAM up to the first argument fragment of the first tool call. */
const OAI_TO_ANTHROPIC_HEAD =
      ev("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"chatcmpl-1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-4o\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}") +
      ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}") +
      ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"думаю \"}}") +
      ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}") +
      ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}") +
      ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"héllo 👋\"}}") +
      ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}") +
      ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_a\",\"name\":\"f\",\"input\":{}}}") +
      ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"q\\\":\"}}");

describe("OpenAI stream → Anthropic events", () => {
  it("produces the exact event sequence", () => {
    const want =
      OAI_TO_ANTHROPIC_HEAD +
      ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}") +
      ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}") +
      ev("content_block_start", "{\"type\":\"content_block_start\",\"index\":3,\"content_block\":{\"type\":\"tool_use\",\"id\":\"call_b\",\"name\":\"g\",\"input\":{}}}") +
      ev("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}") +
      ev("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":3}") +
      ev("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":36,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":64,\"output_tokens\":7}}") +
      ev("message_stop", "{\"type\":\"message_stop\"}");
    expect<string>(run(Protocol.Anthropic, Protocol.OpenAI, b(OAI_STREAM), 0)).toBe(want);
  });
  it("gives the same bytes for every chunking, including 1-byte pieces inside UTF-8 characters", () => {
    const input = b(OAI_STREAM);
    const whole = run(Protocol.Anthropic, Protocol.OpenAI, input, 0);
    for (let step = 1; step <= 17; step++) expect<string>(run(Protocol.Anthropic, Protocol.OpenAI, input, step)).toBe(whole);
  });
  it("ends a truncated stream with an error event", () => {
    const cut = OAI_STREAM.substring(0, OAI_STREAM.indexOf("\"1}\""));
    const out = run(Protocol.Anthropic, Protocol.OpenAI, b(cut), 3);
    // Everything up to the last whole event (the first argument fragment), then the error event; no message_stop.
    const want =
      OAI_TO_ANTHROPIC_HEAD +
      ANTHROPIC_CUT;
    expect<string>(out).toBe(want);
    // Nothing at all: still a well-formed error.
    expect<string>(run(Protocol.Anthropic, Protocol.OpenAI, new Uint8Array(0), 0)).toBe(ANTHROPIC_CUT);
  });
  it("treats a finish without [DONE] as a complete answer", () => {
    const noDone = OAI_STREAM.substring(0, OAI_STREAM.indexOf("data: [DONE]"));
    // The same bytes as the complete stream.
    expect<string>(run(Protocol.Anthropic, Protocol.OpenAI, b(noDone), 5)).toBe(run(Protocol.Anthropic, Protocol.OpenAI, b(OAI_STREAM), 0));
  });
});

describe("Anthropic stream → OpenAI chunks", () => {
  it("produces the exact chunk sequence with the usage chunk", () => {
    const head = "{\"id\":\"msg_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[";
    const c = (delta: string, finish: string): string => "data: " + head + "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}\n\n";
    const want =
      c("{\"role\":\"assistant\",\"content\":\"\"}", "null") +
      c("{\"reasoning_content\":\"hmm ✓\"}", "null") +
      c("{\"content\":\"日本\"}", "null") +
      c("{\"tool_calls\":[{\"index\":0,\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", "null") +
      c("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\":\"}}]}", "null") +
      c("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"2}\"}}]}", "null") +
      c("{}", "\"tool_calls\"") +
      "data: " + head + "],\"usage\":{\"prompt_tokens\":35,\"completion_tokens\":30,\"total_tokens\":65,\"prompt_tokens_details\":{\"cached_tokens\":20},\"cache_creation_input_tokens\":5}}\n\n" +
      "data: [DONE]\n\n";
    expect<string>(run(Protocol.OpenAI, Protocol.Anthropic, b(ANT_STREAM), 0, true)).toBe(want);
  });
  it("gives the same bytes for every chunking", () => {
    const input = b(ANT_STREAM);
    const whole = run(Protocol.OpenAI, Protocol.Anthropic, input, 0, true);
    for (let step = 1; step <= 17; step++) expect<string>(run(Protocol.OpenAI, Protocol.Anthropic, input, step, true)).toBe(whole);
  });
  it("converts an in-stream error event and ends with [DONE]", () => {
    const input = ANT_STREAM.substring(0, ANT_STREAM.indexOf("event: content_block_stop")) + ev("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    const out = run(Protocol.OpenAI, Protocol.Anthropic, b(input), 7);
    const head = "{\"id\":\"msg_1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"claude-x\",\"choices\":[";
    const c = (delta: string): string => "data: " + head + "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    expect<string>(out).toBe(
      c("{\"role\":\"assistant\",\"content\":\"\"}") + c("{\"reasoning_content\":\"hmm ✓\"}") +
      "data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded_error\"}}\n\ndata: [DONE]\n\n");
  });
});

describe("pass-through streams", () => {
  it("forward whole events and close a cut stream with an error event", () => {
    const cut = ANT_STREAM.substring(0, ANT_STREAM.indexOf("\"2}\""));
    const whole = run(Protocol.Anthropic, Protocol.Anthropic, b(cut), 0);
    expect<string>(run(Protocol.Anthropic, Protocol.Anthropic, b(cut), 1)).toBe(whole);
    const lastComplete = cut.substring(0, cut.lastIndexOf("\n\n") + 2);
    expect<string>(whole).toBe(lastComplete + ev("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream stream ended before completion\"}}"));
    expect<string>(run(Protocol.Anthropic, Protocol.Anthropic, b(ANT_STREAM), 3)).toBe(ANT_STREAM);
    expect<string>(run(Protocol.OpenAI, Protocol.OpenAI, b(OAI_STREAM), 3)).toBe(OAI_STREAM);
  });
});

describe("hostile input", () => {
  it("never traps on garbage, in any translator and any phase", () => {
    let seed: u32 = 12345;
    for (let round = 0; round < 30; round++) {
      const n = 1 + <i32>(seed % 700);
      const junk = new Uint8Array(n);
      for (let i = 0; i < n; i++) { seed = seed * 1103515245 + 12345; junk[i] = <u8>(seed >> 16); }
      // Sprinkle SSE-looking structure into the junk.
      const mixed = b("data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":-5,\"function\":{\"arguments\":7}}]}}]}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":99,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":{}}}\n\n");
      for (let c = 0; c < 2; c++) {
        for (let u = 0; u < 2; u++) {
          const client = c == 0 ? Protocol.OpenAI : Protocol.Anthropic;
          const upstream = u == 0 ? Protocol.OpenAI : Protocol.Anthropic;
          const t: ResponseTranslator = newResponseTranslator(client, upstream, opts(), true, true);
          t.chunk(junk); t.chunk(mixed); t.chunk(junk.subarray(0, n >> 1));
          // No finish ever came: the stream ends with the cut-stream error in the client's protocol.
          expect<string>(s(t.end())).toBe(client == Protocol.OpenAI ? OPENAI_CUT : ANTHROPIC_CUT);
          const t2 = newResponseTranslator(client, upstream, opts(), false);
          // Bodies that are not the upstream's JSON answer: a 502 error in the client's protocol.
          const want = client == Protocol.OpenAI
            ? "{\"error\":{\"message\":\"upstream returned a response that is not JSON\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"
            : "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream returned a response that is not JSON\"}}";
          if (upstream != client) {
            expect<string>(s(t2.body(junk, 200))).toBe(want);
            expect<i32>(t2.clientStatus(200)).toBe(502);
          }
          const e = s(newResponseTranslator(client, upstream, opts(), false).body(junk, 500));
          expect<bool>(e.startsWith(client == Protocol.OpenAI ? "{\"error\":{\"message\":\"upstream returned HTTP 500" : "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream returned HTTP 500")).toBe(true);
          t2.body(mixed, 200);
          t2.body(b("{\"choices\":[{\"message\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{bad\"}}]}}],\"content\":5}"), 200);
          t2.body(b("{\"content\":[{\"type\":\"tool_use\"},{\"type\":\"text\",\"text\":1},7],\"usage\":\"x\"}"), 200);
        }
      }
    }
  });
  it("answers an unusable 200 body with a 502 error in the client's protocol", () => {
    const t = newResponseTranslator(Protocol.Anthropic, Protocol.OpenAI, opts(), false);
    const out = s(t.body(b("<html>oops</html>"), 200));
    expect<i32>(t.clientStatus(200)).toBe(502);
    expect<string>(out).toBe("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream returned a response that is not JSON\"}}");
  });
});
