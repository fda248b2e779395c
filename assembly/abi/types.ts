// Enum values from the proxy-wasm/spec v0.2.1 and proxy-wasm-cpp-sdk proxy_wasm_common.h / proxy_wasm_enums.h.

export enum Status {
  Ok = 0, NotFound = 1, BadArgument = 2, SerializationFailure = 3, ParseFailure = 4, BadExpression = 5,
  InvalidMemoryAccess = 6, Empty = 7, CasMismatch = 8, ResultMismatch = 9, InternalFailure = 10,
  BrokenConnection = 11, Unimplemented = 12,
}

export enum LogLevel { Trace = 0, Debug = 1, Info = 2, Warn = 3, Error = 4, Critical = 5 }

/** What a header callback returns (FilterHeadersStatus). */
export enum HeadersAction { Continue = 0, StopIteration = 1, ContinueAndEndStream = 2, StopAllIterationAndBuffer = 3, StopAllIterationAndWatermark = 4 }

/** What a body callback returns (FilterDataStatus). */
export enum DataAction { Continue = 0, StopIterationAndBuffer = 1, StopIterationAndWatermark = 2, StopIterationNoBuffer = 3 }

/** What a trailers callback returns (FilterTrailersStatus). */
export enum TrailersAction { Continue = 0, StopIteration = 1 }

export enum BufferType {
  HttpRequestBody = 0, HttpResponseBody = 1, DownstreamData = 2, UpstreamData = 3, HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5, VmConfiguration = 6, PluginConfiguration = 7, CallData = 8,
}

export enum MapType {
  HttpRequestHeaders = 0, HttpRequestTrailers = 1, HttpResponseHeaders = 2, HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4, GrpcReceiveTrailingMetadata = 5, HttpCallResponseHeaders = 6, HttpCallResponseTrailers = 7,
}

export enum StreamType { Request = 0, Response = 1, Downstream = 2, Upstream = 3 }

export enum MetricType { Counter = 0, Gauge = 1, Histogram = 2 }
