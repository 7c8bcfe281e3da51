import { Client, type Notification } from 'pg';
import { inboxTransaction } from '../src/postgres/inbox-transaction';
import { eventually } from '../src/testing';
import { useRelayHarness } from './relay-harness';

/** A deadline on each wait, so a relay left to its poll fails the test instead of timing it out. */
const within = (ms: number, condition: () => Promise<boolean>) => eventually(condition, ms, 10);

describe('how the outbox relay learns of commits', () => {
  const harness = useRelayHarness();

  it("a commit in the leading relay's process wakes it in process, without a NOTIFY, also from a consumer's transaction", async () => {
    const { db, store, stoppers } = harness;
    const { relay, wire } = await harness.startLeadingRelay(600_000);
    const listener = new Client({ connectionString: db.databaseUrl });
    await listener.connect();
    stoppers.push(() => listener.end());
    const notifications: Notification[] = [];
    listener.on('notification', (message) => notifications.push(message));
    await listener.query(`LISTEN "outbox_${db.schema}"`);

    await store.append('own-transaction', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await within(2000, async () => (await relay.backlog()).pendingRows === 0);
    await inboxTransaction(db.dataSource, `"${db.schema}".inbox`, 'tally-view', ['m-1'], (_, manager) =>
      store
        .append('consumer-transaction', 'Tally', 0, [{ type: 'Added', payload: {} }], {
          topic: 'tally.events',
          manager,
        })
        .then(() => undefined),
    );
    await within(2000, async () => (await relay.backlog()).pendingRows === 0);
    await within(2000, async () => wire.received.length >= 2);

    expect(wire.received.map(({ message }) => message.key?.toString())).toEqual([
      'own-transaction',
      'consumer-transaction',
    ]);
    await listener.query('SELECT 1'); // a NOTIFY sent before this answer has been delivered by now
    expect(notifications).toEqual([]);
  });

  it("rows whose wake-up was missed (another replica's commit, a lost NOTIFY) are published by the poll", async () => {
    const { db } = harness;
    const { relay, wire } = await harness.startLeadingRelay(200);

    // Written as another replica would, but without its NOTIFY: nothing wakes the relay.
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".outbox (topic, key, envelope, headers) VALUES ('tally.events', 'silent-writer', '{}', '{}')`,
    );
    await within(2000, async () => (await relay.backlog()).pendingRows === 0);
    await within(2000, async () => wire.received.length >= 1);
    expect(wire.received[0].message.key?.toString()).toBe('silent-writer');
  });
});
