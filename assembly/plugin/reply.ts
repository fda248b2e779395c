// Local replies in the client's own protocol (Anthropic error JSON on /v1/messages, OpenAI's elsewhere).
import { HeaderPair, sendLocalResponse } from "../abi";
import { errorBody } from "../protocol/errors";
import { Protocol } from "../protocol/api";

export function sendError(client: Protocol, status: i32, message: string, details: string, extraHeaders: Array<HeaderPair> | null = null): void {
  const body = errorBody(client, status, message);
  const headers: Array<HeaderPair> = [new HeaderPair("content-type", "application/json")];
  if (extraHeaders !== null) for (let i = 0; i < extraHeaders.length; i++) headers.push(extraHeaders[i]);
  sendLocalResponse(<u32>status, details, body, headers);
}

/** A JSON body answered by the gateway itself (e.g. a local count_tokens estimate). */
export function sendJson(status: i32, body: Uint8Array, extraHeaders: Array<HeaderPair>): void {
  const headers: Array<HeaderPair> = [new HeaderPair("content-type", "application/json")];
  for (let i = 0; i < extraHeaders.length; i++) headers.push(extraHeaders[i]);
  sendLocalResponse(<u32>status, "ai_proxy_local", body, headers);
}
