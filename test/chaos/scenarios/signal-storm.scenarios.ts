import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { ChaosUser } from '../support/chaos-client';
import { type App, eventually } from '../support/chaos-stack';
import { fuzzBody } from '../support/fuzz-inputs';
import { settled } from '../support/message-flow';
import { type ChaosWorld } from './chaos-world';
import { killEach } from './saga-storm.scenarios';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Below WEBHOOK_RATE_LIMIT_PER_MINUTE (120), so no signal is refused for its rate. */
const SIGNALS_PER_AUTOMATION = 100;
const KILLED: App[] = ['automation', 'virtual-broker', 'broker-account'];
/** An automation's signal has had its say once it is refused, or the broker has answered its order. */
const UNDECIDED = ['RECEIVED', 'ACCEPTED'];

async function automationOf(world: ChaosWorld, trader: ChaosUser) {
  const { stack, client } = world;
  await client.connectVirtual(trader.token);
  const account = await eventually(async () => {
    const accounts = (await stack.http('GET', '/api/broker-accounts', trader.token)).body;
    return Array.isArray(accounts) && accounts[0] ? accounts[0] : undefined;
  }, 60_000);
  const created = await eventually(async () => {
    const answer = await stack.http('POST', '/api/automations', trader.token, {
      accountId: account.accountId,
      name: 'storm',
      symbol: 'AAPL',
      sizing: { kind: 'fixed-quantity', quantity: 1 },
      maxEntriesPerDirection: SIGNALS_PER_AUTOMATION,
    });
    return answer.status === 201 ? answer.body : undefined;
  }, 60_000);
  return { automationId: created.automationId as string, path: new URL(created.webhookUrl).pathname };
}

/**
 * A careful sender: a signal the platform did not take (a service down for a moment) is sent again
 * with the same signalId, so the second try is either the first receipt or a DUPLICATE.
 */
async function sendUntilTaken(world: ChaosWorld, path: string, body: object): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const answer = await world.stack
      .http('POST', path, undefined, undefined, JSON.stringify(body), {
        headers: { 'content-type': 'text/plain' },
      })
      .catch(() => undefined);
    if (answer && (answer.status === 202 || answer.status === 200)) return attempt;
    if (attempt >= 120) throw new Error(`signal ${JSON.stringify(body)} never taken: ${answer?.status}`);
    await pause(500);
  }
}

/** Webhook signals while the automation, the paper broker and broker-account are SIGKILLed: each decided once, none lost. */
export async function signalsSurviveSigkill(world: ChaosWorld): Promise<void> {
  const { stack, client, summary, scale } = world;
  const count = Math.ceil(scale.signals / SIGNALS_PER_AUTOMATION);
  const automations: Awaited<ReturnType<typeof automationOf>>[] = [];
  for (let index = 0; index < count; index++)
    automations.push(await automationOf(world, await client.signUp()));
  const run = randomBytes(4).toString('hex');
  const signals = Array.from({ length: scale.signals }, (_, index) => ({
    automation: automations[index % count],
    body: { ticker: 'AAPL', action: index % 5 === 4 ? 'exit' : 'buy', signalId: `storm-${run}-${index}` },
  }));

  const kills: string[] = [];
  const started = Date.now();
  const storm = killEach(stack, KILLED, kills);
  const batch = 20;
  const spacing = (scale.signalSeconds * 1000) / Math.ceil(signals.length / batch);
  let retried = 0;
  for (let index = 0; index < signals.length; index += batch) {
    const due = started + (index / batch) * spacing;
    await pause(Math.max(0, due - Date.now()));
    const attempts = await Promise.all(
      signals
        .slice(index, index + batch)
        .map((signal) => sendUntilTaken(world, signal.automation.path, signal.body)),
    );
    retried += attempts.filter((attempt) => attempt > 1).length;
  }
  const sentInMs = Date.now() - started;
  await storm;
  for (const app of KILLED) await stack.ready(app, 120_000);
  await settled(stack, 240_000);

  const ids = automations.map((automation) => automation.automationId);
  const rows = await stack.sql<{ sent: string; status: string; order_id: string | null }>(
    `SELECT payload->>'signalId' AS sent, status, order_id FROM automation.signals WHERE automation_id = ANY($1)`,
    [ids],
  );
  const received = new Map<string, number>();
  for (const row of rows) received.set(row.sent, (received.get(row.sent) ?? 0) + 1);
  const lost = signals.filter((signal) => !received.has(signal.body.signalId)).map((s) => s.body.signalId);
  const doubled = [...received].filter(([, times]) => times > 1).map(([sent]) => sent);
  const undecided = rows
    .filter((row) => UNDECIDED.includes(row.status))
    .map((row) => `${row.sent} ${row.status}`);
  const orderIds = rows.flatMap((row) => (row.order_id ? [row.order_id] : []));
  const orders = await stack.sql<{ order_id: string; placed: number }>(
    `SELECT payload->>'orderId' AS order_id, count(*)::int AS placed FROM virtual_broker.events
     WHERE type IN ('OrderPlaced', 'OrderRejected') AND payload->>'orderId' = ANY($1) GROUP BY 1`,
    [orderIds],
  );
  const placedTwice = orders.filter((order) => order.placed > 1).map((order) => order.order_id);
  const neverReached = orderIds.length - orders.length;
  const byStatus = rows.reduce<Record<string, number>>(
    (tally, row) => ({ ...tally, [row.status]: (tally[row.status] ?? 0) + 1 }),
    {},
  );
  summary.add(`${signals.length} webhook signals under SIGKILL (${kills.length} kills)`, {
    faults: kills.length,
    survived:
      lost.length + doubled.length + undecided.length + placedTwice.length + neverReached === 0
        ? signals.length
        : 0,
    inputs: signals.length,
    lost: lost.length + undecided.length + neverReached,
    notes: `sent in ${(sentInMs / 1000).toFixed(1)} s, ${retried} sent again while a service was down; ${orderIds.length} orders; by status ${JSON.stringify(byStatus)}`,
  });
  expect(new Set(kills)).toEqual(new Set(KILLED));
  expect(lost.slice(0, 10)).toEqual([]);
  expect(doubled.slice(0, 10)).toEqual([]);
  expect(undecided.slice(0, 10)).toEqual([]);
  expect(placedTwice).toEqual([]);
  expect(neverReached).toBe(0);
}

