import type { EntityManager } from 'typeorm';
import {
  collectTopic,
  type RecordedConsumption,
  recordingInstrumentation,
  useConsumerHarness,
  eventually,
} from '../../test/eventing-test-kit';
import type { Envelope } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { currentMessageContext } from '../envelope/message-context';
import { afterCommit } from '../postgres/after-commit';
import { MessageConsumer, type MessageHandler } from './message-consumer';

const TOPIC = 'batch.events';
const GROUP = 'batch-view';

const envelope = (messageId: string, payload: Record<string, unknown> = {}): Envelope => ({
  messageId,
  type: 'Added',
  schemaVersion: 1,
  streamId: `stream-${messageId}`,
  streamVersion: 1,
  occurredAt: new Date().toISOString(),
  correlationId: `correlation-${messageId}`,
  causationId: `cause-of-${messageId}`,
  payload,
});

interface Handled {
  readonly message_id: string;
  readonly txid: string;
  readonly seen_as: string;
}

describe('MessageConsumer handles a fetched batch in one transaction (PostgreSQL, dev broker)', () => {
  const harness = useConsumerHarness([TOPIC]);
  const { stoppers } = harness;
  let consumed: RecordedConsumption[];

  const handledRows = async (): Promise<Handled[]> =>
    harness.db.dataSource.query(
      `SELECT message_id, txid::text, seen_as FROM "${harness.db.schema}".handled ORDER BY seq`,
    );

  /** Records the message, the transaction it ran in and the message the ambient context names. */
  const record = async (handled: Envelope, manager: EntityManager) => {
    await manager.query(
      `INSERT INTO "${harness.db.schema}".handled (message_id, txid, seen_as) VALUES ($1, txid_current(), $2)`,
      [handled.messageId, currentMessageContext()?.messageId ?? 'none'],
    );
  };

  /** Produced before the consumer starts, so its first fetch holds them all. */
  const publish = async (envelopes: readonly Envelope[]) => {
    const producer = harness.kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: envelopes.map((e) => toKafkaRecord(e)) });
    await producer.disconnect();
  };

  const start = async (handle: MessageHandler, maxBatchMessages?: number) => {
    const recording = recordingInstrumentation();
    consumed = recording.consumed;
    const consumer = new MessageConsumer({
      ...harness.consumerOptions(GROUP, [TOPIC], handle),
      maxBatchMessages,
      instrumentation: recording.instrumentation,
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
  };

  const distinct = (values: readonly string[]) => new Set(values).size;

  beforeEach(async () => {
    await harness.db.dataSource.query(
      `CREATE TABLE "${harness.db.schema}".handled (seq bigserial PRIMARY KEY, message_id text NOT NULL, txid bigint NOT NULL, seen_as text NOT NULL)`,
    );
  });

  it('handles a fetch in transactions of at most maxBatchMessages, in order, each handler in its own message context', async () => {
    const ids = ['m1', 'm2', 'm3', 'm4', 'm5'];
    await publish(ids.map((id) => envelope(id)));

    await start(record, 3);
    await eventually(async () => (await handledRows()).length === 5);

    const rows = await handledRows();
    expect(rows.map((row) => row.message_id)).toEqual(ids);
    expect(rows.map((row) => row.seen_as)).toEqual(ids);
    expect(distinct(rows.slice(0, 3).map((row) => row.txid))).toBe(1);
    expect(distinct(rows.slice(3).map((row) => row.txid))).toBe(1);
    expect(distinct(rows.map((row) => row.txid))).toBe(2);
    expect(consumed.map((c) => c.outcome)).toEqual(ids.map(() => 'handled'));
  });

  it('runs what a handler queues for after the commit only once the whole batch committed, in its message context', async () => {
    const pushes: { messageId: string; context: string | undefined; committedRows: number }[] = [];
    await publish(['p1', 'p2', 'p3'].map((id) => envelope(id)));

    await start(async (handled, manager) => {
      await record(handled, manager);
      await afterCommit(manager, async () => {
        const committedRows = (await handledRows()).length;
        pushes.push({
          messageId: handled.messageId,
          context: currentMessageContext()?.messageId ?? undefined,
          committedRows,
        });
      });
    });
    await eventually(() => pushes.length === 3);

    expect(distinct((await handledRows()).map((row) => row.txid))).toBe(1);
    expect(pushes).toEqual([
      { messageId: 'p1', context: 'p1', committedRows: 3 },
      { messageId: 'p2', context: 'p2', committedRows: 3 },
      { messageId: 'p3', context: 'p3', committedRows: 3 },
    ]);
  });

  it('dead-letters a poison message in the middle of a batch and handles the others exactly once', async () => {
    await publish([envelope('a'), envelope('poison', { poison: true }), envelope('b')]);
    const dlq = await collectTopic(harness.kafka, `${TOPIC}.dlq`);
    stoppers.push(dlq.stop);

    await start(async (handled, manager) => {
      if ((handled.payload as { poison?: boolean }).poison) throw new Error('cannot apply poison');
      await record(handled, manager);
    });
    await eventually(async () => dlq.received.length === 1 && (await handledRows()).length === 2);

    expect((await handledRows()).map((row) => row.message_id)).toEqual(['a', 'b']);
    expect(JSON.parse(String(dlq.received[0].message.value)).messageId).toBe('poison');
    // Rolled back together, then one message per transaction with today's retries.
    expect(consumed.map((c) => c.outcome)).toEqual([
      'handled',
      'retried',
      'retried',
      'dead-lettered',
      'handled',
    ]);
    const claimed = await harness.db.dataSource.query(
      `SELECT message_id FROM "${harness.db.schema}".inbox ORDER BY message_id`,
    );
    expect(claimed).toEqual([{ message_id: 'a' }, { message_id: 'b' }]);
  });

  it('skips a message claimed before and one seen twice in the same batch', async () => {
    await harness.db.dataSource.query(
      `INSERT INTO "${harness.db.schema}".inbox (consumer, message_id) VALUES ($1, 'old')`,
      [GROUP],
    );
    await publish([envelope('d1'), envelope('old'), envelope('d1'), envelope('d2')]);

    await start(record);
    await eventually(() => consumed.length === 4);

    const rows = await handledRows();
    expect(rows.map((row) => row.message_id)).toEqual(['d1', 'd2']);
    expect(distinct(rows.map((row) => row.txid))).toBe(1);
    expect(consumed.map((c) => c.outcome)).toEqual(['handled', 'duplicate', 'duplicate', 'handled']);
  });

  it('leaves nothing of a batch that failed half-way: neither rows nor after-commit effects of the handlers that ran', async () => {
    const attempts: string[] = [];
    const pushed: string[] = [];
    let failOnce = true;
    await publish(['r1', 'r2', 'r3', 'r4'].map((id) => envelope(id)));

    await start(async (handled, manager) => {
      attempts.push(handled.messageId);
      await record(handled, manager);
      await afterCommit(manager, async () => void pushed.push(handled.messageId));
      if (handled.messageId === 'r3' && failOnce) {
        failOnce = false;
        throw new Error('transient failure after writing');
      }
    });
    await eventually(() => consumed.length === 4);

    // r1–r3 ran in the batch that rolled back, then every message once in its own transaction.
    expect(attempts).toEqual(['r1', 'r2', 'r3', 'r1', 'r2', 'r3', 'r4']);
    const rows = await handledRows();
    expect(rows.map((row) => row.message_id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(distinct(rows.map((row) => row.txid))).toBe(4);
    expect(pushed).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(consumed.map((c) => c.outcome)).toEqual(['handled', 'handled', 'handled', 'handled']);
  });
});
