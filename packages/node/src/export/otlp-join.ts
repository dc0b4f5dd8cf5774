// Joins OTLP trace export requests that were serialized separately (one per kept trace, when
// its trace was decided) into the body of one export request, without decoding any span.
//
// Protobuf: ExportTraceServiceRequest is `repeated ResourceSpans resource_spans = 1`, a
// ResourceSpans is `Resource resource = 1; repeated ScopeSpans scope_spans = 2;
// string schema_url = 3`, and a ScopeSpans is `InstrumentationScope scope = 1;
// repeated Span spans = 2; string schema_url = 3`. Concatenated requests are already a valid
// request (repeated fields append), but each part would repeat its resource and scopes (+40%
// bytes for three-span traces). So spans are gathered under one ResourceSpans per resource and
// one ScopeSpans per scope (byte for byte equal); anything else in a part is kept as it came.

/** A field as it lies in the buffer: its number, wire type, and where its value is. */
interface Field {
  number: number;
  wireType: number;
  /** Offset of the tag (start of the field). */
  start: number;
  /** Offset of the value (after the tag, and after the length for wire type 2). */
  valueStart: number;
  /** Offset just past the field. */
  end: number;
}

function readVarint(buf: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length && i < at + 10; i++) {
    const byte = buf[i];
    // Numbers past 2^53 do not occur in tags or lengths of a request that fits in memory.
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i + 1];
    shift += 7;
  }
  throw new RangeError(`truncated varint at byte ${at}`);
}

