import { BUILTIN_BANK_CARD, BUILTIN_CN_ID, BUILTIN_EMAIL, BUILTIN_PHONE, OpsConfig, parseOpsConfig, RedactionRule } from "../config/ops-config";
import { ConfigErrors, FieldReader } from "../config/reader";
import { parseJsonString } from "../json";
import { hashKeyHex } from "../ops/key-hash";
import { redactRequest, redactText } from "../ops/redaction";
import { costMicroUsd } from "../ops/cost";
import { Usage } from "../translate";

function ops(json: string, errors: ConfigErrors = new ConfigErrors()): OpsConfig {
  return parseOpsConfig(new FieldReader(parseJsonString(json).value!, "", errors));
}

function only(kind: i32): OpsConfig {
  const c = new OpsConfig();
  c.redaction.push(new RedactionRule("t", null, kind));
  return c;
}

describe("key hashes", () => {
  it("are SHA-256 in lower-case hex (FIPS 180-4 test vectors)", () => {
    expect<string>(hashKeyHex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect<string>(hashKeyHex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect<string>(hashKeyHex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
      .toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
});

describe("redaction detectors", () => {
  it("Chinese resident ID numbers only with a valid check character", () => {
    const c = only(BUILTIN_CN_ID);
    expect<string>(redactText(c, "id 11010519491231002X.")).toBe("id [REDACTED].");
    expect<string>(redactText(c, "id 11010519491231002x")).toBe("id [REDACTED]");
    expect<string>(redactText(c, "id 110105194912310021")).toBe("id 110105194912310021"); // wrong check digit
    expect<string>(redactText(c, "n 911010519491231002X")).toBe("n 911010519491231002X"); // part of a longer run
  });
  it("bank cards: 16-19 digits passing Luhn, grouped or not", () => {
    const c = only(BUILTIN_BANK_CARD);
    expect<string>(redactText(c, "4111111111111111")).toBe("[REDACTED]");
    expect<string>(redactText(c, "card 4111 1111 1111 1111 ok")).toBe("card [REDACTED] ok");
    expect<string>(redactText(c, "card 4111-1111-1111-1111")).toBe("card [REDACTED]");
    expect<string>(redactText(c, "4111111111111112")).toBe("4111111111111112"); // Luhn fails
    expect<string>(redactText(c, "411111111111111")).toBe("411111111111111"); // 15 digits
    expect<string>(redactText(c, "12345678901234567890")).toBe("12345678901234567890"); // 20 digits
  });
  it("e-mail addresses and phone numbers", () => {
    expect<string>(redactText(only(BUILTIN_EMAIL), "write to li.lei+x@mail.example.cn, not to a@b")).toBe("write to [REDACTED], not to a@b");
    const p = only(BUILTIN_PHONE);
    expect<string>(redactText(p, "call 13812345678 or +86 138 1234 5678 or +1 415-555-0100")).toBe("call [REDACTED] or [REDACTED] or [REDACTED]");
    expect<string>(redactText(p, "order 12812345678 and 2024")).toBe("order 12812345678 and 2024");
  });
  it("configured patterns with a configured replacement ($ taken literally)", () => {
    const c = ops("{\"redaction\":{\"builtins\":[],\"patterns\":[\"EMP-[0-9]{4}\"],\"replacement\":\"<$x>\"}}");
    expect<string>(redactText(c, "EMP-1234 and EMP-12")).toBe("<$x> and EMP-12");
  });
});

describe("redaction of request bodies", () => {
  it("touches text fields of both protocols only, re-escaping the JSON and keeping UTF-8 and every other byte", () => {
    const c = ops("{\"redaction\":{}}");
    const body = "{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"卡号 4111111111111111\\n\"}],\"messages\":[" +
      "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"4111111111111111\"}}," +
      "{\"type\":\"text\",\"text\":\"\\u0034111111111111111 \\\"q\\\"\"}]}, {\"role\":\"user\",\"content\":\"mail a.b@example.com\"}]}";
    const out = redactRequest(c, parseJsonString(body).value!);
    expect<string>(String.UTF8.decode(out!.slice().buffer)).toBe(
      "{\"model\":\"m\",\"system\":[{\"type\":\"text\",\"text\":\"卡号 [REDACTED]\\n\"}],\"messages\":[" +
      "{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"4111111111111111\"}}," +
      "{\"type\":\"text\",\"text\":\"[REDACTED] \\\"q\\\"\"}]}, {\"role\":\"user\",\"content\":\"mail [REDACTED]\"}]}");
  });
  it("works on the escaped JSON text: an escape before a number or an address is a boundary, never part of a match", () => {
    const c = ops("{\"redaction\":{}}");
    const body = "{\"messages\":[{\"role\":\"user\",\"content\":\"a\\n13812345678\\tli.lei@example.com\\\\nx@example.org \\\"4111111111111111\\\"\"}]}";
    const out = redactRequest(c, parseJsonString(body).value!);
    expect<string>(String.UTF8.decode(out!.slice().buffer)).toBe(
      "{\"messages\":[{\"role\":\"user\",\"content\":\"a\\n[REDACTED]\\t[REDACTED]\\\\[REDACTED] \\\"[REDACTED]\\\"\"}]}");
  });
  it("returns null when nothing matches", () => {
    const c = ops("{\"redaction\":{}}");
    expect<bool>(redactRequest(c, parseJsonString("{\"messages\":[{\"role\":\"user\",\"content\":\"order 123456789012345678\"}]}").value!) === null).toBe(true);
  });
});

describe("cost", () => {
  it("uses configured prices before the built-in table (USD per million tokens → micro-USD)", () => {
    const c = ops("{\"pricing\":[{\"model\":\"claude-sonnet-4-5*\",\"input\":2,\"output\":10,\"cacheRead\":0.2,\"cacheWrite\":2.5}]}");
    const u = new Usage();
    u.inputTokens = 1000; u.outputTokens = 100; u.cacheReadTokens = 10000; u.cacheCreationTokens = 400;
    expect<i64>(costMicroUsd(c, "claude-sonnet-4-5-20250929", u)).toBe(2000 + 1000 + 2000 + 1000);
    // Built in: claude-sonnet-4 at $3 / $15 / $0.30 / $3.75.
    expect<i64>(costMicroUsd(c, "claude-sonnet-4-20250514", u)).toBe(3000 + 1500 + 3000 + 1500);
    expect<i64>(costMicroUsd(c, "unknown-model", u)).toBe(0);
  });
});

describe("ops configuration", () => {
  it("names the field of each problem", () => {
    const e = new ConfigErrors();
    ops("{\"consumers\":[{\"name\":\"a\"},{\"name\":\"b\",\"key\":\"k\",\"keySha256\":\"x\"},{\"name\":\"c\",\"keySha256\":\"zz\"}],\"basePaths\":[\"anthropic\"],\"redaction\":{\"patterns\":[\"(\"]}}", e);
    expect<string>(e.messages.join("|")).toBe("basePaths[0]: must start with / and not end with /|consumers[0]: needs key or keySha256|consumers[1]: may set only one of key, keySha256|consumers[2].keySha256: must be 64 hex digits (SHA-256 of the key)|redaction.patterns[0]: invalid regular expression: missing closing ) at 0");
  });
});
