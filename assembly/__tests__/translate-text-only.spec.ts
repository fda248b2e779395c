// Upstreams that take text only (a Coze bot, a Dify app, DashScope's native text generation, Hunyuan's native API):
// a message's text parts are joined into one string; any other part is refused naming it and the upstream, and a
// content that is neither a string nor an array is refused too (translate/util.ts pushContentText).
import { RequestResult, TranslateOptions } from "../translate/common";
import { openaiToCozeRequest } from "../translate/openai_coze/request";
import { openaiToDifyRequest } from "../translate/openai_dify/request";
import { openaiToDashScopeRequest } from "../translate/openai_dashscope/request";
import { openaiToHunyuanRequest } from "../translate/openai_hunyuan/request";
import { utf8Encode, utf8Decode } from "../bytes";

function opts(): TranslateOptions { const o = new TranslateOptions(); o.model = "m"; return o; }
function body(content: string): Uint8Array {
  return utf8Encode("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":" + content + "}]}");
}
const PARTS = "[{\"type\":\"text\",\"text\":\"a\\\"b\"},{\"type\":\"text\",\"text\":\"c\"}]";
const IMAGE = "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}]";

function expectRefused(r: RequestResult, message: string): void {
  expect<bool>(r.ok).toBe(false);
  expect<i32>(r.errorStatus).toBe(400);
  expect<string>(r.errorMessage).toBe(message);
}
function expectHas(r: RequestResult, fragment: string): void {
  expect<bool>(r.ok).toBe(true);
  expect<bool>(utf8Decode(r.body).includes(fragment)).toBe(true);
}

describe("text-only upstreams", () => {
  it("Coze: text parts joined, other parts and contents refused", () => {
    expectHas(openaiToCozeRequest(body(PARTS), opts()), "\"content\":\"a\\\"bc\"");
    expectRefused(openaiToCozeRequest(body(IMAGE), opts()), "messages.0.content.1: only text parts reach a Coze bot");
    expectRefused(openaiToCozeRequest(body("5"), opts()), "messages.0.content: must be a string or an array");
  });

  it("Dify: text parts joined into the prompt, other parts and contents refused", () => {
    expectHas(openaiToDifyRequest(body(PARTS), opts()), "\"query\":\"USER: \\na\\\"bc\\n\"");
    expectRefused(openaiToDifyRequest(body(IMAGE), opts()), "messages.0.content.1: only text parts reach a Dify app");
    expectRefused(openaiToDifyRequest(body("5"), opts()), "messages.0.content: must be a string or an array");
  });

  it("DashScope text generation: text parts joined, other parts and contents refused", () => {
    expectHas(openaiToDashScopeRequest(body(PARTS), opts()), "{\"role\":\"user\",\"content\":\"a\\\"bc\"}");
    expectHas(openaiToDashScopeRequest(body("null"), opts()), "{\"role\":\"user\",\"content\":\"\"}");
    expectRefused(openaiToDashScopeRequest(body(IMAGE), opts()), "messages.0.content.1: only text parts are supported by the DashScope text-generation API (qwenEnableCompatible: true serves images)");
    expectRefused(openaiToDashScopeRequest(body("5"), opts()), "messages.0.content: must be a string or an array");
  });

  it("Hunyuan native: text parts joined, other parts and contents refused", () => {
    expectHas(openaiToHunyuanRequest(body(PARTS), opts()), "{\"Role\":\"user\",\"Content\":\"a\\\"bc\"}");
    expectRefused(openaiToHunyuanRequest(body(IMAGE), opts()), "messages.0.content.1: only text parts are supported by the Hunyuan native API (use apiTokens for the OpenAI-compatible endpoint)");
    expectRefused(openaiToHunyuanRequest(body("5"), opts()), "messages.0.content: must be a string or an array");
  });
});
