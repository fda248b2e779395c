// Higress's WasmPlugin as the plugin receives it: Higress's controller turns a WasmPlugin's spec into one plugin
// configuration, defaultConfig plus one `_rules_` item per matchRule (`ingress` → `_match_route_`, `domain` →
// `_match_domain_`, `service` → `_match_service_`), each rule's own config unchanged.
export function higressPluginConfig(spec: any): object {
  const rules = (spec.matchRules ?? []).map((r: any) => {
    const rule: any = { ...r.config };
    if (r.ingress) rule._match_route_ = r.ingress;
    if (r.domain) rule._match_domain_ = r.domain;
    if (r.service) rule._match_service_ = r.service;
    return rule;
  });
  return { ...(spec.defaultConfig ?? {}), _rules_: rules };
}
