// Small fixed-size records in Proxy-Wasm shared data (process-wide, visible to every VM and worker), updated
// with compare-and-swap so concurrent VMs never lose each other's counts.
import { getSharedData, setSharedData, Status } from "../abi";

/** A record of `slots` u64 values; absent or malformed data reads as zeros. */
export class SharedRecord {
  values: StaticArray<u64>;
  cas: u32 = 0;
  constructor(public slots: i32) {
    this.values = new StaticArray<u64>(slots);
  }

  load(key: string): void {
    const got = getSharedData(key);
    for (let i = 0; i < this.slots; i++) this.values[i] = 0;
    this.cas = 0;
    if (got === null) return;
    this.cas = got.cas;
    const buf = got.value;
    if (buf === null) return;
    const n = min(this.slots, buf.byteLength >> 3);
    for (let i = 0; i < n; i++) this.values[i] = load<u64>(changetype<usize>(buf) + (<usize>i << 3));
  }

  /** Writes if nobody wrote since load(); false on a CAS mismatch (reload and try again). */
  store(key: string): bool {
    const buf = new ArrayBuffer(this.slots << 3);
    for (let i = 0; i < this.slots; i++) store<u64>(changetype<usize>(buf) + (<usize>i << 3), this.values[i]);
    return setSharedData(key, buf, this.cas) == Status.Ok;
  }
}

/** Applies `update` under CAS, retrying a bounded number of times (contention is brief: a few VMs). */
export abstract class RecordUpdate {
  /** Set by updateRecord: the update was written, or apply() chose not to write; false when every attempt lost. */
  settled: bool = false;
  /** Changes `rec.values` in place; return false to skip writing. */
  abstract apply(rec: SharedRecord): bool;
}

export function updateRecord(key: string, slots: i32, update: RecordUpdate, attempts: i32 = 8): SharedRecord {
  const rec = new SharedRecord(slots);
  update.settled = true;
  for (let attempt = 0; attempt < attempts; attempt++) {
    rec.load(key);
    if (!update.apply(rec)) return rec;
    if (rec.store(key)) return rec;
  }
  update.settled = false;
  return rec;
}

/** FNV-1a over a string: names state keys after a configuration without putting secrets in them. */
export function fnv1a(s: string, seed: u32 = 0x811c9dc5): u32 {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    h ^= <u32>s.charCodeAt(i);
    h *= 0x01000193;
  }
  return h;
}
