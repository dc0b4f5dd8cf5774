import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { joinJson, SPANS_PER_TURN, serializeInTurns } from '../../src/export/serialize-in-turns';

/** `n` ended spans from a real provider, each with a few attributes. */
async function endedSpans(n: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('serialize-in-turns-test');
  for (let i = 0; i < n; i++) {
    tracer.startSpan(`span ${i}`, { attributes: { index: i, 'http.route': '/r/:i' } }).end();
  }
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

/** Serialize and resolve with what `done` got, and whether it came in the same turn. */
function serialize(
  spans: ReadableSpan[],
  json: boolean,
  cancelled?: () => boolean,
): Promise<{ body?: Uint8Array; error?: Error; sameTurn: boolean }> {
  return new Promise((resolve) => {
    let returned = false;
    serializeInTurns(
      spans,
      json ? JsonTraceSerializer : ProtobufTraceSerializer,
      json,
      (body, error) => resolve({ body, error, sameTurn: !returned }),
      cancelled,
    );
    returned = true;
  });
}

function jsonSpanNames(body: Uint8Array): string[] {
  const request = JSON.parse(Buffer.from(body).toString('utf8')) as {
    resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[];
  };
  return request.resourceSpans.flatMap((r) =>
    r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name)),
  );
}

describe('serializeInTurns', () => {
  it('serializes a small batch in one go, in the same turn', async () => {
    const spans = await endedSpans(SPANS_PER_TURN);
    const result = await serialize(spans, false);
    expect(result.sameTurn).toBe(true);
    expect(result.body).toEqual(ProtobufTraceSerializer.serializeRequest(spans));
  });

  it('joins the JSON parts of a large batch into one request with every span, in order', async () => {
    const spans = await endedSpans(3 * SPANS_PER_TURN + 5);
    const result = await serialize(spans, true);
    expect(result.error).toBeUndefined();
    expect(result.sameTurn).toBe(false);
    expect(jsonSpanNames(result.body!)).toEqual(spans.map((s) => s.name));
  });

  it('joins protobuf parts by concatenation (a repeated field: the parts’ entries add up)', async () => {
    const spans = await endedSpans(2 * SPANS_PER_TURN + 1);
    const result = await serialize(spans, false);
    const parts = [
      spans.slice(0, SPANS_PER_TURN),
      spans.slice(SPANS_PER_TURN, 2 * SPANS_PER_TURN),
      spans.slice(2 * SPANS_PER_TURN),
    ].map((part) => ProtobufTraceSerializer.serializeRequest(part)!);
    expect(Buffer.from(result.body!).equals(Buffer.concat(parts))).toBe(true);
  });

  it('lets other work run between parts', async () => {
    const order: string[] = [];
    const spans = await endedSpans(3 * SPANS_PER_TURN);
    const done = new Promise<void>((resolve) => {
      serializeInTurns(spans, ProtobufTraceSerializer, false, () => {
        order.push('serialized');
        resolve();
      });
    });
    // Queued after the first part: runs before the last part, so before `done`.
    setImmediate(() => order.push('application'));
    await done;
    expect(order).toEqual(['application', 'serialized']);
  });

  it('stops between parts once cancelled', async () => {
    let cancel = false;
    const spans = await endedSpans(3 * SPANS_PER_TURN);
    const pending = serialize(spans, false, () => cancel);
    cancel = true;
    const result = await pending;
    expect(result.body).toBeUndefined();
    expect(result.error?.message).toBe('cancelled');
  });

  it('reports a serializer that throws, without throwing', async () => {
    const throwing = {
      serializeRequest(): Uint8Array {
        throw new Error('bad span');
      },
    };
    const spans = await endedSpans(2 * SPANS_PER_TURN);
    const error = await new Promise<Error | undefined>((resolve) =>
      serializeInTurns(spans, throwing, false, (_body, e) => resolve(e)),
    );
    expect(error?.message).toBe('bad span');
  });
});

describe('joinJson', () => {
  it('refuses parts that are not a bare resourceSpans request', () => {
    const part = new TextEncoder().encode('{"resourceSpans":[{}],"x":1}');
    expect(joinJson([part])).toBeUndefined();
  });
});
