// The official OpenAI and Anthropic SDKs through the gateway (on both runtimes) to provider bedrock, against a mock of
// Bedrock Runtime that checks what AWS checks: the SigV4 signature over the host, path, x-amz-date and body it
// received (recomputed here with Node's crypto), and the date within AWS's 5-minute window; a bad signature gets
// AWS's 403. It answers Converse JSON, ConverseStream as binary event stream frames written in pieces, and Titan's
// InvokeModel embeddings.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { bedrockEvent, sigV4Authorization } from "../support/aws";
import { readChatStream } from "../support/openai-stream";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";

const AK = "AKIDBEDROCKTEST";
const SK = "bedrock/test+secret/KEY";
const REGION = "us-east-1";
const HOST = `bedrock-runtime.${REGION}.amazonaws.com`;
const MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const REPLY = "The capital of France is Paris.";
const TITAN = "amazon.titan-embed-text-v2:0";
const EMBEDDING = [0.5, -0.25, 0.125, 1];
const SIGNATURE_MISMATCH = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

interface Seen { path: string; headers: http.IncomingHttpHeaders; body: any; signed: boolean }

class MockBedrock {
  seen: Seen[] = [];
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (d: Buffer) => parts.push(d));
    req.on("end", () => this.answer(req, Buffer.concat(parts), res));
  });
  get url(): string { return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`; }

  private answer(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const date = String(req.headers["x-amz-date"] ?? "");
    const want = sigV4Authorization({
      method: req.method!, path: req.url!, body, headers: { host: String(req.headers.host), "x-amz-date": date },
      accessKey: AK, secretKey: SK, region: REGION, service: "bedrock", amzDate: date,
    });
    const at = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
    const signed = req.headers.authorization === want && Math.abs(Date.now() - at) < 5 * 60_000;
    this.seen.push({ path: req.url!, headers: req.headers, body: JSON.parse(body.toString() || "null"), signed });
    if (!signed) {
      res.writeHead(403, { "content-type": "application/json", "x-amzn-errortype": "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/" });
      res.end(JSON.stringify({ message: SIGNATURE_MISMATCH }));
      return;
    }
    if (req.url!.endsWith("/invoke")) {
      // Titan Text Embeddings V2's InvokeModel answer, with the token count header Bedrock adds.
      res.writeHead(200, { "content-type": "application/json", "x-amzn-bedrock-input-token-count": "5" });
      res.end(JSON.stringify({ embedding: EMBEDDING, inputTextTokenCount: 5, embeddingsByType: { float: EMBEDDING } }));
      return;
    }
    if (req.url!.endsWith("/converse")) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({
        output: { message: { role: "assistant", content: [{ text: REPLY }] } },
        stopReason: "end_turn", usage: { inputTokens: 11, outputTokens: 8, totalTokens: 19 }, metrics: { latencyMs: 90 },
      }));
      return;
    }
    const words = REPLY.split(/(?= )/);
    const frames = Buffer.concat([
      bedrockEvent("messageStart", { role: "assistant", p: "abcdefghij" }),
      ...words.map((w) => bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: w }, p: "abc" })),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
      bedrockEvent("messageStop", { stopReason: "end_turn" }),
      bedrockEvent("metadata", { usage: { inputTokens: 11, outputTokens: 8, totalTokens: 19 }, metrics: { latencyMs: 90 } }),
    ]);
    res.writeHead(200, { "content-type": "application/vnd.amazon.eventstream" });
    // Written in pieces that cut frames, as TCP may.
    let i = 0;
    const step = (): void => {
      if (i >= frames.length) { res.end(); return; }
      res.write(frames.subarray(i, i + 37));
      i += 37;
      setTimeout(step, 1);
    };
    step();
  }
}

let mock: MockBedrock;
before(async () => {
  mock = new MockBedrock();
  await new Promise<void>((resolve) => mock.server.listen(0, "127.0.0.1", resolve));
});
after(() => mock?.server.close());

test("the mock refuses a request whose signature does not match (as AWS does)", async () => {
  const r = await fetch(`${mock.url}/model/x/converse`, {
    method: "POST", body: "{}",
    headers: { "x-amz-date": "20250310T013123Z", authorization: `AWS4-HMAC-SHA256 Credential=${AK}/20250310/${REGION}/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00` },
  });
  assert.equal(r.status, 403);
  assert.equal(((await r.json()) as { message: string }).message, SIGNATURE_MISMATCH);
});

forEachRuntime((runtime: Runtime) => {
  let gw: GatewayUnderTest;
  before(async () => {
    gw = await startGateway(runtime, { provider: { type: "bedrock", awsAccessKey: AK, awsSecretKey: SK, awsRegion: REGION, modelMapping: { "text-embedding-3-small": TITAN, "*": MODEL } } },
      { [HOST]: mock.url });
  });
  after(async () => { await gw?.stop(); });

  describe("openai SDK → bedrock", () => {
    const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });

    test("chat.completions.create: signed Converse request at the encoded model's URL; text and usage back", async () => {
      mock.seen.length = 0;
      const r = await client().chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }] });
      assert.equal(r.choices[0].message.content, REPLY);
      assert.equal(r.choices[0].finish_reason, "stop");
      assert.deepEqual([r.usage!.prompt_tokens, r.usage!.completion_tokens, r.usage!.total_tokens], [11, 8, 19]);
      const seen = mock.seen.at(-1)!;
      assert.ok(seen.signed, `signature: ${seen.headers.authorization}`);
      assert.equal(seen.path, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
      assert.equal(seen.headers.host, HOST);
      assert.ok(!String(seen.headers.authorization).includes("client-openai-key"));
      assert.deepEqual(seen.body, { messages: [{ role: "user", content: [{ text: "Capital of France?" }] }], system: [{ text: "Be brief." }] });
    });

    test("streamed, with usage: the event stream arrives as chunks in order, usage chunk last", async () => {
      const stream = await client().chat.completions.create({ model: "gpt-4o", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "Capital of France?" }] });
      const { text, finish, usage } = await readChatStream(stream);
      assert.equal(text, REPLY);
      assert.equal(finish, "stop");
      assert.equal(usage?.total_tokens, 19);
      const seen = mock.seen.at(-1)!;
      assert.ok(seen.signed);
      assert.equal(seen.path, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse-stream");
    });
  });

  describe("openai SDK embeddings → bedrock InvokeModel", () => {
    test("embeddings.create (base64, the SDK's default): signed Titan request at /model/{encoded model}/invoke; the vector and usage back", async () => {
      mock.seen.length = 0;
      const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });
      const r = await client.embeddings.create({ model: "text-embedding-3-small", input: "Capital of France?", dimensions: 256 });
      assert.deepEqual(r.data, [{ object: "embedding", index: 0, embedding: EMBEDDING }]);
      assert.equal(r.model, TITAN);
      assert.deepEqual(r.usage, { prompt_tokens: 5, total_tokens: 5 });
      const seen = mock.seen.at(-1)!;
      assert.ok(seen.signed, `signature: ${seen.headers.authorization}`);
      assert.equal(seen.path, "/model/amazon.titan-embed-text-v2%3A0/invoke");
      assert.deepEqual(seen.body, { inputText: "Capital of France?", dimensions: 256, normalize: true });
      await assert.rejects(client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] }), (e: InstanceType<typeof OpenAI.APIError>) => e.status === 400 && /^input: /.test(e.message.replace(/^400 /, "")));
    });
  });

  describe("@anthropic-ai/sdk → bedrock (composed through OpenAI chat)", () => {
    const client = () => new Anthropic({ baseURL: gw.url, apiKey: "client-anthropic-key", maxRetries: 0 });

    test("messages.stream: Anthropic events, end_turn, usage", async () => {
      const stream = client().messages.stream({ model: "claude-sonnet-4-5", max_tokens: 256, messages: [{ role: "user", content: "Capital of France?" }] });
      const msg = await stream.finalMessage();
      assert.equal((msg.content[0] as Anthropic.TextBlock).text, REPLY);
      assert.equal(msg.stop_reason, "end_turn");
      assert.equal(msg.usage.output_tokens, 8);
      const seen = mock.seen.at(-1)!;
      assert.ok(seen.signed);
      assert.equal(seen.headers["x-api-key"], undefined);
      assert.deepEqual(seen.body.inferenceConfig, { maxTokens: 256 });
    });
  });
});

forEachRuntime((runtime: Runtime) => {
  let original: GatewayUnderTest;
  let cached: GatewayUnderTest;
  before(async () => {
    original = await startGateway(runtime, { provider: { type: "bedrock", protocol: "original", awsAccessKey: AK, awsSecretKey: SK, awsRegion: REGION } }, { [HOST]: mock.url });
    cached = await startGateway(runtime, { provider: { type: "bedrock", awsAccessKey: AK, awsSecretKey: SK, awsRegion: REGION, modelMapping: { "*": MODEL }, promptCacheRetention: "in_memory" } }, { [HOST]: mock.url });
  });
  after(async () => { await original?.stop(); await cached?.stop(); });

  test("protocol original: a client's own Converse request is signed over the body it sent and answered as Bedrock answers", async () => {
    mock.seen.length = 0;
    const body = { messages: [{ role: "user", content: [{ text: "Capital of France?" }] }], inferenceConfig: { maxTokens: 64 } };
    const r = await fetch(`${original.url}/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse`, {
      method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-own" }, body: JSON.stringify(body),
    });
    assert.equal(r.status, 200);
    const out = await r.json() as { output: { message: { content: Array<{ text: string }> } } };
    assert.equal(out.output.message.content[0].text, REPLY);
    const seen = mock.seen.at(-1)!;
    assert.ok(seen.signed, `signature: ${seen.headers.authorization}`);
    assert.equal(seen.path, "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse");
    assert.deepEqual(seen.body, body);
  });

  test("promptCacheRetention: the signed Converse request carries a cache point after the system prompt", async () => {
    mock.seen.length = 0;
    const client = new OpenAI({ baseURL: `${cached.url}/v1`, apiKey: "client-openai-key", maxRetries: 0 });
    const r = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Capital of France?" }] });
    assert.equal(r.choices[0].message.content, REPLY);
    const seen = mock.seen.at(-1)!;
    assert.ok(seen.signed);
    assert.deepEqual(seen.body, { messages: [{ role: "user", content: [{ text: "Capital of France?" }] }], system: [{ text: "Be brief." }, { cachePoint: { type: "default" } }] });
  });
});
