// Google service-account OAuth (https://developers.google.com/identity/protocols/oauth2/service-account#httprest):
// a JWT signed with the account's RS256 key is exchanged at its token_uri for an access token. Pure functions over the
// JSON key and the token endpoint's answer; the callout that carries them is plugin/access-token.ts. Error messages
// never repeat the key, the assertion or a token.
import { base64UrlEncode, parseRsaPrivateKeyPem, RsaPrivateKey, rsaSha256Sign } from "../crypto";
import { JsonKind, JsonValue, JsonWriter, parseJson } from "../json";

/** What a service-account JSON key holds that the exchange needs. */
export class ServiceAccount {
  clientEmail: string = "";
  tokenUri: string = "https://oauth2.googleapis.com/token";
  key: RsaPrivateKey | null = null;
  /** Why `key` is null (a private_key that is not an RSA key in PEM); "" when it parsed. */
  keyError: string = "";
}

/** Reads a service-account JSON key; a message naming what is missing instead ("" on success, then `out` is filled). */
export function readServiceAccount(json: string, out: ServiceAccount): string {
  const root = parseJson(Uint8Array.wrap(String.UTF8.encode(json))).value;
  if (root === null || !root.isObject()) return "is not a service-account JSON key (a JSON object)";
  const email = stringField(root, "client_email");
  const pem = stringField(root, "private_key");
  if (email.length == 0) return "has no client_email";
  if (pem.length == 0) return "has no private_key";
  out.clientEmail = email;
  const uri = stringField(root, "token_uri");
  if (uri.length > 0) out.tokenUri = uri;
  const parsed = parseRsaPrivateKeyPem(pem);
  out.key = parsed.key;
  out.keyError = parsed.error;
  return "";
}

function stringField(o: JsonValue, key: string): string {
  const v = o.get(key);
  return v !== null && v.kind == JsonKind.String ? v.str() : "";
}

/** The scope of Vertex AI (and every Google Cloud API). */
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";

/** The signed JWT assertion (header.claims.signature, base64url) valid for an hour from `nowSeconds`; "" without a key. */
export function jwtAssertion(account: ServiceAccount, scope: string, nowSeconds: i64): string {
  const key = account.key;
  if (key === null) return "";
  const header = base64UrlEncode(Uint8Array.wrap(String.UTF8.encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}")));
  const claims = new JsonWriter(256).beginObject()
    .fieldString("iss", account.clientEmail)
    .fieldString("scope", scope)
    .fieldString("aud", account.tokenUri)
    .fieldInt("exp", nowSeconds + 3600)
    .fieldInt("iat", nowSeconds)
    .endObject().take();
  const signingInput = header + "." + base64UrlEncode(claims);
  return signingInput + "." + base64UrlEncode(rsaSha256Sign(key, Uint8Array.wrap(String.UTF8.encode(signingInput))));
}

/** The token request's form body (the assertion is base64url and dots: nothing to escape). */
export function tokenRequestBody(assertion: string): Uint8Array {
  return Uint8Array.wrap(String.UTF8.encode("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion));
}

/** An access token and how long it lives; `error` ("" on success) names what was wrong with the answer. */
export class TokenAnswer {
  token: string = "";
  expiresInSeconds: i64 = 3600;
  error: string = "";
}

/** Reads the token endpoint's answer: `{"access_token":…,"expires_in":…}` on 200, `{"error":…,"error_description":…}` otherwise. */
export function readTokenAnswer(status: i32, body: Uint8Array): TokenAnswer {
  const out = new TokenAnswer();
  const root = parseJson(body).value;
  const obj = root !== null && root.isObject() ? root : null;
  if (status < 200 || status >= 300) {
    let why = "";
    if (obj !== null) {
      why = printable(stringField(obj, "error"));
      const desc = printable(stringField(obj, "error_description"));
      if (desc.length > 0) why += (why.length > 0 ? ": " : "") + desc;
    }
    out.error = "the token endpoint answered HTTP " + status.toString() + (why.length > 0 ? " (" + why + ")" : "");
    return out;
  }
  const token = obj !== null ? stringField(obj, "access_token") : "";
  if (token.length == 0 || token.length > 4096 || !isHeaderToken(token)) {
    out.error = "the token endpoint's answer has no usable access_token";
    return out;
  }
  out.token = token;
  const expires = obj!.get("expires_in");
  if (expires !== null && expires.kind == JsonKind.Number) {
    const n = expires.asI64(3600);
    out.expiresInSeconds = n < 1 ? 1 : n > 86400 ? 86400 : n;
  }
  return out;
}

/** Visible ASCII only: the token goes into a header. */
function isHeaderToken(s: string): bool {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}

/** Text from the endpoint quoted in an error: printable ASCII, at most 160 characters. */
function printable(s: string): string {
  let out = "";
  for (let i = 0; i < s.length && i < 160; i++) {
    const c = s.charCodeAt(i);
    out += c >= 0x20 && c < 0x7F ? String.fromCharCode(c) : "?";
  }
  return out;
}
