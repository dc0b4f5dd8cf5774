import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { describe, expect, it, vi } from 'vitest';
import { createOutlierDecider } from '../../src/outlier/outlier-decider';
import { createKeepMarkPropagator } from '../../src/signals/keep-mark-propagator';
import type { LocalTrace } from '../../src/types';
import { fail, reasonOf, remote, setter, setup, sleep, under } from '../helpers/provider';

const traceId = () => randomBytes(16).toString('hex');
/** Start and end times `ms` apart, so durations do not depend on the test machine. */
const lasting = (ms: number) => {
  const start = Date.now() - ms;
  return {
    start: [Math.floor(start / 1000), (start % 1000) * 1e6] as [number, number],
    end: Date.now(),
  };
};

describe('createLocalTraceProcessor', () => {
  describe('assembly', () => {
    it('decides at once when every child has ended before the root', () => {
      const { batches, tracer } = setup();
      const root = tracer.startSpan('GET /items');
      const db = tracer.startSpan('SELECT', {}, under(root));
      db.end();
      root.end();
      expect(batches.map((b) => b.map((s) => s.name).sort())).toEqual([['GET /items', 'SELECT']]);
      // A child started after the decision follows it (exported: the trace was kept).
      tracer.startSpan('after', {}, under(root)).end();
      expect(batches.map((b) => b.map((s) => s.name).sort())).toEqual([
        ['GET /items', 'SELECT'],
        ['after'],
      ]);
    });

    it('waits for children open at root end, then hands the complete local trace over once', async () => {
      const traces: LocalTrace[] = [];
      const { batches, processor, tracer } = setup({ onLocalTrace: (t) => void traces.push(t) });
      const root = tracer.startSpan('GET /items');
      const mw = tracer.startSpan('middleware', {}, under(root));
      const db = tracer.startSpan('SELECT', {}, under(mw));
      const lateChild = tracer.startSpan('flush', {}, under(root));
      db.end();
      mw.end();
      root.end();
      // A child still open at root end holds the decision back (up to the
      // grace); when it ends, the trace is complete and decided at once.
      expect(batches).toHaveLength(0);
      lateChild.end();
      expect(batches).toHaveLength(1);
      await vi.waitFor(() => expect(batches).toHaveLength(1), { timeout: 1000, interval: 5 });
      await sleep(60);
      expect(batches).toHaveLength(1);
      expect(batches[0].map((s) => s.name).sort()).toEqual([
        'GET /items',
        'SELECT',
        'flush',
        'middleware',
      ]);
      expect(traces).toHaveLength(1);
      expect(traces[0].complete).toBe(true);
      expect(traces[0].root.name).toBe('GET /items');
      expect(reasonOf(traces[0].root)).toBe('baseline');
      expect(processor.stats()).toMatchObject({
        bufferedSpans: 0,
        bufferedBytes: 0,
        keptTraces: 1,
      });
    });

    it('keeps two local roots of one trace (a service called twice) apart', async () => {
      const traces: LocalTrace[] = [];
      const { batches, tracer } = setup({ onLocalTrace: (t) => void traces.push(t) });
      const id = traceId();
      for (const name of ['first call', 'second call']) {
        const root = tracer.startSpan(name, {}, remote(id, undefined, true));
        tracer.startSpan(`${name} child`, {}, under(root)).end();
        root.end();
      }
      await vi.waitFor(() => expect(batches).toHaveLength(2), { timeout: 1000, interval: 5 });
      expect(traces.map((t) => t.spans.map((s) => s.name))).toEqual([
        ['first call child', 'first call'],
        ['second call child', 'second call'],
      ]);
      expect(traces.every((t) => t.root.spanContext().traceId === id)).toBe(true);
    });

    it('makes a span its own local root when its parent is non-recording or of another provider', async () => {
      const other = setup();
      const { batches, tracer } = setup();
      const foreign = other.tracer.startSpan('foreign');
      tracer.startSpan('mine', {}, under(foreign)).end();
      await vi.waitFor(() => expect(batches).toHaveLength(1), { timeout: 1000, interval: 5 });
      expect(batches[0].map((s) => s.name)).toEqual(['mine']);
    });
  });

  describe('late spans', () => {
    it.each([
      [1, 'exported', { keep: 2, drop: 0 }],
      [0, 'dropped', { keep: 0, drop: 2 }],
    ])('baseline %s: spans ending after the decision are %s with it', async (baseline, _, late) => {
      const { batches, exported, processor, tracer } = setup({ baseline });
      const root = tracer.startSpan('root');
      const slowChild = tracer.startSpan('slow child', {}, under(root));
      root.end();
      await vi.waitFor(
        () => expect(processor.stats().keptTraces + processor.stats().droppedTraces).toBe(1),
        {
          timeout: 1000,
          interval: 5,
        },
      );
      slowChild.end();
      // A span started after the decision still finds its local trace through its parent.
      tracer.startSpan('after', {}, under(slowChild)).end();
      expect(processor.stats().lateSpans).toEqual(late);
      expect(exported().map((s) => s.name)).toEqual(
        baseline ? ['root', 'slow child', 'after'] : [],
      );
      expect(batches.length).toBe(baseline ? 3 : 0);
    });
  });

  describe('root_timeout', () => {
    it('decides a root still open after the timeout without waiting for it', async () => {
      const traces: LocalTrace[] = [];
      const { exported, processor, tracer } = setup({
        buffer: { grace: 10, root_timeout: 50 },
        onLocalTrace: (t) => void traces.push(t),
      });
      const root = tracer.startSpan('stuck');
      tracer.startSpan('child', {}, under(root)).end();
      await sleep(20);
      expect(traces).toHaveLength(0);
      await vi.waitFor(() => expect(traces).toHaveLength(1), { timeout: 1000, interval: 5 });
      expect(traces[0].complete).toBe(false);
      expect(processor.stats().earlyTraces.timeout).toBe(1);
      expect(exported().map((s) => s.name)).toEqual(['child']);
      root.end();
      expect(exported().map((s) => s.name)).toEqual(['child', 'stuck']);
      expect(reasonOf(exported()[1])).toBe('baseline');
    });
  });

  describe('decision', () => {
    it('exports outlier-only traces without th and baseline traces with th', async () => {
      const { exported, tracer } = setup({
        baseline: 0.5,
        decider: createOutlierDecider({ budget: 10_000 }),
      });
      for (let i = 0; i < 200; i++) {
        const root = tracer.startSpan('GET /fail');
        tracer.startSpan('child', {}, under(root)).end();
        fail(root);
        root.end();
      }
      await vi.waitFor(() => expect(exported()).toHaveLength(400), { timeout: 2000, interval: 5 });
      const roots = exported().filter((s) => s.name === 'GET /fail');
      const byReason = { baseline: 0, error: 0 };
      for (const root of roots) {
        const reason = reasonOf(root) as 'baseline' | 'error';
        byReason[reason]++;
        const ot = root.spanContext().traceState?.get('ot') ?? '';
        if (reason === 'baseline') expect(ot).toBe('th:8');
        else expect(ot).not.toContain('th:');
      }
      expect(byReason.baseline).toBeGreaterThan(50);
      expect(byReason.error).toBeGreaterThan(50);
      for (const child of exported().filter((s) => s.name === 'child')) {
        expect(child.attributes['strata.sampling.reason']).toBeUndefined();
      }
    });

    it('drops ordinary traffic when the baseline says so, and counts it', async () => {
      const { exported, processor, tracer } = setup({ baseline: 0 });
      for (let i = 0; i < 50; i++) tracer.startSpan('GET /ok').end();
      await vi.waitFor(() => expect(processor.stats().droppedTraces).toBe(50), {
        timeout: 1000,
        interval: 5,
      });
      expect(exported()).toHaveLength(0);
    });

    it('respects the budget under a flood of errors, errors before slow traces', async () => {
      const { exported, processor, tracer } = setup({
        baseline: 0,
        decider: createOutlierDecider({
          budget: 20,
          slow: { percentile: 99, window: 60_000, floor: 0, ceiling: 1000 },
        }),
      });
      const started = performance.now();
      for (let i = 0; i < 1000; i++) {
        const error = tracer.startSpan('GET /error');
        fail(error);
        error.end();
        const { start, end } = lasting(5000);
        tracer.startSpan('GET /slow', { startTime: start }).end(end);
      }
      await vi.waitFor(
        () => expect(processor.stats().droppedTraces + processor.stats().keptTraces).toBe(2000),
        {
          timeout: 2000,
          interval: 5,
        },
      );
      const seconds = (performance.now() - started) / 1000;
      const kept = exported().map((s) => reasonOf(s));
      const errors = kept.filter((r) => r === 'error').length;
      const slow = kept.filter((r) => r === 'slow').length;
      expect(errors + slow).toBeLessThanOrEqual(Math.ceil(20 + 20 * seconds));
      expect(errors).toBeGreaterThanOrEqual(10);
      // Slow traces only ever take what leaves a quarter of the bucket to errors.
      expect(slow).toBeLessThanOrEqual(errors);
    });

    it('passes the hook facts to layer rules and keeps what the hook set on the root', async () => {
      const { exported, tracer } = setup({
        baseline: 0,
        decider: createOutlierDecider({
          rules: [{ name: 'slow-db', when: { layer: 'db', over: 100 }, keep: true }],
        }),
        onLocalTrace: ({ root }) => {
          (root.attributes as Record<string, unknown>)['strata.layer.db.ms'] =
            root.name === 'slow' ? 150 : 5;
          return { layerMs: { db: root.name === 'slow' ? 150 : 5 } };
        },
      });
      tracer.startSpan('slow').end();
      tracer.startSpan('fast').end();
      await vi.waitFor(() => expect(exported()).toHaveLength(1), { timeout: 1000, interval: 5 });
      expect(exported()[0].attributes).toMatchObject({
        'strata.layer.db.ms': 150,
        'strata.sampling.reason': 'rule:slow-db',
      });
    });

    it('survives a throwing consumer hook, decider and exporter', async () => {
      const { processor, tracer, exported } = setup({
        onLocalTrace: () => {
          throw new Error('hook');
        },
      });
      for (let i = 0; i < 3; i++) tracer.startSpan('GET /').end();
      await vi.waitFor(() => expect(exported()).toHaveLength(3), { timeout: 1000, interval: 5 });
      expect(processor.stats().errors.hook).toBe(3);

      const broken = setup({
        exporter: {
          export() {
            throw new Error('exporter');
          },
        },
        decider: {
          ...createOutlierDecider(),
          decide: () => {
            throw new Error('decider');
          },
        },
      });
      const root = broken.tracer.startSpan('GET /');
      expect(broken.processor.markKeep(root, 'error')).toBe(true);
      root.end();
      broken.tracer.startSpan('GET /').end();
      await vi.waitFor(() => expect(broken.processor.stats().errors.decider).toBe(2), {
        timeout: 1000,
        interval: 5,
      });
      // Without a decision, a marked trace is still kept (and the exporter failure counted).
      expect(broken.processor.stats()).toMatchObject({
        keptTraces: 1,
        droppedTraces: 1,
        errors: { exporter: 1 },
      });
    });
  });

  describe('keep marks', () => {
    it('keeps a trace marked during the request, and marks the outgoing tracestate', async () => {
      const { exported, processor, tracer } = setup({ baseline: 0 });
      const propagator = createKeepMarkPropagator(
        new W3CTraceContextPropagator(),
        processor.isMarkedKeep,
      );
      const root = tracer.startSpan('POST /checkout');
      const client = tracer.startSpan('POST payments', {}, under(root));
      const before: Record<string, string> = {};
      propagator.inject(under(client), before, setter);
      expect(before.tracestate).toBeUndefined();
      expect(processor.isMarkedKeep(client)).toBe(false);

      expect(processor.markKeep(client, 'callee')).toBe(true);
      expect(processor.isMarkedKeep(root)).toBe(true);
      const after: Record<string, string> = {};
      propagator.inject(under(client), after, setter);
      expect(after.tracestate).toBe('strata=k');

      client.end();
      root.end();
      await vi.waitFor(() => expect(exported()).toHaveLength(2), { timeout: 1000, interval: 5 });
      expect(reasonOf(exported()[1])).toBe('callee');
      expect(exported()[1].spanContext().traceState?.get('ot')).toBeUndefined();
    });

    it('keeps a local trace whose caller marked it (reason caller)', async () => {
      const { exported, tracer } = setup({ baseline: 0 });
      const root = tracer.startSpan('GET /inventory', {}, remote(traceId(), 'strata=k,other=1'));
      tracer.startSpan('SELECT', {}, under(root)).end();
      root.end();
      tracer.startSpan('GET /unmarked', {}, remote(traceId(), 'other=1')).end();
      await vi.waitFor(() => expect(exported()).toHaveLength(2), { timeout: 1000, interval: 5 });
      await sleep(40);
      expect(exported()).toHaveLength(2);
      expect(reasonOf(exported()[1])).toBe('caller');
    });

    it('refuses a mark beyond the budget and on a trace already dropped', async () => {
      const { processor, tracer } = setup({
        baseline: 0,
        decider: createOutlierDecider({ budget: 1 }),
      });
      const a = tracer.startSpan('a');
      const b = tracer.startSpan('b');
      expect(processor.markKeep(a, 'error')).toBe(true);
      expect(processor.markKeep(b, 'error')).toBe(false);
      expect(processor.markKeep(b, 'callee')).toBe(true);
      const c = tracer.startSpan('c');
      const child = tracer.startSpan('child', {}, under(c));
      c.end();
      await vi.waitFor(() => expect(processor.stats().droppedTraces).toBe(1), {
        timeout: 1000,
        interval: 5,
      });
      expect(processor.markKeep(child, 'callee')).toBe(false);
      expect(processor.markKeep({}, 'callee')).toBe(false);
      expect(processor.isMarkedKeep(undefined)).toBe(false);
    });
  });

  describe('shouldTellCaller', () => {
    it('marks the trace keep when it tells the caller, paying the budget once', async () => {
      const { exported, processor, tracer } = setup({
        baseline: 0,
        decider: createOutlierDecider({ budget: 1 }),
      });
      const failing = tracer.startSpan('GET /fail');
      expect(processor.shouldTellCaller(failing, { status: 500, elapsedMs: 3 })).toBe('error');
      expect(processor.isMarkedKeep(failing)).toBe(true);
      // Asking again (or marking again) costs nothing more.
      expect(processor.shouldTellCaller(failing, { status: 500, elapsedMs: 3 })).toBe('error');
      expect(processor.markKeep(failing, 'error')).toBe(true);
      const ok = tracer.startSpan('GET /ok');
      expect(processor.shouldTellCaller(ok, { status: 200, elapsedMs: 3 })).toBeUndefined();
      expect(processor.shouldTellCaller(ok, { status: 503, elapsedMs: 3 })).toBeUndefined(); // budget spent
      failing.end();
      ok.end();
      await vi.waitFor(() => expect(processor.stats().droppedTraces).toBe(1), {
        timeout: 1000,
        interval: 5,
      });
      expect(exported().map((s) => [s.name, reasonOf(s)])).toEqual([['GET /fail', 'error']]);
      expect(processor.shouldTellCaller(failing, { status: 500, elapsedMs: 3 })).toBe('error');
      expect(processor.shouldTellCaller(ok, { status: 500, elapsedMs: 3 })).toBeUndefined();
    });

    it('does not tell for baseline-sampled traces or unknown spans', () => {
      const { processor, tracer } = setup({ baseline: 1 });
      const root = tracer.startSpan('GET /fail');
      expect(processor.shouldTellCaller(root, { status: 500, elapsedMs: 3 })).toBeUndefined();
      expect(processor.shouldTellCaller({}, { status: 500, elapsedMs: 3 })).toBeUndefined();
      root.end();
    });
  });

  describe('forceFlush and shutdown', () => {
    it('forceFlush decides ended traces and leaves requests in flight open', async () => {
      const flushed: string[] = [];
      const batches: ReadableSpan[][] = [];
      const { processor, tracer } = setup({
        buffer: { grace: 10_000 },
        exporter: {
          export: (spans) => void batches.push(spans),
          forceFlush: async () => void flushed.push('exporter'),
        },
      });
      const ended = tracer.startSpan('ended');
      const endedChild = tracer.startSpan('ended child', {}, under(ended));
      ended.end(); // waits for its open child, up to the grace
      const open = tracer.startSpan('open');
      tracer.startSpan('child', {}, under(open)).end();
      await processor.forceFlush();
      expect(batches.map((b) => b.map((s) => s.name))).toEqual([['ended']]);
      expect(flushed).toEqual(['exporter']);
      expect(processor.stats()).toMatchObject({ openTraces: 1, pendingTraces: 0 });
      endedChild.end(); // late: follows the decision
      open.end(); // still tracked: decided now that it is complete
      expect(batches.map((b) => b.map((s) => s.name).sort())).toEqual([
        ['ended'],
        ['ended child'],
        ['child', 'open'],
      ]);
    });

    it('shutdown decides everything buffered, open roots too, then drops what ends after', async () => {
      const batches: ReadableSpan[][] = [];
      const { processor, tracer } = setup({
        buffer: { grace: 10_000 },
        exporter: { export: (spans) => void batches.push(spans) },
      });
      const open = tracer.startSpan('open');
      tracer.startSpan('child', {}, under(open)).end();
      await processor.shutdown();
      expect(batches.map((b) => b.map((s) => s.name))).toEqual([['child']]);
      expect(processor.stats()).toMatchObject({ openTraces: 0, earlyTraces: { flush: 1 } });
      open.end();
      tracer.startSpan('after').end();
      expect(processor.stats().droppedSpans.shutdown).toBe(2);
      expect(batches).toHaveLength(1);
    });
  });

  describe('bounds', () => {
    it('never holds more than max_spans or max_bytes while 100k spans are offered, and does not grow', async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const { processor, tracer } = setup({
        baseline: 0,
        buffer: { max_spans: 2000, max_bytes: 1_000_000, grace: 50 },
      });
      let maxSpans = 0;
      let maxBytes = 0;
      const offer = (traces: number) => {
        for (let t = 0; t < traces; t++) {
          // Half the roots stay open (requests in flight), so eviction must decide open traces too.
          const root = tracer.startSpan('GET /', {
            attributes: { 'http.route': '/', 'url.path': `/x/${t}` },
          });
          for (let i = 0; i < 49; i++) {
            tracer
              .startSpan('child', { attributes: { 'db.query.text': 'SELECT 1' } }, under(root))
              .end();
            const { bufferedSpans, bufferedBytes } = processor.stats();
            if (bufferedSpans > maxSpans) maxSpans = bufferedSpans;
            if (bufferedBytes > maxBytes) maxBytes = bufferedBytes;
          }
          if (t % 2 === 0) root.end();
        }
      };
      offer(200); // warm up
      await processor.forceFlush();
      gc();
      const before = process.memoryUsage().heapUsed;
      offer(2000); // 100,000 spans
      await processor.forceFlush();
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      expect(maxSpans).toBeLessThanOrEqual(2000);
      expect(maxBytes).toBeLessThanOrEqual(1_000_000);
      expect(processor.stats().earlyTraces.buffer_full).toBeGreaterThan(0);
      expect(grown).toBeLessThan(5_000_000);
    });

    it('drops the newest spans (counted) when one open trace alone fills the buffer', async () => {
      const { processor, tracer, exported } = setup({ buffer: { max_spans: 10 } });
      const root = tracer.startSpan('batch job');
      for (let i = 0; i < 25; i++) tracer.startSpan('item', {}, under(root)).end();
      const stats = processor.stats();
      // The oldest trace (this one) is decided early to make room; its later spans follow as late spans.
      expect(stats.earlyTraces.buffer_full).toBe(1);
      expect(stats.bufferedSpans).toBe(0);
      expect(stats.lateSpans.keep).toBe(15);
      root.end();
      expect(exported()).toHaveLength(26);
    });
  });
});
