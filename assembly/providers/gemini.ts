// Google Gemini API (https://ai.google.dev/api): what its configuration adds beyond its table row. Seed 001's fields:
// geminiSafetySetting (category → threshold, https://ai.google.dev/api/generate-content#safetysetting), apiVersion
// (v1 or v1beta, default v1beta) and geminiThinkingBudget (generationConfig.thinkingConfig.thinkingBudget: 0 off, -1
// dynamic). customSettings go under generationConfig with Gemini's names (seed 001's table: max_tokens →
// maxOutputTokens, top_p → topP, top_k → topK; seed has none; raw mode sets the name as given).
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { escapeStringInto, JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { ByteBuffer } from "../bytes/buffer";
import { Schema } from "../protocol/api";
import { ProviderModule, ProviderSettings } from "./module";

export class GeminiSettings extends ProviderSettings {
  apiVersion: string = "v1beta";
  /** [category, threshold] pairs in configuration order. */
  safety: Array<Array<string>> = [];
  thinkingBudget: i64 = 0;
  hasThinkingBudget: bool = false;
}

const API_VERSIONS: Array<string> = ["v1", "v1beta"];

/** customSettings names (auto mode) → generationConfig fields; "" = none (seed 001's gemini column). */
function generationField(name: string): string {
  if (name == "max_tokens") return "maxOutputTokens";
  if (name == "temperature") return "temperature";
  if (name == "top_p") return "topP";
  if (name == "top_k") return "topK";
  return "";
}

export class GeminiModule extends ProviderModule {
  fields(): Array<string> { return ["geminiSafetySetting", "geminiThinkingBudget"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new GeminiSettings();
    const version = r.str("apiVersion");
    if (version.length > 0) {
      if (API_VERSIONS.includes(version)) s.apiVersion = version;
      else errors.add(r.fieldPath("apiVersion"), "must be v1 or v1beta for provider type gemini, got \"" + version + "\"");
    }
    s.safety = r.strMap("geminiSafetySetting");
    if (r.has("geminiThinkingBudget")) {
      s.thinkingBudget = r.int("geminiThinkingBudget", 0, -1, 0x7FFFFFFF);
      s.hasThinkingBudget = true;
    }
    p.settings = s;
  }

  // Higress's gemini provider fetches image URLs and sends them as inlineData; so do we (plugin/image-fetch.ts).
  inlinesImageUrls(p: ProviderConfig): bool { return true; }

  fillPath(p: ProviderConfig, path: string): string {
    const s = p.settings;
    return path.replace("{apiVersion}", s !== null ? (s as GeminiSettings).apiVersion : "v1beta");
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    const settings = p.settings;
    if (schema != Schema.GeminiGenerateContent || settings === null) return null;
    const s = settings as GeminiSettings;
    if (s.safety.length == 0 && !s.hasThinkingBudget && p.customSettings.length == 0) return null;
    const root = parseJson(body).value;
    if (root === null || !root.isObject()) return null;
    const gen = new ObjectEdits();
    const config = root.get("generationConfig");
    for (let i = 0; i < p.customSettings.length; i++) {
      const c = p.customSettings[i];
      const field = c.mode == "raw" ? c.name : generationField(c.name);
      if (field.length == 0) continue;
      if (!c.overwrite && config !== null && config.has(field)) continue;
      gen.setRaw(field, Uint8Array.wrap(String.UTF8.encode(c.valueJson)));
    }
    // The configured budget applies unless the request asked for its own thinking (reasoning_effort).
    if (s.hasThinkingBudget && (config === null || !config.has("thinkingConfig"))) {
      gen.setRaw("thinkingConfig", new JsonWriter(48).beginObject().fieldInt("thinkingBudget", s.thinkingBudget).endObject().take());
    }
    const top = new ObjectEdits();
    if (gen.length > 0) {
      const merged = config !== null && config.isObject() ? spliceObject(config, gen) : spliceObject(parseJson(Uint8Array.wrap(String.UTF8.encode("{}"))).value!, gen);
      if (merged !== null) top.setRaw("generationConfig", merged);
    }
    if (s.safety.length > 0) top.setRaw("safetySettings", safetyJson(s.safety));
    return top.length > 0 ? spliceObject(root, top) : null;
  }
}

/** [{"category":…,"threshold":…}, …] */
export function safetyJson(pairs: Array<Array<string>>): Uint8Array {
  const b = new ByteBuffer(64 * pairs.length + 2);
  b.pushByte(0x5B);
  for (let i = 0; i < pairs.length; i++) {
    if (i > 0) b.pushByte(0x2C);
    b.pushString("{\"category\":\"");
    escapeStringInto(b, pairs[i][0]);
    b.pushString("\",\"threshold\":\"");
    escapeStringInto(b, pairs[i][1]);
    b.pushString("\"}");
  }
  b.pushByte(0x5D);
  return b.take();
}

export const GEMINI = new GeminiModule();
