// MiniMax: ChatCompletion v2 (OpenAI format) by default; minimaxApiType "pro" (with minimaxGroupId) sends chat
// requests to ChatCompletion Pro, `/v1/text/chatcompletion_pro?GroupId=<minimaxGroupId>`, in its own format
// (translate/openai_minimax_pro/), as Higress does.
import { ProviderConfig } from "../config/provider-config";
import { ApiName, Schema } from "../protocol/api";
import { ProviderModule } from "./module";

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
}

export const MINIMAX = new MiniMaxModule();
