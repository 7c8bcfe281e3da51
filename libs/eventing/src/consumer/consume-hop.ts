import type { Envelope } from '../envelope/envelope';
import { contextOfEnvelope } from '../envelope/message-context';
import { type Hop, SpanKind } from '../observability/tracing';

/** Handling one consumed message: a consumer span continuing the trace its envelope carries. */
export function consumeHop(consumer: string, envelope: Envelope): Hop {
  return {
    name: `consume ${envelope.type}`,
    kind: SpanKind.CONSUMER,
    context: contextOfEnvelope(envelope),
    slow: 'handler',
    attributes: {
      'messaging.system': 'kafka',
      'messaging.consumer.group.name': consumer,
      'messaging.message.id': envelope.messageId,
      'tradecore.message_type': envelope.type,
      'tradecore.stream_id': envelope.streamId,
      'tradecore.correlation_id': envelope.correlationId,
    },
  };
}
