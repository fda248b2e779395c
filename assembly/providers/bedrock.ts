// Amazon Bedrock Runtime (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html): what its
// configuration adds beyond its table row. Seed 001's fields: awsRegion (the host bedrock-runtime.{region}.amazonaws.com),
// awsAccessKey + awsSecretKey (SigV4, service "bedrock"), bedrockAdditionalFields (merged into the Converse
// request's additionalModelRequestFields, over what the translation put there). A Bedrock API key in apiTokens is sent
// as `Authorization: Bearer` (https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys-use.html) and wins over
// the access keys, as in Higress. promptCacheRetention and bedrockPromptCachePointPositions (Higress's fields) place
// prompt-cache points (the translator does: openai_bedrock/request.ts). SigV4 signs the final body, so it happens once the body is translated and edited
// (the request headers are held anyway: the URL names the model).
import { HeaderPair } from "../abi";
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { amzDate, sigV4Authorization, SigV4Credentials, SigV4Request } from "../crypto/sigv4";
import { ObjectEdits, parseJson, spliceObject } from "../json";
import { Schema } from "../protocol/api";
import { TranslateOptions } from "../translate/common";
import { CACHE_POINT_LAST_MESSAGE, CACHE_POINT_LAST_USER_MESSAGE, CACHE_POINT_SYSTEM, cacheTtlFor } from "../translate/openai_bedrock/request";
import { ProviderModule, ProviderSettings } from "./module";

export class BedrockSettings extends ProviderSettings {
  region: string = "";
  accessKey: string = "";
  secretKey: string = "";
  /** bedrockAdditionalFields as [name, raw JSON] pairs, in configuration order. */
  additional: Array<Array<string>> = [];
  /** promptCacheRetention as configured ("" none) and bedrockPromptCachePointPositions as CACHE_POINT_* bits. */
  promptCacheRetention: string = "";
  cachePointPositions: i32 = CACHE_POINT_SYSTEM;
}

export class BedrockModule extends ProviderModule {
  fields(): Array<string> { return ["awsAccessKey", "awsSecretKey", "awsRegion", "bedrockAdditionalFields", "promptCacheRetention", "bedrockPromptCachePointPositions"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new BedrockSettings();
    s.region = r.str("awsRegion").trim();
    s.accessKey = r.str("awsAccessKey").trim();
    s.secretKey = r.str("awsSecretKey").trim();
    if (s.region.length == 0) errors.add(r.fieldPath("awsRegion"), "is required for provider type bedrock (e.g. \"us-east-1\")");
    else if (!validRegion(s.region)) errors.add(r.fieldPath("awsRegion"), "must be an AWS region name such as \"us-east-1\", got \"" + s.region + "\"");
    if (p.apiTokens.length == 0 && (s.accessKey.length == 0 || s.secretKey.length == 0)) {
      errors.add(r.fieldPath(s.accessKey.length == 0 ? "awsAccessKey" : "awsSecretKey"), "is required for provider type bedrock unless apiTokens holds a Bedrock API key (both awsAccessKey and awsSecretKey sign requests)");
    }
    const extra = r.object("bedrockAdditionalFields");
    if (extra !== null) {
      for (let i = 0, n = extra.length; i < n; i++) {
        const k = extra.keyAt(i), v = extra.valueAt(i);
        if (k !== null && v !== null) s.additional.push([k.str(), v.rawString()]);
      }
    }
    s.promptCacheRetention = r.str("promptCacheRetention").trim();
    if (s.promptCacheRetention.length > 0 && cacheTtlFor(s.promptCacheRetention) === null) {
      errors.warn(r.fieldPath("promptCacheRetention"), "\"" + s.promptCacheRetention + "\" is neither in_memory nor 24h: no cache points are added (as in Higress)");
    }
    const positions = r.object("bedrockPromptCachePointPositions");
    if (positions !== null) {
      // Stated: only the positions set true (Higress); absent: after the system prompt.
      s.cachePointPositions = 0;
      const pr = new FieldReader(positions, r.fieldPath("bedrockPromptCachePointPositions"), errors);
      for (let i = 0, n = positions.length; i < n; i++) {
        const k = positions.keyAt(i);
        if (k === null) continue;
        const key = k.str();
        const bit = cachePointPosition(key);
        if (bit == 0) errors.warn(pr.fieldPath(key), "unknown position, ignored (systemPrompt, lastUserMessage, lastMessage)");
        else if (pr.bool(key, false)) s.cachePointPositions |= bit;
      }
    }
    p.settings = s;
  }

  authority(p: ProviderConfig): string {
    const s = p.settings;
    return s !== null ? "bedrock-runtime." + (s as BedrockSettings).region + ".amazonaws.com" : "";
  }

  options(p: ProviderConfig, opts: TranslateOptions): void {
    const settings = p.settings;
    if (settings === null) return;
    opts.promptCacheRetention = (settings as BedrockSettings).promptCacheRetention;
    opts.cachePointPositions = (settings as BedrockSettings).cachePointPositions;
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    const settings = p.settings;
    if (schema != Schema.BedrockConverse || settings === null) return null;
    const s = settings as BedrockSettings;
    if (s.additional.length == 0) return null;
    const root = parseJson(body).value;
    if (root === null || !root.isObject()) return null;
    const fields = new ObjectEdits();
    for (let i = 0; i < s.additional.length; i++) fields.setRaw(s.additional[i][0], Uint8Array.wrap(String.UTF8.encode(s.additional[i][1])));
    const own = root.get("additionalModelRequestFields");
    const merged = own !== null && own.isObject() ? spliceObject(own, fields) : spliceObject(parseJson(Uint8Array.wrap(String.UTF8.encode("{}"))).value!, fields);
    if (merged === null) return null;
    return spliceObject(root, new ObjectEdits().setRaw("additionalModelRequestFields", merged));
  }

  signsRequests(p: ProviderConfig): bool { return p.settings !== null && p.apiTokens.length == 0; }

  signRequest(p: ProviderConfig, method: string, authority: string, path: string, body: Uint8Array, nowMs: i64): Array<HeaderPair> {
    const settings = p.settings;
    if (settings === null || p.apiTokens.length > 0) return [];
    const s = settings as BedrockSettings;
    const date = amzDate(nowMs);
    const req = new SigV4Request(method, path, body).header("host", authority).header("x-amz-date", date);
    const auth = sigV4Authorization(req, new SigV4Credentials(s.accessKey, s.secretKey, s.region, "bedrock"), date);
    return [new HeaderPair("x-amz-date", date), new HeaderPair("authorization", auth)];
  }
}

/** A bedrockPromptCachePointPositions key (any case, `_` and `-` ignored, as Higress reads it) as its bit; 0 unknown. */
function cachePointPosition(key: string): i32 {
  const k = key.toLowerCase().replaceAll("_", "").replaceAll("-", "");
  if (k == "systemprompt") return CACHE_POINT_SYSTEM;
  if (k == "lastusermessage") return CACHE_POINT_LAST_USER_MESSAGE;
  if (k == "lastmessage") return CACHE_POINT_LAST_MESSAGE;
  return 0;
}

/** Lower-case letters, digits and dashes (us-east-1, eu-central-2, us-gov-west-1): the region ends up in a host name. */
function validRegion(region: string): bool {
  for (let i = 0; i < region.length; i++) {
    const c = region.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d)) return false;
  }
  return true;
}

export const BEDROCK = new BedrockModule();
