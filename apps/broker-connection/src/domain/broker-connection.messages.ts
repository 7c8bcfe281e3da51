import type {
  Flat,
  BrokerAccountBalancesReported,
  BrokerAccountsChanged,
  BrokerConnected,
  BrokerConnectionFailed,
  BrokerConnectionPurgeBegun,
  BrokerConnectionPurged,
  BrokerConnectionRequested,
  BrokerConnectionRestored,
  BrokerDisconnected,
  BrokerDisconnectRequested,
  BrokerKind,
  BrokerReconnected,
  DiscoveredAccount,
  Reason,
  ReportedAccountBalance,
  TradingMode,
} from '@tradecore/contracts';

import type { UpkeepCommand, UpkeepEvent } from './connection-upkeep.messages';

export const CONNECTION_STATUSES = [
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'DEGRADED',
  'OFFLINE',
  'NEEDS_REAUTH',
  'DISCONNECTING',
  'DISCONNECTED',
  'PURGED',
  'FAILED',
] as const;

export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** Internal: not published, the saga learns the accounts from the reply. */
export interface BrokerCredentialsVerified {
  readonly type: 'BrokerCredentialsVerified';
  readonly connectionId: string;
  readonly accountCount: number;
  readonly verifiedAt: string;
}

export type ConnectionEvent =
  | Flat<BrokerConnectionRequested>
  | BrokerCredentialsVerified
  | Flat<BrokerConnected>
  | Flat<BrokerConnectionFailed>
  | Flat<BrokerDisconnectRequested>
  | Flat<BrokerDisconnected>
  | Flat<BrokerReconnected>
  | Flat<BrokerConnectionPurgeBegun>
  | Flat<BrokerConnectionRestored>
  | Flat<BrokerAccountBalancesReported>
  | Flat<BrokerAccountsChanged>
  | Flat<BrokerConnectionPurged>
  | UpkeepEvent;

export type ConnectionCommand =
  | {
      readonly type: 'RequestConnection';
      readonly connectionId: string;
      readonly userId: string;
      readonly broker: BrokerKind;
      readonly mode: TradingMode;
      readonly at: string;
    }
  | { readonly type: 'RecordCredentialsVerified'; readonly accountCount: number; readonly at: string }
  | {
      readonly type: 'MarkConnected';
      readonly linkedAccountIds: readonly string[];
      readonly virtualAccountIds: readonly string[];
      readonly at: string;
    }
  | { readonly type: 'MarkFailed'; readonly reason: Reason; readonly at: string }
  | {
      readonly type: 'RequestDisconnect';
      readonly disconnectionId: string;
      readonly cause: 'user' | 'user-deletion';
      readonly parentSagaId?: string;
      readonly at: string;
    }
  | {
      readonly type: 'RecordBrokerDisconnect';
      readonly disconnectionId: string;
      readonly reason: Reason;
      readonly at: string;
    }
  | {
      readonly type: 'ReportBalances';
      readonly balances: readonly ReportedAccountBalance[];
      readonly at: string;
    }
  | {
      /** Every account the broker lists now, each with the id broker-account gives it. */
      readonly type: 'RecordListedAccounts';
      readonly accounts: readonly (DiscoveredAccount & { readonly accountId: string })[];
      readonly at: string;
    }
  | { readonly type: 'Reconnect'; readonly at: string }
  | { readonly type: 'BeginPurge'; readonly disconnectionId: string; readonly at: string }
  | { readonly type: 'RestoreConnection'; readonly disconnectionId: string; readonly at: string }
  | { readonly type: 'Purge'; readonly disconnectionId: string; readonly at: string }
  | UpkeepCommand;

export type ConnectionState =
  | { readonly status: 'ABSENT' }
  | {
      readonly status: ConnectionStatus;
      readonly connectionId: string;
      readonly userId: string;
      readonly broker: BrokerKind;
      readonly mode: TradingMode;
      readonly linkedAccountIds: readonly string[];
      readonly virtualAccountIds: readonly string[];
      readonly disconnectionId?: string;
      /** Where RestoreConnection returns to. */
      readonly statusBeforeDisconnect?: 'CONNECTED' | 'FAILED';
      readonly failure?: Reason;
      /** Why the connection is DEGRADED, OFFLINE or NEEDS_REAUTH: what the user can act on. */
      readonly reason?: Reason;
    };

export type Present = Exclude<ConnectionState, { status: 'ABSENT' }>;
