import "./abi/runtime";
export function proxy_abi_version_0_2_1(): void {}
export function t(): void { trace("x"); const a = new Array<i32>(1); a[5] = 1; }
export function r(): f64 { return Math.random(); }