/** A new automation for every 100 bodies, so the per-URL rate limit never answers in the parser's place. */
const BODIES_PER_AUTOMATION = 100;

/** fast-check bodies (and TradersPost-shaped ones with fuzzed fields) on live webhook URLs: no 5xx, every 4xx named. */
export async function fuzzedWebhooksAreRefusedPolitely(world: ChaosWorld): Promise<void> {
  const { stack, client, summary, scale } = world;
  const runs = scale.fuzzRuns * 8;
  const trader = await client.signUp();
  const first = await automationOf(world, trader);
  const paths = [first.path];
  const failures: string[] = [];
  let tried = 0;
  const signalShaped = fc.record({
    ticker: fc.oneof(fc.constant('AAPL'), fc.string()),
    action: fc.oneof(fc.constantFrom('buy', 'sell', 'exit', 'add', 'cancel'), fc.anything()),
    quantity: fc.anything(),
    price: fc.anything(),
    takeProfit: fc.anything(),
    stopLoss: fc.anything(),
    signalId: fc.anything(),
  });
  const body: fc.Arbitrary<{ value?: unknown; raw?: string }> = fc.oneof(
    fuzzBody(),
    signalShaped.map((value) => ({ value })),
  );
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (input, asText) => {
      if (tried > 0 && tried % BODIES_PER_AUTOMATION === 0) {
        const rotated = await stack.http(
          'POST',
          `/api/automations/${first.automationId}/rotate-token`,
          trader.token,
        );
        paths.push(new URL(rotated.body.webhookUrl).pathname);
      }
      tried++;
      const raw = input.raw ?? JSON.stringify(input.value) ?? '';
      const result = await stack
        .http('POST', paths.at(-1)!, undefined, undefined, raw, {
          headers: { 'content-type': asText ? 'text/plain' : 'application/json' },
        })
        .catch((error: Error) => ({ status: 599, text: `no answer: ${error.message}`, body: undefined }));
      const named = typeof result.body?.code === 'string' && typeof result.body?.message === 'string';
      if (result.status >= 500 || (result.status >= 400 && !named))
        failures.push(`${raw.slice(0, 120)} → ${result.status} ${result.text.slice(0, 200)}`);
    }),
    { numRuns: runs, seed: Number(process.env.CHAOS_SEED ?? 4242) },
  );
  summary.add('fuzzed webhook bodies on a live URL', {
    inputs: tried,
    faults: tried,
    survived: tried - failures.length,
  });
  expect(failures.slice(0, 20)).toEqual([]);
}
