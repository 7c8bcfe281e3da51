import type { KafkaMessage, Message, Producer } from 'kafkajs';
import type { EntityManager } from 'typeorm';
import { headersToStrings } from '../envelope/kafka-message';

/** Headers a DLQ message carries besides the original ones, so an operator sees origin and cause without the store. */
export const DLQ_HEADERS = {
  originalTopic: 'x-dlq-original-topic',
  originalPartition: 'x-dlq-original-partition',
  originalOffset: 'x-dlq-original-offset',
  consumerGroup: 'x-dlq-consumer-group',
  errorMessage: 'x-dlq-error-message',
  errorStack: 'x-dlq-error-stack',
  attempts: 'x-dlq-attempts',
  firstFailureAt: 'x-dlq-first-failure-at',
  replayCount: 'x-replay-count',
} as const;

const MAX_STACK_CHARS = 4000;

export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

/** PostgreSQL text cannot hold NUL, and a poison message (or its parse error) may carry one; the record must still be written. */
const storable = (text: string): string => text.replaceAll('\u0000', '\\u0000');

export interface DeadLetter {
  readonly topic: string;
  readonly partition: number;
  readonly message: KafkaMessage;
  readonly consumer: string;
  readonly messageId?: string;
  readonly error: unknown;
  readonly attempts: number;
  readonly firstFailureAt: Date;
}

/**
 * Sends the original value verbatim to `<topic>.dlq` and keeps a local record of it. The ledger of
 * record is the orchestrator's mirror of every `.dlq` topic (its ops API, dashboard and metrics):
 * an operator replays from there, and this record follows (`noteReplayed`) when the replay arrives.
 */
export async function deadLetter(
  producer: Producer,
  manager: EntityManager,
  table: string,
  letter: DeadLetter,
): Promise<void> {
  const { message } = letter;
  const error = letter.error instanceof Error ? letter.error : new Error(String(letter.error));
  const stack = (error.stack ?? '').slice(0, MAX_STACK_CHARS);
  const original = headersToStrings(message.headers);
  await producer.send({
    topic: dlqTopicOf(letter.topic),
    acks: -1,
    messages: [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...original,
          [DLQ_HEADERS.originalTopic]: letter.topic,
          [DLQ_HEADERS.originalPartition]: String(letter.partition),
          [DLQ_HEADERS.originalOffset]: message.offset,
          [DLQ_HEADERS.consumerGroup]: letter.consumer,
          [DLQ_HEADERS.errorMessage]: error.message,
          [DLQ_HEADERS.errorStack]: stack,
          [DLQ_HEADERS.attempts]: String(letter.attempts),
          [DLQ_HEADERS.firstFailureAt]: letter.firstFailureAt.toISOString(),
        },
      },
    ],
  });
  await manager.query(
    `INSERT INTO ${table} (topic, partition, "offset", consumer, message_id, key, error, stack, attempts, value_base64, headers, first_failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      letter.topic,
      letter.partition,
      message.offset,
      letter.consumer,
      letter.messageId === undefined ? null : storable(letter.messageId),
      message.key ? storable(message.key.toString()) : null,
      storable(error.message),
      storable(stack),
      letter.attempts,
      message.value?.toString('base64') ?? null,
      JSON.stringify(
        Object.fromEntries(
          Object.entries(original).map(([name, value]) => [storable(name), storable(value)]),
        ),
      ),
      letter.firstFailureAt,
    ],
  );
}

/**
 * The one replay path's message: a dead letter's key and value as they were, its original headers
 * without the `x-dlq-*` ones, and how often it was replayed, for its original topic.
 */
export function replayedMessage(
  letter: {
    readonly key: string | null;
    readonly value: string | null;
    readonly headers: Record<string, string>;
  },
  replayCount: number,
): Message {
  const original = Object.fromEntries(
    Object.entries(letter.headers).filter(([name]) => !name.startsWith('x-dlq-')),
  );
  return {
    key: letter.key,
    value: letter.value,
    headers: { ...original, [DLQ_HEADERS.replayCount]: String(replayCount) },
  };
}

/** How often a received message was replayed, 0 when it is not a replay. */
export function replayCountOf(message: Pick<KafkaMessage, 'headers'>): number {
  const count = Number(headersToStrings(message.headers)[DLQ_HEADERS.replayCount] ?? 0);
  return Number.isInteger(count) && count > 0 ? count : 0;
}

/** A replayed letter reached the consumer that dead-lettered it: its local record says so too. */
export async function noteReplayed(
  manager: EntityManager,
  table: string,
  consumer: string,
  messageId: string,
  replayCount: number,
): Promise<void> {
  await manager.query(
    `UPDATE ${table} SET replayed_at = COALESCE(replayed_at, now()), replay_count = GREATEST(replay_count, $3)
     WHERE consumer = $1 AND message_id = $2`,
    [consumer, storable(messageId), replayCount],
  );
}
