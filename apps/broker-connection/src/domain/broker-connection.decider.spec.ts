import { specFor } from '@tradecore/eventing/testing';
import {
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
} from './broker-connection.decider';

const at = '2026-01-05T10:00:00.000Z';
const ref = { connectionId: 'c-1', userId: 'u-1' };

const requested: ConnectionEvent = {
  type: 'BrokerConnectionRequested',
  ...ref,
  broker: 'alpaca',
  mode: 'paper',
  requestedAt: at,
};
const verified: ConnectionEvent = {
  type: 'BrokerCredentialsVerified',
  connectionId: 'c-1',
  accountCount: 1,
  verifiedAt: at,
};
const connected: ConnectionEvent = {
  type: 'BrokerConnected',
  ...ref,
  broker: 'alpaca',
  mode: 'paper',
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  connectedAt: at,
};
const failed: ConnectionEvent = {
  type: 'BrokerConnectionFailed',
  ...ref,
  reason: { code: 'INVALID_CREDENTIALS', message: 'no' },
  failedAt: at,
};
const disconnectRequested: ConnectionEvent = {
  type: 'BrokerDisconnectRequested',
  ...ref,
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  disconnectionId: 'd-1',
  cause: 'user',
  requestedAt: at,
};
const purgeBegun: ConnectionEvent = {
  type: 'BrokerConnectionPurgeBegun',
  ...ref,
  disconnectionId: 'd-1',
  begunAt: at,
};
const purged: ConnectionEvent = { type: 'BrokerConnectionPurged', ...ref, purgedAt: at };
const reconnected: ConnectionEvent = { type: 'BrokerReconnected', ...ref, reconnectedAt: at };

const given = specFor(brokerConnectionDecider);

const request: ConnectionCommand = { type: 'RequestConnection', ...ref, broker: 'alpaca', mode: 'paper', at };
const verify: ConnectionCommand = { type: 'RecordCredentialsVerified', accountCount: 1, at };
const markConnected: ConnectionCommand = {
  type: 'MarkConnected',
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  at,
};
const markFailed: ConnectionCommand = {
  type: 'MarkFailed',
  reason: { code: 'INVALID_CREDENTIALS', message: 'no' },
  at,
};
const disconnect: ConnectionCommand = {
  type: 'RequestDisconnect',
  disconnectionId: 'd-1',
  cause: 'user',
  at,
};
const deletionDisconnect: ConnectionCommand = {
  type: 'RequestDisconnect',
  disconnectionId: 'd-9',
  cause: 'user-deletion',
  parentSagaId: 'saga-p',
  at,
};
const beginPurge: ConnectionCommand = { type: 'BeginPurge', disconnectionId: 'd-1', at };
const restore: ConnectionCommand = { type: 'RestoreConnection', disconnectionId: 'd-1', at };
const purge: ConnectionCommand = { type: 'Purge', disconnectionId: 'd-1', at };

