import type {
  Flat,
  AccountToLink,
  BrokerAccountBalanceUpdated,
  BrokerAccountsClosed,
  BrokerAccountsDeleted,
  BrokerAccountsLinked,
  BrokerAccountsPurged,
  BrokerAccountsRestored,
  BrokerAccountsUnlinked,
  BrokerKind,
  Decimal,
  LinkedAccount,
  TradingMode,
} from '@tradecore/contracts';

export type AccountEvent =
  | Flat<BrokerAccountsLinked>
  | Flat<BrokerAccountsUnlinked>
  | Flat<BrokerAccountsDeleted>
  | Flat<BrokerAccountsRestored>
  | Flat<BrokerAccountsClosed>
  | Flat<BrokerAccountsPurged>
  | Flat<BrokerAccountBalanceUpdated>;

export interface ReportedBalance {
  readonly externalAccountId: string;
  readonly currency: string;
  readonly cash: Decimal;
  readonly buyingPower: Decimal;
  readonly equity: Decimal;
  readonly asOf: string;
}

export type AccountCommand =
  | {
      readonly type: 'LinkAccounts';
      readonly connectionId: string;
      readonly userId: string;
      readonly broker: BrokerKind;
      readonly mode: TradingMode;
      readonly accounts: readonly (AccountToLink & { readonly accountId: string })[];
      readonly at: string;
    }
  | { readonly type: 'UnlinkAccounts'; readonly accountIds?: readonly string[]; readonly at: string }
  | { readonly type: 'DeleteAccounts'; readonly accountIds?: readonly string[]; readonly at: string }
  | { readonly type: 'RestoreAccounts'; readonly accountIds: readonly string[]; readonly at: string }
  | { readonly type: 'CloseAccounts'; readonly accountIds: readonly string[]; readonly at: string }
  | { readonly type: 'PurgeAccounts'; readonly at: string }
  | { readonly type: 'RecordBalances'; readonly balances: readonly ReportedBalance[] };

export interface AccountRecord extends LinkedAccount {
  readonly status: 'ACTIVE' | 'DELETED' | 'CLOSED';
  readonly balanceAsOf?: string;
}

export type AccountsState =
  | { readonly status: 'ABSENT' }
  | {
      readonly status: 'LINKED' | 'PURGED';
      readonly connectionId: string;
      readonly userId: string;
      readonly accounts: readonly AccountRecord[];
    };

export type Present = Exclude<AccountsState, { status: 'ABSENT' }>;
