import type { ProcessedRecord } from '@tradecore/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { plainProducer } from '../topics/producers';
import { v7 as uuidv7 } from 'uuid';
import { type Envelope, isMessageOfType } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';

export type TelemetryOutcome = 'handled' | 'duplicate' | 'retried' | 'dead-lettered';

export interface ConsumerTelemetryOptions {
  /** The service named in each record, e.g. `broker-account`. */
  readonly service: string;
  /** Defaults to `ops.telemetry`. */
  readonly topic?: string;
}

export interface TelemetryFacts {
  readonly consumer: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly outcome: TelemetryOutcome;
  readonly attempt: number;
  readonly durationMs: number;
  readonly startedAt: number;
  readonly error?: unknown;
}

export const DEFAULT_TELEMETRY_TOPIC = 'ops.telemetry';

/** The `MessageProcessed` record (libs/contracts ops.telemetry) for one outcome of one consumed message. */
export function telemetryEnvelope(service: string, consumed: Envelope, facts: TelemetryFacts): Envelope {
  const occurred = Date.parse(consumed.occurredAt);
  const error = facts.error === undefined ? undefined : reasonOf(facts.error);
  return {
    messageId: uuidv7(),
    type: 'MessageProcessed',
    schemaVersion: 1,
    streamId: consumed.messageId,
    streamVersion: 0,
    occurredAt: new Date().toISOString(),
    correlationId: consumed.correlationId,
    causationId: consumed.messageId,
    ...(consumed.sagaId !== undefined && { sagaId: consumed.sagaId }),
    // The record is part of the flow it reports: the ops trace finds the trace id on it too.
    ...(consumed.traceparent !== undefined && { traceparent: consumed.traceparent }),
    payload: {
      service,
      consumer: facts.consumer,
      topic: facts.topic,
      partition: facts.partition,
      offset: facts.offset,
      messageId: consumed.messageId,
      messageType: consumed.type,
      correlationId: consumed.correlationId,
      ...(consumed.sagaId !== undefined && { sagaId: consumed.sagaId }),
      outcome: facts.outcome,
      attempt: facts.attempt,
      durationMs: Math.max(0, facts.durationMs),
      lagMs: Number.isNaN(occurred) ? 0 : Math.max(0, facts.startedAt - occurred),
      ...(error && { error }),
      at: new Date(facts.startedAt).toISOString(),
    },
  };
}

function reasonOf(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : error.name, message: error.message.slice(0, 500) };
  }
  return { code: 'UNKNOWN', message: String(error).slice(0, 500) };
}

/**
 * Best effort: records are queued for a few milliseconds and sent together without being
 * awaited, and a failure to send them is only counted, so telemetry can neither slow down nor
 * fail the handling it describes, and costs one produce request per burst rather than per record.
 * The MessageProcessed records of one burst travel as MessagesProcessed messages of up to 100.
 */
export function publishTelemetry(producer: Producer | undefined, topic: string, envelope: Envelope): void {
  if (!producer) return;
  let queue = queued.get(producer);
  if (!queue) {
    queue = [];
    queued.set(producer, queue);
    setTimeout(() => flush(producer), LINGER_MS);
  }
  queue.push({ topic, envelope });
}

function flush(producer: Producer): void {
  const queue = queued.get(producer) ?? [];
  queued.delete(producer);
  if (queue.length === 0) return;
  const byTopic = new Map<string, Envelope[]>();
  for (const { topic, envelope } of queue) {
    const envelopes = byTopic.get(topic);
    if (envelopes) envelopes.push(envelope);
    else byTopic.set(topic, [envelope]);
  }
  const topicMessages = [...byTopic].map(([topic, envelopes]) => ({
    topic,
    messages: folded(envelopes).map((envelope): Message => {
      const { key, value, headers } = toKafkaRecord(envelope);
      return { key, value, headers };
    }),
  }));
  const sending: Promise<unknown> = producer.sendBatch({ topicMessages }).catch(() => undefined);
  const pending = inFlight.get(producer) ?? new Set<Promise<unknown>>();
  inFlight.set(producer, pending);
  pending.add(sending);
  void sending.finally(() => pending.delete(sending));
}

/** Two or more MessageProcessed records go as MessagesProcessed; anything else as it is. */
function folded(envelopes: readonly Envelope[]): Envelope[] {
  const others: Envelope[] = [];
  const records: ProcessedRecord[] = [];
  for (const envelope of envelopes) {
    if (!isMessageOfType(envelope, 'MessageProcessed')) others.push(envelope);
    else
      records.push({
        ...envelope.payload,
        recordId: envelope.messageId,
        ...(envelope.traceparent !== undefined && { traceparent: envelope.traceparent }),
      });
  }
  if (records.length < 2) return [...envelopes];
  for (let from = 0; from < records.length; from += RECORDS_PER_MESSAGE)
    others.push(processedBatch(records.slice(from, from + RECORDS_PER_MESSAGE)));
  return others;
}

function processedBatch(records: readonly ProcessedRecord[]): Envelope {
  const messageId = uuidv7();
  return {
    messageId,
    type: 'MessagesProcessed',
    schemaVersion: 1,
    streamId: messageId,
    streamVersion: 0,
    occurredAt: new Date().toISOString(),
    // Records of many flows: the message belongs to none of them.
    correlationId: messageId,
    causationId: null,
    payload: { records },
  };
}

const LINGER_MS = 5;
const RECORDS_PER_MESSAGE = 100;
const queued = new WeakMap<Producer, { topic: string; envelope: Envelope }[]>();
// Sends still in flight when a service stops are waited for (briefly), so none outlives its producer.
const inFlight = new WeakMap<Producer, Set<Promise<unknown>>>();
const SHUTDOWN_GRACE_MS = 2000;

interface SharedProducer {
  readonly producer: Producer;
  readonly connected: Promise<void>;
  users: number;
}

const sharedProducers = new WeakMap<Kafka, SharedProducer>();

/** One plain (non-idempotent) producer per Kafka client, shared by its consumers' telemetry. */
export async function acquireTelemetryProducer(kafka: Kafka): Promise<Producer> {
  let shared = sharedProducers.get(kafka);
  if (!shared) {
    const producer = plainProducer(kafka);
    shared = { producer, connected: producer.connect(), users: 0 };
    sharedProducers.set(kafka, shared);
  }
  shared.users += 1;
  await shared.connected;
  return shared.producer;
}

export async function releaseTelemetryProducer(kafka: Kafka): Promise<void> {
  const shared = sharedProducers.get(kafka);
  if (!shared) return;
  shared.users -= 1;
  if (shared.users > 0) return;
  sharedProducers.delete(kafka);
  flush(shared.producer);
  const pending = [...(inFlight.get(shared.producer) ?? [])];
  await Promise.race([
    Promise.all(pending),
    new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
  ]);
  await shared.producer.disconnect();
}
