// The host's public face: load a Proxy-Wasm module, create VMs, start plugins, drive streams and exchanges.

export { ProxyWasmHost } from "./host";
export { Vm } from "./vm";
export { Plugin, type PluginOptions } from "./plugin";
export { Stream, type StreamListener, type LocalReply, type Direction } from "./filter-chain";
export {
  normalizeRequestHeaders,
  type BodyInput,
  type ExchangeOptions,
  type ExchangeResult,
  type UpstreamRequest,
  type UpstreamResponse,
} from "./exchange";
export { HeaderMap, type Headers } from "./header-map";
export { serializePairs, parsePairs, PAIRS_MAX_BYTES, PAIRS_MAX_COUNT } from "./abi/pairs";
export { Status, Action, BufferType, MapType, StreamType, LogLevel, MetricType } from "./abi/status";
export { sharedStore } from "./shared-store";
export type { HostOptions, ClusterHandler, ClusterRequest, ClusterResponse, LogEntry, PropertyValue } from "./types";
