// OpenAI Images requests (https://platform.openai.com/docs/api-reference/images: generations, edits, variations;
// edits and variations as JSON or multipart/form-data) → a Gemini image model's generateContent request
// (https://cloud.google.com/vertex-ai/generative-ai/docs/multimodal/image-generation, ImageConfig in
// https://cloud.google.com/vertex-ai/generative-ai/docs/reference/rest/v1/GenerationConfig).
//
// Output, keys in this order (absent ones skipped):
//   {"contents":[{"role":"user","parts":[{"text":prompt},{"inlineData":{"mimeType","data"}}|{"fileData":{"mimeType"?,
//    "fileUri"}}…]}],"generationConfig":{"responseModalities":["TEXT","IMAGE"],"imageConfig":{"aspectRatio",
//    "imageSize","imageOutputOptions":{"mimeType","compressionQuality"}}}}
// The model is in the URL; the provider module adds safetySettings. Fields:
//   prompt → the text part (required for generations and edits; variations take "Create variations of the provided
//   image." as Higress does); image / images / image_url (a data: URL, an http(s) URL; as a string, {url},
//   {image_url: string|{url}}), multipart image / image[] files → inlineData (base64) or fileData; size WxH → the
//   nearest documented aspectRatio and, above 1.5 MP, imageSize 2K (≤ 4.5 MP) or 4K; "auto" or none → Google's
//   default (1:1 for a prompt, the input's ratio for an edit); output_format → imageOutputOptions.mimeType,
//   output_compression → compressionQuality; response_format b64_json (the only form Gemini answers in), user and
//   partial_images are accepted. No counterpart, refused unless dropUnsupportedParams (then left out and announced):
//   n > 1, response_format url, quality other than auto/standard, style, background other than auto, moderation low,
//   input_fidelity high, mask / mask_url. stream true and file_id images are refused.
import { utf8Decode } from "../../bytes/utf8";
import { base64EncodeInto } from "../../crypto/base64";
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { parseJson } from "../../json/parse";
import { interopProblem } from "../../json/interop";
import { FormPart, parseFormData, partText } from "../../multipart/form";
import { multipartBoundary } from "../../multipart/model-field";
import { RequestResult, TranslateOptions, upstreamModelFor } from "../common";

/** Higress's prompt for variations (OpenAI's variations API has none; Gemini needs one). */
export const VARIATION_PROMPT = "Create variations of the provided image.";

const GENERATION: i32 = 0;
const EDIT: i32 = 1;
const VARIATION: i32 = 2;

/** An input image: inline bytes to encode, an inline base64 text slice, or a URL Google fetches. */
class ImageInput {
  mime: string = "";
  /** Raw bytes (a multipart file), base64-encoded on output. */
  bytes: Uint8Array | null = null;
  /** Base64 text already: src[start, end) (the JSON string's inside, escapes kept, or a multipart text value). */
  src: Uint8Array | null = null;
  start: i32 = 0;
  end: i32 = 0;
  uri: string = "";
}

/** What the three APIs say, whichever encoding carried it. */
class ImageRequest {
  model: string = "";
  prompt: string = "";
  hasPrompt: bool = false;
  size: string = "";
  n: i64 = 1;
  responseFormat: string = "";
  outputFormat: string = "";
  compression: i64 = -1;
  quality: string = "";
  style: string = "";
  background: string = "";
  moderation: string = "";
  inputFidelity: string = "";
  stream: bool = false;
  mask: bool = false;
  images: Array<ImageInput> = [];
}

export function openaiImageGenerationToGemini(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return translate(body, opts, GENERATION);
}

export function openaiImageEditToGemini(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return translate(body, opts, EDIT);
}

export function openaiImageVariationToGemini(body: Uint8Array, opts: TranslateOptions): RequestResult {
  return translate(body, opts, VARIATION);
}

