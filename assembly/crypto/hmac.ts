// HMAC-SHA256 (RFC 2104, FIPS 198-1): SigV4 and TC3 derive their signing keys with it.
import { sha256, Sha256 } from "./sha256";

export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const k = new Uint8Array(64);
  k.set(key.length > 64 ? sha256(key) : key);
  const pad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  const inner = new Sha256().update(pad).update(message).digest();
  for (let i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  return new Sha256().update(pad).update(inner).digest();
}
