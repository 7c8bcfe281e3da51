import { ChaosClient } from '../chaos/support/chaos-client';
import { APPS, type App, ChaosStack, readiness, SERVICES } from '../chaos/support/chaos-stack';

const CONNECTIONS = 12;
/** Services whose work is shared by two workers; the rest get one. */
const TWICE: readonly App[] = ['saga-orchestrator', 'broker-account'];
const workerPort = (app: App, replica: number) => APPS[app] + 40 + 10 * replica;

/** Messages a process's consumers handled, from its own /metrics. */
async function handledAt(port: number): Promise<number> {
  const { text } = await readiness(`http://127.0.0.1:${port}/metrics`);
  return text
    .split('\n')
    .filter((line) => line.startsWith('eventing_consume_duration_seconds_count{'))
    .filter((line) => line.includes('outcome="handled"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/**
 * The suite split as the k8s overlays run it (compiled apps, `npm run build` first): every
 * service's API process (PROCESS_ROLE=api) behind the gateway and its workers beside it, two for
 * the orchestrator and broker-account. BrokerConnection sagas through the gateway finish once each,
 * the api processes handle no message, both workers of a service take a share, and no message is
 * published twice.
 */
describe('the suite as api processes and workers', () => {
  let stack: ChaosStack;
  let client: ChaosClient;

  beforeAll(async () => {
    stack = await ChaosStack.start({ PROCESS_ROLE: 'api' });
    client = new ChaosClient(stack);
    await Promise.all(
      SERVICES.flatMap((app) =>
        [1, ...(TWICE.includes(app) ? [2] : [])].map((replica) =>
          stack.spawnReplica(app, workerPort(app, replica), { PROCESS_ROLE: 'worker' }),
        ),
      ),
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('completes every saga once, with the workers sharing the messages and the api processes handling none', async () => {
    const users = await Promise.all(Array.from({ length: CONNECTIONS }, () => client.signUp()));
    const connections = await Promise.all(users.map((user) => client.requestVirtualConnection(user.token)));
    await client.settledSagas(connections, 60_000);
    for (const connectionId of connections) {
      const sagas = await client.sagasOf(connectionId);
      expect(sagas.map((saga) => [saga.type, saga.status])).toEqual([['BrokerConnection', 'COMPLETED']]);
    }

    for (const app of SERVICES) expect(await handledAt(APPS[app])).toBe(0);
    for (const app of TWICE) {
      const shares = [await handledAt(workerPort(app, 1)), await handledAt(workerPort(app, 2))];
      expect(shares.every((share) => share > 0)).toBe(true);
    }

    const published: Record<string, string[]> = {};
    for (const topic of ['broker-connection.events', 'saga.replies', 'broker-account.commands']) {
      published[topic] = (await stack.readTopic(topic)).map(({ value }) => JSON.parse(value).messageId);
      expect(new Set(published[topic]).size).toBe(published[topic].length);
    }
    // Every reply handled, each by one worker of the orchestrator.
    const [replies] = await stack.sql<{ handled: number }>(
      `SELECT count(*)::int AS handled FROM saga_orchestrator.inbox WHERE consumer = 'saga-orchestrator.saga-replies'`,
    );
    expect(replies.handled).toBe(published['saga.replies'].length);
  }, 120_000);
});
