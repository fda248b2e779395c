// The APIs forwarded without translation (images, audio, moderations, files, batches, fine-tuning, rerank,
// conversations, realtime, Responses' stored objects, Anthropic's Files API) through build/ai-proxy.wasm in the host:
// each reaches the URL its provider documents (quoted per row from the docs, not from assembly/providers/), with the
// provider's key and the model mapped (JSON bodies, multipart uploads split anywhere, the realtime query), and the
// answer comes back as it was (audio bytes included). An API the provider does not offer is a 404 in the client's
// protocol and nothing is sent.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { allHeaders, header, requestHeaders, splitAt, startPlugin } from "../support/plugin";

const K = "sk-forward-1";
const MAP = { "gpt-4o-transcribe": "whisper-large-v3", "gpt-image-1": "provider-image", "tts-1": "provider-tts", "omni-moderation-latest": "provider-moderation", "gpt-4o-mini": "ft-base", "rerank-v3.5": "provider-rerank", "gpt-realtime": "provider-realtime" };

interface Case {
  name: string;
  type: string;
  extra?: Record<string, unknown>;
  method?: string;
  path: string;
  /** JSON body, or a multipart body built by multipart(); none for GET/DELETE. */
  body?: object | { multipart: Array<[string, string]> };
  /** The documented URL the request must reach (path and query). */
  want: string;
  auth: [string, string];
  /** The model the upstream must receive (in the body or the query). */
  model?: string;
  anthropic?: boolean;
}

const bearer: [string, string] = ["authorization", `Bearer ${K}`];
const BOUNDARY = "----formdata-undici-062338455581";

function multipart(fields: Array<[string, string]>): Buffer {
  let s = "";
  for (const [name, value] of fields) {
    const file = name === "file" || name === "image";
    s += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${name}.bin"\r\nContent-Type: application/octet-stream` : ""}\r\n\r\n${value}\r\n`;
  }
  return Buffer.from(s + `--${BOUNDARY}--\r\n`, "latin1");
}

const AUDIO = "ID3\u0003\u0000\u0000--" + "\u00ff".repeat(300) + "\r\n--not-the-boundary\r\n";
const transcription = (model: string) => ({ multipart: [["file", AUDIO], ["model", model], ["response_format", "json"]] as Array<[string, string]> });

