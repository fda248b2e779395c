// Virtual keys: the key a client sends (where today's clients put it) identifies a configured consumer.
// Keys are compared as SHA-256 hashes; a key is never logged, counted or forwarded.
import { HeaderMapEdits } from "../abi";
import { Consumer, OpsConfig } from "../config/ops-config";
import { hashKeyHex } from "./key-hash";

/** The credential a client sent: `Authorization: Bearer`, `x-api-key` (Anthropic SDKs), `api-key` (Azure SDKs). */
export function clientKey(h: HeaderMapEdits): string {
  const auth = h.get("authorization");
  if (auth !== null) {
    const v = auth.trim();
    if (v.length > 7 && v.substring(0, 7).toLowerCase() == "bearer ") return v.substring(7).trim();
  }
  const x = h.get("x-api-key");
  if (x !== null && x.length > 0) return x.trim();
  const a = h.get("api-key");
  if (a !== null && a.length > 0) return a.trim();
  return "";
}

/** The consumer whose key the client sent, or null. */
export function findConsumer(ops: OpsConfig, key: string): Consumer | null {
  if (key.length == 0 || key.length > 4096) return null;
  const hash = hashKeyHex(key);
  for (let i = 0; i < ops.consumers.length; i++) if (ops.consumers[i].keyHash == hash) return ops.consumers[i];
  return null;
}

/** Whether the consumer may use `model` (no `models` list: every model). */
export function allowsModel(c: Consumer, model: string): bool {
  return c.models.length == 0 || c.models.match(model) >= 0;
}
