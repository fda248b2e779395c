// Dify end to end on both runtimes: the official OpenAI SDK through the gateway to a mock of a Dify app's API
// (https://docs.dify.ai/en/openapi-api-access-readme): chat-messages answering blocking and streaming
// (`data: {"event":"message",…}`, `event: ping`, message_end), as a self-hosted instance named by difyApiUrl.
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
      if (req.url !== "/v1/chat-messages" || req.headers.authorization !== "Bearer app-key") {
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ code: "unauthorized", message: "Access token is invalid", status: 401 }));
        return;
      }
      if (body.response_mode === "streaming") {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const a of ["Hello", " there"]) res.write("data: " + JSON.stringify({ event: "message", message_id: "m1", conversation_id: "conv-1", answer: a, created_at: 1705407629 }) + "\n\n");
        res.write("event: ping\n\n");
        res.write("data: " + JSON.stringify({ event: "message_end", id: "m1", conversation_id: "conv-1", metadata: { usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } } }) + "\n\n");
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ event: "message", message_id: "m0", conversation_id: "conv-0", mode: "chat", answer: "Hello there", metadata: { usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } }, created_at: 1705407629 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { provider: { type: "dify", apiTokens: ["app-key"], difyApiUrl: "https://dify.internal.example.com/v1", botType: "Chat" } },
      { "dify.internal.example.com": url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → dify chat app", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });

    test("blocking", async () => {
      const r = await client().chat.completions.create({ model: "my-app", messages: [{ role: "user", content: "Hi" }] });
      assert.equal(r.choices[0].message.content, "Hello there");
      assert.equal(r.id, "conv-0");
      assert.equal(r.usage!.total_tokens, 9);
      assert.deepEqual(seen.at(-1)!.body, { inputs: {}, query: "USER: \nHi\n", response_mode: "blocking", user: "api-user", auto_generate_name: false, conversation_id: "" });
    });

    test("streaming with usage", async () => {
      const stream = await client().chat.completions.create({ model: "my-app", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Hi" }] });
      const { text, finish, usage } = await readChatStream(stream);
      assert.equal(text, "Hello there");
      assert.equal(finish, "stop");
      assert.equal(usage!.total_tokens, 9);
      assert.equal(seen.at(-1)!.body.response_mode, "streaming");
    });
  });
});
