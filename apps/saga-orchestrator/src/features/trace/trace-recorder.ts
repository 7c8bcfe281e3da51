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

const COLUMNS = [
  'kind',
  'message_id',
  'type',
  'topic',
  'stream_id',
  'correlation_id',
  'causation_id',
  'saga_id',
  'saga_step',
  'service',
  'consumer',
  'outcome',
  'duration_ms',
  'lag_ms',
  'occurred_at',
  'envelope',
];
/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_STATEMENT = 1000;

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

  recordCommands(manager: EntityManager, envelopes: readonly Envelope[]): Promise<void> {
    return this.insert(
      manager,
      envelopes.map((envelope) => row('command', commandTopicOf(envelope.type), envelope, {})),
    );
  }

  recordMessages(manager: EntityManager, messages: readonly TracedMessage[]): Promise<void> {
    return this.insert(
      manager,
      messages.map(({ topic, envelope }) => rowOf(topic, envelope)),
    );
  }

  private async insert(manager: EntityManager, rows: readonly unknown[][]): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const placeholders = chunk.map(
        (_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`,
      );
      await manager.query(
        `INSERT INTO "${this.schema}".trace_entry (${COLUMNS.join(', ')}) VALUES ${placeholders.join(', ')}`,
        chunk.flat(),
      );
    }
  }
}

/** A telemetry record becomes the hop it describes; any other message is a hop of its own. */
function rowOf(topic: string, envelope: Envelope): unknown[] {
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

function row(kind: TraceKind, topic: string, envelope: Envelope, handling: Handling): unknown[] {
  return [
    kind,
    envelope.messageId,
    envelope.type,
    topic,
    kind === 'processed' ? null : envelope.streamId,
    envelope.correlationId,
    kind === 'processed' ? null : envelope.causationId,
    envelope.sagaId ?? null,
    envelope.sagaStep ?? null,
    handling.service ?? null,
    handling.consumer ?? null,
    handling.outcome ?? null,
    handling.durationMs ?? null,
    handling.lagMs ?? null,
    envelope.occurredAt,
    JSON.stringify(handling.raw ?? envelope),
  ];
}
