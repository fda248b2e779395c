// Usage read from either vendor and written in either vendor's shape.
//
// OpenAI `prompt_tokens` counts every prompt token, cached ones included; Anthropic
// `input_tokens` counts only tokens neither read from nor written to the cache. So:
//   Anthropic input_tokens = prompt_tokens − cached − cache_written
//   OpenAI prompt_tokens  = input_tokens + cache_read_input_tokens + cache_creation_input_tokens
// Cached counts are taken from wherever a vendor puts them (OpenAI
// prompt_tokens_details.cached_tokens, DeepSeek prompt_cache_hit_tokens, Moonshot
// usage.cached_tokens); the largest wins, so an upstream's count is never reported as 0.

import { JsonValue } from "../json/value";
import { JsonWriter } from "../json/writer";
import { Usage } from "./common";

function num(o: JsonValue | null, key: string): i64 {
  if (o == null || !o.isObject()) return -1;
  const v = o.get(key);
  if (v == null || !v.isNumber()) return -1;
  const n = v.asI64(-1);
  return n < 0 ? -1 : n;
}

function maxOf(a: i64, b: i64): i64 { return a > b ? a : b; }

/** Reads an OpenAI-style usage object into `u` (fields present overwrite). */
export function readOpenAIUsage(o: JsonValue, u: Usage): void {
  if (!o.isObject()) return;
  const details = o.get("prompt_tokens_details");
  let cached = num(details, "cached_tokens");
  cached = maxOf(cached, num(o, "prompt_cache_hit_tokens"));
  cached = maxOf(cached, num(o, "cached_tokens"));
  cached = maxOf(cached, num(o, "cache_read_input_tokens"));
  let written = num(details, "cache_creation_tokens");
  written = maxOf(written, num(details, "cache_write_tokens"));
  written = maxOf(written, num(o, "cache_creation_input_tokens"));
  const prompt = num(o, "prompt_tokens");
  const completion = num(o, "completion_tokens");
  if (prompt >= 0) {
    let input = prompt;
    if (cached > 0) input -= cached;
    if (written > 0) input -= written;
    u.inputTokens = input < 0 ? 0 : input;
  }
  if (cached >= 0) u.cacheReadTokens = cached;
  if (written >= 0) u.cacheCreationTokens = written;
  if (completion >= 0) u.outputTokens = completion;
  const r = num(o.get("completion_tokens_details"), "reasoning_tokens");
  if (r >= 0) u.reasoningTokens = r;
}

/** Reads an Anthropic usage object into `u` (fields present overwrite; message_delta is cumulative). */
export function readAnthropicUsage(o: JsonValue, u: Usage): void {
  if (!o.isObject()) return;
  const input = num(o, "input_tokens");
  const output = num(o, "output_tokens");
  const read = num(o, "cache_read_input_tokens");
  const written = num(o, "cache_creation_input_tokens");
  if (input >= 0) u.inputTokens = input;
  if (output >= 0) u.outputTokens = output;
  if (read >= 0) u.cacheReadTokens = read;
  if (written >= 0) u.cacheCreationTokens = written;
}

function z(v: i64): i64 { return v < 0 ? 0 : v; }

/**
 * Anthropic usage object:
 * {"input_tokens":N,"cache_creation_input_tokens":N,"cache_read_input_tokens":N,"output_tokens":N}
 */
export function writeAnthropicUsage(w: JsonWriter, u: Usage): void {
  w.beginObject()
    .fieldInt("input_tokens", z(u.inputTokens))
    .fieldInt("cache_creation_input_tokens", z(u.cacheCreationTokens))
    .fieldInt("cache_read_input_tokens", z(u.cacheReadTokens))
    .fieldInt("output_tokens", z(u.outputTokens))
    .endObject();
}

/**
 * OpenAI usage object:
 * {"prompt_tokens":P,"completion_tokens":C,"total_tokens":P+C,"prompt_tokens_details":{"cached_tokens":R}
 *  [,"completion_tokens_details":{"reasoning_tokens":N}] [,"cache_creation_input_tokens":W]}
 * (reasoning only when the upstream reported it; W only when > 0.) `omitUncached`: no prompt_tokens_details when
 * nothing was read from or written to the cache (Higress's Bedrock answers).
 */
export function writeOpenAIUsage(w: JsonWriter, u: Usage, omitUncached: bool = false): void {
  const p = u.promptTotal();
  const c = z(u.outputTokens);
  w.beginObject()
    .fieldInt("prompt_tokens", p)
    .fieldInt("completion_tokens", c)
    .fieldInt("total_tokens", p + c);
  if (!omitUncached || u.cacheReadTokens > 0 || u.cacheCreationTokens > 0) {
    w.key("prompt_tokens_details").beginObject().fieldInt("cached_tokens", z(u.cacheReadTokens)).endObject();
  }
  if (u.reasoningTokens >= 0) w.key("completion_tokens_details").beginObject().fieldInt("reasoning_tokens", u.reasoningTokens).endObject();
  if (u.cacheCreationTokens > 0) w.fieldInt("cache_creation_input_tokens", u.cacheCreationTokens);
  w.endObject();
}

/** OpenAI finish_reason → Anthropic stop_reason. */
export function stopReasonFromFinish(finish: string, sawTools: bool): string {
  if (finish == "length") return "max_tokens";
  if (finish == "tool_calls" || finish == "function_call") return "tool_use";
  if (finish == "content_filter") return "refusal";
  return sawTools ? "tool_use" : "end_turn";
}

/**
 * The stop reason of an OpenAI answer that carried a refusal (`message.refusal` / `delta.refusal`): OpenAI ends it
 * with finish_reason "stop" (https://platform.openai.com/docs/guides/structured-outputs#refusals), Anthropic's
 * counterpart is stop_reason "refusal".
 */
export function stopReasonAfterRefusal(stop: string, refused: bool): string {
  return refused && stop == "end_turn" ? "refusal" : stop;
}

/** Anthropic stop_reason → OpenAI finish_reason. */
export function finishFromStopReason(stop: string): string {
  if (stop == "max_tokens" || stop == "model_context_window_exceeded") return "length";
  if (stop == "tool_use") return "tool_calls";
  if (stop == "refusal") return "content_filter";
  return "stop"; // end_turn, stop_sequence, pause_turn, unknown
}

/** Reasoning modes. */
export const REASONING_PASSTHROUGH: i32 = 0;
export const REASONING_IGNORE: i32 = 1;
export const REASONING_CONCAT: i32 = 2;

export function reasoningMode(s: string): i32 {
  if (s == "ignore") return REASONING_IGNORE;
  if (s == "concat") return REASONING_CONCAT;
  return REASONING_PASSTHROUGH;
}

/** Concat mode wraps reasoning as THINK_OPEN + reasoning + THINK_CLOSE before the visible text. */
export const THINK_OPEN = "<think>\n";
export const THINK_CLOSE = "\n</think>\n\n";