const CASES: Case[] = [
  // https://platform.openai.com/docs/api-reference/images/create  POST https://api.openai.com/v1/images/generations
  { name: "openai image generation", type: "openai", path: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cat", size: "1024x1024" }, want: "https://api.openai.com/v1/images/generations", auth: bearer, model: "provider-image" },
  // https://platform.openai.com/docs/api-reference/images/createEdit  POST https://api.openai.com/v1/images/edits (multipart)
  { name: "openai image edit (multipart)", type: "openai", path: "/v1/images/edits", body: { multipart: [["image", "\u0089PNG\r\n\u001a\n"], ["prompt", "add a hat"], ["model", "gpt-image-1"]] }, want: "https://api.openai.com/v1/images/edits", auth: bearer, model: "provider-image" },
  // https://platform.openai.com/docs/api-reference/images/createVariation
  { name: "openai image variation (multipart)", type: "openai", path: "/v1/images/variations", body: { multipart: [["image", "\u0089PNG"], ["model", "gpt-image-1"]] }, want: "https://api.openai.com/v1/images/variations", auth: bearer, model: "provider-image" },
  // https://platform.openai.com/docs/api-reference/audio/createSpeech  POST https://api.openai.com/v1/audio/speech
  { name: "openai speech", type: "openai", path: "/v1/audio/speech", body: { model: "tts-1", input: "Hello", voice: "alloy" }, want: "https://api.openai.com/v1/audio/speech", auth: bearer, model: "provider-tts" },
  // https://platform.openai.com/docs/api-reference/audio/createTranscription (multipart)
  { name: "openai transcription (multipart)", type: "openai", path: "/v1/audio/transcriptions", body: transcription("gpt-4o-transcribe"), want: "https://api.openai.com/v1/audio/transcriptions", auth: bearer, model: "whisper-large-v3" },
  // https://platform.openai.com/docs/api-reference/audio/createTranslation (multipart)
  { name: "openai translation (multipart)", type: "openai", path: "/v1/audio/translations", body: transcription("gpt-4o-transcribe"), want: "https://api.openai.com/v1/audio/translations", auth: bearer, model: "whisper-large-v3" },
  // https://platform.openai.com/docs/api-reference/moderations/create
  { name: "openai moderation", type: "openai", path: "/v1/moderations", body: { model: "omni-moderation-latest", input: "hi" }, want: "https://api.openai.com/v1/moderations", auth: bearer, model: "provider-moderation" },
  // https://platform.openai.com/docs/api-reference/files/retrieve-contents  GET https://api.openai.com/v1/files/{file_id}/content
  { name: "openai file content", type: "openai", method: "GET", path: "/v1/files/file-abc123/content", want: "https://api.openai.com/v1/files/file-abc123/content", auth: bearer },
  // https://platform.openai.com/docs/api-reference/files/create (multipart purpose + file; no model)
  { name: "openai file upload", type: "openai", path: "/v1/files", body: { multipart: [["purpose", "batch"], ["file", "{\"custom_id\":\"1\"}"]] }, want: "https://api.openai.com/v1/files", auth: bearer },
  // https://platform.openai.com/docs/api-reference/batch/cancel  POST https://api.openai.com/v1/batches/{batch_id}/cancel
  { name: "openai batch cancel", type: "openai", path: "/v1/batches/batch_abc123/cancel", want: "https://api.openai.com/v1/batches/batch_abc123/cancel", auth: bearer },
  // https://platform.openai.com/docs/api-reference/fine-tuning/create  POST https://api.openai.com/v1/fine_tuning/jobs
  { name: "openai fine-tuning job", type: "openai", path: "/v1/fine_tuning/jobs", body: { model: "gpt-4o-mini", training_file: "file-abc123" }, want: "https://api.openai.com/v1/fine_tuning/jobs", auth: bearer, model: "ft-base" },
  // https://platform.openai.com/docs/api-reference/fine-tuning/list-events
  { name: "openai fine-tuning events", type: "openai", method: "GET", path: "/v1/fine_tuning/jobs/ftjob-abc/events?limit=2", want: "https://api.openai.com/v1/fine_tuning/jobs/ftjob-abc/events?limit=2", auth: bearer },
  // https://platform.openai.com/docs/api-reference/conversations/list-items
  { name: "openai conversation items", type: "openai", method: "GET", path: "/v1/conversations/conv_123/items", want: "https://api.openai.com/v1/conversations/conv_123/items", auth: bearer },
  // https://platform.openai.com/docs/guides/realtime-websocket  wss://api.openai.com/v1/realtime?model=gpt-realtime
  { name: "openai realtime handshake", type: "openai", method: "GET", path: "/v1/realtime?model=gpt-realtime", want: "https://api.openai.com/v1/realtime?model=provider-realtime", auth: bearer, model: "provider-realtime" },
  // https://platform.openai.com/docs/api-reference/responses/get  GET https://api.openai.com/v1/responses/{response_id}
  { name: "openai stored response", type: "openai", method: "GET", path: "/v1/responses/resp_123?include[]=message.output_text.logprobs", want: "https://api.openai.com/v1/responses/resp_123?include[]=message.output_text.logprobs", auth: bearer },
  // https://platform.openai.com/docs/api-reference/responses/cancel
  { name: "openai response cancel", type: "openai", path: "/v1/responses/resp_123/cancel", want: "https://api.openai.com/v1/responses/resp_123/cancel", auth: bearer },
  // https://learn.microsoft.com/azure/ai-foundry/openai/reference#transcriptions---create
  //   POST https://{endpoint}/openai/deployments/{deployment-id}/audio/transcriptions?api-version=2024-10-21 (api-key)
  { name: "azure transcription (multipart, deployment from the URL)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com/openai/deployments/whisper?api-version=2024-10-21" }, path: "/v1/audio/transcriptions", body: transcription("gpt-4o-transcribe"), want: "https://res.openai.azure.com/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21", auth: ["api-key", K], model: "whisper-large-v3" },
  // https://learn.microsoft.com/azure/ai-foundry/openai/reference#image-generation  POST .../openai/deployments/{deployment-id}/images/generations
  { name: "azure image generation (deployment named after the model)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2025-04-01-preview" }, path: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cat" }, want: "https://res.openai.azure.com/openai/deployments/provider-image/images/generations?api-version=2025-04-01-preview", auth: ["api-key", K], model: "provider-image" },
  // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/batch  GET https://{endpoint}/openai/batches?api-version=…
  { name: "azure batches", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com/openai/deployments/gpt4o?api-version=2024-10-21" }, method: "GET", path: "/v1/batches", want: "https://res.openai.azure.com/openai/batches?api-version=2024-10-21", auth: ["api-key", K] },
  // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses  POST https://{resource}.openai.azure.com/openai/v1/responses
  { name: "azure responses (v1 form)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com/openai/v1" }, path: "/v1/responses", body: { model: "gpt-4o-mini", input: "hi" }, want: "https://res.openai.azure.com/openai/v1/responses", auth: ["api-key", K], model: "ft-base" },
  // https://learn.microsoft.com/azure/ai-foundry/openai/reference-preview#image-edits  POST .../openai/deployments/{deployment-id}/images/edits
  // (multipart): the resource-only form names the deployment after the upload's (mapped) model field
  { name: "azure image edit (multipart, deployment named after the mapped model field)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2025-04-01-preview" }, path: "/v1/images/edits", body: { multipart: [["image", "\u0089PNG\r\n\u001a\n"], ["prompt", "add a hat"], ["model", "gpt-image-1"]] }, want: "https://res.openai.azure.com/openai/deployments/provider-image/images/edits?api-version=2025-04-01-preview", auth: ["api-key", K], model: "provider-image" },
  { name: "azure image variation (not in Azure's reference: forwarded to the deployment as Higress does; Azure answers for itself)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2025-04-01-preview" }, path: "/v1/images/variations", body: { multipart: [["image", "\u0089PNG\r\n\u001a\n"], ["model", "gpt-image-1"]] }, want: "https://res.openai.azure.com/openai/deployments/provider-image/images/variations?api-version=2025-04-01-preview", auth: ["api-key", K], model: "provider-image" },
  // the same without modelMapping: the deployment is the client's model
  { name: "azure image generation (resource-only form, no modelMapping)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2025-04-01-preview", modelMapping: {} }, path: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cat" }, want: "https://res.openai.azure.com/openai/deployments/gpt-image-1/images/generations?api-version=2025-04-01-preview", auth: ["api-key", K], model: "gpt-image-1" },
  // https://learn.microsoft.com/azure/ai-foundry/openai/reference#files---list  GET {endpoint}/openai/files?api-version=…; a client's
  // empty query ("?") adds nothing
  { name: "azure file list (empty client query)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2024-10-21" }, method: "GET", path: "/v1/files?", want: "https://res.openai.azure.com/openai/files?api-version=2024-10-21", auth: ["api-key", K] },
  { name: "azure file list (client query first)", type: "azure", extra: { azureServiceUrl: "https://res.openai.azure.com?api-version=2024-10-21" }, method: "GET", path: "/v1/files?limit=10&purpose=assistants", want: "https://res.openai.azure.com/openai/files?limit=10&purpose=assistants&api-version=2024-10-21", auth: ["api-key", K] },
  // openaiCustomUrl (a base, Higress's "indirect" form): every OpenAI API under it, on its host
  { name: "openai transcription under openaiCustomUrl's base", type: "openai", extra: { openaiCustomUrl: "https://custom.example.com/api" }, path: "/v1/audio/transcriptions", body: transcription("gpt-4o-transcribe"), want: "https://custom.example.com/api/audio/transcriptions", auth: bearer, model: "whisper-large-v3" },
  { name: "openai realtime under openaiCustomUrl's base", type: "openai", extra: { openaiCustomUrl: "https://custom.example.com/api" }, method: "GET", path: "/v1/realtime?model=gpt-realtime", want: "https://custom.example.com/api/realtime?model=provider-realtime", auth: bearer, model: "provider-realtime" },
  // an endpoint URL (Higress's "direct" form) gives its base: the matching API goes to that very URL
  { name: "openai speech with openaiCustomUrl an endpoint URL", type: "openai", extra: { openaiCustomUrl: "https://custom.example.com/v1/audio/speech" }, path: "/v1/audio/speech", body: { model: "tts-1", input: "Hello", voice: "alloy" }, want: "https://custom.example.com/v1/audio/speech", auth: bearer, model: "provider-tts" },
  // the realtime query's model follows entries that name it, never "*" alone (Higress leaves the query as sent)
  { name: "openai realtime: \"*\" leaves the query's model", type: "openai", extra: { modelMapping: { "*": "gpt-4o-mini" } }, method: "GET", path: "/v1/realtime?model=gpt-realtime&x=1", want: "https://api.openai.com/v1/realtime?model=gpt-realtime&x=1", auth: bearer },
  // https://console.groq.com/docs/api-reference#audio-transcription  POST https://api.groq.com/openai/v1/audio/transcriptions
  { name: "groq transcription (multipart)", type: "groq", path: "/v1/audio/transcriptions", body: transcription("gpt-4o-transcribe"), want: "https://api.groq.com/openai/v1/audio/transcriptions", auth: bearer, model: "whisper-large-v3" },
  // https://docs.x.ai/docs/api-reference#image-generations  POST https://api.x.ai/v1/images/generations
  { name: "grok image generation", type: "grok", path: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cat" }, want: "https://api.x.ai/v1/images/generations", auth: bearer, model: "provider-image" },
  // https://docs.together.ai/reference/rerank-1  POST https://api.together.xyz/v1/rerank
  { name: "together rerank", type: "together-ai", path: "/v1/rerank", body: { model: "rerank-v3.5", query: "q", documents: ["a", "b"] }, want: "https://api.together.xyz/v1/rerank", auth: bearer, model: "provider-rerank" },
  // https://docs.mistral.ai/api/#tag/classifiers/operation/moderations_v1_moderations_post  POST https://api.mistral.ai/v1/moderations
  { name: "mistral moderation", type: "mistral", path: "/v1/moderations", body: { model: "omni-moderation-latest", input: ["hi"] }, want: "https://api.mistral.ai/v1/moderations", auth: bearer, model: "provider-moderation" },
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (Re-rank API: /v1/rerank)
  { name: "vllm rerank", type: "vllm", extra: { vllmServerHost: "vllm.local:8000" }, path: "/v1/rerank", body: { model: "rerank-v3.5", query: "q", documents: ["a"] }, want: "https://vllm.local:8000/v1/rerank", auth: bearer, model: "provider-rerank" },
  // https://help.aliyun.com/zh/model-studio/batch-interfaces-compatible-with-openai  base_url …/compatible-mode/v1 (files)
  { name: "qwen file list", type: "qwen", method: "GET", path: "/v1/files", want: "https://dashscope.aliyuncs.com/compatible-mode/v1/files", auth: bearer },
  // https://www.alibabacloud.com/help/en/model-studio/rerank  OpenAI-compatible base …/compatible-api/v1, POST /reranks
  // (compatible mode; the native default converts rerank: cnproviders.test.ts); /v1/rerank and /v1/reranks alike
  { name: "qwen compatible rerank (/v1/reranks)", type: "qwen", extra: { qwenEnableCompatible: true }, path: "/v1/reranks", body: { model: "rerank-v3.5", query: "q", documents: ["a", "b"], top_n: 1 }, want: "https://dashscope.aliyuncs.com/compatible-api/v1/reranks", auth: bearer, model: "provider-rerank" },
  { name: "qwen compatible rerank (/v1/rerank)", type: "qwen", extra: { qwenEnableCompatible: true }, path: "/v1/rerank", body: { model: "rerank-v3.5", query: "q", documents: ["a"] }, want: "https://dashscope.aliyuncs.com/compatible-api/v1/reranks", auth: bearer, model: "provider-rerank" },
  // Higress's qwenCompatibleConversationsPath: POST https://dashscope.aliyuncs.com/compatible-mode/v1/conversations (no model)
  { name: "qwen conversations", type: "qwen", extra: { qwenEnableCompatible: true }, path: "/v1/conversations", body: { metadata: { topic: "demo" }, items: [{ type: "message", role: "user", content: "hi" }] }, want: "https://dashscope.aliyuncs.com/compatible-mode/v1/conversations", auth: bearer },
  // https://docs.anthropic.com/en/api/files-list  GET https://api.anthropic.com/v1/files (x-api-key)
  { name: "claude files (Anthropic client)", type: "claude", method: "GET", path: "/v1/files", want: "https://api.anthropic.com/v1/files", auth: ["x-api-key", K], anthropic: true },
  // capabilities (Higress): the provider's own path for an API it serves natively
  { name: "capabilities: image generation on qwen", type: "qwen", extra: { capabilities: { "openai/v1/imagegeneration": "/compatible-mode/v1/images/generations" } }, path: "/v1/images/generations", body: { model: "gpt-image-1", prompt: "A cat" }, want: "https://dashscope.aliyuncs.com/compatible-mode/v1/images/generations", auth: bearer, model: "provider-image" },
];

