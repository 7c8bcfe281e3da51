import { Inject } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Envelope } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import { SagaEngine } from '../../engine/saga-engine';
import { sagaDefinitions } from '../../sagas/saga-registry';

/** The event types that start a saga. */
export const SAGA_TRIGGERS = sagaDefinitions.flatMap((definition) => definition.trigger);

/** Every event on these topics passes by; the few that trigger a saga start (or queue) one. */
@ConsumesTopic(['broker-connection.events', 'user-account.events'], {
  group: 'saga-orchestrator.saga-triggers',
  handles: SAGA_TRIGGERS,
})
export class SagaTriggerConsumer implements TopicConsumer {
  constructor(@Inject(SagaEngine) private readonly engine: SagaEngine) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    await this.engine.startFromTrigger(envelope, manager);
  }
}
