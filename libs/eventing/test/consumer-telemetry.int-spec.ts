import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka, Partitioners } from 'kafkajs';
import { MessageConsumer } from '../src/consumer/message-consumer';
import { toKafkaRecord } from '../src/envelope/kafka-message';
import { runInMessageContext } from '../src/envelope/message-context';
import { EventStore } from '../src/event-store/event-store';
import { type TestSchema } from '../src/testing';
import {
  collectTopic,
  recordEffect,
  eventually,
  eventingSchema,
  brokerWithTopics,
} from './eventing-test-kit';

/** The MessageProcessed payloads received, whether each came alone or in a MessagesProcessed. */
function recordsOf(received: readonly { message: { value: Buffer | null } }[]) {
  return received.flatMap((m) => {
    const record = JSON.parse(m.message.value?.toString() ?? '');
    return record.type === 'MessagesProcessed' ? record.payload.records : [record.payload];
  });
}

describe('MessageConsumer telemetry', () => {
  let db: TestSchema;
  let store: EventStore;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  const stoppers: (() => Promise<unknown>)[] = [];

  beforeEach(async () => {
    db = await eventingSchema();
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    ({ broker, kafka } = await brokerWithTopics(['tally.events', 'ops.telemetry']));
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await broker.stop();
    await db.drop();
  });

  const start = async (handle: ConstructorParameters<typeof MessageConsumer>[0]['handle']) => {
    const consumer = new MessageConsumer({
      kafka,
      dataSource: db.dataSource,
      schema: db.schema,
      groupId: 'tally-view',
      topics: ['tally.events'],
      handle,
      retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 10 },
      telemetry: { service: 'tally' },
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
  };

  const send = async (...envelopes: Parameters<typeof toKafkaRecord>[0][]) => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: 'tally.events', messages: envelopes.map(toKafkaRecord) });
    await producer.disconnect();
  };

  it('reports each handled message to ops.telemetry with its service, consumer, outcome and timings', async () => {
    await start(recordEffect(db.schema, 'tally-view'));
    const telemetry = await collectTopic(kafka, 'ops.telemetry');
    stoppers.push(telemetry.stop);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const appended = await runInMessageContext({ correlationId: 'c-1', messageId: null, traceparent }, () =>
      store.append('t-1', 'Tally', 0, [{ type: 'Added', payload: {} }]),
    );
    const added = appended.envelopes[0];
    await send(added);

    await eventually(() => telemetry.received.length >= 1);
    const record = JSON.parse(telemetry.received[0].message.value?.toString() ?? '');
    expect(telemetry.received[0].message.key?.toString()).toBe(added.messageId);
    expect(record).toMatchObject({
      type: 'MessageProcessed',
      correlationId: added.correlationId,
      causationId: added.messageId,
      traceparent,
      payload: {
        service: 'tally',
        consumer: 'tally-view',
        topic: 'tally.events',
        partition: 0,
        messageId: added.messageId,
        messageType: 'Added',
        correlationId: added.correlationId,
        outcome: 'handled',
        attempt: 1,
      },
    });
    expect(record.payload.durationMs).toBeGreaterThanOrEqual(0);
    expect(record.payload.lagMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a retry and then the dead-lettering, with the error', async () => {
    await start(async () => {
      throw new Error('cannot apply');
    });
    const telemetry = await collectTopic(kafka, 'ops.telemetry');
    stoppers.push(telemetry.stop);
    const poison = (await store.append('t-2', 'Tally', 0, [{ type: 'Added', payload: {} }])).envelopes[0];
    await send(poison);

    await eventually(() => recordsOf(telemetry.received).length >= 2);
    const records = recordsOf(telemetry.received);
    expect(records.map((r) => [r.outcome, r.attempt])).toEqual([
      ['retried', 1],
      ['dead-lettered', 2],
    ]);
    expect(records[1].error).toEqual({ code: 'Error', message: 'cannot apply' });
  });

  it('sends the records of a burst as one MessagesProcessed, each with the id and trace it would carry alone', async () => {
    await start(recordEffect(db.schema, 'tally-view'));
    const telemetry = await collectTopic(kafka, 'ops.telemetry');
    stoppers.push(telemetry.stop);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const appended = await runInMessageContext({ correlationId: 'c-4', messageId: null, traceparent }, () =>
      store.append(
        't-4',
        'Tally',
        0,
        [1, 2, 3, 4].map(() => ({ type: 'Added', payload: {} })),
      ),
    );
    await send(...appended.envelopes);

    await eventually(() => recordsOf(telemetry.received).length >= 4);
    const batch = JSON.parse(telemetry.received[0].message.value?.toString() ?? '');
    expect(telemetry.received).toHaveLength(1);
    expect(batch.type).toBe('MessagesProcessed');
    const records: { messageId: string; recordId: string; traceparent: string; outcome: string }[] =
      batch.payload.records;
    expect(records.map((r) => r.messageId)).toEqual(appended.envelopes.map((e) => e.messageId));
    expect(new Set(records.map((r) => r.recordId)).size).toBe(4);
    expect(records.every((r) => r.traceparent === traceparent && r.outcome === 'handled')).toBe(true);
  });

  it('keeps handling when the telemetry topic does not exist', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: ['ops.telemetry'] });
    await admin.disconnect();
    await start(recordEffect(db.schema, 'tally-view'));
    const added = (await store.append('t-3', 'Tally', 0, [{ type: 'Added', payload: {} }])).envelopes[0];
    await send(added);
    await eventually(
      async () =>
        (await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".effects`))[0].n === 1,
    );
  });
});
