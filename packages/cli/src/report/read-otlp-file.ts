import { readFileSync } from 'node:fs';
import { StrataReportError } from './report-error';
import type { ReportSpan } from './types';

// OTLP JSON (the `file` exporter: one ExportTraceServiceRequest per line).
// https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
// OTLP span flags: bit 8 says whether bit 9 (parent is remote) is known.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}

function anyValue(value: AnyValue | undefined): string | number | boolean | undefined {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.boolValue !== undefined) return value.boolValue;
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const v = anyValue(value);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

// OTLP JSON ids are hex; a base64 id (protobuf JSON mapping) is turned into hex too.
function hexId(id: unknown): string {
  const text = typeof id === 'string' ? id : '';
  if (text === '' || /^[0-9a-f]+$/i.test(text)) return text.toLowerCase();
  return Buffer.from(text, 'base64').toString('hex');
}

/** The spans of one OTLP JSON export request (already parsed). */
export function spansOfExportRequest(request: unknown): ReportSpan[] {
  const spans: ReportSpan[] = [];
  const resourceSpans = (request as { resourceSpans?: unknown }).resourceSpans;
  if (!Array.isArray(resourceSpans))
    throw new TypeError('not an OTLP export request (no resourceSpans)');
  for (const rs of resourceSpans) {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? 'unknown');
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const start = BigInt(s.startTimeUnixNano ?? 0);
        const end = BigInt(s.endTimeUnixNano ?? 0);
        const flags = Number(s.flags ?? 0);
        spans.push({
          traceId: hexId(s.traceId),
          spanId: hexId(s.spanId),
          parentSpanId: hexId(s.parentSpanId),
          remoteParent: (flags & (HAS_IS_REMOTE | IS_REMOTE)) === (HAS_IS_REMOTE | IS_REMOTE),
          service,
          name: String(s.name ?? ''),
          kind: KINDS[Number(s.kind ?? 0)] ?? 'unspecified',
          startMs: Number(start / 1000n) / 1000,
          durationMs: Number(end - start) / 1e6,
          attributes: attributesOf(s.attributes),
          traceState: String(s.traceState ?? ''),
          error: Number(s.status?.code ?? 0) === 2,
        });
      }
    }
  }
  return spans;
}

/** Read an OTLP JSON lines file; a malformed line is an error naming file:line. */
export function readOtlpFile(file: string): ReportSpan[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new StrataReportError('STRATA_REPORT_NO_FILE', `${file}: ${why}`);
  }
  const spans: ReportSpan[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    try {
      spans.push(...spansOfExportRequest(JSON.parse(line)));
    } catch (error) {
      throw new StrataReportError(
        'STRATA_REPORT_MALFORMED',
        `${file}:${i + 1}: ${(error as Error).message} (expected one OTLP JSON export request per line, as the file exporter writes)`,
      );
    }
  }
  return spans;
}
