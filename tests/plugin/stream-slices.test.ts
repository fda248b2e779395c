// A fast upstream hands one body callback megabytes of SSE. The plugin translates such a read slice by slice: the
// client gets exactly the bytes it gets when the same stream arrives in small pieces, and the VM's linear memory is
// sized by a slice, not by the read.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, requestHeaders, startPlugin } from "../support/plugin";

/** An OpenAI chat stream of `n` text deltas, as api.openai.com sends it. */
function openaiStream(n: number): Buffer {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({ id: "chatcmpl-big", object: "chat.completion.chunk", created: 1, model: "gpt-4o", choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  let s = chunk({ role: "assistant", content: "" }, null);
  for (let i = 0; i < n; i++) s += chunk({ content: `word${i % 97} lorem ipsum dolor sit amet ` }, null);
  s += chunk({}, "stop") + "data: [DONE]\n\n";
  return Buffer.from(s);
}

const request = json({ model: "claude-sonnet-4-5", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] });

async function run(body: Buffer, pieces: number): Promise<{ text: string; memory: number }> {
  const { plugin, vm } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-slices-0123456789"] } });
  const size = Math.ceil(body.length / pieces);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < body.length; at += size) chunks.push(body.subarray(at, at + size));
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/messages", [["anthropic-version", "2023-06-01"]]), body: request },
    upstream: () => ({ status: 200, headers: [["content-type", "text/event-stream"]], body: chunks }),
  });
  assert.equal(r.trap, null);
  assert.equal(r.status, 200);
  return { text: r.bodyText, memory: vm.memoryBytes() };
}

test("a 3 MB SSE read in one callback gives the same Anthropic stream as 3 KB pieces, and the VM stays small", async () => {
  const body = openaiStream(20000);
  assert.ok(body.length > 3_000_000, String(body.length));
  const whole = await run(body, 1);
  const pieces = await run(body, 1000);
  assert.equal(whole.text, pieces.text);
  assert.match(whole.text, /^event: message_start\n/);
  assert.match(whole.text, /event: message_stop\ndata: \{"type":"message_stop"\}\n\n$/);
  assert.equal((whole.text.match(/event: content_block_delta\n/g) ?? []).length, 20000);
  // The read itself is 3 MB; translated whole it would need several times that.
  assert.ok(whole.memory <= 2 * 1024 * 1024, `linear memory ${whole.memory} bytes after a 3 MB read`);
});
