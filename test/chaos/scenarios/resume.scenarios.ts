import { eventually } from '@tradecore/eventing/testing';
import type { App } from '../support/chaos-stack';
import type { ChaosWorld } from './chaos-world';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The consumer group whose hand-over a saga waits for when each app is killed, and where it records what it handled. */
const WATCHED: Partial<Record<App, { schema: string; consumer: string }>> = {
  'virtual-broker': { schema: 'virtual_broker', consumer: 'virtual-broker.saga-commands' },
  'saga-orchestrator': { schema: 'saga_orchestrator', consumer: 'saga-orchestrator.saga-triggers' },
};

async function requestConnection(world: ChaosWorld, token: string): Promise<string> {
  const paper = { broker: 'virtual', mode: 'paper', paperAccounts: { count: 1, startingCash: '1000.00' } };
  // The gateway may still be reconnecting to a service that just came back.
  return eventually(
    async () => {
      const requested = await world.stack.http('POST', '/api/broker-connections', token, paper);
      return requested.status === 202 ? (requested.body.connectionId as string) : undefined;
    },
    Infinity,
    100,
  );
}

/** When the app first handled a message at or after `since` (epoch ms), polling every 50 ms. */
function firstHandledSince(world: ChaosWorld, app: App, since: number): Promise<number> {
  const { schema, consumer } = WATCHED[app]!;
  return eventually(
    async () => {
      const [row] = await world.stack.sql<{ at: number | null }>(
        `SELECT (extract(epoch FROM min(handled_at)) * 1000)::float8 AS at FROM ${schema}.inbox
       WHERE consumer = $1 AND handled_at >= to_timestamp($2 / 1000.0)`,
        [consumer, since],
      );
      return row?.at ?? undefined;
    },
    120_000,
    50,
  );
}

function sagaEnd(world: ChaosWorld, connectionId: string): Promise<string> {
  return eventually(
    async () => {
      const [saga] = await world.stack.sql<{ status: string }>(
        `SELECT status FROM saga_orchestrator.saga_instance WHERE aggregate_id = $1 AND saga_type = 'BrokerConnection'`,
        [connectionId],
      );
      return saga && ['COMPLETED', 'COMPENSATED', 'FAILED', 'ABORTED'].includes(saga.status)
        ? saga.status
        : undefined;
    },
    120_000,
    100,
  );
}

/**
 * How long sagas stall when a process they need is SIGKILLed and started again at once: a saga is
 * requested the moment the process dies, and the figure is from the kill to the restarted process
 * handling its first message. The restart itself takes part of it; the rest is the consumer group
 * noticing the dead member before it hands the partitions to the new one.
 */
export async function sagasResumeAfterSigkill(world: ChaosWorld): Promise<void> {
  const { client, stack, summary } = world;
  const user = await client.signUp();
  const figures: string[] = [];
  const outcomes: string[] = [];
  const apps = Object.keys(WATCHED) as App[];
  for (const app of apps) {
    await stack.kill(app, 'SIGKILL');
    const killedAt = Date.now();
    stack.spawn(app);
    const connectionId = await requestConnection(world, user.token);
    await stack.ready(app, 120_000);
    const readyAt = Date.now();
    const resumedAt = await firstHandledSince(world, app, killedAt);
    outcomes.push(await sagaEnd(world, connectionId));
    figures.push(`${app} ${seconds(resumedAt - killedAt)} (ready after ${seconds(readyAt - killedAt)})`);
  }
  summary.add('a saga resumes after a SIGKILL and an immediate restart', {
    faults: apps.length,
    survived: outcomes.filter((status) => status === 'COMPLETED').length,
    inputs: apps.length,
    notes: `from the kill to the restarted process handling its first message: ${figures.join(', ')}; sagas ${outcomes.join(', ')}`,
  });
  // Ended is what surviving means here as in the storm; COMPLETED (not rolled back) is the figure's other half.
  expect(outcomes).toHaveLength(apps.length);
}
