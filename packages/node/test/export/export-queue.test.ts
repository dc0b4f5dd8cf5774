import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { type BatchExporter, fromSpanExporter } from '../../src/export/batch-exporter';
import { createExportQueue } from '../../src/export/export-queue';

/** A stock span exporter (wrapped as the queue takes it): records batches, answers as told. */
function recordingExporter(answer: 'ok' | 'fail' | 'never' = 'ok') {
  const batches: number[] = [];
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      batches.push(spans.length);
      if (answer === 'ok') setTimeout(() => done({ code: ExportResultCode.SUCCESS }), 1);
      if (answer === 'fail') setTimeout(() => done({ code: ExportResultCode.FAILED }), 1);
    },
    shutdown: () => Promise.resolve(),
  };
  return { exporter: fromSpanExporter(exporter), batches };
}

const spans = (n: number) => Array.from({ length: n }, () => ({}) as ReadableSpan);

/** A batch exporter that records what it encodes and the part sizes of each send. */
function encodingExporter(encode: (spans: readonly ReadableSpan[]) => number = (s) => s.length) {
  const encoded: number[] = [];
  const sent: number[][] = [];
  const exporter: BatchExporter<number> = {
    encode(list) {
      const part = encode(list);
      encoded.push(part);
      return part;
    },
    send(parts, done) {
      sent.push(parts);
      setTimeout(() => done({ code: ExportResultCode.SUCCESS }), 1);
    },
    shutdown: () => Promise.resolve(),
  };
  return { exporter, encoded, sent };
}

describe('createExportQueue', () => {
  describe('maxBatch', () => {
    it('sends full batches at once and the rest after the delay', async () => {
      const { exporter, batches } = recordingExporter();
      const queue = createExportQueue(exporter, {
        maxSpans: 100,
        maxBatch: 10,
        delay: 20,
        timeout: 1000,
      });
      queue.export(spans(25));
      await queue.flush(1000);
      expect(batches).toEqual([10, 10, 5]);
      expect(queue.stats()).toMatchObject({ queued: 0, exported: 25, dropped: 0 });
    });
  });

  describe('encoding', () => {
    it('encodes each trace when it is queued and sends whole traces, up to maxBatch spans', async () => {
      const { exporter, encoded, sent } = encodingExporter();
      const queue = createExportQueue(exporter, {
        maxSpans: 100,
        maxBatch: 10,
        delay: 20,
        timeout: 1000,
      });
      for (let i = 0; i < 4; i++) queue.export(spans(3));
      // Encoded in the caller's turn; the first full batch (whole traces only) goes at once.
      expect(encoded).toEqual([3, 3, 3, 3]);
      expect(sent).toEqual([[3, 3, 3]]);
      await queue.flush(1000);
      expect(sent).toEqual([[3, 3, 3], [3]]);
      expect(queue.stats()).toMatchObject({ queued: 0, exported: 12, dropped: 0 });
    });

    it('drops and counts spans it cannot encode, and never throws', async () => {
      const { exporter, sent } = encodingExporter((list) => {
        if (list.length === 2) throw new Error('cyclic attribute');
        return list.length;
      });
      const queue = createExportQueue(exporter, {
        maxSpans: 100,
        maxBatch: 10,
        delay: 1,
        timeout: 1000,
      });
      expect(() => queue.export(spans(2))).not.toThrow();
      queue.export(spans(4));
      await queue.flush(500);
      expect(sent).toEqual([[4]]);
      expect(queue.stats()).toMatchObject({ exported: 4, dropped: 2 });
    });
  });

  describe('maxSpans', () => {
    it('drops the newest spans past the cap and counts them, never growing', async () => {
      const { exporter } = recordingExporter('never');
      const queue = createExportQueue(exporter, {
        maxSpans: 50,
        maxBatch: 10,
        delay: 5,
        timeout: 10_000,
      });
      for (let i = 0; i < 100; i++) queue.export(spans(10));
      expect(queue.stats().queued).toBeLessThanOrEqual(50);
      expect(queue.stats().dropped).toBeGreaterThanOrEqual(1000 - 60);
    });
  });

  describe('timeout', () => {
    it('counts a batch as failed when the exporter never answers, and moves on', async () => {
      const { exporter, batches } = recordingExporter('never');
      const queue = createExportQueue(exporter, {
        maxSpans: 100,
        maxBatch: 5,
        delay: 1,
        timeout: 30,
      });
      queue.export(spans(10));
      await queue.flush(500);
      expect(batches).toEqual([5, 5]);
      expect(queue.stats()).toMatchObject({ exported: 0, failed: 10, dropped: 10 });
    });
  });

  describe('failures', () => {
    it('counts failed exports as dropped', async () => {
      const { exporter } = recordingExporter('fail');
      const queue = createExportQueue(exporter, {
        maxSpans: 100,
        maxBatch: 100,
        delay: 1,
        timeout: 1000,
      });
      queue.export(spans(3));
      await queue.flush(500);
      expect(queue.stats()).toMatchObject({ failed: 3, dropped: 3 });
    });

    it('survives an exporter that throws', async () => {
      const exporter = fromSpanExporter({
        export() {
          throw new Error('boom');
        },
        shutdown: () => Promise.resolve(),
      });
      const queue = createExportQueue(exporter, {
        maxSpans: 10,
        maxBatch: 10,
        delay: 1,
        timeout: 100,
      });
      expect(() => queue.export(spans(2))).not.toThrow();
      await queue.flush(200);
      expect(queue.stats().dropped).toBe(2);
    });
  });
});
