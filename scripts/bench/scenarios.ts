import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { type GatewayClient, waitFor } from '../lib/gateway-client';
import type { Lane } from './load';

export interface Trader {
  readonly token: string;
  readonly connectionIds: readonly string[];
  readonly accountIds: readonly string[];
}

interface ConnectionView {
  readonly status: string;
  readonly requestedAt: string;
  readonly virtualAccountIds: string[];
}

interface SagaRow {
  readonly aggregateId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly finishedAt: string | null;
}

/** How often a saga burst's end is looked for (BENCH_SAGA_POLL_MS; the bench polled every 50 ms before round two). */
const BURST_POLL_MS = Number(process.env.BENCH_SAGA_POLL_MS ?? 1000);

/** Users with paper accounts rich enough that the bench's orders never run out of buying power. */
export async function provisionTraders(
  client: GatewayClient,
  users: number,
  accountsEach: number,
  connectionsEach = 1,
): Promise<Trader[]> {
  // One at a time: registration and login hash passwords on purpose slowly, and ten at once on a
  // busy 2-core machine outlast the gateway's upstream timeout.
  const traders: Trader[] = [];
  for (let i = 0; i < users; i++) {
    const email = `bench-${randomUUID()}@example.com`;
    const password = 'Bench-Passw0rd!';
    await client.call('POST', '/api/auth/register', { body: { email, password, displayName: 'Bench' } });
    const token = await client.login(email, password);
    const connectionIds: string[] = [];
    const accountIds: string[] = [];
    for (let c = 0; c < connectionsEach; c++) {
      const { connectionId } = await connect(client, token, accountsEach);
      connectionIds.push(connectionId);
      accountIds.push(...(await waitConnected(client, token, connectionId)).virtualAccountIds);
    }
    traders.push({ token, connectionIds, accountIds });
  }
  return traders;
}

export async function connect(
  client: GatewayClient,
  token: string,
  count = 1,
): Promise<{ connectionId: string }> {
  const answer = await client.call<{ connectionId: string }>('POST', '/api/broker-connections', {
    token,
    body: { broker: 'virtual', mode: 'paper', paperAccounts: { count, startingCash: '100000000.00' } },
  });
  return answer.body;
}

async function waitConnected(
  client: GatewayClient,
  token: string,
  connectionId: string,
): Promise<ConnectionView> {
  let view: ConnectionView | undefined;
  await waitFor(`connection ${connectionId}`, 60_000, async () => {
    view = (await client.call<ConnectionView>('GET', `/api/broker-connections/${connectionId}`, { token }))
      .body;
    if (view.status === 'FAILED') throw new Error(`connection ${connectionId} failed`);
    return view.status === 'CONNECTED';
  });
  return view!;
}

/**
 * Per account, a market buy of one share then a market sell of it: each is a full write (load,
 * decide, append with outbox and inline projections, fill at the quote) and nothing piles up,
 * so the hundredth second costs what the first did. Resting limit orders would grow every
 * account's state and every quote tick's work for as long as the bench runs.
 */
