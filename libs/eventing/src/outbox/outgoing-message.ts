import type { Envelope, MessageMetadata } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { metadataFromContext, newMessageId } from '../envelope/message-context';

/**
 * A message that is not an event of a stream — a saga command, a reply — sent through the
 * outbox so it leaves the service only if the transaction that decided it commits.
 */
export interface OutgoingMessage {
  readonly topic: string;
  /** The Kafka key: the target aggregate's id for a command, the saga id for a reply. */
  readonly key: string;
  readonly type: string;
  readonly schemaVersion?: number;
  readonly payload: unknown;
  /** Overrides what is inherited from the message or request being handled (e.g. a new sagaStep). */
  readonly metadata?: Partial<MessageMetadata>;
}

export function envelopeOfMessage(message: OutgoingMessage): Envelope {
  const metadata = { ...metadataFromContext(), ...message.metadata };
  const defined = Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
  return {
    messageId: newMessageId(),
    type: message.type,
    schemaVersion: message.schemaVersion ?? 1,
    streamId: message.key,
    streamVersion: 0,
    occurredAt: new Date().toISOString(),
    ...(defined as MessageMetadata),
    payload: message.payload,
  };
}

/** A message as an outbox row holds it: the Kafka record's value and headers, already serialised. */
export interface OutboxRecord {
  readonly topic: string;
  readonly key: string;
  readonly envelope: string;
  readonly headers: string;
}

/** The outbox row of a message, for a service that writes its outbox rows in a statement of its own. */
export function outboxRecordOf(topic: string, envelope: Envelope): OutboxRecord {
  const { value, headers } = toKafkaRecord(envelope);
  return { topic, key: envelope.streamId, envelope: value, headers: JSON.stringify(headers) };
}
