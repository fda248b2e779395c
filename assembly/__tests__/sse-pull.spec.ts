// The pull API (begin/next, what the translators use) must see exactly the events push() returns, at every split.
import { SseParser } from "../sse";
import { utf8Encode, utf8Decode } from "../bytes";

const STREAM =
  "\xEF\xBB\xBFevent: message_start\n" +
  'data: {"type":"message_start"}\n\n' +
  "event: ping\r\n" +
  'data: {"type": "ping"}\r\n\r\n' +
  ": keep-alive\n\n" +
  "event: content_block_delta\r" +
  'data: {"text":"héllo 世界 😀"}\r\r' +
  "id: 42\nretry: 1500\ndata:first\n: comment inside an event\ndata: second\n\n" +
  "data:\n\n" +
  "event: only-a-name\n\n" +
  "data: [DONE]\n\n" +
  "data: tail without blank line";

function viaPush(chunks: Uint8Array[], comments: bool): string {
  const p = new SseParser(1 << 20, comments);
  let s = "";
  for (let i = 0; i < chunks.length; i++) {
    const evs = p.push(chunks[i]);
    for (let j = 0; j < evs.length; j++) {
      const e = evs[j];
      s += (e.isComment ? "#" : "") + e.event + "|" + e.dataString() + "|" + (e.id == null ? "-" : e.id!) + "|" + e.retry.toString() + "\n";
    }
  }
  return s;
}

function viaPull(chunks: Uint8Array[], comments: bool): string {
  const p = new SseParser(1 << 20, comments);
  let s = "";
  for (let i = 0; i < chunks.length; i++) {
    p.begin(chunks[i]);
    while (p.next()) {
      const data = utf8Decode(p.dataBuffer().subarray(0, p.dataLength));
      const name = p.isComment ? "" : p.event;
      const id = p.eventId;
      s += (p.isComment ? "#" : "") + name + "|" + data + "|" + (p.isComment || id == null ? "-" : id!) + "|" +
        (p.isComment ? "-1" : p.eventRetry.toString()) + "\n";
    }
  }
  return s;
}

describe("SseParser pull API", () => {
  it("sees what push() sees, whatever the chunking", () => {
    const b = Uint8Array.wrap(String.UTF8.encode(STREAM));
    for (let c = 0; c < 2; c++) {
      const comments = c == 1;
      const want = viaPush([b], comments);
      expect<string>(viaPull([b], comments)).toBe(want);
      for (let i = 0; i <= b.length; i += 3) {
        const parts = [b.subarray(0, i), b.subarray(i)];
        expect<string>(viaPull(parts, comments)).toBe(want);
        expect<string>(viaPush(parts, comments)).toBe(want);
      }
      const ones = new Array<Uint8Array>();
      for (let i = 0; i < b.length; i++) ones.push(b.subarray(i, i + 1));
      expect<string>(viaPull(ones, comments)).toBe(want);
    }
  });
  it("keeps the event being read intact until next() is called again", () => {
    const p = new SseParser();
    p.begin(utf8Encode("data: a\n\ndata: b\ndata: c\n\n"));
    expect<bool>(p.next()).toBe(true);
    expect<bool>(p.dataEquals("a")).toBe(true);
    expect<i32>(p.pendingBytes).toBe(0);
    expect<bool>(p.next()).toBe(true);
    expect<bool>(p.dataEquals("b\nc")).toBe(true);
    expect<bool>(p.next()).toBe(false);
    expect<i32>(p.finish().length).toBe(0);
  });
});
