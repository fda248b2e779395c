// Providers whose only deviation is a configuration field naming another host for the same API (seed 001:
// qwenDomain, doubaoDomain — BytePlus ModelArk —, zhipuDomain): one module, parameterised by the field's name.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ProviderModule, ProviderSettings } from "./module";

class DomainSettings extends ProviderSettings {
  domain: string = "";
}

export class DomainOverride extends ProviderModule {
  constructor(public field: string) { super(); }

  fields(): Array<string> { return [this.field]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    const s = new DomainSettings();
    s.domain = r.str(this.field);
    if (s.domain.includes("/")) errors.add(r.fieldPath(this.field), "must be a host[:port], not a URL");
    p.settings = s;
  }

  authority(p: ProviderConfig): string {
    const s = p.settings;
    return s === null ? "" : (s as DomainSettings).domain;
  }
}
