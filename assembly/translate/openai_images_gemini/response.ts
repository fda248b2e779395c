// A Gemini image model's generateContent answer → OpenAI's image response
// (https://platform.openai.com/docs/api-reference/images/object), for generations, edits and variations alike:
//   {"created":now,"data":[{"b64_json":…},…],"usage":{"total_tokens","input_tokens","output_tokens",
//    "input_tokens_details":{"text_tokens","image_tokens"}}}
// Every candidate's inlineData image part is one `data` item, its base64 copied as it came; thought parts (a thinking
// model's draft images, `thought: true`) and text parts are left out. An answer without an image (finishReason SAFETY,
// a text-only reply) gets `"data":[]`, as Higress answers it. usage (when usageMetadata is there): input =
// promptTokenCount (split by promptTokensDetails' TEXT and IMAGE modalities), output = candidatesTokenCount +
// thoughtsTokenCount, total = totalTokenCount. Errors: as for chat (Google's error object → OpenAI's). An event stream in
// its place ends in an in-stream error (never reaches the client as Gemini's own shape).
import { parseJson } from "../../json/parse";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Protocol } from "../../protocol/api";
import { TranslateOptions } from "../common";
import { WholeAnswerTranslator } from "../whole-answer";
import { OpenAIGeminiResponse } from "../openai_gemini/response";

export class OpenAIImagesGeminiResponse extends WholeAnswerTranslator {
  constructor(opts: TranslateOptions, stream: bool) {
    super(Protocol.Gemini, opts, "Gemini answered images with an event stream");
  }

  error(status: i32, body: Uint8Array): Uint8Array {
    return new OpenAIGeminiResponse(this.opts, false).error(status, body);
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    if (status < 200 || status >= 300) return this.error(status, whole);
    const root = parseJson(whole).value;
    if (root === null || !root.isObject()) return this.invalid("upstream returned a response that is not JSON");
    if (root.has("error")) return this.errorAnswer(root.get("error")!.getInt("code", 502), whole);
    const candidates = root.get("candidates");
    if (candidates !== null && !candidates.isArray()) return this.invalid("upstream response: candidates is not an array");
    const model = root.getString("modelVersion");
    if (model !== null) this.model = model;

    const w = new JsonWriter(whole.length + 128);
    w.beginObject().fieldInt("created", this.opts.nowSeconds).key("data").beginArray();
    if (candidates !== null) {
      const ci = candidates.iter();
      while (ci.next()) {
        const c = ci.value;
        const content = c.isObject() ? c.get("content") : null;
        const parts = content !== null && content.isObject() ? content.get("parts") : null;
        if (parts === null || !parts.isArray()) continue;
        const pi = parts.iter();
        while (pi.next()) {
          const p = pi.value;
          if (!p.isObject() || p.getBool("thought", false)) continue;
          const inline = p.get("inlineData");
          const data = inline !== null && inline.isObject() ? inline.get("data") : null;
          if (data === null || !data.isString() || data.end - data.start <= 2) continue;
          w.beginObject().key("b64_json").raw(data).endObject();
        }
      }
    }
    w.endArray();
    const usage = root.get("usageMetadata");
    if (usage !== null && usage.isObject()) this.writeUsage(w, usage);
    w.endObject();
    return w.take();
  }

  private writeUsage(w: JsonWriter, u: JsonValue): void {
    const prompt = u.getInt("promptTokenCount", 0);
    const output = u.getInt("candidatesTokenCount", 0) + u.getInt("thoughtsTokenCount", 0);
    const total = u.has("totalTokenCount") ? u.getInt("totalTokenCount", 0) : prompt + output;
    let text: i64 = 0, image: i64 = 0;
    const details = u.get("promptTokensDetails");
    if (details !== null && details.isArray()) {
      const it = details.iter();
      while (it.next()) {
        const d = it.value;
        if (!d.isObject()) continue;
        if (d.memberEquals("modality", "TEXT")) text += d.getInt("tokenCount", 0);
        else if (d.memberEquals("modality", "IMAGE")) image += d.getInt("tokenCount", 0);
      }
    } else text = prompt;
    this.usage.inputTokens = prompt;
    this.usage.outputTokens = output;
    w.key("usage").beginObject().fieldInt("total_tokens", total).fieldInt("input_tokens", prompt).fieldInt("output_tokens", output)
      .key("input_tokens_details").beginObject().fieldInt("text_tokens", text).fieldInt("image_tokens", image).endObject().endObject();
  }
}
