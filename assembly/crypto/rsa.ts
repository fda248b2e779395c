// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2.1, §9.2): RS256 signatures for Google service-account JWTs.
// Keys come as PEM, PKCS#8 ("PRIVATE KEY", as Google issues them) or PKCS#1 ("RSA PRIVATE KEY").
import { base64Decode } from "./base64";
import { limbsFromBytes, limbsToBytes, modPow } from "./bigint";
import { Der } from "./der";
import { sha256 } from "./sha256";

export class RsaPrivateKey {
  /** Modulus length in bytes (k in RFC 8017). */
  size: i32 = 0;
  n: Uint32Array = new Uint32Array(0);
  d: Uint32Array = new Uint32Array(0);
}

export class RsaKeyResult {
  key: RsaPrivateKey | null = null;
  error: string = "";
}

// 1.2.840.113549.1.1.1
const RSA_ENCRYPTION_OID: StaticArray<u8> = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
// RFC 8017 §9.2 note 1: DER of DigestInfo for SHA-256, followed by the 32-byte hash.
const SHA256_DIGEST_INFO: StaticArray<u8> = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

function keyError(message: string): RsaKeyResult {
  const r = new RsaKeyResult();
  r.error = message;
  return r;
}

/** Parses a PEM private key; never traps on malformed input (the error says what is wrong, never the key). */
export function parseRsaPrivateKeyPem(pem: string): RsaKeyResult {
  let pkcs8 = true;
  let begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
  let label = "PRIVATE KEY";
  if (begin < 0) {
    begin = pem.indexOf("-----BEGIN RSA PRIVATE KEY-----");
    label = "RSA PRIVATE KEY";
    pkcs8 = false;
  }
  if (begin < 0) return keyError("no \"BEGIN PRIVATE KEY\" or \"BEGIN RSA PRIVATE KEY\" block");
  const bodyStart = begin + label.length + 16;
  const end = pem.indexOf("-----END " + label + "-----", bodyStart);
  if (end < 0) return keyError("the PEM block has no END line");
  const der = base64Decode(pem.substring(bodyStart, end));
  if (der === null) return keyError("the PEM body is not base64");
  return pkcs8 ? parsePkcs8(der) : parsePkcs1(der);
}

/** PKCS#8 PrivateKeyInfo (RFC 5208 §5) holding an RSA key. */
export function parsePkcs8(der: Uint8Array): RsaKeyResult {
  const top = new Der(der).element(0x30, "PrivateKeyInfo");
  top.unsignedInteger("version");
  const alg = top.element(0x30, "algorithm");
  const oid = alg.element(0x06, "algorithm OID");
  const failed = !top.ok ? top.error : !alg.ok ? alg.error : oid.error;
  if (failed.length > 0) return keyError(failed);
  const oidBytes = oid.rest();
  let isRsa = oidBytes.length == RSA_ENCRYPTION_OID.length;
  for (let i = 0; isRsa && i < oidBytes.length; i++) if (oidBytes[i] != RSA_ENCRYPTION_OID[i]) isRsa = false;
  if (!isRsa) return keyError("not an RSA key");
  const inner = top.element(0x04, "privateKey");
  if (!top.ok) return keyError(top.error);
  return parsePkcs1(inner.rest());
}

/** PKCS#1 RSAPrivateKey (RFC 8017 Appendix A.1.2). */
export function parsePkcs1(der: Uint8Array): RsaKeyResult {
  const seq = new Der(der).element(0x30, "RSAPrivateKey");
  seq.unsignedInteger("version");
  const n = seq.unsignedInteger("modulus");
  seq.unsignedInteger("publicExponent");
  const d = seq.unsignedInteger("privateExponent");
  if (!seq.ok) return keyError(seq.error);
  if (n.length < 64 || n.length > 1024 || (n[n.length - 1] & 1) == 0) return keyError("the modulus must be odd and 512 to 8192 bits");
  const key = new RsaPrivateKey();
  key.size = n.length;
  const limbs = (n.length + 3) >> 2;
  key.n = limbsFromBytes(n, limbs);
  key.d = limbsFromBytes(d, (d.length + 3) >> 2);
  const r = new RsaKeyResult();
  r.key = key;
  return r;
}

/** RSASSA-PKCS1-v1_5-SIGN with SHA-256: the k-byte signature of `message`. */
export function rsaSha256Sign(key: RsaPrivateKey, message: Uint8Array): Uint8Array {
  const k = key.size;
  // EM = 0x00 || 0x01 || PS (0xff...) || 0x00 || DigestInfo || H, with |PS| >= 8 (k >= 62 holds for 512+ bits).
  const em = new Uint8Array(k);
  const tLen = SHA256_DIGEST_INFO.length + 32;
  em[1] = 0x01;
  for (let i = 2; i < k - tLen - 1; i++) em[i] = 0xff;
  for (let i = 0; i < SHA256_DIGEST_INFO.length; i++) em[k - tLen + i] = SHA256_DIGEST_INFO[i];
  em.set(sha256(message), k - 32);
  const limbs = key.n.length;
  const s = modPow(limbsFromBytes(em, limbs), key.d, key.n);
  return limbsToBytes(s, k);
}
