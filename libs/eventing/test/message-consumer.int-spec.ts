import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka, Partitioners } from 'kafkajs';
import { DLQ_HEADERS, replayedMessage } from '../src/consumer/dead-letter';
import { MessageConsumer, type MessageHandler } from '../src/consumer/message-consumer';
import { headersToStrings, toKafkaRecord } from '../src/envelope/kafka-message';
import { runInMessageContext } from '../src/envelope/message-context';
import { EventStore } from '../src/event-store/event-store';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { type TestSchema } from '../src/testing';
import { collectTopic, recordEffect, waitFor, eventingSchema, brokerWithTopics } from './eventing-test-kit';

const retry = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 };

describe('MessageConsumer with the dev broker', () => {
  let db: TestSchema;
  let store: EventStore;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  const stoppers: (() => Promise<unknown>)[] = [];

  const countEffects = async (filter = 'true'): Promise<number> =>
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".effects WHERE ${filter}`))[0].n;

  const startConsumer = async (
    groupId: string,
    topics: string[],
    handle: MessageHandler,
    knownTypes?: string[],
    handledTypes?: string[],
  ) => {
    const consumer = new MessageConsumer({
      kafka,
      dataSource: db.dataSource,
      schema: db.schema,
      groupId,
      topics,
      handle,
      retry,
      knownTypes,
      handledTypes,
    });
    await consumer.start();
    stoppers.push(() => consumer.stop());
    return consumer;
  };

  const startRelay = () => {
    const relay = new OutboxRelay({
      dataSource: db.dataSource,
      schema: db.schema,
      kafka,
      serviceName: 'tally',
    });
    relay.start();
    stoppers.push(() => relay.stop());
  };

  beforeEach(async () => {
    db = await eventingSchema();
    store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    ({ broker, kafka } = await brokerWithTopics([
      'tally.events',
      'hop.a',
      'hop.b',
      'tally.commands',
      'saga.replies',
    ]));
  });
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
    await broker.stop();
    await db.drop();
  });

  it('dead-letters a message that keeps failing, moves on, applies it once when replayed after the fix, and its record notes each replay', async () => {
    let fixed = false;
    const record = recordEffect(db.schema, 'tally-view');
    const consumer = await startConsumer('tally-view', ['tally.events'], async (envelope, manager) => {
      if ((envelope.payload as { poison?: boolean }).poison && !fixed) throw new Error('cannot apply poison');
      await record(envelope, manager);
    });
    expect(consumer.running).toBe(true);
    startRelay();
    const poison = await store.append(
      'poisoned',
      'Tally',
      0,
      [{ type: 'Added', payload: { poison: true } }],
      { topic: 'tally.events' },
    );
    for (const streamId of ['after-1', 'after-2']) {
      await store.append(streamId, 'Tally', 0, [{ type: 'Added', payload: {} }], { topic: 'tally.events' });
    }
    const dlq = await collectTopic(kafka, 'tally.events.dlq');
    stoppers.push(dlq.stop);

    await waitFor(async () => dlq.received.length >= 1 && (await countEffects()) >= 2);
    expect(await countEffects("stream_id LIKE 'after-%'")).toBe(2);
    const [letter] = dlq.received;
    const headers = headersToStrings(letter.message.headers);
    expect(headers).toMatchObject({
      messageId: poison.envelopes[0].messageId,
      [DLQ_HEADERS.originalTopic]: 'tally.events',
      [DLQ_HEADERS.originalPartition]: '0',
      [DLQ_HEADERS.consumerGroup]: 'tally-view',
      [DLQ_HEADERS.errorMessage]: 'cannot apply poison',
      [DLQ_HEADERS.attempts]: '3',
    });
    expect(headers[DLQ_HEADERS.errorStack]).toContain('cannot apply poison');
    expect(JSON.parse(letter.message.value?.toString() ?? '')).toMatchObject({
      messageId: poison.envelopes[0].messageId,
    });

    fixed = true;
    const ledger = () =>
      db.dataSource.query(
        `SELECT consumer, message_id, replayed_at IS NOT NULL AS replayed, replay_count FROM "${db.schema}".dead_letters`,
      );
    expect(await ledger()).toEqual([
      { consumer: 'tally-view', message_id: poison.envelopes[0].messageId, replayed: false, replay_count: 0 },
    ]);
    // As the orchestrator's DLQ mirror replays it: from the dead letter, to its original topic.
    const replay = async (count: number) => {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const dead = {
        key: letter.message.key?.toString() ?? null,
        value: letter.message.value?.toString() ?? null,
      };
      await producer.send({
        topic: 'tally.events',
        messages: [replayedMessage({ ...dead, headers }, count)],
      });
      await producer.disconnect();
    };
    await replay(1);
    await waitFor(async () => (await countEffects("stream_id = 'poisoned'")) === 1);
    await waitFor(async () => (await ledger())[0].replayed);
    expect((await ledger())[0].replay_count).toBe(1);

    await replay(2);
    await waitFor(async () => (await ledger())[0].replay_count === 2);
    await store.append('marker', 'Tally', 0, [{ type: 'Added', payload: {} }], { topic: 'tally.events' });
    await waitFor(async () => (await countEffects("stream_id = 'marker'")) === 1);
    expect(await countEffects("stream_id = 'poisoned'")).toBe(1);
  });

  it('sends garbage and unknown types straight to the DLQ and keeps consuming', async () => {
    await startConsumer('tally-view', ['tally.events'], recordEffect(db.schema, 'tally-view'), ['Added']);
    const dlq = await collectTopic(kafka, 'tally.events.dlq');
    stoppers.push(dlq.stop);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stoppers.push(() => producer.disconnect());
    const unknown = (await store.append('odd', 'Tally', 0, [{ type: 'Renamed', payload: {} }])).envelopes[0];
    const valid = (await store.append('fine', 'Tally', 0, [{ type: 'Added', payload: {} }])).envelopes[0];
    await producer.send({
      topic: 'tally.events',
      messages: [{ key: 'x', value: 'not json at all' }, toKafkaRecord(unknown), toKafkaRecord(valid)],
    });

    await waitFor(async () => dlq.received.length >= 2 && (await countEffects()) >= 1);
    expect(dlq.received.map((m) => m.message.value?.toString())).toEqual([
      'not json at all',
      JSON.stringify(unknown),
    ]);
    for (const letter of dlq.received)
      expect(headersToStrings(letter.message.headers)[DLQ_HEADERS.attempts]).toBe('0');
    expect(headersToStrings(dlq.received[0].message.headers)[DLQ_HEADERS.errorMessage]).toContain('not-json');
    expect(headersToStrings(dlq.received[1].message.headers)[DLQ_HEADERS.errorMessage]).toContain(
      'unknown-type',
    );
    expect(await db.dataSource.query(`SELECT stream_id FROM "${db.schema}".effects`)).toEqual([
      { stream_id: 'fine' },
    ]);
    expect(
      await db.dataSource.query(`SELECT attempts, key FROM "${db.schema}".dead_letters ORDER BY id`),
    ).toEqual([
      { attempts: 0, key: 'x' },
      { attempts: 0, key: 'odd' },
    ]);
  });

  it('acknowledges the types it does not handle without an inbox row, and handles the next one', async () => {
    const handle = recordEffect(db.schema, 'picky');
    await startConsumer('picky', ['tally.events'], handle, ['Added', 'Doubled'], ['Added']);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stoppers.push(() => producer.disconnect());
    const appended = await store.append('picky-1', 'Tally', 0, [
      { type: 'Doubled', payload: {} },
      { type: 'Added', payload: {} },
    ]);
    await producer.send({ topic: 'tally.events', messages: appended.envelopes.map(toKafkaRecord) });

    await waitFor(async () => (await countEffects()) === 1);
    expect(await db.dataSource.query(`SELECT version FROM "${db.schema}".effects`)).toEqual([{ version: 2 }]);
    const inbox = await db.dataSource.query(
      `SELECT message_id FROM "${db.schema}".inbox WHERE consumer = 'picky'`,
    );
    expect(inbox).toEqual([{ message_id: appended.envelopes[1].messageId }]);
  });

  it('dead-letters bytes with a NUL in them (PostgreSQL text refuses NUL) instead of stalling the partition', async () => {
    await startConsumer('tally-view', ['tally.events'], recordEffect(db.schema, 'tally-view'), ['Added']);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    stoppers.push(() => producer.disconnect());
    const valid = (await store.append('after-nul', 'Tally', 0, [{ type: 'Added', payload: {} }]))
      .envelopes[0];
    await producer.send({
      topic: 'tally.events',
      messages: [
        {
          key: 'nul\u0000key',
          value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
          headers: { 'x-origin': 'scanner\u0000v2' },
        },
        toKafkaRecord(valid),
      ],
    });

    await waitFor(async () => (await countEffects()) >= 1);
    const [letter] = await db.dataSource.query(
      `SELECT key, error, headers, value_base64 FROM "${db.schema}".dead_letters`,
    );
    expect(letter.key).toBe('nul\\u0000key');
    expect(letter.error).toContain('not-json');
    expect(letter.headers).toEqual({ 'x-origin': 'scanner\\u0000v2' });
    expect(Buffer.from(letter.value_base64, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
  });

  it('keeps the correlation and causation chain across two hops, in stored metadata and Kafka headers', async () => {
    const seenByLastHop: unknown[] = [];
    await startConsumer('hop-a-handler', ['hop.a'], async (envelope, manager) => {
      await store.append(`b-of-${envelope.streamId}`, 'HopB', 0, [{ type: 'BHappened', payload: {} }], {
        topic: 'hop.b',
        manager,
      });
    });
    await startConsumer('hop-b-handler', ['hop.b'], async (envelope) => void seenByLastHop.push(envelope));
    const wire = await collectTopic(kafka, 'hop.b');
    stoppers.push(wire.stop);
    startRelay();

    const request = { correlationId: 'http-request-1', messageId: null, userId: 'user-7' };
    const a = (
      await runInMessageContext(request, () =>
        store.append('a-1', 'HopA', 0, [{ type: 'AHappened', payload: {} }], { topic: 'hop.a' }),
      )
    ).envelopes[0];
    await waitFor(() => seenByLastHop.length >= 1 && wire.received.length >= 1);

    expect(a).toMatchObject({ correlationId: 'http-request-1', causationId: null, userId: 'user-7' });
    const [stored] = await store.readStream('b-of-a-1');
    expect(stored).toMatchObject({
      correlationId: 'http-request-1',
      causationId: a.messageId,
      userId: 'user-7',
    });
    expect(seenByLastHop[0]).toEqual(stored);
    expect(headersToStrings(wire.received[0].message.headers)).toMatchObject({
      messageId: stored.messageId,
      correlationId: 'http-request-1',
      causationId: a.messageId,
      userId: 'user-7',
    });
  });

  it('sends a reply through the outbox only when the handling transaction commits, inheriting the saga metadata', async () => {
    let failOnce = true;
    await startConsumer('tally-commands', ['tally.commands'], async (envelope, manager) => {
      await store.send(
        [{ topic: 'saga.replies', key: envelope.sagaId ?? '', type: 'SagaReply', payload: { ok: true } }],
        manager,
      );
      if (failOnce) {
        failOnce = false;
        throw new Error('crash after queueing the reply');
      }
    });
    const replies = await collectTopic(kafka, 'saga.replies');
    stoppers.push(replies.stop);
    startRelay();

    const command = (
      await runInMessageContext(
        { correlationId: 'corr-9', messageId: null, sagaId: 'saga-1', sagaStep: 'count' },
        () => store.send([{ topic: 'tally.commands', key: 'tally-1', type: 'CountTally', payload: {} }]),
      )
    )[0];
    await waitFor(() => replies.received.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(replies.received).toHaveLength(1);
    const reply = JSON.parse(replies.received[0].message.value!.toString());
    expect(reply).toMatchObject({
      type: 'SagaReply',
      streamId: 'saga-1',
      correlationId: 'corr-9',
      causationId: command.messageId,
      sagaId: 'saga-1',
      sagaStep: 'count',
      payload: { ok: true },
    });
    expect(replies.received[0].message.key!.toString()).toBe('saga-1');
  });
});
