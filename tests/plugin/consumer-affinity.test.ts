// Consumer affinity in key selection (Higress ai-proxy): requests to stateful APIs (stored responses, files,
// batches…) from one consumer (`x-mse-consumer`, set by Higress's key-auth) always use the same key, the one at
// FNV-1a-32(consumer) mod the number of keys; other APIs spread over the keys at random.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { header, json, requestHeaders, startPlugin } from "../support/plugin";

const KEYS = ["sk-a", "sk-b", "sk-c"];
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];

/** FNV-1a 32 over UTF-8 bytes (the hash Higress's GetTokenWithConsumerAffinity uses: Go's hash/fnv New32a). */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, "utf8")) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

test("consumer affinity: a consumer's Responses and Files requests keep the key Higress would pick; chat requests spread", async () => {
  const { plugin } = await startPlugin({ provider: { type: "openai", apiTokens: KEYS } });
  const keyFor = async (path: string, consumer: string, method = "POST") => {
    const r = await plugin.exchange({
      request: { headers: requestHeaders(path, [["x-mse-consumer", consumer]], method), body: method === "POST" ? json({ model: "gpt-4o-mini", input: "Hi", messages: [{ role: "user", content: "Hi" }] }) : undefined },
      upstream: () => ({ status: 200, headers: JSON_CT, body: "{}" }),
    });
    return header(r.upstreamRequest!.headers, "authorization");
  };
  for (const consumer of ["consumer-a", "team-b", "用户"]) {
    const want = `Bearer ${KEYS[fnv1a32(consumer) % KEYS.length]}`;
    for (let i = 0; i < 8; i++) assert.equal(await keyFor("/v1/responses", consumer), want, consumer);
    assert.equal(await keyFor("/v1/files", consumer, "GET"), want);
  }
  const chatKeys = new Set<string | undefined>();
  for (let i = 0; i < 40; i++) chatKeys.add(await keyFor("/v1/chat/completions", "consumer-a"));
  assert.ok(chatKeys.size > 1, "chat completions are not stateful: keys spread");
});
