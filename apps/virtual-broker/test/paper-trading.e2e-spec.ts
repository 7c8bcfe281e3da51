import request from 'supertest';
import { createQuoteFeed, DEFAULT_QUOTE_FEED } from '../src/domain/quote-feed';
import { FEED, openSocket, useVirtualBroker } from './virtual-broker-test-kit';

const TRADER = 'trader-1';
const STRANGER = 'trader-2';
/** The same feed the service runs, to know in advance where the market goes. */
const feed = createQuoteFeed({
  ...DEFAULT_QUOTE_FEED,
  seed: FEED.seed,
  symbols: { AAPL: 19_000, MSFT: 42_000 },
});
const cents = (price: string) => Math.round(Number(price) * 100);

describe('paper trading over HTTP and WebSocket', () => {
  const suite = useVirtualBroker(TRADER, { connectionId: 'connection-1', startingCash: '100000.00' });
  const { http, as, place, socketUrl, accountId } = suite;
  const advance = (ticks = 1) =>
    http().post('/market/ticks').set(as('ops', 'admin')).send({ ticks }).expect(200);
  const quoteOf = async (symbol: string) =>
    (await http().get('/quotes').set(as(TRADER)).expect(200)).body.quotes.find(
      (q: { symbol: string }) => q.symbol === symbol,
    );
  const currentTick = async () => (await http().get('/quotes').set(as(TRADER))).body.tick as number;
  /** Of the next 40 ticks, the first with the best price of `symbol` for a limit `side` order, and that price. */
  const bestTickAhead = async (symbol: string, side: 'BUY' | 'SELL') => {
    const now = await currentTick();
    const price = (t: number) =>
      side === 'BUY' ? feed.quoteAt(symbol, t).askCents : feed.quoteAt(symbol, t).bidCents;
    const better = (a: number, b: number) => (side === 'BUY' ? a < b : a > b);
    const ahead = Array.from({ length: 40 }, (_, i) => now + 1 + i);
    const crossing = ahead.reduce((best, t) => (better(price(t), price(best)) ? t : best));
    return { now, crossing, limitCents: price(crossing) };
  };
  /** A GTC limit order that must rest, nothing filled, until the tick `crossing`; answers it and the order on that tick. */
  const restUntil = async (
    order: { symbol: string; side: string; quantity: number },
    { now, crossing, limitCents }: Awaited<ReturnType<typeof bestTickAhead>>,
  ) => {
    const limitPrice = (limitCents / 100).toFixed(2);
    const placed = await place({ ...order, type: 'LIMIT', limitPrice, timeInForce: 'GTC' }).expect(201);
    const read = async () =>
      (await http().get(`/accounts/${accountId}/orders/${placed.body.orderId}`).set(as(TRADER)).expect(200))
        .body;
    if (crossing - now > 1) await advance(crossing - now - 1);
    expect(await read()).toMatchObject({ status: 'NEW', filledQuantity: 0 });
    await advance(1);
    return { placed: placed.body, reached: await read() };
  };

  it('buys, pushes the quote and the fill over the socket, sells at another price, and gets P&L and cash exact to the cent', async () => {
    const socket = await openSocket(socketUrl(), ['bearer', suite.vb.tokenFor(TRADER)]);
    socket.send('subscribe', { symbols: ['AAPL'] });
    await socket.next((m) => m.event === 'subscribed');
    const first = await socket.next((m) => m.event === 'quote' && m.data.symbol === 'AAPL');

    const buy = await place({ symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 10 }).expect(201);
    expect(buy.body).toMatchObject({ accountId, status: 'FILLED' });
    const boughtAt = cents(first.data.ask as string);
    const fill = await socket.next(
      (m) => m.event === 'order' && m.data.orderId === buy.body.orderId && m.data.status === 'FILLED',
    );
    expect(fill.data.fill).toEqual({ quantity: 10, price: first.data.ask });
    await socket.next((m) => m.event === 'position' && m.data.symbol === 'AAPL' && m.data.quantity === 10);

    // Move on to the first tick whose bid differs from what we paid.
    let tick = await currentTick();
    do tick += 1;
    while (feed.quoteAt('AAPL', tick).bidCents === boughtAt);
    const moved = await advance(tick - (await currentTick()));
    const soldAt = cents(moved.body.quotes.find((q: { symbol: string }) => q.symbol === 'AAPL').bid);
    expect(soldAt).toBe(feed.quoteAt('AAPL', tick).bidCents);
    await socket.next((m) => m.event === 'quote' && cents(m.data.bid as string) === soldAt);

    const sell = await place({ symbol: 'AAPL', side: 'SELL', type: 'MARKET', quantity: 10 }).expect(201);
    expect(sell.body.status).toBe('FILLED');

    const realized = 10 * (soldAt - boughtAt);
    const money = (value: number) => (value / 100).toFixed(2);
    const account = await http().get(`/accounts/${accountId}`).set(as(TRADER)).expect(200);
    expect(account.body).toMatchObject({
      cash: money(10_000_000 + realized),
      buyingPower: money(10_000_000 + realized),
      realizedPnl: money(realized),
      unrealizedPnl: '0.00',
    });
    const positions = await http().get(`/accounts/${accountId}/positions`).set(as(TRADER)).expect(200);
    expect(positions.body).toEqual([
      expect.objectContaining({
        symbol: 'AAPL',
        quantity: 0,
        costBasis: '0.00',
        realizedPnl: money(realized),
      }),
    ]);
    const sold = await socket.next(
      (m) => m.event === 'order' && m.data.orderId === sell.body.orderId && m.data.status === 'FILLED',
    );
    expect(sold.data).toMatchObject({
      fill: { quantity: 10, price: money(soldAt) },
      realizedPnl: money(realized),
    });
    socket.close();
  });

  it('fills a limit buy only on the first quote whose ask crosses the limit', async () => {
    const best = await bestTickAhead('MSFT', 'BUY');
    expect(best.limitCents).toBeLessThan(cents((await quoteOf('MSFT')).ask));

    const { placed, reached } = await restUntil({ symbol: 'MSFT', side: 'BUY', quantity: 5 }, best);

    expect(placed.status).toBe('NEW');
    expect(reached).toMatchObject({ status: 'FILLED', filledQuantity: 5 });
    expect(reached.history).toEqual([
      expect.objectContaining({ status: 'NEW', change: 'OrderPlaced' }),
      expect.objectContaining({
        status: 'FILLED',
        change: 'OrderFilled',
        fill: { quantity: 5, price: (best.limitCents / 100).toFixed(2) },
      }),
    ]);
  });

  it('fills a limit sell only on the first quote whose bid reaches the limit', async () => {
    await place({ symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: 3 }).expect(201);
    const best = await bestTickAhead('AAPL', 'SELL');
    expect(best.limitCents).toBeGreaterThan(cents((await quoteOf('AAPL')).bid));

    const { reached } = await restUntil({ symbol: 'AAPL', side: 'SELL', quantity: 3 }, best);

    expect(reached).toMatchObject({ status: 'FILLED', filledQuantity: 3 });
  });

  it('rejects an order beyond buying power with 422 and the reason, and keeps it in the history as REJECTED', async () => {
    const refused = await place({
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1000,
      limitPrice: '500.00',
    }).expect(422);
    expect(refused.body.code).toBe('INSUFFICIENT_BUYING_POWER');
    expect(refused.body.message).toMatch(/buy at most \d+ shares/);

    const rejected = await http()
      .get(`/accounts/${accountId}/orders?status=REJECTED`)
      .set(as(TRADER))
      .expect(200);
    expect(rejected.body).toEqual([
      expect.objectContaining({
        status: 'REJECTED',
        rejection: expect.objectContaining({ code: 'INSUFFICIENT_BUYING_POWER' }),
      }),
    ]);
  });

  it('refuses short selling with its code', async () => {
    const refused = await place({ symbol: 'AAPL', side: 'SELL', type: 'MARKET', quantity: 1 }).expect(422);
    expect(refused.body.code).toBe('SHORT_SELLING_NOT_SUPPORTED');
  });

  it('does not let another user see or cancel the order, nor push it to their socket', async () => {
    const strangerSocket = await openSocket(`${socketUrl()}?access_token=${suite.vb.tokenFor(STRANGER)}`);
    const traderSocket = await openSocket(`${socketUrl()}?access_token=${suite.vb.tokenFor(TRADER)}`);
    await strangerSocket.next((m) => m.event === 'ready');
    await traderSocket.next((m) => m.event === 'ready');
    const placed = await place({
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT',
      quantity: 1,
      limitPrice: '1.00',
    }).expect(201);
    const path = `/accounts/${accountId}/orders/${placed.body.orderId}`;

    expect((await http().get(path).set(as(STRANGER)).expect(404)).body.code).toBe('ACCOUNT_NOT_FOUND');
    expect((await http().get(`/accounts/${accountId}/orders`).set(as(STRANGER)).expect(404)).body.code).toBe(
      'ACCOUNT_NOT_FOUND',
    );
    expect((await http().post(`${path}/cancel`).set(as(STRANGER)).expect(404)).body.code).toBe(
      'ACCOUNT_NOT_FOUND',
    );
    expect((await http().get('/accounts').set(as(STRANGER)).expect(200)).body).toEqual([]);

    const cancelled = await http().post(`${path}/cancel`).set(as(TRADER)).expect(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(
      (await http().get(path).set(as(TRADER))).body.history.map((entry: { status: string }) => entry.status),
    ).toEqual(['NEW', 'CANCELLED']);
    // Both sockets hear the same broadcast, so once the owner's has the cancel the stranger's would have too.
    await traderSocket.next((m) => m.event === 'order' && m.data.status === 'CANCELLED');
    expect(strangerSocket.received.filter((m) => m.event !== 'ready')).toEqual([]);
    strangerSocket.close();
    traderSocket.close();
  });

  it('refuses a socket without a valid token during the handshake', async () => {
    await expect(openSocket(socketUrl())).rejects.toThrow(/401/);
    await expect(openSocket(`${socketUrl()}?access_token=forged`)).rejects.toThrow(/401/);
  });

  it('runs as several replicas: a tick on one reaches the sockets of another, and so does the fill it causes', async () => {
    const replica = await suite.vb.startReplica();
    const socket = await openSocket(`ws://127.0.0.1:${replica.port}/ws`, [
      'bearer',
      suite.vb.tokenFor(TRADER),
    ]);
    socket.send('subscribe', { symbols: ['MSFT'] });
    await socket.next((m) => m.event === 'subscribed');
    const tick = await currentTick();
    const next = feed.quoteAt('MSFT', tick + 1);

    const placed = await request(replica.app.getHttpServer())
      .post(`/accounts/${accountId}/orders`)
      .set(as(TRADER))
      .send({
        symbol: 'MSFT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: 1,
        limitPrice: (next.askCents / 100).toFixed(2),
      })
      .expect(201);
    await advance(1);

    const pushed = await socket.next(
      (m) => m.event === 'quote' && m.data.ask === (next.askCents / 100).toFixed(2),
    );
    expect(pushed.data.symbol).toBe('MSFT');
    await socket.next(
      (m) => m.event === 'order' && m.data.orderId === placed.body.orderId && m.data.status === 'FILLED',
    );
    const replicaQuotes = await request(replica.app.getHttpServer())
      .get('/quotes')
      .set(as(TRADER))
      .expect(200);
    expect(replicaQuotes.body.tick).toBe(tick + 1);
    socket.close();
  });
});
