import {
  assertConnected,
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
} from './broker-connection.decider';

const at = '2026-01-05T10:00:00.000Z';
const ref = { connectionId: 'c-1', userId: 'u-1' };
const limits = { degradedAfter: 2, offlineAfter: 4 };
const down = { code: 'BROKER_UNAVAILABLE', message: 'tradestation answered HTTP 503' };
const revoked = { code: 'BROKER_AUTHORIZATION_REVOKED', message: 'TradeStation refused the sign-in' };

const connectedHistory: ConnectionEvent[] = [
  { type: 'BrokerConnectionRequested', ...ref, broker: 'tradestation', mode: 'paper', requestedAt: at },
  { type: 'BrokerCredentialsVerified', connectionId: 'c-1', accountCount: 1, verifiedAt: at },
  {
    type: 'BrokerConnected',
    ...ref,
    broker: 'tradestation',
    mode: 'paper',
    linkedAccountIds: ['a-1'],
    virtualAccountIds: [],
    connectedAt: at,
  },
];
const degraded: ConnectionEvent = {
  type: 'BrokerConnectionDegraded',
  ...ref,
  reason: down,
  failures: 2,
  degradedAt: at,
};
const offline: ConnectionEvent = {
  type: 'BrokerConnectionOffline',
  ...ref,
  reason: down,
  failures: 4,
  offlineAt: at,
};
const needsReauth: ConnectionEvent = {
  type: 'BrokerConnectionNeedsReauth',
  ...ref,
  reason: revoked,
  detectedAt: at,
};

const check = (consecutiveFailures: number): ConnectionCommand => ({
  type: 'RecordHealthCheck',
  consecutiveFailures,
  ...(consecutiveFailures > 0 && { reason: down }),
  limits,
  at,
});

function given(...events: ConnectionEvent[]) {
  const state = [...connectedHistory, ...events].reduce(
    brokerConnectionDecider.evolve,
    brokerConnectionDecider.initialState,
  );
  return {
    state,
    when: (command: ConnectionCommand) => ({
      then: (expected: readonly ConnectionEvent[]) =>
        expect(brokerConnectionDecider.decide(command, state)).toEqual(expected),
      thenRefused: (code: string) =>
        expect(() => brokerConnectionDecider.decide(command, state)).toThrow(
          expect.objectContaining({ code }),
        ),
    }),
  };
}

describe('connection upkeep', () => {
  describe('health checks', () => {
    it('keeps a connection CONNECTED below the degraded limit', () => given().when(check(1)).then([]));
    it('degrades it after consecutive failures, with the reason', () =>
      given().when(check(2)).then([degraded]));
    it('takes a degraded connection OFFLINE at the offline limit', () =>
      given(degraded).when(check(4)).then([offline]));
    it('records nothing more while it stays offline', () => given(degraded, offline).when(check(9)).then([]));
    it('recovers a degraded or offline connection on the first passing check', () => {
      const recovered = { type: 'BrokerConnectionRecovered', ...ref, recoveredAt: at } as const;
      given(degraded).when(check(0)).then([recovered]);
      given(degraded, offline).when(check(0)).then([recovered]);
      expect(given(degraded, offline, recovered).state).toMatchObject({
        status: 'CONNECTED',
        reason: undefined,
      });
    });
    it('ignores a check that lost the race against a re-authorisation need', () =>
      given(needsReauth).when(check(5)).then([]));
  });

  describe('re-authorisation', () => {
    it('marks a connection whose sign-in the broker refused, keeping its accounts', () => {
      given(degraded).when({ type: 'MarkNeedsReauth', reason: revoked, at }).then([needsReauth]);
      expect(given(needsReauth).state).toMatchObject({ status: 'NEEDS_REAUTH', linkedAccountIds: ['a-1'] });
    });
    it('refuses trading on it with a code naming what to do', () =>
      expect(() => assertConnected(given(needsReauth).state)).toThrow(
        expect.objectContaining({ code: 'CONNECTION_NEEDS_REAUTH' }),
      ));
    it('lets a degraded connection still trade, an offline one not', () => {
      expect(() => assertConnected(given(degraded).state)).not.toThrow();
      expect(() => assertConnected(given(degraded, offline).state)).toThrow(
        expect.objectContaining({ code: 'CONNECTION_NOT_CONNECTED' }),
      );
    });
    it('brings it back CONNECTED when the user signs in again', () =>
      given(needsReauth)
        .when({ type: 'Reauthorize', at })
        .then([{ type: 'BrokerConnectionReauthorized', ...ref, reauthorizedAt: at }]));
    it('refuses to reauthorise a connection that does not need it', () =>
      given(degraded).when({ type: 'Reauthorize', at }).thenRefused('CONNECTION_NOT_AWAITING_REAUTH'));
    it('lets the user disconnect a connection awaiting re-authorisation', () =>
      expect(
        brokerConnectionDecider.decide(
          { type: 'RequestDisconnect', disconnectionId: 'd-1', cause: 'user', at },
          given(needsReauth).state,
        ),
      ).toEqual([expect.objectContaining({ type: 'BrokerDisconnectRequested' })]));
  });
});
