import type { VirtualBrokerEvent } from '@tradecore/contracts';
import { formatCents, formatRatio, parseCents } from './cents';
import {
  applyToLedger,
  balanceOf,
  emptyLedger,
  ledgerChangesOf,
  type PaperLedger,
  twiceMarksOf,
} from './paper-ledger';

const va = 'va-1';
const at = '2026-01-05T10:00:00.000Z';
const fill = (
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  extra: object = {},
): VirtualBrokerEvent => ({
  type: 'OrderFilled',
  schemaVersion: 1,
  payload: {
    orderId: 'o-1',
    virtualAccountId: va,
    symbol: 'AAPL',
    side,
    quantity,
    price,
    filledQuantity: quantity,
    remainingQuantity: '0',
    realizedPnl: '0.00',
    filledAt: at,
    ...extra,
  },
});
const provisioned: VirtualBrokerEvent = {
  type: 'VirtualAccountsProvisioned',
  schemaVersion: 1,
  payload: {
    connectionId: 'c-1',
    userId: 'u-1',
    accounts: [{ virtualAccountId: va, currency: 'USD', startingCash: '10000.00' }],
    provisionedAt: at,
  },
};
const placed = (reservedCash?: string): VirtualBrokerEvent => ({
  type: 'OrderPlaced',
  schemaVersion: 1,
  payload: {
    orderId: 'o-1',
    virtualAccountId: va,
    symbol: 'AAPL',
    side: 'buy',
    kind: 'limit',
    timeInForce: 'day',
    quantity: '10',
    limitPrice: '101.00',
    ...(reservedCash && { reservedCash }),
    placedAt: at,
  },
});
type OfAccount = Extract<VirtualBrokerEvent, { payload: { virtualAccountId: string } }>;
/** This account's version-1 contract event; the payload is checked against `type` where it is written. */
const ofAccount = <T extends OfAccount['type']>(
  type: T,
  payload: Omit<Extract<OfAccount, { type: T }>['payload'], 'virtualAccountId'>,
) => ({ type, schemaVersion: 1, payload: { virtualAccountId: va, ...payload } }) as unknown as OfAccount;
const marked = (bid: string, ask: string): VirtualBrokerEvent => ({
  type: 'MarketMarked',
  schemaVersion: 1,
  payload: { tick: 1, marks: [{ symbol: 'AAPL', bid, ask }], markedAt: at },
});

function given(...events: VirtualBrokerEvent[]): PaperLedger {
  return events.reduce(
    (ledger, event) =>
      event.type === 'MarketMarked'
        ? applyToLedger(ledger, { type: 'Marked', twiceMarkCents: twiceMarksOf(event) })
        : ledgerChangesOf(event).reduce((next, { change }) => applyToLedger(next, change), ledger),
    emptyLedger,
  );
}

const shown = (ledger: PaperLedger) => {
  const balance = balanceOf(ledger);
  return (
    balance && {
      cash: formatCents(balance.cashCents),
      buyingPower: formatCents(balance.buyingPowerCents),
      marketValue: formatCents(balance.marketValueCents),
      unrealizedPnl: formatCents(balance.unrealizedPnlCents),
      equity: formatCents(balance.equityCents),
    }
  );
};

describe('paper ledger', () => {
  it('given nothing but orders, knows no balance until the starting cash is seen', () => {
    expect(shown(given(placed('1010.00')))).toBeUndefined();
    expect(shown(given(placed('1010.00'), provisioned))?.buyingPower).toBe('8990.00');
  });

  it('given a limit buy placed, reserves its cash out of buying power but not out of cash', () => {
    expect(shown(given(provisioned, placed('1010.00')))).toEqual({
      cash: '10000.00',
      buyingPower: '8990.00',
      marketValue: '0.00',
      unrealizedPnl: '0.00',
      equity: '10000.00',
    });
  });

  it('when the buy fills below its limit, pays the fill, frees the whole reservation and marks at the fill price', () => {
    const ledger = given(
      provisioned,
      placed('1010.00'),
      fill('buy', '10', '100.00', { releasedCash: '1010.00' }),
    );
    expect(shown(ledger)).toEqual({
      cash: '9000.00',
      buyingPower: '9000.00',
      marketValue: '1000.00',
      unrealizedPnl: '0.00',
      equity: '10000.00',
    });
  });

  it('when the market marks a half-cent mid, values at the mid rounded half away from zero', () => {
    const ledger = given(provisioned, fill('buy', '3', '100.00'), marked('100.00', '100.01'));
    expect(shown(ledger)).toMatchObject({ marketValue: '300.02', unrealizedPnl: '0.02', equity: '10000.02' });
  });

  it('when part of a position is sold, takes away the cost basis the sale realized and adds its proceeds', () => {
    const ledger = given(
      provisioned,
      fill('buy', '3', '100.00'),
      fill('buy', '1', '101.00'),
      fill('sell', '2', '110.00', { realizedPnl: '19.50' }),
    );
    expect(ledger.positions.AAPL).toMatchObject({
      quantity: 2,
      costBasisCents: 20050,
      realizedPnlCents: 1950,
    });
    expect(formatRatio(ledger.positions.AAPL.costBasisCents, 2, 4)).toBe('100.25');
    expect(formatRatio(30_100, 3, 4)).toBe('100.3333');
    expect(formatRatio(20_001, 2, 3)).toBe('100.005');
    expect(shown(ledger)?.cash).toBe('9819.00');
  });

  it('when the account is reset, is back at the reset cash with nothing held or reserved', () => {
    const reset = ofAccount('VirtualAccountReset', { cash: '10000.00', resetAt: at });
    const ledger = given(provisioned, placed('1010.00'), fill('buy', '5', '100.00'), reset);
    expect(shown(ledger)).toMatchObject({ cash: '10000.00', buyingPower: '10000.00', equity: '10000.00' });
    expect(ledger.positions).toEqual({});
  });

  it('when a cancel gives a reservation back, buying power returns', () => {
    const cancelled = ofAccount('OrderCancelled', {
      orderId: 'o-1',
      reason: 'requested_by_user',
      releasedCash: '1010.00',
      cancelledAt: at,
    });
    expect(shown(given(provisioned, placed('1010.00'), cancelled))?.buyingPower).toBe('10000.00');
  });

  it('when an order is replaced, its reservation moves to the new terms', () => {
    const replaced = ofAccount('OrderReplaced', {
      orderId: 'o-1',
      symbol: 'AAPL',
      side: 'buy',
      kind: 'limit',
      timeInForce: 'gtc',
      quantity: '5',
      filledQuantity: '0',
      remainingQuantity: '5',
      limitPrice: '100.00',
      reservedCash: '500.00',
      releasedCash: '1010.00',
      replacedAt: at,
    });
    expect(shown(given(provisioned, placed('1010.00'), replaced))?.buyingPower).toBe('9500.00');
  });

  it('a later provisioning message never overwrites the cash a reset set', () => {
    const reset = ofAccount('VirtualAccountReset', { cash: '500.00', resetAt: at });
    expect(shown(given(reset, provisioned))?.cash).toBe('500.00');
  });

  it('parses only well-formed decimals', () => {
    expect(parseCents('-0.05')).toBe(-5);
    expect(() => parseCents('1.234')).toThrow();
  });
});
