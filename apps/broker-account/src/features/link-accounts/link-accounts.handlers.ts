import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LinkBrokerAccounts, UnlinkBrokerAccounts } from '@tradecore/contracts';
import { answerSagaCommand, EventStore } from '@tradecore/eventing';
import { AccountStream, accountIdOf } from '../../infrastructure/account-stream';

import { SagaCommandMessage } from '../saga-commands/saga-command';

export class LinkBrokerAccountsMessage extends SagaCommandMessage<LinkBrokerAccounts['payload']> {}
export class UnlinkBrokerAccountsMessage extends SagaCommandMessage<UnlinkBrokerAccounts['payload']> {}

@CommandHandler(LinkBrokerAccountsMessage)
export class LinkAccountsHandler implements ICommandHandler<LinkBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: LinkBrokerAccountsMessage): Promise<void> {
    await answerSagaCommand<'LinkBrokerAccounts'>(this.store, envelope, manager, async () => {
      const { connectionId, userId, broker, mode } = payload;
      const accounts = payload.accounts.map((account) => ({
        ...account,
        accountId: accountIdOf(connectionId, account.externalAccountId),
      }));
      await this.stream.execute(
        connectionId,
        { type: 'LinkAccounts', connectionId, userId, broker, mode, accounts, at: new Date().toISOString() },
        manager,
      );
      return { linkedAccountIds: accounts.map((account) => account.accountId) };
    });
  }
}

@CommandHandler(UnlinkBrokerAccountsMessage)
export class UnlinkAccountsHandler implements ICommandHandler<UnlinkBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: UnlinkBrokerAccountsMessage): Promise<void> {
    await answerSagaCommand<'UnlinkBrokerAccounts'>(this.store, envelope, manager, async () => {
      await this.stream.execute(
        payload.connectionId,
        { type: 'UnlinkAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
        manager,
      );
      return {};
    });
  }
}
