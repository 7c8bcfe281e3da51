import {
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
  type ConnectionState,
} from '../broker-connection.decider';

export const at = '2026-01-05T10:00:00.000Z';
export const ref = { connectionId: 'c-1', userId: 'u-1' };

export const requested = {
  type: 'BrokerConnectionRequested',
  ...ref,
  broker: 'alpaca',
  mode: 'paper',
  requestedAt: at,
} satisfies ConnectionEvent;
export const verified = {
  type: 'BrokerCredentialsVerified',
  connectionId: 'c-1',
  accountCount: 1,
  verifiedAt: at,
} satisfies ConnectionEvent;
export const connected = {
  type: 'BrokerConnected',
  ...ref,
  broker: 'alpaca',
  mode: 'paper',
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  connectedAt: at,
} satisfies ConnectionEvent;
export const failed = {
  type: 'BrokerConnectionFailed',
  ...ref,
  reason: { code: 'INVALID_CREDENTIALS', message: 'no' },
  failedAt: at,
} satisfies ConnectionEvent;
export const disconnectRequested = {
  type: 'BrokerDisconnectRequested',
  ...ref,
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  disconnectionId: 'd-1',
  cause: 'user',
  requestedAt: at,
} satisfies ConnectionEvent;
export const purgeBegun = {
  type: 'BrokerConnectionPurgeBegun',
  ...ref,
  disconnectionId: 'd-1',
  begunAt: at,
} satisfies ConnectionEvent;
/** A TradeStation connection up and linked to broker account a-1. */
export const tradeStationConnected: ConnectionEvent[] = [
  { ...requested, broker: 'tradestation' },
  verified,
  { ...connected, broker: 'tradestation' },
];
export const revoked = { code: 'BROKER_AUTHORIZATION_REVOKED', message: 'TradeStation refused the sign-in' };
export const needsReauth = {
  type: 'BrokerConnectionNeedsReauth',
  ...ref,
  reason: revoked,
  detectedAt: at,
} satisfies ConnectionEvent;
export const purged = { type: 'BrokerConnectionPurged', ...ref, purgedAt: at } satisfies ConnectionEvent;
export const reconnected = { type: 'BrokerReconnected', ...ref, reconnectedAt: at } satisfies ConnectionEvent;

/** given(events).when(command).then(events) over the connection decider. */
export function given(...events: ConnectionEvent[]) {
  const state: ConnectionState = events.reduce(
    brokerConnectionDecider.evolve,
    brokerConnectionDecider.initialState,
  );
  return {
    when: (command: ConnectionCommand) => ({
      then: (expected: readonly ConnectionEvent[]) =>
        expect(brokerConnectionDecider.decide(command, state)).toEqual(expected),
      thenRefused: (code: string) =>
        expect(() => brokerConnectionDecider.decide(command, state)).toThrow(
          expect.objectContaining({ code }),
        ),
    }),
    thenState: () => state,
  };
}

export const request = {
  type: 'RequestConnection',
  ...ref,
  broker: 'alpaca',
  mode: 'paper',
  at,
} satisfies ConnectionCommand;
export const verify = { type: 'RecordCredentialsVerified', accountCount: 1, at } satisfies ConnectionCommand;
export const markConnected = {
  type: 'MarkConnected',
  linkedAccountIds: ['a-1'],
  virtualAccountIds: [],
  at,
} satisfies ConnectionCommand;
export const markFailed = {
  type: 'MarkFailed',
  reason: { code: 'INVALID_CREDENTIALS', message: 'no' },
  at,
} satisfies ConnectionCommand;
export const disconnect = {
  type: 'RequestDisconnect',
  disconnectionId: 'd-1',
  cause: 'user',
  at,
} satisfies ConnectionCommand;
export const deletionDisconnect = {
  type: 'RequestDisconnect',
  disconnectionId: 'd-9',
  cause: 'user-deletion',
  parentSagaId: 'saga-p',
  at,
} satisfies ConnectionCommand;
export const beginPurge = { type: 'BeginPurge', disconnectionId: 'd-1', at } satisfies ConnectionCommand;
export const restore = { type: 'RestoreConnection', disconnectionId: 'd-1', at } satisfies ConnectionCommand;
export const purge = { type: 'Purge', disconnectionId: 'd-1', at } satisfies ConnectionCommand;
