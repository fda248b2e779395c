// Hostile clients (issue 5): every malformed or abusive request gets the exact 4xx in the client's own protocol, a
// message that says what is wrong, nothing reaches the upstream, and the same VM then serves a good request.
import { describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { errorShapeProblem } from "../fuzz/harness";
import { start } from "../fuzz/harness";
import { header } from "../support/plugin";
import { A, both, CASES, cat, GOOD, O, PATH } from "./client-cases";
import type { Proto } from "./streams";

const OPENAI_KEY = "sk-hostile-openai-0123456789";
const CLAUDE_KEY = "sk-ant-hostile-0123456789";
const CLIENT_KEY = "client-own-key-0123456789";


function headers(proto: Proto, extra: Array<[string, string]> = [], method = "POST", path = PATH[proto]): Array<[string, string]> {
  const h: Array<[string, string]> = [[":method", method], [":path", path], [":authority", "gateway.local"], ["content-type", "application/json"]];
  if (proto === "anthropic") h.push(["anthropic-version", "2023-06-01"]);
  return [...h, ...extra];
}

/** Upstream answers in the protocol of the path it was sent to. */
function goodUpstream(path: string) {
  const body = path.includes("/v1/messages")
    ? JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "m", content: [{ type: "text", text: "ok" }], stop_reason: "end_turn", usage: { input_tokens: 1, output_tokens: 1 } })
    : JSON.stringify({ id: "c1", object: "chat.completion", model: "m", choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }] });
  return { status: 200, headers: [["content-type", "application/json"]] as Array<[string, string]>, body };
}

async function vmFor(provider: "openai" | "claude", extra: object = {}) {
  return start({ provider: provider === "openai" ? { type: "openai", apiTokens: [OPENAI_KEY] } : { type: "claude", apiTokens: [CLAUDE_KEY] }, ...extra });
}

for (const provider of ["openai", "claude"] as const) {
  describe(`hostile clients (provider ${provider})`, () => {
    for (const proto of ["openai", "anthropic"] as const) {
      for (const c of CASES) {
        test(`${proto} client: ${c.name} → ${c.status}`, async () => {
          const { vm, plugin } = await vmFor(provider);
          let called = false;
          const body = c.body[proto];
          const r = await plugin.exchange({ request: { headers: headers(proto), body: body ?? undefined }, upstream: (req) => { called = true; return goodUpstream(req.path); } });
          assert.equal(vm.trap, null);
          assert.equal(called, false, "the upstream was called");
          assert.equal(r.status, c.status, r.bodyText.slice(0, 300));
          assert.equal(errorShapeProblem(proto, r.bodyText), null);
          const err = JSON.parse(r.bodyText);
          assert.equal(proto === "anthropic" ? err.error.type : err.error.type, "invalid_request_error");
          assert.match(err.error.message, c.message);
          // The same VM keeps serving.
          const good = await plugin.exchange({ request: { headers: headers(proto), body: GOOD[proto] }, upstream: (req) => goodUpstream(req.path) });
          assert.equal(good.status, 200, good.bodyText);
          assert.equal(vm.trap, null);
        });
      }
    }
  });
}

describe("numbers that are valid JSON pass", () => {
  for (const n of ["-0", "1e-999", "0.000000000000000000001", "123456789012345678901234567890"]) {
    test(`temperature ${n} is forwarded unchanged`, async () => {
      const { plugin } = await vmFor("openai");
      const body = `{"model":"gpt-4o","temperature":${n},"messages":[{"role":"user","content":"hi"}]}`;
      const r = await plugin.exchange({ request: { headers: headers("openai"), body }, upstream: (req) => goodUpstream(req.path) });
      assert.equal(r.status, 200, r.bodyText);
      assert.ok(Buffer.from(r.upstreamRequest!.body).toString().includes(`"temperature":${n}`));
    });
  }
});

