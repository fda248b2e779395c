// providers/google-oauth.ts: the token endpoint's answers as Google documents them
// (https://developers.google.com/identity/protocols/oauth2/service-account#httprest: {"access_token", "expires_in",
// "token_type"}; errors {"error", "error_description"}), and hostile ones: nothing traps, a token unfit for a header is
// refused, lifetimes are bounded. The JWT itself is checked against Node's and Go's RSA in tests/providers and tests/higress.
import { readServiceAccount, readTokenAnswer, ServiceAccount, tokenRequestBody } from "../providers/google-oauth";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }

describe("readTokenAnswer", () => {
  it("Google's documented success answer", () => {
    const a = readTokenAnswer(200, bytes("{\"access_token\":\"1/8xbJqaOZXSUZbHLl5EOtu1pxz3fmmetKx9W8CV4t79M\",\"scope\":\"https://www.googleapis.com/auth/prediction\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
    expect(a.error).toBe("");
    expect(a.token).toBe("1/8xbJqaOZXSUZbHLl5EOtu1pxz3fmmetKx9W8CV4t79M");
    expect(a.expiresInSeconds).toBe(3600);
  });
  it("an error answer names Google's error and description", () => {
    const a = readTokenAnswer(400, bytes("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
    expect(a.token).toBe("");
    expect(a.error).toBe("the token endpoint answered HTTP 400 (invalid_grant: Invalid JWT Signature.)");
  });
  it("an HTML error page: the status only; control bytes in the description become ?", () => {
    expect(readTokenAnswer(503, bytes("<html>down</html>")).error).toBe("the token endpoint answered HTTP 503");
    expect(readTokenAnswer(401, bytes("{\"error\":\"x\\u0000\\r\\ny\"}")).error).toBe("the token endpoint answered HTTP 401 (x???y)");
  });
  it("a 200 without a usable token is an error: missing, not a string, with spaces or newlines, not JSON", () => {
    const bad = ["{}", "{\"access_token\":7}", "{\"access_token\":\"ya29 x\"}", "{\"access_token\":\"ya29\\r\\nx-injected: 1\"}", "not json", ""];
    for (let i = 0; i < bad.length; i++) {
      const a = readTokenAnswer(200, bytes(bad[i]));
      expect(a.error).toBe("the token endpoint's answer has no usable access_token");
      expect(a.token).toBe("");
    }
  });
  it("expires_in is bounded to 1 s … 1 day and defaults to an hour", () => {
    expect(readTokenAnswer(200, bytes("{\"access_token\":\"t\",\"expires_in\":-5}")).expiresInSeconds).toBe(1);
    expect(readTokenAnswer(200, bytes("{\"access_token\":\"t\",\"expires_in\":1e12}")).expiresInSeconds).toBe(86400);
    expect(readTokenAnswer(200, bytes("{\"access_token\":\"t\",\"expires_in\":\"60\"}")).expiresInSeconds).toBe(3600);
    expect(readTokenAnswer(200, bytes("{\"access_token\":\"t\"}")).expiresInSeconds).toBe(3600);
  });
});

describe("readServiceAccount", () => {
  it("names what is missing", () => {
    const a = new ServiceAccount();
    expect(readServiceAccount("[1]", a)).toBe("is not a service-account JSON key (a JSON object)");
    expect(readServiceAccount("{\"private_key\":\"k\"}", a)).toBe("has no client_email");
    expect(readServiceAccount("{\"client_email\":\"a@b\"}", a)).toBe("has no private_key");
  });
  it("a key that is not PEM RSA is read with the reason kept; token_uri defaults to Google's", () => {
    const a = new ServiceAccount();
    expect(readServiceAccount("{\"client_email\":\"a@b\",\"private_key\":\"not a key\"}", a)).toBe("");
    expect(a.key).toBeNull();
    expect(a.keyError.length).toBeGreaterThan(0);
    expect(a.tokenUri).toBe("https://oauth2.googleapis.com/token");
  });
});

describe("tokenRequestBody", () => {
  it("is the documented form with the grant type URL-encoded", () => {
    expect(String.UTF8.decode(tokenRequestBody("a.b.c").buffer)).toBe("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c");
  });
});
