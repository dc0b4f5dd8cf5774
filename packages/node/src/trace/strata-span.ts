// The global `performance` is a lazy accessor on globalThis: every use calls a getter.
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import {
  type Attributes,
  type AttributeValue,
  diag,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  SpanStatusCode,
  type TimeInput,
} from '@opentelemetry/api';
import {
  AddAttributeDecision,
  addHrTimes,
  cleanAttributes,
  cleanSimpleAttributes,
  hrTime,
  hrTimeDuration,
  type InstrumentationScope,
  isTimeInput,
  isTimeInputHrTime,
  maybeAddAttribute,
  millisToHrTime,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace';

/** Span limits with every field set (the SDK's defaults: 128 of each, no length limit). */
export interface FullSpanLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
  eventCountLimit: number;
  linkCountLimit: number;
  attributePerEventCountLimit: number;
  attributePerLinkCountLimit: number;
}

/** What every span of one tracer shares: one object, so a span holds one reference to it. */
export interface SpanSite {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly processor: SpanProcessor;
  readonly limits: FullSpanLimits;
}

// The process's time origin does not change; `performance.timeOrigin` is a getter that checks
// its receiver on every read.
const TIME_ORIGIN = performance.timeOrigin;
// Until a span has events or links, or has ended, it shares these (frozen: nobody writes them).
const NO_EVENTS: TimedEvent[] = Object.freeze([]) as never;
export const NO_LINKS: Link[] = Object.freeze([]) as never;
const NOT_ENDED: HrTime = Object.freeze([0, 0]) as never;
const NO_DURATION: HrTime = Object.freeze([-1, -1]) as never;

/**
 * A recording span: the SDK's `SpanImpl` contract (same times, limits, status rules, events,
 * exceptions and warnings, read by processors and exporters as a `ReadableSpan`) with less
 * per span. The SDK's span takes a 15-field options object, keeps a reference per shared
 * setting, gives every span its own empty event and link arrays and placeholder end times,
 * and reads `ended` and the dropped counts through getters. Here the shared settings are one
 * `SpanSite`, the empty and placeholder values are shared until a span needs its own, and
 * `ended` is a field.
 */
