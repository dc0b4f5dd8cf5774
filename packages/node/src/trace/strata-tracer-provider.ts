import type { Tracer, TracerOptions, TracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { IdGenerator, Sampler, SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FullSpanLimits } from './strata-span';
import { StrataTracer } from './strata-tracer';

/** What the provider needs: the SDK's `TracerProviderOptions`, with one processor. */
export interface StrataTracerProviderOptions {
  resource: Resource;
  idGenerator: IdGenerator;
  sampler: Sampler;
  spanProcessor: SpanProcessor;
  spanLimits?: SpanLimits;
}

/**
 * The tracer provider of Strata's register: tracers that make `StrataSpan`s and hand them to
 * one processor (the local-trace buffer) directly. Tracers are cached by name, version and
 * schema URL, as the SDK's are.
 */
export class StrataTracerProvider implements TracerProvider {
  private readonly tracers = new Map<string, StrataTracer>();
  private readonly limits: FullSpanLimits;

  constructor(private readonly options: StrataTracerProviderOptions) {
    const given = options.spanLimits ?? {};
    // The SDK's defaults.
    this.limits = {
      attributeCountLimit: given.attributeCountLimit ?? 128,
      attributeValueLengthLimit: given.attributeValueLengthLimit ?? Infinity,
      eventCountLimit: given.eventCountLimit ?? 128,
      linkCountLimit: given.linkCountLimit ?? 128,
      attributePerEventCountLimit: given.attributePerEventCountLimit ?? 128,
      attributePerLinkCountLimit: given.attributePerLinkCountLimit ?? 128,
    };
  }

  getTracer(name: string, version?: string, options?: TracerOptions): Tracer {
    const key = `${name}@${version || ''}:${options?.schemaUrl || ''}`;
    let tracer = this.tracers.get(key);
    if (tracer === undefined) {
      const { resource, spanProcessor, sampler, idGenerator } = this.options;
      const scope = { name, version, schemaUrl: options?.schemaUrl };
      tracer = new StrataTracer(
        { resource, scope, processor: spanProcessor, limits: this.limits },
        sampler,
        idGenerator,
      );
      this.tracers.set(key, tracer);
    }
    return tracer;
  }

  /** Flush the processor; resolves by `timeoutMillis` (default 30 s) whatever it does. */
  forceFlush(options: { timeoutMillis?: number } = {}): Promise<void> {
    const processor = this.options.spanProcessor;
    return withDeadline(
      settled(() => processor.forceFlush()),
      options.timeoutMillis ?? 30_000,
    );
  }

  /** Shut the processor down; a processor that throws rejects the promise, never the caller. */
  shutdown(): Promise<void> {
    const processor = this.options.spanProcessor;
    return settled(() => processor.shutdown());
  }
}

/** `work()` as a promise: a synchronous throw becomes a rejection. */
function settled(work: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => resolve(work()));
}

function withDeadline(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
