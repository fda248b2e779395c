// The translation golden fixtures (tests/fixtures/translate/<case>/) end to end on both runtimes: the client request
// goes through the gateway (`ai-proxy-wasm serve`, or real Envoy) to a local upstream that checks it against the
// expected upstream request and answers with the recorded upstream response; the client must get exactly the
// expected response. tests/plugin/golden-translate.test.ts replays the same cases in the host at every chunking.
import { after, before, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { ROOT } from "../support/plugin";
import { forEachRuntime, GatewayUnderTest, Runtime, startGateway } from "../support/runtimes";
import { startUpstream, TestUpstream } from "../support/upstream";

const CASES = path.join(ROOT, "tests", "fixtures", "translate");

interface Case {
  client: "anthropic" | "openai";
  provider: "openai" | "claude";
  path: string;
  options?: { model?: string; reasoningContentMode?: string; nowSeconds?: number };
  status: number;
  clientStatus: number;
}

interface Loaded {
  name: string;
  c: Case;
  clientRequest: Buffer;
  wantUpstream: Buffer | null;
  upstreamBody: Buffer | null;
  sse: boolean;
  wantClient: Buffer;
}

function read(dir: string, name: string): Buffer | null {
  const p = path.join(dir, name);
  return fs.existsSync(p) ? fs.readFileSync(p) : null;
}

function loadCases(): Loaded[] {
  const out: Loaded[] = [];
  for (const name of fs.readdirSync(CASES).sort()) {
    const dir = path.join(CASES, name);
    if (name.startsWith("_") || !fs.statSync(dir).isDirectory()) continue;
    const c: Case = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8"));
    const sse = read(dir, "upstream-response.sse");
    out.push({
      name, c, clientRequest: read(dir, "client-request.json")!, wantUpstream: read(dir, "upstream-request.json"),
      upstreamBody: sse ?? read(dir, "upstream-response.json"), sse: sse !== null,
      wantClient: read(dir, "client-response.sse") ?? read(dir, "client-response.json")!,
    });
  }
  return out;
}

function configFor(c: Case): object {
  const provider: Record<string, unknown> = { type: c.provider, apiTokens: ["sk-golden-key"] };
  if (c.options?.model) provider.modelMapping = { "*": c.options.model };
  if (c.options?.reasoningContentMode) provider.reasoningContentMode = c.options.reasoningContentMode;
  return { provider };
}

/** OpenAI's `created` is the gateway's clock (the host test pins it; a real runtime cannot). */
function normalise(text: string, c: Case): string {
  return c.options?.nowSeconds ? text.replace(/"created":\d+/g, '"created":0') : text;
}

const UPSTREAM_PATH = { openai: "/v1/chat/completions", claude: "/v1/messages" } as const;
const cases = loadCases();
let next: Loaded | null = null;
let seen: { path: string; body: string; key: string }[] = [];
let upstream: TestUpstream;

before(async () => {
  upstream = await startUpstream((req: http.IncomingMessage, body: string, res: http.ServerResponse) => {
    seen.push({ path: req.url!, body, key: String(req.headers.authorization ?? req.headers["x-api-key"] ?? "") });
    const l = next!;
    const ct = l.sse ? "text/event-stream" : l.upstreamBody && l.upstreamBody[0] === 0x3c /* < */ ? "text/html" : "application/json";
    res.writeHead(l.c.status, { "content-type": ct });
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
        const config = JSON.stringify(configFor(l.c));
        const key = `${runtime} ${config}`;
        if (!gateways.has(key)) gateways.set(key, await startGateway(runtime, config, { "api.openai.com": upstream.url, "api.anthropic.com": upstream.url }));
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
          const sameProtocol = (l.c.client === "anthropic") === (l.c.provider === "claude");
          const query = l.c.path.includes("?") ? l.c.path.slice(l.c.path.indexOf("?")) : "";
          assert.equal(seen[0].path, UPSTREAM_PATH[l.c.provider] + (sameProtocol ? query : ""));
          assert.equal(seen[0].body, l.wantUpstream.toString());
          assert.equal(seen[0].key, l.c.provider === "claude" ? "sk-golden-key" : "Bearer sk-golden-key");
        }
        assert.equal(res.status, l.c.clientStatus);
        assert.equal(normalise(text, l.c), normalise(l.wantClient.toString(), l.c));
      });
    }
  });
});
