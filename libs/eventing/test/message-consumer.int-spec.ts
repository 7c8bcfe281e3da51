import { Partitioners } from 'kafkajs';
import { headersToStrings, toKafkaRecord } from '../src/envelope/kafka-message';
import { runInMessageContext } from '../src/envelope/message-context';
import { collectTopic, recordEffect, useConsumerHarness, eventually } from './eventing-test-kit';

describe('MessageConsumer with the dev broker', () => {
  const harness = useConsumerHarness(['tally.events', 'hop.a', 'hop.b', 'tally.commands', 'saga.replies']);

  it('acknowledges the types it does not handle without an inbox row, and handles the next one', async () => {
    const handle = recordEffect(harness.db.schema, 'picky');
    await harness.startConsumer('picky', ['tally.events'], handle, ['Added', 'Doubled'], {
      handledTypes: ['Added'],
    });
    const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    harness.stoppers.push(() => producer.disconnect());
    const appended = await harness.store.append('picky-1', 'Tally', 0, [
      { type: 'Doubled', payload: {} },
      { type: 'Added', payload: {} },
    ]);
    await producer.send({ topic: 'tally.events', messages: appended.envelopes.map(toKafkaRecord) });

    await eventually(async () => (await harness.countEffects()) === 1);
    expect(await harness.db.dataSource.query(`SELECT version FROM "${harness.db.schema}".effects`)).toEqual([
      { version: 2 },
    ]);
    const inbox = await harness.db.dataSource.query(
      `SELECT message_id FROM "${harness.db.schema}".inbox WHERE consumer = 'picky'`,
    );
    expect(inbox).toEqual([{ message_id: appended.envelopes[1].messageId }]);
  });

  it('acknowledges the messages of a handled type it tells apart as not its own without an inbox row', async () => {
    const handle = recordEffect(harness.db.schema, 'own-only');
    const ownOnly = (envelope: { readonly payload: unknown }) =>
      typeof envelope.payload === 'object' && envelope.payload !== null && 'own' in envelope.payload;
    await harness.startConsumer('own-only', ['tally.events'], handle, ['Added'], {
      handledTypes: ['Added'],
      handlesMessage: ownOnly,
    });
    const producer = harness.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    harness.stoppers.push(() => producer.disconnect());
    const appended = await harness.store.append('own-only-1', 'Tally', 0, [
      { type: 'Added', payload: {} },
      { type: 'Added', payload: { own: true } },
    ]);
    await producer.send({ topic: 'tally.events', messages: appended.envelopes.map(toKafkaRecord) });

    await eventually(async () => (await harness.countEffects()) === 1);
    const inbox = await harness.db.dataSource.query(
      `SELECT message_id FROM "${harness.db.schema}".inbox WHERE consumer = 'own-only'`,
    );
    expect(inbox).toEqual([{ message_id: appended.envelopes[1].messageId }]);
  });

  it('keeps the correlation and causation chain across two hops, in stored metadata and Kafka headers', async () => {
    const seenByLastHop: unknown[] = [];
    await harness.startConsumer('hop-a-handler', ['hop.a'], async (envelope, manager) => {
      await harness.store.append(
        `b-of-${envelope.streamId}`,
        'HopB',
        0,
        [{ type: 'BHappened', payload: {} }],
        {
          topic: 'hop.b',
          manager,
        },
      );
    });
    await harness.startConsumer(
      'hop-b-handler',
      ['hop.b'],
      async (envelope) => void seenByLastHop.push(envelope),
    );
    const wire = await collectTopic(harness.kafka, 'hop.b');
    harness.stoppers.push(wire.stop);
    harness.startRelay();

    const request = { correlationId: 'http-request-1', messageId: null, userId: 'user-7' };
    const a = (
      await runInMessageContext(request, () =>
        harness.store.append('a-1', 'HopA', 0, [{ type: 'AHappened', payload: {} }], { topic: 'hop.a' }),
      )
    ).envelopes[0];
    await eventually(() => seenByLastHop.length >= 1 && wire.received.length >= 1);

    expect(a).toMatchObject({ correlationId: 'http-request-1', causationId: null, userId: 'user-7' });
    const [stored] = await harness.store.readStream('b-of-a-1');
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
    await harness.startConsumer('tally-commands', ['tally.commands'], async (envelope, manager) => {
      await harness.store.send(
        [{ topic: 'saga.replies', key: envelope.sagaId ?? '', type: 'SagaReply', payload: { ok: true } }],
        manager,
      );
      if (failOnce) {
        failOnce = false;
        throw new Error('crash after queueing the reply');
      }
    });
    const replies = await collectTopic(harness.kafka, 'saga.replies');
    harness.stoppers.push(replies.stop);
    harness.startRelay();

    const command = (
      await runInMessageContext(
        { correlationId: 'corr-9', messageId: null, sagaId: 'saga-1', sagaStep: 'count' },
        () =>
          harness.store.send([{ topic: 'tally.commands', key: 'tally-1', type: 'CountTally', payload: {} }]),
      )
    )[0];
    await eventually(() => replies.received.length >= 1);
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
