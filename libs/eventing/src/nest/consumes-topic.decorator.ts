import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RetryPolicy } from '../retry/backoff';
import type { Envelope } from '../envelope/envelope';

export interface ConsumesTopicOptions {
  /** Consumer group and inbox name; defaults to `<serviceName>.<ClassName>`. */
  readonly group?: string;
  /** Types this consumer accepts; anything else goes to the DLQ instead of being silently skipped. */
  readonly knownTypes?: readonly string[];
  /** The types this consumer acts on, when it ignores others of its topics: those skip the inbox transaction. */
  readonly handles?: readonly string[];
  /** Of those types, the messages it acts on, told from the message alone: the others skip the inbox too. */
  readonly handlesMessage?: (envelope: Envelope) => boolean;
  /** Overrides CONSUMER_MAX_ATTEMPTS / CONSUMER_RETRY_* for this consumer. */
  readonly retry?: Partial<RetryPolicy>;
  readonly fromBeginning?: boolean;
  /** Overrides CONSUMER_BATCH_MAX_MESSAGES; 1 for a handler whose outside effects must not repeat when a neighbour fails. */
  readonly maxBatchMessages?: number;
  /** The handler's writes are idempotent by a unique key of their own: no inbox row per message (see MessageConsumerOptions.idempotent). */
  readonly idempotent?: boolean;
  /**
   * Every process reads every message, in its own consumer group, starting at the class's
   * `replaySince()`: for state each replica keeps in memory. No inbox, retries or DLQ; see
   * InstanceTopicConsumer.
   */
  readonly everyInstance?: boolean;
}

export interface TopicConsumerMetadata extends ConsumesTopicOptions {
  readonly topics: readonly string[];
}

/**
 * What a `@ConsumesTopic` class implements: handle one message inside its inbox transaction.
 * A high-volume consumer may add `handleBatch` (see MessageConsumerOptions.handleBatch);
 * `handle` stays the path for retries and dead letters.
 */
export interface TopicConsumer {
  handle(envelope: Envelope, manager: EntityManager): Promise<void>;
  handleBatch?(envelopes: readonly Envelope[], manager: EntityManager): Promise<void>;
}

/** What a `@ConsumesTopic(..., { everyInstance: true })` class implements. */
export interface InstanceTopicConsumer {
  /** Must be idempotent (a restart replays) and must not throw for a message it cannot use. */
  handle(envelope: Envelope): Promise<void> | void;
  /** Milliseconds since the epoch: messages older than this no longer matter at start-up. */
  replaySince(): number;
}

export const CONSUMES_TOPIC = Symbol('CONSUMES_TOPIC');

/**
 * Marks a provider as a Kafka consumer; EventingModule finds it, runs it in its own consumer
 * group with inbox dedupe, retries and DLQ, and shows it in readiness. The class stays thin:
 * `handle` passes the message straight to a handler.
 */
export function ConsumesTopic(
  topics: string | readonly string[],
  options: ConsumesTopicOptions = {},
): ClassDecorator {
  const metadata: TopicConsumerMetadata = {
    ...options,
    topics: typeof topics === 'string' ? [topics] : topics,
  };
  return applyDecorators(SetMetadata(CONSUMES_TOPIC, metadata), Injectable());
}
