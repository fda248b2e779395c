// DeepL (https://developers.deepl.com/api-reference/translate): seed 001's `targetLang` (required) becomes the
// request's target_lang. The host: Higress picks api.deepl.com for model "Pro" and api-free.deepl.com for "Free";
// DeepL documents that Free API keys end in ":fx" and answer only on api-free.deepl.com
// (https://developers.deepl.com/docs/getting-started/auth), so the keys decide here (the host is known before the
// body is read): keys that all end in ":fx" go to api-free.deepl.com, others to api.deepl.com.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { TranslateOptions } from "../translate/common";
import { ProviderModule, ProviderSettings } from "./module";

class DeepLSettings extends ProviderSettings {
  targetLang: string = "";
}

export class DeepLModule extends ProviderModule {
  fields(): Array<string> { return ["targetLang"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new DeepLSettings();
    s.targetLang = r.str("targetLang");
    if (s.targetLang.length == 0) errors.add(r.fieldPath("targetLang"), "is required for provider type deepl (the language to translate into, e.g. \"ZH\")");
    p.settings = s;
  }

  authority(p: ProviderConfig): string {
    const keys = p.apiTokens;
    for (let i = 0; i < keys.length; i++) if (!keys[i].endsWith(":fx")) return "api.deepl.com";
    return keys.length > 0 ? "api-free.deepl.com" : "api.deepl.com";
  }

  options(p: ProviderConfig, opts: TranslateOptions): void {
    const s = p.settings;
    if (s !== null) opts.targetLang = (s as DeepLSettings).targetLang;
  }
}

export const DEEPL = new DeepLModule();
