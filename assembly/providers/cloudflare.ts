// Cloudflare Workers AI (https://developers.cloudflare.com/workers-ai/configuration/open-ai-compatibility): the
// account id in every path (`/client/v4/accounts/{cloudflareAccountId}/ai/v1/…`) is its one configuration field.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ProviderModule, ProviderSettings } from "./module";

class CloudflareSettings extends ProviderSettings {
  accountId: string = "";
}

class CloudflareModule extends ProviderModule {
  fields(): Array<string> { return ["cloudflareAccountId"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new CloudflareSettings();
    s.accountId = r.str("cloudflareAccountId");
    // Higress accepts the configuration and sends /client/v4/accounts//ai/…, which Cloudflare cannot route: the
    // provider stays (its scope loads, as in Higress) and its requests get an error naming the field.
    if (s.accountId.length == 0) {
      errors.warn(r.fieldPath("cloudflareAccountId"), "is required for provider type cloudflare: its requests are answered with HTTP 500 until it is set");
      p.unusable = "cloudflareAccountId is not configured (Cloudflare's Workers AI URL names the account)";
    }
    p.settings = s;
  }

  fillPath(p: ProviderConfig, path: string): string {
    const s = p.settings;
    return s === null ? path : path.replaceAll("{cloudflareAccountId}", (s as CloudflareSettings).accountId);
  }
}

export const CLOUDFLARE: ProviderModule = new CloudflareModule();
