// Error bodies in both protocols, and conversion of an upstream error body (any shape, JSON or not)
// into the client's protocol. Nothing here traps: HTML, empty or binary bodies give a clear message.
//
// Output formats (compact JSON, keys in this order):
//   Anthropic: {"type":"error","error":{"type":T,"message":M}}
//   OpenAI:    {"error":{"message":M,"type":T,"param":null,"code":C|null}}
// In streams:
//   Anthropic: event: error\ndata: <Anthropic body>\n\n
//   OpenAI:    data: <OpenAI body>\n\ndata: [DONE]\n\n

import { ByteBuffer } from "../bytes/buffer";
import { utf8Decode } from "../bytes/utf8";
import { parseJson } from "../json/parse";
import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { Protocol } from "./api";
import { redactSecrets, redactString } from "./secrets";

/** Anthropic's error `type` for an HTTP status (https://docs.anthropic.com/en/api/errors). */
export function anthropicErrorType(status: i32): string {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 402: return "billing_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 413: return "request_too_large";
    case 429: return "rate_limit_error";
    case 500: return "api_error";
    case 502: return "api_error";
    case 503: return "overloaded_error";
    case 504: return "timeout_error";
    case 529: return "overloaded_error";
  }
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "api_error";
}

/** The HTTP status Anthropic uses for an error `type` (for in-stream errors, which carry no status). */
export function statusOfAnthropicType(type: string): i32 {
  if (type == "invalid_request_error") return 400;
  if (type == "authentication_error") return 401;
  if (type == "billing_error") return 402;
  if (type == "permission_error") return 403;
  if (type == "not_found_error") return 404;
  if (type == "request_too_large") return 413;
  if (type == "rate_limit_error") return 429;
  if (type == "timeout_error") return 504;
  if (type == "overloaded_error") return 529;
  return 500;
}

/** OpenAI-style error `type` for an HTTP status. */
export function openaiErrorType(status: i32): string {
  if (status == 401) return "authentication_error";
  if (status == 403) return "permission_error";
  if (status == 429) return "rate_limit_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "server_error";
}

/** Best guess of an HTTP status from an OpenAI-style error type/code (in-stream errors carry no status). */
export function statusOfOpenAIError(type: string, code: string): i32 {
  const t = type + " " + code;
  if (t.includes("rate_limit") || t.includes("insufficient_quota") || t == "tokens " || t == "requests ") return 429;
  if (t.includes("overloaded")) return 529;
  if (t.includes("invalid_api_key") || t.includes("authentication")) return 401;
  if (t.includes("permission")) return 403;
  if (t.includes("not_found")) return 404;
  if (t.includes("context_length") || t.includes("invalid_request")) return 400;
  return 500;
}

/**
 * The status a client of protocol `client` should see for an upstream status: unchanged, except
 * Anthropic's non-standard 529 which OpenAI clients get as 503, and non-error statuses which
 * become 502 (an error reply must not look like success).
 */
export function clientErrorStatus(client: Protocol, status: i32): i32 {
  if (status < 400 || status > 599) return 502;
  if (client == Protocol.OpenAI && status == 529) return 503;
  return status;
}

/** Writes the Anthropic error object into `w`. */
export function writeAnthropicError(w: JsonWriter, type: string, message: string): void {
  w.beginObject().fieldString("type", "error").key("error").beginObject()
    .fieldString("type", type).fieldString("message", message).endObject().endObject();
}

/** Writes the OpenAI error object into `w`; `code` "" → null. */
export function writeOpenAIError(w: JsonWriter, type: string, message: string, code: string): void {
  w.beginObject().key("error").beginObject().fieldString("message", message).fieldString("type", type).fieldNull("param");
  if (code.length) w.fieldString("code", code); else w.fieldNull("code");
  w.endObject().endObject();
}

/** Anthropic error body; `type` "" → from the status. */
export function anthropicErrorBody(status: i32, message: string, type: string = ""): Uint8Array {
  const w = new JsonWriter(128 + message.length);
  writeAnthropicError(w, type.length ? type : anthropicErrorType(status), message);
  return w.take();
}

/** OpenAI error body; `type` "" → from the status; `code` "" → null. */
export function openaiErrorBody(status: i32, message: string, type: string = "", code: string = ""): Uint8Array {
  const w = new JsonWriter(128 + message.length);
  writeOpenAIError(w, type.length ? type : openaiErrorType(status), message, code);
  return w.take();
}

/** An error body in `protocol`'s format for an error the gateway itself detected. */
export function errorBody(protocol: Protocol, status: i32, message: string): Uint8Array {
  return protocol == Protocol.Anthropic ? anthropicErrorBody(status, message) : openaiErrorBody(status, message);
}

/** What an upstream error body said, whatever its shape. */
export class ErrorInfo {
  message: string = "";
  /** The upstream's own type string ("" when none). */
  type: string = "";
  /** The upstream's code (OpenAI `code`, string or number as text; "" when none). */
  code: string = "";
  /** The body was JSON in Anthropic's error shape. */
  anthropicShape: bool = false;
  /** The body was JSON in OpenAI's error shape. */
  openaiShape: bool = false;
}

function scalarText(v: JsonValue | null): string {
  if (v == null) return "";
  if (v.isString()) return v.str();
  if (v.isNumber()) return v.rawString();
  return "";
}

