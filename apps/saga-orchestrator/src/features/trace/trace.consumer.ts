import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ContractMessage, topicNames, topicOfMessageType, topics } from '@tradecore/contracts';
import type { Envelope } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { TraceRecorder } from './trace-recorder';

/** The orchestrator's own commands are recorded as it sends them, so only what others publish is consumed here. */
const TRACED_TOPICS = topicNames.filter((topic) => topics[topic].kind !== 'commands');

/**
 * Every message in the system passes here: the batches of a fetch are recorded in one statement,
 * and a row is unique by the message it came from, so a redelivery adds nothing and the inbox
 * would only repeat that key.
 */
@ConsumesTopic(TRACED_TOPICS, { group: 'saga-orchestrator.trace', idempotent: true, maxBatchMessages: 500 })
export class TraceConsumer implements TopicConsumer {
  constructor(@Inject(TraceRecorder) private readonly recorder: TraceRecorder) {}

  handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    return this.handleBatch([envelope], manager);
  }

  handleBatch(envelopes: readonly Envelope[], manager: EntityManager): Promise<void> {
    return this.recorder.recordMessages(
      manager,
      envelopes.map((envelope) => ({ topic: topicOf(envelope.type), envelope })),
    );
  }
}

function topicOf(type: string): string {
  try {
    return topicOfMessageType(type as ContractMessage['type']);
  } catch {
    return 'unknown';
  }
}
