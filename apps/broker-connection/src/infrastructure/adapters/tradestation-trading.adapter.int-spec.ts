import type { HttpException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { startTradeStationSandbox, type TradeStationSandbox } from '@tradecore/broker-sandboxes';
import { eventually } from '@tradecore/eventing/testing';
import {
  balanceFieldsRead,
  documentedOrder,
  documentedPlaceOrderRequest,
  legFieldsRead,
  orderFieldsRead,
  placeOrderAnswerFields,
  positionFieldsRead,
} from './fixtures/tradestation-documented';
import { expectStopLossFilledOnly, placedExitsOfABuy, terms } from './fixtures/order-terms';
import { sandboxClient, tradingAgainst } from './fixtures/tradestation-sign-in';
import type { TradeStationSession } from './tradestation-http';
import {
  orderConfirmIdOf,
  type TradeStationTradingAdapter,
  tsSnapshotOf,
} from './tradestation-trading.adapter';

describe('the TradeStation trading adapter against the TradeStation sandbox (documented shapes)', () => {
  let sandbox: TradeStationSandbox;
  let adapter: TradeStationTradingAdapter;
  let session: TradeStationSession;
  const bearer = async () => ({ Authorization: `Bearer ${await adapter.accessToken(session)}` });

  beforeAll(async () => {
    sandbox = await startTradeStationSandbox({ clients: [sandboxClient], tickMs: 50 });
    ({ adapter, session } = await tradingAgainst(sandbox));
  });
  afterAll(() => sandbox.stop());

  it('reads the documented order example', () => {
    expect(tsSnapshotOf(documentedOrder as never, 'o-1')).toEqual({
      brokerOrderId: '286234131',
      clientOrderId: 'o-1',
      replacesBrokerOrderId: null,
      status: 'FILLED',
      quantity: 10,
      filledQuantity: 10,
      averageFillPrice: '121.40',
      limitPrice: '121.5',
      stopPrice: null,
      timeInForce: 'GTC',
      submittedAt: '2023-01-17T14:30:01Z',
      updatedAt: '2023-01-17T14:30:03Z',
    });
  });

  it('answers the documented PlaceOrder request with the documented fields, labelled a sandbox', async () => {
    const placed = await fetch(`${sandbox.url}/v3/orderexecution/orders`, {
      method: 'POST',
      headers: { ...(await bearer()), 'Content-Type': 'application/json' },
      body: JSON.stringify(documentedPlaceOrderRequest),
    });
    expect(placed.headers.get('x-broker-sandbox')).toBe('tradestation');
    const { Orders } = (await placed.json()) as { Orders: object[] };
    expect(Object.keys(Orders[0])).toEqual(expect.arrayContaining([...placeOrderAnswerFields]));
    const orders = (await (
      await fetch(`${sandbox.url}/v3/brokerage/accounts/SIM1000001M/orders`, { headers: await bearer() })
    ).json()) as { Orders: { Legs: object[] }[] };
    expect(Object.keys(orders.Orders[0])).toEqual(expect.arrayContaining([...orderFieldsRead]));
    expect(Object.keys(orders.Orders[0].Legs[0])).toEqual(expect.arrayContaining([...legFieldsRead]));
    const positions = (await (
      await fetch(`${sandbox.url}/v3/brokerage/accounts/SIM1000001M/positions`, { headers: await bearer() })
    ).json()) as { Positions: object[] };
    expect(Object.keys(positions.Positions[0])).toEqual(expect.arrayContaining([...positionFieldsRead]));
    const balances = (await (
      await fetch(`${sandbox.url}/v3/brokerage/accounts/SIM1000001M/balances`, { headers: await bearer() })
    ).json()) as { Balances: object[] };
    expect(Object.keys(balances.Balances[0])).toEqual(expect.arrayContaining([...balanceFieldsRead]));
  });

  it('fills a market buy at the ask, and shows it in positions and balances', async () => {
    const before = await adapter.balances(session);
    const placed = await adapter.placeOrder(session, randomUUID(), terms());
    expect(placed.brokerOrderId).toMatch(/^\d+$/);
    const filled = await eventually(async () => {
      const order = await adapter.getOrder(session, placed.brokerOrderId);
      return order.status === 'FILLED' ? order : undefined;
    }, 5000);
    expect(filled).toMatchObject({ filledQuantity: 10, averageFillPrice: '190.01', timeInForce: 'DAY' });
    expect((await adapter.positions(session)).find((p) => p.symbol === 'AAPL')).toMatchObject({
      averagePrice: '190.01',
    });
    const after = await adapter.balances(session);
    expect(Number(before.cash) - Number(after.cash)).toBeCloseTo(1900.1, 2);
    expect(after).toMatchObject({ externalAccountId: 'SIM1000001M', currency: 'USD' });
  });

  it('rests a limit order, replaces it in place (same order id), and cancels it once', async () => {
    const orderId = randomUUID();
    const resting = await adapter.placeOrder(
      session,
      orderId,
      terms({ kind: 'LIMIT', limitPrice: '150.00', timeInForce: 'GTC' }),
    );
    expect(resting).toMatchObject({
      clientOrderId: orderId,
      status: 'NEW',
      limitPrice: '150.00',
      timeInForce: 'GTC',
    });
    const replaced = await adapter.replaceOrder(session, resting.brokerOrderId, {
      quantity: 4,
      limitPrice: '151.00',
      clientOrderId: `${orderId}.r1`,
    });
    expect(replaced).toMatchObject({
      brokerOrderId: resting.brokerOrderId,
      quantity: 4,
      limitPrice: '151.00',
    });
    await expect(
      adapter.replaceOrder(session, resting.brokerOrderId, {
        timeInForce: 'DAY',
        clientOrderId: `${orderId}.r2`,
      }),
    ).rejects.toMatchObject({ code: 'ORDER_REFUSED_BY_BROKER' });
    await adapter.cancelOrder(session, resting.brokerOrderId);
    expect((await adapter.getOrder(session, resting.brokerOrderId)).status).toBe('CANCELLED');
    await expect(adapter.cancelOrder(session, resting.brokerOrderId)).rejects.toMatchObject({
      code: 'ORDER_NOT_OPEN',
    });
    await expect(adapter.getOrder(session, '1')).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('places a retried order once: the same client order id finds the first', async () => {
    const orderId = randomUUID();
    expect(orderConfirmIdOf(orderId)).toHaveLength(22);
    const limit = terms({ kind: 'LIMIT', limitPrice: '100.00', quantity: 1 });
    const first = await adapter.placeOrder(session, orderId, limit);
    const again = await adapter.placeOrder(session, orderId, limit);
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    const since = new Date(Date.now() - 60_000).toISOString();
    expect(
      (await adapter.ordersSubmittedAfter(session, since)).filter(
        (o) => o.brokerOrderId === first.brokerOrderId,
      ),
    ).toHaveLength(1);
    await adapter.cancelOrder(session, first.brokerOrderId);
  });

  it('holds a take-profit and stop-loss as one OCO group: the shares once, and a fill of one cancels the other', async () => {
    // The account is shared by the cases above, which may hold MSFT already.
    const msft = async () =>
      (await adapter.positions(session)).find((p) => p.symbol === 'MSFT')?.quantity ?? 0;
    const held = await msft();
    const placed = await placedExitsOfABuy(adapter, session, 'MSFT', 5, '430.00', '415.00');
    await expect(
      adapter.placeOrder(session, randomUUID(), terms({ symbol: 'MSFT', side: 'SELL', quantity: held + 1 })),
    ).rejects.toMatchObject({ code: 'SHORT_SELLING_NOT_SUPPORTED' });
    sandbox.setPrice('MSFT', 41_400);
    await expectStopLossFilledOnly(adapter, session, placed, '413.99');
    expect(await msft()).toBe(held);
    sandbox.setPrice('MSFT', 42_000);
  });

  it('refuses with the paper codes: over-sized, unknown symbol, selling what is not held', async () => {
    await expect(
      adapter.placeOrder(session, randomUUID(), terms({ quantity: 100_000 })),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_BUYING_POWER',
      details: { brokerStatus: 200, brokerCode: 'FAILED' },
    });
    await expect(adapter.placeOrder(session, randomUUID(), terms({ symbol: 'NOPE' }))).rejects.toMatchObject({
      code: 'UNKNOWN_SYMBOL',
    });
    await expect(
      adapter.placeOrder(session, randomUUID(), terms({ symbol: 'TSLA', side: 'SELL' })),
    ).rejects.toMatchObject({ code: 'SHORT_SELLING_NOT_SUPPORTED' });
  });

  it('answers a rate limit with 429 BROKER_RATE_LIMITED and when to retry, without opening the circuit', async () => {
    const limited = await startTradeStationSandbox({ clients: [sandboxClient], rateLimitPerMinute: 2 });
    try {
      const { adapter: client, session: own, resilience } = await tradingAgainst(limited);
      await client.positions(own);
      await client.positions(own);
      const refusal = (await client.positions(own).catch((error: unknown) => error)) as HttpException;
      expect([refusal.getStatus(), refusal.getResponse()]).toEqual([
        429,
        expect.objectContaining({
          code: 'BROKER_RATE_LIMITED',
          details: expect.objectContaining({ retryAfterSeconds: 60 }),
        }),
      ]);
      expect(resilience.stateOf('tradestation')).toBe('closed');
    } finally {
      await limited.stop();
    }
  });

  it('counts an outage against the circuit: BROKER_UNAVAILABLE', async () => {
    sandbox.setOutage(true);
    try {
      await expect(adapter.balances(session)).rejects.toMatchObject({ code: 'BROKER_UNAVAILABLE' });
    } finally {
      sandbox.setOutage(false);
    }
  });
});
