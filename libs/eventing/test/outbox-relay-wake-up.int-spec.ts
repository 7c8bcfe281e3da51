import { Client, type Notification } from 'pg';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { EventStore } from '../src/event-store/event-store';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { inboxTransaction } from '../src/postgres/inbox-transaction';
import { type TestSchema } from '../src/testing';
import { collectTopic, eventingSchema, kafkaFor, startQuietBroker, waitFor } from './eventing-test-kit';

/** waitFor with a deadline, so a relay left to its poll fails the test instead of timing it out. */
async function within(ms: number, condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('how the outbox relay learns of commits', () => {
  let db: TestSchema;
  let store: EventStore;
  let broker: DevBrokerHandle | undefined;
  const stoppers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    db = await eventingSchema();
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await broker?.stop();
    broker = undefined;
    await db.drop();
  });

  it("a commit in the leading relay's process wakes it in process, without a NOTIFY, also from a consumer's transaction", async () => {
    broker = await startQuietBroker();
    const kafka = kafkaFor(broker.brokers);
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
      pollIntervalMs: 600_000,
    });
    const wire = await collectTopic(kafka, 'tally.events');
    stoppers.push(wire.stop);
    relay.start();
    stoppers.push(() => relay.stop());
    await waitFor(() => relay.isLeader);
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
    broker = await startQuietBroker();
    const kafka = kafkaFor(broker.brokers);
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
      pollIntervalMs: 200,
    });
    const wire = await collectTopic(kafka, 'tally.events');
    stoppers.push(wire.stop);
    relay.start();
    stoppers.push(() => relay.stop());
    await waitFor(() => relay.isLeader);

    // Written as another replica would, but without its NOTIFY: nothing wakes the relay.
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".outbox (topic, key, envelope, headers) VALUES ('tally.events', 'silent-writer', '{}', '{}')`,
    );
    await within(2000, async () => (await relay.backlog()).pendingRows === 0);
    await within(2000, async () => wire.received.length >= 1);
    expect(wire.received[0].message.key?.toString()).toBe('silent-writer');
  });
});