/** The fields of one message, in order; throws on a malformed buffer. */
function fieldsOf(buf: Uint8Array, from = 0, to = buf.length): Field[] {
  const fields: Field[] = [];
  let at = from;
  while (at < to) {
    const [tag, afterTag] = readVarint(buf, at);
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    let valueStart = afterTag;
    let end: number;
    switch (wireType) {
      case 0:
        end = readVarint(buf, afterTag)[1];
        break;
      case 1:
        end = afterTag + 8;
        break;
      case 2: {
        const [length, afterLength] = readVarint(buf, afterTag);
        valueStart = afterLength;
        end = afterLength + length;
        break;
      }
      case 5:
        end = afterTag + 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wireType} at byte ${at}`);
    }
    if (end > to) throw new RangeError(`field ${number} at byte ${at} runs past its message`);
    fields.push({ number, wireType, start: at, valueStart, end });
    at = end;
  }
  return fields;
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  while (value >= 0x80) {
    out.push((value % 0x80) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
  return out;
}

/**
 * A message being assembled from parts: its identifying fields as they came (for a
 * ResourceSpans its resource and schema_url, for a ScopeSpans its scope and schema_url), then
 * the repeated children gathered under it.
 */
interface Group<C> {
  head: Uint8Array[];
  children: C[];
  /** A message of another shape, kept as it came (never joined with another). */
  raw?: Uint8Array;
}

/** Whether two heads hold the same fields, byte for byte. */
export function sameHead(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (Buffer.compare(a[i], b[i]) !== 0) return false;
  return true;
}

/** The group with this head, added if new. Nearly always one resource and a few scopes. */
function groupFor<C>(groups: Group<C>[], head: Uint8Array[]): Group<C> {
  let group = groups.find((g) => g.raw === undefined && sameHead(g.head, head));
  if (group === undefined) {
    group = { head, children: [] };
    groups.push(group);
  }
  return group;
}

const LENGTH_DELIMITED = 2;
const RESOURCE_SPANS = 1;
const SCOPE_SPANS = 2;
const SPANS = 2;

/**
 * Splits a message into its head (fields 1 and 3) and its `childField` entries, as runs of
 * adjacent raw fields; undefined when it holds anything else, so the caller keeps it as it came.
 */
function split(
  buf: Uint8Array,
  outer: Field,
  childField: number,
): { head: Uint8Array[]; children: Uint8Array[] } | undefined {
  const head: Uint8Array[] = [];
  const children: Uint8Array[] = [];
  // Adjacent children (all of them, as serializers write) are kept as one slice.
  let runStart = -1;
  let runEnd = -1;
  for (const field of fieldsOf(buf, outer.valueStart, outer.end)) {
    if (field.wireType !== LENGTH_DELIMITED) return undefined;
    if (field.number === childField) {
      if (field.start !== runEnd) {
        if (runStart >= 0) children.push(buf.subarray(runStart, runEnd));
        runStart = field.start;
      }
      runEnd = field.end;
    } else if (field.number === 1 || field.number === 3) {
      head.push(buf.subarray(field.start, field.end));
    } else return undefined;
  }
  if (runStart >= 0) children.push(buf.subarray(runStart, runEnd));
  return { head, children };
}

/** `field` as a length-delimited field holding `chunks`. */
function wrap(field: number, chunks: Uint8Array[]): Uint8Array[] {
  const length = chunks.reduce((n, c) => n + c.length, 0);
  return [Uint8Array.from([(field << 3) | LENGTH_DELIMITED, ...varintBytes(length)]), ...chunks];
}

function flatten(chunks: Uint8Array[][]): Uint8Array[] {
  return ([] as Uint8Array[]).concat(...chunks);
}

/** The head (resource and schema_url fields) of the first ResourceSpans of a request. */
export function resourceHeadOf(request: Uint8Array): Uint8Array[] | undefined {
  const entry = fieldsOf(request).find(
    (f) => f.number === RESOURCE_SPANS && f.wireType === LENGTH_DELIMITED,
  );
  return entry && split(request, entry, SCOPE_SPANS)?.head;
}

/**
 * One protobuf ExportTraceServiceRequest holding every part's spans. `restoreHead` may give,
 * for a resource head as the parts carry it, the head to write instead (see resource-elision.ts).
 */
export function joinProtobufTraceRequests(
  parts: readonly Uint8Array[],
  restoreHead?: (head: Uint8Array[]) => Uint8Array[],
): Uint8Array {
  if (parts.length === 1 && restoreHead === undefined) return parts[0];
  // Resource → scope → raw span fields. Entries of another shape travel on unchanged.
  const resources: Group<Group<Uint8Array>>[] = [];
  const verbatim: Uint8Array[] = [];
  for (const part of parts) {
    for (const entry of fieldsOf(part)) {
      const resourceSpans =
        entry.number === RESOURCE_SPANS && entry.wireType === LENGTH_DELIMITED
          ? split(part, entry, SCOPE_SPANS)
          : undefined;
      if (resourceSpans === undefined) {
        verbatim.push(part.subarray(entry.start, entry.end));
        continue;
      }
      const resource = groupFor(resources, resourceSpans.head);
      for (const run of resourceSpans.children) {
        for (const field of fieldsOf(run)) {
          const scopeSpans = split(run, field, SPANS);
          if (scopeSpans !== undefined) {
            groupFor(resource.children, scopeSpans.head).children.push(...scopeSpans.children);
          } else {
            resource.children.push({
              head: [],
              children: [],
              raw: run.subarray(field.start, field.end),
            });
          }
        }
      }
    }
  }
  const chunks: Uint8Array[] = [];
  for (const resource of resources) {
    const body = flatten(
      resource.children.map((scope) =>
        scope.raw ? [scope.raw] : wrap(SCOPE_SPANS, [...scope.head, ...scope.children]),
      ),
    );
    const head = restoreHead ? restoreHead(resource.head) : resource.head;
    chunks.push(...wrap(RESOURCE_SPANS, [...head, ...body]));
  }
  chunks.push(...verbatim);
  return Buffer.concat(chunks);
}

const JSON_OPEN = Buffer.from('{"resourceSpans":[');
const JSON_CLOSE = Buffer.from(']}');

/**
 * One OTLP/JSON export request holding every part's spans. Each part is
 * `{"resourceSpans":[…]}` as the JSON serializer writes it; their arrays are spliced
 * into one (each part keeps its resource: JSON parts are not parsed).
 */
export function joinJsonTraceRequests(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const chunks: Uint8Array[] = [JSON_OPEN];
  let first = true;
  for (const part of parts) {
    if (!startsWith(part, JSON_OPEN) || !endsWith(part, JSON_CLOSE)) {
      throw new TypeError('not an OTLP/JSON trace export request');
    }
    const inner = part.subarray(JSON_OPEN.length, part.length - JSON_CLOSE.length);
    if (inner.length === 0) continue;
    if (!first) chunks.push(COMMA);
    chunks.push(inner);
    first = false;
  }
  chunks.push(JSON_CLOSE);
  return Buffer.concat(chunks);
}

const COMMA = Buffer.from(',');

function startsWith(buf: Uint8Array, prefix: Uint8Array): boolean {
  if (buf.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[i] !== prefix[i]) return false;
  return true;
}

function endsWith(buf: Uint8Array, suffix: Uint8Array): boolean {
  const at = buf.length - suffix.length;
  if (at < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (buf[at + i] !== suffix[i]) return false;
  return true;
}
