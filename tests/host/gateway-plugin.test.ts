// The real plugin (build/ai-proxy.wasm, when built) behind the gateway, against the mock LLM: the quickstart path.
// Shows the first streamed bytes reach the client before the upstream has finished.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { startGateway } from "../../host/gateway";
import { startMockLlm } from "../../host/mock-llm";
import { ROOT } from "./harness";

const WASM = path.join(ROOT, "build", "ai-proxy.wasm");

test("build/ai-proxy.wasm via `serve`: key injected, Host rewritten, SSE streamed chunk by chunk", { skip: !fs.existsSync(WASM) && "build/ai-proxy.wasm not built" }, async () => {
  const mock = await startMockLlm({ chunkDelayMs: 50 });
  const gw = await startGateway({
    wasm: WASM,
    configuration: JSON.stringify({ provider: { type: "openai", apiTokens: ["mock-key"] } }),
    port: 0,
    upstreams: { "api.openai.com": mock.url },
    quiet: true,
    log: () => {},
  });
  try {
    const body = JSON.stringify({ model: "gpt-4o-mini", stream: true, messages: [{ role: "user", content: "one two three four five" }] });
    const arrivals: number[] = [];
    let text = "";
    const t0 = Date.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${gw.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer client-key" } }, (res) => {
        res.on("data", (c: Buffer) => {
          arrivals.push(Date.now() - t0);
          text += c.toString();
        });
        res.on("end", () => resolve(res.statusCode!));
      });
      req.on("error", reject);
      req.end(body);
    });
    assert.equal(status, 200);
    const seen = mock.requests[0];
    assert.equal(seen.headers.host, "api.openai.com");
    assert.equal(seen.headers.authorization, "Bearer mock-key");
    assert.match(text, /data: \[DONE\]\n\n$/);
    assert.ok(arrivals.length >= 5, `only ${arrivals.length} writes reached the client`);
    // The upstream wrote its events 50 ms apart: the first reached the client well before the last was written.
    assert.ok(arrivals.at(-1)! - arrivals[0] >= 200, `arrivals ${arrivals.join(",")}`);
    assert.equal(gw.vm.trap, null);
  } finally {
    await gw.close();
    await mock.close();
  }
});
