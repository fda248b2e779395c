// The translation golden fixtures (tests/fixtures/translate/<case>/), driven through build/ai-proxy.wasm in the
// host: client request → exact upstream request; upstream response → exact client response. Streamed upstream
// bodies are also replayed one byte per chunk and at seeded random boundaries, and must give the same bytes.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { header, randomChunks, requestHeaders, ROOT, startPlugin } from "../support/plugin";

const CASES = path.join(ROOT, "tests", "fixtures", "translate");

interface Case {
  client: "anthropic" | "openai";
  provider: "openai" | "claude";
  path: string;
  options?: { model?: string; reasoningContentMode?: string; nowSeconds?: number; dropUnsupported?: boolean; anthropicVersion?: string };
  /** Fields the gateway leaves out of the upstream request, announced in x-ai-proxy-dropped-params. */
  dropped?: string[];
  status: number;
  clientStatus: number;
}

function read(dir: string, name: string): Buffer | null {
  const p = path.join(dir, name);
  return fs.existsSync(p) ? fs.readFileSync(p) : null;
}

function configFor(c: Case): object {
  const provider: any = { type: c.provider, apiTokens: ["sk-golden"] };
  if (c.options?.model) provider.modelMapping = { "*": c.options.model };
  if (c.options?.reasoningContentMode) provider.reasoningContentMode = c.options.reasoningContentMode;
  if (c.options?.dropUnsupported) provider.dropUnsupportedParams = true;
  if (c.options?.anthropicVersion) provider.claudeVersion = c.options.anthropicVersion;
  return { provider };
}

const UPSTREAM_PATH = { openai: "/v1/chat/completions", claude: "/v1/messages" } as const;

for (const name of fs.readdirSync(CASES).sort()) {
  const dir = path.join(CASES, name);
  if (name.startsWith("_") || !fs.statSync(dir).isDirectory()) continue;
  const c: Case = JSON.parse(fs.readFileSync(path.join(dir, "case.json"), "utf8"));
  const clientRequest = read(dir, "client-request.json")!;
  const wantUpstream = read(dir, "upstream-request.json");
  const sse = read(dir, "upstream-response.sse");
  const upstreamBody = sse ?? read(dir, "upstream-response.json");
  const wantClient = read(dir, "client-response.sse") ?? read(dir, "client-response.json")!;
  const now = c.options?.nowSeconds;

  describe(`golden ${name}`, () => {
    const chunkings: Array<[string, (b: Buffer) => Uint8Array[]]> = [["whole", (b) => [b]]];
    if (sse) {
      chunkings.push(["one byte per chunk", (b) => Array.from(b, (_, i) => b.subarray(i, i + 1))]);
      for (const seed of [1, 2, 3]) chunkings.push([`random chunks (seed ${seed})`, (b) => randomChunks(b, seed, 48)]);
    }
    for (const [how, chunk] of chunkings) {
      test(how, async () => {
        const { plugin, vm } = await startPlugin(configFor(c), now ? { now: () => BigInt(now) * 1_000_000_000n } : {});
        const extra: Array<[string, string]> = c.client === "anthropic" ? [["anthropic-version", "2023-06-01"], ["x-api-key", "client-key"]] : [["authorization", "Bearer client-key"]];
        let upstreamCalls = 0;
        const r = await plugin.exchange({
          request: { headers: requestHeaders(c.path, extra), body: clientRequest },
          upstream: () => {
            upstreamCalls++;
            const ct = sse ? "text/event-stream" : upstreamBody && upstreamBody[0] === 0x3c /* < */ ? "text/html" : "application/json";
            return { status: c.status, headers: [["content-type", ct]], body: upstreamBody ? chunk(upstreamBody) : [] };
          },
        });
        assert.equal(r.trap, null, String(r.trap));
        if (wantUpstream === null) {
          assert.equal(upstreamCalls, 0, "a refused request never reaches the upstream");
        } else {
          const up = r.upstreamRequest!;
          // The client's query string is kept only when no protocol conversion happens.
          const sameProtocol = (c.client === "anthropic") === (c.provider === "claude");
          const query = c.path.includes("?") ? c.path.slice(c.path.indexOf("?")) : "";
          assert.equal(up.path, UPSTREAM_PATH[c.provider] + (sameProtocol ? query : ""));
          assert.equal(Buffer.from(up.body).toString(), wantUpstream.toString());
          assert.equal(header(up.headers, "authorization") ?? header(up.headers, "x-api-key"), c.provider === "claude" ? "sk-golden" : "Bearer sk-golden");
        }
        assert.equal(r.status, c.clientStatus);
        assert.equal(r.bodyText, wantClient.toString());
        assert.equal(header(r.headers, "x-ai-proxy-dropped-params") ?? null, c.dropped ? c.dropped.join(",") : null);
        assert.equal(vm.trap, null);
      });
    }
  });
}
