import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { AppendOptions, CommandResult, EventStore, handleCommand } from '@tradecore/eventing';
import {
  AccountCommand,
  AccountEvent,
  AccountsState,
  brokerAccountDecider,
} from '../domain/broker-account.decider';
import { projectBrokerAccounts } from '../projections/broker-account.projection';

const ACCOUNT_ID_NAMESPACE = '0d0f6a4e-7b0c-4c0e-9a55-8b1f2f3c4d5e';

/** Derived, so linking the same broker account to the same connection twice yields the same id. */
export const accountIdOf = (connectionId: string, externalAccountId: string): string =>
  uuidv5(`${connectionId}/${externalAccountId}`, ACCOUNT_ID_NAMESPACE);

/** The one write path: a connection's accounts are one stream, published on broker-account.events, projected inline. */
@Injectable()
export class AccountStream {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  execute(
    connectionId: string,
    command: AccountCommand,
    manager: EntityManager,
    outgoing?: AppendOptions['outgoing'],
  ): Promise<CommandResult<AccountEvent, AccountsState>> {
    return handleCommand({
      store: this.store,
      decider: brokerAccountDecider,
      streamId: connectionId,
      streamType: 'BrokerAccounts',
      command,
      topic: 'broker-account.events',
      inlineProjectors: [projectBrokerAccounts],
      manager,
      outgoing,
    });
  }
}
