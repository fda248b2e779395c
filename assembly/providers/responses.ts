// Where the OpenAI Responses API (/v1/responses) goes for each provider: natively where the provider serves it
// (its path from its documentation), else converted to its chat protocol (translate/responses/).
import { ProviderConfig } from "../config/provider-config";
import { Protocol } from "../protocol/api";
import { AzureForm } from "./azure";
import { ProviderRow } from "./table";

/** translate/responses ResponsesRoute values; -1: the request is not a Responses one. */
export const ROUTE_NATIVE: i32 = 0;
export const ROUTE_CHAT: i32 = 1;
export const ROUTE_MESSAGES: i32 = 2;

/** The provider's own /v1/responses path, "" when it has none. */
export function nativeResponsesPath(p: ProviderConfig, row: ProviderRow): string {
  const t = row.type;
  // https://platform.openai.com/docs/api-reference/responses/create
  if (t == "openai") return "/v1/responses";
  // https://docs.x.ai/docs/api-reference#create-new-response
  if (t == "grok") return "/v1/responses";
  // https://console.groq.com/docs/responses-api (base https://api.groq.com/openai/v1)
  if (t == "groq") return "/openai/v1/responses";
  // https://openrouter.ai/docs/api-reference/responses-api/overview (base https://openrouter.ai/api/v1)
  if (t == "openrouter") return "/api/v1/responses";
  // https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (Responses API)
  if (t == "vllm") return "/v1/responses";
  if (t == "azure") {
    // https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses: /openai/v1/responses, or
    // /openai/responses?api-version=… (not per deployment: the body's model names the deployment)
    const a = p.azure;
    const path = a.form == AzureForm.V1 ? a.path + "/responses" : "/openai/responses";
    return a.query.length > 0 ? path + "?" + a.query : path;
  }
  return "";
}

/** The route of a Responses create request to `row`'s provider (native path given, or ""). */
export function responsesRoute(row: ProviderRow, nativePath: string): i32 {
  if (nativePath.length > 0) return ROUTE_NATIVE;
  return row.protocol == Protocol.Anthropic ? ROUTE_MESSAGES : ROUTE_CHAT;
}

/** `/v1/responses/{id}/…` of the client's path on the provider's native base; "" when the path has none. */
export function storedResponsesPath(nativePath: string, clientPath: string): string {
  const at = clientPath.indexOf("/v1/responses/");
  if (at < 0 || nativePath.length == 0) return "";
  const q = nativePath.indexOf("?");
  const base = q >= 0 ? nativePath.substring(0, q) : nativePath;
  const rest = clientPath.substring(at + 13); // from "/{id}…", query included
  if (q < 0) return base + rest;
  // Azure's api-version joins the client's own query.
  return rest.includes("?") ? base + rest + "&" + nativePath.substring(q + 1) : base + rest + "?" + nativePath.substring(q + 1);
}
