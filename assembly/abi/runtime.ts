// Replacements for the AssemblyScript std imports `env.abort`, `env.trace` and `env.seed`,
// which neither Envoy nor Higress's test host provides (asconfig.json routes them here).
@external("wasi_snapshot_preview1", "random_get")
declare function wasi_random_get(buf: usize, len: usize): u16;

export function abortToHost(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
export function traceToHost(message: string, n: i32 = 0, a0: f64 = 0, a1: f64 = 0, a2: f64 = 0, a3: f64 = 0, a4: f64 = 0): void {}
export function seedFromHost(): f64 {
  const p = memory.data(8);
  wasi_random_get(p, 8);
  return <f64>load<u64>(p);
}
