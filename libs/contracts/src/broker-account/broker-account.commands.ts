import { type DiscoveredAccount } from '../broker-connection/broker-connection.events';
import { type BrokerKind, type TradingMode } from '../broker-connection/broker-connection.events';
import { commandKeyFieldsOf, type Message, typeNamesOf } from '../message';

/*
 * Every command here answers on `saga.replies` with success (`LinkBrokerAccountsResult` for
 * LinkBrokerAccounts, `{}` otherwise) or a failure with a BrokerAccountFailureCode. All are
 * idempotent, so a saga may resend any of them.
 */

export type BrokerAccountFailureCode =
  /** LinkBrokerAccounts without accounts. */
  | 'NO_ACCOUNTS_TO_LINK'
  /** The connection's accounts belong to another user. */
  | 'BROKER_ACCOUNT_OWNER_MISMATCH'
  /** An `accountIds` entry is not an account of this connection. */
  | 'BROKER_ACCOUNT_NOT_FOUND'
  /** The connection was purged; its accounts are gone for good. */
  | 'BROKER_ACCOUNTS_PURGED';

/**
 * A discovered account as VerifyBrokerCredentials reported it, plus the virtual account id
 * for the virtual broker. Its `balance` (or `startingCash`) becomes the first equity point.
 */
export interface AccountToLink extends DiscoveredAccount {
  readonly virtualAccountId?: string;
}

/**
 * BrokerConnection step after discovery (and provisioning, for the virtual broker). Replies
 * with `LinkBrokerAccountsResult`, the ids of all the connection's accounts in the order
 * given. Idempotent per (connectionId, externalAccountId): the account id is derived from both.
 */
export type LinkBrokerAccounts = Message<
  'LinkBrokerAccounts',
  {
    connectionId: string;
    userId: string;
    broker: BrokerKind;
    mode: TradingMode;
    /** Their account numbers, names and balances are sealed for broker-account (personal-data.ts). */
    accounts: readonly AccountToLink[];
    /** automation's public key for the user: the balances broker-account publishes are sealed for it. */
    automationKey?: string;
  }
>;

export interface LinkBrokerAccountsResult {
  readonly linkedAccountIds: readonly string[];
}

/** Compensates LinkBrokerAccounts: the accounts disappear for good, as if never linked. `accountIds` omitted means all. */
export type UnlinkBrokerAccounts = Message<
  'UnlinkBrokerAccounts',
  { connectionId: string; accountIds?: readonly string[] }
>;

/** BrokerDisconnection step, a soft delete undone by RestoreBrokerAccounts; `accountIds` omitted means all of the connection's. */
export type DeleteBrokerAccounts = Message<
  'DeleteBrokerAccounts',
  { connectionId: string; accountIds?: readonly string[] }
>;

/** Compensates DeleteBrokerAccounts. */
export type RestoreBrokerAccounts = Message<
  'RestoreBrokerAccounts',
  { connectionId: string; accountIds: readonly string[] }
>;

/**
 * BrokerConnection step: broker-account's public key for the user (IssueDataKeyResult), which
 * broker-connection seals the accounts and balances it reports for. Never fails.
 */
export type IssueBrokerAccountDataKey = Message<'IssueBrokerAccountDataKey', { userId: string }>;

export type BrokerAccountCommand =
  | LinkBrokerAccounts
  | UnlinkBrokerAccounts
  | DeleteBrokerAccounts
  | RestoreBrokerAccounts
  | IssueBrokerAccountDataKey;

export const brokerAccountCommandKeyFields = commandKeyFieldsOf<BrokerAccountCommand>({
  LinkBrokerAccounts: 'connectionId',
  UnlinkBrokerAccounts: 'connectionId',
  DeleteBrokerAccounts: 'connectionId',
  RestoreBrokerAccounts: 'connectionId',
  IssueBrokerAccountDataKey: 'userId',
});

export const brokerAccountCommandTypes = typeNamesOf<BrokerAccountCommand>(brokerAccountCommandKeyFields);
