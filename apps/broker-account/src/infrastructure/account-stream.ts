import type { FactoryProvider } from '@nestjs/common';
import { brokerAccountIdOf } from '@tradecore/contracts';
import { type CommandPath, commandPath, EventStore } from '@tradecore/eventing';
import {
  type AccountCommand,
  type AccountEvent,
  type AccountsState,
  brokerAccountDecider,
} from '../domain/broker-account.decider';
import { projectBrokerAccounts } from '../projections/broker-account.projection';

/** Derived, so linking the same broker account to the same connection twice yields the same id. */
export const accountIdOf = brokerAccountIdOf;

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
