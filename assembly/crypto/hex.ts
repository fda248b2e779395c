// Lower-case hex, as SigV4 and TC3 write digests and signatures.
const DIGITS = "0123456789abcdef";

export function toHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    parts[i] = DIGITS.charAt(b >> 4) + DIGITS.charAt(b & 15);
  }
  return parts.join("");
}
