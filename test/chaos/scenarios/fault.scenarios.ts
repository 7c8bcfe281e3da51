import { type ChaosUser } from '../support/chaos-client';
import { APPS, type App } from '../support/chaos-stack';
import { CONSUMED_TOPICS, readModelSnapshot, settled } from '../support/message-flow';
import { type ChaosWorld, openLimitOrder } from './chaos-world';

export async function redeliveryChangesNothing(world: ChaosWorld): Promise<void> {
  const { stack, summary } = world;
  await settled(stack, 90_000);
  const before = await readModelSnapshot(stack);
  let redelivered = 0;
  for (const topic of CONSUMED_TOPICS) {
    const messages = (await stack.readTopic(topic)).filter((message) => !message.key.startsWith('poison-'));
    redelivered += messages.length;
    for (let index = 0; index < messages.length; index += 200)
      await stack.produce(
        topic,
        messages.slice(index, index + 200).map(({ key, value, headers }) => ({ key, value, headers })),
      );
  }
  await settled(stack, 120_000);
  expect(await readModelSnapshot(stack)).toEqual(before);
  summary.add('redelivery of processed messages', {
    faults: redelivered,
    survived: redelivered,
    inputs: redelivered,
  });
}

export async function concurrentCommandsLoseNoUpdate(world: ChaosWorld): Promise<void> {
  const { stack, owner, summary } = world;
  const account = world.ownerPaperAccount;
  const count = world.scale.concurrent;
  const results = await Promise.all(
    Array.from({ length: count }, () =>
      stack.http('POST', `/api/virtual-broker/accounts/${account}/orders`, owner.token, openLimitOrder),
    ),
  );
  const accepted = results.filter((result) => result.status === 201).map((result) => result.body.orderId);
  const refused = results.filter((result) => result.status !== 201).map((result) => result.status);
  const open = JSON.stringify(
    (await stack.http('GET', `/api/virtual-broker/accounts/${account}/orders?status=OPEN`, owner.token)).body,
  );
  const lost = accepted.filter((id) => !open.includes(id));
  const paper = (await stack.http('GET', `/api/virtual-broker/accounts/${account}`, owner.token)).body;
  summary.add(`${count} concurrent commands, one aggregate`, {
    faults: count,
    survived: count - lost.length,
    inputs: count,
    lost: lost.length,
    notes: `${accepted.length} accepted, refused: ${JSON.stringify(refused)}`,
  });
  expect(refused.filter((status) => status !== 409)).toEqual([]);
  expect(accepted.length).toBeGreaterThan(0);
  expect(lost).toEqual([]);
  expect(Number(paper.reservedCash)).toBeCloseTo(accepted.length, 2);
}

async function tradersWithPaperAccounts(world: ChaosWorld, count: number) {
  const traders: (ChaosUser & { account: string })[] = [];
  for (let index = 0; index < count; index++) {
    const trader = await world.client.signUp();
    await world.client.connectVirtual(trader.token);
    traders.push({ ...trader, account: await world.client.paperAccountOf(trader.token) });
  }
  return traders;
}

/** Orders accepted while the broker is down wait in the outbox; after it is back every one is published, in stream order. */
export async function brokerOutageLosesNothing(world: ChaosWorld): Promise<void> {
  const { stack, summary, scale } = world;
  const traders = await tradersWithPaperAccounts(world, 4);
  await stack.stopBroker();
  const outageEnds = Date.now() + scale.outageMs;
  const accepted: string[] = [];
  const refused: string[] = [];
  for (let index = 0; index < scale.burst; index += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, scale.burst - index) }, (_, offset) => {
        const trader = traders[(index + offset) % traders.length];
        return stack.http('POST', `/api/virtual-broker/accounts/${trader.account}/orders`, trader.token, {
          ...openLimitOrder,
          symbol: 'AAPL',
        });
      }),
    );
    for (const result of batch)
      if (result.status === 201) accepted.push(result.body.orderId);
      else refused.push(`${result.status} ${result.text.slice(0, 100)}`);
  }
  // The outage lasts its full length even when the burst was quicker.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, outageEnds - Date.now())));
  await stack.startBroker();
  await settled(stack, 180_000);
  const published = (await stack.readTopic('virtual-broker.events')).filter(
    (message) => !message.key.startsWith('poison-'),
  );
  const text = published.map((message) => message.value).join('\n');
  const missing = accepted.filter((id) => !text.includes(id));
  // Per stream, the orders reach the topic in the order of the event store (a re-publish after a lost acknowledgement may repeat one).
  const seen = new Set<string>();
  const onTopic = new Map<string, string[]>();
  let duplicates = 0;
  for (const message of published) {
    const envelope = JSON.parse(message.value);
    if (seen.has(envelope.messageId)) duplicates++;
    else if (envelope.type === 'OrderPlaced') {
      seen.add(envelope.messageId);
      onTopic.set(message.key, [...(onTopic.get(message.key) ?? []), envelope.payload.orderId]);
    }
  }
  const stored = await stack.sql<{ stream: string; orders: string[] }>(
    `SELECT stream_id AS stream, array_agg(payload->>'orderId' ORDER BY version) AS orders
     FROM virtual_broker.events WHERE type = 'OrderPlaced' AND stream_id = ANY($1) GROUP BY 1`,
    [traders.map((trader) => trader.account)],
  );
  const outOfOrder = stored.filter(
    (stream) => JSON.stringify(onTopic.get(stream.stream)) !== JSON.stringify(stream.orders),
  ).length;
  summary.add(`broker outage ${scale.outageMs / 1000} s, burst of ${scale.burst}`, {
    faults: 1,
    survived: missing.length === 0 && outOfOrder === 0 && refused.length === 0 ? 1 : 0,
    inputs: scale.burst,
    lost: missing.length,
    notes: `${published.length} messages read back, ${duplicates} re-published, ${outOfOrder} of ${stored.length} streams out of order`,
  });
  expect((Object.keys(APPS) as App[]).filter((app) => !stack.running(app))).toEqual([]);
  expect(refused.slice(0, 5)).toEqual([]);
  expect(missing).toEqual([]);
  expect(stored.length).toBe(traders.length);
  expect(outOfOrder).toBe(0);
}
