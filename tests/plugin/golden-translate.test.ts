// The translation golden fixtures (tests/fixtures/translate/<case>/), driven through build/ai-proxy.wasm in the
// host: client request → exact upstream request; upstream response → exact client response. Streamed upstream
// bodies are also replayed one byte per chunk and at seeded random boundaries, and must give the same bytes.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { CREDENTIAL_HEADERS, goldenConfig, loadGoldens, upstreamContentType, wantUpstreamAuthority, wantUpstreamKey, wantUpstreamKeyHeader, wantUpstreamPath } from "../support/golden";
import { header, randomChunks, requestHeaders, startPlugin } from "../support/plugin";

for (const g of loadGoldens()) {
  const { name, c, clientRequest, wantUpstream, upstreamBody, wantClient } = g;
  const sse = g.sse ? upstreamBody : null;
  const now = c.options?.nowSeconds;

  describe(`golden ${name}`, () => {
    const chunkings: Array<[string, (b: Buffer) => Uint8Array[]]> = [["whole", (b) => [b]]];
    if (sse) {
      chunkings.push(["one byte per chunk", (b) => Array.from(b, (_, i) => b.subarray(i, i + 1))]);
      for (const seed of [1, 2, 3]) chunkings.push([`random chunks (seed ${seed})`, (b) => randomChunks(b, seed, 48)]);
    }
    for (const [how, chunk] of chunkings) {
      test(how, async () => {
        // The host honours a request-header hold like Envoy >= 1.35 (Gemini's URL names the model from the body).
        const { plugin, vm } = await startPlugin(goldenConfig(c), { allowOnHeadersStopIteration: true, ...(now ? { now: () => BigInt(now) * 1_000_000_000n } : {}) });
        const extra: Array<[string, string]> = c.client === "anthropic" ? [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]] : [["authorization", "Bearer client-key"]];
        let upstreamCalls = 0;
        const r = await plugin.exchange({
          request: { headers: requestHeaders(c.path, extra), body: clientRequest },
          upstream: () => {
            upstreamCalls++;
            return { status: c.status, headers: [["content-type", upstreamContentType(g)]], body: upstreamBody ? chunk(upstreamBody) : [] };
          },
        });
        assert.equal(r.trap, null, String(r.trap));
        if (wantUpstream === null) {
          assert.equal(upstreamCalls, 0, "a refused request never reaches the upstream");
        } else {
          const up = r.upstreamRequest!;
          assert.equal(up.authority, wantUpstreamAuthority(c));
          assert.equal(up.path, wantUpstreamPath(c));
          assert.equal(Buffer.from(up.body).toString(), wantUpstream.toString());
          const keyHeader = wantUpstreamKeyHeader(c);
          if (keyHeader !== null) assert.equal(header(up.headers, keyHeader), wantUpstreamKey(c));
          // The client's own credential never travels on: the provider's key header is the only one.
          assert.deepEqual(CREDENTIAL_HEADERS.filter((h) => header(up.headers, h) !== undefined), keyHeader !== null ? [keyHeader] : []);
        }
        assert.equal(r.status, c.clientStatus);
        assert.equal(r.bodyText, wantClient.toString());
        assert.equal(header(r.headers, "x-ai-proxy-dropped-params") ?? null, c.dropped ? c.dropped.join(",") : null);
        assert.equal(vm.trap, null);
      });
    }
  });
}
