import type { EntityManager } from 'typeorm';
import {
  type ContractMessage,
  type MessageProcessed,
  type ProcessedRecord,
  topicOfMessageType,
} from '@tradecore/contracts';
import { isMessageOfType, type Envelope } from '@tradecore/eventing';
import type { TraceKind } from '../../persistence/trace-entry.entity';
import { insertTraceRows, type TraceRow } from '../../persistence/trace-rows';

const commandTopicOf = (type: string) => topicOfMessageType(type as ContractMessage['type']);

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
      JSON.stringify(messages.flatMap(({ topic, envelope }) => rowsOf(topic, envelope))),
    ]);
  }
}

/** A telemetry record becomes the hop it describes; any other message is a hop of its own. */
function rowsOf(topic: string, envelope: Envelope): TraceRow[] {
  if (isMessageOfType(envelope, 'MessagesProcessed'))
    return envelope.payload.records.map((record) => processedRow(recordEnvelope(envelope, record)));
  if (isMessageOfType(envelope, 'MessageProcessed')) return [processedRow(envelope)];
  return [rowOf(topic, envelope)];
}

function processedRow(envelope: Envelope<MessageProcessed['payload'], 'MessageProcessed'>): TraceRow {
  const record = envelope.payload;
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

/** A record of a MessagesProcessed as the MessageProcessed it stands for, as a service sends one alone. */
function recordEnvelope(
  batch: Envelope,
  { recordId, traceparent, ...record }: ProcessedRecord,
): Envelope<MessageProcessed['payload'], 'MessageProcessed'> {
  return {
    messageId: recordId,
    type: 'MessageProcessed',
    schemaVersion: 1,
    streamId: record.messageId,
    streamVersion: 0,
    occurredAt: batch.occurredAt,
    correlationId: record.correlationId,
    causationId: record.messageId,
    ...(record.sagaId !== undefined && { sagaId: record.sagaId }),
    ...(traceparent !== undefined && { traceparent }),
    payload: record,
  };
}

function rowOf(topic: string, envelope: Envelope): TraceRow {
  if (isMessageOfType(envelope, 'HttpRequestHandled')) {
    const request = envelope.payload;
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
  const source = handling.raw ?? envelope;
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
    envelope: source,
    source_id: source.messageId,
  };
}
