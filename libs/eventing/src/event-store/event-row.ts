import type { MessageMetadata } from '../envelope/envelope';

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
