import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import Redis from 'ioredis';
import { Client } from 'pg';
import { consumersBehind } from '../lib/consumer-lag';
import { isTopicReaderGroup } from '../lib/topic-tools';
import { GatewayClient, waitFor } from '../lib/gateway-client';
import { connect, provisionTraders } from './scenarios';
import { shareOf, SuiteDatabase, topicCounts } from './scale-out-evidence';
import { type LoadDriven, writeScaleOutReport } from './scale-out-report';
import { automationOf, signalBurst } from './signals';
import { startSuite } from './suite-process';

// `npm run bench:scale-out`: the suite as the prod overlay runs it with two replicas of everything
// (two gateways; per service two api processes and two workers), a mixed load through both
// gateways, then from the processes' metrics, the topics and the databases: who did the work, and
// whether anything was done twice. Too many processes for CI; run it under the e2e lock.
const DEFAULTS: Record<string, string> = {
  GATEWAY_PORT: '3800',
  DEV_BROKER_PORT: '9892',
  DEV_BROKER_DATA_DIR: '.data/kafka-scale-out',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tradecore_scale_out',
  REDIS_URL: 'redis://127.0.0.1:6379/8',
  RATE_LIMIT_MAX: '1000000',
  BROKER_CONNECTIONS_PER_USER: '1000000',
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000',
  LOG_LEVEL: 'warn',
  // 24 processes with a database: at the default 10 connections each (+ the relay's session) they
  // would ask PostgreSQL for ~260 at worst, beyond its default max_connections of 100; at 3, ≤ 96.
  DATABASE_POOL_SIZE: '3',
};
for (const [key, value] of Object.entries(DEFAULTS)) process.env[key] ??= value;
const env = process.env;
const REPLICAS = 2;
const USERS = Number(env.SCALE_OUT_USERS ?? 8);
const SAGA_BURST = Number(env.SCALE_OUT_SAGAS ?? 32);
const ORDERS_PER_ACCOUNT = Number(env.SCALE_OUT_ORDERS ?? 12);
// An automation on every account (16 by default): automation's order consumer acts only on those
// accounts' orders, keyed by account, so with 4 of them both workers' partitions seldom got one.
const AUTOMATIONS = Number(env.SCALE_OUT_AUTOMATIONS ?? 2 * USERS);
const SIGNALS_EACH = Number(env.SCALE_OUT_SIGNALS ?? 4);
const CONCURRENCY = 8;

async function main(): Promise<void> {
  // The launcher's ports follow GATEWAY_PORT, read when its modules load: after the defaults above.
  const { processesOf } = await import('../launcher/replicas');
  const { services } = await import('../launcher/services');
  const processes = processesOf(services, undefined, REPLICAS);
  await freshState();
  console.log(
    `scale-out: starting ${processes.length} processes (gateway :${env.GATEWAY_PORT}, ${env.DATABASE_URL})`,
  );
  const started = performance.now();
  const suite = await startSuite(env, '.data/scale-out-suite.log', ['--replicas', String(REPLICAS)]);
  const startupSeconds = (performance.now() - started) / 1000;
  const database = await SuiteDatabase.open(env.DATABASE_URL!);
  try {
    const lanes = processes
      .filter(({ service }) => !service.schema)
      .map(({ port }) => new GatewayClient(`http://127.0.0.1:${port}`));
    const loadStarted = performance.now();
    const load = await drive(lanes, database);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const behind = await settle(env.DEV_BROKER_PORT!);
    const shares = await Promise.all(processes.map(shareOf));
    const topics = await topicCounts(`127.0.0.1:${env.DEV_BROKER_PORT}`);
    const schemas = services.flatMap(({ schema }) => (schema ? [schema] : []));
    const passed = writeScaleOutReport({
      startupSeconds,
      loadSeconds,
      loadAverage: loadavg(),
      load,
      behind,
      shares,
      topics,
      inboxes: await database.inboxes(schemas),
      sagas: await database.sagas(load.connectionIds),
      ledgers: await database.ledgers(load.accountIds, load.orderIds),
    });
    process.exitCode = passed ? 0 : 1;
  } finally {
    await database.close();
    await suite.stop();
  }
}

