import { closedOrderStatuses } from './closed-orders';
import type { ProvisionPaperAccount } from './paper-account.messages';
import type { PaperAccountState } from './paper-account.state';
import {
  at,
  bought,
  given,
  limitPlaced,
  marketOrder,
  orderCancelled,
  OWNER,
  provisioned,
  quote,
  STRANGER,
  tick,
} from './test/paper-account.fixtures';

const provision: ProvisionPaperAccount = {
  type: 'ProvisionPaperAccount',
  accountId: 'paper-1',
  userId: OWNER,
  connectionId: 'connection-1',
  currency: 'USD',
  startingCashCents: 1_000_000,
  provisionedAt: at(0),
};

describe('provisioning', () => {
  it('opens an account with its starting cash', () => {
    const state = given().when(provision).then(provisioned(1_000_000));
    expect(state).toMatchObject({
      status: 'ACTIVE',
      userId: OWNER,
      cashCents: 1_000_000,
      reservedCashCents: 0,
    });
  });

  it('treats the same provisioning delivered twice as done, and a different one as a conflict', () => {
    given(provisioned(1_000_000)).when(provision).then();
    given(provisioned(1_000_000))
      .when({ ...provision, startingCashCents: 2_000_000 })
      .thenThrows('ACCOUNT_ALREADY_PROVISIONED');
  });

  it.each([0, -1, 10.5, 100_000_000_001])('rejects starting cash of %p cents', (startingCashCents) => {
    given()
      .when({ ...provision, startingCashCents })
      .thenThrows('INVALID_STARTING_CASH');
  });

  it.each(['usd', 'XYZ'])('rejects %p, which is not an ISO 4217 code', (currency) => {
    given()
      .when({ ...provision, currency })
      .thenThrows('INVALID_CURRENCY');
  });

  it.each(['JPY', 'KRW', 'BHD', 'XAU'])(
    'rejects %s, whose minor units are not the hundredths the market prices in',
    (currency) => {
      given()
        .when({ ...provision, currency })
        .thenThrows('INVALID_CURRENCY');
    },
  );

  it('opens an account in another currency with two minor units', () => {
    given()
      .when({ ...provision, currency: 'EUR' })
      .then(expect.objectContaining({ type: 'PaperAccountProvisioned', currency: 'EUR' }));
  });
});

describe('purge and restore', () => {
  const trading = [
    provisioned(1_000_000),
    ...bought('b-1', 'AAPL', 10, 10_000),
    limitPlaced('o-1', 'BUY', 5, 9_000),
    limitPlaced('s-1', 'SELL', 4, 11_000),
  ];
  const purged = [
    orderCancelled(
      { orderId: 'o-1', side: 'BUY', remainingQuantity: 5, releasedCashCents: 45_000 },
      'ACCOUNT_PURGED',
      at(30),
    ),
    orderCancelled({ orderId: 's-1', side: 'SELL', remainingQuantity: 4 }, 'ACCOUNT_PURGED', at(30)),
    { type: 'PaperAccountPurged', purgedAt: at(30) } as const,
  ];

  /** Cash and the 10 AAPL shares as trading left them, nothing reserved or open. */
  const expectAsTraded = (state: PaperAccountState, status: PaperAccountState['status']) => {
    expect(state).toMatchObject({ status, cashCents: 900_000, reservedCashCents: 0, openOrders: [] });
    expect(state.positions.AAPL.quantity).toBe(10);
  };

  it('cancels every open order before purging, keeping cash and positions for a restore', () => {
    const state = given(...trading)
      .when({ type: 'PurgePaperAccount', purgedAt: at(30) })
      .then(...purged);
    expectAsTraded(state, 'PURGED');
  });

  it('takes no orders and fills nothing once purged, and purging again changes nothing', () => {
    const purgedAccount = given(...trading, ...purged);
    purgedAccount
      .when(marketOrder('o-2', 'BUY', 1, quote('AAPL', 8_000, 8_010, at(31))))
      .thenThrows('ACCOUNT_PURGED', /reconnect/);
    purgedAccount.when(tick(quote('AAPL', 12_000, 12_010, at(31)))).then();
    purgedAccount.when({ type: 'PurgePaperAccount', purgedAt: at(32) }).then();
    purgedAccount.when(provision).thenThrows('ACCOUNT_PURGED', /RestorePaperAccount/);
  });

  it('restores a purged account as it was, without the cancelled orders, once', () => {
    const state = given(...trading, ...purged)
      .when({ type: 'RestorePaperAccount', restoredAt: at(40) })
      .then({ type: 'PaperAccountRestored', restoredAt: at(40) });
    expectAsTraded(state, 'ACTIVE');
    given(...trading)
      .when({ type: 'RestorePaperAccount', restoredAt: at(40) })
      .then();
  });

  it.each([
    { type: 'PurgePaperAccount', purgedAt: at(30) },
    { type: 'RestorePaperAccount', restoredAt: at(30) },
  ] as const)('refuses $type on an account that was never provisioned', (command) => {
    given().when(command).thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('reset', () => {
  const trading = [
    provisioned(1_000_000),
    ...bought('b-1', 'AAPL', 10, 10_000),
    limitPlaced('o-1', 'BUY', 5, 9_000),
  ];

  it('cancels open orders and returns to the starting cash with no positions, keeping the order history', () => {
    const state = given(...trading)
      .when({ type: 'ResetPaperAccount', requestedBy: OWNER, resetAt: at(40) })
      .then(
        orderCancelled(
          { orderId: 'o-1', side: 'BUY', remainingQuantity: 5, releasedCashCents: 45_000 },
          'ACCOUNT_RESET',
          at(40),
        ),
        { type: 'PaperAccountReset', cashCents: 1_000_000, resetAt: at(40) },
      );
    expect(state).toMatchObject({
      status: 'ACTIVE',
      cashCents: 1_000_000,
      reservedCashCents: 0,
      positions: {},
      openOrders: [],
    });
    expect(closedOrderStatuses(state.closedOrders)).toEqual({ 'b-1': 'FILLED', 'o-1': 'CANCELLED' });
  });

  it('is refused to another user and on a purged account', () => {
    given(...trading)
      .when({ type: 'ResetPaperAccount', requestedBy: STRANGER, resetAt: at(40) })
      .thenThrows('ACCOUNT_NOT_FOUND');
    given(...trading, { type: 'PaperAccountPurged', purgedAt: at(30) })
      .when({ type: 'ResetPaperAccount', requestedBy: OWNER, resetAt: at(40) })
      .thenThrows('ACCOUNT_PURGED');
  });
});
