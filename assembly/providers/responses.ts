// Paths of the OpenAI Responses API beyond create (/v1/responses/{id}, /cancel, /input_items …) on a provider that
// serves it natively, and Azure's Responses paths (outside deployments).
import { AzureForm, AzureUrl } from "./azure";
import { withQuery } from "./resolve";

/** The provider's responses path followed by what follows `/v1/responses` in the client's path (query included). */
export function storedResponsePath(nativePath: string, clientPath: string): string {
  const at = clientPath.indexOf("/v1/responses/");
  return at < 0 ? nativePath : nativePath + clientPath.substring(at + 13);
}

/**
 * Azure: https://learn.microsoft.com/azure/ai-foundry/openai/how-to/responses — /openai/v1/responses… (the v1 form),
 * else /openai/responses…?api-version=… (the body's model names the deployment). `rest` starts at "/responses".
 */
export function azureResponsesPath(a: AzureUrl, rest: string): string {
  const path = (a.form == AzureForm.V1 ? a.path : "/openai") + rest;
  return a.query.length == 0 ? path : withQuery(path, "?" + a.query);
}
