// `capabilities` (Higress ai-proxy, seed 001): an API name → the provider's own path for it. Every name Higress
// accepts loads without a warning and is served (videos excepted: warned, /v1/videos is not served here); the
// forwarded APIs' names work too; any other name is warned about and ignored, as Higress ignores it.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { json, requestHeaders, startPlugin } from "../support/plugin";

const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
const HIGRESS_NAMES = [
  "openai/v1/chatcompletions", "openai/v1/embeddings", "openai/v1/imagegeneration", "openai/v1/imageedit", "openai/v1/imagevariation",
  "openai/v1/audiospeech", "openai/v1/audiotranscription", "openai/v1/audiotranslation", "openai/v1/realtime", "openai/v1/responses",
  "cohere/v1/rerank",
];

test("capabilities: Higress's names load quietly and are served; unknown and video names are warned about and ignored", async () => {
  const capabilities: Record<string, string> = Object.fromEntries(HIGRESS_NAMES.map((n) => [n, `/custom/${n.split("/").pop()}`]));
  capabilities["openai/v1/moderations"] = "/custom/moderations";
  capabilities["openai/v1/videos"] = "/custom/videos";
  capabilities["openai/v1/bogus"] = "/custom/bogus";
  const { vm, plugin } = await startPlugin({ provider: { type: "openai", apiTokens: ["sk-test"], capabilities } });
  const warnings = vm.logs.map((l) => l.message).filter((m) => /capabilities/.test(m));
  assert.deepEqual(warnings.map((m) => /provider\.capabilities\.([^:]+):/.exec(m)?.[1]).sort(), ["openai/v1/bogus", "openai/v1/videos"]);
  assert.ok(warnings.some((m) => /openai\/v1\/videos: the videos API is not served by this gateway, ignored/.test(m)));
  assert.ok(warnings.some((m) => /openai\/v1\/bogus: unknown capability, ignored/.test(m)));

  const cases: Array<[string, object, string]> = [
    ["/v1/chat/completions", { model: "gpt-4o", messages: [{ role: "user", content: "Hi" }] }, "/custom/chatcompletions"],
    ["/v1/embeddings", { model: "text-embedding-3-small", input: "Hi" }, "/custom/embeddings"],
    ["/v1/responses", { model: "gpt-4o", input: "Hi" }, "/custom/responses"],
    ["/v1/audio/speech", { model: "tts-1", input: "Hi", voice: "alloy" }, "/custom/audiospeech"],
    ["/v1/images/generations", { model: "gpt-image-1", prompt: "A cat" }, "/custom/imagegeneration"],
    ["/v1/moderations", { model: "omni-moderation-latest", input: "Hi" }, "/custom/moderations"],
  ];
  for (const [path, body, want] of cases) {
    const r = await plugin.exchange({ request: { headers: requestHeaders(path), body: json(body) }, upstream: () => ({ status: 200, headers: JSON_CT, body: "{}" }) });
    assert.equal(r.upstreamRequest?.path, want, path);
  }
});
