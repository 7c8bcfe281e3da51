import { Inject } from '@nestjs/common';
import type { DeleteUser } from '@tradecore/contracts';
import { userAccountCommandTypes } from '@tradecore/contracts';
import { answerSagaCommand, Envelope, EventStore } from '@tradecore/eventing';
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
    await answerSagaCommand<'DeleteUser'>(this.store, envelope, manager, async () => {
      await this.handler.execute(userId, manager);
      return {};
    });
  }
}
