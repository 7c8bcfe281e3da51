import { Partitioners } from 'kafkajs';
import { DLQ_HEADERS, replayedMessage } from '../src/consumer/dead-letter';
import { headersToStrings, toKafkaRecord } from '../src/envelope/kafka-message';
import { collectTopic, recordEffect, useConsumerHarness, eventually } from './eventing-test-kit';

describe('MessageConsumer dead letters with the dev broker', () => {
  const harness = useConsumerHarness(['tally.events']);

  it('dead-letters a message that keeps failing, moves on, applies it once when replayed after the fix, and its record notes each replay', async () => {
    let fixed = false;
    const record = recordEffect(harness.db.schema, 'tally-view');
    const consumer = await harness.startConsumer(
      'tally-view',
      ['tally.events'],
      async (envelope, manager) => {
        if ((envelope.payload as { poison?: boolean }).poison && !fixed)
          throw new Error('cannot apply poison');
        await record(envelope, manager);
      },
    );
    expect(consumer.running).toBe(true);
    harness.startRelay();
    const poison = await harness.store.append(
      'poisoned',
      'Tally',
      0,
      [{ type: 'Added', payload: { poison: true } }],
      { topic: 'tally.events' },
    );
    for (const streamId of ['after-1', 'after-2']) {
      await harness.store.append(streamId, 'Tally', 0, [{ type: 'Added', payload: {} }], {
        topic: 'tally.events',
      });
    }
    const dlq = await collectTopic(harness.kafka, 'tally.events.dlq');
    harness.stoppers.push(dlq.stop);

    await eventually(async () => dlq.received.length >= 1 && (await harness.countEffects()) >= 2);
    expect(await harness.countEffects("stream_id LIKE 'after-%'")).toBe(2);
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
      harness.db.dataSource.query(
        `SELECT consumer, message_id, replayed_at IS NOT NULL AS replayed, replay_count FROM "${harness.db.schema}".dead_letters`,
      );
    expect(await ledger()).toEqual([
      { consumer: 'tally-view', message_id: poison.envelopes[0].messageId, replayed: false, replay_count: 0 },
    ]);
    // As the orchestrator's DLQ mirror replays it: from the dead letter, to its original topic.
    const replay = async (count: number) => {
      const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
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
    await eventually(async () => (await harness.countEffects("stream_id = 'poisoned'")) === 1);
    await eventually(async () => (await ledger())[0].replayed);
    expect((await ledger())[0].replay_count).toBe(1);

    await replay(2);
    await eventually(async () => (await ledger())[0].replay_count === 2);
    await harness.store.append('marker', 'Tally', 0, [{ type: 'Added', payload: {} }], {
      topic: 'tally.events',
    });
    await eventually(async () => (await harness.countEffects("stream_id = 'marker'")) === 1);
    expect(await harness.countEffects("stream_id = 'poisoned'")).toBe(1);
  });

  it('sends garbage and unknown types straight to the DLQ and keeps consuming', async () => {
    await harness.startConsumer(
      'tally-view',
      ['tally.events'],
      recordEffect(harness.db.schema, 'tally-view'),
      ['Added'],
    );
    const dlq = await collectTopic(harness.kafka, 'tally.events.dlq');
    harness.stoppers.push(dlq.stop);
    const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    harness.stoppers.push(() => producer.disconnect());
    const unknown = (await harness.store.append('odd', 'Tally', 0, [{ type: 'Renamed', payload: {} }]))
      .envelopes[0];
    const valid = (await harness.store.append('fine', 'Tally', 0, [{ type: 'Added', payload: {} }]))
      .envelopes[0];
    await producer.send({
      topic: 'tally.events',
      messages: [{ key: 'x', value: 'not json at all' }, toKafkaRecord(unknown), toKafkaRecord(valid)],
    });

    await eventually(async () => dlq.received.length >= 2 && (await harness.countEffects()) >= 1);
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
    expect(await harness.db.dataSource.query(`SELECT stream_id FROM "${harness.db.schema}".effects`)).toEqual(
      [{ stream_id: 'fine' }],
    );
    expect(
      await harness.db.dataSource.query(
        `SELECT attempts, key FROM "${harness.db.schema}".dead_letters ORDER BY id`,
      ),
    ).toEqual([
      { attempts: 0, key: 'x' },
      { attempts: 0, key: 'odd' },
    ]);
  });

  it('dead-letters bytes with a NUL in them (PostgreSQL text refuses NUL) instead of stalling the partition', async () => {
    await harness.startConsumer(
      'tally-view',
      ['tally.events'],
      recordEffect(harness.db.schema, 'tally-view'),
      ['Added'],
    );
    const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    harness.stoppers.push(() => producer.disconnect());
    const valid = (await harness.store.append('after-nul', 'Tally', 0, [{ type: 'Added', payload: {} }]))
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

    await eventually(async () => (await harness.countEffects()) >= 1);
    const [letter] = await harness.db.dataSource.query(
      `SELECT key, error, headers, value_base64 FROM "${harness.db.schema}".dead_letters`,
    );
    expect(letter.key).toBe('nul\\u0000key');
    expect(letter.error).toContain('not-json');
    expect(letter.headers).toEqual({ 'x-origin': 'scanner\\u0000v2' });
    expect(Buffer.from(letter.value_base64, 'base64')).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
  });
});
