import type { ConnectionCommand, ConnectionEvent } from './broker-connection.decider';
import {
  at,
  beginPurge,
  connected,
  deletionDisconnect,
  disconnect,
  disconnectRequested,
  failed,
  given,
  purge,
  purgeBegun,
  purged,
  reconnected,
  ref,
  requested,
  restore,
  verified,
} from './test/broker-connection.fixtures';

describe('broker connection decider: disconnecting and purging', () => {
  describe('RequestDisconnect', () => {
    it('carries the linked and virtual account ids', () =>
      given(requested, verified, connected).when(disconnect).then([disconnectRequested]));
    it('lets a failed connection be disconnected', () =>
      given(requested, failed)
        .when(disconnect)
        .then([{ ...disconnectRequested, linkedAccountIds: [] }]));
    it('refuses a second disconnect from the user', () =>
      given(requested, verified, connected, disconnectRequested)
        .when(disconnect)
        .thenRefused('CONNECTION_ALREADY_DISCONNECTING'));
    it('joins a running disconnection for a user deletion', () =>
      given(requested, verified, connected, disconnectRequested).when(deletionDisconnect).then([]));
    it('starts a child disconnection for a user deletion', () =>
      given(requested, verified, connected)
        .when(deletionDisconnect)
        .then([
          { ...disconnectRequested, disconnectionId: 'd-9', cause: 'user-deletion', parentSagaId: 'saga-p' },
        ]));
    it('refuses a connection still being connected', () =>
      given(requested).when(disconnect).thenRefused('CONNECTION_NOT_CONNECTED'));
    it('fails a connection still being connected for a user deletion, then disconnects it', () => {
      const deletedWhileConnecting: ConnectionEvent = {
        type: 'BrokerConnectionFailed',
        ...ref,
        reason: { code: 'USER_DELETION_REQUESTED', message: expect.any(String) },
        failedAt: at,
      };
      const childDisconnection: ConnectionEvent = {
        ...disconnectRequested,
        linkedAccountIds: [],
        disconnectionId: 'd-9',
        cause: 'user-deletion',
        parentSagaId: 'saga-p',
      };
      given(requested, verified).when(deletionDisconnect).then([deletedWhileConnecting, childDisconnection]);
      const state = given(requested, verified, deletedWhileConnecting, childDisconnection).thenState();
      expect(state).toMatchObject({ status: 'DISCONNECTING', statusBeforeDisconnect: 'FAILED' });
    });
    it('treats a purged connection as gone for the user', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged)
        .when(disconnect)
        .thenRefused('CONNECTION_NOT_FOUND'));
  });

  describe('RecordBrokerDisconnect', () => {
    const brokerEnded: ConnectionCommand = {
      type: 'RecordBrokerDisconnect',
      disconnectionId: 'd-2',
      reason: { code: 'INVALID_CREDENTIALS', message: 'revoked' },
      at,
    };
    it('starts a disconnection carrying the account ids', () =>
      given(requested, verified, connected)
        .when(brokerEnded)
        .then([
          {
            type: 'BrokerDisconnected',
            ...ref,
            linkedAccountIds: ['a-1'],
            virtualAccountIds: [],
            disconnectionId: 'd-2',
            reason: { code: 'INVALID_CREDENTIALS', message: 'revoked' },
            disconnectedAt: at,
          },
        ]));
    it('refuses a connection that is not connected', () =>
      given(requested).when(brokerEnded).thenRefused('CONNECTION_NOT_CONNECTED'));
  });

  describe('Reconnect', () => {
    it('brings a disconnecting connection back', () =>
      given(requested, verified, connected, disconnectRequested)
        .when({ type: 'Reconnect', at })
        .then([reconnected]));
    it('refuses once the purge began', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun)
        .when({ type: 'Reconnect', at })
        .thenRefused('CONNECTION_PURGE_ALREADY_BEGUN'));
    it('refuses a connected connection', () =>
      given(requested, verified, connected)
        .when({ type: 'Reconnect', at })
        .thenRefused('CONNECTION_NOT_DISCONNECTING'));
  });

  describe('BeginPurge', () => {
    it('begins the purge for its disconnection', () =>
      given(requested, verified, connected, disconnectRequested).when(beginPurge).then([purgeBegun]));
    it('is a no-op when begun already', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(beginPurge).then([]));
    it('refuses when the connection came back meanwhile', () =>
      given(requested, verified, connected, disconnectRequested, reconnected)
        .when(beginPurge)
        .thenRefused('CONNECTION_RECONNECTED'));
    it('refuses an older disconnection once a newer one runs', () =>
      given(requested, verified, connected, disconnectRequested, reconnected, {
        ...disconnectRequested,
        disconnectionId: 'd-2',
      })
        .when(beginPurge)
        .thenRefused('CONNECTION_RECONNECTED'));
    it('refuses a connection no disconnection runs for', () =>
      given(requested).when(beginPurge).thenRefused('CONNECTION_NOT_DISCONNECTING'));
  });

  describe('RestoreConnection', () => {
    it('undoes a begun purge, back to connected', () => {
      const restored: ConnectionEvent = {
        type: 'BrokerConnectionRestored',
        ...ref,
        disconnectionId: 'd-1',
        restoredAt: at,
      };
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(restore).then([restored]);
      expect(
        given(requested, verified, connected, disconnectRequested, purgeBegun, restored).thenState().status,
      ).toBe('CONNECTED');
    });
    it('is a no-op when the purge never began', () =>
      given(requested, verified, connected, disconnectRequested).when(restore).then([]));
    it('refuses after the purge', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged)
        .when(restore)
        .thenRefused('CONNECTION_PURGED'));
    it('refuses a connection still being connected', () =>
      given(requested).when(restore).thenRefused('CONNECTION_NOT_DISCONNECTING'));
  });

  describe('Purge', () => {
    it('erases a connection whose purge began', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(purge).then([purged]));
    it('is a no-op when purged already', () =>
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged).when(purge).then([]));
    it('refuses before the purge began', () =>
      given(requested, verified, connected, disconnectRequested)
        .when(purge)
        .thenRefused('CONNECTION_PURGE_NOT_BEGUN'));
  });
});
