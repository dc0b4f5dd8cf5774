import {
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
  trace,
} from '@opentelemetry/api';
import { hasKeepMark, withKeepMark } from './keep-mark';

/**
 * Wrap a propagator (normally W3C trace context) so that, when the current
 * local trace is marked keep, the outgoing `tracestate` carries `strata=k`
 * and the callee keeps its part of the trace too (reason `caller`).
 * `isMarked` is usually `processor.isMarkedKeep`; it also gets the outgoing
 * context, so it can decide at call time (a rule on the route already matches).
 */
export function createKeepMarkPropagator(
  delegate: TextMapPropagator,
  isMarked: (span: Span, context: Context) => boolean,
): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
      const span = trace.getSpan(context);
      if (span !== undefined && safeIsMarked(isMarked, span, context)) {
        const spanContext = span.spanContext();
        if (!hasKeepMark(spanContext.traceState)) {
          const traceState = withKeepMark(spanContext.traceState);
          context = trace.setSpanContext(context, { ...spanContext, traceState });
        }
      }
      delegate.inject(context, carrier, setter);
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
      return delegate.extract(context, carrier, getter);
    },
    fields: () => delegate.fields(),
  };
}

function safeIsMarked(
  isMarked: (span: Span, context: Context) => boolean,
  span: Span,
  context: Context,
): boolean {
  try {
    return isMarked(span, context);
  } catch {
    return false;
  }
}
