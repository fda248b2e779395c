import { SseParser, SseEvent, SseWriter, writeSseEvent } from "../sse";
import { ByteBuffer, utf8Encode, utf8Decode } from "../bytes";
import { JsonWriter, parseJson } from "../json";

function describeEvents(events: SseEvent[]): string {
  let s = "";
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    s += (e.isComment ? "#" : "") + e.event + "|" + e.dataString() + "|" + (e.id == null ? "-" : e.id!) + "|" +
      e.retry.toString() + (e.complete ? "" : "|incomplete") + "\n";
  }
  return s;
}

function feedAll(p: SseParser, chunks: Uint8Array[]): SseEvent[] {
  const out = new Array<SseEvent>(0);
  for (let i = 0; i < chunks.length; i++) {
    const evs = p.push(chunks[i]);
    for (let j = 0; j < evs.length; j++) out.push(evs[j]);
  }
  const fin = p.finish();
  for (let j = 0; j < fin.length; j++) out.push(fin[j]);
  return out;
}

function whole(text: string, emitComments: bool = false): string {
  return describeEvents(feedAll(new SseParser(1 << 20, emitComments), [utf8Encode(text)]));
}

const ANTHROPIC =
  "event: message_start\n" +
  'data: {"type":"message_start","message":{"id":"msg_1","role":"assistant","content":[],"usage":{"input_tokens":10}}}\n\n' +
  "event: ping\r\n" +
  'data: {"type": "ping"}\r\n\r\n' +
  ": keep-alive comment\n\n" +
  "event: content_block_delta\r" +
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo 世界 😀"}}\r\r' +
  "id: 42\nretry: 1500\ndata:first\ndata: second\ndata:  third\n\n" +
  "data:\n\n" +
  "data\n\n" +
  "event: only-a-name\n\n" +
  "unknown: field\ndata: x\nevent\n\n" +
  "data: [DONE]\n\n";

const ANTHROPIC_EVENTS =
  'message_start|{"type":"message_start","message":{"id":"msg_1","role":"assistant","content":[],"usage":{"input_tokens":10}}}|-|-1\n' +
  'ping|{"type": "ping"}|-|-1\n' +
  'content_block_delta|{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo 世界 😀"}}|-|-1\n' +
  "|first\nsecond\n third|42|1500\n" +
  "||-|-1\n" +
  "||-|-1\n" +
  "|x|-|-1\n" +
  "|[DONE]|-|-1\n";

