// Large request bodies (issue 15, "Memory"): a multi-megabyte body and its translation live in blocks the VM keeps
// and reuses (assembly/bytes/large-buffers.ts), so linear memory stops growing after the first large request
// instead of doubling with fragmentation, and every request still sends exactly its own bytes — retries and
// concurrent requests included.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, WASM } from "../support/plugin";

const MB = 1024 * 1024;
const HOST = { bufferLimitBytes: 64 * MB, stallTimeoutMs: 5000 };
const ANTHROPIC_ANSWER = json({
  id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
});
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const text = (b: Uint8Array | string | undefined) => (typeof b === "string" ? b : Buffer.from(b ?? new Uint8Array()).toString());

function chat(fill: string, bytes: number): string {
  return json({ model: "gpt-4o", messages: [{ role: "user", content: fill.repeat(Math.max(1, bytes - 100)) }] });
}
function messages(fill: string, bytes: number): string {
  return json({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: fill.repeat(Math.max(1, bytes - 120)) }] });
}

let seq = 0;
async function startClaude(provider: object = {}, clusters = {}) {
  const host = await ProxyWasmHost.load(WASM, { ...HOST, clusters });
  const vm = await host.createVm({ vmId: `large-bodies-${process.pid}-${++seq}` });
  const plugin = vm.startPlugin({
    configuration: { provider: { type: "claude", apiTokens: ["sk-ant-large-body-key-000001"], ...provider }, maxRequestBodyBytes: 32 * MB },
  });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  return { vm, plugin };
}

describe("large request bodies", () => {
  for (const converted of [true, false]) {
    test(`${converted ? "converted (OpenAI → claude)" : "same protocol"}: linear memory is flat after the first large request, within the documented ceiling`, async () => {
      const { vm, plugin } = await startClaude();
      const size = 2 * MB;
      const path = converted ? "/v1/chat/completions" : "/v1/messages";
      const extra: Array<[string, string]> = converted ? [] : [["anthropic-version", "2023-06-01"]];
      const base = vm.memoryBytes();
      let afterFirst = 0;
      const fills = "abcdefghijkl";
      for (let i = 0; i < fills.length; i++) {
        const body = converted ? chat(fills[i], size) : messages(fills[i], size);
        const r = await plugin.exchange({ request: { headers: requestHeaders(path, extra), body }, upstream: () => ({ status: 200, headers: JSON_CT, body: ANTHROPIC_ANSWER }) });
        assert.equal(r.status, 200, r.bodyText.slice(0, 200));
        const sent = JSON.parse(text(r.upstreamRequest!.body));
        const content = sent.messages[0].content;
        assert.equal(typeof content === "string" ? content : content[0].text, fills[i].repeat(size - (converted ? 100 : 120)), `request ${i + 1} sent its own text`);
        if (i === 0) afterFirst = vm.memoryBytes();
      }
      const last = vm.memoryBytes();
      assert.equal(last, afterFirst, `linear memory grew from ${afterFirst} to ${last} bytes after the first request`);
      // The documented ceiling (README, Robustness, "Memory"): converted ≈ 2 MB + 2.5 × the body, same protocol ≈ 1.5 MB + 1.25 ×.
      const bound = converted ? 2.5 * MB + 2.5 * size : 1.5 * MB + 1.25 * size;
      assert.ok(last - base <= bound, `linear memory grew by ${((last - base) / MB).toFixed(2)} MB for a ${size / MB} MB body (bound ${(bound / MB).toFixed(2)} MB)`);
    });
  }

  test("bodies of varying size reuse the blocks: memory after the largest stays put", async () => {
    const { vm, plugin } = await startClaude();
    const sizes = [1, 3, 2, 3, 1, 2, 3, 3];
    let afterLargest = 0;
    for (let i = 0; i < sizes.length; i++) {
      const body = chat(String.fromCharCode(0x61 + i), sizes[i] * MB);
      const r = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body }, upstream: () => ({ status: 200, headers: JSON_CT, body: ANTHROPIC_ANSWER }) });
      assert.equal(r.status, 200);
      const content = JSON.parse(text(r.upstreamRequest!.body)).messages[0].content;
      assert.equal(content, String.fromCharCode(0x61 + i).repeat(sizes[i] * MB - 100), `request ${i + 1} sent its own text, no byte of an earlier one`);
      if (i === 1) afterLargest = vm.memoryBytes();
    }
    assert.equal(vm.memoryBytes(), afterLargest);
  });

  test("a retried large request re-sends its own body while another large request runs on the same VM", async () => {
    const retried: ClusterRequest[] = [];
    const { plugin } = await startClaude({ retryOnFailure: { enabled: true, maxRetries: 1 } }, {
      "api.anthropic.com": (req: ClusterRequest) => { retried.push(req); return { headers: [[":status", "200"], ...JSON_CT], body: ANTHROPIC_ANSWER }; },
    });
    const first = chat("r", 2 * MB);
    const second = chat("s", 1 * MB); // smaller: it reuses the blocks the first one filled
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const a = plugin.exchange({
      request: { headers: requestHeaders("/v1/chat/completions"), body: first },
      upstream: async () => { await held; return { status: 503, headers: JSON_CT, body: json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }) }; },
    });
    // The second request is read and translated while the first waits for its (failing) answer.
    const b = await plugin.exchange({ request: { headers: requestHeaders("/v1/chat/completions"), body: second }, upstream: () => ({ status: 200, headers: JSON_CT, body: ANTHROPIC_ANSWER }) });
    assert.equal(b.status, 200);
    release();
    const r = await a;
    assert.equal(r.status, 200);
    assert.equal(header(r.headers, "x-ai-proxy-attempts"), "2");
    assert.equal(retried.length, 1);
    assert.equal(text(retried[0].body), text(r.upstreamRequest!.body), "the retry sends the first attempt's body");
    assert.equal(JSON.parse(text(retried[0].body)).messages[0].content, "r".repeat(2 * MB - 100));
  });
});
