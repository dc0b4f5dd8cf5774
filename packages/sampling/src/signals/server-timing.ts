/** Server-Timing metric name carrying the callee's trace context (W3C trace-context level 3 direction). */
export const SERVER_TIMING_TRACEPARENT = 'traceparent';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);
/** Longest header value scanned: a keep signal is ~70 bytes, anything past this is not worth the CPU. */
const MAX_HEADER_LENGTH = 8192;

/**
 * The `Server-Timing` entry telling the caller "this trace is kept":
 * `traceparent;desc="00-<trace-id>-<span-id>-01"`; `undefined` for invalid ids.
 */
export function formatServerTimingKeep(traceId: string, spanId: string): string | undefined {
  if (!validIds(traceId, spanId)) return undefined;
  return `${SERVER_TIMING_TRACEPARENT};desc="00-${traceId}-${spanId}-01"`;
}

/**
 * Whether a `Server-Timing` header (a string, or a list of header values) holds a
 * `traceparent` entry of `expectedTraceId` with the sampled flag: foreign traces,
 * malformed entries and other metrics are ignored. Never throws.
 */
export function parseServerTimingKeep(headerValue: unknown, expectedTraceId: string): boolean {
  try {
    const value = Array.isArray(headerValue) ? headerValue.join(',') : headerValue;
    if (typeof value !== 'string' || value.length > MAX_HEADER_LENGTH) return false;
    if (!TRACE_ID.test(expectedTraceId)) return false;
    // Cheap bail-out before splitting: most responses carry no such entry.
    if (!value.toLowerCase().includes(SERVER_TIMING_TRACEPARENT)) return false;
    for (const entry of splitOutsideQuotes(value, ',')) {
      const params = splitOutsideQuotes(entry, ';');
      if (params[0].trim().toLowerCase() !== SERVER_TIMING_TRACEPARENT) continue;
      for (let i = 1; i < params.length; i++) {
        const desc = paramValue(params[i], 'desc');
        if (desc !== undefined && keptTraceparent(desc, expectedTraceId)) return true;
      }
    }
    return false;
  } catch {
    return false;
  }
}

function validIds(traceId: string, spanId: string): boolean {
  return (
    TRACE_ID.test(traceId) &&
    SPAN_ID.test(spanId) &&
    traceId !== INVALID_TRACE_ID &&
    spanId !== INVALID_SPAN_ID
  );
}

function keptTraceparent(value: string, expectedTraceId: string): boolean {
  const match = TRACEPARENT.exec(value);
  if (match === null) return false;
  const [, version, traceId, spanId, flags, rest] = match;
  // Version ff is invalid; version 00 has exactly four fields (W3C trace context).
  if (version === 'ff' || (version === '00' && rest !== undefined)) return false;
  if (!validIds(traceId, spanId)) return false;
  return traceId === expectedTraceId && (Number.parseInt(flags, 16) & 1) === 1;
}

/** `name=value` with value a token or a quoted-string (backslash escapes), else `undefined`. */
function paramValue(param: string, name: string): string | undefined {
  const eq = param.indexOf('=');
  if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== name) return undefined;
  const raw = param.slice(eq + 1).trim();
  if (!raw.startsWith('"')) return raw;
  if (raw.length < 2 || !raw.endsWith('"')) return undefined;
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    let ch = raw[i];
    if (ch === '\\') {
      if (i + 1 >= raw.length - 1) return undefined;
      ch = raw[++i];
    } else if (ch === '"') return undefined;
    out += ch;
  }
  return out;
}

/** Split on `sep` outside double-quoted strings (a backslash escapes inside quotes). */
function splitOutsideQuotes(value: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === sep) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
