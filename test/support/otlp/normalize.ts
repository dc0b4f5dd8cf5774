import type {
  Attributes,
  AttributeValue,
  MetricType,
  ReceivedDataPoint,
  ReceivedMetric,
  ReceivedSpan,
  Scope,
} from './types.js';

// One normaliser for both encodings. Protobuf arrives here through
// protobufjs `toObject` (camelCase keys, longs as strings, bytes as Buffers);
// OTLP JSON already has camelCase keys, ids as hex strings, int64 as strings
// or numbers and bytes as base64 (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
// Each helper below accepts either form.

// biome-ignore lint/suspicious/noExplicitAny: decoded wire data is untyped by nature.
type Wire = any;

/** An id (bytes in protobuf, hex in JSON) as lower-case hex; '' when absent. */
export function idToHex(id: unknown): string {
  if (id === undefined || id === null) return '';
  if (typeof id === 'string') return id.toLowerCase();
  return Buffer.from(id as Uint8Array).toString('hex');
}

/** An int64/fixed64 (string, number or Long) as bigint; 0n when absent. */
export function toBigInt(value: unknown): bigint {
  if (value === undefined || value === null || value === '') return 0n;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return BigInt(String(value));
}

/** A JSON double may be "NaN", "Infinity" or "-Infinity". */
function toDouble(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** An int64 as a number when it is safe, else as a bigint. */
function toInt(value: unknown): number | bigint {
  const big = toBigInt(value);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(big)
    : big;
}

/** An OTLP AnyValue without its wrapper. */
export function anyValue(value: Wire): AttributeValue {
  if (!value) return null;
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return toInt(value.intValue);
  if ('doubleValue' in value) return toDouble(value.doubleValue);
  if ('arrayValue' in value) return (value.arrayValue?.values ?? []).map(anyValue);
  if ('kvlistValue' in value) return attributes(value.kvlistValue?.values);
  if ('bytesValue' in value) {
    const bytes = value.bytesValue;
    return typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : Buffer.from(bytes);
  }
  return null;
}

/** A KeyValue list as a plain object. */
export function attributes(list: Wire[] | undefined): Attributes {
  const out: Attributes = {};
  for (const kv of list ?? []) out[kv.key] = anyValue(kv.value);
  return out;
}

function scope(wire: Wire): Scope {
  return { name: wire?.name ?? '', version: wire?.version ?? '' };
}

/** The spans of one ExportTraceServiceRequest, flattened. */
export function spansOf(request: Wire): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of request?.resourceSpans ?? []) {
    const resource = attributes(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const start = toBigInt(span.startTimeUnixNano);
        const end = toBigInt(span.endTimeUnixNano);
        out.push({
          traceId: idToHex(span.traceId),
          spanId: idToHex(span.spanId),
          parentSpanId: idToHex(span.parentSpanId),
          traceState: span.traceState ?? '',
          flags: span.flags ?? 0,
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: start,
          endTimeUnixNano: end,
          durationNs: end - start,
          attributes: attributes(span.attributes),
          status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
          events: (span.events ?? []).map((e: Wire) => ({
            name: e.name ?? '',
            timeUnixNano: toBigInt(e.timeUnixNano),
            attributes: attributes(e.attributes),
          })),
          links: (span.links ?? []).map((l: Wire) => ({
            traceId: idToHex(l.traceId),
            spanId: idToHex(l.spanId),
            traceState: l.traceState ?? '',
            attributes: attributes(l.attributes),
          })),
          resource,
          scope: scope(ss.scope),
        });
      }
    }
  }
  return out;
}

const metricTypes: MetricType[] = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : toDouble(value);
}

function dataPoint(p: Wire): ReceivedDataPoint {
  const point: ReceivedDataPoint = {
    attributes: attributes(p.attributes),
    startTimeUnixNano: toBigInt(p.startTimeUnixNano),
    timeUnixNano: toBigInt(p.timeUnixNano),
  };
  if (p.asDouble !== undefined) point.value = toDouble(p.asDouble);
  else if (p.asInt !== undefined) point.value = Number(toBigInt(p.asInt));
  if (p.count !== undefined) point.count = Number(toBigInt(p.count));
  point.sum = optionalNumber(p.sum);
  point.min = optionalNumber(p.min);
  point.max = optionalNumber(p.max);
  if (p.bucketCounts) point.bucketCounts = p.bucketCounts.map((c: unknown) => Number(toBigInt(c)));
  if (p.explicitBounds) point.explicitBounds = p.explicitBounds.map(toDouble);
  for (const key of ['sum', 'min', 'max'] as const) if (point[key] === undefined) delete point[key];
  return point;
}

/** The metrics of one ExportMetricsServiceRequest, flattened. */
export function metricsOf(request: Wire): ReceivedMetric[] {
  const out: ReceivedMetric[] = [];
  for (const rm of request?.resourceMetrics ?? []) {
    const resource = attributes(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const metric of sm.metrics ?? []) {
        const type = metricTypes.find((t) => metric[t] !== undefined && metric[t] !== null);
        if (!type) continue;
        const data = metric[type];
        out.push({
          name: metric.name ?? '',
          description: metric.description ?? '',
          unit: metric.unit ?? '',
          type,
          temporality: data.aggregationTemporality,
          isMonotonic: type === 'sum' ? Boolean(data.isMonotonic) : undefined,
          dataPoints: (data.dataPoints ?? []).map(dataPoint),
          resource,
          scope: scope(sm.scope),
        });
      }
    }
  }
  return out;
}
