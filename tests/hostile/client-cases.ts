// Hostile client requests, per client protocol: each with the status and the message the gateway must answer.
// Driven through the host (tests/hostile/clients.test.ts) and end to end on both runtimes
// (tests/e2e/hostile-clients.test.ts).
import type { Proto } from "./streams";

export const PATH: Record<Proto, string> = { openai: "/v1/chat/completions", anthropic: "/v1/messages" };

export const GOOD: Record<Proto, string> = {
  openai: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
  anthropic: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }),
};

const enc = new TextEncoder();
export const cat = (...parts: Array<string | number[]>) => new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...enc.encode(p)] : p)));

/** A request body per client protocol, with `X` standing for the spot being attacked. */
export function both(openai: string, anthropic: string): Record<Proto, string> { return { openai, anthropic }; }
export const O = (x: string) => `{"model":"gpt-4o","messages":[{"role":"user","content":${x}}]}`;
export const A = (x: string) => `{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":${x}}]}`;

export interface Case { name: string; body: Record<Proto, string | Uint8Array | null>; status: number; message: RegExp }

export const CASES: Case[] = [
  { name: "no body at all", body: { openai: null, anthropic: null }, status: 400, message: /request body is required/ },
  { name: "empty body", body: { openai: "", anthropic: "" }, status: 400, message: /not valid JSON|body is required/ },
  { name: "truncated JSON", body: both(O('"hi"').slice(0, 30), A('"hi"').slice(0, 40)), status: 400, message: /not valid JSON/ },
  { name: "not JSON", body: both("hello there", "model=claude&messages=hi"), status: 400, message: /not valid JSON/ },
  { name: "JSON but not an object", body: both("[1,2,3]", "\"a string\""), status: 400, message: /must be a JSON object/ },
  { name: "messages not an array", body: both('{"model":"gpt-4o","messages":"hi"}', '{"model":"c","max_tokens":5,"messages":{"role":"user"}}'), status: 400, message: /messages/ },
  { name: "content a number", body: both(O("42"), A("42")), status: 400, message: /content/ },
  {
    name: "tool call / tool_use without id",
    body: both(
      '{"model":"gpt-4o","messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]},{"role":"tool","content":"r"}]}',
      '{"model":"c","max_tokens":5,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]},{"role":"user","content":"x"}]}',
    ),
    status: 400, message: /id/,
  },
  { name: "image without source", body: both(O('[{"type":"image_url"}]'), A('[{"type":"image"}]')), status: 400, message: /image|source|url/ },
  { name: "duplicate keys", body: both('{"model":"gpt-4o","model":"o3","messages":[{"role":"user","content":"hi"}]}', '{"model":"c","max_tokens":5,"max_tokens":9,"messages":[{"role":"user","content":"hi"}]}'), status: 400, message: /duplicate key "(model|max_tokens)"/ },
  { name: "duplicate keys spelled with escapes", body: both('{"model":"gpt-4o","\\u006dodel":"o3","messages":[]}', '{"model":"c","max_tokens":5,"m\\u0061x_tokens":9,"messages":[]}'), status: 400, message: /duplicate key/ },
  { name: "invalid UTF-8", body: { openai: cat('{"model":"gpt-4o","messages":[{"role":"user","content":"a', [0xff, 0xc0, 0x80], '"}]}'), anthropic: cat('{"model":"c","max_tokens":5,"messages":[{"role":"user","content":"', [0xed, 0xa0, 0x80], '"}]}') }, status: 400, message: /UTF-8/ },
  { name: "lone surrogate escape", body: both(O('"a\\ud800b"'), A('"\\udc00"')), status: 400, message: /lone UTF-16 surrogate/ },
  { name: "raw NUL byte", body: { openai: cat('{"model":"gpt-4o","messages":[{"role":"user","content":"a', [0], '"}]}'), anthropic: cat('{"model":"c",', [0], '"max_tokens":5,"messages":[]}') }, status: 400, message: /not valid JSON/ },
  { name: "number out of range (1e999)", body: both('{"model":"gpt-4o","temperature":1e999,"messages":[{"role":"user","content":"hi"}]}', '{"model":"c","max_tokens":1e999,"messages":[{"role":"user","content":"hi"}]}'), status: 400, message: /1e999 is out of range/ },
  { name: "nested 10,000 deep", body: both(O("[".repeat(10000) + "]".repeat(10000)), A('{"a":'.repeat(10000) + "1" + "}".repeat(10000))), status: 400, message: /nesting deeper than/ },
];