function translate(body: Uint8Array, opts: TranslateOptions, kind: i32): RequestResult {
  const req = new ImageRequest();
  const boundary = kind == GENERATION ? "" : multipartBoundary(opts.contentType);
  const problem = boundary.length > 0 ? readForm(body, boundary, req) : readJson(body, req, kind);
  if (problem.length > 0) return RequestResult.failure(400, problem);
  const res = new RequestResult();
  res.requestedModel = req.model;
  res.upstreamModel = upstreamModelFor(opts, req.model);
  if (req.stream) return RequestResult.failure(400, "stream: streamed image generation is not offered by Gemini image models (send stream false)");
  if (kind != GENERATION && req.images.length == 0) return RequestResult.failure(400, "image: an input image is required");
  if (kind == GENERATION && req.images.length > 0) return RequestResult.failure(400, "image: image generation takes no input image (use /v1/images/edits)");
  if (kind != VARIATION && (!req.hasPrompt || req.prompt.length == 0)) return RequestResult.failure(400, "prompt: is required");
  const prompt = kind == VARIATION && req.prompt.length == 0 ? VARIATION_PROMPT : req.prompt;

  // Fields with no Gemini counterpart: refused, or left out and announced.
  const refused = unsupported(req, kind);
  for (let i = 0; i < refused.length; i++) {
    if (!opts.dropUnsupported) return RequestResult.failure(400, refused[i] + ": has no counterpart on Gemini image models (set dropUnsupportedParams to leave it out)");
    res.drop(refused[i].substring(0, refused[i].indexOf(" ") > 0 ? refused[i].indexOf(" ") : refused[i].length));
  }

  let aspect = "", imageSize = "";
  if (req.size.length > 0 && req.size != "auto") {
    const x = req.size.indexOf("x");
    const w = x > 0 ? parseDim(req.size.substring(0, x)) : -1;
    const h = x > 0 ? parseDim(req.size.substring(x + 1)) : -1;
    if (w <= 0 || h <= 0) return RequestResult.failure(400, "size: must be auto or WIDTHxHEIGHT such as 1024x1024, got \"" + clip(req.size) + "\"");
    aspect = nearestAspectRatio(<f64>w / <f64>h);
    const pixels = <f64>w * <f64>h;
    imageSize = pixels <= 1.5e6 ? "" : pixels <= 4.5e6 ? "2K" : "4K";
  }
  let mime = "";
  if (req.outputFormat.length > 0) {
    if (req.outputFormat == "png") mime = "image/png";
    else if (req.outputFormat == "jpeg" || req.outputFormat == "jpg") mime = "image/jpeg";
    else if (req.outputFormat == "webp") mime = "image/webp";
    else return RequestResult.failure(400, "output_format: must be png, jpeg or webp, got \"" + clip(req.outputFormat) + "\"");
  }
  if (req.compression != -1 && (req.compression < 0 || req.compression > 100)) return RequestResult.failure(400, "output_compression: must be an integer from 0 to 100");

  let size = prompt.length + 256;
  for (let i = 0; i < req.images.length; i++) {
    const im = req.images[i];
    size += im.bytes !== null ? im.bytes!.length * 4 / 3 + 64 : im.end - im.start + im.uri.length + 64;
  }
  const w = new JsonWriter(size);
  w.beginObject().key("contents").beginArray().beginObject().fieldString("role", "user").key("parts").beginArray();
  w.beginObject().fieldString("text", prompt).endObject();
  for (let i = 0; i < req.images.length; i++) writeImage(w, req.images[i]);
  w.endArray().endObject().endArray();
  w.key("generationConfig").beginObject().key("responseModalities").beginArray().string("TEXT").string("IMAGE").endArray();
  if (aspect.length > 0 || mime.length > 0 || req.compression >= 0) {
    w.key("imageConfig").beginObject();
    if (aspect.length > 0) w.fieldString("aspectRatio", aspect);
    if (imageSize.length > 0) w.fieldString("imageSize", imageSize);
    if (mime.length > 0 || req.compression >= 0) {
      w.key("imageOutputOptions").beginObject();
      if (mime.length > 0) w.fieldString("mimeType", mime);
      if (req.compression >= 0) w.fieldInt("compressionQuality", req.compression);
      w.endObject();
    }
    w.endObject();
  }
  w.endObject().endObject();
  res.ok = true;
  res.body = w.take();
  return res;
}

