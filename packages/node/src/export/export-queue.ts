import { context, diag, type Meter } from '@opentelemetry/api';
import { ExportResultCode, suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { BatchExporter } from './batch-exporter';

/** Options of the bounded export queue. */
export interface ExportQueueOptions {
  /** Spans held at most; past it the newest are dropped and counted. */
  maxSpans: number;
  /** Spans per export request. */
  maxBatch: number;
  /** Wait before sending a partial batch, ms. */
  delay: number;
  /** An export that has not answered after this long counts as failed, ms. */
  timeout: number;
  meter?: Meter;
}

/** Where kept spans go: a bounded queue in front of a span exporter. */
export interface ExportQueue {
  /** Queue spans for export; never blocks, never throws. */
  export(spans: readonly ReadableSpan[]): void;
  /** Send everything queued, waiting at most `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
  stats(): { queued: number; exported: number; dropped: number; failed: number };
}

/** Spans encoded together (one trace, or up to `maxBatch` of it), and how many they are. */
interface Part {
  encoded: unknown;
  spans: number;
}

/**
 * A bounded, batching export queue. One request in flight at a time, so a slow
 * or dead collector can hold at most `maxSpans` spans in memory; the rest are
 * dropped and counted (`strata_export_dropped_spans_total`), as the SDK's
 * BatchSpanProcessor does, but for every span we decide to keep (outlier-kept
 * spans are recorded-not-sampled, which the SDK's processor would skip).
 * Spans are encoded as they arrive (see BatchExporter), so a batch is a join.
 */
export function createExportQueue(
  exporter: BatchExporter,
  options: ExportQueueOptions,
): ExportQueue {
  const queue: Part[] = [];
  let queuedSpans = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let exported = 0;
  let dropped = 0;
  let failed = 0;
  let warnedDrop = false;
  let closed = false;

  const droppedCounter = options.meter?.createCounter('strata.export.dropped.spans', {
    description:
      'Spans kept by Strata but not exported: the export queue was full or the export failed.',
  });
  const exportedCounter = options.meter?.createCounter('strata.export.spans', {
    description: 'Spans sent to the trace exporter successfully.',
  });
  options.meter
    ?.createObservableGauge('strata.export.queue.spans', {
      description: 'Spans waiting for export.',
    })
    .addCallback((result) => result.observe(queuedSpans));

  const FULL = { reason: 'queue_full' };
  const FAILED = { reason: 'export_failed' };
  let warnedEncode = false;

  function drop(count: number, attrs: { reason: string }): void {
    dropped += count;
    droppedCounter?.add(count, attrs);
    // The exporter says why an export failed; a full queue is said here, once.
    if (attrs === FULL && !warnedDrop) {
      warnedDrop = true;
      diag.warn(
        'strata: the export queue is full, dropping spans; drops are counted in strata_export_dropped_spans_total',
      );
    }
  }

  function schedule(): void {
    if (timer || inFlight || closed) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void sendNext();
      },
      queuedSpans >= options.maxBatch ? 0 : options.delay,
    );
    timer.unref();
  }

  function sendNext(): Promise<void> {
    if (inFlight) return inFlight;
    if (queue.length === 0) return Promise.resolve();
    // Whole parts, up to maxBatch spans (at least one part).
    let count = 0;
    let take = 0;
    while (take < queue.length && (take === 0 || count + queue[take].spans <= options.maxBatch))
      count += queue[take++].spans;
    const batch = queue.splice(0, take);
    queuedSpans -= count;
    inFlight = sendBatch(batch, count).finally(() => {
      inFlight = undefined;
      if (queue.length > 0) schedule();
    });
    return inFlight;
  }

  function sendBatch(batch: Part[], count: number): Promise<void> {
    return new Promise<void>((resolve) => {
      let settled = false;
      const deadline = setTimeout(() => settle(false), options.timeout);
      deadline.unref();
      function settle(ok: boolean): void {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (ok) {
          exported += count;
          exportedCounter?.add(count);
        } else {
          failed += count;
          drop(count, FAILED);
        }
        resolve();
      }
      try {
        // The exporter's own HTTP requests must not be traced.
        context.with(suppressTracing(context.active()), () => {
          exporter.send(
            batch.map((part) => part.encoded),
            (result) => settle(result.code === ExportResultCode.SUCCESS),
          );
        });
      } catch (err) {
        diag.debug('strata: trace export threw', err);
        settle(false);
      }
    });
  }

  async function flush(timeoutMs: number): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    const until = Date.now() + timeoutMs;
    while ((queue.length > 0 || inFlight) && Date.now() < until) {
      const remaining = until - Date.now();
      await Promise.race([sendNext(), sleep(remaining)]);
    }
  }

  return {
    export(spans) {
      if (closed) return drop(spans.length, FULL);
      const room = options.maxSpans - queuedSpans;
      const take = Math.max(0, Math.min(room, spans.length));
      for (let from = 0; from < take; from += options.maxBatch) {
        const chunk = spans.slice(from, Math.min(take, from + options.maxBatch));
        try {
          queue.push({ encoded: exporter.encode(chunk), spans: chunk.length });
          queuedSpans += chunk.length;
        } catch (err) {
          failed += chunk.length;
          drop(chunk.length, FAILED);
          if (!warnedEncode) {
            warnedEncode = true;
            diag.warn(
              `strata: cannot encode spans for export (${(err as Error).message}); they are dropped and counted`,
            );
          }
        }
      }
      if (take < spans.length) drop(spans.length - take, FULL);
      if (queuedSpans >= options.maxBatch && !inFlight) {
        // A full batch goes now rather than after `delay`.
        if (timer) clearTimeout(timer);
        timer = undefined;
        void sendNext();
      } else schedule();
    },
    flush,
    async shutdown(timeoutMs) {
      await flush(timeoutMs);
      closed = true;
      if (queuedSpans > 0) {
        queue.length = 0;
        drop(queuedSpans, FAILED);
        queuedSpans = 0;
      }
      await Promise.race([
        exporter.shutdown().catch(() => undefined),
        sleep(Math.max(100, timeoutMs / 4)),
      ]);
    },
    stats: () => ({ queued: queuedSpans, exported, dropped, failed }),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}