export class StrataSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanContext: SpanContext | undefined;
  readonly attributes: Attributes;
  links: Link[];
  events: TimedEvent[] = NO_EVENTS;
  readonly startTime: HrTime;
  endTime: HrTime = NOT_ENDED;
  duration: HrTime = NO_DURATION;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  ended = false;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  droppedAttributesCount: number;
  droppedEventsCount = 0;
  droppedLinksCount: number;
  /** `performance.now()` at the start (the layer hook places spans on this clock). */
  readonly _performanceStartTime: number;
  /** Whether the instrumentation gave the start time (then the monotonic start is not it). */
  readonly _startTimeProvided: boolean;
  private readonly _performanceOffset: number;
  private _attributesCount: number;
  private readonly _spanContext: SpanContext;
  private readonly _site: SpanSite;

  /** `attributes` and `links` are already cleaned (limits applied), as the sampler saw them. */
  constructor(
    site: SpanSite,
    spanContext: SpanContext,
    name: string,
    kind: SpanKind,
    parentSpanContext: SpanContext | undefined,
    attributes: Attributes,
    attributesCount: number,
    droppedAttributesCount: number,
    links: Link[],
    droppedLinksCount: number,
    startTime: TimeInput | undefined,
  ) {
    // Wall time of the start from Date.now(), durations from performance.now(): the SDK's
    // choice, so starts do not drift from the system clock in a long-running process.
    const now = Date.now();
    const perf = performance.now();
    this._site = site;
    this._spanContext = spanContext;
    this._performanceStartTime = perf;
    this._performanceOffset = now - (perf + TIME_ORIGIN);
    this._startTimeProvided = startTime != null;
    this.name = name;
    this.kind = kind;
    this.parentSpanContext = parentSpanContext;
    this.startTime = startTime == null ? millisToHrTime(now) : this.toHrTime(startTime);
    this.resource = site.resource;
    this.instrumentationScope = site.scope;
    this.attributes = attributes;
    this._attributesCount = attributesCount;
    this.droppedAttributesCount = droppedAttributesCount;
    this.links = links;
    this.droppedLinksCount = droppedLinksCount;
  }

  spanContext(): SpanContext {
    return this._spanContext;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (this.isEnded()) return this;
    const decision = maybeAddAttribute({
      key,
      value: value as AttributeValue,
      attributes: this.attributes,
      limits: this._site.limits,
      currentAttributesCount: this._attributesCount,
    });
    if (decision === AddAttributeDecision.DROP_LIMIT_REACHED) {
      if (this.droppedAttributesCount++ === 0) diag.warn('Dropping extra attributes.');
    } else if (decision === AddAttributeDecision.ADD_NEW) {
      this._attributesCount++;
    }
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) {
      if (Object.hasOwn(attributes, key)) this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.isEnded()) return this;
    const limits = this._site.limits;
    if (limits.eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this.droppedEventsCount++;
      return this;
    }
    if (this.events === NO_EVENTS) this.events = [];
    if (this.events.length >= limits.eventCountLimit) {
      if (this.droppedEventsCount === 0) diag.debug('Dropping extra events.');
      this.events.shift();
      this.droppedEventsCount++;
    }
    let attributes = attributesOrTime;
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributes = undefined;
    }
    this.events.push({
      name,
      time: this.toHrTime(time),
      ...cleanSimpleAttributes(attributes, {
        attributeCountLimit: limits.attributePerEventCountLimit,
        attributeValueLengthLimit: limits.attributeValueLengthLimit,
      }),
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    const limits = this._site.limits;
    if (limits.linkCountLimit === 0) {
      this.droppedLinksCount++;
      return this;
    }
    if (this.links === NO_LINKS) this.links = [];
    if (this.links.length >= limits.linkCountLimit) {
      if (this.droppedLinksCount === 0) diag.debug('Dropping extra links.');
      this.links.shift();
      this.droppedLinksCount++;
    }
    this.links.push(cleanLink(link, limits));
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.isEnded()) return this;
    // UNSET never overrides; OK is final (the specification's status rules).
    if (status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) {
      return this;
    }
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) {
        diag.warn(
          `Dropping invalid status.message of type '${typeof status.message}', expected 'string'`,
        );
      }
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (this.isEnded()) return this;
    this.name = name;
    return this;
  }

  end(endTime?: TimeInput): void {
    if (this.isEnded()) {
      const { traceId, spanId } = this._spanContext;
      diag.error(`${this.name} ${traceId}-${spanId} - You can only call end() on a span once.`);
      return;
    }
    if (endTime == null && !this._startTimeProvided) {
      // The usual end: start + the monotonic time since, both times computed once (the same
      // values as the general path below, one array fewer).
      const duration = millisToHrTime(performance.now() - this._performanceStartTime);
      if (duration[1] >= 1e9) {
        duration[0] += 1;
        duration[1] -= 1e9;
      }
      this.duration = duration;
      this.endTime = addHrTimes(this.startTime, duration);
    } else {
      this.endTime = this.toHrTime(endTime);
      this.duration = hrTimeDuration(this.startTime, this.endTime);
    }
    if (this.duration[0] < 0) {
      diag.warn(
        'Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.',
        this.startTime,
        this.endTime,
      );
      this.endTime = this.startTime.slice() as HrTime;
      this.duration = [0, 0];
    }
    if (this.droppedEventsCount > 0) {
      diag.warn(`Dropped ${this.droppedEventsCount} events because eventCountLimit reached`);
    }
    if (this.droppedLinksCount > 0) {
      diag.warn(`Dropped ${this.droppedLinksCount} links because linkCountLimit reached`);
    }
    const processor = this._site.processor;
    processor.onEnding?.(this);
    this.ended = true;
    processor.onEnd(this);
  }

  isRecording(): boolean {
    return !this.ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    } else {
      diag.warn(`Failed to record an exception ${exception}`);
    }
  }

  /** What `console.log(span)` shows: the span, not the tracer's shared settings it points to. */
  [inspect.custom](): object {
    return {
      name: this.name,
      kind: this.kind,
      spanContext: this._spanContext,
      parentSpanContext: this.parentSpanContext,
      status: this.status,
      startTime: this.startTime,
      endTime: this.endTime,
      duration: this.duration,
      ended: this.ended,
      attributes: this.attributes,
      events: this.events,
      links: this.links,
      droppedAttributesCount: this.droppedAttributesCount,
      droppedEventsCount: this.droppedEventsCount,
      droppedLinksCount: this.droppedLinksCount,
      instrumentationScope: this.instrumentationScope,
    };
  }

  /** A time input as the SDK's span reads it; none means now, on the span's monotonic clock. */
  private toHrTime(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number' && input <= performance.now()) {
      // A performance.now() timestamp: on the wall clock through the start's offset.
      return hrTime(input + this._performanceOffset);
    }
    if (typeof input === 'number') return millisToHrTime(input);
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input;
    if (this._startTimeProvided) return millisToHrTime(Date.now());
    const elapsed = performance.now() - this._performanceStartTime;
    return addHrTimes(this.startTime, millisToHrTime(elapsed));
  }

  /** Operations on an ended span are ignored, with a warning (as the SDK does). */
  private isEnded(): boolean {
    if (this.ended) {
      const { traceId, spanId } = this._spanContext;
      diag.warn(
        `Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`,
        new Error(`Operation attempted on ended Span {traceId: ${traceId}, spanId: ${spanId}}`),
      );
    }
    return this.ended;
  }
}

/** A link with its attributes cleaned to the per-link limits. */
export function cleanLink(link: Link, limits: FullSpanLimits): Link {
  return {
    context: link.context,
    ...cleanAttributes(link.attributes, {
      attributeCountLimit: limits.attributePerLinkCountLimit,
      attributeValueLengthLimit: limits.attributeValueLengthLimit,
    }),
  };
}
