// Gemini: http(s) image URLs in an OpenAI chat request are fetched by the plugin (a callout per distinct URL, through
// the request's cluster with the image's host as :authority, as Higress's gemini provider does) and sent as inlineData
// (https://ai.google.dev/api/caching#Blob: mimeType + base64 data); a URL whose fetch fails stays Gemini's fileData
// (https://ai.google.dev/gemini-api/docs/file-input-methods: Gemini fetches public URLs itself). Nothing of the
// client's or the provider's credentials goes to the image host; logs name the host, never the URL's query.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ClusterRequest, ProxyWasmHost } from "../../host";
import { header, json, requestHeaders, WASM } from "../support/plugin";

const HOST = "generativelanguage.googleapis.com";
const JSON_CT: Array<[string, string]> = [["content-type", "application/json"]];
// A 1×1 PNG (its signature and IHDR), served without a content type to be sniffed.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const answer = json({ candidates: [{ content: { parts: [{ text: "A cat." }], role: "model" }, finishReason: "STOP", index: 0 }] });

async function start(calls: ClusterRequest[], extra: Record<string, unknown> = {}) {
  const host = await ProxyWasmHost.load(WASM, {
    allowOnHeadersStopIteration: true,
    clusters: { [HOST]: (req) => {
      calls.push(req);
      const path = header(req.headers, ":path") ?? "";
      if (path.startsWith("/cat.png")) return { headers: [[":status", "200"]], body: PNG };
      if (path.startsWith("/dog.jpg")) return { headers: [[":status", "200"], ["content-type", "image/jpeg; charset=binary"]], body: JPEG };
      if (path.startsWith("/big.png")) return { headers: [[":status", "200"], ["content-type", "image/png"]], body: Buffer.concat([PNG, Buffer.alloc(4000)]) };
      if (path.startsWith("/page")) return { headers: [[":status", "200"], ["content-type", "text/html"]], body: "<html></html>" };
      return { headers: [[":status", "404"], ["content-type", "text/plain"]], body: "Image not found" };
    } },
  });
  const vm = await host.createVm({ vmId: `gemini-img-${process.pid}-${Math.random()}` });
  const plugin = vm.startPlugin({ configuration: { allowOnHeadersStopIteration: true, provider: { type: "gemini", apiTokens: ["AIza-key"], modelMapping: { "*": "gemini-2.5-flash" } }, ...extra } });
  assert.ok(plugin.ok, vm.logs.map((l) => l.message).join("\n"));
  return { vm, plugin };
}

const image = (url: string) => ({ type: "image_url", image_url: { url } });

test("gemini image URLs: fetched once each and sent inline; a failed or non-image fetch leaves the URL as fileData", async () => {
  const calls: ClusterRequest[] = [];
  const { vm, plugin } = await start(calls);
  const missing = "https://img.example.com/missing.jpg?X-Amz-Signature=sig-secret";
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions", [["authorization", "Bearer client-secret"]]), body: json({ model: "gpt-4o", messages: [{ role: "user", content: [
      { type: "text", text: "Compare" }, image("https://img.example.com/cat.png"), image("http://img.example.com/dog.jpg"), image(missing),
      image("https://img.example.com/page"), image("https://img.example.com/cat.png"), image("data:image/gif;base64,R0lGOD"),
    ] }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  // Four distinct http(s) URLs, four GETs; the data URL needs none.
  assert.deepEqual(calls.map((c) => [header(c.headers, ":method"), header(c.headers, ":authority"), header(c.headers, ":path")]), [
    ["GET", "img.example.com", "/cat.png"], ["GET", "img.example.com", "/dog.jpg"], ["GET", "img.example.com", "/missing.jpg?X-Amz-Signature=sig-secret"], ["GET", "img.example.com", "/page"],
  ]);
  for (const c of calls) {
    assert.equal(header(c.headers, "accept"), "image/*");
    for (const h of ["authorization", "x-goog-api-key", "x-api-key"]) assert.equal(header(c.headers, h), undefined, h);
  }
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).contents, [{ role: "user", parts: [
    { text: "Compare" },
    { inlineData: { mimeType: "image/png", data: PNG.toString("base64") } },
    { inlineData: { mimeType: "image/jpeg", data: JPEG.toString("base64") } },
    { fileData: { fileUri: missing } },
    { fileData: { fileUri: "https://img.example.com/page" } },
    { inlineData: { mimeType: "image/png", data: PNG.toString("base64") } },
    { inlineData: { mimeType: "image/gif", data: "R0lGOD" } },
  ] }]);
  const logs = vm.logs.map((l) => l.message).join("\n");
  assert.match(logs, /image fetch from img\.example\.com failed \(HTTP 404\)/);
  assert.match(logs, /image fetch from img\.example\.com failed \(not an image\)/);
  assert.doesNotMatch(logs, /sig-secret/);
});

test("gemini image URLs: an image larger than maxRequestBodyBytes is not inlined; a request without image URLs makes no callout", async () => {
  const calls: ClusterRequest[] = [];
  const { plugin } = await start(calls, { maxRequestBodyBytes: 1024 });
  const r = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: [image("https://i.example/big.png")] }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.equal(calls.length, 1);
  assert.deepEqual(JSON.parse(Buffer.from(r.upstreamRequest!.body).toString()).contents[0].parts, [{ fileData: { fileUri: "https://i.example/big.png" } }]);
  calls.length = 0;
  const plain = await plugin.exchange({
    request: { headers: requestHeaders("/v1/chat/completions"), body: json({ model: "m", messages: [{ role: "user", content: "Hi" }] }) },
    upstream: () => ({ status: 200, headers: JSON_CT, body: answer }),
  });
  assert.equal(plain.status, 200);
  assert.equal(calls.length, 0);
});
