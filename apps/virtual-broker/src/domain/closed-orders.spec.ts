import { CHUNK_SIZE, closedOrderStatuses, closedStatus, withClosedOrder } from './closed-orders';
import type { OrderRejected } from './paper-account.messages';
import { evolve, initialState, type PaperAccountState } from './paper-account.state';
import { at, provisioned } from './test/paper-account.fixtures';

function rejected(orderId: string): OrderRejected {
  return {
    type: 'OrderRejected',
    orderId,
    symbol: 'AAPL',
    side: 'BUY',
    orderType: 'MARKET',
    quantity: 1,
    limitPriceCents: null,
    timeInForce: 'DAY',
    code: 'INSUFFICIENT_BUYING_POWER',
    reason: 'not enough cash',
    rejectedAt: at(1),
  };
}

function withRejections(state: PaperAccountState, count: number, prefix = 'o'): PaperAccountState {
  let current = state;
  for (let index = 0; index < count; index += 1) current = evolve(current, rejected(`${prefix}-${index}`));
  return current;
}

describe('closed orders', () => {
  it('given more closed orders than fit in one chunk, still tells the status of each', () => {
    const state = withRejections(evolve(initialState, provisioned(100_000)), CHUNK_SIZE * 3 + 5);

    expect(closedStatus(state.closedOrders, 'o-0')).toBe('REJECTED');
    expect(closedStatus(state.closedOrders, `o-${CHUNK_SIZE * 3 + 4}`)).toBe('REJECTED');
    expect(closedStatus(state.closedOrders, 'never-placed')).toBeUndefined();
    expect(Object.keys(closedOrderStatuses(state.closedOrders))).toHaveLength(CHUNK_SIZE * 3 + 5);
  });

  it('when an order closes, leaves the state it evolved from as it was', () => {
    const before = withRejections(evolve(initialState, provisioned(100_000)), CHUNK_SIZE + 1);
    const copy = JSON.parse(JSON.stringify(before)) as PaperAccountState;

    const after = evolve(before, rejected('late'));

    expect(before).toEqual(copy);
    expect(closedStatus(before.closedOrders, 'late')).toBeUndefined();
    expect(closedStatus(after.closedOrders, 'late')).toBe('REJECTED');
  });

  it('when an order closes, shares the full chunks instead of copying every order ever closed', () => {
    const before = withRejections(evolve(initialState, provisioned(100_000)), CHUNK_SIZE * 2 + 1);

    const after = evolve(before, rejected('late'));

    expect(after.closedOrders[0]).toBe(before.closedOrders[0]);
    expect(after.closedOrders[1]).toBe(before.closedOrders[1]);
  });

  it('given the same order closed twice, the later status wins', () => {
    const closed = withClosedOrder(withClosedOrder([], 'o-1', 'CANCELLED'), 'o-1', 'EXPIRED');
    expect(closedStatus(closed, 'o-1')).toBe('EXPIRED');
  });

  it('survives a snapshot round trip through JSON', () => {
    const state = withRejections(evolve(initialState, provisioned(100_000)), CHUNK_SIZE + 3);
    const restored = JSON.parse(JSON.stringify(state)) as PaperAccountState;
    expect(closedOrderStatuses(restored.closedOrders)).toEqual(closedOrderStatuses(state.closedOrders));
  });
});
