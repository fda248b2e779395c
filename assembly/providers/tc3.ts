// Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256 (https://cloud.tencent.com/document/api/213/30654), for
// POST requests to "/" with a JSON body (Hunyuan's native API: providers/hunyuan.ts).
import { hmacSha256, sha256, toHex } from "../crypto";

function utf8(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

function pad2(n: i32): string { return n < 10 ? "0" + n.toString() : n.toString(); }

/** "YYYY-MM-DD" (UTC) of a Unix time in seconds (days → civil date, proleptic Gregorian). */
export function utcDate(seconds: i64): string {
  let z = (seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400) + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = <i32>(doy - (153 * mp + 2) / 5 + 1);
  const m = <i32>(mp < 10 ? mp + 3 : mp - 9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y.toString() + "-" + pad2(m) + "-" + pad2(d);
}

/**
 * The Authorization value of Tencent Cloud API 3.0's TC3-HMAC-SHA256 for a POST to "/" of `host`. `action` non-empty
 * adds `x-tc-action` (lower-cased) to the signed headers, as Higress signs; empty signs content-type and host only.
 */
export function tc3Authorization(secretId: string, secretKey: string, service: string, host: string, action: string,
  contentType: string, payload: Uint8Array, timestamp: i64): string {
  let headers = "content-type:" + contentType + "\nhost:" + host + "\n";
  let signed = "content-type;host";
  if (action.length > 0) {
    headers += "x-tc-action:" + action.toLowerCase() + "\n";
    signed += ";x-tc-action";
  }
  const canonical = "POST\n/\n\n" + headers + "\n" + signed + "\n" + toHex(sha256(payload));
  const date = utcDate(timestamp);
  const scope = date + "/" + service + "/tc3_request";
  const toSign = "TC3-HMAC-SHA256\n" + timestamp.toString() + "\n" + scope + "\n" + toHex(sha256(utf8(canonical)));
  const kDate = hmacSha256(utf8("TC3" + secretKey), utf8(date));
  const kService = hmacSha256(kDate, utf8(service));
  const kSigning = hmacSha256(kService, utf8("tc3_request"));
  const signature = toHex(hmacSha256(kSigning, utf8(toSign)));
  return "TC3-HMAC-SHA256 Credential=" + secretId + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature;
}
