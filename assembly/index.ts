// Module entry: the Proxy-Wasm ABI exports, with the ai-proxy plugin as the root context of every configuration.
import "./abi/runtime";
import { setRootContextFactory } from "./abi";
import { newAiProxyRoot } from "./plugin/root";

export * from "./abi/exports";

setRootContextFactory(newAiProxyRoot);
