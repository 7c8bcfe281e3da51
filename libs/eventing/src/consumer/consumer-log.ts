import type { KafkaMessage } from 'kafkajs';
import type { Envelope } from '../envelope/envelope';
import { headersToStrings } from '../envelope/kafka-message';
import { contextOfEnvelope, type MessageContext, runInMessageContext } from '../envelope/message-context';
import { operationsLog } from '../observability/operations-log';

// A consumer's own lines: written in the context of the message they are about, so they carry its ids.

export function logRetry(
  consumer: string,
  topic: string,
  envelope: Envelope,
  attempt: number,
  error: unknown,
  delayMs: number,
): void {
  const log = operationsLog();
  if (!log) return;
  runInMessageContext(contextOfEnvelope(envelope), () =>
    log.warn(
      { consumer, topic, attempt, retryInMs: Math.round(delayMs), error: messageOf(error) },
      `${consumer} failed to handle ${envelope.type} (attempt ${attempt}), retrying`,
    ),
  );
}

export function logDeadLetter(
  consumer: string,
  topic: string,
  message: KafkaMessage,
  attempts: number,
  error: unknown,
): void {
  const log = operationsLog();
  if (!log) return;
  runInMessageContext(contextOfHeaders(message), () =>
    log.warn(
      { consumer, topic, attempts, offset: message.offset, error: messageOf(error) },
      `${consumer} dead-lettered a message of ${topic} to ${topic}.dlq after ${attempts} attempts`,
    ),
  );
}

/** A dead letter may not parse, but its Kafka headers still name what it was. */
function contextOfHeaders(message: KafkaMessage): MessageContext {
  const headers = headersToStrings(message.headers);
  return {
    correlationId: headers.correlationId ?? 'unknown',
    messageId: headers.messageId ?? null,
    causationId: headers.causationId,
    streamId: headers.streamId,
    messageType: headers.type,
    sagaId: headers.sagaId,
    sagaStep: headers.sagaStep,
    traceparent: headers.traceparent,
  };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
