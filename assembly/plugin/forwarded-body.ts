// The request body of a forwarded API (providers/forwarded.ts): a JSON body that carries a model is read whole and
// its model mapped (translateBody's same-schema splice); a multipart/form-data upload streams through the
// multipart rewriter, chunk by chunk; anything else passes untouched.
import { HeaderMapEdits } from "../abi";
import { ProviderConfig } from "../config/provider-config";
import { ModelMapper, multipartBoundary, MultipartModelRewriter } from "../multipart/model-field";
import { ApiName } from "../protocol/api";
import { carriesModel, takesMultipart } from "../providers/forwarded";
import { UpstreamTarget } from "../providers/resolve";

class ProviderModelMapper extends ModelMapper {
  constructor(private p: ProviderConfig) { super(); }
  map(requested: string): string { return this.p.modelMapping.map(requested); }
}

/**
 * Decides how a forwarded request's body travels: the multipart rewriter when it is an upload whose model field
 * may need mapping (content-length then removed), or `target.bodyPassthrough = false` for a JSON body with a model.
 */
export function forwardedBody(h: HeaderMapEdits, api: ApiName, path: string, p: ProviderConfig, target: UpstreamTarget): MultipartModelRewriter | null {
  // Without a mapping the body matters only when the URL names its model (Azure's resource-only form).
  if (!carriesModel(api, path) || h.getOr(":method", "POST") != "POST" || (p.modelMapping.isEmpty && !target.pathNeedsBody)) return null;
  const type = h.getOr("content-type", "");
  const boundary = takesMultipart(api) ? multipartBoundary(type) : "";
  if (boundary.length > 0) {
    h.remove("content-length");
    return new MultipartModelRewriter(boundary, new ProviderModelMapper(p));
  }
  if (type.toLowerCase().includes("json")) target.bodyPassthrough = false;
  return null;
}
