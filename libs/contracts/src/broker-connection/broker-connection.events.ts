import { type Decimal, type Message, type Reason, type Timestamp, typeNamesOf } from '../message';

/* Credentials never appear here: they stay encrypted inside broker-connection. */

export type BrokerKind = 'alpaca' | 'tradestation' | 'virtual';
export type TradingMode = 'paper' | 'live';

export interface ConnectionRef {
  readonly connectionId: string;
  readonly userId: string;
}

/** The ids a disconnection must clean up, so the saga never asks another service for them. */
export interface ConnectionAccounts {
  readonly linkedAccountIds: readonly string[];
  readonly virtualAccountIds: readonly string[];
}

/** A balance snapshot as the broker reported it. */
export interface AccountBalance {
  readonly cash: Decimal;
  readonly buyingPower: Decimal;
  readonly equity: Decimal;
  readonly asOf: Timestamp;
}

/** An account as the broker lists it when credentials are verified or accounts are compared again. */
export interface DiscoveredAccount {
  readonly externalAccountId: string;
  readonly displayName: string;
  readonly currency: string;
  /** As the broker names it: `cash`, `margin`, `paper`, ... */
  readonly accountType?: string;
  readonly startingCash?: Decimal;
  readonly balance?: AccountBalance;
}

/** Triggers the BrokerConnection saga. */
export type BrokerConnectionRequested = Message<
  'BrokerConnectionRequested',
  ConnectionRef & { broker: BrokerKind; mode: TradingMode; requestedAt: Timestamp }
>;

export type BrokerConnected = Message<
  'BrokerConnected',
  ConnectionRef & ConnectionAccounts & { broker: BrokerKind; mode: TradingMode; connectedAt: Timestamp }
>;

export type BrokerConnectionFailed = Message<
  'BrokerConnectionFailed',
  ConnectionRef & { reason: Reason; failedAt: Timestamp }
>;

/**
 * The user asked to disconnect (or their deletion did). Triggers the BrokerDisconnection
 * saga; `disconnectionId` lets a later purge tell this disconnection from a newer one.
 */
export type BrokerDisconnectRequested = Message<
  'BrokerDisconnectRequested',
  ConnectionRef &
    ConnectionAccounts & {
      disconnectionId: string;
      cause: 'user' | 'user-deletion';
      parentSagaId?: string;
      requestedAt: Timestamp;
    }
>;

/** The broker side ended the session (revoked credentials, closed account); also triggers the BrokerDisconnection saga. */
export type BrokerDisconnected = Message<
  'BrokerDisconnected',
  ConnectionRef & ConnectionAccounts & { disconnectionId: string; reason: Reason; disconnectedAt: Timestamp }
>;

/** A disconnected connection came back before its purge began; pending purges for older disconnections are refused. */
export type BrokerReconnected = Message<'BrokerReconnected', ConnectionRef & { reconnectedAt: Timestamp }>;

export type BrokerConnectionPurgeBegun = Message<
  'BrokerConnectionPurgeBegun',
  ConnectionRef & { disconnectionId: string; begunAt: Timestamp }
>;

/** BeginConnectionPurge was compensated: the connection is back in the status it had before the disconnect. */
export type BrokerConnectionRestored = Message<
  'BrokerConnectionRestored',
  ConnectionRef & { disconnectionId: string; restoredAt: Timestamp }
>;

/** One account's balance in a report, with the currency its amounts are in (ISO 4217, e.g. USD). */
export interface ReportedAccountBalance extends AccountBalance {
  readonly externalAccountId: string;
  readonly currency: string;
}

/**
 * Fresh balances fetched from the broker for a connected connection; broker-account adds them to
 * each account's equity history. v2: each balance names its currency (v1 upcast: `upcasters.ts`).
 */
export type BrokerAccountBalancesReported = Message<
  'BrokerAccountBalancesReported',
  ConnectionRef & { balances: readonly ReportedAccountBalance[]; reportedAt: Timestamp },
  2
>;

/** v1, as releases before the currency published it and older stored events hold it. */
export type BrokerAccountBalancesReportedV1 = Message<
  'BrokerAccountBalancesReported',
  ConnectionRef & {
    balances: readonly (AccountBalance & { externalAccountId: string })[];
    reportedAt: Timestamp;
  }
