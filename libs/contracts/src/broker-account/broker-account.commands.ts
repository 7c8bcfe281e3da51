import { BrokerKind, TradingMode } from '../broker-connection/broker-connection.events';
import { Message, typeNamesOf } from '../message';

export interface AccountToLink {
  readonly externalAccountId: string;
  readonly displayName: string;
  readonly currency: string;
  readonly virtualAccountId?: string;
}

/** Replies with `LinkBrokerAccountsResult`. Idempotent per (connectionId, externalAccountId). */
export type LinkBrokerAccounts = Message<
  'LinkBrokerAccounts',
  {
    connectionId: string;
    userId: string;
    broker: BrokerKind;
    mode: TradingMode;
    accounts: readonly AccountToLink[];
  }
>;

export interface LinkBrokerAccountsResult {
  readonly linkedAccountIds: readonly string[];
}

/** Compensates LinkBrokerAccounts and is a BrokerDisconnection step; `accountIds` omitted means all of the connection's. */
export type DeleteBrokerAccounts = Message<
  'DeleteBrokerAccounts',
  { connectionId: string; accountIds?: readonly string[] }
>;

export type RestoreBrokerAccounts = Message<
  'RestoreBrokerAccounts',
  { connectionId: string; accountIds: readonly string[] }
>;

export type BrokerAccountCommand = LinkBrokerAccounts | DeleteBrokerAccounts | RestoreBrokerAccounts;

export const brokerAccountCommandTypes = typeNamesOf<BrokerAccountCommand>({
  LinkBrokerAccounts: true,
  DeleteBrokerAccounts: true,
  RestoreBrokerAccounts: true,
});
