import {
  type EnvRead,
  readBoolean,
  readInteger,
  readKeyValues,
  readLogLevel,
  readProtocol,
  readTracesExporter,
  readUrl,
} from './env-values';
import type { ConfigIssue } from './types';

/** Values set by `OTEL_*` variables, in the shape of strata.yaml, with the variable behind each path. */
export interface EnvLayer {
  data: Record<string, unknown>;
  sources: Map<string, string>;
  issues: ConfigIssue[];
}

/** Read the standard `OTEL_*` variables Strata honours; an empty variable counts as unset (OpenTelemetry spec). */
export function readEnv(env: NodeJS.ProcessEnv): EnvLayer {
  const layer: EnvLayer = { data: {}, sources: new Map(), issues: [] };
  // Keys are given as a list: attribute and header names may contain dots themselves.
  const set = (keys: string[], value: unknown, name: string) => {
    let target = layer.data;
    for (const key of keys.slice(0, -1)) {
      target[key] ??= {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys[keys.length - 1]] = value;
    layer.sources.set(keys.join('.'), name);
  };
  // The first non-empty of the named variables (signal-specific first).
  const read = <T>(
    names: string[],
    parse: (name: string, text: string) => EnvRead<T>,
    apply: (value: T, name: string) => void,
  ) => {
    const name = names.find((n) => (env[n] ?? '').trim() !== '');
    if (name === undefined) return;
    const result = parse(name, env[name] as string);
    if (result.ok) apply(result.value, name);
    else layer.issues.push(result.issue);
  };
  const path = (p: string) => (value: unknown, name: string) => set(p.split('.'), value, name);

  read(
    ['OTEL_RESOURCE_ATTRIBUTES'],
    (n, t) => readKeyValues(n, 'service.attributes', t),
    (attributes, name) => {
      for (const [key, value] of Object.entries(attributes)) {
        // service.name in the resource attributes names the service (OTEL_SERVICE_NAME wins, below).
        if (key === 'service.name') set(['service', 'name'], value, name);
        else set(['service', 'attributes', key], value, name);
      }
    },
  );
  read(['OTEL_SERVICE_NAME'], (_n, t) => ({ ok: true, value: t.trim() }), path('service.name'));
  read(
    ['OTEL_EXPORTER_OTLP_ENDPOINT'],
    (n, t) => readUrl(n, 'exporters.otlp.endpoint', t),
    path('exporters.otlp.endpoint'),
  );
  read(
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    (n, t) => readUrl(n, 'exporters.otlp.url', t),
    path('exporters.otlp.url'),
  );
  read(
    ['OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
    (n, t) => readKeyValues(n, 'exporters.otlp.headers', t),
    (headers, name) => {
      for (const [key, value] of Object.entries(headers))
        set(['exporters', 'otlp', 'headers', key], value, name);
    },
  );
  read(
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    readProtocol,
    path('exporters.otlp.protocol'),
  );
  read(
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
    (n, t) =>
      readInteger(
        n,
        'exporters.otlp.timeout',
        t,
        Number.MAX_SAFE_INTEGER,
        'a timeout in milliseconds (an integer)',
      ),
    path('exporters.otlp.timeout'),
  );
  read(['OTEL_TRACES_EXPORTER'], readTracesExporter, path('exporters.traces'));
  read(['OTEL_SDK_DISABLED'], (n, t) => readBoolean(n, 'disabled', t), path('disabled'));
  read(['OTEL_LOG_LEVEL'], readLogLevel, path('log_level'));
  read(
    ['OTEL_EXPORTER_PROMETHEUS_HOST'],
    (_n, t) => ({ ok: true, value: t.trim() }),
    path('exporters.metrics.prometheus.host'),
  );
  read(
    ['OTEL_EXPORTER_PROMETHEUS_PORT'],
    (n, t) =>
      readInteger(
        n,
        'exporters.metrics.prometheus.port',
        t,
        65535,
        'a port number between 0 and 65535',
      ),
    path('exporters.metrics.prometheus.port'),
  );
  return layer;
}
