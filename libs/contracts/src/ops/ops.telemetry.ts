import { type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

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

/** One MessageProcessed inside a MessagesProcessed, with the id and trace it would carry as a message of its own. */
export type ProcessedRecord = MessageProcessed['payload'] & {
  readonly recordId: string;
  readonly traceparent?: string;
};

/**
 * The MessageProcessed records a service's consumers reported within one telemetry flush (a few
 * milliseconds), as one message: what they cost is per Kafka message, to send and to trace.
 */
export type MessagesProcessed = Message<'MessagesProcessed', { records: readonly ProcessedRecord[] }>;

/** A service's account of an HTTP request it answered, so a trace starts where the flow did. */
export type HttpRequestHandled = Message<
  'HttpRequestHandled',
  {
    service: string;
    method: string;
    /** The path the service saw, without the query string. */
    path: string;
    status: number;
    durationMs: number;
    correlationId: string;
    /** When the request arrived. */
    at: Timestamp;
  }
>;

export type OpsTelemetryRecord = MessageProcessed | MessagesProcessed | HttpRequestHandled;

export const opsTelemetryTypes = typeNamesOf<OpsTelemetryRecord>({
  MessageProcessed: true,
  MessagesProcessed: true,
  HttpRequestHandled: true,
});
