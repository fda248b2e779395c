// OpenAI embeddings → Gemini batchEmbedContents and OpenAI image generation → Imagen predict, both ways: exact bytes
// (https://ai.google.dev/api/embeddings, https://ai.google.dev/gemini-api/docs/imagen), 400s naming the field for bad
// requests, well-formed errors (never a trap) for garbage answers.
import { Schema, TranslateOptions, translateBody, responseTranslatorFor, RequestResult } from "../translate";
import { utf8Encode, utf8Decode } from "../bytes";

function s(b: Uint8Array): string { return utf8Decode(b); }
function b(x: string): Uint8Array { return utf8Encode(x); }
function opts(model: string = ""): TranslateOptions { const o = new TranslateOptions(); o.model = model; o.nowSeconds = 1700000000; return o; }
function embed(body: string, o: TranslateOptions = opts()): RequestResult { return translateBody(Schema.OpenAIEmbeddings, Schema.GeminiBatchEmbed, b(body), o); }
function image(body: string, o: TranslateOptions = opts()): RequestResult { return translateBody(Schema.OpenAIImageGenerations, Schema.GeminiImagenPredict, b(body), o); }
function bad(r: RequestResult, contains: string): void {
  expect<bool>(r.ok).toBe(false);
  expect<i32>(r.errorStatus).toBe(400);
  if (!r.errorMessage.includes(contains)) trace("message was: " + r.errorMessage);
  expect<bool>(r.errorMessage.includes(contains)).toBe(true);
}

describe("OpenAI embeddings → Gemini batchEmbedContents", () => {
  it("writes one request per input with the model and outputDimensionality", () => {
    const r = embed("{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\\\"c\"],\"dimensions\":256,\"user\":\"u\"}", opts("gemini-embedding-001"));
    expect<bool>(r.ok).toBe(true);
    expect<string>(s(r.body)).toBe("{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"a\"}]},\"outputDimensionality\":256}," +
      "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"b\\\"c\"}]},\"outputDimensionality\":256}]}");
    expect<i32>(r.dropped.length).toBe(0);
  });
  it("refuses what Gemini cannot embed", () => {
    bad(embed("{\"model\":\"m\",\"input\":[1,2]}"), "input.0: must be a string");
    bad(embed("{\"model\":\"m\",\"input\":[]}"), "input: must be a string or a non-empty array of strings, got an array");
    bad(embed("{\"model\":\"m\"}"), "input: must be a string or a non-empty array of strings");
    bad(embed("{\"input\":\"x\"}"), "model: field required");
    bad(embed("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}"), "dimensions");
    bad(embed("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}"), "encoding_format");
    bad(embed("nope"), "not valid JSON");
  });
  it("answers in OpenAI's list shape; garbage becomes a 502, never a trap", () => {
    const o = opts("gemini-embedding-001");
    const t = responseTranslatorFor(Schema.OpenAIEmbeddings, Schema.GeminiBatchEmbed, o, false);
    expect<string>(s(t.body(b("{\"embeddings\":[{\"values\":[0.5,-1e-3]}]}"), 200))).toBe(
      "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.5,-1e-3]}],\"model\":\"gemini-embedding-001\",\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0}}");
    expect<i32>(t.clientStatus(200)).toBe(200);
    const g = responseTranslatorFor(Schema.OpenAIEmbeddings, Schema.GeminiBatchEmbed, o, false);
    expect<bool>(s(g.body(b("{\"embeddings\":[{\"values\":\"x\"}]}"), 200)).includes("has no values")).toBe(true);
    expect<i32>(g.clientStatus(200)).toBe(502);
  });
  it("base64: little-endian float32 (1.0 = 00 00 80 3F)", () => {
    const o = opts("m");
    expect<bool>(embed("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"base64\"}", o).ok).toBe(true);
    const t = responseTranslatorFor(Schema.OpenAIEmbeddings, Schema.GeminiBatchEmbed, o, false);
    expect<bool>(s(t.body(b("{\"embeddings\":[{\"values\":[1,1]}]}"), 200)).includes("\"embedding\":\"AACAPwAAgD8=\"")).toBe(true);
  });
});

describe("OpenAI image generation → Imagen predict", () => {
  it("maps prompt, n and size", () => {
    const r = image("{\"model\":\"dall-e-3\",\"prompt\":\"a cat\",\"n\":3,\"size\":\"1024x1792\",\"style\":\"vivid\"}", opts("imagen-4.0-generate-001"));
    expect<bool>(r.ok).toBe(true);
    expect<string>(s(r.body)).toBe("{\"instances\":[{\"prompt\":\"a cat\"}],\"parameters\":{\"sampleCount\":3,\"aspectRatio\":\"9:16\"}}");
    expect<string>(r.dropped.join(",")).toBe("style");
    expect<string>(s(image("{\"model\":\"m\",\"prompt\":\"p\",\"size\":\"auto\"}").body)).toBe("{\"instances\":[{\"prompt\":\"p\"}],\"parameters\":{\"sampleCount\":1}}");
  });
  it("refuses what Imagen cannot do", () => {
    bad(image("{\"model\":\"m\",\"prompt\":\"\"}"), "prompt");
    bad(image("{\"model\":\"m\",\"prompt\":\"p\",\"n\":0}"), "n: must be an integer");
    bad(image("{\"model\":\"m\",\"prompt\":\"p\",\"size\":\"big\"}"), "size");
    bad(image("{\"model\":\"m\",\"prompt\":\"p\",\"size\":\"0x10\"}"), "size");
    bad(image("{\"model\":\"m\",\"prompt\":\"p\",\"response_format\":\"url\"}"), "response_format");
  });
  it("answers data[].b64_json; filtered images are skipped; garbage is a 502", () => {
    const t = responseTranslatorFor(Schema.OpenAIImageGenerations, Schema.GeminiImagenPredict, opts("m"), false);
    expect<string>(s(t.body(b("{\"predictions\":[{\"raiFilteredReason\":\"x\"},{\"bytesBase64Encoded\":\"QUJD\",\"mimeType\":\"image/png\"}]}"), 200))).toBe(
      "{\"created\":1700000000,\"data\":[{\"b64_json\":\"QUJD\"}]}");
    const g = responseTranslatorFor(Schema.OpenAIImageGenerations, Schema.GeminiImagenPredict, opts("m"), false);
    g.body(b("<html>"), 200);
    expect<i32>(g.clientStatus(200)).toBe(502);
    const f = responseTranslatorFor(Schema.OpenAIImageGenerations, Schema.GeminiImagenPredict, opts("m"), false);
    expect<bool>(s(f.body(b("{\"predictions\":[{\"raiFilteredReason\":\"blocked\"}]}"), 200)).includes("content_policy_violation")).toBe(true);
    expect<i32>(f.clientStatus(200)).toBe(400);
  });
});
