// OpenAI chat messages → the alternating turns of an upstream with two roles and no system turn (Gemini contents,
// Bedrock Converse messages). The walk is the same for both: roles checked, system/developer skipped (they go to the
// upstream's system field), user and tool → the user role, assistant → the upstream's other role, a message that
// writes no parts dropped (both refuse empty turns), consecutive turns of one role merged into one (both require
// alternation). A user message's parts are walked alike too (a string or text parts → {text} parts, image_url parts
// checked), and an assistant message's text and tool_calls; what an image, another part type, a tool call or a tool
// message becomes is each upstream's: the abstract methods.
import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { imageUrlOf, isEmptyString, kindName, partText, Path, roleOf, typeOf } from "./util";

/** A {text} part: Gemini's text Part and Converse's text ContentBlock alike. */
export function writeTextPart(w: JsonWriter, text: JsonValue): void {
  w.beginObject().key("text").raw(text).endObject();
}

export abstract class TurnWriter {
  /** The upstream role of the turn being written ("" none); write() returns with it still open. */
  open: string = "";

  /** `assistantRole`: the upstream's name for the assistant; `partsKey`: the key of a turn's parts array. */
  constructor(private assistantRole: string, private partsKey: string) {}

  /** An image_url part's URL (a JSON string) as a part. Returns an error message or "". */
  protected abstract writeImage(w: JsonWriter, url: JsonValue, at: Path): string;
  /** A user content part of type `type`, neither text nor image_url, as a part (or the error naming the types taken). */
  protected abstract writeOtherPart(w: JsonWriter, p: JsonValue, type: string, at: Path): string;
  /** After a content part (user, or an assistant's text) that wrote something. */
  protected afterPart(w: JsonWriter, p: JsonValue): void {}
  /** What an assistant message carries before its text (parts, comma-separated, no brackets). */
  protected writeAssistantLead(w: JsonWriter, m: JsonValue): void {}
  /** An assistant message's `tool_calls` (an array) as parts. Returns an error message or "". */
  protected abstract writeToolCalls(w: JsonWriter, tcs: JsonValue, at: Path): string;
  /** The tool message at `index` of `messages` as parts. */
  protected abstract writeToolResult(w: JsonWriter, m: JsonValue, messages: JsonValue, index: i32, at: Path): string;
  /** The open turn is about to be closed because a turn of the other role follows. */
  protected beforeClose(w: JsonWriter): void {}
  /** `parts` (a `[…]` array) went into the open turn. */
  protected afterParts(parts: Uint8Array): void {}

  /** A user message's content as parts: a string → a text part, parts in order (empty texts left out). */
  private writeUser(w: JsonWriter, c: JsonValue | null, at: Path): string {
    if (c != null && c.isString()) {
      if (!isEmptyString(c)) writeTextPart(w, c);
      return "";
    }
    if (c == null || !c.isArray()) return at.s() + ".content: must be a string or an array of content parts, got " + kindName(c);
    const it = c.iter();
    const pat = new Path(at, ".content.", 0);
    while (it.next()) {
      const p = it.value;
      pat.idx = it.index;
      if (!p.isObject()) return pat.s() + ": must be an object";
      const t = typeOf(p);
      let err = "";
      if (t == "text") {
        const text = p.get("text");
        if (text == null || !text.isString()) return pat.s() + ".text: must be a string";
        if (isEmptyString(text)) continue;
        writeTextPart(w, text);
      } else if (t == "image_url") {
        const url = imageUrlOf(p);
        if (url == null) return pat.s() + ".image_url.url: must be a string";
        err = this.writeImage(w, url, pat);
      } else err = this.writeOtherPart(w, p, t, pat);
      if (err.length) return err;
      this.afterPart(w, p);
    }
    return "";
  }

  /** An assistant message as parts: the upstream's lead, its text (string or text/refusal parts), its tool calls. */
  private writeAssistant(w: JsonWriter, m: JsonValue, at: Path): string {
    this.writeAssistantLead(w, m);
    const c = m.get("content");
    if (c != null && c.isString()) {
      if (!isEmptyString(c)) writeTextPart(w, c);
    } else if (c != null && c.isArray()) {
      const it = c.iter();
      while (it.next()) {
        const p = it.value;
        if (!p.isObject()) continue;
        const text = partText(p);
        if (text == null || !text.isString() || isEmptyString(text)) continue;
        writeTextPart(w, text);
        this.afterPart(w, p);
      }
    } else if (c != null && !c.isNull()) return at.s() + ".content: must be a string, an array or null";
    const tcs = m.get("tool_calls");
    if (tcs == null || tcs.isNull()) return "";
    if (!tcs.isArray()) return at.s() + ".tool_calls: must be an array";
    return this.writeToolCalls(w, tcs, at);
  }

  /** Writes every turn into `w` (inside the caller's array), the last one left open. Returns an error message or "". */
  write(w: JsonWriter, messages: JsonValue): string {
    const at = new Path(null, "messages.", 0);
    const it = messages.iter();
    while (it.next()) {
      const m = it.value;
      at.idx = it.index;
      if (!m.isObject()) return at.s() + ": must be an object";
      const role = roleOf(m);
      const c = m.get("content");
      if (role == "system" || role == "developer") {
        if (c == null || !(c.isString() || c.isArray())) return at.s() + ".content: must be a string or an array of content parts, got " + kindName(c);
        continue;
      }
      let uRole: string;
      if (role == "user" || role == "tool") uRole = "user";
      else if (role == "assistant") uRole = this.assistantRole;
      else return at.s() + ".role: must be system, developer, user, assistant or tool";
      // Parts go to a scratch writer first: a message with none adds nothing.
      const p = new JsonWriter(64);
      p.beginArray();
      let err = "";
      if (role == "user") err = this.writeUser(p, c, at);
      else if (role == "assistant") err = this.writeAssistant(p, m, at);
      else err = this.writeToolResult(p, m, messages, it.index, at);
      if (err.length) return err;
      p.endArray();
      const parts = p.take();
      if (parts.length <= 2) continue;
      if (this.open != uRole) {
        if (this.open.length) {
          this.beforeClose(w);
          w.endArray().endObject();
        }
        w.beginObject().fieldString("role", uRole).key(this.partsKey).beginArray();
        this.open = uRole;
      }
      // The parts' inner bytes, without the array's brackets.
      w.rawBytes(parts, 1, parts.length - 1);
      this.afterParts(parts);
    }
    return "";
  }
}
