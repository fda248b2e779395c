// Secrets hygiene: provider keys never reach a client, and the client's own credentials never reach a provider.
//
// - Every configured provider key (at least MIN_SECRET_LENGTH bytes; shorter strings would match ordinary text) is
//   registered at configure time. Error bodies and error messages the gateway sends to a client go through
//   `redactSecrets` / `redactString`: an upstream that echoes the key it received ("Incorrect API key provided:
//   sk-...") cannot leak it through the gateway.
// - `stripCredentialParams` drops the query parameters clients put keys in (`key`, `api_key`, `api-key`,
//   `access_token`) before the client's query string is forwarded.

import { ByteBuffer } from "../bytes/buffer";

export const MIN_SECRET_LENGTH: i32 = 8;
const MAX_SECRETS: i32 = 4096;
const REDACTED = "[REDACTED]";

let secretBytes: Array<Uint8Array> = [];
let secretStrings: Array<string> = [];

/** Registers provider keys (kept across reconfigurations: several root contexts may share the VM). */
export function addSecrets(keys: Array<string>): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k.length < MIN_SECRET_LENGTH || secretStrings.includes(k) || secretStrings.length >= MAX_SECRETS) continue;
    secretStrings.push(k);
    secretBytes.push(Uint8Array.wrap(String.UTF8.encode(k)));
  }
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from: i32): i32 {
  const n = needle.length, m = hay.length;
  if (n == 0 || n > m) return -1;
  const h = hay.dataStart, k = needle.dataStart;
  const first = load<u8>(k);
  for (let i = from; i + n <= m; i++) {
    if (load<u8>(h + <usize>i) != first) continue;
    if (memory.compare(h + <usize>i, k, <usize>n) == 0) return i;
  }
  return -1;
}

/** `body` with every registered key replaced by "[REDACTED]" (the same array when none occurs). */
export function redactSecrets(body: Uint8Array): Uint8Array {
  let out = body;
  for (let s = 0; s < secretBytes.length; s++) {
    const key = secretBytes[s];
    let at = indexOfBytes(out, key, 0);
    if (at < 0) continue;
    const b = new ByteBuffer(out.length);
    let prev = 0;
    while (at >= 0) {
      b.pushSlice(out, prev, at);
      b.pushString(REDACTED);
      prev = at + key.length;
      at = indexOfBytes(out, key, prev);
    }
    b.pushSlice(out, prev, out.length);
    out = b.take();
  }
  return out;
}

/** `s` with every registered key replaced by "[REDACTED]". */
export function redactString(s: string): string {
  let out = s;
  for (let i = 0; i < secretStrings.length; i++) {
    if (out.includes(secretStrings[i])) out = out.replaceAll(secretStrings[i], REDACTED);
  }
  return out;
}

function isCredentialParam(name: string): bool {
  const n = name.toLowerCase();
  return n == "key" || n == "api_key" || n == "api-key" || n == "apikey" || n == "access_token" || n == "x-api-key";
}

/** `path` without the query parameters that carry client credentials. */
export function stripCredentialParams(path: string): string {
  const q = path.indexOf("?");
  if (q < 0) return path;
  const query = path.substring(q + 1);
  const parts = query.split("&");
  let kept = "";
  let dropped = false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const eq = p.indexOf("=");
    const name = eq >= 0 ? p.substring(0, eq) : p;
    if (isCredentialParam(name)) { dropped = true; continue; }
    if (kept.length) kept += "&";
    kept += p;
  }
  if (!dropped) return path;
  return kept.length ? path.substring(0, q + 1) + kept : path.substring(0, q);
}
