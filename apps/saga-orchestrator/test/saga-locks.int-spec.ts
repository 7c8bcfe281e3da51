import { type INestApplication } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { SagaEngine } from '../src/engine/saga-engine';
import { SagaRepository } from '../src/engine/saga-repository';
import { TraceRecorder } from '../src/features/trace/trace-recorder';
import { AggregateLock } from '../src/infrastructure/aggregate-lock';
import { SagaMetrics } from '../src/infrastructure/saga-metrics';
import { sagaCatalog } from '../src/sagas/saga-registry';
import { OrchestratorKit } from './support/orchestrator-kit';
import { triggers } from './support/triggers';

/**
 * The lock upkeep reads the running sagas without locking them, then touches each one's Redis lock.
 * These tests put a saga's end (or a lost lock) exactly between the two, with a real engine over
 * the orchestrator's PostgreSQL schema and Redis, so the race CI met once is met every time.
 */
describe('saga lock upkeep', () => {
  let kit: OrchestratorKit;
  let app: INestApplication;
  let redis: Redis;
  const lockKey = (aggregateId: string) => `${kit.schema}:saga-lock:${aggregateId}`;

  beforeAll(async () => {
    kit = await OrchestratorKit.start();
    // Unanswered steps keep a saga RUNNING for as long as a test needs it.
    app = await kit.startOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await redis.quit();
    await kit.stop();
  });

  /** An engine of its own over the app's storage, with the repository a test may step into. */
  const engineWith = (repository: SagaRepository) =>
    new SagaEngine({
      dataSource: app.get(DataSource),
      lock: new AggregateLock(redis, kit.schema, 30_000),
      repository,
      metrics: app.get(SagaMetrics),
      sagas: sagaCatalog,
      trace: app.get(TraceRecorder),
      timeoutScale: 1,
      sagaDeadlinesMs: {},
    });

  const runningSaga = async () => {
    const connectionId = uuidv7();
    await triggers(kit).connectionRequested(connectionId);
    const saga = await kit.sagaReaches(connectionId, ['RUNNING']);
    expect(await kit.lockOwner(connectionId)).toBe(saga.id);
    return saga;
  };

  it('never gives its lock back to a saga that ended after the upkeep saw it running', async () => {
    const saga = await runningSaga();
    const repository = new SagaRepository(kit.schema);
    const engine = engineWith(repository);
    const read = repository.activeSagas.bind(repository);
    repository.activeSagas = async (manager) => {
      const rows = await read(manager);
      await engine.operate(saga.id, { type: 'AbortRequested', reason: 'ends between read and upkeep' });
      return rows;
    };

    await engine.maintainLocks();

    expect((await kit.sagas({ aggregateId: saga.aggregate_id }))[0].status).toBe('ABORTED');
    expect(await kit.lockOwner(saga.aggregate_id)).toBeNull();
  });

  it('takes the lock again for a running saga that lost it, and leaves another saga its own', async () => {
    const lost = await runningSaga();
    const other = await runningSaga();
    await redis.del(lockKey(lost.aggregate_id));
    await redis.set(lockKey(other.aggregate_id), 'someone-else', 'PX', 60_000);

    await engineWith(new SagaRepository(kit.schema)).maintainLocks();

    expect(await kit.lockOwner(lost.aggregate_id)).toBe(lost.id);
    expect(await redis.pttl(lockKey(lost.aggregate_id))).toBeGreaterThan(20_000);
    expect(await kit.lockOwner(other.aggregate_id)).toBe('someone-else');
    await redis.del(lockKey(other.aggregate_id));
  });

  it('extends a lock its saga still holds', async () => {
    const saga = await runningSaga();
    await redis.pexpire(lockKey(saga.aggregate_id), 1000);

    await engineWith(new SagaRepository(kit.schema)).maintainLocks();

    expect(await redis.pttl(lockKey(saga.aggregate_id))).toBeGreaterThan(20_000);
    expect(await kit.lockOwner(saga.aggregate_id)).toBe(saga.id);
  });
});
