import type { FactoryProvider } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import {
  type AccountCommand,
  type AccountEvent,
  type AccountsState,
  brokerAccountDecider,
} from '../domain/broker-account.decider';
import { projectBrokerAccounts } from '../projections/broker-account.projection';

const ACCOUNT_ID_NAMESPACE = '0d0f6a4e-7b0c-4c0e-9a55-8b1f2f3c4d5e';

/** Derived, so linking the same broker account to the same connection twice yields the same id. */
export const accountIdOf = (connectionId: string, externalAccountId: string): string =>
  uuidv5(`${connectionId}/${externalAccountId}`, ACCOUNT_ID_NAMESPACE);

/** A connection's accounts are one stream, published on broker-account.events, projected inline. */
export type AccountStream = CommandPath<AccountCommand, AccountEvent, AccountsState>;
export const AccountStream = Symbol('AccountStream');

export const accountStreamProvider: FactoryProvider<AccountStream> = {
  provide: AccountStream,
  inject: [EventStore],
  useFactory: (store: EventStore) =>
    commandPath(store, {
      decider: brokerAccountDecider,
      streamType: 'BrokerAccounts',
      topic: 'broker-account.events',
      projectors: [projectBrokerAccounts],
    }),
};
