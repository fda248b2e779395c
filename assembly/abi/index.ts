// The Proxy-Wasm ABI 0.2.1 layer. It knows nothing of AI: plugins extend RootContext/HttpContext,
// register a root factory, and talk to the host only through hostcalls.
export * from "./types";
export * from "./pairs";
export * from "./context";
export * from "./hostcalls";
export { HeaderMapEdits } from "./header-edits";
export { setRootContextFactory, dispatchHttpCall, getRoot, getStream, pendingCallouts } from "./dispatcher";
