import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { sagaReplyTypes } from '@tradecore/contracts';
import type { Received } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { SagaEngine } from '../../engine/saga-engine';

@ConsumesTopic('saga.replies', { group: 'saga-orchestrator.saga-replies', knownTypes: sagaReplyTypes })
export class SagaReplyConsumer implements TopicConsumer {
  constructor(@Inject(SagaEngine) private readonly engine: SagaEngine) {}

  async handle(envelope: Received<'saga.replies'>, manager: EntityManager): Promise<void> {
    await this.engine.handleReply(envelope, manager);
  }
}
