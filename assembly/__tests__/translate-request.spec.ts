import { Protocol, TranslateOptions, translateRequest, RequestResult } from "../translate";
import { utf8Encode, utf8Decode } from "../bytes";

function s(b: Uint8Array): string { return utf8Decode(b); }
function b(x: string): Uint8Array { return utf8Encode(x); }
function opts(model: string = ""): TranslateOptions { const o = new TranslateOptions(); o.model = model; return o; }
function dropping(model: string = ""): TranslateOptions { const o = opts(model); o.dropUnsupported = true; return o; }
function a2o(body: string, o: TranslateOptions = opts()): RequestResult { return translateRequest(Protocol.Anthropic, Protocol.OpenAI, b(body), o); }
function o2a(body: string, o: TranslateOptions = opts()): RequestResult { return translateRequest(Protocol.OpenAI, Protocol.Anthropic, b(body), o); }
function bad(r: RequestResult, contains: string): void {
  expect<bool>(r.ok).toBe(false);
  expect<i32>(r.errorStatus).toBe(400);
  if (!r.errorMessage.includes(contains)) trace("message was: " + r.errorMessage);
  expect<bool>(r.errorMessage.includes(contains)).toBe(true);
}

describe("Anthropic → OpenAI request", () => {
  it("maps system blocks, tools, tool results and parameters exactly", () => {
    const r = a2o(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":[{\"type\":\"text\",\"text\":\"A\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"B\"}]," +
      "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{ \"a\" : [1, 2] }}]}," +
      "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"42\",\"is_error\":true},{\"type\":\"text\",\"text\":\"go\"}]}]," +
      "\"tools\":[{\"name\":\"f\",\"description\":\"d\",\"input_schema\":{\"type\":\"object\"}},{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]," +
      "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true},\"temperature\":0.5,\"top_k\":5,\"stop_sequences\":[\"X\"],\"metadata\":{\"user_id\":\"u1\"}," +
      "\"stream\":true,\"thinking\":{\"type\":\"adaptive\"},\"context_management\":{},\"output_config\":{\"effort\":\"high\"},\"unknown\":1}", dropping("gpt-4o"));
    expect<bool>(r.ok).toBe(true);
    expect<bool>(r.stream).toBe(true);
    expect<string>(r.requestedModel).toBe("claude-sonnet-4-5");
    expect<string>(r.upstreamModel).toBe("gpt-4o");
    expect<string>(s(r.body)).toBe(
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"A\\n\\nB\"},{\"role\":\"user\",\"content\":\"hi\"}," +
      "{\"role\":\"assistant\",\"content\":\"ok\",\"tool_calls\":[{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":[1,2]}\"}}]}," +
      "{\"role\":\"tool\",\"tool_call_id\":\"toolu_1\",\"content\":\"Error: 42\"},{\"role\":\"user\",\"content\":\"go\"}]," +
      "\"max_tokens\":100,\"temperature\":0.5,\"stop\":[\"X\"],\"stream\":true,\"stream_options\":{\"include_usage\":true}," +
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\",\"parameters\":{\"type\":\"object\"}}}]," +
      "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"user\":\"u1\"}");
  });
  it("returns clear 400 errors instead of trapping", () => {
    bad(a2o(""), "not valid JSON");
    bad(a2o("[1,2]"), "must be a JSON object");
    bad(a2o("{\"model\":\"m\",\"messages\":{}}"), "messages: must be an array");
    bad(a2o("{\"model\":\"m\"}"), "messages: must be an array");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}"), "messages.0.content");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}"), "messages.0.role");
    bad(a2o("{\"model\":\"m\",\"messages\":[7]}"), "messages.0: must be an object");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"name\":\"f\",\"input\":{}}]}]}"), "a tool_use block needs a non-empty string id");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\"}]}]}"), "needs a source object");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"f\"}}]}]}"), "image source \"file\"");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]}]}"), "tool_use_id");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":3}]}]}"), ".text: must be a string");
    bad(a2o("{\"model\":\"m\",\"messages\":[],\"tools\":{}}"), "tools: must be an array");
    bad(a2o("{\"model\":\"m\",\"messages\":[],\"tools\":[{\"input_schema\":{}}]}"), "tools.0.name");
    bad(a2o("{\"model\":\"m\",\"messages\":[],\"max_tokens\":\"9\"}"), "max_tokens");
    bad(a2o("{\"messages\":[]}"), "model");
    bad(a2o("{\"model\":\"m\",\"messages\":[],\"system\":5}"), "system");
    let deep = "";
    for (let i = 0; i < 200; i++) deep += "[";
    bad(a2o("{\"model\":\"m\",\"messages\":" + deep + "}"), "not valid JSON");
    bad(a2o("{\"model\":\"m\",\"messages\":[]} trailing"), "not valid JSON");
  });
  it("keeps only 4 stop sequences and drops server tools and tool_choice without tools", () => {
    const r = a2o("{\"model\":\"m\",\"messages\":[],\"stop_sequences\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"tools\":[{\"type\":\"bash_20250124\",\"name\":\"bash\"}],\"tool_choice\":{\"type\":\"any\"}}", dropping());
    expect<string>(s(r.body)).toBe("{\"model\":\"m\",\"messages\":[],\"stop\":[\"a\",\"b\",\"c\",\"d\"]}");
  });
});

