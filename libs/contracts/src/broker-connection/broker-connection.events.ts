import { Message, Reason, Timestamp, typeNamesOf } from '../message';

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
  | BrokerConnectionPurged;

export const brokerConnectionEventTypes = typeNamesOf<BrokerConnectionEvent>({
  BrokerConnectionRequested: true,
  BrokerConnected: true,
  BrokerConnectionFailed: true,
  BrokerDisconnectRequested: true,
  BrokerDisconnected: true,
  BrokerReconnected: true,
  BrokerConnectionPurgeBegun: true,
  BrokerConnectionPurged: true,
});
