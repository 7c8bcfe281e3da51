import type { FollowedEvent } from './realtime-updates';
import { addressedUpdateOf, ownershipsOf } from './realtime-updates';

const at = '2026-12-07T09:00:00.000Z';
const event = (type: string, payload: object) => ({ type, schemaVersion: 1, payload }) as FollowedEvent;

describe('real-time updates', () => {
  it('given a provisioning naming its user, ties the connection and every paper account to that user', () => {
    const provisioned = event('VirtualAccountsProvisioned', {
      connectionId: 'c1',
      userId: 'u1',
      accounts: [{ virtualAccountId: 'v1' }, { virtualAccountId: 'v2' }],
    });
    expect(ownershipsOf(provisioned)).toEqual([
      { kind: 'connection', id: 'c1', userId: 'u1' },
      { kind: 'virtual-account', id: 'v1', userId: 'u1' },
      { kind: 'virtual-account', id: 'v2', userId: 'u1' },
    ]);
  });

  it('given an event without a user, ties nothing', () => {
    expect(ownershipsOf(event('OrderFilled', { virtualAccountId: 'v1' }))).toEqual([]);
  });

  it('given a fill, addresses a fill update to the owner of its paper account', () => {
    const filled = event('OrderFilled', { orderId: 'o1', virtualAccountId: 'v1', price: '10.00' });
    expect(addressedUpdateOf(filled, at)).toEqual({
      owner: { kind: 'virtual-account', id: 'v1' },
      update: {
        type: 'fill',
        at,
        payload: { event: 'OrderFilled', orderId: 'o1', virtualAccountId: 'v1', price: '10.00' },
      },
    });
  });

  it('given a saga a user started, addresses it to that user; one nobody started, to its connection owner', () => {
    const started = { sagaId: 's1', sagaType: 'BrokerConnection', aggregateId: 'c1', parentSagaId: null };
    expect(addressedUpdateOf(event('SagaStarted', { ...started, userId: 'u1' }), at)?.owner).toEqual({
      userId: 'u1',
    });
    expect(addressedUpdateOf(event('SagaStarted', { ...started, userId: null }), at)?.owner).toEqual({
      kind: 'connection',
      id: 'c1',
    });
  });

  it('given a signal outcome, addresses it to the owner of its automation', () => {
    const placed = event('SignalOrderPlaced', { signalId: 'g1', automationId: 'a1', orderId: 'o1' });
    expect(addressedUpdateOf(placed, at)?.owner).toEqual({ kind: 'automation', id: 'a1' });
  });

  it('given a connection that went DEGRADED, addresses a connection.state update with its status and reason to its owner', () => {
    const reason = { code: 'BROKER_UNAVAILABLE', message: 'alpaca answered HTTP 503' };
    const degraded = event('BrokerConnectionDegraded', {
      connectionId: 'c1',
      userId: 'u1',
      reason,
      failures: 2,
      degradedAt: at,
    });
    expect(addressedUpdateOf(degraded, at)).toEqual({
      owner: { userId: 'u1' },
      update: {
        type: 'connection.state',
        at,
        payload: {
          event: 'BrokerConnectionDegraded',
          status: 'DEGRADED',
          connectionId: 'c1',
          userId: 'u1',
          reason,
          failures: 2,
          degradedAt: at,
        },
      },
    });
  });

  it.each([
    ['BrokerConnectionOffline', 'OFFLINE'],
    ['BrokerConnectionNeedsReauth', 'NEEDS_REAUTH'],
    ['BrokerConnectionRecovered', 'CONNECTED'],
    ['BrokerConnectionReauthorized', 'CONNECTED'],
  ])('given %s, tells the owner the connection is now %s', (type, status) => {
    const update = addressedUpdateOf(event(type, { connectionId: 'c1', userId: 'u1' }), at)?.update;
    expect(update).toMatchObject({ type: 'connection.state', payload: { event: type, status } });
  });

  it('given a fill on a real broker account, addresses a fill update to the user it names', () => {
    const filled = event('BrokerOrderFilled', {
      orderId: 'o1',
      accountId: 'a1',
      userId: 'u1',
      price: '190.01',
    });
    expect(addressedUpdateOf(filled, at)).toMatchObject({
      owner: { userId: 'u1' },
      update: { type: 'fill', payload: { event: 'BrokerOrderFilled', accountId: 'a1', price: '190.01' } },
    });
    const placed = event('BrokerOrderPlaced', { orderId: 'o1', accountId: 'a1', userId: 'u1' });
    expect(addressedUpdateOf(placed, at)?.update.type).toBe('order');
  });

  it('given market marks or balances still to be recorded, addresses nothing', () => {
    expect(addressedUpdateOf(event('MarketMarked', { tick: 1, marks: [] }), at)).toBeUndefined();
    const reported = event('BrokerAccountBalancesReported', { connectionId: 'c1', userId: 'u1' });
    expect(addressedUpdateOf(reported, at)).toBeUndefined();
  });
});
