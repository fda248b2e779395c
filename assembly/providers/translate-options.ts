// What a provider's configuration means for protocol translation: the options a forwarded request, a retry and a
// fallback to this provider are all translated with.
import { ProviderConfig } from "../config/provider-config";
import { TranslateOptions } from "../translate/common";

/** Translation options for a provider (forwarded requests, retries and fallbacks alike). */
export function optionsFor(p: ProviderConfig, nowSeconds: i64): TranslateOptions {
  const opts = new TranslateOptions();
  opts.modelMapping = p.modelMapping;
  opts.reasoningContentMode = p.reasoningContentMode;
  opts.includeUsage = p.streamIncludeUsage;
  opts.nowSeconds = nowSeconds;
  opts.modelTraits = p.modelTraits;
  opts.dropUnsupported = p.dropUnsupportedParams;
  opts.anthropicVersion = p.claudeVersion;
  opts.anthropicVersionPinned = p.claudeVersionPinned;
  opts.promoteThinkingOnEmpty = p.promoteThinkingOnEmpty;
  const row = p.row;
  if (row !== null) opts.maxTokensField = row.maxTokensField;
  const mod = row !== null ? row.module : null;
  if (mod !== null) mod.options(p, opts);
  return opts;
}
