import type { Envelope } from '@tradecore/eventing';
import type { TraceKind } from './trace-entry.entity';

/** One trace_entry row as JSON: rows travel as one JSON array, so any number of them is one parameter. */
export interface TraceRow {
  readonly kind: TraceKind;
  readonly message_id: string;
  readonly type: string;
  readonly topic: string;
  readonly stream_id: string | null;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly saga_id: string | null;
  readonly saga_step: string | null;
  readonly service: string | null;
  readonly consumer: string | null;
  readonly outcome: string | null;
  readonly duration_ms: number | null;
  readonly lag_ms: number | null;
  readonly occurred_at: string;
  readonly envelope: Envelope;
  /** The id of the message the row was recorded from (`envelope`'s): with message_id, its unique key. */
  readonly source_id: string;
}

const COLUMNS =
  'kind, message_id, type, topic, stream_id, correlation_id, causation_id, saga_id, saga_step, service, consumer, outcome, duration_ms, lag_ms, occurred_at, envelope, source_id';
const COLUMN_TYPES =
  'kind text, message_id text, type text, topic text, stream_id text, correlation_id text, causation_id text, saga_id text, saga_step text, service text, consumer text, outcome text, duration_ms integer, lag_ms integer, occurred_at timestamptz, envelope jsonb, source_id text';

/**
 * The INSERT of the rows given as a JSON array in `param` (e.g. `$1`); usable as a CTE of a larger
 * statement. A row recorded before (a redelivered message) is skipped.
 */
export function insertTraceRows(schema: string, param: string): string {
  return `INSERT INTO "${schema}".trace_entry (${COLUMNS})
    SELECT ${COLUMNS} FROM jsonb_to_recordset(${param}::jsonb) AS t(${COLUMN_TYPES})
    ON CONFLICT (message_id, source_id) DO NOTHING`;
}
