import { APPS, type App, type ChaosStack } from '../support/chaos-stack';
import type { Envelope } from '@tradecore/eventing';
import { CONSUMER_GROUPS, outboxBacklog, settled } from '../support/message-flow';
import { compareWithRebuild, READ_MODELS } from '../support/rebuild-check';
import { type ChaosWorld } from './chaos-world';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILLs each app once, in random order at random moments, restarting each after a random pause. */
export async function killEach(stack: ChaosStack, apps: App[], kills: string[]): Promise<void> {
  for (const app of [...apps].sort(() => Math.random() - 0.5)) {
    await pause(500 + Math.random() * 2500);
    await stack.kill(app, 'SIGKILL');
    kills.push(app);
    await pause(Math.random() * 1500);
    stack.spawn(app);
  }
}

/** Every message on a consumed topic that its group handles is in the group's inbox (or what it recorded) or dead letters. */
async function unaccountedMessages(stack: ChaosStack): Promise<string[]> {
  const unaccounted: string[] = [];
  for (const { group, schema, topics, handles, handlesMessage, recorded, recordedAs } of CONSUMER_GROUPS) {
    const seen = new Set(
      (
        await stack.sql<{ id: string }>(
          `${recorded ?? `SELECT message_id AS id FROM ${schema}.inbox WHERE consumer = $1`}
           UNION SELECT message_id FROM ${schema}.dead_letters WHERE consumer = $1 AND message_id IS NOT NULL`,
          [group],
        )
      ).map((row) => row.id),
    );
    for (const topic of topics)
      for (const message of await stack.readTopic(topic)) {
        if (message.key.startsWith('poison-')) continue;
        const envelope = JSON.parse(message.value) as Envelope;
        const { messageId, type } = envelope;
        if (handles && !handles.includes(type)) continue;
        if (handlesMessage && !handlesMessage(envelope)) continue;
        const id = message.headers.messageId ?? messageId;
        const handled =
          seen.has(id) || (recordedAs?.(envelope).every((recordId) => seen.has(recordId)) ?? false);
        if (!handled) unaccounted.push(`${group} never handled ${topic} ${id}`);
      }
  }
  return unaccounted;
}

export async function sagasSurviveSigkill(world: ChaosWorld): Promise<void> {
  const { client, stack, summary, scale } = world;
  const users = [await client.signUp(), await client.signUp(), await client.signUp()];
  const connections: { token: string; id: string }[] = [];
  const kills: string[] = [];
  const apps = Object.keys(APPS) as App[];
  const storm = killEach(stack, apps, kills);
  const half = Math.ceil(scale.sagas / 2);
  while (connections.length < half) {
    const user = users[connections.length % users.length];
    const result = await stack
      .http('POST', '/api/broker-connections', user.token, {
        broker: 'virtual',
        mode: 'paper',
        paperAccounts: { count: 1, startingCash: '1000.00' },
      })
      .catch(() => undefined);
    // The gateway or broker-connection is down for a moment; a client tries again.
    if (result?.status === 202) connections.push({ token: user.token, id: result.body.connectionId });
    else await pause(200);
  }
  await storm;
  for (const app of apps) await stack.ready(app, 120_000);

  let disconnections = 0;
  for (const connection of connections) {
    if (disconnections >= scale.sagas - half) break;
    await client.settledSagas([connection.id]);
    if ((await client.connectionStatus(connection.token, connection.id)) !== 'CONNECTED') continue;
    const result = await stack.http(
      'POST',
      `/api/broker-connections/${connection.id}/disconnect`,
      connection.token,
    );
    expect(result.status).toBe(202);
    disconnections++;
  }
  // A second round of kills while the disconnections run.
  await killEach(stack, ['saga-orchestrator', 'broker-account', 'virtual-broker'], kills);
  for (const app of apps) await stack.ready(app, 120_000);
  const stuck: string[] = [];
  await client
    .settledSagas(connections.map((connection) => connection.id))
    .catch((error: Error) => stuck.push(error.message));
  await settled(stack, 180_000);

  const statuses = await stack.sql<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM saga_orchestrator.saga_instance GROUP BY status ORDER BY 1`,
  );
  const unaccounted = await unaccountedMessages(stack);
  const rebuilds = [];
  for (const model of READ_MODELS)
    rebuilds.push(await compareWithRebuild(stack.roleUrls.get(model.schema.replace(/_/g, '-'))!, model));
  const differences = rebuilds.flatMap((result) => result.differences);
  const sagas = connections.length + disconnections;
  summary.add(`${sagas} sagas under SIGKILL (${kills.length} kills)`, {
    faults: kills.length,
    survived: stuck.length === 0 ? sagas : 0,
    inputs: sagas,
    lost: unaccounted.length + differences.length,
    notes: `sagas by status ${statuses.map((row) => `${row.status} ${row.n}`).join(', ')}; rebuilds ${rebuilds
      .map((result) => `${result.schema}: ${result.events} events → ${result.rows} rows`)
      .join(', ')}`,
  });
  expect(new Set(kills)).toEqual(new Set(apps));
  expect(stuck).toEqual([]);
  expect(unaccounted.slice(0, 10)).toEqual([]);
  expect(differences.slice(0, 10)).toEqual([]);
  expect(rebuilds.every((result) => result.events > 0)).toBe(true);
  expect(await outboxBacklog(stack)).toBe(0);
}