>;

/**
 * A health check found the broker listing other accounts than the connection has linked: `opened`
 * are new at the broker (broker-account links them; their personal fields are sealed for it),
 * `closedAccountIds` are linked accounts the broker no longer lists (broker-account marks them CLOSED).
 */
export type BrokerAccountsChanged = Message<
  'BrokerAccountsChanged',
  ConnectionRef & {
    broker: BrokerKind;
    mode: TradingMode;
    opened: readonly DiscoveredAccount[];
    /** The ids broker-account gives the opened accounts, in the same order. */
    openedAccountIds: readonly string[];
    closedAccountIds: readonly string[];
    changedAt: Timestamp;
  }
>;

/*
 * The health of an established connection, as broker-connection's monitor and token upkeep find
 * it: what the user sees on the real-time channel and can act on. `reason` is written by
 * broker-connection (the broker's name, an HTTP status, the call that fixes it), never a broker's
 * own answer, so these events carry no personal field (docs/privacy.md).
 */

/** Health checks failed HEALTH_DEGRADED_AFTER times in a row; the connection keeps its accounts. */
export type BrokerConnectionDegraded = Message<
  'BrokerConnectionDegraded',
  ConnectionRef & { reason: Reason; failures: number; degradedAt: Timestamp }
>;

/** Health checks failed HEALTH_OFFLINE_AFTER times in a row: trading on it is refused until it recovers. */
export type BrokerConnectionOffline = Message<
  'BrokerConnectionOffline',
  ConnectionRef & { reason: Reason; failures: number; offlineAt: Timestamp }
>;

/** A check passed again after DEGRADED or OFFLINE: the connection is CONNECTED, its streams reopen. */
export type BrokerConnectionRecovered = Message<
  'BrokerConnectionRecovered',
  ConnectionRef & { recoveredAt: Timestamp }
>;

/** The broker refused the sign-in (a refused token refresh, refused keys): `reason` says how to sign in again. */
export type BrokerConnectionNeedsReauth = Message<
  'BrokerConnectionNeedsReauth',
  ConnectionRef & { reason: Reason; detectedAt: Timestamp }
>;

/** A new sign-in brought a NEEDS_REAUTH connection back CONNECTED, with its accounts. */
export type BrokerConnectionReauthorized = Message<
  'BrokerConnectionReauthorized',
  ConnectionRef & { reauthorizedAt: Timestamp }
>;

/** Terminal: the connection and its stored credentials are gone. */
export type BrokerConnectionPurged = Message<
  'BrokerConnectionPurged',
  ConnectionRef & { purgedAt: Timestamp }
>;

export type BrokerConnectionEvent =
  | BrokerConnectionRequested
  | BrokerConnected
  | BrokerConnectionFailed
  | BrokerDisconnectRequested
  | BrokerDisconnected
  | BrokerReconnected
  | BrokerConnectionPurgeBegun
  | BrokerConnectionRestored
  | BrokerAccountBalancesReported
  | BrokerAccountsChanged
  | BrokerConnectionDegraded
  | BrokerConnectionOffline
  | BrokerConnectionRecovered
  | BrokerConnectionNeedsReauth
  | BrokerConnectionReauthorized
  | BrokerConnectionPurged;

export const brokerConnectionEventTypes = typeNamesOf<BrokerConnectionEvent>({
  BrokerConnectionRequested: true,
  BrokerConnected: true,
  BrokerConnectionFailed: true,
  BrokerDisconnectRequested: true,
  BrokerDisconnected: true,
  BrokerReconnected: true,
  BrokerConnectionPurgeBegun: true,
  BrokerConnectionRestored: true,
  BrokerAccountBalancesReported: true,
  BrokerAccountsChanged: true,
  BrokerConnectionDegraded: true,
  BrokerConnectionOffline: true,
  BrokerConnectionRecovered: true,
  BrokerConnectionNeedsReauth: true,
  BrokerConnectionReauthorized: true,
  BrokerConnectionPurged: true,
});
