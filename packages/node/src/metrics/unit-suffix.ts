import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

// OpenTelemetry → Prometheus unit suffixes (the specification's
// "Prometheus and OpenMetrics Compatibility"; the Collector's exporter does the
// same). @opentelemetry/exporter-prometheus no longer adds them.
const SUFFIX: Record<string, string> = {
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  '%': 'percent',
};

/** The Prometheus name stem of an OpenTelemetry metric: `strata.request.layer.time` (s) → `strata.request.layer.time.seconds`. */
export function withUnitSuffix(name: string, unit: string | undefined): string {
  const suffix = unit ? (SUFFIX[unit] ?? (unit === '1' ? '' : undefined)) : undefined;
  if (!suffix) return name;
  return name.endsWith(`.${suffix}`) || name.endsWith(`_${suffix}`) ? name : `${name}.${suffix}`;
}

/** A copy of collected metrics with unit suffixes on the names, for the Prometheus serializer. */
export function addUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    ...resourceMetrics,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      ...scope,
      metrics: scope.metrics.map((metric) => {
        const name = withUnitSuffix(metric.descriptor.name, metric.descriptor.unit);
        return name === metric.descriptor.name
          ? metric
          : { ...metric, descriptor: { ...metric.descriptor, name } };
      }),
    })),
  };
}
