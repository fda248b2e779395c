// Scripted upstreams for the SDK tests, in each provider's wire format: a structured-output answer with
// reasoning, or (when the request asks for the stop sequence "###") a stop-sequence hit, whole or streamed.
import type * as http from "node:http";
import { GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream } from "../support/upstream";

export const ANSWER = '{"city":"Paris","celsius":18}';

export function openaiAnswer(body: any, res: http.ServerResponse): void {
  const stopHit = Array.isArray(body.stop) && body.stop.includes("###");
  const base = { id: "chatcmpl-py", created: 1764600000, model: body.model };
  const usage = { prompt_tokens: 30, completion_tokens: 9, total_tokens: 39 };
  if (!body.stream) {
    const message = stopHit ? { role: "assistant", content: "1, 2, 3" } : { role: "assistant", content: ANSWER, reasoning_content: "Paris is mild today." };
    res.writeHead(200, { "content-type": "application/json" });
    // vLLM names the matched stop sequence in `stop_reason`.
    res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message, logprobs: null, finish_reason: "stop", stop_reason: stopHit ? "###" : null }], usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const send = (d: object) => res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", ...d })}\n\n`);
  send({ choices: [{ index: 0, delta: { role: "assistant", content: "1, 2" }, logprobs: null, finish_reason: null }] });
  send({ choices: [{ index: 0, delta: { content: ", 3" }, logprobs: null, finish_reason: null }] });
  send({ choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: "stop", stop_reason: stopHit ? "###" : null }] });
  send({ choices: [], usage });
  res.end("data: [DONE]\n\n");
}

export function anthropicAnswer(body: any, res: http.ServerResponse): void {
  const stopHit = Array.isArray(body.stop_sequences) && body.stop_sequences.includes("###");
  const usage = { input_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9 };
  const content = stopHit ? [{ type: "text", text: "1, 2, 3" }] : [{ type: "thinking", thinking: "Paris is mild today.", signature: "sig-1" }, { type: "text", text: ANSWER }];
  const stop = stopHit ? "stop_sequence" : "end_turn";
  if (!body.stream) {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ id: "msg_py", type: "message", role: "assistant", model: body.model, content, stop_reason: stop, stop_sequence: stopHit ? "###" : null, usage }));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (t: string, d: object) => res.write(`event: ${t}\ndata: ${JSON.stringify({ type: t, ...d })}\n\n`);
  ev("message_start", { message: { id: "msg_py", type: "message", role: "assistant", model: body.model, content: [], stop_reason: null, stop_sequence: null, usage } });
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: "1, 2" } });
  ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: ", 3" } });
  ev("content_block_stop", { index: 0 });
  ev("message_delta", { delta: { stop_reason: stop, stop_sequence: stopHit ? "###" : null }, usage: { output_tokens: 9 } });
  ev("message_stop", {});
  res.end();
}

export interface SdkSeen { path: string; headers: http.IncomingHttpHeaders; json: any }

export interface SdkGateways {
  /** Every request the mock received, newest last. */
  seen: SdkSeen[];
  /** Gateway with provider openai (Anthropic clients are converted). */
  toOpenAI: GatewayUnderTest;
  /** Gateway with provider claude (OpenAI clients are converted). */
  toClaude: GatewayUnderTest;
  stop(): Promise<void>;
}

/** The scripted mock and the two gateways every SDK scenario runs through, on `runtime`. */
export async function startSdkGateways(runtime: Runtime): Promise<SdkGateways> {
  const seen: SdkSeen[] = [];
  const mock = await startUpstream((req, raw, res) => {
    const json = JSON.parse(raw || "{}");
    seen.push({ path: req.url ?? "", headers: req.headers, json });
    if ((req.url ?? "").startsWith("/v1/chat/completions")) openaiAnswer(json, res);
    else anthropicAnswer(json, res);
  });
  const toOpenAI = await startGateway(runtime, { provider: { type: "openai", apiTokens: ["sk-openai-upstream"], modelMapping: { "claude-opus-5-5": "gpt-5.2", "*": "Qwen/Qwen3-8B" } } }, { "api.openai.com": mock.url });
  const toClaude = await startGateway(runtime, { provider: { type: "claude", apiTokens: ["sk-ant-upstream"], modelMapping: { "gpt-5.2": "claude-opus-5-5", "*": "claude-sonnet-4-5" } } }, { "api.anthropic.com": mock.url });
  return {
    seen, toOpenAI, toClaude,
    stop: async () => {
      await toOpenAI.stop();
      await toClaude.stop();
      await mock.close();
    },
  };
}