/** The fields whose values have no counterpart (each "field" or "field …" for the message). */
function unsupported(req: ImageRequest, kind: i32): Array<string> {
  const out = new Array<string>();
  if (req.n > 1) out.push("n (more than one image)");
  if (req.responseFormat == "url") out.push("response_format url (Gemini answers with the image data, b64_json)");
  if (req.quality.length > 0 && req.quality != "auto" && req.quality != "standard") out.push("quality");
  if (req.style.length > 0) out.push("style");
  if (req.background.length > 0 && req.background != "auto") out.push("background");
  if (req.moderation.length > 0 && req.moderation != "auto") out.push("moderation (safety is geminiSafetySetting)");
  if (req.inputFidelity.length > 0 && req.inputFidelity != "low") out.push("input_fidelity");
  if (req.mask) out.push("mask (Gemini edits take no mask)");
  return out;
}

function writeImage(w: JsonWriter, im: ImageInput): void {
  if (im.uri.length > 0) {
    w.beginObject().key("fileData").beginObject();
    if (im.mime.length > 0) w.fieldString("mimeType", im.mime);
    w.fieldString("fileUri", im.uri).endObject().endObject();
    return;
  }
  w.beginObject().key("inlineData").beginObject().fieldString("mimeType", im.mime).key("data").openString();
  const bytes = im.bytes;
  if (bytes !== null) base64EncodeInto(w.buf, bytes);
  else w.buf.pushSlice(im.src!, im.start, im.end);
  w.closeString().endObject().endObject();
}

// ---------------------------------------------------------------- JSON bodies

function readJson(body: Uint8Array, req: ImageRequest, kind: i32): string {
  const parsed = parseJson(body);
  const root = parsed.value;
  if (root === null) return "request body is not valid JSON: " + parsed.error;
  if (!root.isObject()) return "request body must be a JSON object";
  const interop = interopProblem(root);
  if (interop.length > 0) return "request body: " + interop;
  const it = root.iter();
  while (it.next()) {
    const k = it.key!;
    const v = it.value;
    if (k.equals("model") || k.equals("prompt") || k.equals("size") || k.equals("response_format") || k.equals("output_format") ||
      k.equals("quality") || k.equals("style") || k.equals("background") || k.equals("moderation") || k.equals("input_fidelity") || k.equals("user")) {
      if (v.isNull()) continue;
      if (!v.isString()) return k.str() + ": must be a string";
      setText(req, k.str(), v.str());
    } else if (k.equals("n") || k.equals("output_compression") || k.equals("partial_images")) {
      if (v.isNull()) continue;
      if (!v.isNumber() || !v.isInteger()) return k.str() + ": must be an integer";
      const n = root.getInt(k.str(), 0);
      if (k.equals("n")) { if (n < 1) return "n: must be at least 1"; req.n = n; }
      else if (k.equals("output_compression")) req.compression = n;
    } else if (k.equals("stream")) {
      if (!v.isNull() && !v.isBool()) return "stream: must be a boolean";
      req.stream = v.isBool() && v.asBool();
    } else if (k.equals("image") || k.equals("image_url")) {
      if (v.isNull()) continue;
      const p = v.isArray() ? readImageList(v, k.str(), req) : readImage(v, k.str(), req);
      if (p.length > 0) return p;
    } else if (k.equals("images")) {
      if (v.isNull()) continue;
      if (!v.isArray()) return "images: must be an array";
      const p = readImageList(v, "images", req);
      if (p.length > 0) return p;
    } else if (k.equals("mask") || k.equals("mask_url")) {
      if (!v.isNull()) req.mask = true;
    }
  }
  return "";
}

function setText(req: ImageRequest, field: string, value: string): void {
  if (field == "model") req.model = value;
  else if (field == "prompt") { req.prompt = value; req.hasPrompt = true; }
  else if (field == "size") req.size = value;
  else if (field == "response_format") req.responseFormat = value;
  else if (field == "output_format") req.outputFormat = value;
  else if (field == "quality") req.quality = value;
  else if (field == "style") req.style = value;
  else if (field == "background") req.background = value;
  else if (field == "moderation") req.moderation = value;
  else if (field == "input_fidelity") req.inputFidelity = value;
}

