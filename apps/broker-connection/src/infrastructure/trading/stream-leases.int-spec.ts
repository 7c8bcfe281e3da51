import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { EventStore } from '@tradecore/eventing';
import { createTestSchema, type TestSchema } from '@tradecore/eventing/testing';
import { CreateBrokerOrders1765300000000 } from '../broker-orders.migrations';
import { CreateStreamLeases1765400000000 } from '../stream-leases.migrations';
import { StreamLeases } from './stream-leases';

const TTL_MS = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('stream leases: one replica streams an account, another takes over when it stops', () => {
  let database: TestSchema;
  let dataSource: DataSource;
  let replicaA: StreamLeases;
  let replicaB: StreamLeases;

  beforeAll(async () => {
    database = await createTestSchema('stream_leases');
    dataSource = new DataSource({
      type: 'postgres',
      url: database.databaseUrl,
      schema: database.schema,
      migrations: [CreateBrokerOrders1765300000000, CreateStreamLeases1765400000000],
      migrationsTableName: 'typeorm_migrations',
    });
    await dataSource.initialize();
    await dataSource.runMigrations();
    const store = { schema: database.schema } as EventStore;
    replicaA = new StreamLeases(dataSource, store);
    replicaB = new StreamLeases(dataSource, store);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('gives each account to exactly one of two replicas claiming at once', async () => {
    const accounts = Array.from({ length: 20 }, () => randomUUID());
    const [a, b] = await Promise.all([replicaA.claim(accounts, TTL_MS), replicaB.claim(accounts, TTL_MS)]);
    expect(a.size + b.size).toBe(accounts.length);
    expect([...a].filter((id) => b.has(id))).toEqual([]);
    await replicaA.release(accounts);
    await replicaB.release(accounts);
  });

  it('keeps an account with the replica that renews it, and hands it over once that one stops renewing', async () => {
    const account = randomUUID();
    expect(await replicaA.claim([account], TTL_MS)).toEqual(new Set([account]));
    for (let scan = 0; scan < 4; scan++) {
      await sleep(TTL_MS / 2);
      expect(await replicaA.claim([account], TTL_MS)).toEqual(new Set([account]));
      expect(await replicaB.claim([account], TTL_MS)).toEqual(new Set());
    }
    expect((await replicaB.holders([account])).get(account)?.owner).toBe(replicaA.owner);

    // Replica A dies: nothing renews its lease; B takes the account once the lease ran out.
    const diedAt = Date.now();
    let takenOver = false;
    while (!takenOver && Date.now() - diedAt < TTL_MS * 5) {
      takenOver = (await replicaB.claim([account], TTL_MS)).has(account);
      if (!takenOver) await sleep(50);
    }
    expect(takenOver).toBe(true);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(TTL_MS - 50);
    expect(await replicaA.claim([account], TTL_MS)).toEqual(new Set());
  });

  it('frees a released account at once (a replica shutting down cleanly)', async () => {
    const account = randomUUID();
    await replicaA.claim([account], 60_000);
    expect(await replicaB.claim([account], 60_000)).toEqual(new Set());
    await replicaB.release([account]);
    expect(await replicaB.claim([account], 60_000)).toEqual(new Set());
    await replicaA.release([account]);
    expect(await replicaB.claim([account], 60_000)).toEqual(new Set([account]));
    expect((await replicaA.holders([account])).get(account)?.owner).toBe(replicaB.owner);
  });
});
