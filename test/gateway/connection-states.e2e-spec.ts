import { randomUUID } from 'node:crypto';
import type { AlpacaSandbox, TradeStationSandbox } from '@tradecore/broker-sandboxes';
import type { ChaosClient, ChaosUser } from '../chaos/support/chaos-client';
import { APPS, type ChaosStack, eventually, progress } from '../chaos/support/chaos-stack';
import { Channel } from '../support/realtime-channel';
import {
  accountOf,
  connectAlpaca,
  connectTradeStation,
  newAlpacaKeyId,
  streamOf as streamStatus,
} from '../support/sandbox-accounts';
import { QUICK_STREAMS, useSuiteWithBothSandboxes } from '../support/sandbox-suite';

/**
 * Issue 22's "visible to the user": every compiled app behind the gateway (`npm run build` first)
 * and the local Alpaca and TradeStation sandboxes. The health monitor's and the token upkeep's
 * findings travel as contract events on broker-connection.events to broker-account, which pushes
 * them to the owner's /api/realtime channel as `connection.state`; the ops API counts them.
 */
const GATEWAY_PORT = APPS['api-gateway'];

describe('connection states on the real-time channel and the ops API (issue 22)', () => {
  let alpaca: AlpacaSandbox;
  let tradeStation: TradeStationSandbox;
  let stack: ChaosStack;
  let client: ChaosClient;
  let owner: ChaosUser;
  let other: ChaosUser;
  let mine: Channel;
  let theirs: Channel;
  const apiKeyId = newAlpacaKeyId();
  const suite = useSuiteWithBothSandboxes(
    {
      UPKEEP_TICK_MS: '250',
      ACCESS_TOKEN_REFRESH_LEAD_MS: '2000',
      HEALTH_CHECK_INTERVAL_MS: '800',
      HEALTH_CHECK_JITTER: '0.2',
      HEALTH_DEGRADED_AFTER: '2',
      HEALTH_OFFLINE_AFTER: '4',
      BROKER_HTTP_RETRIES: '0',
      BROKER_HTTP_TIMEOUT_MS: '2000',
      BROKER_CIRCUIT_HALF_OPEN_MS: '500',
      ...QUICK_STREAMS,
    },
    // Access tokens live 4 s, so the upkeep refreshes one every couple of seconds.
    { alpaca: { tickMs: 100 }, tradeStation: { accessTokenTtlSeconds: 4 } },
  );

  beforeAll(async () => {
    ({ alpaca, tradeStation, stack, client } = suite);
    [owner, other] = [await client.signUp(), await client.signUp()];
    [mine, theirs] = await Promise.all([
      Channel.open(GATEWAY_PORT, owner.token),
      Channel.open(GATEWAY_PORT, other.token),
    ]);
  });

  afterAll(() => [mine, theirs].forEach((channel) => channel?.socket.close()));

  const streamOf = (connectionId: string) => streamStatus(client, owner.token, connectionId);
  const opsConnections = () => client.http('GET', '/ops/connections', stack.adminToken());

  it('pushes DEGRADED and OFFLINE to the owner only during an outage, then recovered, and reopens the stream', async () => {
    const connectionId = await connectAlpaca(client, owner.token, apiKeyId);
    await eventually(async () => ((await streamOf(connectionId)).listening ? true : undefined), 30_000);

    alpaca.setOutage(true);
    const outageAt = Date.now();
    const degraded = await mine.awaitUpdate('connection.state', { connectionId, status: 'DEGRADED' });
    progress(`outage → DEGRADED on the owner's channel in ${Date.now() - outageAt} ms`);
    expect(degraded.payload).toMatchObject({
      event: 'BrokerConnectionDegraded',
      userId: owner.userId,
      reason: { code: expect.stringMatching(/^BROKER_(UNAVAILABLE|TIMEOUT)$/), message: expect.any(String) },
    });
    const offline = await mine.awaitUpdate('connection.state', { connectionId, status: 'OFFLINE' });
    expect(offline.seq!).toBeGreaterThan(degraded.seq!);
    // DEGRADED kept the stream; the next scan (BROKER_STREAM_SCAN_MS) after OFFLINE closes it.
    await eventually(async () => {
      const stream = await streamOf(connectionId);
      return !stream.open && !stream.listening ? true : undefined;
    }, 5_000);

    const ops = await opsConnections();
    expect(ops.status).toBe(200);
    expect(ops.body.byBroker.alpaca.OFFLINE).toBeGreaterThanOrEqual(1);
    expect(ops.body.troubled).toContainEqual(
      expect.objectContaining({ connectionId, broker: 'alpaca', status: 'OFFLINE' }),
    );
    expect((await client.http('GET', '/ops/connections', owner.token)).status).toBe(403);
    // The service's own readiness (not through the gateway) summarises the same counts, informational.
    const ready = await fetch(`http://127.0.0.1:${APPS['broker-connection']}/health/ready`);
    const { details } = (await ready.json()) as {
      details: { brokerConnections: Record<string, Record<string, number>> };
    };
    expect(details.brokerConnections.alpaca.OFFLINE).toBeGreaterThanOrEqual(1);

    alpaca.setOutage(false);
    const backAt = Date.now();
    const recovered = await mine.awaitUpdate('connection.state', { connectionId, status: 'CONNECTED' });
    progress(`outage over → recovered on the owner's channel in ${Date.now() - backAt} ms`);
    expect(recovered.payload).toMatchObject({ event: 'BrokerConnectionRecovered' });
    expect(recovered.seq!).toBeGreaterThan(offline.seq!);
    await eventually(async () => ((await streamOf(connectionId)).listening ? true : undefined), 15_000);
    progress(`outage over → stream listening again in ${Date.now() - backAt} ms`);

    // The reopened stream carries the fill; the channel shows the order, the fill and the position.
    const accountId = await accountOf(client, owner.token, connectionId);
    const orderId = randomUUID();
    const placed = await client.http('POST', `/api/trading/accounts/${accountId}/orders`, owner.token, {
      orderId,
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: 3,
    });
    expect(placed.status).toBe(201);
    await mine.awaitUpdate('order', { event: 'BrokerOrderPlaced', orderId });
    await mine.awaitUpdate('fill', { event: 'BrokerOrderFilled', orderId, filledQuantity: 3 });
    await mine.awaitUpdate('position', { accountId, symbol: 'AAPL', quantity: 3 });
    // The balance the broker reports after the fill, opened for its owner (on the topic it is sealed for automation).
    const spent = await eventually(async () => {
      const balance = mine.updates.findLast((u) => u.type === 'balance' && u.payload.accountId === accountId);
      return balance && Number(balance.payload.cash) < 100_000 ? balance : undefined;
    }, 15_000);
    expect(spent.payload.cash).toMatch(/^\d+(\.\d+)?$/);
    const onTopic = (await stack.readTopic('broker-account.events'))
      .map((record) => JSON.parse(record.value) as { type: string; payload: Record<string, string> })
      .find(
        (envelope) =>
          envelope.type === 'BrokerAccountBalanceUpdated' && envelope.payload.accountId === accountId,
      );
    expect(onTopic?.payload.cash).toMatch(/^sealed:x1:/);

    expect(theirs.updates.filter((update) => update.type.startsWith('connection'))).toEqual([]);
    expect(JSON.stringify(theirs.messages)).not.toContain(connectionId);

    // On the topic the events are the contract's, with nothing personal in them (the account number).
    const upkeep = (await stack.readTopic('broker-connection.events'))
      .map((record) => ({
        text: record.value,
        envelope: JSON.parse(record.value) as { type: string; streamId: string },
      }))
      .filter(
        ({ envelope }) =>
          envelope.streamId === connectionId && /Degraded|Offline|Recovered/.test(envelope.type),
      );
    expect(upkeep.map(({ envelope }) => envelope.type)).toEqual(
      expect.arrayContaining([
        'BrokerConnectionDegraded',
        'BrokerConnectionOffline',
        'BrokerConnectionRecovered',
      ]),
    );
    expect(upkeep.map(({ text }) => text).join()).not.toContain(`PA${apiKeyId.slice(6)}`);
  });

  it('pushes NEEDS_REAUTH with what to do when the broker refuses a token refresh', async () => {
    const connectionId = await connectTradeStation(client, owner.token, tradeStation);

    tradeStation.revokeRefreshTokens(suite.tradeStationClient.clientId);
    const needsReauth = await mine.awaitUpdate('connection.state', { connectionId, status: 'NEEDS_REAUTH' });
    expect(needsReauth.payload).toMatchObject({
      event: 'BrokerConnectionNeedsReauth',
      reason: {
        code: 'BROKER_AUTHORIZATION_REVOKED',
        message: expect.stringContaining('/api/broker-connections/oauth/tradestation/start'),
      },
    });
    expect((await opsConnections()).body.byBroker.tradestation.NEEDS_REAUTH).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(theirs.messages)).not.toContain(connectionId);
  });
});
