import type { EntityManager } from 'typeorm';
import { ContractMessage, MessageProcessed, topicOfMessageType } from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';

const commandTopicOf = (type: string) => topicOfMessageType(type as ContractMessage['type']);

/** Writes the compact rows the event-flow trace is assembled from. */
export class TraceRecorder {
  constructor(private readonly schema: string) {}

  async recordCommands(manager: EntityManager, envelopes: readonly Envelope[]): Promise<void> {
    for (const envelope of envelopes)
      await this.insert(manager, 'command', commandTopicOf(envelope.type), envelope, {});
  }

  async recordMessage(manager: EntityManager, topic: string, envelope: Envelope): Promise<void> {
    if (envelope.type === 'MessageProcessed') {
      const record = envelope.payload as MessageProcessed['payload'];
      await this.insert(
        manager,
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
      return;
    }
    await this.insert(manager, 'message', topic, envelope, {});
  }

  private async insert(
    manager: EntityManager,
    kind: string,
    topic: string,
    envelope: Envelope,
    handling: {
      raw?: Envelope;
      service?: string;
      consumer?: string;
      outcome?: string;
      durationMs?: number;
      lagMs?: number;
    },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO "${this.schema}".trace_entry (kind, message_id, type, topic, stream_id, correlation_id, causation_id,
         saga_id, saga_step, service, consumer, outcome, duration_ms, lag_ms, occurred_at, envelope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
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
      ],
    );
  }
}
