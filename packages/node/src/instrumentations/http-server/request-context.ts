import { IncomingMessage, ServerResponse } from 'node:http';
import { type Context, context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';

/**
 * The context a request's events run in, as an own property of the request
 * and of its response.
 *
 * Body chunks, `end`, `finish` and `close` arrive in later socket callbacks,
 * which on Node 24 (AsyncContextFrame) run in the connection's context, not
 * the request's. `context.bind(ctx, emitter)` would fix that per request by
 * replacing five listener methods on each emitter and wrapping every listener
 * (about ten closures a request); instead `emit` is patched once on the two
 * prototypes and reads the context from this property. It switches only when
 * the event has listeners and the active context is not already the
 * request's or one derived from it.
 */
const REQUEST_CONTEXT = Symbol('strata.httpServer.context');

type WithRequestContext = { [REQUEST_CONTEXT]?: Context };
/** EventEmitter's listener table, read directly: an event nobody listens to needs no context. */
type Listened = { _events?: Record<string | symbol, unknown> };
type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;

/** Run every listener of `emitter` (a request or response) in `ctx`. */
export function setRequestContext(emitter: IncomingMessage | ServerResponse, ctx: Context): void {
  (emitter as WithRequestContext)[REQUEST_CONTEXT] = ctx;
}

/**
 * Whether `active` derives from the request's context: a framework span's context set by code
 * the request ran (`res.end()` in a handler emits `finish` there). Such contexts carry the
 * request's RPC metadata object; listeners then run in the context the event was emitted in.
 */
function isWithinRequest(active: Context, ctx: Context): boolean {
  const rpc = getRPCMetadata(ctx);
  return rpc !== undefined && getRPCMetadata(active) === rpc;
}

function callEmit(emit: Emit, self: unknown, args: unknown[]): boolean {
  return Reflect.apply(emit, self, args);
}

function patchEmit(proto: object): () => void {
  const own = Object.getOwnPropertyDescriptor(proto, 'emit');
  const parent = Object.getPrototypeOf(proto) as { emit: Emit };
  const ownEmit = own?.value as Emit | undefined;
  function emit(this: WithRequestContext & Listened, ...args: unknown[]): boolean {
    const ctx = this[REQUEST_CONTEXT];
    // The parent's is looked up at each call, so later patches of EventEmitter still apply.
    const base = ownEmit ?? parent.emit;
    // Each switch copies the async context frame (~0.7 KB); most emits of a request need none.
    if (ctx === undefined || this._events?.[args[0] as string] === undefined) {
      return Reflect.apply(base, this, args);
    }
    const active = context.active();
    if (active === ctx || isWithinRequest(active, ctx)) return Reflect.apply(base, this, args);
    return context.with(ctx, callEmit, undefined, base, this, args);
  }
  Object.defineProperty(proto, 'emit', {
    value: emit,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return () => {
    // Someone patched over us: leave their emit (which calls ours) in place.
    if (Object.getOwnPropertyDescriptor(proto, 'emit')?.value !== emit) return;
    if (own) Object.defineProperty(proto, 'emit', own);
    else delete (proto as { emit?: unknown }).emit;
  };
}

/** Patch `emit` of IncomingMessage and ServerResponse; returns the undo. */
export function patchRequestEmitters(): () => void {
  const undo = [patchEmit(IncomingMessage.prototype), patchEmit(ServerResponse.prototype)];
  return () => {
    for (const u of undo) u();
  };
}
