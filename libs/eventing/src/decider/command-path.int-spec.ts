import type { EntityManager } from 'typeorm';
import type { EventStore } from '../event-store/event-store';
import { VersionConflictError } from '../event-store/version-conflict.error';
import { inboxTransaction } from '../postgres/inbox-transaction';
import { createTestEventStore, type TestSchema } from '../testing';
import { commandPath } from './command-path';
import type { Decider } from './decider';

type Command = { readonly type: 'Add'; readonly amount: number };
type Event = { readonly type: 'Added'; readonly amount: number; readonly total: number };
const counter: Decider<Command, Event, { total: number }> = {
  initialState: { total: 0 },
  evolve: (_state, event) => ({ total: event.total }),
  decide: (command, state) => [
    { type: 'Added', amount: command.amount, total: state.total + command.amount },
  ],
};

describe('commandPath (PostgreSQL)', () => {
  let db: TestSchema;
  let store: EventStore;
  let streamNumber = 0;
  const nextStream = () => `counter-${++streamNumber}`;

  beforeAll(async () => {
    ({ store, ...db } = await createTestEventStore());
  });
  afterAll(() => db.drop());

  const totalsOf = async (streamId: string) =>
    (
      await db.dataSource.query(
        `SELECT (payload->>'total')::int AS total FROM "${db.schema}".events WHERE stream_id = $1 ORDER BY version`,
        [streamId],
      )
    ).map((row: { total: number }) => row.total);

  it('decides 50 simultaneous commands on one stream one after the other, none refused', async () => {
    const counters = commandPath(store, { decider: counter, streamType: 'Counter' });
    const streamId = nextStream();

    await Promise.all(
      Array.from({ length: 50 }, () => counters.execute(streamId, { type: 'Add', amount: 1 })),
    );

    expect(await totalsOf(streamId)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("retries a race lost to another writer, inside the caller's transaction without losing the rest of it", async () => {
    const counters = commandPath(store, { decider: counter, streamType: 'Counter', attemptsOnConflict: 3 });
    const rival = commandPath(store, { decider: counter, streamType: 'Counter' });
    const streamId = nextStream();
    await counters.execute(streamId, { type: 'Add', amount: 1 });
    let raced = false;
    const racingLoad = store.readFromSnapshot.bind(store);
    jest.spyOn(store, 'readFromSnapshot').mockImplementation(async (...args) => {
      const loaded = await racingLoad(...args);
      if (!raced) {
        raced = true;
        await rival.execute(streamId, { type: 'Add', amount: 10 });
      }
      return loaded;
    });

    await inboxTransaction(db.dataSource, `"${db.schema}".inbox`, 'test', ['message-1'], (_fresh, tx) =>
      counters.execute(streamId, { type: 'Add', amount: 100 }, { tx }).then(() => undefined),
    );
    jest.restoreAllMocks();

    expect(await totalsOf(streamId)).toEqual([1, 11, 111]);
  });

  it('decides on the stream the caller loaded without reading it again, and reads it afresh after a lost race', async () => {
    const counters = commandPath(store, { decider: counter, streamType: 'Counter', attemptsOnConflict: 3 });
    const rival = commandPath(store, { decider: counter, streamType: 'Counter' });
    const streamId = nextStream();
    await counters.execute(streamId, { type: 'Add', amount: 1 });
    const reads = jest.spyOn(store, 'readFromSnapshot');

    await inboxTransaction(
      db.dataSource,
      `"${db.schema}".inbox`,
      'test',
      ['message-loaded'],
      async (_, tx) => {
        const loaded = await counters.load(streamId, { tx });
        await counters.execute(streamId, { type: 'Add', amount: 10 }, { tx, loaded });
      },
    );
    const readsOfOneCommand = reads.mock.calls.length;
    const stale = await counters.load(streamId);
    await rival.execute(streamId, { type: 'Add', amount: 100 });
    await counters.execute(streamId, { type: 'Add', amount: 1000 }, { loaded: stale });
    jest.restoreAllMocks();

    expect(readsOfOneCommand).toBe(1);
    expect(await totalsOf(streamId)).toEqual([1, 11, 111, 1111]);
  });

  it('never retries a command made against a version the caller saw (If-Match)', async () => {
    const counters = commandPath(store, { decider: counter, streamType: 'Counter', attemptsOnConflict: 5 });
    const streamId = nextStream();
    await counters.execute(streamId, { type: 'Add', amount: 1 });

    await expect(
      counters.execute(streamId, { type: 'Add', amount: 1 }, { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(VersionConflictError);
  });

  it("runs its side effect after the caller's transaction commits, and never after a rollback", async () => {
    const announced: number[] = [];
    const counters = commandPath(store, {
      decider: counter,
      streamType: 'Counter',
      afterCommit: async (result) => void announced.push(result.state.total),
    });
    const streamId = nextStream();
    let seenInside: number[] = [];
    const work = (fail: boolean) => async (_fresh: ReadonlySet<string>, tx: EntityManager) => {
      await counters.execute(streamId, { type: 'Add', amount: 5 }, { tx });
      seenInside = [...announced];
      if (fail) throw new Error('rolled back');
    };

    await expect(
      inboxTransaction(db.dataSource, `"${db.schema}".inbox`, 'test', ['message-2'], work(true)),
    ).rejects.toThrow('rolled back');
    await inboxTransaction(db.dataSource, `"${db.schema}".inbox`, 'test', ['message-3'], work(false));

    expect(seenInside).toEqual([]);
    expect(announced).toEqual([5]);
  });
});
