// Providers whose only deviation is a configuration field naming the host (seed 001: qwenDomain, doubaoDomain —
// BytePlus ModelArk —, zhipuDomain override the row's host; genericHost is the only host generic has; ollama's host
// and port): one module, parameterised by the field's name.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ProviderModule, ProviderSettings } from "./module";

export class DomainSettings extends ProviderSettings {
  domain: string = "";
}

export class DomainOverride extends ProviderModule {
  /** `required`: the row has no host of its own. `portField`: a separate port field (default `defaultPort`). */
  constructor(public field: string, public required: bool = false, public portField: string = "", public defaultPort: i32 = 0) { super(); }

  fields(): Array<string> { return this.portField.length > 0 ? [this.field, this.portField] : [this.field]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new DomainSettings();
    s.domain = r.str(this.field);
    if (s.domain.includes("/")) errors.add(r.fieldPath(this.field), "must be a host[:port], not a URL");
    if (this.required && s.domain.length == 0) errors.add(r.fieldPath(this.field), "is required for provider type " + p.type);
    if (this.portField.length > 0 && s.domain.length > 0) s.domain += ":" + r.int(this.portField, this.defaultPort, 1, 65535).toString();
    p.settings = s;
  }

  authority(p: ProviderConfig): string {
    const s = p.settings;
    return s === null ? "" : (s as DomainSettings).domain;
  }
}
