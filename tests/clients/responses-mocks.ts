// Scripted upstreams for the Responses SDK tests (sdk-responses*.test.ts), one per wire format: OpenAI's own
// Responses API (the gateway passes it through), Chat Completions (deepseek: converted) and Anthropic Messages
// (claude: converted). Each answers the same conversation the same way:
//   - tools offered and no tool result yet → reasoning "The weather tool knows." and a get_weather call for Paris;
//   - a tool result in the conversation → "It is 14 degrees in Paris.";
//   - a JSON schema asked for → reasoning "Paris is mild today." then WEATHER_JSON;
//   - otherwise → reasoning "Greeting the user." then "Hello there!".
// Formats follow the providers' documentation (OpenAI Responses object and streaming events, Chat Completions
// chunks, Anthropic Messages streaming).
import type * as http from "node:http";
import { GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream } from "../support/upstream";

export const WEATHER_JSON = '{"city":"Paris","celsius":14}';
export const TOOL_ARGS = '{"city":"Paris"}';
export const USAGE = { input: 30, output: 9 };

interface Turn { kind: "call" | "after-tool" | "json" | "hello"; text: string; reasoning: string }

function turnOf(hasTools: boolean, hasToolResult: boolean, wantsJson: boolean): Turn {
  if (hasToolResult) return { kind: "after-tool", text: "It is 14 degrees in Paris.", reasoning: "" };
  if (hasTools) return { kind: "call", text: "", reasoning: "The weather tool knows." };
  if (wantsJson) return { kind: "json", text: WEATHER_JSON, reasoning: "Paris is mild today." };
  return { kind: "hello", text: "Hello there!", reasoning: "Greeting the user." };
}

/** Splits text in two deltas (a stream that is not one event). */
function halves(s: string): string[] {
  const i = Math.ceil(s.length / 2);
  return [s.slice(0, i), s.slice(i)];
}

function chatAnswer(body: any, res: http.ServerResponse): void {
  const msgs: any[] = body.messages ?? [];
  const t = turnOf(Array.isArray(body.tools), msgs.some((m) => m.role === "tool"), body.response_format?.type === "json_schema");
  const base = { id: "chatcmpl-resp1", created: 1764600000, model: body.model };
  const usage = { prompt_tokens: USAGE.input, completion_tokens: USAGE.output, total_tokens: USAGE.input + USAGE.output };
  const call = { id: "call_weather_1", type: "function", function: { name: "get_weather", arguments: TOOL_ARGS } };
  if (!body.stream) {
    const message: any = { role: "assistant", content: t.kind === "call" ? null : t.text };
    if (t.reasoning) message.reasoning_content = t.reasoning;
    if (t.kind === "call") message.tool_calls = [call];
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: t.kind === "call" ? "tool_calls" : "stop" }], usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (d: object) => res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...d })}\n\n`);
  const delta = (d: object, finish: string | null = null) => send({ choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }] });
  delta({ role: "assistant", content: "" });
  for (const r of t.reasoning ? halves(t.reasoning) : []) delta({ reasoning_content: r });
  if (t.kind === "call") {
    delta({ tool_calls: [{ index: 0, id: call.id, type: "function", function: { name: "get_weather", arguments: "" } }] });
    for (const a of halves(TOOL_ARGS)) delta({ tool_calls: [{ index: 0, function: { arguments: a } }] });
  } else for (const c of halves(t.text)) delta({ content: c });
  delta({}, t.kind === "call" ? "tool_calls" : "stop");
  if (body.stream_options?.include_usage) send({ choices: [], usage });
  res.end("data: [DONE]\n\n");
}

function anthropicAnswer(body: any, res: http.ServerResponse): void {
  const msgs: any[] = body.messages ?? [];
  const hasResult = msgs.some((m) => Array.isArray(m.content) && m.content.some((b: any) => b.type === "tool_result"));
  const t = turnOf(Array.isArray(body.tools), hasResult, body.output_config?.format?.type === "json_schema");
  const usage = { input_tokens: USAGE.input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: USAGE.output };
  const content: any[] = [];
  if (t.reasoning) content.push({ type: "thinking", thinking: t.reasoning, signature: "sig-1" });
  if (t.kind === "call") content.push({ type: "tool_use", id: "toolu_weather_1", name: "get_weather", input: JSON.parse(TOOL_ARGS) });
  else content.push({ type: "text", text: t.text });
  const stop = t.kind === "call" ? "tool_use" : "end_turn";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "msg_resp1", type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: null, usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (type: string, d: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...d })}\n\n`);
  ev("message_start", { message: { id: "msg_resp1", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } });
  content.forEach((b, index) => {
    if (b.type === "thinking") {
      ev("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } });
      for (const r of halves(b.thinking)) ev("content_block_delta", { index, delta: { type: "thinking_delta", thinking: r } });
      ev("content_block_delta", { index, delta: { type: "signature_delta", signature: b.signature } });
    } else if (b.type === "tool_use") {
      ev("content_block_start", { index, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } });
      for (const a of halves(TOOL_ARGS)) ev("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: a } });
    } else {
      ev("content_block_start", { index, content_block: { type: "text", text: "" } });
      for (const c of halves(b.text)) ev("content_block_delta", { index, delta: { type: "text_delta", text: c } });
    }
    ev("content_block_stop", { index });
  });
  ev("message_delta", { delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: USAGE.output } });
  ev("message_stop", {});
  res.end();
}

