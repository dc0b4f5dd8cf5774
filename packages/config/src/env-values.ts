import { LOG_LEVELS } from './names';
import type { ConfigIssue, LogLevel } from './types';

/** A value read from one environment variable, or the issue it raises. */
export type EnvRead<T> = { ok: true; value: T } | { ok: false; issue: ConfigIssue };

/** An issue about an environment variable's value. */
export function envIssue(
  name: string,
  path: string,
  value: string,
  expected: string,
  hint?: string,
): ConfigIssue {
  const message = `${JSON.stringify(value)} is not valid — expected ${expected}${hint ? ` (${hint})` : ''}`;
  return { file: undefined, line: 0, col: 0, path, value, expected, message, hint, env: name };
}

/** `k=v,k2=v2` with percent-encoded keys and values (W3C baggage style, as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS use). */
export function readKeyValues(
  name: string,
  path: string,
  text: string,
): EnvRead<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const fail = () => ({
      ok: false as const,
      issue: envIssue(
        name,
        path,
        text,
        'comma-separated key=value pairs, percent-encoded',
        `bad entry ${JSON.stringify(part.trim())}`,
      ),
    });
    if (eq <= 0) return fail();
    try {
      out[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(
        part.slice(eq + 1).trim(),
      );
    } catch {
      return fail();
    }
  }
  return { ok: true, value: out };
}

/** An http(s) URL. */
export function readUrl(name: string, path: string, text: string): EnvRead<string> {
  const url = URL.parse(text.trim());
  if (url && /^https?:$/.test(url.protocol)) return { ok: true, value: text.trim() };
  return { ok: false, issue: envIssue(name, path, text, 'an http:// or https:// URL') };
}

/** `true` / `false`, any case. */
export function readBoolean(name: string, path: string, text: string): EnvRead<boolean> {
  const lower = text.trim().toLowerCase();
  if (lower === 'true' || lower === 'false') return { ok: true, value: lower === 'true' };
  return { ok: false, issue: envIssue(name, path, text, 'true or false') };
}

/** A non-negative integer (milliseconds for timeouts, a port number). */
export function readInteger(
  name: string,
  path: string,
  text: string,
  max: number,
  expected: string,
): EnvRead<number> {
  const value = Number(text.trim());
  if (/^\d+$/.test(text.trim()) && value <= max) return { ok: true, value };
  return { ok: false, issue: envIssue(name, path, text, expected) };
}

/** OTEL_LOG_LEVEL. */
export function readLogLevel(name: string, text: string): EnvRead<LogLevel> {
  const lower = text.trim().toLowerCase() as LogLevel;
  if ((LOG_LEVELS as readonly string[]).includes(lower)) return { ok: true, value: lower };
  return { ok: false, issue: envIssue(name, 'log_level', text, LOG_LEVELS.join(', ')) };
}

/** OTEL_EXPORTER_OTLP_PROTOCOL: only the HTTP encodings are supported. */
export function readProtocol(name: string, text: string): EnvRead<'http/protobuf' | 'http/json'> {
  const value = text.trim();
  if (value === 'http/protobuf' || value === 'http/json') return { ok: true, value };
  const hint =
    value === 'grpc' ? 'gRPC export is not supported; use http/protobuf on port 4318' : undefined;
  return {
    ok: false,
    issue: envIssue(name, 'exporters.otlp.protocol', text, 'http/protobuf or http/json', hint),
  };
}

/** OTEL_TRACES_EXPORTER: one of otlp, console, none (OpenTelemetry) or file (Strata). */
export function readTracesExporter(
  name: string,
  text: string,
): EnvRead<'otlp' | 'file' | 'console' | 'none'> {
  const value = text.trim();
  if (value === 'otlp' || value === 'file' || value === 'console' || value === 'none')
    return { ok: true, value };
  const hint = value.includes(',') ? 'Strata sends traces to one exporter' : undefined;
  return {
    ok: false,
    issue: envIssue(name, 'exporters.traces', text, 'otlp, file, console or none', hint),
  };
}
