// OpenAI image generation request → Imagen predict request (Gemini API
// https://ai.google.dev/gemini-api/docs/imagen#imagen-configuration; Vertex AI's Imagen takes the same body):
//   {"instances":[{"prompt":<prompt>}],"parameters":{"sampleCount":<n>,"aspectRatio":<from size>}}
// `n` defaults to 1 as in OpenAI (Imagen's own default is 4). `size` WxH → the nearest of Imagen's aspect ratios
// (1:1, 3:4, 4:3, 9:16, 16:9); "auto" leaves Imagen's default. Imagen answers with the image bytes only: `response_format`
// "url" cannot be honoured (refused, or dropped and announced with dropUnsupportedParams); quality, style,
// background, output_format and the like have no Imagen counterpart and are dropped and announced.

import { JsonWriter } from "../../json/writer";
import { readModel, readRequestBody, RequestResult, TranslateOptions } from "../common";
import { isEmptyString, keyIn, kindName } from "../util";

const IGNORED: Array<string> = ["model", "prompt", "n", "size", "response_format", "user"];

/** Imagen's aspect ratios and their width / height. */
const RATIOS: Array<string> = ["1:1", "3:4", "4:3", "9:16", "16:9"];
const RATIO_VALUES: Array<f64> = [1.0, 0.75, 4.0 / 3.0, 9.0 / 16.0, 16.0 / 9.0];

export function openaiToImagenRequest(body: Uint8Array, opts: TranslateOptions): RequestResult {
  const read = readRequestBody(body);
  if (read.failure !== null) return read.failure!;
  const root = read.root!;
  const res = new RequestResult();
  const modelProblem = readModel(root, opts, res);
  if (modelProblem.length) return RequestResult.failure(400, modelProblem);
  if (res.upstreamModel.length == 0) return RequestResult.failure(400, "model: field required");
  const prompt = root.get("prompt");
  if (prompt == null || !prompt.isString() || isEmptyString(prompt)) return RequestResult.failure(400, "prompt: must be a non-empty string, got " + kindName(prompt));
  const nV = root.get("n");
  let n: i64 = 1;
  if (nV != null && !nV.isNull()) {
    if (!nV.isNumber() || !nV.isInteger() || nV.asI64(0) < 1) return RequestResult.failure(400, "n: must be an integer of at least 1");
    n = nV.asI64(1);
  }
  let ratio = "";
  const size = root.get("size");
  if (size != null && !size.isNull()) {
    if (!size.isString()) return RequestResult.failure(400, "size: must be a string such as 1024x1024");
    const s = size.str();
    if (s != "auto") {
      ratio = nearestRatio(s);
      if (ratio.length == 0) return RequestResult.failure(400, "size: must be WIDTHxHEIGHT (such as 1024x1024) or auto");
    }
  }
  const format = root.get("response_format");
  if (format != null && !format.isNull() && !format.equals("b64_json")) {
    if (!format.equals("url")) return RequestResult.failure(400, "response_format: must be url or b64_json");
    if (!opts.dropUnsupported) return RequestResult.failure(400, "response_format: Imagen returns the images themselves, not URLs: ask for b64_json (the provider's dropUnsupportedParams answers b64_json instead)");
    res.drop("response_format");
  }
  const fields = root.iter();
  while (fields.next()) if (!fields.value.isNull() && !keyIn(fields.key!, IGNORED)) res.drop(fields.key!.str());

  const w = new JsonWriter(body.length + 96);
  w.beginObject().key("instances").beginArray().beginObject().key("prompt").raw(prompt).endObject().endArray();
  w.key("parameters").beginObject().fieldInt("sampleCount", n);
  if (ratio.length) w.fieldString("aspectRatio", ratio);
  w.endObject().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** "1792x1024" → "16:9" (the nearest Imagen ratio); "" when `size` is not WxH with positive integers. */
function nearestRatio(size: string): string {
  const x = size.indexOf("x");
  if (x <= 0 || x == size.length - 1) return "";
  const wv = digits(size.substring(0, x)), hv = digits(size.substring(x + 1));
  if (wv <= 0 || hv <= 0) return "";
  const r = <f64>wv / <f64>hv;
  let best = 0;
  for (let i = 1; i < RATIOS.length; i++) if (Math.abs(Math.log(RATIO_VALUES[i] / r)) < Math.abs(Math.log(RATIO_VALUES[best] / r))) best = i;
  return RATIOS[best];
}

function digits(s: string): i32 {
  if (s.length == 0 || s.length > 6) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}
