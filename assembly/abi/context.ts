// Context base classes. A RootContext lives per plugin configuration (one per root id); an HttpContext lives
// per HTTP stream. Plugins extend these and register a root factory with setRootContextFactory().
import { DataAction, HeadersAction, TrailersAction } from "./types";

export class RootContext {
  constructor(public readonly id: u32) {}
  /** Not always called (Envoy calls it once per root context; other hosts may skip it): initialise lazily. */
  onVmStart(vmConfiguration: ArrayBuffer): bool { return true; }
  /** Return false to refuse the configuration (Envoy rejects the config / NACKs the update). */
  onConfigure(configuration: ArrayBuffer): bool { return true; }
  newHttpContext(id: u32): HttpContext { return new HttpContext(id, this); }
  onTick(): void {}
  onQueueReady(queueId: u32): void {}
  /** Return false to delay the VM shutdown until proxy_done() is called. */
  onDone(): bool { return true; }
  onDelete(): void {}
}

export class HttpContext {
  constructor(public readonly id: u32, public readonly root: RootContext) {}
  onRequestHeaders(numHeaders: u32, endOfStream: bool): HeadersAction { return HeadersAction.Continue; }
  onRequestBody(bodySize: u32, endOfStream: bool): DataAction { return DataAction.Continue; }
  onRequestTrailers(numTrailers: u32): TrailersAction { return TrailersAction.Continue; }
  onResponseHeaders(numHeaders: u32, endOfStream: bool): HeadersAction { return HeadersAction.Continue; }
  onResponseBody(bodySize: u32, endOfStream: bool): DataAction { return DataAction.Continue; }
  onResponseTrailers(numTrailers: u32): TrailersAction { return TrailersAction.Continue; }
  /** Access-log phase: final request and response headers are readable. Envoy calls it before onDone. */
  onLog(): void {}
  onDone(): void {}
  onDelete(): void {}
}

/** Receives the answer to an HTTP callout. `contextId` is made the effective context before the call. */
export abstract class HttpCallHandler {
  /** The context the answer belongs to (a stream id, or the root id). */
  contextId: u32 = 0;
  /** numHeaders 0 and bodySize 0 mean the call failed (reset or timeout). */
  abstract onHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void;
}
