import { multipartBoundary, ModelMapper, MultipartModelRewriter } from "../multipart/model-field";
import { utf8Decode, utf8Encode } from "../bytes";
import { parseFormData, partText } from "../multipart/form";

class ToWhisper extends ModelMapper {
  map(requested: string): string { return requested == "gpt-4o-transcribe" ? "whisper-large-v3" : requested; }
}

// An audio transcription upload as the openai SDKs send it (RFC 7578 form-data: file, model, response_format).
const B = "----formdata-undici-0123456789";
const BODY = "--" + B + "\r\n" +
  "Content-Disposition: form-data; name=\"file\"; filename=\"a.mp3\"\r\nContent-Type: audio/mpeg\r\n\r\n" +
  "ID3\u0001\u0002--" + B.substring(0, 10) + "\r\n-x\r\n" +
  "\r\n--" + B + "\r\n" +
  "Content-Disposition: form-data; name=\"model\"\r\n\r\n" +
  "gpt-4o-transcribe" +
  "\r\n--" + B + "\r\n" +
  "content-disposition: form-data; name=\"response_format\"\r\n\r\n" +
  "json" +
  "\r\n--" + B + "--\r\n";
const WANT = BODY.replace("gpt-4o-transcribe", "whisper-large-v3");

function rewrite(body: string, piece: i32): string {
  const r = new MultipartModelRewriter(B, new ToWhisper());
  const bytes = utf8Encode(body);
  let out = "";
  for (let i = 0; i < bytes.length; i += piece) out += utf8Decode(r.push(bytes.subarray(i, min(i + piece, bytes.length))));
  out += utf8Decode(r.finish());
  expect<string>(r.error).toBe("");
  return out;
}

describe("multipart model field", () => {
  it("reads the boundary of multipart/form-data only", () => {
    expect<string>(multipartBoundary("multipart/form-data; boundary=" + B)).toBe(B);
    expect<string>(multipartBoundary("Multipart/Form-Data; boundary=\"abc def\"; charset=utf-8")).toBe("abc def");
    expect<string>(multipartBoundary("application/json")).toBe("");
    expect<string>(multipartBoundary("multipart/form-data")).toBe("");
  });

  it("maps the model and passes every other byte, at any split", () => {
    for (let piece = 1; piece <= 40; piece++) expect<string>(rewrite(BODY, piece)).toBe(WANT);
    expect<string>(rewrite(BODY, 100000)).toBe(WANT);
  });

  it("reports the model it saw and leaves a body without one unchanged", () => {
    const r = new MultipartModelRewriter(B, new ToWhisper());
    r.push(utf8Encode(BODY));
    r.finish();
    expect<string>(r.requestedModel).toBe("gpt-4o-transcribe");
    expect<string>(r.upstreamModel).toBe("whisper-large-v3");
    const noModel = BODY.replace("name=\"model\"", "name=\"language\"");
    expect<string>(rewrite(noModel, 7)).toBe(noModel);
  });

  it("holds back at most a delimiter's length of a large part", () => {
    const r = new MultipartModelRewriter(B, new ToWhisper());
    const head = "--" + B + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n";
    const out1 = r.push(utf8Encode(head));
    expect<i32>(out1.length).toBe(head.length);
    const chunk = new Uint8Array(65536);
    chunk.fill(0x41);
    const out2 = r.push(chunk);
    expect<bool>(out2.length >= 65536 - B.length - 4).toBe(true);
  });

  it("refuses a model field or part headers past their bounds", () => {
    const r = new MultipartModelRewriter(B, new ToWhisper());
    r.push(utf8Encode("--" + B + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + "m".repeat(5000)));
    expect<bool>(r.error.length > 0).toBe(true);
    const h = new MultipartModelRewriter(B, new ToWhisper());
    h.push(utf8Encode("--" + B + "\r\nX-Long: " + "h".repeat(20000)));
    expect<bool>(h.error.length > 0).toBe(true);
  });
});

describe("multipart form read whole (multipart/form.ts)", () => {
  it("reads names, file names, content types and values in place; a value may hold the boundary's start", () => {
    const body = utf8Encode(BODY);
    const f = parseFormData(body, B);
    expect<string>(f.error).toBe("");
    expect<i32>(f.parts.length).toBe(3);
    const file = f.get("file")!;
    expect<bool>(file.isFile).toBe(true);
    expect<string>(file.filename).toBe("a.mp3");
    expect<string>(file.contentType).toBe("audio/mpeg");
    expect<string>(partText(body, file)).toBe("ID3\u0001\u0002--" + B.substring(0, 10) + "\r\n-x\r\n");
    expect<bool>(f.get("model")!.isFile).toBe(false);
    expect<string>(partText(body, f.get("model")!)).toBe("gpt-4o-transcribe");
    expect<string>(partText(body, f.get("response_format")!)).toBe("json");
    expect<bool>(f.get("prompt") === null).toBe(true);
  });

  it("takes a preamble, quoted parameters with ; and escapes, and a part without headers", () => {
    const body = utf8Encode("preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"a;b\"; filename=\"c \\\"d\\\".png\"\r\n\r\nA\r\n--xyz\r\n\r\nB\r\n--xyz--");
    const f = parseFormData(body, "xyz");
    expect<string>(f.error).toBe("");
    expect<i32>(f.parts.length).toBe(2);
    expect<string>(f.parts[0].name).toBe("a;b");
    expect<string>(f.parts[0].filename).toBe("c \"d\".png");
    expect<string>(partText(body, f.parts[0])).toBe("A");
    expect<string>(f.parts[1].name).toBe("");
    expect<string>(partText(body, f.parts[1])).toBe("B");
  });

  it("refuses, as a value, a body cut before its close delimiter, another boundary, or unterminated headers", () => {
    expect<string>(parseFormData(utf8Encode(BODY.substring(0, BODY.length - 30)), B).error).not.toBe("");
    expect<string>(parseFormData(utf8Encode(BODY), "other").error).not.toBe("");
    expect<string>(parseFormData(utf8Encode("--xyz\r\nContent-Disposition: form-data"), "xyz").error).not.toBe("");
    expect<string>(parseFormData(utf8Encode("--xyzjunk"), "xyz").error).not.toBe("");
    expect<string>(parseFormData(new Uint8Array(0), "xyz").error).not.toBe("");
  });
});
