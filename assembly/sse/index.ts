// Server-Sent Events over bytes: an incremental parser and a writer. Never traps; errors are values.
//
// PARSE
//   const p = new SseParser(maxEventBytes = 1 MiB, emitComments = false)
//   p.push(chunk: Uint8Array): SseEvent[]          events completed by this chunk (chunks may split anywhere)
//   p.pushSlice(chunk, start, end = -1): SseEvent[]
//   p.finish(): SseEvent[]                         end of stream: an unterminated event comes back with
//                                                  complete = false; the parser resets
//   p.error: string ("" = fine)  p.failed  p.pendingBytes  p.reset()
//   A line or event larger than maxEventBytes sets `error` (sticky until reset()); input is then ignored.
//   Line breaks \n, \r\n, \r (a \r\n split across chunks counts once); leading BOM skipped; events with no
//   data field are not dispatched (spec); `data:` with an empty value IS dispatched with empty data.
//
// SseEvent
//   event: string ("" when no event: field; `type` gives "message" then)   data: Uint8Array (lines joined by \n)
//   id: string | null   retry: i32 (-1)   isComment: bool   complete: bool
//   dataString()  dataEquals(s)  isDone()  (data == "[DONE]")
//
// WRITE
//   const w = new SseWriter(buf: ByteBuffer | null = null)
//   w.event(name, data: Uint8Array)   "event: name\ndata: ...\n\n" (name "" -> no event line)
//   w.eventString(name, s)  w.eventJson(name, jsonWriter)  w.data(bytes)  w.dataJson(jsonWriter)
//   w.done()  "data: [DONE]\n\n"     w.comment(text)  ": text\n\n"
//   w.toBytes() (copy)  w.take() (zero-copy, restarts)  w.clear()  w.length  w.buf
//   writeSseEvent(buf: ByteBuffer, name, data)   multi-line data becomes several data: lines

export { SseParser, SseEvent, DEFAULT_MAX_EVENT_BYTES } from "./parser";
export { SseWriter, writeSseEvent } from "./writer";
