import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { type AlpacaSandbox, SANDBOX_SECRET, startAlpacaSandbox } from '@tradecore/broker-sandboxes';
import type { BrokerExecution, BrokerOrderSnapshot } from '../../domain/broker-order.decider';
import { AlpacaTradeStream } from '../trading/alpaca-trade-stream';
import { AlpacaTradingAdapter, snapshotOf } from './alpaca-trading.adapter';
import {
  accountFieldsRead,
  documentedAuthorized,
  documentedInsufficientBuyingPower,
  documentedListening,
  documentedOrder,
  orderFieldsRead,
  positionFieldsRead,
} from './fixtures/alpaca-documented';
import { contractResilience, newAlpacaSession } from './fixtures/alpaca-sandbox';
import { terms } from './fixtures/order-terms';
import { eventually } from '@tradecore/eventing/testing';

describe('the Alpaca trading adapter against the Alpaca sandbox (documented shapes)', () => {
  let sandbox: AlpacaSandbox;
  let adapter: AlpacaTradingAdapter;
  const session = newAlpacaSession;
  const resilience = contractResilience();

  beforeAll(async () => {
    sandbox = await startAlpacaSandbox({ tickMs: 50, rateLimitPerMinute: 40 });
    adapter = new AlpacaTradingAdapter({ paper: sandbox.url, live: sandbox.url }, resilience);
  });
  afterAll(() => sandbox.stop());

  it('reads the documented order example', () => {
    expect(snapshotOf(documentedOrder as never)).toEqual({
      brokerOrderId: '7b08df51-c1ac-453c-99f9-323a5f075f0d',
      clientOrderId: '5680c4bc-9ac1-4a12-a44c-df427ba53032',
      replacesBrokerOrderId: null,
      status: 'NEW',
      quantity: 2,
      filledQuantity: 0,
      averageFillPrice: null,
      limitPrice: '150',
      stopPrice: null,
      timeInForce: 'GTC',
      submittedAt: '2023-12-12T22:31:24.577215743Z',
      updatedAt: '2023-12-12T22:31:24.668464435Z',
    });
  });

  it('is answered with every documented field it reads, and a sandbox label', async () => {
    const keys = session();
    const headers = { 'APCA-API-KEY-ID': keys.credentials.apiKeyId, 'APCA-API-SECRET-KEY': SANDBOX_SECRET };
    const account = await fetch(`${sandbox.url}/v2/account`, { headers });
    expect(account.headers.get('x-sandbox')).toMatch(/sandbox/);
    expect(Object.keys((await account.json()) as object)).toEqual(
      expect.arrayContaining([...accountFieldsRead]),
    );
    const order = await fetch(`${sandbox.url}/v2/orders`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      // The documented request: https://docs.alpaca.markets/reference/postorder
      body: JSON.stringify({
        symbol: 'AAPL',
        qty: '2',
        side: 'buy',
        type: 'limit',
        time_in_force: 'gtc',
        limit_price: '150',
      }),
    });
    expect(Object.keys((await order.json()) as object)).toEqual(expect.arrayContaining([...orderFieldsRead]));
    await adapter.placeOrder(keys, randomUUID(), terms({ quantity: 1 }));
    const [position] = await eventually(async () => {
      const positions = (await (await fetch(`${sandbox.url}/v2/positions`, { headers })).json()) as object[];
      return positions.length ? positions : undefined;
    });
    expect(Object.keys(position)).toEqual(expect.arrayContaining([...positionFieldsRead]));
  });

  it('places a market order that fills at the ask, moving cash, buying power and the position', async () => {
    const keys = session();
    const orderId = randomUUID();
    const placed = await adapter.placeOrder(keys, orderId, terms());
    expect(placed).toMatchObject({ clientOrderId: orderId, status: 'NEW', quantity: 10 });
    const filled = await eventually(async () => {
      const order = await adapter.getOrder(keys, placed.brokerOrderId);
      return order.status === 'FILLED' ? order : undefined;
    });
    expect(filled).toMatchObject({ filledQuantity: 10, averageFillPrice: '190.01' });
    expect(await adapter.positions(keys)).toEqual([
      expect.objectContaining({ symbol: 'AAPL', quantity: 10, averagePrice: '190.01' }),
    ]);
    expect(await adapter.balances(keys)).toMatchObject({ cash: '98099.90', buyingPower: '98099.90' });
  });

  it('places the same client order id once, however often it is sent', async () => {
    const keys = session();
    const orderId = randomUUID();
    const first = await adapter.placeOrder(keys, orderId, terms());
    const again = await adapter.placeOrder(keys, orderId, terms());
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    expect(await adapter.ordersSubmittedAfter(keys, '2000-01-01T00:00:00Z')).toHaveLength(1);
  });

  it("refuses an order beyond buying power with the paper code, keeping Alpaca's body in the details", async () => {
    await expect(
      adapter.placeOrder(session(), randomUUID(), terms({ quantity: 100_000 })),
    ).rejects.toMatchObject({
      code: 'INSUFFICIENT_BUYING_POWER',
      details: { brokerStatus: 403, brokerCode: documentedInsufficientBuyingPower.code },
    });
  });

  it('refuses selling what is not held, an unknown symbol and a missing order with the paper codes', async () => {
    const keys = session();
    await expect(adapter.placeOrder(keys, randomUUID(), terms({ side: 'SELL' }))).rejects.toMatchObject({
      code: 'SHORT_SELLING_NOT_SUPPORTED',
    });
    await expect(adapter.placeOrder(keys, randomUUID(), terms({ symbol: 'NOPE' }))).rejects.toMatchObject({
      code: 'UNKNOWN_SYMBOL',
    });
    await expect(adapter.cancelOrder(keys, randomUUID())).rejects.toMatchObject({ code: 'ORDER_NOT_FOUND' });
  });

  it('rests a limit order until the quote crosses it, replaces it, and cancels it once', async () => {
    const keys = session();
    const resting = await adapter.placeOrder(
      keys,
      randomUUID(),
      terms({ kind: 'LIMIT', limitPrice: '150.00', timeInForce: 'GTC' }),
    );
    const replacement = await adapter.replaceOrder(keys, resting.brokerOrderId, {
      quantity: 5,
      clientOrderId: `${randomUUID()}.r1`,
    });
    expect(replacement).toMatchObject({
      replacesBrokerOrderId: resting.brokerOrderId,
      quantity: 5,
      limitPrice: '150.00',
    });
    expect(await adapter.getOrder(keys, resting.brokerOrderId)).toMatchObject({ status: 'REPLACED' });
    await adapter.cancelOrder(keys, replacement.brokerOrderId);
    expect(await adapter.getOrder(keys, replacement.brokerOrderId)).toMatchObject({
      status: 'CANCELLED',
      filledQuantity: 0,
    });
    await expect(adapter.cancelOrder(keys, replacement.brokerOrderId)).rejects.toMatchObject({
      code: 'ORDER_NOT_OPEN',
    });
    const limit = await adapter.placeOrder(
      keys,
      randomUUID(),
      terms({ kind: 'LIMIT', limitPrice: '189.00' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await adapter.getOrder(keys, limit.brokerOrderId)).toMatchObject({ status: 'NEW' });
    sandbox.setPrice('AAPL', 18_800);
    expect(await adapter.getOrder(keys, limit.brokerOrderId)).toMatchObject({
      status: 'FILLED',
      averageFillPrice: '188.01',
    });
    sandbox.setPrice('AAPL', 19_000);
  });

  it('answers 429 with Retry-After when the keys are over the rate limit, without opening the breaker', async () => {
    const keys = session();
    const answers = await Promise.allSettled(Array.from({ length: 45 }, () => adapter.balances(keys)));
    const limited = answers.find((answer) => answer.status === 'rejected') as PromiseRejectedResult;
    expect(limited.reason.getStatus()).toBe(429);
    expect(limited.reason.getResponse()).toMatchObject({
      code: 'BROKER_RATE_LIMITED',
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(resilience.stateOf('alpaca')).toBe('closed');
  });

  it('speaks the documented stream handshake', async () => {
    const { credentials } = session();
    const ws = new WebSocket(`${sandbox.url.replace('http', 'ws')}/stream`);
    const frames: unknown[] = [];
    ws.on('message', (raw) => frames.push(JSON.parse(raw.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ action: 'auth', key: credentials.apiKeyId, secret: credentials.apiSecretKey }));
    await eventually(() => (frames.length ? true : undefined));
    ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    await eventually(() => (frames.length > 1 ? true : undefined));
    expect(frames).toEqual([documentedAuthorized, documentedListening]);
    ws.terminate();
  });

  it('streams fills, and after its socket is killed reconnects and says so, so the gap can be reconciled', async () => {
    const keys = session();
    const updates: [BrokerOrderSnapshot, BrokerExecution | undefined][] = [];
    const listened: boolean[] = [];
    const stream = new AlpacaTradeStream(
      adapter.streamUrl(keys),
      keys.credentials,
      {
        update: async (snapshot, execution) => void updates.push([snapshot, execution]),
        listening: async (reconnected) => void listened.push(reconnected),
        refused: () => undefined,
        closed: () => undefined,
        failed: (error) => {
          throw error;
        },
      },
      { heartbeatMs: 1000, reconnectInitialMs: 50, reconnectMaxMs: 200 },
    );
    stream.open();
    await eventually(() => (listened.length ? true : undefined));
    await adapter.placeOrder(keys, randomUUID(), terms({ quantity: 150 }));
    const fills = await eventually(() => {
      const seen = updates.filter(([, execution]) => execution);
      return seen.length === 2 ? seen : undefined;
    });
    expect(
      fills.map(([snapshot, execution]) => [
        snapshot.status,
        execution?.quantity,
        execution?.positionQuantity,
      ]),
    ).toEqual([
      ['PARTIALLY_FILLED', 100, 100],
      ['FILLED', 50, 150],
    ]);
    expect(sandbox.dropStreams(300)).toBeGreaterThan(0);
    await eventually(() => (listened.length === 2 ? true : undefined));
    expect(listened).toEqual([false, true]);
    expect(stream.reconnections).toBe(1);
    stream.close();
  });

  it('drops a socket that stops answering its pings and listens again on a new one', async () => {
    const silent = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await new Promise((resolve) => silent.once('listening', resolve));
    let sockets = 0;
    silent.on('connection', (ws) => {
      sockets += 1;
      ws.on('message', (raw) => {
        const { action } = JSON.parse(raw.toString()) as { action: string };
        ws.send(JSON.stringify(action === 'auth' ? documentedAuthorized : documentedListening));
      });
    });
    const listened: boolean[] = [];
    const stream = new AlpacaTradeStream(
      `ws://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      session().credentials,
      {
        update: async () => undefined,
        listening: async (reconnected) => void listened.push(reconnected),
        refused: () => undefined,
        closed: () => undefined,
        failed: () => undefined,
      },
      { heartbeatMs: 100, reconnectInitialMs: 50, reconnectMaxMs: 100 },
    );
    stream.open();
    await eventually(() => (listened.length >= 2 ? true : undefined));
    expect(listened.slice(0, 2)).toEqual([false, true]);
    expect(sockets).toBeGreaterThanOrEqual(2);
    stream.close();
    silent.close();
  });
});
