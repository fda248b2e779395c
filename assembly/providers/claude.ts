// Anthropic (`claude`): what its configuration adds beyond its table row. `claudeCodeMode` (Higress's field, opt-in):
// the configured key is a Claude subscription's OAuth token (`sk-ant-oat01-…`, from `claude setup-token`), which
// Anthropic's API takes only from requests shaped the way Claude Code sends them: `Authorization: Bearer` instead of
// `x-api-key`, the `oauth-2025-04-20` beta flag with Claude Code's, `?beta=true`, Claude Code's user agent and
// `x-app: cli`, and a system prompt whose first block is Claude Code's own line (without it Anthropic answers 400 for
// every model but Haiku: anthropics/claude-code#40515). The values are Higress's (provider/claude.go). The token is
// always the configured one: the client's credentials are stripped as for any provider.
import { HeaderPair } from "../abi";
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { JsonValue, JsonWriter, ObjectEdits, parseJson, spliceObject } from "../json";
import { ApiName, Schema } from "../protocol/api";
import { AuthScheme } from "./auth";
import { ProviderModule, ProviderSettings } from "./module";
import { UpstreamTarget } from "./resolve";

export const CLAUDE_CODE_USER_AGENT = "claude-cli/2.1.2 (external, cli)";
export const CLAUDE_CODE_BETA_FLAGS = "oauth-2025-04-20,interleaved-thinking-2025-05-14,claude-code-20250219";
export const CLAUDE_CODE_SYSTEM_PROMPT = "You are Claude Code, Anthropic's official CLI for Claude.";
/** Anthropic takes at most four blocks with cache_control in one request. */
const MAX_CACHE_BREAKPOINTS = 4;

export class ClaudeSettings extends ProviderSettings {
  codeMode: bool = false;
}

export class ClaudeModule extends ProviderModule {
  fields(): Array<string> { return ["claudeCodeMode"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new ClaudeSettings();
    s.codeMode = r.bool("claudeCodeMode", false);
    p.settings = s;
  }

  adjustTarget(p: ProviderConfig, api: ApiName, target: UpstreamTarget): void {
    if (!codeMode(p)) return;
    target.auth = AuthScheme.Bearer;
    target.path = withBetaQuery(target.path);
    target.headers.push(new HeaderPair("user-agent", CLAUDE_CODE_USER_AGENT));
    target.headers.push(new HeaderPair("x-app", "cli"));
    target.headers.push(new HeaderPair("anthropic-beta", CLAUDE_CODE_BETA_FLAGS));
  }

  editRequest(p: ProviderConfig, body: Uint8Array, schema: Schema): Uint8Array | null {
    if (schema != Schema.AnthropicMessages || !codeMode(p)) return null;
    const root = parseJson(body).value;
    if (root === null || !root.isObject()) return null;
    const system = root.get("system");
    if (startsWithClaudeCode(system)) return null;
    const w = new JsonWriter(system !== null ? system.end - system.start + 160 : 160);
    w.beginArray();
    w.beginObject().fieldString("type", "text").fieldString("text", CLAUDE_CODE_SYSTEM_PROMPT);
    // Cached as Claude Code caches it, unless the request already uses every breakpoint Anthropic allows.
    if (cacheBreakpoints(root) < MAX_CACHE_BREAKPOINTS) w.key("cache_control").rawString("{\"type\":\"ephemeral\"}");
    w.endObject();
    if (system !== null && system.isString() && system.end - system.start > 2) {
      w.beginObject().fieldString("type", "text").key("text").raw(system).endObject();
    } else if (system !== null && system.isArray()) {
      for (let i = 0, n = system.length; i < n; i++) {
        const b = system.at(i);
        if (b !== null) w.raw(b);
      }
    }
    w.endArray();
    return spliceObject(root, new ObjectEdits().setRaw("system", w.take()), true);
  }
}

function codeMode(p: ProviderConfig): bool {
  const s = p.settings;
  return s !== null && s instanceof ClaudeSettings && (s as ClaudeSettings).codeMode;
}

/** `path` with `beta=true` in its query (kept once when the client's query already has it). */
export function withBetaQuery(path: string): string {
  const q = path.indexOf("?");
  if (q < 0) return path + "?beta=true";
  const params = path.substring(q + 1).split("&");
  for (let i = 0; i < params.length; i++) if (params[i] == "beta=true") return path;
  return path + (q == path.length - 1 ? "" : "&") + "beta=true";
}

/** The system prompt already opens with Claude Code's line (a string starting with it, or a first text block of it). */
function startsWithClaudeCode(system: JsonValue | null): bool {
  if (system === null) return false;
  if (system.isString()) return system.str().startsWith(CLAUDE_CODE_SYSTEM_PROMPT);
  if (!system.isArray() || system.length == 0) return false;
  const first = system.at(0);
  const text = first !== null && first.isObject() ? first.get("text") : null;
  return text !== null && text.isString() && text.str() == CLAUDE_CODE_SYSTEM_PROMPT;
}

/** Blocks carrying cache_control in tools, system and message contents. */
function cacheBreakpoints(root: JsonValue): i32 {
  let n = countMarked(root.get("tools")) + countMarked(root.get("system"));
  const messages = root.get("messages");
  if (messages !== null && messages.isArray()) {
    for (let i = 0, len = messages.length; i < len; i++) {
      const m = messages.at(i);
      if (m !== null && m.isObject()) n += countMarked(m.get("content"));
    }
  }
  return n;
}

function countMarked(blocks: JsonValue | null): i32 {
  if (blocks === null || !blocks.isArray()) return 0;
  let n = 0;
  for (let i = 0, len = blocks.length; i < len; i++) {
    const b = blocks.at(i);
    if (b !== null && b.isObject() && b.has("cache_control")) n++;
  }
  return n;
}

export const CLAUDE = new ClaudeModule();
