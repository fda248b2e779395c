// Cohere through its OpenAI Compatibility API (https://docs.cohere.com/docs/compatibility-api: chat completions with
// streaming, tools and structured outputs, and embeddings, at /compatibility/v1). Higress's cohere provider sends
// Cohere's v1 `/v1/chat` with the first message only and returns Cohere's own answer unconverted; the compatibility
// API keeps the whole conversation and answers OpenAI and Anthropic clients in their own protocol.
// The compatibility API rejects `stream_options` (https://strandsagents.com/docs/user-guide/concepts/model-providers/
// cohere/): it is taken out of chat requests and the gateway asks for no usage chunk unless streamIncludeUsage says so.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ObjectEdits, parseJson, spliceObject } from "../json";
import { Schema } from "../protocol/api";
import { ProviderModule } from "./module";

export class CohereModule extends ProviderModule {
  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    if (!r.has("streamIncludeUsage")) p.streamIncludeUsage = false;
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    if (schema != Schema.OpenAIChat) return null;
    const root = parseJson(body).value;
    if (root === null || !root.isObject() || !root.has("stream_options")) return null;
    return spliceObject(root, new ObjectEdits().remove("stream_options"));
  }
}

export const COHERE = new CohereModule();
