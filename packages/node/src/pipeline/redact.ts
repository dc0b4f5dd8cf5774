import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** Query parameters whose values never leave the process (case-insensitive). */
export const SENSITIVE_QUERY_PARAMS: readonly string[] = [
  'access_token',
  'api-key',
  'api_key',
  'apikey',
  'auth',
  'awsaccesskeyid',
  'client_secret',
  'code',
  'credentials',
  'id_token',
  'jwt',
  'key',
  'passwd',
  'password',
  'pwd',
  'refresh_token',
  'secret',
  'session',
  'sessionid',
  'sig',
  'signature',
  'token',
  'x-amz-credential',
  'x-amz-security-token',
  'x-amz-signature',
  'x-goog-credential',
  'x-goog-signature',
];

const SENSITIVE = new Set(SENSITIVE_QUERY_PARAMS);
const URL_KEYS = ['url.full', 'url.query', 'http.url', 'http.target', 'url.original'];
const SQL_KEYS = ['db.query.text', 'db.statement'];
const SQL_SYSTEMS = new Set([
  'postgresql',
  'mysql',
  'mariadb',
  'mssql',
  'microsoft.sql_server',
  'oracle',
  'oracle.db',
  'sqlite',
  'cockroachdb',
  'db2',
  'ibm.db2',
  'other_sql',
]);

/** `a=1&token=xyz` → `a=1&token=REDACTED`, in a query string or a whole URL. */
export function redactQuery(value: string): string {
  const q = value.indexOf('?');
  const isUrl = q !== -1 || value.includes('://') || value.startsWith('/');
  if (isUrl && q === -1) return value;
  const head = isUrl ? value.slice(0, q + 1) : '';
  const hash = value.indexOf('#', q + 1);
  const query = isUrl ? value.slice(q + 1, hash === -1 ? undefined : hash) : value;
  const tail = isUrl && hash !== -1 ? value.slice(hash) : '';
  let changed = false;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq === -1) return part;
    let name = part.slice(0, eq);
    try {
      name = decodeURIComponent(name);
    } catch {
      // keep the raw name
    }
    if (!SENSITIVE.has(name.toLowerCase())) return part;
    changed = true;
    return `${part.slice(0, eq)}=REDACTED`;
  });
  return changed ? head + parts.join('&') + tail : value;
}

// String literals ('…', with '' escapes, and E'…'), then numbers that stand
// alone (not part of an identifier such as t1 or $1).
const SQL_STRING = /[Ee]?'(?:[^']|'')*'/g;
const SQL_NUMBER = /(?<![\w$.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.])/g;

/** `SELECT * FROM t WHERE a = 'x' AND b = 42` → `… a = ? AND b = ?`. */
export function redactSql(text: string): string {
  return text.replace(SQL_STRING, '?').replace(SQL_NUMBER, '?');
}

/**
 * Scrub what may hold personal or secret data from spans about to leave the
 * process: literal values in SQL text, sensitive query-string values in URLs.
 * Runs on kept spans only (after the sampling decision), so the cost is per
 * exported span, not per request.
 */
export function redactSpans(spans: readonly ReadableSpan[]): readonly ReadableSpan[] {
  for (const span of spans) {
    const attributes = span.attributes as Record<string, unknown>;
    for (const key of URL_KEYS) {
      const value = attributes[key];
      if (typeof value === 'string' && value.includes('=')) attributes[key] = redactQuery(value);
    }
    const system = attributes['db.system.name'] ?? attributes['db.system'];
    if (typeof system === 'string' && SQL_SYSTEMS.has(system)) {
      for (const key of SQL_KEYS) {
        const value = attributes[key];
        if (typeof value === 'string') attributes[key] = redactSql(value);
      }
    }
  }
  return spans;
}
