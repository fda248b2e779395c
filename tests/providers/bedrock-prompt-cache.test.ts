// Bedrock prompt caching through build/ai-proxy.wasm: OpenAI's `prompt_cache_retention` (in-memory, 24h;
// https://platform.openai.com/docs/api-reference/chat/create) or the provider's `promptCacheRetention` (Higress's field)
// becomes Converse cache points (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_CachePointBlock.html:
// `{"cachePoint":{"type":"default"}}`, `ttl` 5m or 1h, omitted = 5 minutes; https://docs.aws.amazon.com/bedrock/latest/
// userguide/prompt-caching.html: a cache point after the system prompt's content, or at the end of a message's content)
// for the models that cache (Claude, Nova), at `bedrockPromptCachePointPositions` (default: after the system prompt).
// Exact bodies, signed with SigV4 over what is sent.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ProxyWasmHost } from "../../host";
import { sigV4Authorization } from "../support/aws";
import { header, json, requestHeaders, startPlugin, WASM } from "../support/plugin";

const AK = "AKIDEXAMPLE";
const SK = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const NOW = { allowOnHeadersStopIteration: true, now: () => 1741570283n * 1_000_000_000n };
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const answer = json({
  output: { message: { role: "assistant", content: [{ text: "Hi!" }] } },
  stopReason: "end_turn", usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5, cacheReadInputTokens: 1200, cacheWriteInputTokens: 0 },
});
const bodyText = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());
const CP = '{"cachePoint":{"type":"default"}}';
const CP_1H = '{"cachePoint":{"type":"default","ttl":"1h"}}';

function bedrock(extra: Record<string, unknown> = {}) {
  return { provider: { type: "bedrock", awsAccessKey: AK, awsSecretKey: SK, awsRegion: "us-west-2", modelMapping: { "*": MODEL }, ...extra } };
}

async function send(config: object, body: object, path = "/v1/chat/completions", extra: Array<[string, string]> = []) {
  const { plugin } = await startPlugin(config, NOW);
  const r = await plugin.exchange({
    request: { headers: requestHeaders(path, extra), body: json(body) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  const up = r.upstreamRequest!;
  if (header(up.headers, "x-amz-date") !== undefined) {
    assert.equal(header(up.headers, "authorization"), sigV4Authorization({
      method: "POST", path: up.path, body: Buffer.from(bodyText(up.body)),
      headers: { host: up.authority, "x-amz-date": header(up.headers, "x-amz-date")! },
      accessKey: AK, secretKey: SK, region: "us-west-2", service: "bedrock", amzDate: header(up.headers, "x-amz-date")!,
    }));
  }
  return { r, sent: bodyText(up.body) };
}

const chat = (extra: object = {}) => ({ model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }], ...extra });

test("bedrock prompt cache: in-memory → a cache point after the system prompt (no ttl: Bedrock's 5 minutes); 24h → ttl 1h", async () => {
  const mem = await send(bedrock(), chat({ prompt_cache_retention: "in-memory", prompt_cache_key: "session-1" }));
  assert.equal(mem.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP}]}`);
  // prompt_cache_key has no Converse counterpart: left out and announced.
  assert.equal(header(mem.r.headers, "x-ai-proxy-dropped-params"), "prompt_cache_key");
  const day = await send(bedrock(), chat({ prompt_cache_retention: "24h" }));
  assert.equal(day.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP_1H}]}`);
  assert.equal(header(day.r.headers, "x-ai-proxy-dropped-params"), undefined);
  // The answer's cache reads are OpenAI's cached_tokens (part of prompt_tokens).
  assert.deepEqual(JSON.parse(day.r.bodyText).usage, { prompt_tokens: 1203, completion_tokens: 2, total_tokens: 1205, prompt_tokens_details: { cached_tokens: 1200 } });
});

test("bedrock prompt cache: the provider's promptCacheRetention applies when the request names none; the request's own wins", async () => {
  const dflt = await send(bedrock({ promptCacheRetention: "in_memory" }), chat());
  assert.equal(dflt.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP}]}`);
  const own = await send(bedrock({ promptCacheRetention: "in_memory" }), chat({ prompt_cache_retention: "24h" }));
  assert.equal(own.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP_1H}]}`);
  // No system prompt and the default position: nothing to mark.
  const bare = await send(bedrock({ promptCacheRetention: "24h" }), { model: "m", messages: [{ role: "user", content: "Hi" }] });
  assert.equal(bare.sent, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}');
});

