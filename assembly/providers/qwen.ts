// Qwen (DashScope): what its configuration adds to a request beyond its table row. qwenDomain names the host.
// Without qwenEnableCompatible (false, seed 001's default and Higress's) requests go to DashScope's native API:
// chat to text generation (https://help.aliyun.com/zh/model-studio/qwen-api-reference), the qwen-vl models to
// multimodal generation, embeddings and rerank to their native services; streams are asked for with the
// X-DashScope-SSE: enable header and qwenEnableSearch, qwenFileIds and customSettings go into its own body shape.
// qwenEnableCompatible: true keeps DashScope's OpenAI-compatible mode (/compatible-mode/v1, /compatible-api/v1).
import { HeaderPair } from "../abi";
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { ApiName, Schema } from "../protocol/api";
import { DomainOverride, DomainSettings } from "./domain";

class QwenSettings extends DomainSettings {
  native: bool = false;
}

/** customSettings names (auto mode) DashScope's parameters take under the same name (seed 001's qwen column). */
const PARAMETER_SETTINGS: Array<string> = ["max_tokens", "temperature", "top_p", "top_k", "seed"];

function isNative(p: ProviderConfig): bool {
  const s = p.settings;
  return s !== null && s instanceof QwenSettings && (s as QwenSettings).native;
}

export class QwenModule extends DomainOverride {
  constructor() { super("qwenDomain"); }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    super.configure(p, r, errors);
    const s = new QwenSettings();
    s.domain = (p.settings as DomainSettings).domain;
    s.native = !p.qwenEnableCompatible;
    p.settings = s;
  }

  chatSchema(p: ProviderConfig): Schema { return isNative(p) ? Schema.DashScopeGeneration : Schema.None; }

  apiSchema(p: ProviderConfig, api: ApiName): Schema {
    if (!isNative(p)) return Schema.None;
    if (api == ApiName.Embeddings) return Schema.DashScopeEmbeddings;
    if (api == ApiName.Rerank) return Schema.DashScopeRerank;
    return Schema.None;
  }

  /** The vision models answer on the multimodal-generation endpoint (Higress picks it for the "qwen-vl" prefix). */
  schemaForModel(p: ProviderConfig, model: string): Schema {
    if (!isNative(p)) return Schema.None;
    return model.startsWith("qwen-vl") ? Schema.DashScopeMultimodal : Schema.DashScopeGeneration;
  }

  addsBodyHeaders(p: ProviderConfig): bool { return isNative(p); }

  /** A streamed request (incremental_output) asks for SSE the way DashScope documents it. */
  bodyHeaders(p: ProviderConfig, authority: string, body: Uint8Array, nowSeconds: i64): Array<HeaderPair> {
    const root = parseJson(body).value;
    const params = root !== null && root.isObject() ? root.get("parameters") : null;
    if (params === null || !params.isObject() || !params.getBool("incremental_output", false)) return [];
    return [new HeaderPair("x-dashscope-sse", "enable"), new HeaderPair("accept", "text/event-stream")];
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    if ((schema != Schema.DashScopeGeneration && schema != Schema.DashScopeMultimodal) || (!p.qwenEnableSearch && p.qwenFileIds.length == 0 && p.customSettings.length == 0)) return null;
    const root = parseJson(body).value;
    if (root === null || !root.isObject()) return null;
    const top = new ObjectEdits();
    const params = root.get("parameters");
    if (params !== null && params.isObject()) {
      const edits = new ObjectEdits();
      if (p.qwenEnableSearch) edits.setBool("enable_search", true);
      for (let i = 0; i < p.customSettings.length; i++) {
        const c = p.customSettings[i];
        if (c.mode != "raw" && !PARAMETER_SETTINGS.includes(c.name)) continue;
        if (!c.overwrite && params.has(c.name)) continue;
        edits.setRaw(c.name, Uint8Array.wrap(String.UTF8.encode(c.valueJson)));
      }
      if (edits.length > 0) {
        const merged = spliceObject(params, edits);
        if (merged !== null) top.setRaw("parameters", merged);
      }
    }
    const ids = qwenFileIdsMessage(p);
    const input = root.get("input");
    const messages = input !== null && input.isObject() ? input.get("messages") : null;
    if (ids.length > 0 && messages !== null && messages.isArray()) {
      // The file ids as a system message after the leading system messages (as in compatible mode).
      const w = new JsonWriter(messages.end - messages.start + ids.length + 48);
      w.beginArray();
      let inserted = false;
      const it = messages.iter();
      while (it.next()) {
        const m = it.value;
        const role = m.isObject() ? m.getString("role") : null;
        if (!inserted && (role === null || role != "system")) {
          w.beginObject().fieldString("role", "system").fieldString("content", ids).endObject();
          inserted = true;
        }
        w.raw(m);
      }
      if (!inserted) w.beginObject().fieldString("role", "system").fieldString("content", ids).endObject();
      w.endArray();
      const inputEdits = new ObjectEdits();
      inputEdits.setRaw("messages", w.take());
      const newInput = spliceObject(input!, inputEdits);
      if (newInput !== null) top.setRaw("input", newInput);
    }
    return top.length > 0 ? spliceObject(root, top, true) : null;
  }
}

export const QWEN = new QwenModule();

/** Whether `p` is a Qwen provider with request additions. */
export function qwenAddsToChat(p: ProviderConfig): bool {
  return p.type == "qwen" && (p.qwenEnableSearch || p.qwenFileIds.length > 0);
}

/**
 * The system message naming `qwenFileIds` ("fileid://a,fileid://b"), "" for none
 * (https://help.aliyun.com/zh/model-studio/long-context-qwen-long).
 */
export function qwenFileIdsMessage(p: ProviderConfig): string {
  if (p.type != "qwen" || p.qwenFileIds.length == 0) return "";
  let ids = "";
  for (let i = 0; i < p.qwenFileIds.length; i++) ids += (i > 0 ? "," : "") + "fileid://" + p.qwenFileIds[i];
  return ids;
}

/** `enable_search` is a body field (https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope). */
export function qwenEnablesSearch(p: ProviderConfig): bool {
  return p.type == "qwen" && p.qwenEnableSearch;
}
