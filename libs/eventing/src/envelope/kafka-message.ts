import type { UpcasterChain } from '../event-store/upcaster';
import type { IHeaders } from 'kafkajs';
import type { Envelope } from './envelope';

/** Envelope fields mirrored as Kafka headers, so tools can filter without parsing values. */
const HEADER_FIELDS = [
  'messageId',
  'type',
  'schemaVersion',
  'streamId',
  'streamVersion',
  'correlationId',
  'causationId',
  'sagaId',
  'sagaStep',
  'userId',
  'traceparent',
] as const satisfies readonly (keyof Envelope)[];

export interface KafkaRecord {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export type InvalidMessageReason = 'not-json' | 'invalid-envelope' | 'unknown-type' | 'not-upcastable';

/** A consumed message that can never be handled as it is; it goes straight to the DLQ. */
export class InvalidMessageError extends Error {
  constructor(
    readonly reason: InvalidMessageReason,
    detail: string,
  ) {
    super(`invalid message (${reason}): ${detail}`);
    this.name = 'InvalidMessageError';
  }
}

export function toKafkaRecord(envelope: Envelope): KafkaRecord {
  const headers: Record<string, string> = {};
  for (const field of HEADER_FIELDS) {
    const value = envelope[field];
    if (value !== undefined && value !== null) headers[field] = String(value);
  }
  return { key: envelope.streamId, value: JSON.stringify(envelope), headers };
}

/** Kafka header values arrive as Buffers (or arrays of them); tools and DLQ records want strings. */
export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) result[name] = first.toString();
  }
  return result;
}

/**
 * A consumed message as its handler sees it: a valid envelope of a known type, upcast to the
 * newest version of its contract when `upcast` is given (a consumer never sees an old version).
 */
export function parseEnvelope(
  value: Buffer | string | null,
  knownTypes?: ReadonlySet<string>,
  upcast?: UpcasterChain,
): Envelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value === null ? '' : value.toString());
  } catch (error) {
    throw new InvalidMessageError('not-json', (error as Error).message);
  }
  const problems = envelopeProblems(parsed);
  if (problems.length > 0) throw new InvalidMessageError('invalid-envelope', problems.join('; '));
  const envelope = parsed as Envelope;
  if (knownTypes && !knownTypes.has(envelope.type)) {
    throw new InvalidMessageError('unknown-type', `type ${envelope.type} is not handled here`);
  }
  return upcast ? upcastEnvelope(envelope, upcast) : envelope;
}

function upcastEnvelope(envelope: Envelope, upcast: UpcasterChain): Envelope {
  try {
    const { schemaVersion, payload } = upcast(envelope.type, envelope.schemaVersion, envelope.payload);
    return schemaVersion === envelope.schemaVersion ? envelope : { ...envelope, schemaVersion, payload };
  } catch (error) {
    const detail = `${envelope.type} v${envelope.schemaVersion}: ${(error as Error).message}`;
    throw new InvalidMessageError('not-upcastable', detail);
  }
}

function envelopeProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object'];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const expect = (field: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(record[field])) problems.push(`${field} must be ${what}`);
  };
  const isText = (v: unknown) => typeof v === 'string' && v.length > 0;
  const isOptionalText = (v: unknown) => v === undefined || typeof v === 'string';
  expect('messageId', isText, 'a non-empty string');
  expect('type', isText, 'a non-empty string');
  expect('schemaVersion', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer');
  expect('streamId', isText, 'a non-empty string');
  expect('streamVersion', (v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer');
  expect('occurredAt', (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v)), 'an ISO-8601 timestamp');
  expect('correlationId', isText, 'a non-empty string');
  expect('causationId', (v) => v === null || isText(v), 'a string or null');
  expect('payload', (v) => v !== undefined, 'present');
  for (const field of ['sagaId', 'sagaStep', 'userId', 'traceparent'])
    expect(field, isOptionalText, 'a string when present');
  return problems;
}