/** A run starts from nothing, so every message on a topic and every inbox row is this run's. */
async function freshState(): Promise<void> {
  rmSync(env.DEV_BROKER_DATA_DIR!, { recursive: true, force: true });
  const url = new URL(env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  const redis = new Redis(env.REDIS_URL!);
  await redis.flushdb();
  redis.disconnect();
}

/**
 * Users registering and connecting paper accounts (each a BrokerConnection saga), a burst of more
 * connections, market orders on every account, and webhook signals to automations: each request
 * through the two gateways in turn, so both lanes' api processes take a share.
 */
async function drive(lanes: readonly GatewayClient[], database: SuiteDatabase): Promise<LoadDriven> {
  const lane = (index: number) => lanes[index % lanes.length];
  const traders = (
    await Promise.all(lanes.map((client) => provisionTraders(client, Math.ceil(USERS / lanes.length), 2)))
  ).flat();
  console.log(`scale-out: ${traders.length} users with ${traders.length * 2} paper accounts`);

  const burst = await inParallel(SAGA_BURST, (index) =>
    connect(lane(index), traders[index % traders.length].token).then(({ connectionId }) => connectionId),
  );
  const connectionIds = [...traders.flatMap((trader) => trader.connectionIds), ...burst];
  await waitFor(
    `${connectionIds.length} BrokerConnection sagas`,
    120_000,
    async () => {
      const sagas = await database.sagas(connectionIds);
      return sagas.completedOnce === connectionIds.length;
    },
    500,
  );
  console.log(`scale-out: ${connectionIds.length} sagas completed`);

  const accountIds = traders.flatMap((trader) => trader.accountIds);
  // One account's orders one after another (a sell needs the share its buy filled), accounts side by side.
  const owners = new Map(traders.flatMap((trader) => trader.accountIds.map((id) => [id, trader] as const)));
  const perAccount = await inParallel(accountIds.length, async (account) => {
    const accountId = accountIds[account];
    const placed: string[] = [];
    for (let n = 0; n < ORDERS_PER_ACCOUNT; n++) {
      const answer = await lane(account + n).call<{ orderId: string }>(
        'POST',
        `/api/virtual-broker/accounts/${accountId}/orders`,
        {
          token: owners.get(accountId)!.token,
          body: { symbol: 'AAPL', side: n % 2 === 0 ? 'BUY' : 'SELL', type: 'MARKET', quantity: 1 },
          expect: [201],
        },
      );
      placed.push(answer.body.orderId);
    }
    return placed;
  });
  const orderIds = perAccount.flat();
  console.log(`scale-out: ${orderIds.length} paper orders placed`);

  const signalled = traders
    .flatMap((trader) => trader.accountIds.map((_, account) => ({ trader, account })))
    .slice(0, AUTOMATIONS);
  const automations = await Promise.all(
    signalled.map(({ trader, account }, index) => automationOf(lane(index), trader, account)),
  );
  await Promise.all(
    lanes.map((client, index) =>
      signalBurst(
        client,
        automations.filter((_, n) => n % lanes.length === index),
        SIGNALS_EACH,
        4,
      ),
    ),
  );
  console.log(`scale-out: ${automations.length * SIGNALS_EACH} webhook signals filled`);

  await waitFor(
    'broker-account to agree with the virtual broker on every paper account',
    60_000,
    () => database.ledgersAgree(accountIds),
    500,
  );
  return {
    users: traders.length,
    connectionIds,
    accountIds,
    orderIds,
    signals: automations.length * SIGNALS_EACH,
    gateways: lanes.map((client) => client.baseUrl),
  };
}

async function inParallel<T>(count: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let index = next++; index < count; index = next++) results[index] = await job(index);
    }),
  );
  return results;
}

/** Waits (up to 30 s) until no consumer group is behind; what still is goes into the report. */
async function settle(brokerPort: string): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'scale-out-bench',
    brokers: [`127.0.0.1:${brokerPort}`],
    logLevel: logLevel.NOTHING,
  });
  const deadline = Date.now() + 30_000;
  let behind = await consumersBehind(kafka, isTopicReaderGroup);
  while (behind.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    behind = await consumersBehind(kafka, isTopicReaderGroup);
  }
  return behind;
}

main().catch((error: unknown) => {
  console.error(`bench:scale-out failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
