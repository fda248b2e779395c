// Every row of docs/field-policy.md is a test: its request (merged into the table's base request) goes
// through build/ai-proxy.wasm, and the row's check must hold for its policy. Rows marked "(flag)" are
// also sent with the provider's dropUnsupportedParams, which must turn the refusal into an announced drop.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { header, requestHeaders, ROOT, startPlugin } from "../support/plugin";

interface Row { field: string; policy: string; flag: boolean; request: any; check: string }

const DOC = fs.readFileSync(path.join(ROOT, "docs", "field-policy.md"), "utf8");

function unquote(cell: string): string {
  const c = cell.trim();
  return c.startsWith("`") && c.endsWith("`") ? c.slice(1, -1) : c;
}

function rows(marker: string): Row[] {
  const start = DOC.indexOf(`<!-- policy:${marker} -->`);
  assert.ok(start >= 0, `docs/field-policy.md has no table ${marker}`);
  const lines = DOC.slice(start).split("\n").slice(1);
  const out: Row[] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith("|")) break;
    const cells = line.split(" | ");
    const policyCell = cells[1].trim();
    out.push({
      field: cells[0].replace(/^\|\s*/, "").trim(), policy: policyCell.split(" ")[0], flag: policyCell.includes("(flag)"),
      request: JSON.parse(unquote(cells[2])), check: unquote(cells[3]),
    });
  }
  return out;
}

/** `a.b[0].c` in `v`; undefined when any step is missing. */
function at(v: any, p: string): any {
  for (const step of p.split(/\.|(?=\[)/)) {
    if (v === null || v === undefined) return undefined;
    const m = /^\[(\d+)\]$/.exec(step);
    v = m ? (Array.isArray(v) ? v[Number(m[1])] : undefined) : typeof v === "object" ? v[step] : undefined;
  }
  return v;
}

const TABLES = {
  "anthropic-openai": {
    base: { model: "gpt-4o", max_tokens: 100, messages: [{ role: "user", content: "hi" }] },
    provider: { type: "openai", apiTokens: ["sk-policy"] }, path: "/v1/messages", headers: [["anthropic-version", "2023-06-01"], ["x-api-key", "k"]] as Array<[string, string]>,
    answer: { ct: "application/json", body: JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }) },
  },
  "openai-anthropic": {
    base: { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "hi" }] },
    provider: { type: "claude", apiTokens: ["sk-policy"] }, path: "/v1/chat/completions", headers: [["authorization", "Bearer k"]] as Array<[string, string]>,
    answer: { ct: "application/json", body: JSON.stringify({ id: "m", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } }) },
  },
  "responses-openai": {
    base: { model: "gpt-4.1", input: "hi" },
    provider: { type: "deepseek", apiTokens: ["sk-policy"] }, path: "/v1/responses", headers: [["authorization", "Bearer k"]] as Array<[string, string]>,
    answer: { ct: "application/json", body: JSON.stringify({ id: "c", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }) },
  },
  "openai-gemini": {
    base: { model: "gemini-2.5-flash", messages: [{ role: "user", content: "hi" }] },
    provider: { type: "gemini", apiTokens: ["sk-policy"] }, path: "/v1/chat/completions", headers: [["authorization", "Bearer k"]] as Array<[string, string]>,
    answer: { ct: "application/json", body: JSON.stringify({ candidates: [{ content: { parts: [{ text: "ok" }], role: "model" }, finishReason: "STOP", index: 0 }], usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 } }) },
  },
} as const;

async function send(table: keyof typeof TABLES, request: any, extraProvider: object) {
  const t = TABLES[table];
  const { _provider, ...patch } = request;
  const body = { ...t.base, ...patch };
  // Gemini's URL names the model: the request headers wait for the body (Envoy >= 1.35 allow_on_headers_stop_iteration).
  const { plugin } = await startPlugin({ provider: { ...t.provider, ...(_provider ?? {}), ...extraProvider } }, { allowOnHeadersStopIteration: true });
  const r = await plugin.exchange({
    request: { headers: requestHeaders(t.path, t.headers), body: Buffer.from(JSON.stringify(body)) },
    upstream: () => ({ status: 200, headers: [["content-type", t.answer.ct]], body: [Buffer.from(t.answer.body)] }),
  });
  assert.equal(r.trap, null);
  const sent = r.upstreamRequest ? JSON.parse(Buffer.from(r.upstreamRequest.body).toString()) : null;
  const dropped = (header(r.headers, "x-ai-proxy-dropped-params") ?? "").split(",").filter((s) => s.length > 0);
  return { status: r.status, text: r.bodyText, sent, dropped };
}

for (const table of Object.keys(TABLES) as Array<keyof typeof TABLES>) {
  const list = rows(table);
  describe(`field policy ${table}`, () => {
    test("the table has rows of every policy", () => {
      for (const p of ["mapped", "dropped", "ignored", "refused"]) assert.ok(list.some((r) => r.policy === p), `no ${p} row`);
    });
    for (const row of list) {
      test(`${row.field}: ${row.policy}`, async () => {
        const r = await send(table, row.request, {});
        if (row.policy === "refused") {
          assert.equal(r.status, 400, `want a 400, got ${r.status}: ${r.text}`);
          assert.equal(r.sent, null, "a refused request never reaches the provider");
          assert.ok(r.text.includes(JSON.stringify(row.check).slice(1, -1)), `message ${r.text} lacks ${row.check}`);
          if (row.flag) {
            const d = await send(table, row.request, { dropUnsupportedParams: true });
            assert.equal(d.status, 200, d.text);
            assert.ok(d.dropped.length > 0, "with dropUnsupportedParams the drop is announced");
          }
          return;
        }
        assert.equal(r.status, 200, r.text);
        assert.ok(r.sent, "the request reached the provider");
        if (row.policy === "dropped") {
          assert.ok(r.dropped.includes(row.check), `x-ai-proxy-dropped-params [${r.dropped}] lacks ${row.check}`);
          const top = row.check.split(".")[0];
          if (!row.check.includes(".")) assert.equal(top in r.sent, false, `${top} still reached the provider`);
          return;
        }
        if (row.check.startsWith("!")) {
          assert.equal(at(r.sent, row.check.slice(1)), undefined, `${row.check.slice(1)} reached the provider: ${JSON.stringify(r.sent)}`);
        } else {
          const eq = row.check.indexOf("=");
          const p = eq < 0 ? row.check : row.check.slice(0, eq);
          const got = at(r.sent, p);
          assert.notEqual(got, undefined, `${p} missing in ${JSON.stringify(r.sent)}`);
          if (eq >= 0) assert.deepEqual(got, JSON.parse(row.check.slice(eq + 1)), `${p} in ${JSON.stringify(r.sent)}`);
        }
        assert.equal(r.dropped.includes(row.field), false);
      });
    }
  });
}
