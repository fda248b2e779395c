// Zhipu AI (BigModel / Z.ai): the host may be overridden (zhipuDomain: open.bigmodel.cn in China, api.z.ai
// internationally), and `zhipuCodePlanMode` sends chat requests to the GLM Coding Plan's endpoint
// (https://docs.bigmodel.cn/cn/coding-plan/tool/others: /api/coding/paas/v4), as Higress does.
import { ConfigErrors, FieldReader } from "../config/reader";
import { ProviderConfig } from "../config/provider-config";
import { ApiName } from "../protocol/api";
import { DomainOverride, DomainSettings } from "./domain";

export class ZhipuSettings extends DomainSettings {
  codePlan: bool = false;
}

export class ZhipuModule extends DomainOverride {
  constructor() { super("zhipuDomain"); }

  fields(): Array<string> { return ["zhipuDomain", "zhipuCodePlanMode"]; }

  configure(p: ProviderConfig, r: FieldReader, errors: ConfigErrors): void {
    super.configure(p, r, errors);
    const s = new ZhipuSettings();
    s.domain = (p.settings as DomainSettings).domain;
    s.codePlan = r.bool("zhipuCodePlanMode", false);
    p.settings = s;
  }

  path(p: ProviderConfig, api: ApiName): string {
    const s = p.settings;
    return api == ApiName.ChatCompletions && s !== null && (s as ZhipuSettings).codePlan ? "/api/coding/paas/v4/chat/completions" : "";
  }
}