test("bedrock prompt cache: bedrockPromptCachePointPositions mark the last user message and/or the last message, once each", async () => {
  const convo = {
    model: "m", prompt_cache_retention: "in_memory",
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Question" }, { role: "assistant", content: "Answer" }],
  };
  const both = await send(bedrock({ bedrockPromptCachePointPositions: { systemPrompt: false, lastUserMessage: true, lastMessage: true } }), convo);
  assert.equal(both.sent, `{"messages":[{"role":"user","content":[{"text":"Question"},${CP}]},{"role":"assistant","content":[{"text":"Answer"},${CP}]}],"system":[{"text":"Be brief."}]}`);
  // Keys as Higress reads them: any case, with _ or -.
  const user = await send(bedrock({ bedrockPromptCachePointPositions: { system_prompt: true, "Last-User-Message": true } }), convo);
  assert.equal(user.sent, `{"messages":[{"role":"user","content":[{"text":"Question"},${CP}]},{"role":"assistant","content":[{"text":"Answer"}]}],"system":[{"text":"Be brief."},${CP}]}`);
  // The last user message is the last message: one cache point; a tool result turn is a user message to Converse.
  const tools = await send(bedrock({ bedrockPromptCachePointPositions: { lastUserMessage: true, lastMessage: true } }), {
    model: "m", prompt_cache_retention: "24h",
    messages: [
      { role: "user", content: "Weather?" },
      { role: "assistant", content: null, tool_calls: [{ id: "t1", type: "function", function: { name: "w", arguments: "{}" } }] },
      { role: "tool", tool_call_id: "t1", content: "sunny" },
    ],
  });
  assert.equal(tools.sent, `{"messages":[{"role":"user","content":[{"text":"Weather?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"w","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"sunny"}]}},${CP_1H}]}]}`);
  // A part the client marked with cache_control already ends there with a cache point: none is added twice.
  const marked = await send(bedrock({ promptCacheRetention: "in_memory", bedrockPromptCachePointPositions: { systemPrompt: true, lastMessage: true } }), {
    model: "m",
    messages: [{ role: "system", content: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }] }, { role: "user", content: [{ type: "text", text: "Hi", cache_control: { type: "ephemeral" } }] }],
  });
  assert.equal(marked.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"},${CP}]}],"system":[{"text":"Be brief."},${CP}]}`);
});

test("bedrock prompt cache: models that do not cache and retentions Bedrock cannot honour get no cache point (the request's own field is announced)", async () => {
  const llama = await send(bedrock({ modelMapping: { "*": "meta.llama3-70b-instruct-v1:0" }, bedrockPromptCachePointPositions: { systemPrompt: true, lastMessage: true } }), chat({ prompt_cache_retention: "24h" }));
  assert.equal(llama.sent, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}]}');
  assert.equal(header(llama.r.headers, "x-ai-proxy-dropped-params"), "prompt_cache_retention");
  const twoHours = await send(bedrock(), chat({ prompt_cache_retention: "2h" }));
  assert.equal(twoHours.sent, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}]}');
  assert.equal(header(twoHours.r.headers, "x-ai-proxy-dropped-params"), "prompt_cache_retention");
  const empty = await send(bedrock(), chat({ prompt_cache_retention: "" }));
  assert.equal(empty.sent, '{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."}]}');
  assert.equal(header(empty.r.headers, "x-ai-proxy-dropped-params"), undefined);
  // Amazon Nova caches too.
  const nova = await send(bedrock({ modelMapping: { "*": "amazon.nova-pro-v1:0" } }), chat({ prompt_cache_retention: "in-memory" }));
  assert.equal(nova.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP}]}`);
});

test("bedrock prompt cache: an Anthropic client (through OpenAI chat) gets the provider's cache point after its system prompt", async () => {
  const a = await send(bedrock({ promptCacheRetention: "24h" }), { model: "claude-sonnet-4-5", max_tokens: 50, system: "Be brief.", messages: [{ role: "user", content: "Hi" }] },
    "/v1/messages", [["anthropic-version", "2023-06-01"]]);
  assert.equal(a.sent, `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"system":[{"text":"Be brief."},${CP_1H}],"inferenceConfig":{"maxTokens":50}}`);
  assert.equal(JSON.parse(a.r.bodyText).usage.cache_read_input_tokens, 1200);
});

test("bedrock prompt cache: a promptCacheRetention or position Bedrock cannot honour loads with a warning naming the field", async () => {
  const host = await ProxyWasmHost.load(WASM);
  const vm = await host.createVm();
  const plugin = vm.startPlugin({ configuration: bedrock({ promptCacheRetention: "2h", bedrockPromptCachePointPositions: { firstMessage: true } }) });
  assert.equal(plugin.ok, true);
  const text = vm.logs.map((l) => l.message).join("\n");
  assert.match(text, /provider\.promptCacheRetention: "2h" is neither in_memory nor 24h/);
  assert.match(text, /provider\.bedrockPromptCachePointPositions\.firstMessage: unknown position/);
});
