import type { ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { RPCMetadata } from '@opentelemetry/core';

/** What a response carries from request start to its end. */
export interface RequestState {
  span: Span;
  /** The object express/fastify/koa write `route` into. */
  rpc: RPCMetadata;
  method: string;
  scheme: string;
  protocolVersion: string;
  /** `performance.now()` at start, for the duration metric. */
  start: number;
}

/** The state key on the response: one own property instead of a WeakMap lookup. */
export const REQUEST_STATE = Symbol('strata.httpServer.state');

/** A response as this instrumentation sees it. */
export type TrackedResponse = ServerResponse & { [REQUEST_STATE]?: RequestState };
