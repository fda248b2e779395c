// An ordered, lower-cased header map with Envoy's HeaderMapImpl semantics that matter to a plugin:
// pseudo-headers stay in front, add = addCopy (duplicates allowed), replace = setCopy (remove all, add one),
// get = first value, byteSize = Σ(key+value lengths).

export type Headers = Array<[string, string]>;

const utf8 = new TextEncoder();

export class HeaderMap {
  private entries: Headers = [];

  constructor(init?: Headers) {
    if (init) for (const [k, v] of init) this.add(k, v);
  }

  static from(init: Headers): HeaderMap {
    return new HeaderMap(init);
  }

  /** addCopy: lower-cases the key; pseudo-headers go after the last pseudo-header. */
  add(key: string, value: string): void {
    const k = key.toLowerCase();
    if (k.startsWith(":")) {
      let i = 0;
      while (i < this.entries.length && this.entries[i][0].startsWith(":")) i++;
      this.entries.splice(i, 0, [k, value]);
    } else {
      this.entries.push([k, value]);
    }
  }

  /** setCopy: removes every value of the key, then adds one. */
  replace(key: string, value: string): void {
    this.remove(key);
    this.add(key, value);
  }

  remove(key: string): void {
    const k = key.toLowerCase();
    this.entries = this.entries.filter(([ek]) => ek !== k);
  }

  /** First value, or undefined. */
  get(key: string): string | undefined {
    const k = key.toLowerCase();
    return this.entries.find(([ek]) => ek === k)?.[1];
  }

  getAll(key: string): string[] {
    const k = key.toLowerCase();
    return this.entries.filter(([ek]) => ek === k).map(([, v]) => v);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** set_header_map_pairs: remove every existing key, then add the pairs. */
  setAll(pairs: Headers): void {
    this.entries = [];
    for (const [k, v] of pairs) this.add(k, v);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Envoy's HeaderMap::byteSize(): the sum of key and value lengths in bytes. */
  byteSize(): number {
    let n = 0;
    for (const [k, v] of this.entries) n += utf8.encode(k).length + utf8.encode(v).length;
    return n;
  }

  toArray(): Headers {
    return this.entries.map(([k, v]) => [k, v]);
  }

  clone(): HeaderMap {
    return new HeaderMap(this.entries);
  }
}

/** Lower-case keys of a user-given header list (tests/gateway input). */
export function lowerHeaders(h: Headers): Headers {
  return h.map(([k, v]) => [k.toLowerCase(), v]);
}
