// Tencent Cloud API 3.0 signing (providers/tc3.ts) against the worked example of Tencent's "Signature v3" page
// (https://cloud.tencent.com/document/api/213/30654: cvm DescribeInstances, timestamp 1551113065, the masked example
// SecretId/SecretKey, content-type "application/json; charset=utf-8", signed headers content-type;host), whose
// published signature is 2230eefd…652c; and the UTC dates the credential scope is built from.
import { tc3Authorization, utcDate } from "../providers/tc3";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

describe("TC3-HMAC-SHA256", () => {
  it("Tencent's documented example", () => {
    const payload = "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    expect(tc3Authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******", "Gu5t9xGARNpq86cd98joQYCN3*******", "cvm",
      "cvm.tencentcloudapi.com", "", "application/json; charset=utf-8", bytes(payload), 1551113065))
      .toBe("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
  });
  it("UTC dates", () => {
    expect(utcDate(0)).toBe("1970-01-01");
    expect(utcDate(1551113065)).toBe("2019-02-25");
    expect(utcDate(951782400)).toBe("2000-02-29");
    expect(utcDate(1767225599)).toBe("2025-12-31");
    expect(utcDate(1767225600)).toBe("2026-01-01");
  });
});
