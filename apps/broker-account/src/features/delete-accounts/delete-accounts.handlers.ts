import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { DeleteBrokerAccounts, RestoreBrokerAccounts } from '@tradecore/contracts';
import { answerSagaCommand, EventStore } from '@tradecore/eventing';
import { AccountStream } from '../../infrastructure/account-stream';

import { SagaCommandMessage } from '../saga-commands/saga-command';

export class DeleteBrokerAccountsMessage extends SagaCommandMessage<DeleteBrokerAccounts['payload']> {}
export class RestoreBrokerAccountsMessage extends SagaCommandMessage<RestoreBrokerAccounts['payload']> {}

@CommandHandler(DeleteBrokerAccountsMessage)
export class DeleteAccountsHandler implements ICommandHandler<DeleteBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: DeleteBrokerAccountsMessage): Promise<void> {
    await answerSagaCommand<'DeleteBrokerAccounts'>(this.store, envelope, manager, async () => {
      await this.stream.execute(
        payload.connectionId,
        { type: 'DeleteAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
        { tx: manager },
      );
      return {};
    });
  }
}

@CommandHandler(RestoreBrokerAccountsMessage)
export class RestoreAccountsHandler implements ICommandHandler<RestoreBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: RestoreBrokerAccountsMessage): Promise<void> {
    await answerSagaCommand<'RestoreBrokerAccounts'>(this.store, envelope, manager, async () => {
      await this.stream.execute(
        payload.connectionId,
        { type: 'RestoreAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
        { tx: manager },
      );
      return {};
    });
  }
}
