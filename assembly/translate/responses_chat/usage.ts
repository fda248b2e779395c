// Responses API usage: {"input_tokens","input_tokens_details":{"cached_tokens"},"output_tokens",
// "output_tokens_details":{"reasoning_tokens"},"total_tokens"}. input_tokens counts cached tokens too (like Chat's
// prompt_tokens); https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
import { JsonValue } from "../../json/value";
import { JsonWriter } from "../../json/writer";
import { Usage } from "../common";

function z(v: i64): i64 { return v < 0 ? 0 : v; }

export function writeResponsesUsage(w: JsonWriter, u: Usage): void {
  const input = u.promptTotal();
  const output = z(u.outputTokens);
  w.beginObject()
    .fieldInt("input_tokens", input)
    .key("input_tokens_details").beginObject().fieldInt("cached_tokens", z(u.cacheReadTokens)).endObject()
    .fieldInt("output_tokens", output)
    .key("output_tokens_details").beginObject().fieldInt("reasoning_tokens", z(u.reasoningTokens)).endObject()
    .fieldInt("total_tokens", input + output)
    .endObject();
}

/** Reads a Responses usage object into `u` (metrics of passed-through answers). */
export function readResponsesUsage(o: JsonValue, u: Usage): void {
  if (!o.isObject()) return;
  const input = o.getInt("input_tokens", -1);
  const output = o.getInt("output_tokens", -1);
  const details = o.get("input_tokens_details");
  const cached = details != null ? details.getInt("cached_tokens", -1) : -1;
  if (input >= 0) u.inputTokens = cached > 0 && cached <= input ? input - cached : input;
  if (cached >= 0) u.cacheReadTokens = cached;
  if (output >= 0) u.outputTokens = output;
  const od = o.get("output_tokens_details");
  const reasoning = od != null ? od.getInt("reasoning_tokens", -1) : -1;
  if (reasoning >= 0) u.reasoningTokens = reasoning;
}