describe("size limit, paths and methods", () => {
  for (const proto of ["openai", "anthropic"] as const) {
    test(`${proto} client: a body over maxRequestBodyBytes → 413 in the client's protocol, upstream not called`, async () => {
      const { vm, plugin } = await vmFor("openai", { maxRequestBodyBytes: 4096 });
      let called = false;
      const big = proto === "openai" ? O(JSON.stringify("x".repeat(10000))) : A(JSON.stringify("x".repeat(10000)));
      const chunks = [big.slice(0, 3000), big.slice(3000, 6000), big.slice(6000)];
      const r = await plugin.exchange({ request: { headers: headers(proto), body: chunks }, upstream: (req) => { called = true; return goodUpstream(req.path); } });
      assert.equal(called, false);
      assert.equal(r.status, 413, r.bodyText);
      assert.equal(errorShapeProblem(proto, r.bodyText), null);
      assert.match(JSON.parse(r.bodyText).error.message, /4096|too large|exceeds/i);
      const good = await plugin.exchange({ request: { headers: headers(proto), body: GOOD[proto] }, upstream: (req) => goodUpstream(req.path) });
      assert.equal(good.status, 200);
      assert.equal(vm.trap, null);
    });

    test(`${proto} client: an unknown path → 404 naming the path`, async () => {
      const { plugin } = await vmFor("openai");
      let called = false;
      const r = await plugin.exchange({ request: { headers: headers(proto, [], "POST", "/v1/not-an-api"), body: "{}" }, upstream: (req) => { called = true; return goodUpstream(req.path); } });
      assert.equal(called, false);
      assert.equal(r.status, 404);
      assert.equal(errorShapeProblem(proto, r.bodyText), null);
      assert.match(JSON.parse(r.bodyText).error.message, /\/v1\/not-an-api/);
    });

    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) {
      test(`${proto} client: ${method} ${PATH[proto]} → 405 with Allow: POST`, async () => {
        const { vm, plugin } = await vmFor("claude");
        let called = false;
        const r = await plugin.exchange({ request: { headers: headers(proto, [], method) }, upstream: (req) => { called = true; return goodUpstream(req.path); } });
        assert.equal(called, false);
        assert.equal(r.status, 405, r.bodyText);
        assert.equal(header(r.headers, "allow"), "POST");
        assert.equal(errorShapeProblem(proto, r.bodyText), null);
        assert.match(JSON.parse(r.bodyText).error.message, new RegExp(`method ${method} is not allowed.*use POST`));
        const good = await plugin.exchange({ request: { headers: headers(proto), body: GOOD[proto] }, upstream: (req) => goodUpstream(req.path) });
        assert.equal(good.status, 200);
        assert.equal(vm.trap, null);
      });
    }
  }

  test("GET /v1/models is still forwarded (it is a GET API)", async () => {
    const { plugin } = await vmFor("openai");
    const r = await plugin.exchange({
      request: { headers: [[":method", "GET"], [":path", "/v1/models"], [":authority", "gateway.local"]] },
      upstream: () => ({ status: 200, headers: [["content-type", "application/json"]], body: '{"object":"list","data":[]}' }),
    });
    assert.equal(r.status, 200);
  });
});

describe("secrets", () => {
  for (const provider of ["openai", "claude"] as const) {
    for (const proto of ["openai", "anthropic"] as const) {
      test(`${proto} client → ${provider}: client credentials are never forwarded (headers and query)`, async () => {
        const { plugin } = await vmFor(provider);
        const extra: Array<[string, string]> = [["authorization", "Bearer " + CLIENT_KEY], ["x-api-key", CLIENT_KEY], ["api-key", CLIENT_KEY], ["proxy-authorization", "Basic " + CLIENT_KEY]];
        const sameProtocol = (proto === "openai") === (provider === "openai");
        const r = await plugin.exchange({
          request: { headers: headers(proto, extra, "POST", PATH[proto] + "?key=" + CLIENT_KEY + "&beta=true&api_key=" + CLIENT_KEY), body: GOOD[proto] },
          upstream: (req) => goodUpstream(req.path),
        });
        const up = r.upstreamRequest!;
        for (const [k, v] of up.headers) assert.ok(!v.includes(CLIENT_KEY), `client key forwarded in ${k}`);
        assert.ok(!up.path.includes(CLIENT_KEY), up.path);
        if (sameProtocol) assert.ok(up.path.endsWith("?beta=true"), up.path); // other query parameters still follow
        const key = provider === "openai" ? header(up.headers, "authorization") : header(up.headers, "x-api-key");
        assert.equal(key, provider === "openai" ? "Bearer " + OPENAI_KEY : CLAUDE_KEY);
        assert.equal(header(up.headers, "x-hi-original-auth"), undefined);
      });

      test(`${proto} client → ${provider}: an upstream 401 that echoes the provider key never shows it`, async () => {
        const { vm, plugin } = await vmFor(provider);
        const key = provider === "openai" ? OPENAI_KEY : CLAUDE_KEY;
        const echo = provider === "openai"
          ? JSON.stringify({ error: { message: `Incorrect API key provided: ${key}.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } })
          : JSON.stringify({ type: "error", error: { type: "authentication_error", message: `invalid x-api-key ${key}` } });
        const r = await plugin.exchange({ request: { headers: headers(proto), body: GOOD[proto] }, upstream: () => ({ status: 401, headers: [["content-type", "application/json"]], body: echo }) });
        assert.equal(r.status, 401);
        assert.ok(!r.bodyText.includes(key), r.bodyText);
        assert.match(r.bodyText, /\[REDACTED\]/);
        assert.equal(errorShapeProblem(proto, r.bodyText), null);
        for (const l of vm.logs) assert.ok(!l.message.includes(key), l.message);
      });
    }
  }

  test("an API forwarded without translation (/v1/models) also never echoes the key", async () => {
    const { plugin } = await vmFor("openai");
    const r = await plugin.exchange({
      request: { headers: [[":method", "GET"], [":path", "/v1/models"], [":authority", "gateway.local"]] },
      upstream: () => ({ status: 401, headers: [["content-type", "application/json"], ["content-length", "60"]], body: `{"error":{"message":"bad key ${OPENAI_KEY}","type":"x"}}` }),
    });
    assert.equal(r.status, 401);
    assert.ok(!r.bodyText.includes(OPENAI_KEY), r.bodyText);
  });

  test("short tokens (under 8 bytes) are not redacted: they would match ordinary text", async () => {
    const { plugin } = await start({ provider: { type: "openai", apiTokens: ["k"] } });
    const r = await plugin.exchange({
      request: { headers: headers("openai"), body: GOOD.openai },
      upstream: () => ({ status: 400, headers: [["content-type", "application/json"]], body: '{"error":{"message":"keep talking","type":"invalid_request_error"}}' }),
    });
    assert.equal(JSON.parse(r.bodyText).error.message, "keep talking");
  });
});
