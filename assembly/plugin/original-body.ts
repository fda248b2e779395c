// `protocol: original` bodies pass unread, except where the configuration needs them: raw-mode customSettings are set
// in them as given (Higress applies customSettings to every request body; auto-mode names have no mapping for a
// provider's own schema), and a provider that signs bodies (Bedrock's SigV4 with access keys) signs them once read.
import { ProviderConfig } from "../config/provider-config";
import { ObjectEdits, parseJson, spliceObject } from "../json";

function hasRawSettings(p: ProviderConfig): bool {
  for (let i = 0; i < p.customSettings.length; i++) if (p.customSettings[i].mode == "raw") return true;
  return false;
}

/** An original-protocol request to `p` must be read before it goes on (the request headers wait for it). */
export function readsOriginalBody(p: ProviderConfig): bool {
  if (p.protocol != "original") return false;
  const row = p.row;
  const mod = row !== null ? row.module : null;
  return hasRawSettings(p) || (mod !== null && mod.signsRequests(p));
}

/** `body` with the raw customSettings set at its top level; `body` itself when none applies or it is not a JSON object. */
export function withRawSettings(body: Uint8Array, p: ProviderConfig): Uint8Array {
  if (!hasRawSettings(p)) return body;
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return body;
  const edits = new ObjectEdits();
  for (let i = 0; i < p.customSettings.length; i++) {
    const s = p.customSettings[i];
    if (s.mode != "raw" || (!s.overwrite && root.has(s.name))) continue;
    edits.setRaw(s.name, Uint8Array.wrap(String.UTF8.encode(s.valueJson)));
  }
  if (edits.length == 0) return body;
  const out = spliceObject(root, edits, true);
  return out !== null ? out : body;
}
