// What today's real clients send (recorded by tests/clients/record/record.mjs, scrubbed), driven through
// build/ai-proxy.wasm: every recorded request must be accepted by both kinds of provider. Converted, it must
// give the reviewed upstream request in <scenario>.expected.json (and announce exactly the fields it left
// out); unconverted, it must reach the provider unchanged, with the client's anthropic-version and
// anthropic-beta. UPDATE_RECORDED=1 rewrites the expected files (review the diff by hand).
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { header, requestHeaders, ROOT, startPlugin } from "../support/plugin";

const DIR = path.join(ROOT, "tests", "clients", "recorded");
const UPDATE = process.env.UPDATE_RECORDED === "1";

interface Recording { client: string; version: string; scenario: string; path: string; headers: Record<string, string>; body: any }

const TARGETS = {
  openai: { provider: { type: "openai", apiTokens: ["sk-golden"], modelMapping: { "*": "gpt-5.2" } }, path: "/v1/chat/completions" },
  claude: { provider: { type: "claude", apiTokens: ["sk-golden"], modelMapping: { "*": "claude-opus-5-5" } }, path: "/v1/messages" },
} as const;

function answer(kind: "openai" | "claude", stream: boolean): { ct: string; body: string } {
  if (kind === "openai") {
    if (!stream) return { ct: "application/json", body: JSON.stringify({ id: "chatcmpl-r", object: "chat.completion", created: 1, model: "gpt-5.2", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, logprobs: null, finish_reason: "stop" }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } }) };
    const c = (d: object) => `data: ${JSON.stringify({ id: "chatcmpl-r", object: "chat.completion.chunk", created: 1, model: "gpt-5.2", ...d })}\n\n`;
    return { ct: "text/event-stream", body: c({ choices: [{ index: 0, delta: { role: "assistant", content: "ok" }, finish_reason: null }] }) + c({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) + "data: [DONE]\n\n" };
  }
  const usage = { input_tokens: 3, output_tokens: 1 };
  if (!stream) return { ct: "application/json", body: JSON.stringify({ id: "msg_r", type: "message", role: "assistant", model: "claude-opus-5-5", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage }) };
  const e = (t: string, d: object) => `event: ${t}\ndata: ${JSON.stringify({ type: t, ...d })}\n\n`;
  return {
    ct: "text/event-stream",
    body: e("message_start", { message: { id: "msg_r", type: "message", role: "assistant", model: "claude-opus-5-5", content: [], stop_reason: null, stop_sequence: null, usage } }) +
      e("content_block_start", { index: 0, content_block: { type: "text", text: "" } }) + e("content_block_delta", { index: 0, delta: { type: "text_delta", text: "ok" } }) +
      e("content_block_stop", { index: 0 }) + e("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 1 } }) + e("message_stop", {}),
  };
}

const recordings: Array<[string, Recording]> = [];
if (fs.existsSync(DIR)) {
  for (const client of fs.readdirSync(DIR).sort()) {
    const cdir = path.join(DIR, client);
    if (!fs.statSync(cdir).isDirectory()) continue;
    for (const f of fs.readdirSync(cdir).sort()) {
      if (f.endsWith(".json") && !f.endsWith(".expected.json")) recordings.push([path.join(cdir, f), JSON.parse(fs.readFileSync(path.join(cdir, f), "utf8"))]);
    }
  }
}

test("recordings are present for Claude Code and both vendors' Python and Node SDKs", () => {
  const clients = new Set(recordings.map(([, r]) => r.client));
  for (const c of ["claude-code", "anthropic-node", "anthropic-python", "openai-node", "openai-python"]) assert.ok(clients.has(c), `no recording of ${c}`);
});

for (const [file, rec] of recordings) {
  const anthropicClient = rec.path.startsWith("/v1/messages");
  const name = `${rec.client}@${rec.version} ${rec.scenario}`;
  describe(`recorded ${name}`, () => {
    const clientHeaders: Array<[string, string]> = Object.entries(rec.headers).filter(([k]) => !k.startsWith("x-recorded-"));
    clientHeaders.push(rec.headers["x-recorded-credential-header"] === "x-api-key" ? ["x-api-key", "client-key"] : ["authorization", "Bearer client-key"]);
    const bodyBytes = Buffer.from(JSON.stringify(rec.body));
    for (const kind of ["openai", "claude"] as const) {
      const converts = anthropicClient !== (kind === "claude");
      test(converts ? `converted for provider ${kind}` : `unchanged for provider ${kind}`, async () => {
        const t = TARGETS[kind];
        const { plugin } = await startPlugin({ provider: converts ? t.provider : { ...t.provider, modelMapping: undefined } });
        const a = answer(kind, rec.body.stream === true);
        const r = await plugin.exchange({
          request: { headers: requestHeaders(rec.path, clientHeaders), body: bodyBytes },
          upstream: () => ({ status: 200, headers: [["content-type", a.ct]], body: [Buffer.from(a.body)] }),
        });
        assert.equal(r.trap, null);
        assert.equal(r.status, 200, r.bodyText.slice(0, 500));
        const up = r.upstreamRequest!;
        assert.ok(up, "the request reached the provider");
        const sent = JSON.parse(Buffer.from(up.body).toString());
        const dropped = header(r.headers, "x-ai-proxy-dropped-params") ?? "";
        if (!converts) {
          assert.deepEqual(sent, rec.body);
          assert.equal(dropped, "");
          if (anthropicClient) {
            assert.equal(header(up.headers, "anthropic-version"), rec.headers["anthropic-version"]);
            assert.equal(header(up.headers, "anthropic-beta"), rec.headers["anthropic-beta"]);
          }
          return;
        }
        assert.equal(up.path, t.path);
        const expFile = file.replace(/\.json$/, ".expected.json");
        if (UPDATE) fs.writeFileSync(expFile, JSON.stringify({ provider: kind, upstreamBody: sent, dropped }, null, 2) + "\n");
        const exp = JSON.parse(fs.readFileSync(expFile, "utf8"));
        assert.equal(exp.provider, kind);
        assert.deepEqual(sent, exp.upstreamBody);
        assert.equal(dropped, exp.dropped);
        if (kind === "openai") {
          assert.equal(header(up.headers, "anthropic-version"), undefined);
          assert.equal(header(up.headers, "anthropic-beta"), undefined);
        } else {
          assert.equal(header(up.headers, "anthropic-version"), "2023-06-01");
        }
      });
    }
  });
}
