// Where the remaining OpenAI APIs go and what they carry: legacy completions with the model mapped (OpenAI's and
// Fireworks' documented URLs), the models list under openaiCustomUrl's base, and an Azure service URL with a path of
// its own (Higress takes any path as the full URL).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { allHeaders, requestHeaders, startPlugin } from "../support/plugin";

const K = "sk-paths-1";

async function send(provider: object, path: string, body: string | null, answer: { type: string; body: string }, method = "POST") {
  const { plugin } = await startPlugin({ provider: { apiTokens: [K], ...provider } }, { allowOnHeadersStopIteration: true });
  return plugin.exchange({
    request: { headers: requestHeaders(path, [["authorization", "Bearer client-key"]], method), body: body === null ? undefined : [Buffer.from(body)] },
    upstream: () => ({ status: 200, headers: [["content-type", answer.type]], body: answer.body }),
  });
}

// https://platform.openai.com/docs/api-reference/completions/create  POST https://api.openai.com/v1/completions
const TEXT_COMPLETION = '{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"text":" bright","index":0,"logprobs":null,"finish_reason":"length"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}';

test("legacy completions: the model is mapped, the rest of the body and the answer pass as sent", async () => {
  for (const [type, url] of [
    ["openai", "https://api.openai.com/v1/completions"],
    // https://docs.fireworks.ai/api-reference/post-completions  POST https://api.fireworks.ai/inference/v1/completions
    ["fireworks", "https://api.fireworks.ai/inference/v1/completions"],
  ]) {
    const r = await send({ type, modelMapping: { "*": "accounts/fireworks/models/llama-v3p1-8b-instruct" } }, "/v1/completions",
      '{"model":"gpt-3.5-turbo-instruct","prompt":"The future of AI is","max_tokens":100}', { type: "application/json", body: TEXT_COMPLETION });
    const up = r.upstreamRequest!;
    assert.ok(up, `${type}: not forwarded: ${r.status} ${r.bodyText}`);
    assert.equal(`https://${up.authority}${up.path}`, url);
    assert.deepEqual(allHeaders(up.headers, "authorization"), [`Bearer ${K}`]);
    assert.equal(Buffer.from(up.body).toString(), '{"model":"accounts/fireworks/models/llama-v3p1-8b-instruct","prompt":"The future of AI is","max_tokens":100}');
    assert.equal(r.status, 200);
    assert.equal(r.bodyText, TEXT_COMPLETION);
  }
});

test("legacy completions with protocol original: the body passes untouched", async () => {
  const body = '{"model":"gpt-3.5-turbo-instruct","prompt":"x"}';
  const r = await send({ type: "openai", protocol: "original", modelMapping: { "*": "other" } }, "/v1/completions", body, { type: "application/json", body: TEXT_COMPLETION });
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
});

test("openaiCustomUrl: the models list under the custom base, on the custom host", async () => {
  const list = '{"object":"list","data":[]}';
  for (const url of ["https://custom.example.com/api", "https://custom.example.com/api/chat/completions"]) {
    const r = await send({ type: "openai", openaiCustomUrl: url }, "/v1/models", null, { type: "application/json", body: list }, "GET");
    assert.equal(r.upstreamRequest!.authority, "custom.example.com", url);
    assert.equal(r.upstreamRequest!.path, "/api/models", url);
    assert.equal(r.bodyText, list);
  }
});

test("azure: a service URL with a path of its own is the full URL of chat requests; Responses go to /openai/responses", async () => {
  // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses  POST https://{resource}.openai.azure.com/openai/responses?api-version=2025-04-01-preview
  const provider = { type: "azure", azureServiceUrl: "https://multi-resource.openai.azure.com/openai/responses?api-version=2025-04-01-preview" };
  const responses = '{"id":"resp_1","object":"response","status":"completed","model":"gpt-5","output":[]}';
  const body = '{"model":"gpt-5","input":"Explain quantum computing","reasoning":{"effort":"medium"}}';
  const r = await send(provider, "/v1/responses", body, { type: "application/json", body: responses });
  assert.equal(r.upstreamRequest!.authority, "multi-resource.openai.azure.com");
  assert.equal(r.upstreamRequest!.path, "/openai/responses?api-version=2025-04-01-preview");
  assert.deepEqual(allHeaders(r.upstreamRequest!.headers, "api-key"), [K]);
  assert.equal(Buffer.from(r.upstreamRequest!.body).toString(), body);
  assert.equal(r.bodyText, responses);
  const chat = await send({ type: "azure", azureServiceUrl: "https://r.openai.azure.com/custom/chat?api-version=2024-10-21" }, "/v1/chat/completions",
    '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}', { type: "application/json", body: '{"id":"c","object":"chat.completion","choices":[]}' });
  assert.equal(chat.upstreamRequest!.path, "/custom/chat?api-version=2024-10-21");
});
