import { commandKeyFieldsOf, type Message, type Reason, typeNamesOf } from '../message';
import { type ConnectionAccounts, type DiscoveredAccount } from './broker-connection.events';

/*
 * Every command here answers on `saga.replies` with `outcome: 'succeeded'` (and the result
 * named in SagaCommandResults, else `{}`) or `outcome: 'failed'` with a `reason.code` from
 * BrokerConnectionFailureCode. Each is idempotent: a retried command finds its effect done
 * and succeeds again without a second event.
 */

/** Why a broker-connection saga command was refused; stable, for saga definitions to branch on. */
export type BrokerConnectionFailureCode =
  /** The broker refused the stored credentials (401/403, `invalid_grant`). Not worth retrying. */
  | 'INVALID_CREDENTIALS'
  /** The broker did not answer in time, after the adapter's retries. Marked `transient`: the saga retries. */
  | 'BROKER_TIMEOUT'
  /** The broker failed (5xx, network) or its circuit breaker is open. Marked `transient`: the saga retries. */
  | 'BROKER_UNAVAILABLE'
  | 'CONNECTION_NOT_FOUND'
  /** Verify / mark connected / mark failed outside PENDING or CONNECTING. */
  | 'CONNECTION_NOT_PENDING'
  /** A disconnect or balance refresh while the connection is not connected. */
  | 'CONNECTION_NOT_CONNECTED'
  /** BeginConnectionPurge / RestoreConnection on a connection no disconnection is running for. */
  | 'CONNECTION_NOT_DISCONNECTING'
  /** The connection came back after `disconnectionId`; the purge must be abandoned. */
  | 'CONNECTION_RECONNECTED'
  /** PurgeConnection before BeginConnectionPurge succeeded for that `disconnectionId`. */
  | 'CONNECTION_PURGE_NOT_BEGUN'
  /** RestoreConnection after the purge completed: there is nothing left to restore. */
  | 'CONNECTION_PURGED';

/**
 * BrokerConnection step 1: decrypt the credentials, ask the broker who they belong to and
 * list its accounts. Moves the connection PENDING → CONNECTING. Replies with
 * `VerifyBrokerCredentialsResult`; fails with `INVALID_CREDENTIALS`, `BROKER_TIMEOUT`,
 * `BROKER_UNAVAILABLE`, `CONNECTION_NOT_FOUND` or `CONNECTION_NOT_PENDING`.
 */
export type VerifyBrokerCredentials = Message<
  'VerifyBrokerCredentials',
  {
    connectionId: string;
    /**
     * broker-account's public key for the user: a real broker's account numbers, names and
     * balances are sealed for it, in the reply and in every later balance report.
     */
    sealFor?: string;
  }
>;

/**
 * An account the broker reported. For the virtual broker these are the paper accounts to
 * provision (`externalAccountId` is the virtual account id, `startingCash` set), with ids
 * chosen here so every later step and compensation knows them upfront.
 */

export interface VerifyBrokerCredentialsResult {
  readonly accounts: readonly DiscoveredAccount[];
}

/**
 * Last BrokerConnection step: CONNECTING → CONNECTED, remembering the ids a later
 * disconnection must clean up. Fails with `CONNECTION_NOT_FOUND` or `CONNECTION_NOT_PENDING`.
 */
export type MarkConnectionConnected = Message<
  'MarkConnectionConnected',
  ConnectionAccounts & { connectionId: string }
>;

/**
 * Compensates VerifyBrokerCredentials (and ends a saga whose verification failed):
 * PENDING/CONNECTING → FAILED. Fails with `CONNECTION_NOT_FOUND` or `CONNECTION_NOT_PENDING`.
 */
export type MarkConnectionFailed = Message<'MarkConnectionFailed', { connectionId: string; reason: Reason }>;

/**
 * First BrokerDisconnection step: DISCONNECTING → DISCONNECTED, after which the connection
 * can no longer come back. Refused with `CONNECTION_RECONNECTED` when the connection came
 * back after `disconnectionId`, `CONNECTION_NOT_DISCONNECTING` when none is running.
 */
export type BeginConnectionPurge = Message<
  'BeginConnectionPurge',
  { connectionId: string; disconnectionId: string }
>;

/**
 * Compensates BeginConnectionPurge: DISCONNECTED → the status before the disconnect
 * (CONNECTED, or FAILED). A no-op when the purge never began. Fails with `CONNECTION_PURGED`.
 */
export type RestoreConnection = Message<
  'RestoreConnection',
  { connectionId: string; disconnectionId: string }
>;

/**
 * UserDeletion step: from now on no new connection is accepted for the user, and every
 * connection the user owns at this moment (read at the owner, whatever its state) is
 * disconnected as a child BrokerDisconnection saga under `parentSagaId`. One still being
 * connected is marked FAILED first, so its own saga rolls back before the disconnection purges
 * it. Connections already disconnecting are joined, purged ones skipped. Idempotent.
 */
export type CloseUserConnections = Message<'CloseUserConnections', { userId: string; parentSagaId: string }>;

/** The child disconnections to wait for, one per connection that still had something to purge. */
export interface CloseUserConnectionsResult {
  readonly disconnectionIds: readonly string[];
}

/**
 * Compensates CloseUserConnections when the deletion is called off: the user may connect
 * brokers again. Connections already purged stay purged. Never fails.
 */
export type ReopenUserConnections = Message<'ReopenUserConnections', { userId: string }>;

/**
 * Last BrokerDisconnection step: erase the connection and its credentials (DISCONNECTED →
 * PURGED). Fails with `CONNECTION_PURGE_NOT_BEGUN`.
 */
export type PurgeConnection = Message<'PurgeConnection', { connectionId: string; disconnectionId: string }>;

export type BrokerConnectionCommand =
  | VerifyBrokerCredentials
  | MarkConnectionConnected
  | MarkConnectionFailed
  | CloseUserConnections
  | ReopenUserConnections
  | BeginConnectionPurge
  | RestoreConnection
  | PurgeConnection;

export const brokerConnectionCommandKeyFields = commandKeyFieldsOf<BrokerConnectionCommand>({
  VerifyBrokerCredentials: 'connectionId',
  MarkConnectionConnected: 'connectionId',
  MarkConnectionFailed: 'connectionId',
  CloseUserConnections: 'userId',
  ReopenUserConnections: 'userId',
  BeginConnectionPurge: 'connectionId',
  RestoreConnection: 'connectionId',
  PurgeConnection: 'connectionId',
});

export const brokerConnectionCommandTypes = typeNamesOf<BrokerConnectionCommand>(
  brokerConnectionCommandKeyFields,
);
