import type { Envelope, MessageMetadata } from '../envelope/envelope';
import type { UpcasterChain } from './upcaster';

/** A row of `<schema>.events` as the store reads it. */
export interface EventRow {
  global_position: string;
  stream_id: string;
  stream_type: string;
  version: number;
  message_id: string;
  type: string;
  schema_version: number;
  payload: unknown;
  metadata: MessageMetadata;
  occurred_at: Date;
}

export const EVENT_COLUMNS =
  'global_position, stream_id, stream_type, version, message_id, type, schema_version, payload, metadata, occurred_at';

/** The envelope a stored row holds, upcast to its type's newest schema version. */
export function envelopeOfRow(row: EventRow, upcast: UpcasterChain): Envelope {
  const { schemaVersion, payload } = upcast(row.type, row.schema_version, row.payload);
  return {
    messageId: row.message_id,
    type: row.type,
    schemaVersion,
    streamId: row.stream_id,
    streamVersion: row.version,
    occurredAt: row.occurred_at.toISOString(),
    ...row.metadata,
    payload,
  };
}
