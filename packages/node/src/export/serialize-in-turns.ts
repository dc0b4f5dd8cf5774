import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/**
 * Spans serialized per event-loop turn. OpenTelemetry's serializers take about 3 µs a span on a
 * fast machine, so a full 512-span batch in one go held the application's event loop for
 * 1.5–5 ms: the p99 of a service exporting every trace.
 */
export const SPANS_PER_TURN = 64;

/** What serializes one export request (`ProtobufTraceSerializer`, `JsonTraceSerializer`). */
export interface RequestSerializer {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
}

const JSON_HEAD = new TextEncoder().encode('{"resourceSpans":[');
const JSON_TAIL = new TextEncoder().encode(']}');

/**
 * Serialize `spans` into one export request body, `SPANS_PER_TURN` spans per event-loop turn
 * (`setImmediate` between parts), then call `done` once with the body or the error. Up to
 * `SPANS_PER_TURN` spans, in this turn.
 *
 * The parts join into one request: protobuf messages concatenate (the request's one field is a
 * repeated `resource_spans`, so the parsed request holds every part's entries), and JSON parts
 * are spliced into one `resourceSpans` array. `cancelled` is checked between parts.
 */
export function serializeInTurns(
  spans: readonly ReadableSpan[],
  serializer: RequestSerializer,
  json: boolean,
  done: (body: Uint8Array | undefined, error?: Error) => void,
  cancelled: () => boolean = () => false,
): void {
  if (spans.length <= SPANS_PER_TURN) {
    const result = attempt(() => serializer.serializeRequest(spans as ReadableSpan[]));
    done(result.body, result.error);
    return;
  }
  const parts: Uint8Array[] = [];
  let next = 0;
  const step = (): void => {
    if (cancelled()) {
      done(undefined, new Error('cancelled'));
      return;
    }
    const part = attempt(() =>
      serializer.serializeRequest(spans.slice(next, next + SPANS_PER_TURN)),
    );
    if (part.body === undefined) {
      done(undefined, part.error);
      return;
    }
    parts.push(part.body);
    next += SPANS_PER_TURN;
    if (next < spans.length) {
      setImmediate(step);
      return;
    }
    const body = json ? joinJson(parts) : Buffer.concat(parts);
    done(body, body === undefined ? new Error('unexpected JSON request shape') : undefined);
  };
  step();
}

function attempt(serialize: () => Uint8Array | undefined): { body?: Uint8Array; error?: Error } {
  try {
    return { body: serialize() };
  } catch (error) {
    return { error: error as Error };
  }
}

/** `{"resourceSpans":[a]}` + `{"resourceSpans":[b]}` → `{"resourceSpans":[a,b]}`; undefined if a part has another shape. */
export function joinJson(parts: readonly Uint8Array[]): Uint8Array | undefined {
  const inner: Uint8Array[] = [];
  for (const part of parts) {
    if (!startsWith(part, JSON_HEAD) || !endsWith(part, JSON_TAIL)) return undefined;
    const body = part.subarray(JSON_HEAD.length, part.length - JSON_TAIL.length);
    if (body.length === 0) continue;
    if (inner.length > 0) inner.push(COMMA);
    inner.push(body);
  }
  return Buffer.concat([JSON_HEAD, ...inner, JSON_TAIL]);
}

const COMMA = new TextEncoder().encode(',');

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

function endsWith(bytes: Uint8Array, suffix: Uint8Array): boolean {
  const offset = bytes.length - suffix.length;
  if (offset < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (bytes[offset + i] !== suffix[i]) return false;
  return true;
}
