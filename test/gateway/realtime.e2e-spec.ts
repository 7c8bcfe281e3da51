import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { toKafkaRecord } from '@tradecore/eventing';
import { ChaosClient, type ChaosUser } from '../chaos/support/chaos-client';
import { APPS, ChaosStack, eventually, progress } from '../chaos/support/chaos-stack';
import { Channel, type RealtimeMessage as Message } from '../support/realtime-channel';

const rssMb = (pid: number | undefined) =>
  Math.round(Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024);

/**
 * Issue 21's real-time channel through the gateway, every compiled app running (`npm run build`
 * first): a second gateway routes to a second broker-account replica, so the same user's sockets
 * sit on different replicas of both while one consumer group logs each event once.
 */
describe('one real-time channel per user at /api/realtime (issue 21)', () => {
  const gateway = APPS['api-gateway'];
  const otherGateway = APPS['api-gateway'] + 10;
  let stack: ChaosStack;
  let client: ChaosClient;
  let alice: ChaosUser;
  let bob: ChaosUser;
  let paperAccountId: string;
  let onOtherReplica: Channel;
  let bobs: Channel;

  beforeAll(async () => {
    stack = await ChaosStack.start({ REALTIME_MAX_WAITING_UPDATES: '200', REALTIME_HEARTBEAT_SECONDS: '2' });
    await stack.spawnReplica('broker-account', APPS['broker-account'] + 10);
    await stack.spawnReplica('api-gateway', otherGateway, {
      BROKER_ACCOUNT_URL: `http://127.0.0.1:${APPS['broker-account'] + 10}`,
    });
    client = new ChaosClient(stack);
    [alice, bob] = [await client.signUp(), await client.signUp()];
    await client.connectVirtual(alice.token);
    paperAccountId = await client.paperAccountOf(alice.token);
    onOtherReplica = await Channel.open(otherGateway, alice.token);
    bobs = await Channel.open(gateway, bob.token);
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  const order = (body: object) =>
    client.http('POST', `/api/virtual-broker/accounts/${paperAccountId}/orders`, alice.token, {
      timeInForce: 'GTC',
      type: 'MARKET',
      side: 'BUY',
      ...body,
    });
  const cashNow = async () =>
    (await client.http('GET', `/api/virtual-broker/accounts/${paperAccountId}`, alice.token)).body.cash;
  /** Until the channel's latest balance shows the virtual broker's cash after a fill of `symbol`. */
  const settledAfterFill = (channel: Channel, symbol: string) =>
    eventually(async () => {
      const fill = channel.updates.findIndex((u) => u.type === 'fill' && u.payload.symbol === symbol);
      const balance = channel.updates.findLast((u) => u.type === 'balance');
      return fill >= 0 && balance?.payload.cash === (await cashNow()) ? true : undefined;
    }, 15_000);

  it('after a paper fill, the owner hears order, fill, position and balance in seq order on both replicas', async () => {
    const mine = await Channel.open(gateway, alice.token);
    const from = mine.control('welcome')!.payload.seq as number;
    expect(
      (await client.http('POST', '/api/virtual-broker/market/ticks', stack.adminToken(), {})).status,
    ).toBe(200);
    const started = Date.now();
    expect((await order({ symbol: 'AAPL', quantity: 5 })).status).toBe(201);
    await settledAfterFill(mine, 'AAPL');
    progress(`order → balance on the channel in ${Date.now() - started} ms`);

    const seqs = mine.updates.map((u) => u.seq);
    expect(seqs).toEqual(seqs.map((_, i) => from + 1 + i));
    const types = mine.updates.map((u) => `${u.type}:${u.payload.event ?? ''}`);
    expect(types).toEqual(
      expect.arrayContaining(['order:OrderPlaced', 'fill:OrderFilled', 'position:', 'balance:']),
    );
    expect(types.indexOf('fill:OrderFilled')).toBeGreaterThan(types.indexOf('order:OrderPlaced'));
    expect(mine.updates.find((u) => u.type === 'position')?.payload).toMatchObject({
      symbol: 'AAPL',
      quantity: '5',
    });

    await eventually(async () => (onOtherReplica.raw.length >= mine.raw.length ? true : undefined), 10_000);
    const sameSpan = onOtherReplica.raw.filter((text) => (JSON.parse(text) as Message).seq! > from);
    expect(sameSpan.slice(0, mine.raw.length)).toEqual(mine.raw);
    mine.socket.close();
  });

  it("never sends a user another user's updates", () => {
    expect(bobs.updates).toEqual([]);
    const seen = JSON.stringify(bobs.messages);
    for (const id of [alice.userId, paperAccountId]) expect(seen).not.toContain(id);
  });

  it('a socket closed mid-stream and reopened with since receives exactly the updates it missed', async () => {
    const first = await Channel.open(gateway, alice.token);
    expect((await order({ symbol: 'MSFT', quantity: 1 })).status).toBe(201);
    await settledAfterFill(first, 'MSFT');
    const lastRead = first.updates.at(-1)!.seq!;
    first.socket.close();

    expect((await order({ symbol: 'MSFT', quantity: 2 })).status).toBe(201);
    expect((await order({ symbol: 'AAPL', quantity: 1, side: 'SELL' })).status).toBe(201);
    await eventually(async () => {
      const sold = onOtherReplica.updates.some(
        (u) => u.payload.event === 'OrderFilled' && u.payload.side === 'sell',
      );
      const balance = onOtherReplica.updates.findLast((u) => u.type === 'balance');
      return sold && balance?.payload.cash === (await cashNow()) ? true : undefined;
    }, 15_000);
    const missed = onOtherReplica.raw.filter((text) => (JSON.parse(text) as Message).seq! > lastRead);

    const resumed = await Channel.open(gateway, alice.token, lastRead);
    await eventually(async () => (resumed.raw.length >= missed.length ? true : undefined), 10_000);
    expect(resumed.raw).toEqual(missed);
    expect(resumed.control('resync')).toBeUndefined();

    const ahead = await Channel.open(otherGateway, alice.token, resumed.updates.at(-1)!.seq! + 1000);
    await eventually(async () => ahead.control('resync'), 10_000);
    [resumed, ahead].forEach((channel) => channel.socket.close());
  });

  it('the example client of docs/realtime.md prints the updates of an order', async () => {
    const example = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/realtime-client.ts', `http://127.0.0.1:${gateway}`],
      {
        cwd: join(__dirname, '../..'),
        env: { ...process.env, ACCESS_TOKEN: alice.token },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let printed = '';
    example.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const connected = new Promise((resolve) =>
      example.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('connected') && resolve(true)),
    );
    try {
      await connected;
      expect((await order({ symbol: 'AAPL', quantity: 1 })).status).toBe(201);
      await eventually(
        async () => (/ fill \{"event":"OrderFilled"/.test(printed) ? true : undefined),
        15_000,
      );
      expect(printed).toMatch(/^#\d+ \S+ order \{"event":"OrderPlaced"/m);
    } finally {
      example.kill();
    }
  });

  it('closes the socket of a login that ends with 4403', async () => {
    const { email, password } = alice;
    const login = await client.http('POST', '/api/auth/login', undefined, { email, password });
    const channel = await Channel.open(otherGateway, login.body.accessToken);
    const logout = await client.http('POST', '/api/auth/logout', undefined, {
      refreshToken: login.body.refreshToken,
    });
    expect(logout.status).toBeLessThan(300);
    expect(await channel.closed).toBe(4403);
  });

  it('answers a since that is no seq with 400, and a missing token with 401', async () => {
    const refused = (path: string, protocols: string[]) =>
      new Promise<number>((resolve) =>
        new WebSocket(`ws://127.0.0.1:${gateway}${path}`, protocols).once(
          'unexpected-response',
          (_req, res) => resolve(res.statusCode ?? 0),
        ),
      );
    expect(await refused('/api/realtime?since=-1', ['bearer', alice.token])).toBe(400);
    expect(await refused('/api/realtime', [])).toBe(401);
  });

  it('cuts a client that never reads with a close code, without the services buffering for it', async () => {
    const stuck = await Channel.open(gateway, alice.token);
    stuck.readPaused.pause();
    const before = { account: rssMb(stack.pid('broker-account')), gateway: rssMb(stack.pid('api-gateway')) };
    const from = onOtherReplica.updates.at(-1)!.seq!;
    const flood = 1500;
    // Saga progress for alice as the orchestrator would publish it, 16 kB each: 24 MB in all.
    const records = Array.from({ length: flood }, (_, i) =>
      toKafkaRecord({
        messageId: randomUUID(),
        type: 'SagaStepCompleted',
        schemaVersion: 1,
        streamId: randomUUID(),
        streamVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: randomUUID(),
        causationId: null,
        payload: {
          sagaId: randomUUID(),
          sagaType: 'Flood',
          aggregateId: alice.userId,
          parentSagaId: null,
          userId: alice.userId,
          at: new Date().toISOString(),
          step: `${i}:${'x'.repeat(16_000)}`,
        },
      }),
    );
    for (let i = 0; i < flood; i += 100)
      await stack.produce('saga-orchestrator.events', records.slice(i, i + 100));
    await eventually(
      async () => (onOtherReplica.updates.at(-1)!.seq! >= from + flood ? true : undefined),
      180_000,
    );
    const after = { account: rssMb(stack.pid('broker-account')), gateway: rssMb(stack.pid('api-gateway')) };
    progress(
      `never-reading client: RSS broker-account ${before.account}→${after.account} MB, gateway ${before.gateway}→${after.gateway} MB for a 24 MB flood`,
    );

    stuck.readPaused.resume();
    expect(await stuck.closed).toBe(4008);
    expect(stuck.updates.length).toBeLessThan(flood);
    expect(after.account - before.account).toBeLessThan(100);
    expect(after.gateway - before.gateway).toBeLessThan(100);
    const seqs = onOtherReplica.updates.map((u) => u.seq!);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
  }, 240_000);
});
