// Base64 and base64url (RFC 4648 §4, §5): JWT parts are base64url without padding; PEM bodies are base64.
import { ByteBuffer } from "../bytes/buffer";
const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** Base64 (with `=` padding) or, with `url`, base64url without padding (RFC 7515 §2). */
export function base64Encode(bytes: Uint8Array, url: bool = false): string {
  const alphabet = url ? URL : STD;
  const n = bytes.length;
  const out = new Array<string>();
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    out.push(alphabet.charAt(v >> 18) + alphabet.charAt((v >> 12) & 63) + alphabet.charAt((v >> 6) & 63) + alphabet.charAt(v & 63));
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (<u32>bytes[i] << 16) | (two ? <u32>bytes[i + 1] << 8 : 0);
    let tail = alphabet.charAt(v >> 18) + alphabet.charAt((v >> 12) & 63);
    if (two) tail += alphabet.charAt((v >> 6) & 63);
    if (!url) tail += two ? "=" : "==";
    out.push(tail);
  }
  return out.join("");
}

/** Standard base64 (padded) of `bytes` appended to `out`, written in place (image uploads run to megabytes). */
export function base64EncodeInto(out: ByteBuffer, bytes: Uint8Array): void {
  const n = bytes.length;
  const size = ((n + 2) / 3) * 4;
  out.reserve(size);
  const dst = out.dataStart + <usize>out.length;
  const abc = changetype<usize>(STD);
  let i = 0, o = 0;
  for (; i + 2 < n; i += 3) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    store<u8>(dst + <usize>o, load<u16>(abc + (<usize>(v >> 18) << 1)));
    store<u8>(dst + <usize>o + 1, load<u16>(abc + (<usize>((v >> 12) & 63) << 1)));
    store<u8>(dst + <usize>o + 2, load<u16>(abc + (<usize>((v >> 6) & 63) << 1)));
    store<u8>(dst + <usize>o + 3, load<u16>(abc + (<usize>(v & 63) << 1)));
    o += 4;
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (<u32>bytes[i] << 16) | (two ? <u32>bytes[i + 1] << 8 : 0);
    store<u8>(dst + <usize>o, load<u16>(abc + (<usize>(v >> 18) << 1)));
    store<u8>(dst + <usize>o + 1, load<u16>(abc + (<usize>((v >> 12) & 63) << 1)));
    store<u8>(dst + <usize>o + 2, two ? <u8>load<u16>(abc + (<usize>((v >> 6) & 63) << 1)) : 0x3D);
    store<u8>(dst + <usize>o + 3, 0x3D);
    o += 4;
  }
  out.commit(o);
}

export function base64UrlEncode(bytes: Uint8Array): string { return base64Encode(bytes, true); }

/** Standard base64 (padded) as ASCII bytes: for large inputs (an image), without a string per group. */
export function base64EncodeBytes(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const out = new Uint8Array(((n + 2) / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    out[o++] = <u8>STD.charCodeAt(v >> 18);
    out[o++] = <u8>STD.charCodeAt((v >> 12) & 63);
    out[o++] = <u8>STD.charCodeAt((v >> 6) & 63);
    out[o++] = <u8>STD.charCodeAt(v & 63);
  }
  if (i < n) {
    const two = i + 1 < n;
    const v = (<u32>bytes[i] << 16) | (two ? <u32>bytes[i + 1] << 8 : 0);
    out[o++] = <u8>STD.charCodeAt(v >> 18);
    out[o++] = <u8>STD.charCodeAt((v >> 12) & 63);
    out[o++] = two ? <u8>STD.charCodeAt((v >> 6) & 63) : 0x3D;
    out[o++] = 0x3D;
  }
  return out;
}

function sextet(c: i32): i32 {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  if (c == 43 || c == 45) return 62; // + or -
  if (c == 47 || c == 95) return 63; // / or _
  return -1;
}

/**
 * Decodes base64 or base64url, padded or not; ASCII whitespace (PEM line breaks) is skipped. Null for any other
 * character, misplaced padding or a length no encoder writes.
 */
export function base64Decode(text: string): Uint8Array | null {
  const out = new Uint8Array((text.length * 3) >> 2);
  let acc: u32 = 0, bits = 0, len = 0, pads = 0, chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 32 || c == 9 || c == 10 || c == 13) continue;
    if (c == 61) { pads++; continue; } // '='
    const v = sextet(c);
    if (v < 0 || pads > 0) return null;
    chars++;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[len++] = <u8>(acc >> <u32>bits);
    }
  }
  const rest = chars & 3;
  if (rest == 1 || pads > 2 || (pads > 0 && (chars + pads) & 3)) return null;
  return out.subarray(0, len);
}
