// A header map read once, edited in the module, and written back once: two host calls instead of one per
// header read or change (each crosses the sandbox; the request path touches a dozen headers).
import { getHeaderPairs, setHeaderPairs } from "./hostcalls";
import { HeaderPair } from "./pairs";
import { MapType, Status } from "./types";

export class HeaderMapEdits {
  private changed: bool = false;
  private constructor(public readonly map: MapType, private pairs: Array<HeaderPair>) {}

  static load(map: MapType): HeaderMapEdits {
    return new HeaderMapEdits(map, getHeaderPairs(map));
  }

  /** First value of `key` (lower-case), or null. */
  get(key: string): string | null {
    const p = this.pairs;
    for (let i = 0; i < p.length; i++) if (p[i].key == key) return p[i].value;
    return null;
  }

  getOr(key: string, def: string): string {
    const v = this.get(key);
    return v === null ? def : v;
  }

  /** Envoy's replace (setCopy): every value of `key` goes, one stays — in the first one's place. */
  set(key: string, value: string): void {
    const p = this.pairs;
    let at = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i].key != key) continue;
      if (at < 0) {
        at = i;
        p[i].value = value;
      } else {
        p.splice(i, 1);
        i--;
      }
    }
    if (at < 0) p.push(new HeaderPair(key, value));
    this.changed = true;
  }

  remove(key: string): void {
    const p = this.pairs;
    for (let i = 0; i < p.length; i++) {
      if (p[i].key == key) {
        p.splice(i, 1);
        i--;
        this.changed = true;
      }
    }
  }

  /** Writes the map back if anything changed (Envoy replaces the whole map with these pairs). */
  commit(): Status {
    if (!this.changed) return Status.Ok;
    this.changed = false;
    return setHeaderPairs(this.map, this.pairs);
  }
}
