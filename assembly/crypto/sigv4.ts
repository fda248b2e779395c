// AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html)
// for a request without a query string: canonical request, string to sign, the derived signing key, the
// Authorization header. Tested against AWS's published signature test suite (assembly/__tests__/crypto.spec.ts).
import { utf8Encode } from "../bytes/utf8";
import { hmacSha256 } from "./hmac";
import { toHex } from "./hex";
import { sha256 } from "./sha256";

const HEX_UPPER = "0123456789ABCDEF";

/**
 * The canonical URI of `path` as it is sent: every byte outside RFC 3986's unreserved set (and '/') percent-encoded,
 * so a path already encoded once (`%3A`) is encoded again (`%253A`), as AWS documents for every service but S3.
 */
export function sigV4CanonicalUri(path: string): string {
  const q = path.indexOf("?");
  const bytes = utf8Encode(q >= 0 ? path.substring(0, q) : path);
  if (bytes.length == 0) return "/";
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const keep = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x2e || c == 0x5f || c == 0x7e || c == 0x2f;
    out += keep ? String.fromCharCode(c) : "%" + HEX_UPPER.charAt(c >> 4) + HEX_UPPER.charAt(c & 15);
  }
  return out;
}

/** `20150830T123600Z` for a Unix time in milliseconds (UTC). */
export function amzDate(unixMs: i64): string {
  const secs = unixMs / 1000;
  let days = secs / 86400;
  let rem = secs % 86400;
  if (rem < 0) { rem += 86400; days--; }
  // Days since 1970-01-01 → civil date (Howard Hinnant's algorithm).
  const z = days + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y.toString() + two(m) + two(d) + "T" + two(rem / 3600) + two((rem % 3600) / 60) + two(rem % 60) + "Z";
}

function two(n: i64): string { return (n < 10 ? "0" : "") + n.toString(); }

/** What a signature covers: method, path as sent, the headers to sign (lower-case names) and the exact body. */
export class SigV4Request {
  /** [name, value] pairs; names lower-case. Sorted by name when signed. */
  headers: Array<Array<string>> = [];
  constructor(public method: string, public path: string, public body: Uint8Array) {}
  header(name: string, value: string): SigV4Request {
    this.headers.push([name, value]);
    return this;
  }
}

export class SigV4Credentials {
  constructor(public accessKey: string, public secretKey: string, public region: string, public service: string) {}
}

/** The Authorization header value for `req` signed at `date` (`yyyymmddThhmmssZ`, also sent as x-amz-date). */
export function sigV4Authorization(req: SigV4Request, creds: SigV4Credentials, date: string): string {
  // Sorted by name (insertion: a handful of headers, and no generic sort in the module).
  const headers = req.headers.slice(0);
  for (let i = 1; i < headers.length; i++) {
    const h = headers[i];
    let j = i - 1;
    while (j >= 0 && headers[j][0] > h[0]) { headers[j + 1] = headers[j]; j--; }
    headers[j + 1] = h;
  }
  let canonicalHeaders = "";
  let signed = "";
  for (let i = 0; i < headers.length; i++) {
    canonicalHeaders += headers[i][0] + ":" + headers[i][1].trim() + "\n";
    signed += (i > 0 ? ";" : "") + headers[i][0];
  }
  const canonical = req.method + "\n" + sigV4CanonicalUri(req.path) + "\n\n" + canonicalHeaders + "\n" + signed + "\n" + toHex(sha256(req.body));
  const day = date.substring(0, 8);
  const scope = day + "/" + creds.region + "/" + creds.service + "/aws4_request";
  const toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + toHex(sha256(utf8Encode(canonical)));
  let key = hmacSha256(utf8Encode("AWS4" + creds.secretKey), utf8Encode(day));
  key = hmacSha256(key, utf8Encode(creds.region));
  key = hmacSha256(key, utf8Encode(creds.service));
  key = hmacSha256(key, utf8Encode("aws4_request"));
  const signature = toHex(hmacSha256(key, utf8Encode(toSign)));
  return "AWS4-HMAC-SHA256 Credential=" + creds.accessKey + "/" + scope + ", SignedHeaders=" + signed + ", Signature=" + signature;
}
