// The translation golden fixtures (tests/fixtures/translate/<case>/) end to end on both runtimes: the client request
// goes through the gateway (`ai-proxy-wasm serve`, or real Envoy) to a local upstream that checks it against the
// expected upstream request and answers with the recorded upstream response; the client must get exactly the
// expected response. tests/plugin/golden-translate.test.ts replays the same cases in the host at every chunking.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as http from "node:http";
import { CREDENTIAL_HEADERS, Golden, GoldenCase, GOLDEN_HOSTS, goldenConfig, loadGoldens, upstreamContentType, wantUpstreamKey, wantUpstreamKeyHeader, wantUpstreamPath } from "../support/golden";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

/** OpenAI's `created` is the gateway's clock (the host test pins it; a real runtime cannot). */
function normalise(text: string, c: GoldenCase): string {
  // The gateway's clock fills Chat's `created` and Responses' `created_at` when the upstream gives none.
  return c.options?.nowSeconds ? text.replace(/"created(_at)?":\d+/g, '"created$1":0') : text;
}

const cases = loadGoldens();
let next: Golden | null = null;
let seen: { path: string; body: string; headers: http.IncomingHttpHeaders }[] = [];
let upstream: TestUpstream;

before(async () => {
  upstream = await startUpstream((req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    seen.push({ path: req.url!, body, headers: req.headers });
    const l = next!;
    res.writeHead(l.c.status, { "content-type": upstreamContentType(l) });
    res.end(l.upstreamBody ?? undefined);
  });
});
const gateways = new Map<string, GatewayUnderTest>();
after(async () => {
  for (const g of gateways.values()) await g.stop();
  await upstream.close();
});

forEachRuntime((runtime: Runtime) => {
  describe("golden exchanges", () => {
    for (const l of cases) {
      test(l.name, async () => {
        const config = JSON.stringify(goldenConfig(l.c));
        const key = `${runtime} ${config}`;
        if (!gateways.has(key)) gateways.set(key, await startGateway(runtime, config, Object.fromEntries(GOLDEN_HOSTS.map((h) => [h, upstream.url]))));
        const g = gateways.get(key)!;
        next = l;
        seen = [];
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (l.c.client === "anthropic") Object.assign(headers, { "anthropic-version": "2023-06-01", "x-api-key": "client-key" });
        else headers.authorization = "Bearer client-key";
        const res = await fetch(`${g.url}${l.c.path}`, { method: "POST", headers, body: l.clientRequest });
        const text = await res.text();
        if (l.wantUpstream === null) {
          assert.equal(seen.length, 0, "a refused request never reaches the upstream");
        } else {
          assert.equal(seen.length, 1);
          assert.equal(seen[0].path, wantUpstreamPath(l.c));
          assert.equal(seen[0].body, l.wantUpstream.toString());
          const keyHeader = wantUpstreamKeyHeader(l.c);
          if (keyHeader !== null) assert.equal(seen[0].headers[keyHeader], wantUpstreamKey(l.c));
          assert.deepEqual(CREDENTIAL_HEADERS.filter((h) => seen[0].headers[h] !== undefined), keyHeader !== null ? [keyHeader] : []);
        }
        assert.equal(res.status, l.c.clientStatus);
        assert.equal(normalise(text, l.c), normalise(l.wantClient.toString(), l.c));
        assert.equal(res.headers.get("x-ai-proxy-dropped-params"), l.c.dropped ? l.c.dropped.join(",") : null);
      });
    }
  });
});