describe("SseParser", () => {
  it("parses a transcript delivered whole", () => {
    expect<string>(whole(ANTHROPIC)).toBe(ANTHROPIC_EVENTS);
  });

  it("gives the same events for a split at every byte boundary", () => {
    const b = utf8Encode(ANTHROPIC);
    for (let i = 0; i <= b.length; i++) {
      const evs = feedAll(new SseParser(), [b.subarray(0, i), b.subarray(i)]);
      expect<string>(describeEvents(evs)).toBe(ANTHROPIC_EVENTS);
    }
  });

  it("gives the same events for two splits and for 1-byte chunks", () => {
    const b = utf8Encode(ANTHROPIC);
    for (let i = 0; i < b.length; i += 7) {
      for (let j = i; j <= b.length; j += 5) {
        const evs = feedAll(new SseParser(), [b.subarray(0, i), b.subarray(i, j), b.subarray(j)]);
        expect<string>(describeEvents(evs)).toBe(ANTHROPIC_EVENTS);
      }
    }
    const ones = new Array<Uint8Array>(0);
    for (let i = 0; i < b.length; i++) ones.push(b.subarray(i, i + 1));
    expect<string>(describeEvents(feedAll(new SseParser(), ones))).toBe(ANTHROPIC_EVENTS);
  });

  it("handles a \\r\\n split between chunks as one line break", () => {
    const p = new SseParser();
    let evs = p.push(utf8Encode("data: a\r"));
    expect<i32>(evs.length).toBe(0);
    evs = p.push(utf8Encode("\n\r"));
    expect<i32>(evs.length).toBe(1);
    expect<string>(evs[0].dataString()).toBe("a");
    evs = p.push(utf8Encode("\ndata: b\r\r"));
    expect<i32>(evs.length).toBe(1);
    expect<string>(evs[0].dataString()).toBe("b");
  });

  it("keeps a UTF-8 character split across chunks intact", () => {
    const b = utf8Encode("data: 😀\n\n");
    const p = new SseParser();
    expect<i32>(p.push(b.subarray(0, 8)).length).toBe(0);
    const evs = p.push(b.subarray(8));
    expect<string>(evs[0].dataString()).toBe("😀");
    expect<i32>(evs[0].data.length).toBe(4);
  });

  it("reports comments when asked", () => {
    expect<string>(whole(": hi\n:\n:x\ndata: d\n\n", true)).toBe("#|hi|-|-1\n#||-|-1\n#|x|-|-1\n|d|-|-1\n");
    expect<string>(whole(": hi\ndata: d\n\n")).toBe("|d|-|-1\n");
  });

  it("reports an unterminated final event as incomplete", () => {
    expect<string>(whole("data: {\"a\":1}\n\ndata: partial")).toBe('|{"a":1}|-|-1\n|partial|-|-1|incomplete\n');
    expect<string>(whole("event: x\ndata: y\n")).toBe("x|y|-|-1|incomplete\n");
    expect<string>(whole("event: x\n")).toBe("");
    expect<string>(whole("")).toBe("");
    const p = new SseParser();
    p.push(utf8Encode("data: a"));
    expect<i32>(p.finish().length).toBe(1);
    // finish() resets: the parser can be reused.
    expect<i32>(p.push(utf8Encode("data: b\n\n")).length).toBe(1);
  });

  it("skips a leading BOM, even when split", () => {
    const b = new Uint8Array(3);
    b[0] = 0xEF; b[1] = 0xBB; b[2] = 0xBF;
    const p = new SseParser();
    p.push(b.subarray(0, 2));
    p.push(b.subarray(2));
    const evs = p.push(utf8Encode("event: e\ndata: d\n\n"));
    expect<string>(describeEvents(evs)).toBe("e|d|-|-1\n");
  });

  it("ignores ids with NUL and invalid retry values", () => {
    expect<string>(whole("id: a\u0000b\nretry: 12x\ndata: d\n\n")).toBe("|d|-|-1\n");
    expect<string>(whole("id\ndata: d\n\n")).toBe("|d||-1\n");
  });

  it("bounds memory: an oversized line or event is an error value", () => {
    const p = new SseParser(64);
    const big = utf8Encode("data: " + "x".repeat(100));
    const evs = p.push(big);
    expect<i32>(evs.length).toBe(0);
    expect<bool>(p.failed).toBe(true);
    expect<string>(p.error).toBe("SSE line longer than 64 bytes");
    expect<i32>(p.push(utf8Encode("\n\ndata: ok\n\n")).length).toBe(0);
    expect<i32>(p.finish().length).toBe(0);
    p.reset();
    expect<bool>(p.failed).toBe(false);
    expect<i32>(p.push(utf8Encode("data: ok\n\n")).length).toBe(1);

    const q = new SseParser(64);
    let text = "";
    for (let i = 0; i < 10; i++) text += "data: 0123456789\n";
    q.push(utf8Encode(text));
    expect<string>(q.error).toBe("SSE event larger than 64 bytes");

    // Partial line growth across chunks is bounded too.
    const r = new SseParser(64);
    for (let i = 0; i < 20; i++) r.push(utf8Encode("xxxxxxxx"));
    expect<bool>(r.failed).toBe(true);
    expect<bool>(r.pendingBytes <= 64).toBe(true);
  });

  it("recognises [DONE] and parses JSON payloads straight from the bytes", () => {
    const evs = new SseParser().push(utf8Encode('data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n'));
    expect<i32>(evs.length).toBe(2);
    expect<bool>(evs[0].isDone()).toBe(false);
    const v = parseJson(evs[0].data).value!;
    expect<string>(v.getArray("choices")!.at(0)!.getObject("delta")!.getString("content")!).toBe("hi");
    expect<bool>(evs[1].isDone()).toBe(true);
    expect<string>(evs[1].type).toBe("message");
  });

  it("pushSlice clamps its range", () => {
    const p = new SseParser();
    const b = utf8Encode("xxdata: a\n\nyy");
    expect<i32>(p.pushSlice(b, 2, 11).length).toBe(1);
    expect<i32>(p.pushSlice(b, -4, 1000).length).toBe(0);
  });
});

describe("SseWriter", () => {
  it("frames events like Anthropic and OpenAI", () => {
    const w = new SseWriter();
    w.event("message_start", utf8Encode('{"type":"message_start"}'));
    w.data(utf8Encode('{"id":"c"}'));
    w.done();
    expect<string>(w.toString()).toBe('event: message_start\ndata: {"type":"message_start"}\n\ndata: {"id":"c"}\n\ndata: [DONE]\n\n');
  });

  it("splits multi-line data and writes comments", () => {
    const w = new SseWriter();
    w.eventString("", "a\nb\r\nc\rd");
    w.comment("ping\nx");
    w.eventString("e", "");
    expect<string>(w.toString()).toBe("data: a\ndata: b\ndata: c\ndata: d\n\n: ping x\n\nevent: e\ndata: \n\n");
  });

  it("writes JSON straight from a JsonWriter into a shared buffer", () => {
    const buf = new ByteBuffer();
    const w = new SseWriter(buf);
    const j = new JsonWriter();
    j.beginObject().fieldString("type", "ping").endObject();
    w.eventJson("ping", j);
    w.dataJson(j);
    expect<string>(buf.toString()).toBe('event: ping\ndata: {"type":"ping"}\n\ndata: {"type":"ping"}\n\n');
    writeSseEvent(buf, "x", utf8Encode("1"));
    const t = w.take();
    expect<string>(utf8Decode(t)).toBe('event: ping\ndata: {"type":"ping"}\n\ndata: {"type":"ping"}\n\nevent: x\ndata: 1\n\n');
    expect<i32>(w.length).toBe(0);
  });

  it("round-trips through the parser", () => {
    const w = new SseWriter();
    w.eventString("content_block_delta", '{"t":"é😀"}');
    w.eventString("", "multi\nline");
    w.done();
    expect<string>(describeEvents(feedAll(new SseParser(), [w.toBytes()])))
      .toBe('content_block_delta|{"t":"é😀"}|-|-1\n|multi\nline|-|-1\n|[DONE]|-|-1\n');
  });
});
