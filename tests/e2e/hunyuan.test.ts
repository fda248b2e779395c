// Hunyuan's native API end to end on both runtimes: the official OpenAI SDK through the gateway to a mock that acts
// as Tencent Cloud API 3.0 (https://cloud.tencent.com/document/api/1729/105701): it checks the TC3-HMAC-SHA256
// signature over the body and Host it received (https://cloud.tencent.com/document/api/1729/101843) and answers in
// Tencent's shapes (Response{Choices[{Message}]}, a stream of data: events without [DONE], an AuthFailure error with
// HTTP 200 when the signature does not verify).
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import OpenAI from "openai";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

const ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE";
const KEY = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE";

interface Seen { host: string; headers: http.IncomingHttpHeaders; body: string; verified: boolean }

function verify(h: http.IncomingHttpHeaders, body: string): boolean {
  const sha = (s: string) => crypto.createHash("sha256").update(s).digest("hex");
  const hmac = (k: crypto.BinaryLike, s: string) => crypto.createHmac("sha256", k).update(s).digest();
  const ts = Number(h["x-tc-timestamp"]);
  if (!Number.isInteger(ts) || Math.abs(ts - Date.now() / 1000) > 300) return false;
  const canonical = ["POST", "/", "", `content-type:${h["content-type"]}\nhost:${h.host}\nx-tc-action:${String(h["x-tc-action"]).toLowerCase()}\n`, "content-type;host;x-tc-action", sha(body)].join("\n");
  const date = new Date(ts * 1000).toISOString().slice(0, 10);
  const scope = `${date}/hunyuan/tc3_request`;
  const key = hmac(hmac(hmac("TC3" + KEY, date), "hunyuan"), "tc3_request");
  const sig = hmac(key, ["TC3-HMAC-SHA256", String(ts), scope, sha(canonical)].join("\n")).toString("hex");
  return h.authorization === `TC3-HMAC-SHA256 Credential=${ID}/${scope}, SignedHeaders=content-type;host;x-tc-action, Signature=${sig}`;
}

let server: http.Server;
let url = "";
const seen: Seen[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      const s: Seen = { host: String(req.headers.host), headers: req.headers, body, verified: verify(req.headers, body) };
      seen.push(s);
      if (!s.verified || req.url !== "/" || req.headers["x-tc-action"] !== "ChatCompletions" || req.headers["x-tc-version"] !== "2023-09-01") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "The provided credentials could not be validated." }, RequestId: "r-bad" } }));
        return;
      }
      const usage = { PromptTokens: 5, CompletionTokens: 4, TotalTokens: 9 };
      if (JSON.parse(body).Stream) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        for (const [text, finish] of [["北京", ""], ["是首都。", ""], ["", "stop"]]) {
          res.write("data: " + JSON.stringify({ Note: "以上内容为AI生成", Choices: [{ Delta: { Role: "assistant", Content: text }, FinishReason: finish }], Created: 1716359713, Id: "s-1", Usage: usage }) + "\n\n");
        }
        res.end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ Response: { RequestId: "r-1", Note: "以上内容为AI生成", Choices: [{ FinishReason: "stop", Message: { Role: "assistant", Content: "北京是首都。" } }], Created: 1715224325, Id: "h-1", Usage: usage } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { allowOnHeadersStopIteration: true, provider: { type: "hunyuan", hunyuanAuthId: ID, hunyuanAuthKey: KEY, modelMapping: { "*": "hunyuan-turbos-latest" } } },
      { "hunyuan.tencentcloudapi.com": url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → hunyuan native", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-key", maxRetries: 0 });

    test("chat.completions.create: the signature verifies at Tencent's host; the answer is an OpenAI completion", async () => {
      seen.length = 0;
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "中国的首都？" }] });
      assert.equal(r.choices[0].message.content, "北京是首都。");
      assert.equal(r.id, "h-1");
      assert.equal(r.model, "hunyuan-turbos-latest");
      assert.deepEqual([r.usage!.prompt_tokens, r.usage!.completion_tokens, r.usage!.total_tokens], [5, 4, 9]);
      const s = seen.at(-1)!;
      assert.equal(s.host, "hunyuan.tencentcloudapi.com");
      assert.ok(s.verified, "the TC3 signature verifies over the body and host the upstream received");
      assert.equal(s.body, JSON.stringify({ Model: "hunyuan-turbos-latest", Messages: [{ Role: "user", Content: "中国的首都？" }] }));
    });

    test("streamed with usage: Tencent's events as OpenAI chunks", async () => {
      const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "中国的首都？" }] });
      const { text, finish, usage } = await readChatStream(stream);
      assert.equal(text, "北京是首都。");
      assert.equal(finish, "stop");
      assert.equal(usage!.total_tokens, 9);
      assert.ok(seen.at(-1)!.verified);
    });
  });
});
