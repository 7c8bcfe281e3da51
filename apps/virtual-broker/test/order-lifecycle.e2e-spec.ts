import { useVirtualBroker } from './virtual-broker-test-kit';

const TRADER = 'trader-7';

describe('order life cycle: session close, reset and the admin-only market controls', () => {
  const suite = useVirtualBroker(TRADER, { connectionId: 'connection-7', startingCash: '50000.00' });
  const { http, as, accountId } = suite;
  const place = (order: Record<string, unknown>) => suite.place(order).expect(201);
  const statusOf = async (orderId: string) =>
    (await http().get(`/accounts/${accountId}/orders/${orderId}`).set(as(TRADER)).expect(200)).body;

  it('expires open DAY orders at the session close and keeps GTC orders open', async () => {
    const day = await place({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: 2, limitPrice: '10.00' });
    const gtc = await place({
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 2,
      limitPrice: '10.00',
      timeInForce: 'GTC',
    });

    const closed = await http().post('/market/session-close').set(as('ops', 'admin')).expect(200);

    expect(closed.body.expiredOrderIds).toEqual([day.body.orderId]);
    const expired = await statusOf(day.body.orderId);
    expect(expired.status).toBe('EXPIRED');
    expect(expired.history.map((entry: { status: string }) => entry.status)).toEqual(['NEW', 'EXPIRED']);
    expect((await statusOf(gtc.body.orderId)).status).toBe('NEW');
    const account = await http().get(`/accounts/${accountId}`).set(as(TRADER)).expect(200);
    expect(account.body).toMatchObject({ reservedCash: '20.00', buyingPower: '49980.00' });
  });

  it('resets to the starting cash, cancelling what is open and closing every position', async () => {
    await place({ symbol: 'MSFT', side: 'BUY', type: 'MARKET', quantity: 3 });
    const open = await http().get(`/accounts/${accountId}/orders?status=OPEN`).set(as(TRADER)).expect(200);

    const reset = await http().post(`/accounts/${accountId}/reset`).set(as(TRADER)).expect(200);

    expect(reset.body).toMatchObject({ cash: '50000.00' });
    expect(reset.body.cancelledOrderIds).toEqual(
      open.body.map((order: { orderId: string }) => order.orderId),
    );
    expect((await http().get(`/accounts/${accountId}/positions`).set(as(TRADER))).body).toEqual([]);
    expect((await http().get(`/accounts/${accountId}`).set(as(TRADER))).body).toMatchObject({
      cash: '50000.00',
      reservedCash: '0.00',
      realizedPnl: '0.00',
    });
  });

  it('keeps the market controls for admins and validates what traders send', async () => {
    expect((await http().post('/market/ticks').set(as(TRADER)).send({ ticks: 1 })).status).toBe(403);
    expect((await http().post('/market/session-close').set(as(TRADER))).status).toBe(403);
    expect((await http().get('/quotes')).status).toBe(401);

    const invalid = await suite.place({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: 1.5 });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');

    const unknown = await suite.place({ symbol: 'NOPE', side: 'BUY', type: 'MARKET', quantity: 1 });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNKNOWN_SYMBOL');
  });

  it('triggers a stop buy the ask is already through, rests a stop sell below the bid, and names a missing stop price', async () => {
    const stopBuy = await place({
      symbol: 'AAPL',
      side: 'BUY',
      type: 'STOP',
      quantity: 2,
      stopPrice: '1.00',
    });
    expect(await statusOf(stopBuy.body.orderId)).toMatchObject({
      type: 'STOP',
      stopPrice: '1.00',
      limitPrice: null,
      status: 'FILLED',
    });
    const stopSell = await place({
      symbol: 'AAPL',
      side: 'SELL',
      type: 'STOP_LIMIT',
      quantity: 2,
      stopPrice: '1.00',
      limitPrice: '0.90',
      timeInForce: 'GTC',
    });
    expect(await statusOf(stopSell.body.orderId)).toMatchObject({
      type: 'STOP_LIMIT',
      stopPrice: '1.00',
      limitPrice: '0.90',
      status: 'NEW',
    });

    const missing = await suite.place({ symbol: 'AAPL', side: 'SELL', type: 'STOP', quantity: 1 });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.details)).toContain('stopPrice');
  });
});
