import { Inject } from '@nestjs/common';
import { UserAccountCommand, userAccountCommandTypes } from '@tradecore/contracts';
import { answerSagaCommand, Envelope, EventStore } from '@tradecore/eventing';
import { ConsumesTopic, TopicConsumer } from '@tradecore/eventing/nest';
import type { EntityManager } from 'typeorm';
import { CancelDeletionHandler } from '../cancel-deletion/cancel-deletion.handler';
import { DeleteUserHandler } from '../delete-user/delete-user.handler';

/** The UserDeletion saga's commands; each reply leaves in the same transaction as its effect. */
@ConsumesTopic('user-account.commands', {
  group: 'user-account.delete-user',
  knownTypes: userAccountCommandTypes,
})
export class UserAccountCommandsConsumer implements TopicConsumer {
  constructor(
    @Inject(DeleteUserHandler) private readonly deleteUser: DeleteUserHandler,
    @Inject(CancelDeletionHandler) private readonly cancelDeletion: CancelDeletionHandler,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  async handle(envelope: Envelope, manager: EntityManager): Promise<void> {
    const command = { type: envelope.type, payload: envelope.payload } as UserAccountCommand;
    switch (command.type) {
      case 'DeleteUser':
        return answerSagaCommand<'DeleteUser'>(this.store, envelope, manager, async () => {
          await this.deleteUser.execute(command.payload.userId, manager);
          return {};
        });
      case 'CancelUserDeletion':
        return answerSagaCommand<'CancelUserDeletion'>(this.store, envelope, manager, async () => {
          await this.cancelDeletion.execute(command.payload.userId, command.payload.reason, manager);
          return {};
        });
      default: {
        const unknown: never = command;
        return unknown;
      }
    }
  }
}
