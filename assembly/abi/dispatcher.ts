// Owns the context maps and callout tokens; turns host callbacks into calls on context objects.
// Unknown ids are ignored rather than trapping: a host may deliver a late callback for a context we dropped.
import { HttpCallHandler, HttpContext, RootContext } from "./context";
import { httpCall, lastStatus, setEffectiveContext } from "./hostcalls";
import { Status } from "./types";
import { HeaderPair } from "./pairs";

let rootFactory: ((id: u32) => RootContext) | null = null;
const roots = new Map<u32, RootContext>();
const streams = new Map<u32, HttpContext>();
const callouts = new Map<u32, HttpCallHandler>();

export function setRootContextFactory(factory: (id: u32) => RootContext): void {
  rootFactory = factory;
}

export function createContext(id: u32, parentId: u32): void {
  if (parentId == 0) {
    // Root context 1 may be created again in the same instance (reconfiguration): the new one replaces it,
    // streams created before keep the root they were born with.
    const factory = rootFactory;
    roots.set(id, factory === null ? new RootContext(id) : factory(id));
    return;
  }
  const root = getRoot(parentId);
  if (root === null) return;
  streams.set(id, root.newHttpContext(id));
}

export function getRoot(id: u32): RootContext | null {
  return roots.has(id) ? roots.get(id) : null;
}
export function getStream(id: u32): HttpContext | null {
  return streams.has(id) ? streams.get(id) : null;
}
export function forgetContext(id: u32): void {
  if (streams.has(id)) streams.delete(id);
  else if (roots.has(id)) roots.delete(id);
}

/**
 * Starts a callout; `handler.onHttpCallResponse` runs later with `handler.contextId` effective. False = refused.
 * Any token the host gives is valid (Higress's test host numbers its callouts from 0).
 */
export function dispatchHttpCall(cluster: string, headers: Array<HeaderPair>, body: Uint8Array, timeoutMs: u32, handler: HttpCallHandler): bool {
  const token = httpCall(cluster, headers, body, new Array<HeaderPair>(), timeoutMs);
  if (lastStatus != Status.Ok) return false;
  callouts.set(token, handler);
  return true;
}

export function deliverHttpCallResponse(token: u32, numHeaders: u32, bodySize: u32, numTrailers: u32): void {
  if (!callouts.has(token)) return;
  const handler = callouts.get(token);
  callouts.delete(token);
  if (handler.contextId != 0) {
    // The stream may be gone already (Envoy does not cancel callouts when a stream ends).
    if (!streams.has(handler.contextId) && !roots.has(handler.contextId)) return;
    setEffectiveContext(handler.contextId);
  }
  handler.onHttpCallResponse(token, numHeaders, bodySize, numTrailers);
}

export function pendingCallouts(): i32 {
  return callouts.size;
}
