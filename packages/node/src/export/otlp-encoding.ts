import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { OtlpProtocol } from '@strata/config';
import { joinJsonTraceRequests, joinProtobufTraceRequests } from './otlp-join';
import { createResourceElision } from './resource-elision';

/** How kept spans become OTLP trace export request bodies: one part per trace, joined per batch. */
export interface OtlpEncoding {
  /** One export request for `spans`; throws if they cannot be encoded. */
  encode(spans: readonly ReadableSpan[]): Uint8Array;
  /** One export request holding every part's spans. */
  join(parts: readonly Uint8Array[]): Uint8Array;
}

/**
 * OpenTelemetry's own serializers. Protobuf parts leave the process's resource to the join
 * (resource-elision.ts); JSON parts are spliced (otlp-join.ts).
 */
export function createOtlpEncoding(protocol: OtlpProtocol): OtlpEncoding {
  const otlp =
    require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
  const json = protocol === 'http/json';
  const serializer = json ? otlp.JsonTraceSerializer : otlp.ProtobufTraceSerializer;
  const serialize = (spans: ReadableSpan[]): Uint8Array => {
    const body = serializer.serializeRequest(spans);
    if (!body) throw new Error('the serializer produced nothing');
    return body;
  };
  if (json) {
    return { encode: (spans) => serialize(spans as ReadableSpan[]), join: joinJsonTraceRequests };
  }
  const elision = createResourceElision(serialize);
  return {
    encode: elision.encode,
    join: (parts) => joinProtobufTraceRequests(parts, elision.restoreHead),
  };
}
