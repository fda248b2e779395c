// AWS wire formats for tests, written independently of the plugin from AWS's documentation: event stream frames
// (application/vnd.amazon.eventstream: prelude with total and headers lengths and their CRC-32, string headers, JSON
// payload, message CRC-32 — https://docs.aws.amazon.com/transcribe/latest/dg/streaming-setting-up.html) as Bedrock's
// ConverseStream sends them, and SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
// computed with Node's crypto, to check the signatures the plugin sends.
import { createHash, createHmac } from "node:crypto";
import * as zlib from "node:zlib";

const crc32 = (b: Buffer): number => (zlib as unknown as { crc32(b: Buffer): number }).crc32(b);

/** One frame with string headers (value type 7) and `payload`. */
export function eventStreamFrame(headers: Record<string, string>, payload: Buffer | string): Buffer {
  const hs: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name), v = Buffer.from(value);
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h[0] = n.length;
    n.copy(h, 1);
    h[1 + n.length] = 7;
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    hs.push(h);
  }
  const hb = Buffer.concat(hs);
  const pb = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const total = 12 + hb.length + pb.length + 4;
  const prelude = Buffer.alloc(12);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(hb.length, 4);
  prelude.writeUInt32BE(crc32(prelude.subarray(0, 8)), 8);
  const body = Buffer.concat([prelude, hb, pb]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([body, crc]);
}

/** A ConverseStream event (`:event-type` messageStart, contentBlockDelta …) with its JSON payload. */
export function bedrockEvent(type: string, payload: object): Buffer {
  return eventStreamFrame({ ":event-type": type, ":content-type": "application/json", ":message-type": "event" }, JSON.stringify(payload));
}

/** A ConverseStream exception (`:message-type exception`, e.g. throttlingException) with its {"message"} payload. */
export function bedrockException(type: string, message: string): Buffer {
  return eventStreamFrame({ ":exception-type": type, ":content-type": "application/json", ":message-type": "exception" }, JSON.stringify({ message }));
}

/**
 * A stream fixture (`upstream-response.events.json`): [{"event": type, "payload": {...}}] or
 * [{"exception": type, "message": "…"}], as binary frames.
 */
export function framesFromFixture(list: Array<{ event?: string; exception?: string; payload?: object; message?: string }>): Buffer {
  return Buffer.concat(list.map((e) => (e.exception ? bedrockException(e.exception, e.message ?? "") : bedrockEvent(e.event!, e.payload ?? {}))));
}

/** RFC 3986 percent-encoding of one path segment (unreserved characters kept), as SigV4's canonical URI needs. */
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface SigV4Input {
  method: string;
  /** The path exactly as sent (already percent-encoded once). */
  path: string;
  /** Signed headers, lower-case names. */
  headers: Record<string, string>;
  body: Buffer | string;
  accessKey: string;
  secretKey: string;
  region: string;
  service: string;
  amzDate: string;
}

/** The Authorization header SigV4 gives `input` (non-S3 services: each path segment encoded once more). */
export function sigV4Authorization(input: SigV4Input): string {
  const names = Object.keys(input.headers).sort();
  const canonicalUri = input.path.split("?")[0].split("/").map(encodeSegment).join("/");
  const canonical = [
    input.method, canonicalUri, "",
    ...names.map((n) => `${n}:${input.headers[n].trim()}`), "",
    names.join(";"),
    createHash("sha256").update(input.body).digest("hex"),
  ].join("\n");
  const day = input.amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/${input.service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", input.amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
  let key: Buffer = createHmac("sha256", "AWS4" + input.secretKey).update(day).digest();
  for (const part of [input.region, input.service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
  const signature = createHmac("sha256", key).update(toSign).digest("hex");
  return `AWS4-HMAC-SHA256 Credential=${input.accessKey}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
}
