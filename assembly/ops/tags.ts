// Who a request is for and which business line sent it: tags from configured request headers
// (`x-biz-type: customer_service`) and from LiteLLM's `litellm_metadata.tags`; the end user from
// `litellm_metadata.user`, Anthropic's `metadata.user_id` or OpenAI's `user`. `litellm_metadata` is removed before
// the upstream sees it (providers refuse unknown fields). Metric labels stay bounded: values outside the configured
// allow-lists count as "other"; the access log carries the values themselves (sanitised, bounded in length).
import { HeaderMapEdits } from "../abi";
import { metricLabel, OpsConfig } from "../config/ops-config";
import { JsonValue } from "../json";

export class Attribution {
  /** First tag seen (header tags first), "" when none. */
  tag: string = "";
  user: string = "";
  /** Bounded metric labels. */
  tagLabel: string = "none";
  userLabel: string = "none";
}

/** Tags from the configured headers (first non-empty wins). */
export function tagFromHeaders(ops: OpsConfig, h: HeaderMapEdits, a: Attribution): void {
  for (let i = 0; i < ops.tagHeaders.length; i++) {
    const v = h.get(ops.tagHeaders[i]);
    if (v !== null && v.trim().length > 0) {
      a.tag = bounded(v.trim());
      return;
    }
  }
}

/** Tags and end user from the request body; true when `litellm_metadata` is present (to be removed). */
export function attributionFromBody(root: JsonValue, a: Attribution): bool {
  const lm = root.get("litellm_metadata");
  if (lm !== null && lm.isObject()) {
    const tags = lm.get("tags");
    if (a.tag.length == 0 && tags !== null && tags.isArray()) {
      for (let i = 0, n = tags.length; i < n; i++) {
        const t = tags.at(i);
        if (t !== null && t.isString() && t.str().length > 0) { a.tag = bounded(t.str()); break; }
      }
    }
    const u = lm.get("user");
    if (u !== null && u.isString()) a.user = bounded(u.str());
  }
  if (a.user.length == 0) {
    const md = root.get("metadata");
    const uid = md !== null && md.isObject() ? md.get("user_id") : null;
    if (uid !== null && uid.isString()) a.user = bounded(uid.str());
  }
  if (a.user.length == 0) {
    const u = root.get("user");
    if (u !== null && u.isString()) a.user = bounded(u.str());
  }
  return lm !== null;
}

export function labelAttribution(ops: OpsConfig, a: Attribution): void {
  a.tagLabel = a.tag.length == 0 ? "none" : (ops.tagAllow.includes(a.tag) ? metricLabel(a.tag) : "other");
  a.userLabel = a.user.length == 0 ? "none" : (ops.userAllow.includes(a.user) ? metricLabel(a.user) : "other");
}

function bounded(s: string): string {
  return s.length > 128 ? s.substring(0, 128) : s;
}
