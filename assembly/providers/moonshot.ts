// Moonshot: `moonshotFileId` names a file whose content becomes the chat's system context, read from
// https://platform.moonshot.cn/docs/api/files (GET /v1/files/{id}/content) through the route's own cluster.

import { ProviderConfig } from "../config/provider-config";

/** The file content path for `p`'s moonshotFileId; "" when it has none. */
export function moonshotFilePath(p: ProviderConfig): string {
  return p.type == "moonshot" && p.moonshotFileId.length > 0 ? "/v1/files/" + p.moonshotFileId + "/content" : "";
}

export function moonshotHost(p: ProviderConfig): string {
  return p.providerDomain.length > 0 ? p.providerDomain : "api.moonshot.cn";
}
