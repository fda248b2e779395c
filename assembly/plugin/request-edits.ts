// Edits of the upstream chat request after translation, in the upstream's protocol: system context (the
// `context` file, moonshotFileId content, qwenFileIds; DashScope's native input.messages too), `developer` → `system`, responseJsonSchema,
// qwenEnableSearch and customSettings. Unchanged members are copied byte for byte (json/splice).
import { ByteBuffer } from "../bytes/buffer";
import { CustomSetting, ProviderConfig } from "../config/provider-config";
import { escapeStringInto, JsonValue, JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { chatSchemaOf, Protocol } from "../protocol/api";
import { UpstreamTarget } from "../providers/resolve";
import { qwenAddsToChat, qwenEnablesSearch, qwenFileIdsMessage } from "../providers/qwen";

export class EditContext {
  /** Text inserted as system context ("" for none). */
  contextText: string = "";
  /** Rename `developer` messages to `system` (OpenAI upstreams that do not know the role). */
  developerToSystem: bool = false;
  /** The upstream's token-limit field ("max_tokens" or "max_completion_tokens"). */
  maxTokensField: string = "max_tokens";
}

/**
 * Whether an OpenAI-protocol provider needs `developer` turned into `system`: its row says whether it documents
 * the developer role (OpenAI does, https://platform.openai.com/docs/api-reference/chat/create, and Azure OpenAI
 * serves the same API).
 */
export function convertsDeveloperRole(p: ProviderConfig): bool {
  const row = p.row;
  return row === null || !row.developerRole;
}

/** The field for a customSettings name in the upstream's protocol (seed 001's table, openai and claude columns); "" = none. */
export function settingField(name: string, upstream: Protocol, maxTokensField: string): string {
  if (name == "max_tokens") return upstream == Protocol.OpenAI ? maxTokensField : "max_tokens";
  if (name == "temperature" || name == "top_p") return name;
  if (name == "top_k") return upstream == Protocol.Anthropic ? "top_k" : "";
  if (name == "seed") return upstream == Protocol.OpenAI ? "seed" : "";
  return "";
}

function applyCustomSettings(root: JsonValue, settings: Array<CustomSetting>, upstream: Protocol, maxTokensField: string, edits: ObjectEdits): void {
  // The table covers the OpenAI and Anthropic protocols (top-level fields); the modules of providers with another
  // protocol place customSettings themselves (providers/module.ts editRequest).
  if (upstream != Protocol.OpenAI && upstream != Protocol.Anthropic) return;
  for (let i = 0; i < settings.length; i++) {
    const s = settings[i];
    const field = s.mode == "raw" ? s.name : settingField(s.name, upstream, maxTokensField);
    if (field.length == 0) continue;
    if (!s.overwrite && root.has(field)) continue;
    edits.setRaw(field, Uint8Array.wrap(String.UTF8.encode(s.valueJson)));
  }
}

function jsonString(s: string): Uint8Array {
  const b = new ByteBuffer(s.length + 8);
  b.pushByte(0x22);
  escapeStringInto(b, s);
  b.pushByte(0x22);
  return b.take();
}

/** `{"role":"system","content":"…"}` */
function systemMessage(w: JsonWriter, text: string): void {
  w.beginObject().fieldString("role", "system").fieldString("content", text).endObject();
}

/**
 * OpenAI `messages` with the inserted system messages after the leading system messages (as Higress inserts
 * context) and `developer` renamed when asked; null when nothing changes.
 */
function rewriteOpenAIMessages(messages: JsonValue, inserted: Array<string>, developerToSystem: bool): Uint8Array | null {
  const n = messages.length;
  let developers = false;
  if (developerToSystem) {
    for (let i = 0; i < n; i++) {
      const m = messages.at(i);
      if (m !== null && m.isObject() && m.memberEquals("role", "developer")) { developers = true; break; }
    }
  }
  if (!developers && inserted.length == 0) return null;
  const w = new JsonWriter(messages.end - messages.start + 64);
  w.beginArray();
  let done = inserted.length == 0;
  for (let i = 0; i < n; i++) {
    const m = messages.at(i);
    if (m === null) continue;
    const isSystem = m.isObject() && (m.memberEquals("role", "system") || m.memberEquals("role", "developer"));
    if (!done && !isSystem) {
      for (let k = 0; k < inserted.length; k++) systemMessage(w, inserted[k]);
      done = true;
    }
    if (developers && m.isObject() && m.memberEquals("role", "developer")) {
      const renamed = spliceObject(m, new ObjectEdits().setString("role", "system"));
      if (renamed !== null) { w.rawBytes(renamed); continue; }
    }
    w.raw(m);
  }
  if (!done) for (let k = 0; k < inserted.length; k++) systemMessage(w, inserted[k]);
  w.endArray();
  return w.take();
}

/** Anthropic `system` with `text` first: a string stays a string (text + "\n" + system, as Higress does). */
function prependAnthropicSystem(system: JsonValue | null, text: string): Uint8Array {
  if (system === null || system.isNull()) return jsonString(text);
  if (system.isString()) return jsonString(text + "\n" + system.str());
  const w = new JsonWriter(system.end - system.start + text.length + 32);
  w.beginArray();
  w.beginObject().fieldString("type", "text").fieldString("text", text).endObject();
  if (system.isArray()) {
    for (let i = 0, n = system.length; i < n; i++) {
      const b = system.at(i);
      if (b !== null) w.raw(b);
    }
  }
  w.endArray();
  return w.take();
}

export class EditResult {
  ok: bool = true;
  body: Uint8Array = new Uint8Array(0);
  error: string = "";
}

/**
 * Applies the provider's request edits to a translated chat request body (`upstream` is its protocol). Its module's
 * own edit comes last: it has the last word on the body (Claude Code mode puts its system line before any context).
 */
export function editChatRequest(body: Uint8Array, upstream: Protocol, p: ProviderConfig, ctx: EditContext): EditResult {
  const res = commonEdits(body, upstream, p, ctx);
  const row = p.row;
  const mod = row !== null ? row.module : null;
  const own = res.ok && mod !== null ? mod.editRequest(p, res.body, chatSchemaOf(upstream)) : null;
  if (own !== null) res.body = own;
  return res;
}

function commonEdits(body: Uint8Array, upstream: Protocol, p: ProviderConfig, ctx: EditContext): EditResult {
  const res = new EditResult();
  res.body = body;
  const needsWork = ctx.contextText.length > 0 || ctx.developerToSystem || p.customSettings.length > 0 || p.responseJsonSchema.length > 0
    || qwenAddsToChat(p);
  if (!needsWork) return res;
  const parsed = parseJson(body);
  const root = parsed.value;
  if (root === null || !root.isObject()) {
    res.ok = false;
    res.error = "request body must be a JSON object";
    return res;
  }
  const edits = new ObjectEdits();
  if (upstream == Protocol.OpenAI) {
    const inserted: Array<string> = [];
    if (ctx.contextText.length > 0) inserted.push(ctx.contextText);
    const fileIds = qwenFileIdsMessage(p);
    if (fileIds.length > 0) inserted.push(fileIds);
    const messages = root.get("messages");
    if (messages !== null && messages.isArray()) {
      const rewritten = rewriteOpenAIMessages(messages, inserted, ctx.developerToSystem);
      if (rewritten !== null) edits.setRaw("messages", rewritten);
    }
    if (p.responseJsonSchema.length > 0) {
      // Higress sets response_format to the configured object; a bare JSON schema gets the json_schema wrapper.
      const schema = parseJson(Uint8Array.wrap(String.UTF8.encode(p.responseJsonSchema))).value;
      if (schema !== null && schema.isObject()) {
        if (schema.has("type")) edits.setValue("response_format", schema);
        else {
          const w = new JsonWriter(p.responseJsonSchema.length + 48);
          w.beginObject().fieldString("type", "json_schema").key("json_schema").raw(schema).endObject();
          edits.setRaw("response_format", w.take());
        }
      }
    }
    if (qwenEnablesSearch(p)) edits.setBool("enable_search", true);
  } else if (upstream == Protocol.Anthropic && ctx.contextText.length > 0) {
    edits.setRaw("system", prependAnthropicSystem(root.get("system"), ctx.contextText));
  } else if (upstream == Protocol.DashScope && ctx.contextText.length > 0) {
    // DashScope's native body keeps OpenAI's messages under input (as Higress inserts context there).
    const input = root.get("input");
    const messages = input !== null && input.isObject() ? input.get("messages") : null;
    const rewritten = messages !== null && messages.isArray() ? rewriteOpenAIMessages(messages, [ctx.contextText], false) : null;
    const newInput = rewritten !== null ? spliceObject(input!, new ObjectEdits().setRaw("messages", rewritten)) : null;
    if (newInput !== null) edits.setRaw("input", newInput);
  }
  applyCustomSettings(root, p.customSettings, upstream, ctx.maxTokensField, edits);
  if (edits.length == 0) return res;
  const out = spliceObject(root, edits, true);
  if (out === null) {
    res.ok = false;
    res.error = "request body must be a JSON object";
    return res;
  }
  res.body = out;
  return res;
}

/** editChatRequest with the context a request to `target` takes: `developer` renamed where the provider needs it, its token-limit field, the system context. */
export function editChatRequestFor(body: Uint8Array, target: UpstreamTarget, p: ProviderConfig, maxTokensField: string, contextText: string): EditResult {
  const ctx = new EditContext();
  ctx.contextText = contextText;
  ctx.developerToSystem = target.upstreamProtocol == Protocol.OpenAI && convertsDeveloperRole(p);
  ctx.maxTokensField = maxTokensField;
  return editChatRequest(body, target.upstreamProtocol, p, ctx);
}
