import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import { Writer } from '../src/protocol/writer';
import { type BatchSpec, buildBatch, produceRequest, readProduceAnswer } from './support/batch-builder';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

describe('idempotent producers', () => {
  let broker: DevBrokerHandle;
  let client: RawClient;
  let producerId: number;

  beforeAll(async () => {
    broker = await startDevBroker(quiet);
  });

  beforeEach(async () => {
    client = await RawClient.connect(broker.ports[0]);
    const body = await client.request(
      ApiKey.INIT_PRODUCER_ID,
      0,
      new Writer().nullableString(null).int32(60_000),
    );
    body.int32();
    expect(body.int16()).toBe(ErrorCode.NONE);
    producerId = body.int64n();
  });

  afterEach(() => client.close());
  afterAll(() => broker.stop());

  async function produce(topic: string, spec: Omit<BatchSpec, 'producerId'>) {
    const batch = buildBatch({ producerId, producerEpoch: 0, ...spec });
    return readProduceAnswer(await client.request(ApiKey.PRODUCE, 3, produceRequest(topic, 0, batch)));
  }

  async function createTopic(): Promise<string> {
    const topic = uniqueName('idempotent');
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }] });
    await admin.disconnect();
    return topic;
  }

  async function latestOffset(topic: string): Promise<string> {
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    const [offsets] = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    return offsets.high;
  }

  it('hands out a new producer id each time', async () => {
    const other = await client.request(
      ApiKey.INIT_PRODUCER_ID,
      0,
      new Writer().nullableString(null).int32(60_000),
    );
    other.int32();
    other.int16();
    expect(other.int64n()).not.toBe(producerId);
  });

  it('acknowledges a resent batch with its original offset and stores it once', async () => {
    const topic = await createTopic();
    await produce(topic, { values: ['a', 'b'], baseSequence: 0 });
    const first = await produce(topic, { values: ['c'], baseSequence: 2 });
    const resent = await produce(topic, { values: ['c'], baseSequence: 2 });
    expect(first).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 2 });
    expect(resent).toEqual(first);
    expect(await latestOffset(topic)).toBe('3');
  });

  it('refuses a sequence gap with OUT_OF_ORDER_SEQUENCE_NUMBER', async () => {
    const topic = await createTopic();
    await produce(topic, { values: ['a'], baseSequence: 0 });
    const gap = await produce(topic, { values: ['c'], baseSequence: 5 });
    expect(gap.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await latestOffset(topic)).toBe('1');
  });

  it('fences an older producer epoch with INVALID_PRODUCER_EPOCH', async () => {
    const topic = await createTopic();
    await produce(topic, { values: ['new'], producerEpoch: 1, baseSequence: 0 });
    const stale = await produce(topic, { values: ['old'], producerEpoch: 0, baseSequence: 1 });
    expect(stale.errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
  });

  it('refuses transactional ids, which the dev broker does not support', async () => {
    const body = await client.request(
      ApiKey.INIT_PRODUCER_ID,
      0,
      new Writer().nullableString('tx-1').int32(60_000),
    );
    body.int32();
    expect(body.int16()).not.toBe(ErrorCode.NONE);
  });

  it('lets kafkajs produce with idempotence on', async () => {
    const topic = await createTopic();
    const producer = kafkaFor(broker).producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 5; i++)
      await producer.send({ topic, messages: [{ value: `m${i}` }, { value: `n${i}` }] });
    await producer.disconnect();
    expect(await latestOffset(topic)).toBe('10');
  });
});