describe("OpenAI → Anthropic request", () => {
  it("maps messages, tools, tool_choice, stop and defaults exactly", () => {
    const r = o2a(
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"S\"},{\"role\":\"user\",\"content\":\"q\"}," +
      "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": 1}\"}}]}," +
      "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"r1\"},{\"role\":\"user\",\"content\":\"more\"}]," +
      "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}," +
      "\"stop\":\"END\",\"user\":\"u\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"seed\":1,\"logit_bias\":{}}", opts("claude-sonnet-4-5"));
    expect<bool>(r.ok).toBe(true);
    expect<bool>(r.includeUsage).toBe(true);
    expect<string>(s(r.body)).toBe(
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"system\":\"S\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}," +
      "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"f\",\"input\":{\"x\":1}}]}," +
      "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"r1\"},{\"type\":\"text\",\"text\":\"more\"}]}]," +
      "\"metadata\":{\"user_id\":\"u\"},\"stop_sequences\":[\"END\"],\"stream\":true," +
      "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"f\"}}");
  });
  it("maps reasoning_effort to a thinking budget below max_tokens, unless a tool turn lacks its thinking", () => {
    let r = o2a("{\"model\":\"m\",\"max_tokens\":3000,\"reasoning_effort\":\"high\",\"temperature\":0.3,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    expect<string>(s(r.body)).toBe("{\"model\":\"m\",\"max_tokens\":3000,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2999}}");
    r = o2a("{\"model\":\"m\",\"max_tokens\":1000,\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    expect<string>(s(r.body)).toBe("{\"model\":\"m\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"q\"}]}");
    r = o2a("{\"model\":\"m\",\"reasoning_effort\":\"low\",\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"x\"}]}");
    expect<bool>(s(r.body).includes("thinking")).toBe(false);
  });
  it("returns clear 400 errors instead of trapping", () => {
    bad(o2a("nope"), "not valid JSON");
    bad(o2a("{\"model\":\"m\",\"messages\":\"hi\"}"), "messages: must be an array");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":1}]}"), "messages.0.content");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"), "tool_call_id");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"function\":{\"name\":\"f\"}}]}]}"), "tool_calls.0.id");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\"}]}]}"), "tool_calls.0.function");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{}}]}]}"), "audio");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}"), "image_url.url");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{\"file_id\":\"f\"}}]}]}"), "file_data");
    bad(o2a("{\"model\":\"m\",\"messages\":[],\"n\":2}"), "n:");
    bad(o2a("{\"model\":\"m\",\"messages\":[],\"max_tokens\":\"x\"}"), "max_tokens");
    bad(o2a("{\"model\":\"m\",\"messages\":[],\"tools\":[{\"type\":\"function\",\"function\":{}}]}"), "function.name");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"function\",\"content\":\"x\"}]}"), "role");
  });
});

describe("same protocol", () => {
  it("splices only the model and keeps everything else byte for byte", () => {
    const body = "{\"model\":\"claude-x\", \"max_tokens\": 5, \"messages\":[{\"role\":\"user\",\"content\":\"é\"}],\"extra\":{ \"k\" : 1 }}";
    const r = translateRequest(Protocol.Anthropic, Protocol.Anthropic, b(body), opts("claude-y"));
    expect<string>(s(r.body)).toBe("{\"model\":\"claude-y\",\"max_tokens\": 5,\"messages\":[{\"role\":\"user\",\"content\":\"é\"}],\"extra\":{ \"k\" : 1 }}");
    const same = translateRequest(Protocol.OpenAI, Protocol.OpenAI, b("{\"model\":\"gpt\",\"messages\":[]}"), opts());
    expect<string>(s(same.body)).toBe("{\"model\":\"gpt\",\"messages\":[]}");
    const dflt = translateRequest(Protocol.Anthropic, Protocol.Anthropic, b("{\"model\":\"c\",\"messages\":[]}"), opts());
    expect<string>(s(dflt.body)).toBe("{\"model\":\"c\",\"messages\":[],\"max_tokens\":4096}");
    expect<bool>(translateRequest(Protocol.OpenAI, Protocol.OpenAI, b("{"), opts()).ok).toBe(false);
  });
});

describe("no trap on half-valid parts", () => {
  it("rejects parts without text in every role", () => {
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":[{\"type\":\"text\"}]}]}"), ".text: must be a string");
    bad(o2a("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":null}]}]}"), ".text: must be a string");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":[{\"type\":\"text\"}]}]}]}"), ".text: must be a string");
    bad(a2o("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"document\",\"source\":{\"type\":\"url\",\"url\":\"u\"}}]}]}"), "document source");
  });
});
