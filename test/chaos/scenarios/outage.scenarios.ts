import { TcpProxy } from '../../support/tcp-proxy';
import {
  type App,
  type ChaosStack,
  eventually,
  newLoopbackAddress,
  progress,
  readiness,
  SERVICES,
} from '../support/chaos-stack';
import { settled } from '../support/message-flow';
import { type ChaosWorld, openLimitOrder } from './chaos-world';

/** The outage of issue 17: after 15 s without PostgreSQL the relay never published again. */
export const DATABASE_OUTAGE_MS = 15_000;
export const REDIS_OUTAGE_MS = 10_000;
/** The Redis every app of the stack uses (ChaosStack's REDIS_URL). */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/5';
/** Longer than any service's SHUTDOWN_TIMEOUT_MS (15 s): past it, SIGTERM did not stop the process. */
const SIGTERM_LIMIT_MS = 30_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Proxies {
  readonly database: ReadonlyMap<App, TcpProxy>;
  readonly redis: TcpProxy;
}
let proxies: Proxies | undefined;

/** Stops what `behindProxies` started; after the stack, so no app loses its line at the end. */
export async function closeOutageProxies(): Promise<void> {
  if (!proxies) return;
  for (const proxy of [...proxies.database.values(), proxies.redis]) await proxy.stop();
  proxies = undefined;
}

/** Sends SIGTERM and waits for the exit; how long it took, or a failure when it did not stop by itself. */
async function terminate(stack: ChaosStack, app: App): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>(
    (resolve) => (timer = setTimeout(() => resolve('hung'), SIGTERM_LIMIT_MS)),
  );
  const outcome = await Promise.race([stack.kill(app, 'SIGTERM').then(() => 'stopped' as const), hung]);
  clearTimeout(timer);
  if (outcome === 'hung') {
    await stack.kill(app, 'SIGKILL');
    throw new Error(`${app} did not exit within ${SIGTERM_LIMIT_MS} ms of SIGTERM`);
  }
  return Date.now() - started;
}

/** Restarts every service (by SIGTERM) with DATABASE_URL through a proxy of its own and REDIS_URL through a shared one. */
async function behindProxies(stack: ChaosStack): Promise<Proxies> {
  if (proxies) return proxies;
  const redis = await TcpProxy.inFrontOf(REDIS_URL);
  const database = new Map<App, TcpProxy>();
  for (const app of SERVICES) {
    const front = await TcpProxy.inFrontOf(stack.roleUrls.get(app) as string);
    database.set(app, front.proxy);
    stack.overrides.set(app, { DATABASE_URL: front.url, REDIS_URL: redis.url });
  }
  proxies = { database, redis: redis.proxy };
  await Promise.all(SERVICES.map((app) => terminate(stack, app)));
  for (const app of SERVICES) stack.spawn(app);
  for (const app of SERVICES) await stack.ready(app, 120_000);
  return proxies;
}

async function deadLetters(stack: ChaosStack): Promise<number> {
  let count = 0;
  for (const app of SERVICES)
    count += Number(
      (await stack.sql(`SELECT count(*)::int AS n FROM ${app.replace(/-/g, '_')}.dead_letters`))[0].n,
    );
  return count;
}

/**
 * While the outage lasts: every second, each service's liveness (must stay 200: loops fail and
 * retry, none is stuck) and one request a user would make (a 503 is the right answer, a 500 not).
 */
async function duringOutage(world: ChaosWorld, ms: number, request: () => Promise<number>) {
  const until = Date.now() + ms;
  const notLive: string[] = [];
  const answers = new Map<number, number>();
  while (Date.now() < until) {
    for (const app of SERVICES) {
      const live = await readiness(`${world.stack.url(app)}/health/live`).catch((error: Error) => ({
        status: 0,
        text: error.message,
      }));
      if (live.status !== 200) notLive.push(`${app} ${live.status} ${live.text.slice(0, 200)}`);
    }
    const status = await request().catch(() => 0);
    answers.set(status, (answers.get(status) ?? 0) + 1);
    await pause(1000);
  }
  return { notLive, answers };
}

/** Each service ready again, and when, counted from the moment the line came back. */
async function readyAgain(stack: ChaosStack, restoredAt: number): Promise<Record<string, number>> {
  const after: Record<string, number> = {};
  await Promise.all(
    SERVICES.map(async (app) => {
      await stack.ready(app, 120_000);
      after[app] = Date.now() - restoredAt;
    }),
  );
  return after;
}

const describeAnswers = (answers: Map<number, number>) =>
  [...answers].map(([status, count]) => `${count}× ${status || 'no answer'}`).join(', ');
const fiveXxBut503 = (answers: Map<number, number>) =>
  [...answers].filter(([status]) => status >= 500 && status !== 503).reduce((sum, [, n]) => sum + n, 0);

