import type { EntityManager } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import { createTestEventStore, type TestSchema } from '../testing';
import type { Decider } from './decider';
import { DomainError } from './domain-error';
import { handleCommand, loadStream } from './handle-command';

type TallyEvent = { readonly type: 'Added'; readonly amount: number } | { readonly type: 'Doubled' };
type TallyCommand = { readonly type: 'Add'; readonly amount: number } | { readonly type: 'Double' };
interface TallyState {
  readonly total: number;
  readonly operations: number;
}

const tally: Decider<TallyCommand, TallyEvent, TallyState> = {
  initialState: { total: 0, operations: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case 'Added':
        return { total: state.total + event.amount, operations: state.operations + 1 };
      case 'Doubled':
        return { total: state.total * 2, operations: state.operations + 1 };
      default: {
        const unknownEvent: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknownEvent)}`);
      }
    }
  },
  decide: (command, state) => {
    if (command.type === 'Double') {
      if (state.total > 1_000_000)
        throw new DomainError('TALLY_TOO_LARGE', 'the tally is too large to double; add instead');
      return [{ type: 'Doubled' }];
    }
    return [{ type: 'Added', amount: command.amount }];
  },
};

describe('handleCommand over the event store (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;

  beforeAll(async () => {
    ({ store, ...db } = await createTestEventStore());
  });
  afterAll(() => db.drop());

  it('inline projectors see the events in the same transaction', async () => {
    await db.dataSource.query(
      `CREATE TABLE "${db.schema}".tally_view (stream_id text PRIMARY KEY, total int NOT NULL)`,
    );
    const project = async (envelope: { streamId: string; payload: unknown }, manager: EntityManager) => {
      const amount = (envelope.payload as { amount?: number }).amount ?? 0;
      await manager.query(
        `INSERT INTO "${db.schema}".tally_view VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET total = tally_view.total + $2`,
        [envelope.streamId, amount],
      );
    };
    const result = await handleCommand({
      store,
      decider: tally,
      streamId: 'view-1',
      streamType: 'Tally',
      command: { type: 'Add', amount: 5 },
      inlineProjectors: [project],
    });
    expect(result.version).toBe(1);
    expect(
      await db.dataSource.query(`SELECT total FROM "${db.schema}".tally_view WHERE stream_id = 'view-1'`),
    ).toEqual([{ total: 5 }]);
  });

  it('snapshot plus tail yields the same state as a full replay', async () => {
    const commands: TallyCommand[] = [1, 2, 3, 4, 5, 6, 7].flatMap(
      (amount) => [{ type: 'Add', amount }, { type: 'Double' }] as TallyCommand[],
    );
    for (const command of commands) {
      await handleCommand({
        store,
        decider: tally,
        streamId: 'snap-1',
        streamType: 'Tally',
        command,
        snapshotEvery: 4,
      });
    }
    const snapshot = await store.loadSnapshot<TallyState>('snap-1');
    expect(snapshot?.version).toBe(12);
    const viaSnapshot = await loadStream(store, tally, 'snap-1');
    await db.dataSource.query(`DELETE FROM "${db.schema}".snapshots WHERE stream_id = 'snap-1'`);
    const viaReplay = await loadStream(store, tally, 'snap-1');
    expect(viaSnapshot).toEqual(viaReplay);
    expect(viaReplay).toEqual({ version: 14, state: { total: 494, operations: 14 } });
  });

  it('ignores a snapshot of an older state shape and replays the stream', async () => {
    await store.append('shape-1', 'Tally', 0, [{ type: 'Added', payload: { amount: 3 } }]);
    await store.saveSnapshot({ streamId: 'shape-1', version: 1, state: { sum: 999 }, schemaVersion: 1 });
    expect(await loadStream(store, tally, 'shape-1', 2)).toEqual({
      version: 1,
      state: { total: 3, operations: 1 },
    });
  });

  it('a broken business rule surfaces as a DomainError and appends nothing', async () => {
    await handleCommand({
      store,
      decider: tally,
      streamId: 'big-1',
      streamType: 'Tally',
      command: { type: 'Add', amount: 2_000_000 },
    });
    await expect(
      handleCommand({
        store,
        decider: tally,
        streamId: 'big-1',
        streamType: 'Tally',
        command: { type: 'Double' },
      }),
    ).rejects.toMatchObject({
      code: 'TALLY_TOO_LARGE',
    });
    expect((await store.readStream('big-1')).length).toBe(1);
  });

  it('refuses a command decided on a version the caller no longer holds, naming the current one', async () => {
    const command = { store, decider: tally, streamId: 'stale-1', streamType: 'Tally' } as const;
    await handleCommand({ ...command, command: { type: 'Add', amount: 1 }, expectedVersion: 0 });
    await handleCommand({ ...command, command: { type: 'Add', amount: 1 } });
    await expect(
      handleCommand({ ...command, command: { type: 'Double' }, expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', expectedVersion: 1, currentVersion: 2 });
    expect((await store.readStream('stale-1')).length).toBe(2);
  });

  it("commands inside callers' transactions never wait for a second pooled connection, however many run at once", async () => {
    // The pool holds 30 connections; 40 transactions each loading and appending would deadlock
    // the pool if loading took a second connection while the transaction holds the first.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.dataSource.transaction((manager) =>
          handleCommand({
            store,
            decider: tally,
            streamId: `pool-${i}`,
            streamType: 'Tally',
            command: { type: 'Add', amount: i },
            manager,
          }),
        ),
      ),
    );
    expect(results.map((result) => result.version)).toEqual(Array(40).fill(1));
  });
});
