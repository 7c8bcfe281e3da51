import { type BrokerKind, type TradingMode } from '../broker-connection/broker-connection.events';
import { type Decimal, type Message, type Timestamp, typeNamesOf } from '../message';

export interface LinkedAccount {
  readonly accountId: string;
  readonly externalAccountId: string;
  readonly displayName: string;
  readonly currency: string;
  readonly accountType?: string;
  /** Set when the account lives on the virtual broker. */
  readonly virtualAccountId?: string;
}

export type BrokerAccountsLinked = Message<
  'BrokerAccountsLinked',
  {
    connectionId: string;
    userId: string;
    broker: BrokerKind;
    mode: TradingMode;
    accounts: readonly LinkedAccount[];
    linkedAt: Timestamp;
  }
>;

/** A link was compensated: the accounts are gone, not restorable. */
export type BrokerAccountsUnlinked = Message<
  'BrokerAccountsUnlinked',
  { connectionId: string; userId: string; accountIds: readonly string[]; unlinkedAt: Timestamp }
>;

/** Soft delete: the accounts are hidden and can be restored until the connection is purged. */
export type BrokerAccountsDeleted = Message<
  'BrokerAccountsDeleted',
  { connectionId: string; userId: string; accountIds: readonly string[]; deletedAt: Timestamp }
>;

export type BrokerAccountsRestored = Message<
  'BrokerAccountsRestored',
  { connectionId: string; userId: string; accountIds: readonly string[]; restoredAt: Timestamp }
>;

/** The broker no longer lists these accounts: they stay visible, marked CLOSED, until listed again. */
export type BrokerAccountsClosed = Message<
  'BrokerAccountsClosed',
  { connectionId: string; userId: string; accountIds: readonly string[]; closedAt: Timestamp }
>;

/** The connection was purged: its accounts, balances and equity history are erased. */
export type BrokerAccountsPurged = Message<
  'BrokerAccountsPurged',
  { connectionId: string; userId: string; accountIds: readonly string[]; purgedAt: Timestamp }
>;

export type BrokerAccountBalanceUpdated = Message<
  'BrokerAccountBalanceUpdated',
  {
    accountId: string;
    connectionId: string;
    userId: string;
    currency: string;
    cash: Decimal;
    buyingPower: Decimal;
    equity: Decimal;
    asOf: Timestamp;
  }
>;

/** The status each of these events leaves its accounts in, for every read model of them. */
export const accountStatusAfter = {
  BrokerAccountsDeleted: 'DELETED',
  BrokerAccountsRestored: 'ACTIVE',
  BrokerAccountsClosed: 'CLOSED',
} as const;

export type BrokerAccountEvent =
  | BrokerAccountsLinked
  | BrokerAccountsUnlinked
  | BrokerAccountsDeleted
  | BrokerAccountsRestored
  | BrokerAccountsClosed
  | BrokerAccountsPurged
  | BrokerAccountBalanceUpdated;

export const brokerAccountEventTypes = typeNamesOf<BrokerAccountEvent>({
  BrokerAccountsLinked: true,
  BrokerAccountsUnlinked: true,
  BrokerAccountsDeleted: true,
  BrokerAccountsRestored: true,
  BrokerAccountsClosed: true,
  BrokerAccountsPurged: true,
  BrokerAccountBalanceUpdated: true,
});
