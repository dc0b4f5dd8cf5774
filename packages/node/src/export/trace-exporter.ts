import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { diag } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { StrataConfig } from '@strata/config';
import { type BatchExporter, fromSpanExporter } from './batch-exporter';
import { createOtlpEncoding } from './otlp-encoding';
import { createOtlpHttpExporter } from './otlp-http-exporter';

/** Build the exporter strata.yaml asks for (`exporters.traces`), or undefined for `none`. */
export function createTraceExporter(config: StrataConfig, cwd: string): BatchExporter | undefined {
  const { exporters } = config;
  switch (exporters.traces) {
    case 'none':
      return undefined;
    case 'console': {
      const { ConsoleSpanExporter } =
        require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
      return fromSpanExporter(new ConsoleSpanExporter());
    }
    case 'file':
      return createFileSpanExporter(resolve(cwd, exporters.file.path));
    default: {
      const { otlp } = exporters;
      return createOtlpHttpExporter({
        url: otlpSignalUrl(otlp, 'traces'),
        protocol: otlp.protocol,
        headers: otlp.headers,
        timeout: otlp.timeout,
      });
    }
  }
}

/** `http://host:4318` → `http://host:4318/v1/traces`; a signal-specific `url` is used as is. */
export function otlpSignalUrl(
  otlp: { endpoint: string; url?: string },
  signal: 'traces' | 'metrics',
): string {
  if (otlp.url) return otlp.url;
  return `${otlp.endpoint.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * Writes OTLP JSON export requests, one per line, to a file: the format
 * `strata report` reads and the OTLP/HTTP JSON body a collector accepts.
 */
export function createFileSpanExporter(path: string): BatchExporter<Uint8Array> {
  const encoding = createOtlpEncoding('http/json');
  let stream: WriteStream | undefined;
  let broken = false;
  function open(): WriteStream | undefined {
    if (stream || broken) return stream;
    try {
      mkdirSync(dirname(path), { recursive: true });
      stream = createWriteStream(path, { flags: 'a' });
      stream.on('error', (err) => {
        broken = true;
        diag.warn(
          `strata: cannot write traces to ${path} (${err.message}); spans are dropped and counted`,
        );
      });
    } catch {
      broken = true;
    }
    return stream;
  }
  return {
    encode: encoding.encode,
    send(parts: Uint8Array[], done: (result: ExportResult) => void) {
      const out = open();
      if (!out) return done({ code: ExportResultCode.FAILED });
      let body: Uint8Array;
      try {
        body = encoding.join(parts);
      } catch {
        return done({ code: ExportResultCode.FAILED });
      }
      out.write(Buffer.concat([body, NEWLINE]), (err) =>
        done({ code: err ? ExportResultCode.FAILED : ExportResultCode.SUCCESS }),
      );
    },
    shutdown() {
      return new Promise<void>((resolveEnd) => (stream ? stream.end(resolveEnd) : resolveEnd()));
    },
  };
}

const NEWLINE = Buffer.from('\n');