export async function databaseOutageRecovers(world: ChaosWorld): Promise<void> {
  const { stack, client, summary, owner } = world;
  const { database } = await behindProxies(stack);
  const trader = await client.signUp();
  const lettersBefore = await deadLetters(stack);
  const ordersPath = `/api/virtual-broker/accounts/${world.ownerPaperAccount}/orders`;
  const placedBefore = await stack.http('POST', ordersPath, owner.token, openLimitOrder);
  expect(placedBefore.status).toBe(201);
  // A saga in flight when the line is cut.
  const inFlight = await client.requestVirtualConnection(trader.token);

  progress(`cutting every service's line to PostgreSQL for ${DATABASE_OUTAGE_MS / 1000} s`);
  await Promise.all([...database.values()].map((proxy) => proxy.stop()));
  const outage = await duringOutage(
    world,
    DATABASE_OUTAGE_MS,
    async () => (await stack.http('POST', ordersPath, owner.token, openLimitOrder)).status,
  );
  await Promise.all([...database.values()].map((proxy) => proxy.start()));
  const restoredAt = Date.now();
  const ready = await readyAgain(stack, restoredAt);

  await client.settledSagas([inFlight]);
  const inFlightOutcome = (await client.sagasOf(inFlight)).map((saga) => saga.status).join(', ');
  const afterwards = await client.connectVirtual(trader.token);
  const placedAfter = await stack.http('POST', ordersPath, owner.token, openLimitOrder);
  await settled(stack, 180_000);
  const settledAfterMs = Date.now() - restoredAt;
  const open = JSON.stringify((await stack.http('GET', `${ordersPath}?status=OPEN`, owner.token)).body);
  const lost = [placedBefore, placedAfter].filter((placed) => !open.includes(placed.body.orderId)).length;
  const newLetters = (await deadLetters(stack)) - lettersBefore;
  // Shutdown after an outage: the orchestrator holds the most loops (deadlines, locks, three consumers).
  const sigtermMs = await terminate(stack, 'saga-orchestrator');
  stack.spawn('saga-orchestrator');
  await stack.ready('saga-orchestrator', 120_000);

  const recovered = outage.notLive.length === 0 && newLetters === 0 && lost === 0;
  summary.add(`database outage ${DATABASE_OUTAGE_MS / 1000} s, every service through its own proxy`, {
    faults: SERVICES.length,
    survived: recovered ? SERVICES.length : 0,
    lost: lost + newLetters,
    inputs: [...outage.answers.values()].reduce((sum, n) => sum + n, 0) + 2,
    fiveXx: fiveXxBut503(outage.answers),
    notes:
      `ready again after ${Object.entries(ready)
        .map(([app, ms]) => `${app} ${ms} ms`)
        .join(
          ', ',
        )}; settled ${settledAfterMs} ms after the line came back; orders during the outage ${describeAnswers(outage.answers)}; ` +
      `saga in flight at the cut ${inFlightOutcome}; SIGTERM afterwards exited in ${sigtermMs} ms`,
  });
  expect(outage.notLive.slice(0, 5)).toEqual([]);
  expect(fiveXxBut503(outage.answers)).toBe(0);
  expect(afterwards).toBeDefined();
  expect(placedAfter.status).toBe(201);
  expect(lost).toBe(0);
  expect(newLetters).toBe(0);
}

export async function redisOutageRecovers(world: ChaosWorld): Promise<void> {
  const { stack, client, summary } = world;
  const { redis } = await behindProxies(stack);
  const trader = await client.signUp();
  // From an address of its own: the suite's other logins share 127.0.0.1's login budget.
  const address = newLoopbackAddress();
  const login = () =>
    client.http(
      'POST',
      '/api/auth/login',
      undefined,
      { email: trader.email, password: trader.password },
      undefined,
      {
        from: address,
      },
    );

  progress(`cutting the line to Redis for ${REDIS_OUTAGE_MS / 1000} s`);
  await redis.stop();
  const outage = await duringOutage(world, REDIS_OUTAGE_MS, async () => (await login()).status);
  await redis.start();
  const restoredAt = Date.now();
  const ready = await readyAgain(stack, restoredAt);
  const loggedIn = await eventually(async () => {
    const answer = await login();
    return answer.status === 200 ? answer : undefined;
  }, 60_000);
  // A connection saga takes the orchestrator's Redis lock on the aggregate.
  const connection = await client.connectVirtual(trader.token);
  await settled(stack, 180_000);

  summary.add(`Redis outage ${REDIS_OUTAGE_MS / 1000} s`, {
    faults: 1,
    survived: outage.notLive.length === 0 && fiveXxBut503(outage.answers) === 0 ? 1 : 0,
    inputs: [...outage.answers.values()].reduce((sum, n) => sum + n, 0) + 1,
    fiveXx: fiveXxBut503(outage.answers),
    notes: `ready again after ${Math.max(...Object.values(ready))} ms; logins during the outage ${describeAnswers(outage.answers)}`,
  });
  expect(outage.notLive.slice(0, 5)).toEqual([]);
  expect(fiveXxBut503(outage.answers)).toBe(0);
  expect(loggedIn.status).toBe(200);
  expect(connection).toBeDefined();
}
