// NVIDIA Triton Inference Server's generate extension
// (https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/protocol/extension_generate.html):
// seed 001's `tritonDomain` is the host (required: Triton runs on the user's own servers) and the model version
// (`tritonModelVersion` in Higress's code and examples, `modelVersion` in its field table; either is read) becomes
// `/versions/{version}` in the path. Streams go to `generate_stream` as Triton documents it (Higress's stream paths
// lose the version).
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { DomainOverride, DomainSettings } from "./domain";

class TritonSettings extends DomainSettings {
  version: string = "";
}

export class TritonModule extends DomainOverride {
  constructor() { super("tritonDomain", true); }

  fields(): Array<string> { return ["tritonDomain", "tritonModelVersion", "modelVersion"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    super.configure(p, r, errors);
    const s = new TritonSettings();
    s.domain = (p.settings as DomainSettings).domain;
    const field = r.has("tritonModelVersion") ? "tritonModelVersion" : "modelVersion";
    s.version = r.str(field);
    for (let i = 0; i < s.version.length; i++) {
      const c = s.version.charCodeAt(i);
      if (c < 0x30 || c > 0x39) { errors.add(r.fieldPath(field), "must be a model version number"); break; }
    }
    p.settings = s;
  }

  fillPath(p: ProviderConfig, path: string): string {
    const s = p.settings;
    const version = s !== null ? (s as TritonSettings).version : "";
    return path.replace("{tritonVersion}", version.length > 0 ? "/versions/" + version : "");
  }
}

export const TRITON = new TritonModule();
