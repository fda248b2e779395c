// The OpenAI-compatible provider types of seed 001 that no other end-to-end test reaches, on both runtimes: the
// official OpenAI SDK through the gateway to a mock of each provider's documented chat endpoint (its host and path,
// its credential header; anything else is a 404 / 401), answering as OpenAI's chat API documents, whole and streamed.
// (The other types run end to end in tests/e2e/higress-conformance.test.ts, the goldens and their own files.)
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import OpenAI from "openai";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

interface Provider {
  type: string;
  extra: Record<string, unknown>;
  /** Where the provider's docs put its chat endpoint (authority as the plugin writes it) and how it takes its key. */
  authority: string;
  path: string;
  auth: [string, string] | null;
  /** The provider refuses stream_options (Cohere's compatibility API): it must not receive it. */
  noStreamOptions?: boolean;
}

const PROVIDERS: Provider[] = [
  // https://learn.microsoft.com/azure/ai-services/openai/reference (api-key header; the deployment in the path)
  { type: "azure", extra: { apiTokens: ["az-key"], azureServiceUrl: "https://res1.openai.azure.com/openai/deployments/dep1/chat/completions?api-version=2024-10-21" }, authority: "res1.openai.azure.com", path: "/openai/deployments/dep1/chat/completions?api-version=2024-10-21", auth: ["api-key", "az-key"] },
  // https://platform.moonshot.cn/docs/api/chat
  { type: "moonshot", extra: { apiTokens: ["ms-key"] }, authority: "api.moonshot.cn", path: "/v1/chat/completions", auth: ["authorization", "Bearer ms-key"] },
  // https://openrouter.ai/docs/api-reference/chat-completion
  { type: "openrouter", extra: { apiTokens: ["or-key"] }, authority: "openrouter.ai", path: "/api/v1/chat/completions", auth: ["authorization", "Bearer or-key"] },
  // https://docs.fireworks.ai/api-reference/post-chatcompletions
  { type: "fireworks", extra: { apiTokens: ["fw-key"] }, authority: "api.fireworks.ai", path: "/inference/v1/chat/completions", auth: ["authorization", "Bearer fw-key"] },
  // https://docs.ollama.com/api/openai-compatibility (no key)
  { type: "ollama", extra: { ollamaServerHost: "ollama.local", ollamaServerPort: 11434 }, authority: "ollama.local:11434", path: "/v1/chat/completions", auth: null },
  // https://www.xfyun.cn/doc/spark/HTTP%E8%B0%83%E7%94%A8%E6%96%87%E6%A1%A3.html (Bearer APIKey:APISecret)
  { type: "spark", extra: { apiTokens: ["sp-key:sp-secret"] }, authority: "spark-api-open.xf-yun.com", path: "/v1/chat/completions", auth: ["authorization", "Bearer sp-key:sp-secret"] },
  // https://docs.cohere.com/docs/compatibility-api (no stream_options)
  { type: "cohere", extra: { apiTokens: ["co-key"] }, authority: "api.cohere.com", path: "/compatibility/v1/chat/completions", auth: ["authorization", "Bearer co-key"], noStreamOptions: true },
  // https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility
  { type: "cloudflare", extra: { apiTokens: ["cf-key"], cloudflareAccountId: "acc123" }, authority: "api.cloudflare.com", path: "/client/v4/accounts/acc123/ai/v1/chat/completions", auth: ["authorization", "Bearer cf-key"] },
];
const CREDENTIALS = ["authorization", "api-key", "x-api-key"];

const seen: { authority: string; path: string; headers: http.IncomingHttpHeaders; body: any }[] = [];
let upstream: TestUpstream;
before(async () => {
  upstream = await startUpstream((req: http.IncomingMessage, raw: string, res: http.ServerResponse) => {
    const authority = req.headers.host ?? "";
    const body = JSON.parse(raw);
    seen.push({ authority, path: req.url!, headers: req.headers, body });
    const p = PROVIDERS.find((x) => x.authority === authority || x.authority === authority.replace(/:\d+$/, ""));
    if (!p || req.url !== p.path) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
      return;
    }
    const creds = CREDENTIALS.filter((h) => req.headers[h] !== undefined);
    if ((p.auth === null ? creds.length !== 0 : creds.length !== 1 || req.headers[p.auth[0]] !== p.auth[1]) || (p.noStreamOptions && body.stream_options)) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "unauthorized or unexpected field", type: "invalid_request_error" } }));
      return;
    }
    const base = { id: `chatcmpl-${p.type}`, created: 1718000000, model: body.model };
    if (!body.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ...base, object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content: "Hello from " + p.type }, finish_reason: "stop" }], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream" });
    const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.write(chunk({ role: "assistant", content: "" }, null));
    res.write(chunk({ content: "Hello from " }, null));
    res.write(chunk({ content: p.type }, null));
    res.write(chunk({}, "stop"));
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n`);
    res.end("data: [DONE]\n\n");
  });
});
after(async () => { await upstream?.close(); });

forEachRuntime((runtime: Runtime) => {
  for (const p of PROVIDERS) {
    describe(p.type, () => {
      let gw: GatewayUnderTest;
      before(async () => {
        gw = await startGateway(runtime, { provider: { type: p.type, modelMapping: { "*": `${p.type}-model` }, ...p.extra } }, { [p.authority]: upstream.url });
      });
      after(async () => { await gw?.stop(); });
      const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });

      test("chat completion at the documented endpoint with the provider's credential", async () => {
        const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] });
        assert.equal(r.choices[0].message.content, "Hello from " + p.type);
        assert.equal(r.usage!.total_tokens, 8);
        const sent = seen.at(-1)!;
        assert.equal(sent.path, p.path);
        assert.equal(sent.body.model, `${p.type}-model`);
      });

      test("streamed, with usage when asked", async () => {
        const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hi" }] });
        const { text, finish, usage } = await readChatStream(stream);
        assert.equal(text, "Hello from " + p.type);
        assert.equal(finish, "stop");
        if (!p.noStreamOptions) assert.equal(usage!.total_tokens, 8);
        assert.equal(seen.at(-1)!.path, p.path);
      });
    });
  }
});
