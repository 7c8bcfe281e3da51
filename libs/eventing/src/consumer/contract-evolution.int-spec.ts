import { brokerConnectionEventTypes, type BrokerAccountBalancesReported } from '@tradecore/contracts';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import { type Kafka, Partitioners } from 'kafkajs';
import { brokerWithTopics, eventingSchema, eventually } from '../../test/eventing-test-kit';
import type { Envelope } from '../envelope/envelope';
import { toKafkaRecord } from '../envelope/kafka-message';
import { EventStore } from '../event-store/event-store';
import { envelopeOfMessage } from '../outbox/outgoing-message';
import type { TestSchema } from '../testing';
import { MessageConsumer, type MessageHandler } from './message-consumer';

// A rolling upgrade of BrokerAccountBalancesReported (v2: each balance says its currency): while
// it runs, producers and consumers of both releases share the topic and the event store.
const TOPIC = 'broker-connection.events';
const v1Balance = {
  externalAccountId: 'PA-1',
  cash: '900',
  buyingPower: '1800',
  equity: '1600',
  asOf: '2026-01-06T10:00:00.000Z',
};
const ref = { connectionId: 'conn-1', userId: 'user-1', reportedAt: '2026-01-06T10:00:00.000Z' };
const v1Payload = { ...ref, balances: [v1Balance] };
const v2Payload: BrokerAccountBalancesReported['payload'] = {
  ...ref,
  balances: [{ ...v1Balance, currency: 'EUR' }],
};

describe('contract evolution: BrokerAccountBalancesReported v1 and v2 during a rolling upgrade', () => {
  let db: TestSchema;
  let broker: DevBrokerHandle;
  let kafka: Kafka;
  const consumers: MessageConsumer[] = [];

  beforeEach(async () => {
    db = await eventingSchema();
    ({ broker, kafka } = await brokerWithTopics([TOPIC]));
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
    await broker.stop();
    await db.drop();
  });

  /** As the release that sent it would: its own schema version on the envelope, its own payload. */
  const publish = async (schemaVersion: number, payload: unknown) => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const envelope = envelopeOfMessage({
      topic: TOPIC,
      key: 'conn-1',
      type: 'BrokerAccountBalancesReported',
      schemaVersion,
      payload,
      metadata: { correlationId: 'corr-1' },
    });
    await producer.send({ topic: TOPIC, messages: [toKafkaRecord(envelope)] });
    await producer.disconnect();
  };

  /** A consumer of the new release (the contract's upcasters) or of the old one (none: it knows only v1). */
  const consumer = async (release: 'old' | 'new', handle: MessageHandler) => {
    const started = new MessageConsumer({
      kafka,
      dataSource: db.dataSource,
      schema: db.schema,
      groupId: `broker-account.${release}`,
      topics: [TOPIC],
      knownTypes: brokerConnectionEventTypes,
      fromBeginning: true,
      handle,
      ...(release === 'old' && { upcasters: [] }),
      retry: { attempts: 2, initialDelayMs: 5, maxDelayMs: 20 },
      restartBackoff: { initialDelayMs: 20, maxDelayMs: 200 },
      onCrash: () => undefined,
    });
    consumers.push(started);
    await started.start();
  };

  const deadLetters = async (): Promise<number> =>
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM "${db.schema}".dead_letters`))[0].n;

  it('a new consumer reads an old producer’s v1 report as v2, with the currency v1 implied', async () => {
    const seen: Envelope[] = [];
    await consumer('new', async (envelope) => void seen.push(envelope));
    await publish(1, v1Payload);
    await publish(2, v2Payload);

    await eventually(() => seen.length === 2);
    expect(seen.map((envelope) => envelope.schemaVersion)).toEqual([2, 2]);
    expect(seen.map((envelope) => (envelope.payload as typeof v2Payload).balances[0].currency)).toEqual([
      'USD',
      'EUR',
    ]);
  });

  it('an old consumer reads a new producer’s v2 report by the v1 fields it knows, and dead-letters nothing', async () => {
    const equities: string[] = [];
    await consumer('old', async (envelope) => {
      const { balances } = envelope.payload as typeof v1Payload;
      for (const balance of balances) equities.push(`${envelope.schemaVersion}:${balance.equity}`);
    });
    await publish(2, v2Payload);
    await publish(1, v1Payload);

    await eventually(() => equities.length === 2);
    expect(equities).toEqual(['2:1600', '1:1600']);
    expect(await deadLetters()).toBe(0);
  });

  it('the event store reads an event the old release stored at v1 as v2', async () => {
    const store = new EventStore({ dataSource: db.dataSource, schema: db.schema });
    await store.append('conn-1', 'BrokerConnection', 0, [
      { type: 'BrokerAccountBalancesReported', schemaVersion: 1, payload: v1Payload },
    ]);

    const [read] = await store.readStream('conn-1');
    expect(read.schemaVersion).toBe(2);
    expect((read.payload as typeof v2Payload).balances[0]).toEqual({ ...v1Balance, currency: 'USD' });
  });
});
