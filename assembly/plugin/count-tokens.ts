// Anthropic /v1/messages/count_tokens for providers that do not offer it: a local estimate, so Claude Code
// (which calls it before large requests) keeps working. The reply says it is an estimate in a header.
import { HeaderPair } from "../abi";
import { parseJson, JsonKind, JsonValue, JsonWriter } from "../json";
import { sendJson } from "./reply";

export const ESTIMATE_HEADER = "x-ai-proxy-token-count";

/** Roughly 4 ASCII bytes per token; one token per non-ASCII character (CJK text is about that). */
function textWeight(b: Uint8Array): f64 {
  let w: f64 = 0;
  for (let i = 0, n = b.length; i < n; i++) {
    const c = unchecked(b[i]);
    if (c < 0x80) w += 0.25;
    else if (c >= 0xC0) w += 1;
  }
  return w;
}

function weigh(v: JsonValue, depth: i32): f64 {
  if (depth > 64) return 0;
  switch (v.kind) {
    case JsonKind.String: return textWeight(v.strBytes());
    case JsonKind.Number: return 1;
    case JsonKind.Array: {
      let w: f64 = 0;
      for (let i = 0, n = v.length; i < n; i++) {
        const c = v.at(i);
        if (c !== null) w += weigh(c, depth + 1);
      }
      return w;
    }
    case JsonKind.Object: {
      let w: f64 = 0;
      for (let i = 0, n = v.length; i < n; i++) {
        const c = v.at(i);
        if (c !== null) w += weigh(c, depth + 1) + 0.5;
      }
      return w;
    }
    default: return 0;
  }
}

/** The estimated input tokens of an Anthropic Messages (count_tokens) body; -1 when it is not a JSON object. */
export function estimateInputTokens(body: Uint8Array): i64 {
  const r = parseJson(body);
  const root = r.value;
  if (root === null || !root.isObject()) return -1;
  return estimateRequestTokens(root);
}

/** The estimate for a parsed request (either protocol: system, messages, tools). */
export function estimateRequestTokens(root: JsonValue): i64 {
  let w: f64 = 0;
  const system = root.get("system");
  if (system !== null) w += weigh(system, 0) + 4;
  const messages = root.get("messages");
  if (messages !== null && messages.isArray()) {
    for (let i = 0, n = messages.length; i < n; i++) {
      const m = messages.at(i);
      if (m !== null) w += weigh(m, 0) + 4;
    }
  }
  const tools = root.get("tools");
  if (tools !== null) w += weigh(tools, 0) * 1.2;
  return <i64>Math.ceil(w);
}

/** Answers the count_tokens request locally with `{"input_tokens": N}` and `x-ai-proxy-token-count: estimated`. */
export function answerCountTokens(tokens: i64): void {
  const w = new JsonWriter(32);
  w.beginObject().fieldInt("input_tokens", tokens).endObject();
  sendJson(200, w.take(), [new HeaderPair(ESTIMATE_HEADER, "estimated")]);
}
