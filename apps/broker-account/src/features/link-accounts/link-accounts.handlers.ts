import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { LinkBrokerAccounts, UnlinkBrokerAccounts } from '@tradecore/contracts';
import { answerSagaCommand, EventStore, type SagaReplying } from '@tradecore/eventing';
import { AccountStream, accountIdOf } from '../../infrastructure/account-stream';

import { SagaCommandMessage } from '../saga-commands/saga-command';

// Each command's only write is one append, which its decider refuses before making.
const ONE_APPEND = { onlyWriteIsTheReplyingAppend: true };

export class LinkBrokerAccountsMessage extends SagaCommandMessage<LinkBrokerAccounts['payload']> {}
export class UnlinkBrokerAccountsMessage extends SagaCommandMessage<UnlinkBrokerAccounts['payload']> {}

@CommandHandler(LinkBrokerAccountsMessage)
export class LinkAccountsHandler implements ICommandHandler<LinkBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: LinkBrokerAccountsMessage): Promise<void> {
    const answer = async (reply: SagaReplying<'LinkBrokerAccounts'>) => {
      const { connectionId, userId, broker, mode } = payload;
      const accounts = payload.accounts.map((account) => ({
        ...account,
        accountId: accountIdOf(connectionId, account.externalAccountId),
      }));
      const result = { linkedAccountIds: accounts.map((account) => account.accountId) };
      await this.stream.execute(
        connectionId,
        { type: 'LinkAccounts', connectionId, userId, broker, mode, accounts, at: new Date().toISOString() },
        { tx: manager, outgoing: reply.alongside(result) },
      );
      return result;
    };
    await answerSagaCommand(this.store, envelope, manager, answer, ONE_APPEND);
  }
}

@CommandHandler(UnlinkBrokerAccountsMessage)
export class UnlinkAccountsHandler implements ICommandHandler<UnlinkBrokerAccountsMessage> {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(AccountStream) private readonly stream: AccountStream,
  ) {}

  async execute({ envelope, manager, payload }: UnlinkBrokerAccountsMessage): Promise<void> {
    const answer = async (reply: SagaReplying<'UnlinkBrokerAccounts'>) => {
      await this.stream.execute(
        payload.connectionId,
        { type: 'UnlinkAccounts', accountIds: payload.accountIds, at: new Date().toISOString() },
        { tx: manager, outgoing: reply.alongside({}) },
      );
      return {};
    };
    await answerSagaCommand(this.store, envelope, manager, answer, ONE_APPEND);
  }
}
