// Dify apps (https://docs.dify.ai/en/openapi-api-access-readme) as Higress serves them: difyApiUrl names a
// self-hosted instance (its host; the API paths stay /v1/…), botType picks the app API — Chat and Agent
// /v1/chat-messages, Completion /v1/completion-messages, Workflow /v1/workflows/run with the prompt in inputs
// [inputVariable] and the answer in outputs[outputVariable] — and the app key is the Bearer token.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { Schema } from "../protocol/api";
import { TranslateOptions } from "../translate/common";
import { ProviderModule, ProviderSettings } from "./module";
import { parseUrl } from "./resolve";

const BOT_TYPES: Array<string> = ["Chat", "Completion", "Agent", "Workflow"];

class DifySettings extends ProviderSettings {
  host: string = "";
  botType: string = "Chat";
  inputVariable: string = "";
  outputVariable: string = "";
}

function settingsOf(p: ProviderConfig): DifySettings | null {
  const s = p.settings;
  return s !== null && s instanceof DifySettings ? s as DifySettings : null;
}

export class DifyModule extends ProviderModule {
  fields(): Array<string> { return ["difyApiUrl", "botType", "inputVariable", "outputVariable"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new DifySettings();
    const url = r.str("difyApiUrl");
    if (url.length > 0) s.host = parseUrl(url).authority;
    s.botType = r.oneOf("botType", BOT_TYPES, "Chat");
    s.inputVariable = r.str("inputVariable");
    s.outputVariable = r.str("outputVariable");
    if (s.botType == "Workflow") {
      if (s.inputVariable.length == 0) errors.add(r.fieldPath("inputVariable"), "is required when botType is Workflow");
      if (s.outputVariable.length == 0) errors.add(r.fieldPath("outputVariable"), "is required when botType is Workflow");
    }
    p.settings = s;
  }

  authority(p: ProviderConfig): string {
    const s = settingsOf(p);
    return s !== null ? s.host : "";
  }

  fillPath(p: ProviderConfig, path: string): string {
    const s = settingsOf(p);
    const bot = s !== null ? s.botType : "Chat";
    return path.replace("{difyApp}", bot == "Completion" ? "completion-messages" : bot == "Workflow" ? "workflows/run" : "chat-messages");
  }

  chatSchema(p: ProviderConfig): Schema { return Schema.DifyApp; }

  options(p: ProviderConfig, opts: TranslateOptions): void {
    const s = settingsOf(p);
    if (s === null) return;
    opts.apiVariant = s.botType;
    opts.inputField = s.inputVariable;
    opts.outputField = s.outputVariable;
  }
}

export const DIFY = new DifyModule();
