import type { EntityManager } from 'typeorm';
import {
  ContractMessage,
  HttpRequestHandled,
  MessageProcessed,
  topicOfMessageType,
} from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';
import type { TraceKind } from '../../persistence/trace-entry.entity';

const commandTopicOf = (type: string) => topicOfMessageType(type as ContractMessage['type']);

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
}

const COLUMNS =
  'kind, message_id, type, topic, stream_id, correlation_id, causation_id, saga_id, saga_step, service, consumer, outcome, duration_ms, lag_ms, occurred_at, envelope';
const COLUMN_TYPES =
  'kind text, message_id text, type text, topic text, stream_id text, correlation_id text, causation_id text, saga_id text, saga_step text, service text, consumer text, outcome text, duration_ms integer, lag_ms integer, occurred_at timestamptz, envelope jsonb';

/** The INSERT of the rows given as a JSON array in `param` (e.g. `$1`); usable as a CTE of a larger statement. */
export function insertTraceRows(schema: string, param: string): string {
  return `INSERT INTO "${schema}".trace_entry (${COLUMNS})
    SELECT ${COLUMNS} FROM jsonb_to_recordset(${param}::jsonb) AS t(${COLUMN_TYPES})`;
}

interface Handling {
  readonly raw?: Envelope;
  readonly service?: string;
  readonly consumer?: string;
  readonly outcome?: string;
  readonly durationMs?: number;
  readonly lagMs?: number;
}

export interface TracedMessage {
  readonly topic: string;
  readonly envelope: Envelope;
}

/** Writes the compact rows the event-flow trace is assembled from, many in one statement. */
export class TraceRecorder {
  constructor(private readonly schema: string) {}

  /** The rows of commands the orchestrator sends; the engine writes them with the saga's own changes. */
  commandRows(envelopes: readonly Envelope[]): TraceRow[] {
    return envelopes.map((envelope) => row('command', commandTopicOf(envelope.type), envelope, {}));
  }

  async recordMessages(manager: EntityManager, messages: readonly TracedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await manager.query(insertTraceRows(this.schema, '$1'), [
      JSON.stringify(messages.map(({ topic, envelope }) => rowOf(topic, envelope))),
    ]);
  }
}

/** A telemetry record becomes the hop it describes; any other message is a hop of its own. */
function rowOf(topic: string, envelope: Envelope): TraceRow {
  if (envelope.type === 'MessageProcessed') {
    const record = envelope.payload as MessageProcessed['payload'];
    return row(
      'processed',
      record.topic,
      {
        ...envelope,
        messageId: record.messageId,
        type: record.messageType,
        correlationId: record.correlationId,
        sagaId: record.sagaId,
        occurredAt: record.at,
      },
      {
        raw: envelope,
        service: record.service,
        consumer: record.consumer,
        outcome: record.outcome,
        durationMs: Math.round(record.durationMs),
        lagMs: Math.round(record.lagMs),
      },
    );
  }
  if (envelope.type === 'HttpRequestHandled') {
    const request = envelope.payload as HttpRequestHandled['payload'];
    // The hop's label is the request line, its outcome the status: the columns a message hop shows.
    return row(
      'http',
      'ops.telemetry',
      { ...envelope, type: `${request.method} ${request.path}`, occurredAt: request.at },
      {
        raw: envelope,
        service: request.service,
        outcome: String(request.status),
        durationMs: Math.round(request.durationMs),
      },
    );
  }
  return row('message', topic, envelope, {});
}

function row(kind: TraceKind, topic: string, envelope: Envelope, handling: Handling): TraceRow {
  return {
    kind,
    message_id: envelope.messageId,
    type: envelope.type,
    topic,
    stream_id: kind === 'processed' ? null : envelope.streamId,
    correlation_id: envelope.correlationId,
    causation_id: kind === 'processed' ? null : envelope.causationId,
    saga_id: envelope.sagaId ?? null,
    saga_step: envelope.sagaStep ?? null,
    service: handling.service ?? null,
    consumer: handling.consumer ?? null,
    outcome: handling.outcome ?? null,
    duration_ms: handling.durationMs ?? null,
    lag_ms: handling.lagMs ?? null,
    occurred_at: envelope.occurredAt,
    envelope: handling.raw ?? envelope,
  };
}