export function orderLanes(traders: readonly Trader[]): Lane[] {
  return traders.flatMap((trader) =>
    trader.accountIds.map((accountId) =>
      (['BUY', 'SELL'] as const).map((side) => ({
        method: 'POST' as const,
        path: `/api/virtual-broker/accounts/${accountId}/orders`,
        headers: { authorization: `Bearer ${trader.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: 'AAPL', side, type: 'MARKET', quantity: 1 }),
      })),
    ),
  );
}

export function accountReads(traders: readonly Trader[]): Lane[] {
  return traders.flatMap((trader) =>
    trader.accountIds.map((accountId) => [
      {
        method: 'GET' as const,
        path: `/api/virtual-broker/accounts/${accountId}`,
        headers: { authorization: `Bearer ${trader.token}` },
      },
    ]),
  );
}

export interface SagaRun {
  /** From the connection request's commit (requestedAt) to the saga's COMPLETED (finishedAt), ms. */
  readonly endToEnd: number[];
  readonly perSecond: number;
  readonly startedAt: Date;
}

/**
 * `count` BrokerConnection sagas for the virtual broker, `concurrency` requests in flight; the
 * timings are the suite's own (connection requestedAt, saga finishedAt from the ops API).
 */
export async function runSagas(
  client: GatewayClient,
  adminToken: string,
  traders: readonly Trader[],
  count: number,
  concurrency: number,
): Promise<SagaRun> {
  const startedAt = new Date();
  const requested = new Map<string, string>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) {
        const trader = traders[index % traders.length];
        const { connectionId } = await connect(client, trader.token);
        requested.set(connectionId, trader.token);
        if (concurrency === 1) await waitConnected(client, trader.token, connectionId);
      }
    }),
  );
  let sagas: SagaRow[] = [];
  // The timings come from the saga rows, so how often this looks changes none of them; but each look
  // lists 500 sagas through the gateway and the CPU meter charges it to the sagas, the more the
  // slower they run (docs/performance.md, round two).
  await waitFor(
    `${count} BrokerConnection sagas`,
    120_000,
    async () => {
      const list = await client.call<{ sagas: SagaRow[] }>(
        'GET',
        '/ops/sagas?type=BrokerConnection&limit=500',
        {
          token: adminToken,
        },
      );
      sagas = list.body.sagas.filter((saga) => requested.has(saga.aggregateId) && saga.finishedAt);
      return sagas.length === count;
    },
    concurrency === 1 ? 50 : BURST_POLL_MS,
  );
  const failed = sagas.filter((saga) => saga.status !== 'COMPLETED');
  if (failed.length) throw new Error(`${failed.length} sagas did not complete: ${JSON.stringify(failed[0])}`);
  const requestedAt = new Map<string, number>();
  for (const [connectionId, token] of requested) {
    const view = await client.call<ConnectionView>('GET', `/api/broker-connections/${connectionId}`, {
      token,
    });
    requestedAt.set(connectionId, Date.parse(view.body.requestedAt));
  }
  const endToEnd = sagas.map((saga) => Date.parse(saga.finishedAt!) - requestedAt.get(saga.aggregateId)!);
  const first = Math.min(...requestedAt.values());
  const last = Math.max(...sagas.map((saga) => Date.parse(saga.finishedAt!)));
  return { endToEnd, perSecond: count / ((last - first) / 1000), startedAt };
}

/**
 * Commit in broker-connection → handled in another service (broker-account's projection, the
 * orchestrator's saga triggers): each inbox row's `handled_at`, its transaction's start, against
 * the event's `occurred_at` (set just before the appending transaction), for events since `since`.
 */
export async function propagation(databaseUrl: string, since: Date): Promise<number[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const rows = await client.query<{ ms: string }>(
    `SELECT extract(epoch FROM i.handled_at - e.occurred_at) * 1000 AS ms
       FROM broker_connection.events e
       JOIN (SELECT message_id, handled_at FROM broker_account.inbox
             UNION ALL SELECT message_id, handled_at FROM saga_orchestrator.inbox
              WHERE consumer = 'saga-orchestrator.saga-triggers') i ON i.message_id = e.message_id::text
      WHERE e.occurred_at >= $1`,
    [since],
  );
  await client.end();
  return rows.rows.map((row) => Number(row.ms));
}

interface BrokerAccountView {
  readonly virtualAccountId?: string;
  readonly balance?: { readonly cash: string };
}

/**
 * Market orders of one share, one at a time on one paper account: each sample runs from the
 * order's 201 (its fill is committed by then) until GET /api/broker-accounts shows the new cash,
 * polled every 5 ms through the gateway.
 */
export async function fillToBalance(
  client: GatewayClient,
  trader: Trader,
  samples: number,
): Promise<number[]> {
  const [accountId] = trader.accountIds;
  const cashOf = async () =>
    (
      await client.call<BrokerAccountView[]>('GET', '/api/broker-accounts', { token: trader.token })
    ).body.find((account) => account.virtualAccountId === accountId)?.balance?.cash;
  const times: number[] = [];
  let cash = await cashOf();
  for (let i = 0; i < samples; i++) {
    await client.call('POST', `/api/virtual-broker/accounts/${accountId}/orders`, {
      token: trader.token,
      body: { symbol: 'AAPL', side: i % 2 === 0 ? 'BUY' : 'SELL', type: 'MARKET', quantity: 1 },
      expect: [201],
    });
    const filledBy = performance.now();
    const before = cash;
    await waitFor(`the fill on ${accountId} in broker-account`, 10_000, async () => {
      cash = await cashOf();
      if (cash !== before) return true;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return false;
    });
    times.push(performance.now() - filledBy);
  }
  return times;
}