/** Reads an error out of a parsed value. */
export function errorInfoFromValue(root: JsonValue, info: ErrorInfo): void {
  let v = root;
  let wrapped = false; // [{"error":...}] (Google-style): readable, but not the client's shape
  if (v.isArray() && v.length > 0) {
    const first = v.at(0);
    if (first != null) { v = first; wrapped = true; }
  }
  if (!v.isObject()) return;
  const e = v.get("error");
  if (e != null && e.isObject()) {
    info.message = scalarText(e.get("message"));
    info.type = scalarText(e.get("type"));
    info.code = scalarText(e.get("code"));
    const top = v.get("type");
    // Passed on unchanged only when the client's SDK can read it: string message (and type for Anthropic).
    const mv = e.get("message"), tv = e.get("type");
    const typed = mv != null && mv.isString() && (tv == null || tv.isString() || tv.isNull());
    if (wrapped || !typed) { /* rebuilt in the client's shape */ }
    else if (top != null && top.equals("error")) info.anthropicShape = tv != null && tv.isString();
    else if (top == null) info.openaiShape = true;
    if (info.message.length == 0) info.message = scalarText(v.get("message"));
    return;
  }
  if (e != null && e.isString()) { info.message = e.str(); return; }
  info.message = scalarText(v.get("message"));
  if (info.message.length == 0) info.message = scalarText(v.get("detail"));
  if (info.message.length == 0) info.message = scalarText(v.get("msg"));
  if (info.type.length == 0) info.type = scalarText(v.get("type"));
}

/** Text between <title> and </title> in an HTML page, or "". */
function htmlTitle(s: string): string {
  const lower = s.toLowerCase();
  const a = lower.indexOf("<title>");
  if (a < 0) return "";
  const b = lower.indexOf("</title>", a + 7);
  if (b < 0) return "";
  return s.substring(a + 7, b).trim();
}

/** Collapses runs of whitespace to one space and trims. */
function collapse(s: string): string {
  let out = "";
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c == 32 || c == 9 || c == 10 || c == 13) { space = true; continue; }
    if (space && out.length) out += " ";
    space = false;
    out += String.fromCharCode(c);
  }
  return out;
}

/** Extracts the error from an upstream body of any shape (JSON of either vendor, HTML, text, empty). */
export function extractError(status: i32, body: Uint8Array): ErrorInfo {
  const info = new ErrorInfo();
  const r = parseJson(body);
  const root = r.value;
  if (root != null) {
    errorInfoFromValue(root, info);
  } else if (body.length > 0) {
    // Not JSON: an HTML error page or plain text. Keep a short readable excerpt.
    const text = utf8Decode(body, 0, body.length > 2048 ? 2048 : body.length);
    const title = htmlTitle(text);
    let excerpt = title.length ? title : (text.trimStart().startsWith("<") ? "" : collapse(text));
    if (excerpt.length > 200) excerpt = excerpt.substring(0, 200) + "…";
    info.message = excerpt;
  }
  if (info.message.length == 0) {
    info.message = "upstream returned HTTP " + status.toString();
  } else if (root == null) {
    info.message = "upstream returned HTTP " + status.toString() + ": " + info.message;
  }
  return info;
}

/**
 * An upstream error body (status `status`, any shape) as an error body in `client`'s protocol.
 * A body already in the client's shape is returned unchanged.
 */
export function convertErrorBody(client: Protocol, status: i32, body: Uint8Array): Uint8Array {
  const info = extractError(status, body);
  // Upstreams echo the key they received ("Incorrect API key provided: sk-..."): never pass it on.
  if (client == Protocol.Anthropic) {
    if (info.anthropicShape) return redactSecrets(body);
    return redactSecrets(anthropicErrorBody(status, info.message));
  }
  if (info.openaiShape) return redactSecrets(body);
  // Keep the Anthropic type as the OpenAI `code`, so nothing is lost.
  return redactSecrets(openaiErrorBody(clientErrorStatus(Protocol.OpenAI, status), info.message, "", info.type));
}

/** An in-stream error event in `client`'s protocol (Anthropic `event: error`; OpenAI error chunk + [DONE]). */
export function streamErrorEvent(client: Protocol, status: i32, rawMessage: string, upstreamType: string = ""): Uint8Array {
  const message = redactString(rawMessage);
  const w = new JsonWriter(160 + message.length);
  const out = new ByteBuffer(200 + message.length);
  if (client == Protocol.Anthropic) {
    writeAnthropicError(w, anthropicErrorType(status), message);
    out.pushString("event: error\ndata: ");
    out.pushBuffer(w.buf);
    out.pushString("\n\n");
  } else {
    writeOpenAIError(w, openaiErrorType(status), message, upstreamType);
    out.pushString("data: ");
    out.pushBuffer(w.buf);
    out.pushString("\n\ndata: [DONE]\n\n");
  }
  return out.take();
}

/** A client- or upstream-given value echoed in an error message: at most `max` characters, printable ASCII, no quote or backslash. */
export function printable(v: string, max: i32): string {
  let out = "";
  for (let i = 0; i < v.length && i < max; i++) {
    const c = v.charCodeAt(i);
    out += c >= 0x20 && c < 0x7F && c != 0x22 && c != 0x5C ? String.fromCharCode(c) : "?";
  }
  return out;
}