function bodyOf(c: Case): { bytes: Buffer | null; contentType: string } {
  if (!c.body) return { bytes: null, contentType: "application/json" };
  if ("multipart" in c.body) return { bytes: multipart((c.body as any).multipart), contentType: `multipart/form-data; boundary=${BOUNDARY}` };
  return { bytes: Buffer.from(JSON.stringify(c.body)), contentType: "application/json" };
}

for (const c of CASES) {
  test(`forwarded: ${c.name}`, async () => {
    const provider = { type: c.type, apiTokens: [K], modelMapping: MAP, ...(c.extra ?? {}) };
    const { plugin } = await startPlugin({ provider }, { allowOnHeadersStopIteration: true });
    const { bytes, contentType } = bodyOf(c);
    const extra: Array<[string, string]> = [["authorization", "Bearer client-key"], ["x-api-key", "client-key"]];
    if (c.anthropic) extra.push(["anthropic-version", "2023-06-01"], ["anthropic-beta", "files-api-2025-04-14"]);
    const headers = requestHeaders(c.path, extra, c.method ?? "POST").map(([k, v]) => (k === "content-type" ? [k, contentType] : [k, v]) as [string, string]);
    if (bytes) headers.push(["content-length", String(bytes.length)]);
    // Uploads arrive split anywhere (here every 7 bytes); the answer is binary for speech, JSON otherwise.
    const answer = c.name.includes("speech") ? Buffer.from([0xff, 0xfb, 0x90, 0x00, 0x7b]) : Buffer.from('{"id":"x","object":"thing"}');
    const r = await plugin.exchange({
      request: { headers, body: bytes ? splitAt(bytes, Array.from({ length: Math.floor(bytes.length / 7) }, (_, i) => (i + 1) * 7)) : undefined },
      upstream: () => ({ status: 200, headers: [["content-type", c.name.includes("speech") ? "audio/mpeg" : "application/json"]], body: answer }),
    });
    assert.equal(r.trap, null, String(r.trap));
    const up = r.upstreamRequest;
    assert.ok(up, `not forwarded: ${r.status} ${r.bodyText}`);
    const want = new URL(c.want);
    assert.equal(up!.authority, want.host);
    assert.equal(decodeURIComponent(up!.path), decodeURIComponent(want.pathname + want.search));
    assert.deepEqual(allHeaders(up!.headers, c.auth[0]), [c.auth[1]]);
    for (const h of ["authorization", "x-api-key", "api-key"]) if (h !== c.auth[0]) assert.deepEqual(allHeaders(up!.headers, h), [], `client ${h} dropped`);
    const sent = Buffer.from(up!.body);
    if (c.body && "multipart" in c.body) {
      // Every byte as sent but the model field's value.
      const fields = (c.body as any).multipart.map(([n, v]: [string, string]) => [n, n === "model" ? c.model : v]);
      assert.equal(sent.toString("latin1"), multipart(fields).toString("latin1"));
      assert.equal(header(up!.headers, "content-length"), c.model ? undefined : String(bytes!.length));
    } else if (c.body) {
      const got = JSON.parse(sent.toString());
      assert.deepEqual(got, c.model ? { ...(c.body as object), model: c.model } : c.body, c.model ? "model mapped" : "no model added");
    }
    assert.equal(r.status, 200);
    assert.deepEqual(Buffer.from(r.body), answer, "the answer passes as it came");
  });
}

test("forwarded: an API the provider does not offer is a 404 in the client's protocol; nothing is sent", async () => {
  for (const [type, path, anthropic] of [["deepseek", "/v1/audio/transcriptions", false], ["claude", "/v1/images/generations", false], ["openai", "/v1/files", true], ["deepseek", "/v1/responses/resp_1", false]] as Array<[string, string, boolean]>) {
    const { plugin } = await startPlugin({ provider: { type, apiTokens: [K] } });
    const extra: Array<[string, string]> = anthropic ? [["anthropic-version", "2023-06-01"]] : [];
    let called = false;
    const r = await plugin.exchange({
      request: { headers: requestHeaders(path, extra, "GET") },
      upstream: () => { called = true; return { status: 200, headers: [], body: "{}" }; },
    });
    assert.equal(called, false, `${type} ${path}`);
    assert.equal(r.status, 404, `${type} ${path}`);
    const body = JSON.parse(r.bodyText);
    if (anthropic) assert.equal(body.type, "error");
    else assert.equal(typeof body.error.message, "string");
  }
});
