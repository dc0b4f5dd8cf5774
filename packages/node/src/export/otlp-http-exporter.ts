import type { ClientRequest, IncomingMessage } from 'node:http';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { OtlpProtocol } from '@strata/config';
import type { BatchExporter } from './batch-exporter';
import { createOtlpEncoding } from './otlp-encoding';

/** Where and how to send OTLP/HTTP trace export requests. */
export interface OtlpHttpOptions {
  /** Full URL, e.g. `http://localhost:4318/v1/traces`. */
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
  /** A request not answered after this long is abandoned, ms. */
  timeout: number;
}

/** An OTLP/HTTP exporter whose requests in flight can be abandoned at once (shutdown, exit). */
export interface OtlpHttpExporter extends BatchExporter<Uint8Array> {
  /** Abandon every request in flight (their callbacks report failure). */
  abortAll(): void;
}

const STRATA_VERSION: string = (require('../../package.json') as { version: string }).version;

/**
 * OTLP/HTTP span export: one export request encoded per kept trace, joined into
 * one POST per batch (otlp-encoding.ts), no retries. The export queue in front
 * already bounds what waits and counts what is dropped; the stock exporter's
 * retry loop (up to 5 attempts within the timeout, on timers that keep the
 * event loop alive) held a finished script open for ~9 s when the collector
 * was down. Here a request lives at most `timeout` ms, and `abortAll()` ends
 * them all at shutdown.
 */
export function createOtlpHttpExporter(options: OtlpHttpOptions): OtlpHttpExporter {
  const json = options.protocol === 'http/json';
  const encoding = createOtlpEncoding(options.protocol);
  const url = new URL(options.url);
  const transport = (
    url.protocol === 'https:' ? require('node:https') : require('node:http')
  ) as typeof import('node:http');
  const agent = new transport.Agent({ keepAlive: true, maxSockets: 2 });
  const headers = {
    ...options.headers,
    'Content-Type': json ? 'application/json' : 'application/x-protobuf',
    'User-Agent': `strata-node/${STRATA_VERSION}`,
  };
  const inFlight = new Set<ClientRequest>();
  let warned = false;
  let closed = false;

  function fail(reason: string, done: (result: ExportResult) => void): void {
    if (!warned) {
      warned = true;
      diag.warn(
        `strata: trace export to ${options.url} failed (${reason}); spans kept meanwhile are dropped and counted`,
      );
    }
    done({ code: ExportResultCode.FAILED, error: new Error(reason) });
  }

  return {
    encode: encoding.encode,
    send(parts: Uint8Array[], done: (result: ExportResult) => void) {
      if (closed) return done({ code: ExportResultCode.FAILED });
      let body: Uint8Array;
      try {
        body = encoding.join(parts);
      } catch (err) {
        return fail(`joining encoded spans: ${(err as Error).message}`, done);
      }
      let settled = false;
      const settle = (ok: boolean, reason: string) => {
        if (settled) return;
        settled = true;
        inFlight.delete(request);
        clearTimeout(timer);
        if (ok) done({ code: ExportResultCode.SUCCESS });
        else fail(reason, done);
      };
      const request = transport.request(url, {
        method: 'POST',
        agent,
        headers: { ...headers, 'Content-Length': String(body.byteLength) },
      });
      inFlight.add(request);
      const timer = setTimeout(
        () => request.destroy(new Error(`no answer within ${options.timeout} ms`)),
        options.timeout,
      );
      request.on('response', (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        response.resume();
        response.on('end', () => settle(status >= 200 && status < 300, `HTTP ${status}`));
        response.on('error', (err) => settle(false, err.message));
      });
      request.on('error', (err: NodeJS.ErrnoException) => settle(false, err.code ?? err.message));
      request.end(body);
    },
    abortAll() {
      for (const request of inFlight) request.destroy(new Error('abandoned at shutdown'));
    },
    async shutdown() {
      closed = true;
      for (const request of inFlight) request.destroy(new Error('abandoned at shutdown'));
      agent.destroy();
    },
  };
}
