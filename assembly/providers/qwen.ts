// Qwen (DashScope compatible mode): what its configuration adds to a chat request beyond its table row.
import { ProviderConfig } from "../config/provider-config";

/** Whether `p` is a Qwen provider with request additions. */
export function qwenAddsToChat(p: ProviderConfig): bool {
  return p.type == "qwen" && (p.qwenEnableSearch || p.qwenFileIds.length > 0);
}

/**
 * The system message naming `qwenFileIds` ("fileid://a,fileid://b"), "" for none
 * (https://help.aliyun.com/zh/model-studio/long-context-qwen-long).
 */
export function qwenFileIdsMessage(p: ProviderConfig): string {
  if (p.type != "qwen" || p.qwenFileIds.length == 0) return "";
  let ids = "";
  for (let i = 0; i < p.qwenFileIds.length; i++) ids += (i > 0 ? "," : "") + "fileid://" + p.qwenFileIds[i];
  return ids;
}

/** `enable_search` is a body field (https://help.aliyun.com/zh/model-studio/compatibility-of-openai-with-dashscope). */
export function qwenEnablesSearch(p: ProviderConfig): bool {
  return p.type == "qwen" && p.qwenEnableSearch;
}
