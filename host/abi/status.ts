// Enum values of Proxy-Wasm ABI 0.2.1 (proxy-wasm/spec, proxy-wasm-cpp-sdk proxy_wasm_common.h / proxy_wasm_enums.h).

export enum Status {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  BadExpression = 5,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  ResultMismatch = 9,
  InternalFailure = 10,
  BrokenConnection = 11,
  Unimplemented = 12,
}

/** Values a header/body/trailer callback returns (FilterHeadersStatus / FilterDataStatus as the ABI numbers them). */
export const Action = {
  Continue: 0,
  /** Headers: StopIteration. Body: StopIterationAndBuffer. */
  StopIteration: 1,
  StopIterationAndBuffer: 1,
  ContinueAndEndStream: 2,
  StopIterationAndWatermark: 2,
  StopAllIterationAndBuffer: 3,
  StopIterationNoBuffer: 3,
  StopAllIterationAndWatermark: 4,
} as const;

export enum BufferType {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  DownstreamData = 2,
  UpstreamData = 3,
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,
  VmConfiguration = 6,
  PluginConfiguration = 7,
  CallData = 8,
}
export const BUFFER_TYPE_MAX = 8;

export enum MapType {
  RequestHeaders = 0,
  RequestTrailers = 1,
  ResponseHeaders = 2,
  ResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}
export const MAP_TYPE_MAX = 7;

export enum StreamType {
  Request = 0,
  Response = 1,
  Downstream = 2,
  Upstream = 3,
}

export enum LogLevel {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
  Critical = 5,
}

export enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
}

/** WASI errno values used by the overridden WASI calls. */
export enum Errno {
  Success = 0,
  Badf = 8,
  Fault = 21,
  Inval = 28,
  Notsup = 58,
}
