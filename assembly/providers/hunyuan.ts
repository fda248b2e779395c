// Tencent Hunyuan: two APIs, picked by the configuration as Higress picks them.
// - hunyuanAuthId + hunyuanAuthKey (a Tencent Cloud SecretId / SecretKey, 36 and 32 characters as Higress checks):
//   the native ChatCompletions action of Tencent Cloud API 3.0 (https://cloud.tencent.com/document/api/1729/105701),
//   `POST https://hunyuan.tencentcloudapi.com/` with X-TC-Action / X-TC-Version / X-TC-Timestamp and a TC3-HMAC-SHA256
//   signature over the final body (https://cloud.tencent.com/document/api/1729/101843). Chat only.
// - neither: the OpenAI-compatible endpoint https://api.hunyuan.cloud.tencent.com/v1 with apiTokens as Bearer keys
//   (https://cloud.tencent.com/document/product/1729/111007): the table row as it is.
import { HeaderPair } from "../abi";
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { Schema } from "../protocol/api";
import { ProviderModule, ProviderSettings } from "./module";
import { tc3Authorization } from "./tc3";

export const HUNYUAN_API_HOST = "hunyuan.tencentcloudapi.com";
const ACTION = "ChatCompletions";
const VERSION = "2023-09-01";
const SERVICE = "hunyuan";
/** The content type the signature covers (the request's own is replaced by it). */
const CONTENT_TYPE = "application/json";

export class HunyuanSettings extends ProviderSettings {
  authId: string = "";
  authKey: string = "";
}

function native(p: ProviderConfig): HunyuanSettings | null {
  const s = p.settings;
  if (s === null) return null;
  const h = s as HunyuanSettings;
  return h.authId.length > 0 ? h : null;
}

export class HunyuanModule extends ProviderModule {
  fields(): Array<string> { return ["hunyuanAuthId", "hunyuanAuthKey"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new HunyuanSettings();
    s.authId = r.str("hunyuanAuthId");
    s.authKey = r.str("hunyuanAuthKey");
    if (s.authId.length > 0 || s.authKey.length > 0) {
      if (s.authId.length != 36) errors.add(r.fieldPath("hunyuanAuthId"), "must be a Tencent Cloud SecretId of 36 characters (with hunyuanAuthKey)");
      if (s.authKey.length != 32) errors.add(r.fieldPath("hunyuanAuthKey"), "must be a Tencent Cloud SecretKey of 32 characters (with hunyuanAuthId)");
      if (p.context !== null) errors.warn(r.fieldPath("context"), "is not inserted into Hunyuan native requests (hunyuanAuthId); use apiTokens (the OpenAI-compatible endpoint) for it");
    } else if (p.apiTokens.length == 0) {
      errors.warn(r.fieldPath("apiTokens"), "provider type hunyuan needs apiTokens (OpenAI-compatible endpoint) or hunyuanAuthId and hunyuanAuthKey (native API)");
    }
    p.settings = s;
  }

  authority(p: ProviderConfig): string { return native(p) !== null ? HUNYUAN_API_HOST : ""; }

  chatSchema(p: ProviderConfig): Schema { return native(p) !== null ? Schema.HunyuanChat : Schema.None; }

  addsBodyHeaders(p: ProviderConfig): bool { return native(p) !== null; }

  bodyHeaders(p: ProviderConfig, authority: string, body: Uint8Array, nowSeconds: i64): Array<HeaderPair> {
    const s = native(p);
    if (s === null) return [];
    return [
      new HeaderPair("content-type", CONTENT_TYPE),
      new HeaderPair("x-tc-action", ACTION),
      new HeaderPair("x-tc-version", VERSION),
      new HeaderPair("x-tc-timestamp", nowSeconds.toString()),
      new HeaderPair("authorization", tc3Authorization(s.authId, s.authKey, SERVICE, authority, ACTION, CONTENT_TYPE, body, nowSeconds)),
    ];
  }
}

export const HUNYUAN = new HunyuanModule();
