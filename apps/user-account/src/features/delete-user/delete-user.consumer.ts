import { Inject } from '@nestjs/common';
import type { DeleteUser, SagaReply } from '@tradecore/contracts';
import { userAccountCommandTypes } from '@tradecore/contracts';
import { DomainError, Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { EntityManager } from 'typeorm';
import { DeleteUserHandler } from './delete-user.handler';

/** The UserDeletion saga's last step. The reply leaves in the same transaction as the erasure. */
@ConsumesTopic('user-account.commands', {
  group: 'user-account.delete-user',
  knownTypes: userAccountCommandTypes,
})
export class DeleteUserConsumer implements TopicConsumer {
  constructor(
    @Inject(DeleteUserHandler) private readonly handler: DeleteUserHandler,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const { userId } = envelope.payload as DeleteUser['payload'];
    const outcome = await this.handler.execute(userId, manager).then(
      () => ({ outcome: 'succeeded' as const, result: {} }),
      (error: unknown) => {
        if (!(error instanceof DomainError)) throw error;
        return { outcome: 'failed' as const, reason: { code: error.code, message: error.message } };
      },
    );
    const sagaId = envelope.sagaId ?? envelope.correlationId;
    const reply: SagaReply<'DeleteUser'>['payload'] = {
      sagaId,
      step: envelope.sagaStep ?? 'DeleteUser',
      commandType: 'DeleteUser',
      commandMessageId: envelope.messageId,
      ...outcome,
    };
    await this.store.send(
      [{ topic: 'saga.replies', key: sagaId, type: 'SagaReply', payload: reply }],
      manager,
    );
  }
}
