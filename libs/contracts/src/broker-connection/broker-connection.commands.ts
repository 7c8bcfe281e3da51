import { Decimal, Message, Reason, typeNamesOf } from '../message';
import { ConnectionAccounts } from './broker-connection.events';

/** Replies with `VerifyBrokerCredentialsResult`; a wrong key fails with code `INVALID_CREDENTIALS`. */
export type VerifyBrokerCredentials = Message<'VerifyBrokerCredentials', { connectionId: string }>;

/**
 * An account the broker reported. For the virtual broker these are the paper accounts to
 * provision, with ids chosen here so every later step and compensation knows them upfront.
 */
export interface DiscoveredAccount {
  readonly externalAccountId: string;
  readonly displayName: string;
  readonly currency: string;
  readonly startingCash?: Decimal;
}

export interface VerifyBrokerCredentialsResult {
  readonly accounts: readonly DiscoveredAccount[];
}

export type MarkConnectionConnected = Message<
  'MarkConnectionConnected',
  ConnectionAccounts & { connectionId: string }
>;

export type MarkConnectionFailed = Message<'MarkConnectionFailed', { connectionId: string; reason: Reason }>;

/** Refused with code `CONNECTION_RECONNECTED` when the connection came back after `disconnectionId`. */
export type BeginConnectionPurge = Message<
  'BeginConnectionPurge',
  { connectionId: string; disconnectionId: string }
>;

/**
 * UserDeletion step, once per connection: the BrokerDisconnectRequested it causes carries the
 * account ids and starts the child BrokerDisconnection saga under `parentSagaId`.
 */
export type RequestBrokerDisconnect = Message<
  'RequestBrokerDisconnect',
  { connectionId: string; userId: string; cause: 'user-deletion'; parentSagaId: string }
>;

/** `disconnectionId` is null when the connection was already purged, so there is no child saga to wait for. */
export interface RequestBrokerDisconnectResult {
  readonly disconnectionId: string | null;
}

/** Last BrokerDisconnection step: erase the connection and its credentials. */
export type PurgeConnection = Message<'PurgeConnection', { connectionId: string; disconnectionId: string }>;

export type BrokerConnectionCommand =
  | VerifyBrokerCredentials
  | MarkConnectionConnected
  | MarkConnectionFailed
  | RequestBrokerDisconnect
  | BeginConnectionPurge
  | PurgeConnection;

export const brokerConnectionCommandTypes = typeNamesOf<BrokerConnectionCommand>({
  VerifyBrokerCredentials: true,
  MarkConnectionConnected: true,
  MarkConnectionFailed: true,
  RequestBrokerDisconnect: true,
  BeginConnectionPurge: true,
  PurgeConnection: true,
});
