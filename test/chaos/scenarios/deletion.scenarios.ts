import { liveDataOf, NOTHING_LIVE } from '../../support/live-user-data';
import { eventually } from '../support/chaos-stack';
import { type ChaosWorld } from './chaos-world';

const CONNECT_BODIES = {
  paper: { broker: 'virtual', mode: 'paper', paperAccounts: { count: 1, startingCash: '1000.00' } },
  slowAlpaca: {
    broker: 'alpaca',
    mode: 'paper',
    credentials: { apiKeyId: 'PKCHAOS', apiSecretKey: 'chaos' },
  },
};

/**
 * Users delete themselves while connections race the deletion: some requested just before, some
 * in the same instant, some just after, a third of them against a broker slow to verify. Every
 * deletion must complete and leave nothing live; every request after it must be refused or erased.
 */
export async function deletionRacingConnectionsLeavesNothing(world: ChaosWorld): Promise<void> {
  const { client, stack, summary, scale } = world;
  const shedBefore = client.shedAnswers;
  const users = await Promise.all(Array.from({ length: scale.deletions }, () => client.signUp()));
  const shedSignUps = client.shedAnswers - shedBefore;
  const connect = (token: string, index: number) =>
    client.http(
      'POST',
      '/api/broker-connections',
      token,
      index % 3 === 0 ? CONNECT_BODIES.slowAlpaca : CONNECT_BODIES.paper,
    );

  const answers = await Promise.all(
    users.map(async (user, index) => {
      const before = await connect(user.token, index);
      const [during, deletion] = await Promise.all([
        connect(user.token, index + 1),
        client.http('DELETE', '/api/users/me', user.token),
      ]);
      const after = await connect(user.token, index + 2);
      return { before, during, deletion, after };
    }),
  );
  expect(answers.map((a) => a.deletion.status)).toEqual(users.map(() => 202));
  expect(answers.filter((a) => a.before.status !== 202)).toEqual([]);
  // Racing or late requests are accepted (and then erased) or refused (token revoked, or the owner
  // closed to the user), never a 5xx.
  const refusedOrAccepted = answers.flatMap((a) => [a.during, a.after]).map((a) => a.status);
  expect(refusedOrAccepted.filter((status) => ![202, 401, 403].includes(status))).toEqual([]);

  await eventually(async () => {
    const rows = await stack.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM saga_orchestrator.saga_instance
        WHERE saga_type = 'UserDeletion' AND status = 'COMPLETED' AND aggregate_id = ANY($1)`,
      [users.map((user) => user.userId)],
    );
    if (rows[0].n === users.length) return true;
    throw new Error(`${rows[0].n} of ${users.length} deletions completed`);
  }, 180_000);
  const leftovers = [];
  for (const user of users) {
    const live = await liveDataOf((query, params) => stack.sql(query, params), user.userId);
    if (JSON.stringify(live) !== JSON.stringify(NOTHING_LIVE)) leftovers.push({ userId: user.userId, live });
  }
  expect(leftovers).toEqual([]);
  summary.add(`${users.length} deletions racing connection requests (a third on a slow broker)`, {
    faults: users.length,
    survived: users.length - leftovers.length,
    lost: 0,
    inputs: users.length * 4,
    notes: `${refusedOrAccepted.filter((status) => status !== 202).length} racing requests refused; the rest erased; ${shedSignUps} sign-up or login answers were 503 + Retry-After and retried`,
  });
}
