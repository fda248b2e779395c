// Higress's `promoteThinkingOnEmpty` (and `hiclawMode`): an answer with reasoning but no text gets that reasoning
// as its text, so an agent that reads only the text does not receive an empty reply. It wraps the translator that
// produces the client's answer: OpenAI chat clients (reasoning in `reasoning_content` or `reasoning`) and Anthropic
// clients of a converted answer (`thinking` blocks; Higress promotes in OpenAI form before converting to Claude).
//
// A whole answer: OpenAI's reasoning moves to `content` (as Higress moves it); an Anthropic message gets a text
// block after its thinking blocks (kept: their signatures matter to a later turn). A stream is never held back:
// events pass as they come while the reasoning text is copied aside (bounded); if the answer ends without any text,
// the text goes out just before the event that ends it (OpenAI: the finish_reason or usage chunk or [DONE], as one
// content chunk; Anthropic: message_delta, as one text block). Unlike Higress, the reasoning deltas are not
// withheld: withholding them would delay every reasoning stream to its end.
import { ByteBuffer } from "../bytes/buffer";
import { JsonValue, JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { SseParser } from "../sse/parser";
import { writeSseEvent } from "../sse/writer";
import { Protocol } from "../protocol/api";
import { ResponseTranslator } from "./common";

/** Reasoning kept for promotion at most (a longer one is promoted cut to this size). */
const MAX_KEPT: i32 = 1 << 20;

export class PromoteThinking extends ResponseTranslator {
  private sse: SseParser = new SseParser();
  private sawText: bool = false;
  private done: bool = false;
  private reasoning: ByteBuffer = new ByteBuffer(256);
  /** id, created and model of the stream's chunks (raw JSON), for the promoted chunk. */
  private id: string = "\"\"";
  private created: string = "0";
  private chunkModel: string = "\"\"";
  /** Anthropic streams: the next free content block index. */
  private nextIndex: i64 = 0;

  constructor(public inner: ResponseTranslator) {
    super(inner.client, inner.upstream, inner.opts, inner.stream);
    this.clientIncludeUsage = inner.clientIncludeUsage;
  }

  private sync(out: Uint8Array): Uint8Array {
    const t = this.inner;
    this.usage = t.usage;
    this.model = t.model;
    this.stopReason = t.stopReason;
    this.started = t.started;
    this.finished = t.finished;
    return out;
  }

  body(whole: Uint8Array, status: i32): Uint8Array {
    const out = this.inner.body(whole, status);
    if (status < 200 || status >= 300) return this.sync(out);
    return this.sync(this.client == Protocol.Anthropic ? promoteInMessage(out) : promoteInAnswer(out));
  }

  clientStatus(status: i32): i32 { return this.inner.clientStatus(status); }

  chunk(bytes: Uint8Array): Uint8Array { return this.sync(this.scan(this.inner.chunk(bytes), false)); }

  end(): Uint8Array { return this.sync(this.scan(this.inner.end(), true)); }

  error(status: i32, body: Uint8Array): Uint8Array { return this.sync(this.inner.error(status, body)); }

  fail(status: i32, message: string): Uint8Array { return this.sync(this.inner.fail(status, message)); }

  /** The client's events as they are, with the promoted chunk put before the one that ends the choice. */
  private scan(out: Uint8Array, last: bool): Uint8Array {
    if (this.done && !last) return out;
    const events = this.sse.push(out);
    if (last) {
      const rest = this.sse.finish();
      for (let i = 0; i < rest.length; i++) events.push(rest[i]);
    }
    const buf = new ByteBuffer(out.length + 64);
    for (let i = 0; i < events.length; i++) {
      const ev = events[i];
      if (ev.isComment) { buf.pushString(":" + ev.dataString() + "\n\n"); continue; }
      if (!this.done && (this.client == Protocol.Anthropic ? this.endsMessage(ev.data) : ev.isDone() || this.endsChoice(ev.data))) this.promote(buf);
      writeSseEvent(buf, ev.event, ev.data);
    }
    if (last && !this.done) this.promote(buf);
    return buf.take();
  }

  /** Notes text and reasoning of a chunk; true when it ends the choice (finish_reason, or the usage-only chunk). */
  private endsChoice(data: Uint8Array): bool {
    const root = parseJson(data).value;
    if (root === null || !root.isObject()) return false;
    const choices = root.get("choices");
    if (choices === null || !choices.isArray()) return false;
    if (choices.length == 0) return root.has("usage");
    const choice = choices.at(0)!;
    this.remember(root);
    const delta = choice.isObject() ? choice.get("delta") : null;
    if (delta !== null && delta.isObject()) {
      const text = delta.get("content");
      if (text !== null && text.isString() && text.str().trim().length > 0) this.sawText = true;
      const r = reasoningOf(delta);
      if (r !== null && !this.sawText && this.reasoning.length < MAX_KEPT) this.reasoning.pushString(r.str());
    }
    const finish = choice.isObject() ? choice.get("finish_reason") : null;
    return finish !== null && finish.isString();
  }

  /** Notes text, thinking and block indexes of an Anthropic event; true at message_delta (stop reason) or message_stop. */
  private endsMessage(data: Uint8Array): bool {
    const root = parseJson(data).value;
    if (root === null || !root.isObject()) return false;
    const type = root.getString("type");
    if (type === null) return false;
    if (type == "message_delta" || type == "message_stop") return true;
    const index = root.getInt("index", -1);
    if (index >= this.nextIndex) this.nextIndex = index + 1;
    if (type == "content_block_start") {
      const b = root.get("content_block");
      const text = b !== null && b.isObject() && b.memberEquals("type", "text") ? b.getString("text") : null;
      if (text !== null && text.trim().length > 0) this.sawText = true;
    } else if (type == "content_block_delta") {
      const d = root.get("delta");
      if (d === null || !d.isObject()) return false;
      const text = d.memberEquals("type", "text_delta") ? d.getString("text") : null;
      if (text !== null && text.trim().length > 0) this.sawText = true;
      const thinking = d.memberEquals("type", "thinking_delta") ? d.getString("thinking") : null;
      if (thinking !== null && !this.sawText && this.reasoning.length < MAX_KEPT) this.reasoning.pushString(thinking);
    }
    return false;
  }

  private remember(root: JsonValue): void {
    const id = root.get("id");
    if (id !== null && id.isString()) this.id = id.rawString();
    const created = root.get("created");
    if (created !== null && created.isInteger()) this.created = created.rawString();
    const model = root.get("model");
    if (model !== null && model.isString()) this.chunkModel = model.rawString();
  }

  /** Writes the kept reasoning as text, once, when the answer had no text. */
  private promote(buf: ByteBuffer): void {
    this.done = true;
    if (this.sawText || this.reasoning.length == 0) return;
    if (this.client == Protocol.Anthropic) {
      const i = this.nextIndex;
      const start = new JsonWriter(96);
      start.beginObject().fieldString("type", "content_block_start").fieldInt("index", i)
        .key("content_block").beginObject().fieldString("type", "text").fieldString("text", "").endObject().endObject();
      writeSseEvent(buf, "content_block_start", start.take());
      const delta = new JsonWriter(this.reasoning.length + 96);
      delta.beginObject().fieldString("type", "content_block_delta").fieldInt("index", i)
        .key("delta").beginObject().fieldString("type", "text_delta").key("text").stringFromBytes(this.reasoning.toBytes()).endObject().endObject();
      writeSseEvent(buf, "content_block_delta", delta.take());
      const stop = new JsonWriter(64);
      stop.beginObject().fieldString("type", "content_block_stop").fieldInt("index", i).endObject();
      writeSseEvent(buf, "content_block_stop", stop.take());
      return;
    }
    const w = new JsonWriter(this.reasoning.length + 160);
    w.beginObject().key("id").rawString(this.id).fieldString("object", "chat.completion.chunk")
      .key("created").rawString(this.created).key("model").rawString(this.chunkModel)
      .key("choices").beginArray().beginObject().fieldInt("index", 0)
      .key("delta").beginObject().key("content").stringFromBytes(this.reasoning.toBytes()).endObject()
      .fieldNull("finish_reason").endObject().endArray().endObject();
    writeSseEvent(buf, "", w.take());
  }
}

function reasoningOf(m: JsonValue): JsonValue | null {
  let r = m.get("reasoning_content");
  if (r === null || !r.isString() || r.str().length == 0) r = m.get("reasoning");
  return r !== null && r.isString() && r.str().length > 0 ? r : null;
}

/** A whole chat completion with each text-less choice's reasoning moved to `content`; the same bytes when none. */
function promoteInAnswer(body: Uint8Array): Uint8Array {
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return body;
  const choices = root.get("choices");
  if (choices === null || !choices.isArray()) return body;
  let changed = false;
  const w = new JsonWriter(body.length + 16);
  w.beginArray();
  for (let i = 0, n = choices.length; i < n; i++) {
    const c = choices.at(i)!;
    const m = c.isObject() ? c.get("message") : null;
    const text = m !== null && m.isObject() ? m.get("content") : null;
    const empty = text === null || text.isNull() || (text.isString() && text.str().trim().length == 0);
    const r = m !== null && m.isObject() && empty ? reasoningOf(m) : null;
    if (r === null) { w.raw(c); continue; }
    const msg = spliceObject(m!, new ObjectEdits().setValue("content", r).remove("reasoning_content").remove("reasoning"));
    const choice = msg !== null ? spliceObject(c, new ObjectEdits().setRaw("message", msg)) : null;
    if (choice === null) { w.raw(c); continue; }
    w.rawBytes(choice);
    changed = true;
  }
  w.endArray();
  if (!changed) return body;
  const out = spliceObject(root, new ObjectEdits().setRaw("choices", w.take()), true);
  return out !== null ? out : body;
}

/** A whole Anthropic message without text but with thinking: a text block with that thinking after its blocks. */
function promoteInMessage(body: Uint8Array): Uint8Array {
  const root = parseJson(body).value;
  if (root === null || !root.isObject()) return body;
  const content = root.get("content");
  if (content === null || !content.isArray()) return body;
  let thinking = "";
  for (let i = 0, n = content.length; i < n; i++) {
    const b = content.at(i)!;
    if (!b.isObject()) continue;
    if (b.memberEquals("type", "text")) {
      const t = b.getString("text");
      if (t !== null && t.trim().length > 0) return body;
    } else if (b.memberEquals("type", "thinking")) {
      const t = b.getString("thinking");
      if (t !== null) thinking += t;
    }
  }
  if (thinking.length == 0) return body;
  const w = new JsonWriter(content.end - content.start + thinking.length + 48);
  w.beginArray();
  for (let i = 0, n = content.length; i < n; i++) w.raw(content.at(i)!);
  w.beginObject().fieldString("type", "text").fieldString("text", thinking).endObject();
  w.endArray();
  const out = spliceObject(root, new ObjectEdits().setRaw("content", w.take()), true);
  return out !== null ? out : body;
}
