import { type Kafka, Partitioners, type Producer, type RetryOptions } from 'kafkajs';

/**
 * The producers TradeCore uses, made in one place so each gets the same partitioner (keys land
 * on the partitions the Java client would choose) and the same guarantees.
 *
 * Idempotent: the broker drops the duplicates kafkajs' own retries would write, and one request
 * in flight keeps a key's messages in order. Retries stay bounded so an outage reaches the caller
 * (relay, consumer) to back off; that an application-level resend after exhausted retries can
 * duplicate is accepted because every consumer de-duplicates by message id in its inbox.
 */
export function idempotentProducer(kafka: Kafka, retry?: RetryOptions): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    ...(retry && { retry }),
  });
}

/** For best-effort side channels (telemetry): no ordering or de-duplication promised. */
export function plainProducer(kafka: Kafka): Producer {
  return kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

/** kafkajs warns about every idempotent producer with bounded retries; `idempotentProducer` says why that is fine. */
export const ACCEPTED_KAFKAJS_WARNINGS: readonly string[] = [
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
];
