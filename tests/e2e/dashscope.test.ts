// Qwen with qwenEnableCompatible: false end to end on both runtimes: the official OpenAI SDK through the gateway to a
// mock speaking DashScope's native text generation (https://help.aliyun.com/zh/model-studio/qwen-api-reference):
// it answers SSE only when asked with X-DashScope-SSE: enable, as DashScope does, and sends `event:result` events with
// incremental text and finish_reason "null" until the last one.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import OpenAI from "openai";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

let server: http.Server;
let url = "";
const seen: { path: string; headers: http.IncomingHttpHeaders; body: any }[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString());
      seen.push({ path: req.url!, headers: req.headers, body });
      if (req.url === "/api/v1/services/embeddings/text-embedding/text-embedding" && req.headers.authorization === "Bearer sk-dash") {
        // https://www.alibabacloud.com/help/en/model-studio/text-embedding-synchronous-api (answer shape)
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ output: { embeddings: body.input.texts.map((_: string, i: number) => ({ text_index: i, embedding: [0.5 + i, -0.25] })) }, usage: { total_tokens: 7 }, request_id: "req-e" }));
        return;
      }
      if (req.url !== "/api/v1/services/aigc/text-generation/generation" || req.headers.authorization !== "Bearer sk-dash") {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ request_id: "r-bad", code: "InvalidApiKey", message: "Invalid API-key provided." }));
        return;
      }
      if (req.headers["x-dashscope-sse"] === "enable") {
        res.writeHead(200, { "content-type": "text/event-stream;charset=UTF-8" });
        const parts: Array<[string, string, number]> = [["我是", "null", 1], ["通义千问。", "null", 4], ["", "stop", 4]];
        parts.forEach(([text, finish, out], i) => res.write(`id:${i + 1}\nevent:result\n:HTTP_STATUS/200\ndata:` + JSON.stringify({ output: { choices: [{ message: { content: text, role: "assistant" }, finish_reason: finish }] }, usage: { total_tokens: 10 + out, input_tokens: 10, output_tokens: out }, request_id: "req-s" }) + "\n\n"));
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ output: { choices: [{ finish_reason: "stop", message: { role: "assistant", content: "我是通义千问。" } }] }, usage: { total_tokens: 14, output_tokens: 4, input_tokens: 10 }, request_id: "req-1" }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { allowOnHeadersStopIteration: true, provider: { type: "qwen", apiTokens: ["sk-dash"], qwenEnableCompatible: false, modelMapping: { "*": "qwen-plus" } } },
      { "dashscope.aliyuncs.com": url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → qwen native DashScope", () => {
    test("embeddings.create (the SDK asks for base64 and decodes it) without qwenEnableCompatible: the native default", async () => {
      const plain = await startGateway(runtime, { provider: { type: "qwen", apiTokens: ["sk-dash"], modelMapping: { "*": "text-embedding-v4" } } }, { "dashscope.aliyuncs.com": url });
      try {
        const sdk = new OpenAI({ baseURL: `${plain.url}/v1`, apiKey: "client-key", maxRetries: 0 });
        const r = await sdk.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
        assert.deepEqual(r.data.map((d) => [d.index, d.embedding]), [[0, [0.5, -0.25]], [1, [1.5, -0.25]]]);
        assert.equal(r.model, "text-embedding-v4");
        assert.deepEqual(r.usage, { prompt_tokens: 7, total_tokens: 7 });
        const s = seen.at(-1)!;
        assert.equal(s.path, "/api/v1/services/embeddings/text-embedding/text-embedding");
        assert.deepEqual(s.body, { model: "text-embedding-v4", input: { texts: ["a", "b"] } });
      } finally {
        await plain.stop();
      }
    });

    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });

    test("chat.completions.create", async () => {
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "你是谁？" }] });
      assert.equal(r.choices[0].message.content, "我是通义千问。");
      assert.equal(r.id, "req-1");
      assert.deepEqual([r.usage!.prompt_tokens, r.usage!.completion_tokens], [10, 4]);
      const s = seen.at(-1)!;
      assert.deepEqual(s.body, { model: "qwen-plus", input: { messages: [{ role: "user", content: "你是谁？" }] }, parameters: { result_format: "message" } });
      assert.equal(s.headers["x-dashscope-sse"], undefined);
    });

    test("streamed with usage", async () => {
      const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "你是谁？" }] });
      const { text, finish, usage } = await readChatStream(stream);
      assert.equal(text, "我是通义千问。");
      assert.equal(finish, "stop");
      assert.equal(usage!.total_tokens, 14);
      assert.equal(seen.at(-1)!.headers["x-dashscope-sse"], "enable");
    });
  });
});
