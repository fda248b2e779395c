// Edits of the client's chat request before it is translated, so they hold for every upstream schema: Higress's
// `contextCleanupCommands` (a user message that is exactly a cleanup command drops itself and the conversation
// before it, system messages kept) and `mergeConsecutiveMessages` (consecutive user or assistant messages joined
// into one, for providers that require strict alternation). OpenAI chat and Anthropic Messages bodies alike: both
// keep the conversation in `messages` with `role` and `content` (a string or an array of blocks).
import { ProviderConfig } from "../config/provider-config";
import { JsonValue, JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { Schema } from "../protocol/api";

/** Whether `p` edits chat requests of `schema` before translation (the hot path skips the parse otherwise). */
export function editsClientChat(p: ProviderConfig, schema: Schema): bool {
  return (p.contextCleanupCommands.length > 0 || p.mergeConsecutiveMessages) &&
    (schema == Schema.OpenAIChat || schema == Schema.AnthropicMessages);
}

/** The client's chat body with the configured edits applied; the same bytes when nothing applies or it is not an object with `messages` (the translator reports those). */
export function editClientChat(body: Uint8Array, schema: Schema, p: ProviderConfig): Uint8Array {
  if (!editsClientChat(p, schema)) return body;
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return body;
  const messages = root.get("messages");
  if (messages === null || !messages.isArray()) return body;
  const n = messages.length;
  const keep = new Array<bool>(n).fill(true);
  let changed = false;
  const cut = p.contextCleanupCommands.length > 0 ? lastCleanupCommand(messages, p.contextCleanupCommands) : -1;
  if (cut >= 0) {
    // Only system messages survive before the command; the command itself goes too.
    for (let i = 0; i <= cut; i++) {
      const m = messages.at(i);
      keep[i] = i < cut && m !== null && m.isObject() && (m.memberEquals("role", "system") || m.memberEquals("role", "developer"));
    }
    changed = true;
  }
  const w = new JsonWriter(body.length + 32);
  w.beginArray();
  let i = 0;
  while (i < n) {
    const m = messages.at(i);
    if (m === null || !keep[i]) { i++; continue; }
    // The run of kept messages of the same mergeable role that starts here.
    let j = i + 1;
    if (p.mergeConsecutiveMessages && mergeable(m)) {
      while (j < n && keep[j] && sameRole(m, messages.at(j))) j++;
    }
    if (j == i + 1) {
      w.raw(m);
    } else {
      w.rawBytes(mergedMessage(messages, i, j, schema));
      changed = true;
    }
    i = j;
  }
  w.endArray();
  if (!changed) return body;
  const out = spliceObject(root, new ObjectEdits().setRaw("messages", w.take()), true);
  return out !== null ? out : body;
}

/** The index of the last user message whose text is one of `commands` (surrounding white space ignored); -1: none. */
function lastCleanupCommand(messages: JsonValue, commands: Array<string>): i32 {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages.at(i);
    if (m === null || !m.isObject() || !m.memberEquals("role", "user")) continue;
    const text = contentText(m.get("content")).trim();
    for (let k = 0; k < commands.length; k++) if (text == commands[k].trim()) return i;
  }
  return -1;
}

/** A string content, or the text blocks of an array content joined by newlines ("" for anything else). */
function contentText(content: JsonValue | null): string {
  if (content === null) return "";
  if (content.isString()) return content.str();
  if (!content.isArray()) return "";
  let text = "";
  let first = true;
  for (let i = 0, n = content.length; i < n; i++) {
    const b = content.at(i);
    if (b === null || !b.isObject() || !b.memberEquals("type", "text")) continue;
    text += (first ? "" : "\n") + b.getString("text")!;
    first = false;
  }
  return text;
}

function mergeable(m: JsonValue): bool {
  return m.isObject() && (m.memberEquals("role", "user") || m.memberEquals("role", "assistant")) && !hasToolParts(m);
}

/** Assistant tool calls and tool results keep their own turns (their ids pair them up). */
function hasToolParts(m: JsonValue): bool {
  if (m.has("tool_calls") || m.has("function_call")) return true;
  const content = m.get("content");
  if (content === null || !content.isArray()) return false;
  for (let i = 0, n = content.length; i < n; i++) {
    const b = content.at(i);
    if (b !== null && b.isObject() && (b.memberEquals("type", "tool_use") || b.memberEquals("type", "tool_result"))) return true;
  }
  return false;
}

function sameRole(a: JsonValue, b: JsonValue | null): bool {
  if (b === null || !mergeable(b)) return false;
  return a.memberEquals("role", "user") ? b.memberEquals("role", "user") : b.memberEquals("role", "assistant");
}

/**
 * Messages [from, to) as one: the first message's members, its content replaced by the run's contents — strings
 * joined by a blank line (as Higress joins them), otherwise one array of blocks (a string becomes a text block).
 */
function mergedMessage(messages: JsonValue, from: i32, to: i32, schema: Schema): Uint8Array {
  let allStrings = true;
  for (let i = from; i < to; i++) {
    const c = messages.at(i)!.get("content");
    if (c === null || !c.isString()) { allStrings = false; break; }
  }
  const w = new JsonWriter(256);
  if (allStrings) {
    w.openString();
    for (let i = from; i < to; i++) {
      if (i > from) w.stringPart("\n\n");
      w.stringPart(messages.at(i)!.get("content")!.str());
    }
    w.closeString();
  } else {
    w.beginArray();
    for (let i = from; i < to; i++) {
      const c = messages.at(i)!.get("content");
      if (c === null || c.isNull()) continue;
      if (c.isString()) {
        w.beginObject().fieldString("type", "text").fieldString("text", c.str()).endObject();
      } else if (c.isArray()) {
        for (let k = 0, n = c.length; k < n; k++) {
          const b = c.at(k);
          if (b !== null) w.raw(b);
        }
      }
    }
    w.endArray();
  }
  const first = messages.at(from)!;
  const out = spliceObject(first, new ObjectEdits().setRaw("content", w.take()));
  return out !== null ? out : first.rawBytes();
}