function readImageList(list: JsonValue, field: string, req: ImageRequest): string {
  const it = list.iter();
  while (it.next()) {
    const p = readImage(it.value, field + "[" + it.index.toString() + "]", req);
    if (p.length > 0) return p;
  }
  return "";
}

/** A string URL, {url}, {image_url: string | {url}}; {file_id} has no counterpart. */
function readImage(v: JsonValue, at: string, req: ImageRequest): string {
  let url: JsonValue | null = v;
  if (v.isObject()) {
    if (v.has("file_id")) return at + ".file_id: uploaded files cannot be sent to Gemini (send the image as a data: or https URL)";
    const iu = v.get("image_url");
    if (iu !== null) url = iu.isObject() ? iu.get("url") : iu;
    else url = v.get("url");
  }
  if (url === null || !url.isString()) return at + ": must be an image URL (a data: or https URL), {\"url\"} or {\"image_url\"}";
  return addUrl(url.source, url.start + 1, url.end - 1, at, req);
}

/** A data: URL (`data:<mime>;base64,<data>`) or an http(s) URL in src[s, e) (JSON string inside or form text). */
function addUrl(src: Uint8Array, s: i32, e: i32, at: string, req: ImageRequest): string {
  const im = new ImageInput();
  if (e - s > 5 && src[s] == 0x64 && src[s + 1] == 0x61 && src[s + 2] == 0x74 && src[s + 3] == 0x61 && src[s + 4] == 0x3A) {
    let semi = -1, comma = -1;
    for (let i = s + 5; i < e; i++) {
      const c = src[i];
      if (c == 0x3B && semi < 0) semi = i;
      if (c == 0x2C) { comma = i; break; }
    }
    if (comma < 0 || semi < 0 || utf8Decode(src, semi + 1, comma) != "base64") return at + ": a data URL must read data:<mime type>;base64,<data>";
    im.mime = utf8Decode(src, s + 5, semi).trim().toLowerCase();
    if (!im.mime.startsWith("image/")) return at + ": the data URL is not an image (" + clip(im.mime) + ")";
    im.src = src;
    im.start = comma + 1;
    im.end = e;
    req.images.push(im);
    return "";
  }
  const text = utf8Decode(src, s, e);
  const lower = text.toLowerCase();
  if (!lower.startsWith("https://") && !lower.startsWith("http://") && !lower.startsWith("gs://")) {
    return at + ": must be a data: URL or an http(s) or gs:// URL";
  }
  if (text.indexOf("\\") >= 0) return at + ": the URL must not hold JSON escapes";
  im.uri = text;
  im.mime = mimeOfName(lower);
  req.images.push(im);
  return "";
}

// ---------------------------------------------------------------- multipart bodies

function readForm(body: Uint8Array, boundary: string, req: ImageRequest): string {
  const form = parseFormData(body, boundary);
  if (form.error.length > 0) return form.error;
  for (let i = 0; i < form.parts.length; i++) {
    const p = form.parts[i];
    const name = p.name;
    if (name == "image" || name == "image[]" || name.startsWith("image[")) {
      const problem = addFormImage(body, p, name, req);
      if (problem.length > 0) return problem;
    } else if (name == "mask" || name == "mask[]" || name.startsWith("mask[")) {
      if (p.end > p.start) req.mask = true;
    } else if (name == "n" || name == "output_compression" || name == "partial_images") {
      const text = partText(body, p).trim();
      const v = parseDim(text);
      if (v < 0) return name + ": must be an integer";
      if (name == "n") { if (v < 1) return "n: must be at least 1"; req.n = v; }
      else if (name == "output_compression") req.compression = v;
    } else if (name == "stream") {
      const t = partText(body, p).trim();
      req.stream = t == "true";
    } else if (!p.isFile) {
      setText(req, name, partText(body, p).trim());
    }
  }
  return "";
}

