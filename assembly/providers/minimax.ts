// MiniMax: ChatCompletion v2 (OpenAI format) by default; minimaxApiType "pro" (with minimaxGroupId) sends chat
// requests to ChatCompletion Pro, `/v1/text/chatcompletion_pro?GroupId=<minimaxGroupId>`, in its own format
// (translate/openai_minimax_pro/), as Higress does. Pro requests (and a Pro provider's `protocol: original` ones) go
// to api.minimax.chat, the host Pro was published on and Higress's MiniMax host (still served); v2 and the Anthropic
// endpoint to api.minimaxi.com, where MiniMax documents them today. A providerDomain overrides both.
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Schema } from "../protocol/api";
import { ProviderModule } from "./module";
import { UpstreamTarget } from "./resolve";

const PRO_HOST = "api.minimax.chat";

function pro(p: ProviderConfig): bool { return p.minimaxApiType == "pro"; }

export class MiniMaxModule extends ProviderModule {
  chatSchema(p: ProviderConfig): Schema { return pro(p) ? Schema.MiniMaxPro : Schema.None; }

  path(p: ProviderConfig, api: ApiName): string {
    if (!pro(p) || (api != ApiName.ChatCompletions && api != ApiName.Responses)) return "";
    let id = "";
    for (let i = 0; i < p.minimaxGroupId.length; i++) {
      const c = p.minimaxGroupId.charCodeAt(i);
      const safe = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d || c == 0x5f || c == 0x2e;
      id += safe ? String.fromCharCode(c) : "%" + (c < 16 ? "0" : "") + (c & 0xFF).toString(16).toUpperCase();
    }
    return "/v1/text/chatcompletion_pro?GroupId=" + id;
  }

  adjustTarget(p: ProviderConfig, api: ApiName, target: UpstreamTarget): void {
    const proRequest = target.upstreamSchema == Schema.MiniMaxPro || (pro(p) && p.protocol == "original");
    const row = p.row;
    // Only the row's own host moves: a providerDomain stays as configured.
    if (proRequest && row !== null && target.authority == row.host) target.authority = PRO_HOST;
  }
}

export const MINIMAX = new MiniMaxModule();
