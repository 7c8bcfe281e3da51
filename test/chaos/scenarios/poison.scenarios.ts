import { randomBytes } from 'node:crypto';
import { eventually, schemaOf, SERVICES } from '../support/chaos-stack';
import { CONSUMED_TOPICS, consumersOf, poisonLetters, settled } from '../support/message-flow';
import { type ChaosWorld } from './chaos-world';

/** Three kinds of poison: bytes that are not JSON (with a NUL), an envelope that is not one, and NULs in headers. */
const poisonFor = (
  id: string,
): { key: string; value: string | Buffer; headers?: Record<string, string> }[] => [
  { key: `${id}-garbage`, value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) },
  {
    key: `${id}-envelope`,
    value: JSON.stringify({ messageId: randomBytes(8).toString('hex'), type: 'NoSuchMessage', payload: 42 }),
    headers: { 'x-poison': id },
  },
  {
    key: `${id}-headers`,
    value: '{',
    headers: { 'x-origin': 'scanner\u0000v2', 'x-note': 'escaped \\u0000 text' },
  },
];
const POISON_PER_TOPIC = 3;

const countWhere = async (world: ChaosWorld, table: string, where: string) => {
  let count = 0;
  for (const app of SERVICES.filter(
    (candidate) => table !== 'dlq_message' || candidate === 'saga-orchestrator',
  ))
    count += Number(
      (await world.stack.sql(`SELECT count(*)::int AS n FROM ${schemaOf(app)}.${table} WHERE ${where}`))[0].n,
    );
  return count;
};
const allLetters = (world: ChaosWorld) => countWhere(world, 'dead_letters', 'true');
const mirroredLetters = (world: ChaosWorld) => countWhere(world, 'dlq_message', 'true');

const sagasStartedFor = async (world: ChaosWorld, connectionId: string) =>
  Number(
    (
      await world.stack.sql(
        `SELECT count(*)::int AS n FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1`,
        [connectionId],
      )
    )[0].n,
  );

/**
 * Poison on every consumed topic goes to the DLQ without stalling its partition; a message
 * that failed for a reason an operator can fix (the orchestrator lost its grant on its saga table,
 * as a bad migration would leave it) is replayed in bulk after the fix and applied exactly once.
 */
export async function poisonIsDeadLetteredAndReplayedOnceFixed(world: ChaosWorld): Promise<void> {
  const { client, owner, stack, summary } = world;
  await settled(stack, 90_000);
  const lettersAtStart = await allLetters(world);
  await stack.sql(`REVOKE INSERT ON saga_orchestrator.saga_instance FROM saga_orchestrator`);
  let fixable: string[] = [];
  try {
    for (const topic of CONSUMED_TOPICS)
      await stack.produce(topic, poisonFor(`poison-${randomBytes(4).toString('hex')}`));
    // Connections requested meanwhile are accepted (no partition stalls), but their sagas cannot start yet.
    fixable = [
      await client.requestVirtualConnection(owner.token),
      await client.requestVirtualConnection(owner.token),
    ];
    const expectedPoison = CONSUMED_TOPICS.reduce(
      (sum, topic) => sum + POISON_PER_TOPIC * consumersOf(topic),
      0,
    );
    await eventually(async () => {
      const [poison, total] = [await poisonLetters(stack), await allLetters(world)];
      if (poison === expectedPoison && total - lettersAtStart === expectedPoison + fixable.length)
        return true;
      throw new Error(
        `${poison} of ${expectedPoison} poison letters, ${total - lettersAtStart - poison} others`,
      );
    }, 90_000);
  } finally {
    await stack.sql(`GRANT INSERT ON saga_orchestrator.saga_instance TO saga_orchestrator`);
  }
  expect(await Promise.all(fixable.map((id) => sagasStartedFor(world, id)))).toEqual([0, 0]);

  // Headers with NUL bytes survive storage in the service and in the orchestrator's DLQ mirror.
  const withNul = await stack.sql<{ headers: Record<string, string> }>(
    `SELECT headers FROM virtual_broker.dead_letters WHERE key LIKE 'poison-%-headers'`,
  );
  expect(withNul.map((row) => row.headers)).toEqual([
    { 'x-origin': 'scanner\\u0000v2', 'x-note': 'escaped \\u0000 text' },
  ]);
  await eventually(async () => {
    const [mirrored, total] = [await mirroredLetters(world), await allLetters(world)];
    if (mirrored === total) return true;
    throw new Error(`the DLQ mirror holds ${mirrored} of ${total} dead letters`);
  }, 60_000);
  const mirroredNul = await stack.sql(
    `SELECT headers->>'x-origin' AS origin FROM saga_orchestrator.dlq_message
     WHERE key LIKE 'poison-%-headers' AND original_topic = 'virtual-broker.commands'`,
  );
  expect(mirroredNul).toEqual([{ origin: 'scanner\\u0000v2' }]);
  const sagasBefore = await stack.sql(`SELECT id, status FROM saga_orchestrator.saga_instance ORDER BY id`);
  const accountsBefore = (await client.http('GET', '/api/broker-accounts', owner.token)).body;
  const poisonBefore = await poisonLetters(stack);
  const pendingPoison = await countWhere(world, 'dlq_message', `status = 'pending' AND key LIKE 'poison-%'`);

  const replay = await client.http('POST', '/ops/dlq/replay', stack.adminToken(), { all: true });
  expect(replay.status).toBe(200);
  await settled(stack, 90_000);

  // Applied once: one saga per fixed connection, which completes (the other consumers' inboxes
  // skip the copies); no other saga started again.
  expect(await Promise.all(fixable.map((id) => sagasStartedFor(world, id)))).toEqual([1, 1]);
  for (const id of fixable) await client.connected(owner.token, id);
  expect(
    await stack.sql(
      `SELECT id, status FROM saga_orchestrator.saga_instance WHERE aggregate_id <> ALL($1) ORDER BY id`,
      [fixable],
    ),
  ).toEqual(sagasBefore);
  const accountsAfter = (await client.http('GET', '/api/broker-accounts', owner.token)).body as {
    connectionId: string;
  }[];
  expect(accountsAfter.filter((account) => !fixable.includes(account.connectionId))).toEqual(accountsBefore);
  // Still poison: each replayed copy is dead-lettered again, once by every consumer of its topic.
  const poisonTopics = await stack.sql<{ topic: string; n: number }>(
    `SELECT original_topic AS topic, count(*)::int AS n FROM saga_orchestrator.dlq_message
     WHERE status = 'replayed' AND key LIKE 'poison-%' GROUP BY 1`,
  );
  const expectedAgain = poisonTopics.reduce((sum, row) => sum + row.n * consumersOf(row.topic), 0);
  expect(poisonTopics.reduce((sum, row) => sum + row.n, 0)).toBe(pendingPoison);
  expect((await poisonLetters(stack)) - poisonBefore).toBe(expectedAgain);
  summary.add('poison messages → DLQ, fix, bulk replay', {
    faults: CONSUMED_TOPICS.length * POISON_PER_TOPIC + 1,
    survived: CONSUMED_TOPICS.length * POISON_PER_TOPIC + 1,
    inputs: pendingPoison + fixable.length,
    notes: `${poisonBefore} poison letters, ${expectedAgain} again after replay; ${fixable.length} fixed letters applied once`,
  });
}