function addFormImage(body: Uint8Array, p: FormPart, name: string, req: ImageRequest): string {
  if (!p.isFile) {
    // A URL sent as a text field.
    let s = p.start, e = p.end;
    while (s < e && isSpace(body[s])) s++;
    while (e > s && isSpace(body[e - 1])) e--;
    if (s == e) return "";
    return addUrl(body, s, e, name, req);
  }
  if (p.end == p.start) return "";
  const im = new ImageInput();
  let mime = p.contentType;
  const semi = mime.indexOf(";");
  if (semi >= 0) mime = mime.substring(0, semi);
  mime = mime.trim().toLowerCase();
  if (mime.length == 0 || mime == "application/octet-stream") mime = sniffImage(body, p.start, p.end);
  if (mime.length == 0) mime = mimeOfName(p.filename.toLowerCase());
  if (!mime.startsWith("image/")) return name + ": \"" + clip(p.filename) + "\" is not a recognised image (send PNG, JPEG or WEBP with its content type)";
  im.mime = mime;
  im.bytes = body.subarray(p.start, p.end);
  req.images.push(im);
  return "";
}

/** The image type by its magic number; "" when not known. */
function sniffImage(b: Uint8Array, s: i32, e: i32): string {
  const n = e - s;
  if (n >= 8 && b[s] == 0x89 && b[s + 1] == 0x50 && b[s + 2] == 0x4E && b[s + 3] == 0x47) return "image/png";
  if (n >= 3 && b[s] == 0xFF && b[s + 1] == 0xD8 && b[s + 2] == 0xFF) return "image/jpeg";
  if (n >= 12 && b[s] == 0x52 && b[s + 1] == 0x49 && b[s + 2] == 0x46 && b[s + 3] == 0x46 && b[s + 8] == 0x57 && b[s + 9] == 0x45 && b[s + 10] == 0x42 && b[s + 11] == 0x50) return "image/webp";
  if (n >= 6 && b[s] == 0x47 && b[s + 1] == 0x49 && b[s + 2] == 0x46 && b[s + 3] == 0x38) return "image/gif";
  return "";
}

/** The image type a file name or URL path names by its extension; "" when not an image extension. */
function mimeOfName(lower: string): string {
  let name = lower;
  const q = name.indexOf("?");
  if (q >= 0) name = name.substring(0, q);
  const h = name.indexOf("#");
  if (h >= 0) name = name.substring(0, h);
  const dot = name.lastIndexOf(".");
  if (dot < 0 || dot < name.lastIndexOf("/")) return "";
  const ext = name.substring(dot + 1);
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "gif") return "image/gif";
  if (ext == "heic") return "image/heic";
  if (ext == "heif") return "image/heif";
  return "";
}

// ---------------------------------------------------------------- size

/** The aspect ratios Gemini image models document (ImageConfig.aspectRatio). */
const RATIOS: Array<string> = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"];
const RATIO_VALUES: Array<f64> = [1.0, 2.0 / 3.0, 1.5, 0.75, 4.0 / 3.0, 0.8, 1.25, 9.0 / 16.0, 16.0 / 9.0, 21.0 / 9.0];

/** The documented ratio nearest to `r` (by the ratio of the two, so 1792x1024 → 16:9, 1536x1024 → 3:2). */
export function nearestAspectRatio(r: f64): string {
  let best = 0;
  let bestDist = f64.MAX_VALUE;
  for (let i = 0; i < RATIOS.length; i++) {
    const q = r / RATIO_VALUES[i];
    const d = q >= 1.0 ? q : 1.0 / q; // exp(|ln q|): the same order as the log distance, without Math.log
    if (d < bestDist) { bestDist = d; best = i; }
  }
  return RATIOS[best];
}

/** Decimal digits (1–5 of them) as a number; -1 otherwise. */
function parseDim(s: string): i64 {
  if (s.length == 0 || s.length > 5) return -1;
  let v: i64 = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

function isSpace(c: u8): bool { return c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A; }

function clip(s: string): string { return s.length > 40 ? s.substring(0, 40) + "…" : s; }
