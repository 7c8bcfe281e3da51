import {
  assertConnected,
  brokerConnectionDecider,
  type ConnectionCommand,
  type ConnectionEvent,
} from './broker-connection.decider';
import {
  at,
  given as givenHistory,
  needsReauth,
  ref,
  revoked,
  tradeStationConnected,
} from './test/broker-connection.fixtures';

const limits = { degradedAfter: 2, offlineAfter: 4 };
const down = { code: 'BROKER_UNAVAILABLE', message: 'tradestation answered HTTP 503' };

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

const check = (consecutiveFailures: number): ConnectionCommand => ({
  type: 'RecordHealthCheck',
  consecutiveFailures,
  ...(consecutiveFailures > 0 && { reason: down }),
  limits,
  at,
});

/** Every case starts from a connected TradeStation connection. */
const given = (...events: ConnectionEvent[]) => givenHistory(...tradeStationConnected, ...events);

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
      expect(given(degraded, offline, recovered).thenState()).toMatchObject({
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
      expect(given(needsReauth).thenState()).toMatchObject({
        status: 'NEEDS_REAUTH',
        linkedAccountIds: ['a-1'],
      });
    });
    it('refuses trading on it with a code naming what to do', () =>
      expect(() => assertConnected(given(needsReauth).thenState())).toThrow(
        expect.objectContaining({ code: 'CONNECTION_NEEDS_REAUTH' }),
      ));
    it('lets a degraded connection still trade, an offline one not', () => {
      expect(() => assertConnected(given(degraded).thenState())).not.toThrow();
      expect(() => assertConnected(given(degraded, offline).thenState())).toThrow(
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
          given(needsReauth).thenState(),
        ),
      ).toEqual([expect.objectContaining({ type: 'BrokerDisconnectRequested' })]));
  });
});
