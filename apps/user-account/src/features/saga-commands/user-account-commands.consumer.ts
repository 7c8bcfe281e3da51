import { Inject } from '@nestjs/common';
import { topics } from '@tradecore/contracts';
import { CommandContext, EventStore, ParticipantOf, PayloadOf, SagaParticipant } from '@tradecore/eventing';
import { ConsumesTopic } from '@tradecore/eventing/nest';
import { CancelDeletionHandler } from '../cancel-deletion/cancel-deletion.handler';
import { DeleteUserHandler } from '../delete-user/delete-user.handler';

const TOPIC = 'user-account.commands';

/** The UserDeletion saga's commands; each reply leaves in the same transaction as its effect. */
@ConsumesTopic(TOPIC, { group: 'user-account.delete-user', knownTypes: topics[TOPIC].messageTypes })
export class UserAccountCommandsConsumer
  extends SagaParticipant<typeof TOPIC>
  implements ParticipantOf<typeof TOPIC>
{
  constructor(
    @Inject(EventStore) store: EventStore,
    @Inject(DeleteUserHandler) private readonly deleteUser: DeleteUserHandler,
    @Inject(CancelDeletionHandler) private readonly cancelDeletion: CancelDeletionHandler,
  ) {
    super(store);
  }

  async DeleteUser(payload: PayloadOf<typeof TOPIC, 'DeleteUser'>, { tx }: CommandContext) {
    await this.deleteUser.execute(payload.userId, tx);
    return {};
  }

  async CancelUserDeletion(payload: PayloadOf<typeof TOPIC, 'CancelUserDeletion'>, { tx }: CommandContext) {
    await this.cancelDeletion.execute(payload.userId, payload.reason, tx);
    return {};
  }
}
