// A bounds-checked DER reader (ITU-T X.690), enough for PKCS#1 and PKCS#8 RSA private keys. Errors are values.

export class Der {
  pos: i32;
  error: string = "";
  constructor(public bytes: Uint8Array, start: i32 = 0, public end: i32 = -1) {
    this.pos = start;
    if (end < 0) this.end = bytes.length;
  }

  get ok(): bool { return this.error.length == 0; }
  get done(): bool { return this.pos >= this.end; }

  /** Reads one element with `tag`; returns its content as a reader (an empty, failed reader on error). */
  element(tag: u8, what: string): Der {
    if (!this.ok) return this;
    if (this.pos + 2 > this.end) return this.fail(what + ": truncated");
    if (this.bytes[this.pos] != tag) return this.fail(what + ": unexpected tag 0x" + this.bytes[this.pos].toString(16));
    let p = this.pos + 1;
    let len: i32 = this.bytes[p++];
    if (len & 0x80) {
      const count = len & 0x7f;
      if (count == 0 || count > 3 || p + count > this.end) return this.fail(what + ": bad length");
      len = 0;
      for (let i = 0; i < count; i++) len = (len << 8) | this.bytes[p++];
    }
    if (len > this.end - p) return this.fail(what + ": length past the end");
    this.pos = p + len;
    return new Der(this.bytes, p, p + len);
  }

  /** An INTEGER's magnitude as big-endian bytes without leading zeros (non-negative integers only). */
  unsignedInteger(what: string): Uint8Array {
    const e = this.element(0x02, what);
    if (!e.ok) { this.error = e.error; return new Uint8Array(0); }
    if (e.end == e.pos) { this.fail(what + ": empty integer"); return new Uint8Array(0); }
    if (e.bytes[e.pos] & 0x80) { this.fail(what + ": negative"); return new Uint8Array(0); }
    let s = e.pos;
    while (s < e.end - 1 && e.bytes[s] == 0) s++;
    return e.bytes.slice(s, e.end);
  }

  rest(): Uint8Array { return this.bytes.subarray(this.pos, this.end); }

  fail(message: string): Der {
    if (this.ok) this.error = message;
    const failed = new Der(this.bytes, this.end, this.end);
    failed.error = this.error;
    return failed;
  }
}
