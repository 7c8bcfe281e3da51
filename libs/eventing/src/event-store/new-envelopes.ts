import type { Envelope, MessageMetadata } from '../envelope/envelope';
import { newMessageId } from '../envelope/message-context';
import type { NewEvent } from './event-store.types';

/** The envelopes of events appended after `expectedVersion`, stamped with one time and the given metadata. */
export function toEnvelopes(
  streamId: string,
  expectedVersion: number,
  events: readonly NewEvent[],
  metadata: MessageMetadata,
): Envelope[] {
  const occurredAt = new Date().toISOString();
  const defined = Object.fromEntries(
    Object.entries(metadata).filter(([, value]) => value !== undefined),
  ) as MessageMetadata;
  return events.map((event, index) => ({
    messageId: newMessageId(),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    streamId,
    streamVersion: expectedVersion + index + 1,
    occurredAt,
    ...defined,
    payload: event.payload,
  }));
}

/** The metadata an event is stored with (the rest of its envelope has columns of its own). */
export function metadataOf(envelope: Envelope): MessageMetadata {
  const { correlationId, causationId, sagaId, sagaStep, userId, traceparent } = envelope;
  return { correlationId, causationId, sagaId, sagaStep, userId, traceparent };
}

/**
 * The unique (stream_id, version) refused a concurrent writer of the same version, or the NOT NULL
 * of version an append at a version the stream has not reached (AppendShape.refusesByError).
 */
export function isStreamVersionViolation(error: unknown): boolean {
  type Fields = { code?: string; constraint?: string; table?: string; column?: string };
  const candidate = error as Fields & { driverError?: Fields };
  const { code, constraint, table, column } = candidate.driverError ?? candidate;
  if (code === '23502') return table === 'events' && column === 'version';
  return code === '23505' && constraint === 'events_stream_version_uq';
}
