// Virtual keys are kept, compared and logged only as their SHA-256 (lower-case hex, as `sha256sum` prints it).
import { sha256, toHex } from "../crypto";

/** Lower-case hex SHA-256 of a key's UTF-8 bytes (as `printf %s KEY | sha256sum` prints it). */
export function hashKeyHex(key: string): string {
  return toHex(sha256(Uint8Array.wrap(String.UTF8.encode(key))));
}

export function isSha256Hex(s: string): bool {
  if (s.length != 64) return false;
  for (let i = 0; i < 64; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}
