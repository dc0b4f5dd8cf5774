import {
  type Attributes,
  type Context,
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanContext,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { cleanAttributes, isTracingSuppressed } from '@opentelemetry/core';
import { type IdGenerator, type Sampler, SamplingDecision } from '@opentelemetry/sdk-trace';
import { OWNED_ATTRIBUTES } from './owned-attributes';
import { cleanLink, NO_LINKS, type SpanSite, StrataSpan } from './strata-span';

const NO_LIMITS = { attributeCountLimit: Infinity, attributeValueLengthLimit: Infinity };

/** Cleaned attributes with their count (what the span needs for its attribute limit). */
interface Cleaned {
  attributes: Attributes;
  count: number;
  dropped: number;
}

/**
 * The SDK tracer's `startSpan` (same parent, suppression, sampling, limits and span context),
 * making a `StrataSpan` with its arguments in place instead of through an options object and
 * the SDK's multi-processor, and without validating the ids of a parent that is a StrataSpan
 * (its trace id came from a valid parent or the id generator, its span id from the generator).
 */
export class StrataTracer implements Tracer {
  /** The tracer's name, version and schema URL, as on the SDK's tracer. */
  readonly instrumentationScope: SpanSite['scope'];

  constructor(
    private readonly site: SpanSite,
    private readonly sampler: Sampler,
    private readonly idGenerator: IdGenerator,
  ) {
    this.instrumentationScope = site.scope;
  }

  startSpan(name: string, options: SpanOptions = {}, ctx: Context = contextApi.active()): Span {
    if (options.root) ctx = trace.deleteSpan(ctx);
    const parentSpan = trace.getSpan(ctx);
    if (isTracingSuppressed(ctx)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parentContext = parentSpan?.spanContext();
    const spanId = this.idGenerator.generateSpanId();
    let parent: SpanContext | undefined;
    let traceId: string;
    let traceState: SpanContext['traceState'];
    if (
      parentContext !== undefined &&
      (parentSpan instanceof StrataSpan || trace.isSpanContextValid(parentContext))
    ) {
      parent = parentContext;
      traceId = parentContext.traceId;
      traceState = parentContext.traceState;
    } else {
      traceId = this.idGenerator.generateTraceId();
    }
    const kind = options.kind ?? SpanKind.INTERNAL;
    const limits = this.site.limits;
    // No links: the shared frozen empty list, which the sampler only reads (Strata's sampler is
    // the only one the register uses; a sampler that pushed into it would throw).
    const links =
      options.links == null || options.links.length === 0
        ? NO_LINKS
        : options.links.map((link) => cleanLink(link, limits));
    const given = ownOrCleaned(options);
    const result = this.sampler.shouldSample(ctx, traceId, name, kind, given.attributes, links);
    if (result.traceState !== undefined) traceState = result.traceState;
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags:
        result.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      traceState,
    };
    if (result.decision === SamplingDecision.NOT_RECORD) return trace.wrapSpanContext(spanContext);
    // The sampler's attributes join the span's, then the span's limits apply.
    const final =
      result.attributes === undefined &&
      given.count <= limits.attributeCountLimit &&
      limits.attributeValueLengthLimit === Infinity
        ? given
        : cleaned(Object.assign(given.attributes, result.attributes), limits);
    let droppedLinks = 0;
    let kept = links;
    if (links.length > limits.linkCountLimit) {
      kept = links.slice(links.length - limits.linkCountLimit);
      droppedLinks = links.length - limits.linkCountLimit;
    }
    const span = new StrataSpan(
      this.site,
      spanContext,
      name,
      kind,
      parent,
      final.attributes,
      final.count,
      given.dropped + (final === given ? 0 : final.dropped),
      kept,
      droppedLinks,
      options.startTime,
    );
    this.site.processor.onStart(span, ctx);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...args: unknown[]
  ): ReturnType<F> | undefined {
    // (name, fn), (name, options, fn) or (name, options, context, fn), as the SDK reads them.
    if (args.length === 0) return undefined;
    const fn = args[Math.min(args.length, 3) - 1] as F;
    const options = args.length >= 2 ? (args[0] as SpanOptions | undefined) : undefined;
    const ctx = args.length >= 3 ? (args[1] as Context | undefined) : undefined;
    const parentContext = ctx ?? contextApi.active();
    const span = this.startSpan(name, options, parentContext);
    return contextApi.with(
      trace.setSpan(parentContext, span),
      fn as (span: Span) => ReturnType<F>,
      undefined,
      span,
    );
  }
}

/**
 * The span's attributes: handed over as they are when the maker says they are its own and
 * every value is a string, number or boolean (Strata's server and client spans), else a
 * cleaned copy (the caller may reuse its object; values are checked).
 */
function ownOrCleaned(options: SpanOptions): Cleaned {
  const attributes = options.attributes;
  if (attributes == null) return { attributes: {}, count: 0, dropped: 0 };
  if ((options as { [OWNED_ATTRIBUTES]?: boolean })[OWNED_ATTRIBUTES] === true) {
    // A fresh object literal of Strata's: every key it enumerates is its own (unless something
    // made a key of Object.prototype enumerable; that key would then count toward the limit).
    let count = 0;
    for (const key in attributes) {
      const type = typeof attributes[key];
      if (key.length === 0 || !(type === 'string' || type === 'number' || type === 'boolean')) {
        return cleaned(attributes, NO_LIMITS);
      }
      count++;
    }
    return { attributes, count, dropped: 0 };
  }
  return cleaned(attributes, NO_LIMITS);
}

function cleaned(
  attributes: Attributes,
  limits: { attributeCountLimit: number; attributeValueLengthLimit: number },
): Cleaned {
  const out = cleanAttributes(attributes, limits);
  const clean = out.attributes ?? {};
  // The bundle's cleanAttributes counts what it kept (scripts/bundle.mjs); the published one
  // does not.
  const count = (out as { count?: number }).count ?? Object.keys(clean).length;
  return { attributes: clean, count, dropped: out.droppedAttributesCount ?? 0 };
}
