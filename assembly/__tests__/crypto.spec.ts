// assembly/crypto against the standards' own vectors: FIPS 180-2 Appendix B (SHA-256), RFC 4231 §4 (HMAC-SHA256),
// RFC 4648 §10 (base64) and RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) signatures made by OpenSSL with test keys generated
// for this file only (`openssl genpkey -algorithm RSA`, `openssl dgst -sha256 -sign`; PKCS#1 v1.5 is deterministic,
// so our signature must equal OpenSSL's byte for byte).
import {
  amzDate, base64Decode, base64Encode, base64UrlEncode, crc32, crc32Update, hmacSha256, parseRsaPrivateKeyPem, rsaSha256Sign, sha256, Sha256,
  sigV4Authorization, sigV4CanonicalUri, SigV4Credentials, SigV4Request, toHex,
} from "../crypto";
import { base64EncodeInto } from "../crypto/base64";
import { ByteBuffer } from "../bytes/buffer";

function bytes(s: string): Uint8Array { return Uint8Array.wrap(String.UTF8.encode(s)); }
function hex(h: string): Uint8Array {
  const out = new Uint8Array(h.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(h.substr(2 * i, 2), 16);
  return out;
}
function repeat(b: u8, n: i32): Uint8Array {
  const out = new Uint8Array(n);
  out.fill(b);
  return out;
}

describe("SHA-256 (FIPS 180-2 Appendix B, NIST examples)", () => {
  it("one block: \"abc\"", () => {
    expect(toHex(sha256(bytes("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("two blocks: the 448-bit message", () => {
    expect(toHex(sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))))
      .toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  });
  it("the empty message", () => {
    expect(toHex(sha256(new Uint8Array(0)))).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
  it("one million \"a\", fed in uneven pieces", () => {
    const h = new Sha256();
    const piece = repeat(0x61, 997);
    let left = 1000000;
    while (left > 0) {
      const n = left < 997 ? left : 997;
      h.update(piece.subarray(0, n));
      left -= n;
    }
    expect(toHex(h.digest())).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });
  it("55, 56 and 64 bytes (padding across the block boundary)", () => {
    // Values from Python's hashlib (an independent implementation).
    expect(toHex(sha256(repeat(0x61, 55)))).toBe("9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    expect(toHex(sha256(repeat(0x61, 56)))).toBe("b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    expect(toHex(sha256(repeat(0x61, 64)))).toBe("ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  });
});

describe("HMAC-SHA256 (RFC 4231 §4)", () => {
  it("test case 1", () => {
    expect(toHex(hmacSha256(repeat(0x0b, 20), bytes("Hi There")))).toBe("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  });
  it("test case 2: a key shorter than the hash", () => {
    expect(toHex(hmacSha256(bytes("Jefe"), bytes("what do ya want for nothing?")))).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });
  it("test case 3", () => {
    expect(toHex(hmacSha256(repeat(0xaa, 20), repeat(0xdd, 50)))).toBe("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  });
  it("test case 4", () => {
    expect(toHex(hmacSha256(hex("0102030405060708090a0b0c0d0e0f10111213141516171819"), repeat(0xcd, 50)))).toBe("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  });
  it("test case 6: a 131-byte key (hashed first)", () => {
    expect(toHex(hmacSha256(repeat(0xaa, 131), bytes("Test Using Larger Than Block-Size Key - Hash Key First")))).toBe("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  });
  it("test case 7: a 131-byte key and a long message", () => {
    expect(toHex(hmacSha256(repeat(0xaa, 131), bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."))))
      .toBe("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  });
});

describe("base64 and base64url (RFC 4648 §10)", () => {
  it("encodes the RFC's vectors", () => {
    const inputs = ["", "f", "fo", "foo", "foob", "fooba", "foobar"];
    const std = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
    for (let i = 0; i < inputs.length; i++) {
      expect(base64Encode(bytes(inputs[i]))).toBe(std[i]);
      expect(base64UrlEncode(bytes(inputs[i]))).toBe(std[i].replaceAll("=", ""));
      const back = base64Decode(std[i]);
      expect(back).not.toBeNull();
      expect(String.UTF8.decode(back!.slice().buffer)).toBe(inputs[i]);
    }
  });
  it("uses - and _ in base64url; decodes both alphabets, with or without padding, skipping line breaks", () => {
    const b = hex("fbff3e");
    expect(base64Encode(b)).toBe("+/8+");
    expect(base64UrlEncode(b)).toBe("-_8-");
    expect(toHex(base64Decode("-_8-")!)).toBe("fbff3e");
    expect(toHex(base64Decode("Zm9v\r\nYg")!)).toBe("666f6f62");
  });
  it("writes the same text in place (base64EncodeInto), after what the buffer holds", () => {
    const inputs = ["", "f", "fo", "foo", "foob", "fooba", "foobar"];
    const std = ["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"];
    for (let i = 0; i < inputs.length; i++) {
      const out = new ByteBuffer(1);
      out.pushString("x:");
      base64EncodeInto(out, bytes(inputs[i]));
      expect(out.toString()).toBe("x:" + std[i]);
    }
    const b = new ByteBuffer(4);
    base64EncodeInto(b, hex("fbff3e"));
    expect(b.toString()).toBe("+/8+");
  });
  it("refuses what no encoder writes, as a value", () => {
    expect(base64Decode("Zm9v!")).toBeNull();
    expect(base64Decode("Z")).toBeNull();
    expect(base64Decode("Zg=a")).toBeNull();
    expect(base64Decode("Zg===")).toBeNull();
    expect(base64Decode("Zg=")).toBeNull();
  });
});

const KEY_2048_PKCS8 = "-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCxi2lIjxvQG0V+\nDqm2LFTiahAP2goOg3/IikEfPgOUYpIFyYfzV+rD+lanMtAYAC5c5YiteZwPwu82\nEFHwpdtcFkmptgZ+2NOWOMjB9663VVTwu8fv9usVspYBdAsjk5Lb0p1tpZwe+GmD\nT1qPu0CR0TB7D19vFOcRSXX5pTOLKf/odGkorz0Xp0EQBEoqKDRxWBU0L6DenYZR\nsljcufuQ10JY/gGNeQLu3ehfs7ahzKL7LRA0rxupevEtQpuLA+MpLHLsI4H4S6ec\nIA2+cLBtZ/UHg3QYKEJLXpbCXz5lx0mI4mRMrOuZKO/mqPa3MpjaEeQViLAT2AIs\n24hxKTOZAgMBAAECggEAJEm9TCJL6f4Y9wniMCTheKF7BPJoycygyolPhCY1rxdy\nhxJI4jje+A1rtqLRG4a18zDK/cH0XthV8jPlu4z6x9iaV8CnlTeWD4ctqU+Je1lK\nkiWfWPGb3QRyWnuwZyYbhyiGGsoVndLiJf+LIAOC0Ar0oMJknBymmcbtAQh9/3xP\n3bfZ4+FpUcfySugahDUnNW8ZqFt/22X327x2V+Ms4huK+H1ob4VMmEc9htM5VfYE\nRzR0pglCxvK3WRsgpaG4CwgdWcSnaklKg0kJuv2yuzGFGwNxTZqeHXp5PJUH81oX\nqdHh2eWPxSmXyAn+8C72tWZMulSD1VwzaYo+C5eIXQKBgQDffIIuxjELvRep4b0a\n9AXc93SOPqXeOuvFvnnpHPBcL6p4enWctyQ5P+7v8oWo0G5hcI0iWdNeY38drWPc\ngIv9M12bDtI8XfNDeWEprJvihx9vnt7hTjvJRXEQIvIcqtOeHPjumk6YhXQblGHk\noC1bU3cR1nUzEB126g68M1YFbwKBgQDLX9qdFQwEJq/Ze1QYhSD1LITifrffXbrm\n3Hz9A/fIEBOFgaSkbERPuJtrDoF5G1yR0zwcq0DJNtGaW/NG3yeKSVxlRgemhN6T\n3ZH6cuQUbGdcjptulyowgwpQOuTk3yEY/XSeHz1JczM8EPVZkFyorXpFkqpo2q0h\nyfbBdzmjdwKBgQCY37S1hkE6hGjRfmc7Lr1r/6GtQ9F2iNuK8ta1zWPly31S2IHn\nZ6fRuZgabs1bQuieor0ISGW75Veo11i+FvirhR182dCaFrI276q1NSuU81Vfp09S\n0482CNhkb2MqlPgY6jymCsvErVVVIFUubRtZo2iJvSeCfH2LQGQ//OXU5QKBgAt0\nM5DDPbECKMc73emfndKRFk7XSi3HTp5v7o4lahAXb7IGMiqcemBvCjnGUF5svxLr\nbahDsNtkPfvOj+3+5XAxX4XIoueq9gon4W/UhqnrzQp2caSR2OtwheUs2/VT575L\nkATTx5TaaxlH7zmDGuTZGFjQwM40+qk7ga01tMZTAoGBAIwKapqVDvASS5vmSwvm\n9LFPyzct99fbrWIO8SkLCvpspQ7Y1gx2ANCyRvrniBCDyQBYvC7XA9t9fBri3XUR\nbKavn3kf2PRGspZwQYGAK2fZrXie4RJhcrvd7+z6eAaDALHYAUBdvcgy3iKzomLq\n8LQwG2XoNSoEtWUOmIoTpMb2\n-----END PRIVATE KEY-----";
const KEY_2048_PKCS1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAsYtpSI8b0BtFfg6ptixU4moQD9oKDoN/yIpBHz4DlGKSBcmH\n81fqw/pWpzLQGAAuXOWIrXmcD8LvNhBR8KXbXBZJqbYGftjTljjIwfeut1VU8LvH\n7/brFbKWAXQLI5OS29KdbaWcHvhpg09aj7tAkdEwew9fbxTnEUl1+aUziyn/6HRp\nKK89F6dBEARKKig0cVgVNC+g3p2GUbJY3Ln7kNdCWP4BjXkC7t3oX7O2ocyi+y0Q\nNK8bqXrxLUKbiwPjKSxy7COB+EunnCANvnCwbWf1B4N0GChCS16Wwl8+ZcdJiOJk\nTKzrmSjv5qj2tzKY2hHkFYiwE9gCLNuIcSkzmQIDAQABAoIBACRJvUwiS+n+GPcJ\n4jAk4XihewTyaMnMoMqJT4QmNa8XcocSSOI43vgNa7ai0RuGtfMwyv3B9F7YVfIz\n5buM+sfYmlfAp5U3lg+HLalPiXtZSpIln1jxm90Eclp7sGcmG4cohhrKFZ3S4iX/\niyADgtAK9KDCZJwcppnG7QEIff98T9232ePhaVHH8kroGoQ1JzVvGahbf9tl99u8\ndlfjLOIbivh9aG+FTJhHPYbTOVX2BEc0dKYJQsbyt1kbIKWhuAsIHVnEp2pJSoNJ\nCbr9srsxhRsDcU2anh16eTyVB/NaF6nR4dnlj8Upl8gJ/vAu9rVmTLpUg9VcM2mK\nPguXiF0CgYEA33yCLsYxC70XqeG9GvQF3Pd0jj6l3jrrxb556RzwXC+qeHp1nLck\nOT/u7/KFqNBuYXCNIlnTXmN/Ha1j3ICL/TNdmw7SPF3zQ3lhKayb4ocfb57e4U47\nyUVxECLyHKrTnhz47ppOmIV0G5Rh5KAtW1N3EdZ1MxAdduoOvDNWBW8CgYEAy1/a\nnRUMBCav2XtUGIUg9SyE4n6331265tx8/QP3yBAThYGkpGxET7ibaw6BeRtckdM8\nHKtAyTbRmlvzRt8niklcZUYHpoTek92R+nLkFGxnXI6bbpcqMIMKUDrk5N8hGP10\nnh89SXMzPBD1WZBcqK16RZKqaNqtIcn2wXc5o3cCgYEAmN+0tYZBOoRo0X5nOy69\na/+hrUPRdojbivLWtc1j5ct9UtiB52en0bmYGm7NW0LonqK9CEhlu+VXqNdYvhb4\nq4UdfNnQmhayNu+qtTUrlPNVX6dPUtOPNgjYZG9jKpT4GOo8pgrLxK1VVSBVLm0b\nWaNoib0ngnx9i0BkP/zl1OUCgYALdDOQwz2xAijHO93pn53SkRZO10otx06eb+6O\nJWoQF2+yBjIqnHpgbwo5xlBebL8S622oQ7DbZD37zo/t/uVwMV+FyKLnqvYKJ+Fv\n1Iap680KdnGkkdjrcIXlLNv1U+e+S5AE08eU2msZR+85gxrk2RhY0MDONPqpO4Gt\nNbTGUwKBgQCMCmqalQ7wEkub5ksL5vSxT8s3LffX261iDvEpCwr6bKUO2NYMdgDQ\nskb654gQg8kAWLwu1wPbfXwa4t11EWymr595H9j0RrKWcEGBgCtn2a14nuESYXK7\n3e/s+ngGgwCx2AFAXb3IMt4is6Ji6vC0MBtl6DUqBLVlDpiKE6TG9g==\n-----END RSA PRIVATE KEY-----";
const KEY_1024_PKCS8 = "-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBAMEmlIAgb0xwqQRL\ng9OeCp+LY5dZFfYHgfaaKYf6MRqmQFlmWQYnTHCf/RAYvI84I5NiUUk9rerucvA0\nVk7PYSfTMIHJYwDkGdnJBg2e96XtJ080PxZ2UvSbKc+s4/jfv2Ru67+dBipCZ8Ld\nyIFyvAVxiZlELq793aMwHTnXoKqzAgMBAAECgYA1mQkYTOfVpGWiZXodXPvBriJi\nuzvW29p6nejsbMb3iC7PIBGQHZOepSbKMrMQYxmsKlo4Ir+CM8z9TuisUeu5b4fZ\nIXJD2FvAblRsoUhspWHZWRMgXWX39EdrgwHd27OJnVE4gr9hDLe52awgenrl+IB8\n0PMT2KBgEi3TKS2CwQJBAPJw/yAnYqXZS3WBvEPnF+9hmqbqJEuV/AR2IIVB/WZ8\nBUMbeWXndzYWI6OvlY0GhLFFtwW1leg/nxg3wYJSdOMCQQDL8+URS/w9MCGf1Dtt\noZMPyJhF3xprSh0g42EUPmQgXONz2MA7rq3sPbWeEiJk2+0YIDkMnVk46yzLqHh8\n76vxAkEAvo8CeQt8Bk/dd+cZS2YA8i8Nl9TB4odpJziSJyvPORaSLEUUDnz4vpJ4\nQNhp/Ab7lTruuJYZ1grryeVJPF4DcQJACK+HVtg8ksKE/BCGw2F5KNfrHDanImCS\nov7r+He7veEW0q0tap1CzOfH30Z4boErNLbSlyXwUcs6KiYvk2qFkQJAcReh3uqX\nwcWlC6bkSi+Okr4rbFqgw13iAk+t1ca5+zMKMtXnb6/fNwROSU0LOiQc6kUz4R6b\ni8ptBVWuS9OMjQ==\n-----END PRIVATE KEY-----";
const EC_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNRM4ju7EyrEqzBh4\nuJlWkKHuI7xtCR6tocl78hzC1xahRANCAAQvQzVU4ZrnEU8XTkCFO15dG4SUKzZj\nvtQ2ItUCZFwp7HZd2HFN3CE1stfB0ztKDXu6rEDp0wjWjB7qZkPB1sY/\n-----END PRIVATE KEY-----";
const MESSAGE = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ0ZXN0In0";
const SIGNATURE_2048 = "38660c9cf3dfd6b18b9ebbdda98d75ef9c282d8b6a23795e774efc2042905ef8d08c8518c642bd21d587c1723810737a960dcf3e517a111cff84691600c5e7736ef3c3932f8a8445a16996c15a1ba452c3a7e9aece6bf0a57dde3fe8f27d35c50c580a9ba122d6cfcdf189926e708a3830a715f24a473e54847c6a9fd296bcc1b5c4a9cfef399de3106782902f0c30ca24fe7e10fc4115bc27dd0b42b4847ee5429f2dc46498e8c0a794be2cde5122e2ef0e786efcf622fd03a6de16fe175e33081545f40889ffb31f6028ea55424b2fef1d8b6335bd0a2a1a4e6318a723661850f308147fc4bd9006b2a4569ccd2e91ccebbc516c7052ca38e922a426c36d4e";
const SIGNATURE_1024_EMPTY = "7faf781738bf638fb0facde8a6c2f93dd0883d4a95f851987c66cf1866bc71f845f76e9eef1d667da613b5d10fb71ccba4642bdcb3fc8b0a8e10f1b032109a08ca66a45e4200b448671788c84aeb7f6894cce4e61effc81e9bc213d1308bc41fd4060780fd17ded8faf3519c0b08ea317c5d8559136fbe800b5815e268e6a3b2";

describe("RSASSA-PKCS1-v1_5 SHA-256 (RFC 8017 §8.2.1), against OpenSSL", () => {
  it("signs a JWT signing input with a 2048-bit PKCS#8 key exactly as OpenSSL does", () => {
    const r = parseRsaPrivateKeyPem(KEY_2048_PKCS8);
    expect(r.error).toBe("");
    expect(r.key!.size).toBe(256);
    expect(toHex(rsaSha256Sign(r.key!, bytes(MESSAGE)))).toBe(SIGNATURE_2048);
  });
  it("reads the same key in PKCS#1 form", () => {
    const r = parseRsaPrivateKeyPem(KEY_2048_PKCS1);
    expect(r.error).toBe("");
    expect(toHex(rsaSha256Sign(r.key!, bytes(MESSAGE)))).toBe(SIGNATURE_2048);
  });
  it("signs the empty message with a 1024-bit key", () => {
    const r = parseRsaPrivateKeyPem(KEY_1024_PKCS8);
    expect(r.error).toBe("");
    expect(toHex(rsaSha256Sign(r.key!, new Uint8Array(0)))).toBe(SIGNATURE_1024_EMPTY);
  });
  it("reads a key with CRLF line breaks", () => {
    const r = parseRsaPrivateKeyPem(KEY_2048_PKCS8.replaceAll("\n", "\r\n"));
    expect(r.error).toBe("");
  });
  it("refuses bad keys with an error value, never a trap", () => {
    expect(parseRsaPrivateKeyPem("").error).toBe("no \"BEGIN PRIVATE KEY\" or \"BEGIN RSA PRIVATE KEY\" block");
    expect(parseRsaPrivateKeyPem("-----BEGIN PRIVATE KEY-----\nMIIB").error).toBe("the PEM block has no END line");
    expect(parseRsaPrivateKeyPem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----").error).toBe("the PEM body is not base64");
    expect(parseRsaPrivateKeyPem(EC_KEY).error).toBe("not an RSA key");
    // Truncated DER at every length: each one an error, none a trap.
    const body = KEY_2048_PKCS8.substring(28, KEY_2048_PKCS8.length - 26).replaceAll("\n", "");
    const der = base64Decode(body)!;
    for (let cut = 0; cut < der.length; cut += 7) {
      const pem = "-----BEGIN PRIVATE KEY-----\n" + base64Encode(der.subarray(0, cut)) + "\n-----END PRIVATE KEY-----";
      expect(parseRsaPrivateKeyPem(pem).error.length).toBeGreaterThan(0);
    }
    // Random bytes inside a PEM block.
    let seed: u32 = 12345;
    for (let n = 0; n < 200; n++) {
      const junk = new Uint8Array(<i32>(n * 3));
      for (let i = 0; i < junk.length; i++) { seed = seed * 1103515245 + 12345; junk[i] = <u8>(seed >> 16); }
      if (n > 0) junk[0] = 0x30;
      const pem = "-----BEGIN RSA PRIVATE KEY-----\n" + base64Encode(junk) + "\n-----END RSA PRIVATE KEY-----";
      expect(parseRsaPrivateKeyPem(pem).key).toBeNull();
    }
  });
});

describe("CRC-32 (IEEE 802.3)", () => {
  it("the standard check value of \"123456789\" is 0xCBF43926", () => {
    expect(crc32(bytes("123456789"))).toBe(0xCBF43926);
  });
  it("is incremental over any split", () => {
    const b = bytes("123456789");
    expect(crc32Update(crc32Update(0, b, 0, 4), b, 4)).toBe(0xCBF43926);
  });
  it("of nothing is 0", () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

// AWS's SigV4 test suite (aws-sig-v4-test-suite): credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
// region us-east-1, service "service", 20150830T123600Z, host example.amazonaws.com; signatures as published.
const SUITE = new SigV4Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
const SUITE_DATE = "20150830T123600Z";
function suite(method: string, path: string, body: string): SigV4Request {
  return new SigV4Request(method, path, bytes(body)).header("host", "example.amazonaws.com").header("x-amz-date", SUITE_DATE);
}
const SCOPE = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

describe("SigV4 (AWS signature test suite)", () => {
  it("get-vanilla", () => {
    expect(sigV4Authorization(suite("GET", "/", ""), SUITE, SUITE_DATE))
      .toBe(SCOPE + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  });
  it("post-vanilla", () => {
    expect(sigV4Authorization(suite("POST", "/", ""), SUITE, SUITE_DATE))
      .toBe(SCOPE + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  });
  it("post-x-www-form-urlencoded: a signed content-type and a body", () => {
    const req = suite("POST", "/", "Param1=value1").header("content-type", "application/x-www-form-urlencoded");
    expect(sigV4Authorization(req, SUITE, SUITE_DATE))
      .toBe(SCOPE + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
  });
  it("get-utf8: the path's UTF-8 bytes percent-encoded", () => {
    expect(sigV4Authorization(suite("GET", "/\u1234", ""), SUITE, SUITE_DATE))
      .toBe(SCOPE + "SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
  });
  it("a path sent encoded once is encoded again in the canonical request (every service but S3)", () => {
    expect(sigV4CanonicalUri("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse"))
      .toBe("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/converse");
    expect(sigV4CanonicalUri("/model/x/converse?trace=1")).toBe("/model/x/converse");
  });
  it("x-amz-date from a Unix time", () => {
    expect(amzDate(1440938160000)).toBe("20150830T123600Z");
    expect(amzDate(951782400000)).toBe("20000229T000000Z");
    expect(amzDate(0)).toBe("19700101T000000Z");
  });
});
