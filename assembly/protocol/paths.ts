import { ApiName, Protocol } from "./api";

/**
 * The path to call on an upstream of protocol `upstream` for a client call of `api`, when the
 * protocols differ: Messages → `/v1/chat/completions` on OpenAI upstreams, ChatCompletions →
 * `/v1/messages` on Anthropic upstreams. "" means: no conversion, keep the client's path.
 */
export function upstreamPathFor(api: ApiName, upstream: Protocol): string {
  if (api == ApiName.Messages && upstream == Protocol.OpenAI) return "/v1/chat/completions";
  if (api == ApiName.ChatCompletions && upstream == Protocol.Anthropic) return "/v1/messages";
  return "";
}
