// Crypto for providers that sign requests: SHA-256, HMAC-SHA256, hex, base64/base64url, RS256 (PKCS#1 v1.5), AWS SigV4, CRC-32.
export { sha256, Sha256 } from "./sha256";
export { hmacSha256 } from "./hmac";
export { toHex } from "./hex";
export { base64Decode, base64Encode, base64UrlEncode } from "./base64";
export { parseRsaPrivateKeyPem, RsaKeyResult, RsaPrivateKey, rsaSha256Sign } from "./rsa";
export { crc32, crc32Update } from "./crc32";
export { amzDate, sigV4Authorization, sigV4CanonicalUri, SigV4Credentials, SigV4Request } from "./sigv4";
