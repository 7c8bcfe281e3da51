import { Message, Reason, Timestamp, typeNamesOf } from '../message';

export type ProcessingOutcome = 'handled' | 'duplicate' | 'retried' | 'dead-lettered' | 'projected';

/** One service's account of what it did with one message, for the orchestrator's event-flow trace. */
export type MessageProcessed = Message<
  'MessageProcessed',
  {
    service: string;
    consumer: string;
    topic: string;
    partition: number;
    offset: string;
    messageId: string;
    messageType: string;
    correlationId: string;
    sagaId?: string;
    outcome: ProcessingOutcome;
    attempt: number;
    durationMs: number;
    /** From the message's `occurredAt` to the start of handling. */
    lagMs: number;
    error?: Reason;
    at: Timestamp;
  }
>;

export type OpsTelemetryRecord = MessageProcessed;

export const opsTelemetryTypes = typeNamesOf<OpsTelemetryRecord>({ MessageProcessed: true });