describe('broker connection decider', () => {
  describe('RequestConnection', () => {
    it('opens a PENDING connection', () => {
      given().when(request).then(requested);
    });
    it('refuses a taken id', () => {
      given(requested).when(request).thenThrows('CONNECTION_ALREADY_EXISTS');
    });
    it('refuses a live virtual connection', () => {
      given()
        .when({ ...request, broker: 'virtual', mode: 'live' })
        .thenThrows('VIRTUAL_BROKER_PAPER_ONLY');
    });
  });

  describe('RecordCredentialsVerified', () => {
    it('moves PENDING to CONNECTING', () => {
      given(requested).when(verify).then(verified);
      expect(given(requested, verified).state.status).toBe('CONNECTING');
    });
    it('is a no-op when verified again', () => {
      given(requested, verified).when(verify).then();
    });
    it('refuses an unknown connection', () => {
      given().when(verify).thenThrows('CONNECTION_NOT_FOUND');
    });
    it('refuses a connected connection', () => {
      given(requested, verified, connected).when(verify).thenThrows('CONNECTION_NOT_PENDING');
    });
  });

  describe('MarkConnected', () => {
    it('connects with the ids a disconnection will need', () => {
      given(requested, verified).when(markConnected).then(connected);
    });
    it('is a no-op when already connected', () => {
      given(requested, verified, connected).when(markConnected).then();
    });
    it('refuses a failed connection', () => {
      given(requested, failed).when(markConnected).thenThrows('CONNECTION_NOT_PENDING');
    });
  });

  describe('MarkFailed', () => {
    it('fails a connection being connected', () => {
      given(requested, verified).when(markFailed).then(failed);
    });
    it('is a no-op when already failed', () => {
      given(requested, failed).when(markFailed).then();
    });
    it('refuses a connected connection', () => {
      given(requested, verified, connected).when(markFailed).thenThrows('CONNECTION_NOT_PENDING');
    });
    it('is a no-op once a user deletion failed it and moved it on to its purge', () => {
      given(requested, failed, { ...disconnectRequested, linkedAccountIds: [] })
        .when(markFailed)
        .then();
    });
  });

  describe('RequestDisconnect', () => {
    it('carries the linked and virtual account ids', () => {
      given(requested, verified, connected).when(disconnect).then(disconnectRequested);
    });
    it('lets a failed connection be disconnected', () => {
      given(requested, failed)
        .when(disconnect)
        .then({ ...disconnectRequested, linkedAccountIds: [] });
    });
    it('refuses a second disconnect from the user', () => {
      given(requested, verified, connected, disconnectRequested)
        .when(disconnect)
        .thenThrows('CONNECTION_ALREADY_DISCONNECTING');
    });
    it('joins a running disconnection for a user deletion', () => {
      given(requested, verified, connected, disconnectRequested).when(deletionDisconnect).then();
    });
    it('starts a child disconnection for a user deletion', () => {
      given(requested, verified, connected)
        .when(deletionDisconnect)
        .then({
          ...disconnectRequested,
          disconnectionId: 'd-9',
          cause: 'user-deletion',
          parentSagaId: 'saga-p',
        });
    });
    it('refuses a connection still being connected', () => {
      given(requested).when(disconnect).thenThrows('CONNECTION_NOT_CONNECTED');
    });
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
      given(requested, verified).when(deletionDisconnect).then(deletedWhileConnecting, childDisconnection);
      const state = given(requested, verified, deletedWhileConnecting, childDisconnection).state;
      expect(state).toMatchObject({ status: 'DISCONNECTING', statusBeforeDisconnect: 'FAILED' });
    });
    it('treats a purged connection as gone for the user', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged)
        .when(disconnect)
        .thenThrows('CONNECTION_NOT_FOUND');
    });
  });

  describe('RecordBrokerDisconnect', () => {
    const brokerEnded: ConnectionCommand = {
      type: 'RecordBrokerDisconnect',
      disconnectionId: 'd-2',
      reason: { code: 'INVALID_CREDENTIALS', message: 'revoked' },
      at,
    };
    it('starts a disconnection carrying the account ids', () => {
      given(requested, verified, connected)
        .when(brokerEnded)
        .then({
          type: 'BrokerDisconnected',
          ...ref,
          linkedAccountIds: ['a-1'],
          virtualAccountIds: [],
          disconnectionId: 'd-2',
          reason: { code: 'INVALID_CREDENTIALS', message: 'revoked' },
          disconnectedAt: at,
        });
    });
    it('refuses a connection that is not connected', () => {
      given(requested).when(brokerEnded).thenThrows('CONNECTION_NOT_CONNECTED');
    });
  });

  describe('ReportBalances', () => {
    const balances = [
      { externalAccountId: 'PA-1', currency: 'USD', cash: '1', buyingPower: '2', equity: '3', asOf: at },
    ];
    it('reports the balances of a connected connection', () => {
      given(requested, verified, connected)
        .when({ type: 'ReportBalances', balances, at })
        .then({ type: 'BrokerAccountBalancesReported', ...ref, balances, reportedAt: at });
    });
    it('refuses an empty report', () => {
      given(requested, verified, connected)
        .when({ type: 'ReportBalances', balances: [], at })
        .thenThrows('NO_BALANCES_REPORTED');
    });
    it('refuses a connection that is not connected', () => {
      given(requested).when({ type: 'ReportBalances', balances, at }).thenThrows('CONNECTION_NOT_CONNECTED');
    });
  });

  describe('Reconnect', () => {
    it('brings a disconnecting connection back', () => {
      given(requested, verified, connected, disconnectRequested)
        .when({ type: 'Reconnect', at })
        .then(reconnected);
    });
    it('refuses once the purge began', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun)
        .when({ type: 'Reconnect', at })
        .thenThrows('CONNECTION_PURGE_ALREADY_BEGUN');
    });
    it('refuses a connected connection', () => {
      given(requested, verified, connected)
        .when({ type: 'Reconnect', at })
        .thenThrows('CONNECTION_NOT_DISCONNECTING');
    });
  });

  describe('BeginPurge', () => {
    it('begins the purge for its disconnection', () => {
      given(requested, verified, connected, disconnectRequested).when(beginPurge).then(purgeBegun);
    });
    it('is a no-op when begun already', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(beginPurge).then();
    });
    it('refuses when the connection came back meanwhile', () => {
      given(requested, verified, connected, disconnectRequested, reconnected)
        .when(beginPurge)
        .thenThrows('CONNECTION_RECONNECTED');
    });
    it('refuses an older disconnection once a newer one runs', () => {
      given(requested, verified, connected, disconnectRequested, reconnected, {
        ...disconnectRequested,
        disconnectionId: 'd-2',
      })
        .when(beginPurge)
        .thenThrows('CONNECTION_RECONNECTED');
    });
    it('refuses a connection no disconnection runs for', () => {
      given(requested).when(beginPurge).thenThrows('CONNECTION_NOT_DISCONNECTING');
    });
  });

  describe('RestoreConnection', () => {
    it('undoes a begun purge, back to connected', () => {
      const restored: ConnectionEvent = {
        type: 'BrokerConnectionRestored',
        ...ref,
        disconnectionId: 'd-1',
        restoredAt: at,
      };
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(restore).then(restored);
      expect(
        given(requested, verified, connected, disconnectRequested, purgeBegun, restored).state.status,
      ).toBe('CONNECTED');
    });
    it('is a no-op when the purge never began', () => {
      given(requested, verified, connected, disconnectRequested).when(restore).then();
    });
    it('refuses after the purge', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged)
        .when(restore)
        .thenThrows('CONNECTION_PURGED');
    });
    it('refuses a connection still being connected', () => {
      given(requested).when(restore).thenThrows('CONNECTION_NOT_DISCONNECTING');
    });
  });

  describe('Purge', () => {
    it('erases a connection whose purge began', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun).when(purge).then(purged);
    });
    it('is a no-op when purged already', () => {
      given(requested, verified, connected, disconnectRequested, purgeBegun, purged).when(purge).then();
    });
    it('refuses before the purge began', () => {
      given(requested, verified, connected, disconnectRequested)
        .when(purge)
        .thenThrows('CONNECTION_PURGE_NOT_BEGUN');
    });
  });
});