/** OpenAI's own Responses API (what api.openai.com answers), for the native passthrough. */
function responsesAnswer(body: any, res: http.ServerResponse): void {
  const input: any[] = typeof body.input === "string" ? [{ role: "user", content: body.input }] : body.input ?? [];
  const t = turnOf(Array.isArray(body.tools), input.some((i) => i.type === "function_call_output"), body.text?.format?.type === "json_schema");
  const output: any[] = [];
  if (t.reasoning) output.push({ id: "rs_native1", type: "reasoning", summary: [{ type: "summary_text", text: t.reasoning }] });
  if (t.kind === "call") output.push({ id: "fc_native1", type: "function_call", status: "completed", arguments: TOOL_ARGS, call_id: "call_native_1", name: "get_weather" });
  else output.push({ id: "msg_native1", type: "message", status: "completed", content: [{ type: "output_text", annotations: [], logprobs: [], text: t.text }], role: "assistant" });
  const response = (status: string, out: any[], usage: any) => ({
    id: "resp_native1", object: "response", created_at: 1764600000, status, error: null, incomplete_details: null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null, model: body.model, output: out,
    parallel_tool_calls: true, previous_response_id: null, reasoning: { effort: body.reasoning?.effort ?? null, summary: null }, store: true,
    temperature: 1.0, text: body.text ?? { format: { type: "text" } }, tool_choice: body.tool_choice ?? "auto", tools: body.tools ?? [],
    top_p: 1.0, truncation: "disabled", usage, user: null, metadata: {},
  });
  const usage = { input_tokens: USAGE.input, input_tokens_details: { cached_tokens: 0 }, output_tokens: USAGE.output, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: USAGE.input + USAGE.output };
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(response("completed", output, usage)));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  let seq = 0;
  const ev = (type: string, d: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...d, sequence_number: seq++ })}\n\n`);
  ev("response.created", { response: response("in_progress", [], null) });
  ev("response.in_progress", { response: response("in_progress", [], null) });
  output.forEach((item, output_index) => {
    if (item.type === "reasoning") {
      ev("response.output_item.added", { output_index, item: { ...item, summary: [] } });
      ev("response.reasoning_summary_part.added", { item_id: item.id, output_index, summary_index: 0, part: { type: "summary_text", text: "" } });
      ev("response.reasoning_summary_text.delta", { item_id: item.id, output_index, summary_index: 0, delta: t.reasoning });
      ev("response.reasoning_summary_text.done", { item_id: item.id, output_index, summary_index: 0, text: t.reasoning });
      ev("response.reasoning_summary_part.done", { item_id: item.id, output_index, summary_index: 0, part: { type: "summary_text", text: t.reasoning } });
    } else if (item.type === "function_call") {
      ev("response.output_item.added", { output_index, item: { ...item, status: "in_progress", arguments: "" } });
      ev("response.function_call_arguments.delta", { item_id: item.id, output_index, delta: TOOL_ARGS });
      ev("response.function_call_arguments.done", { item_id: item.id, output_index, arguments: TOOL_ARGS });
    } else {
      ev("response.output_item.added", { output_index, item: { ...item, status: "in_progress", content: [] } });
      ev("response.content_part.added", { item_id: item.id, output_index, content_index: 0, part: { type: "output_text", annotations: [], logprobs: [], text: "" } });
      for (const c of halves(t.text)) ev("response.output_text.delta", { item_id: item.id, output_index, content_index: 0, delta: c, logprobs: [] });
      ev("response.output_text.done", { item_id: item.id, output_index, content_index: 0, text: t.text, logprobs: [] });
      ev("response.content_part.done", { item_id: item.id, output_index, content_index: 0, part: item.content[0] });
    }
    ev("response.output_item.done", { output_index, item });
  });
  ev("response.completed", { response: response("completed", output, usage) });
  res.end();
}

export interface Seen { path: string; headers: http.IncomingHttpHeaders; json: any }

export interface ResponsesGateways {
  seen: Seen[];
  /** provider openai: /v1/responses passes through. */
  native: GatewayUnderTest;
  /** provider deepseek (Chat Completions only): converted. */
  chat: GatewayUnderTest;
  /** provider claude: converted to Messages. */
  claude: GatewayUnderTest;
  stop(): Promise<void>;
}

export async function startResponsesGateways(runtime: Runtime): Promise<ResponsesGateways> {
  const seen: Seen[] = [];
  const mock = await startUpstream((req, raw, res) => {
    const json = JSON.parse(raw || "{}");
    const path = req.url ?? "";
    seen.push({ path, headers: req.headers, json });
    if (path.startsWith("/v1/responses")) responsesAnswer(json, res);
    else if (path.startsWith("/chat/completions")) chatAnswer(json, res);
    else anthropicAnswer(json, res);
  });
  const native = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-openai-upstream"], modelMapping: { "*": "gpt-5.2" } } }, { "api.openai.com": mock.url });
  const chat = await startGateway(runtime, { provider: { type: "deepseek", apiTokens: ["sk-deepseek-upstream"], modelMapping: { "*": "deepseek-reasoner" } } }, { "api.deepseek.com": mock.url });
  const claude = await startGateway(runtime, { provider: { type: "claude", apiTokens: ["sk-ant-upstream"], modelMapping: { "*": "claude-sonnet-4-5" } } }, { "api.anthropic.com": mock.url });
  return {
    seen, native, chat, claude,
    stop: async () => {
      await native.stop();
      await chat.stop();
      await claude.stop();
      await mock.close();
    },
  };
}
