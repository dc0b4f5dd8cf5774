import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/**
 * An exporter in two steps, so the export queue can hold encoded spans instead of span objects:
 * `encode` runs when a trace is kept, in that request's own turn, and costs what its few spans
 * cost; `send` joins what was encoded into one request. Serializing a whole batch at send time
 * blocked the event loop for milliseconds (6–9 ms for 512 spans on a slow machine) and kept
 * every queued span object, and all it references, alive until then.
 */
export interface BatchExporter<T = unknown> {
  /** Encode kept spans now; throws if they cannot be encoded. */
  encode(spans: readonly ReadableSpan[]): T;
  /** Send encoded parts as one export; `done` is called once. */
  send(parts: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/** A stock span exporter (console) behind the same interface: parts are the spans themselves. */
export function fromSpanExporter(exporter: SpanExporter): BatchExporter<readonly ReadableSpan[]> {
  return {
    encode: (spans) => spans,
    send: (parts, done) => exporter.export(parts.flat(), done),
    shutdown: () => exporter.shutdown(),
  };
}
