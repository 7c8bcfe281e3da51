import { type Kafka } from 'kafkajs';
import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { buildBatch, produceRequest } from './support/batch-builder';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

const ZSTD = 4;

/** What Kafka 2.4 serves, flexible versions (KIP-482, which kafkajs never speaks) included. */
const EXPECTED_VERSIONS = [
  { key: 0, min: 3, max: 8 },
  { key: 1, min: 4, max: 11 },
  { key: 2, min: 0, max: 5 },
  { key: 3, min: 0, max: 9 },
  { key: 8, min: 0, max: 8 },
  { key: 9, min: 1, max: 6 },
  { key: 10, min: 0, max: 3 },
  { key: 11, min: 0, max: 6 },
  { key: 12, min: 0, max: 4 },
  { key: 13, min: 0, max: 4 },
  { key: 14, min: 0, max: 4 },
  { key: 15, min: 0, max: 5 },
  { key: 16, min: 0, max: 3 },
  { key: 18, min: 0, max: 3 },
  { key: 42, min: 0, max: 2 },
  { key: 44, min: 0, max: 1 },
  { key: 47, min: 0, max: 0 },
];

describe('current protocol versions, through kafkajs and a raw client', () => {
  let broker: DevBrokerHandle;
  let kafka: Kafka;

  beforeAll(async () => {
    broker = await startDevBroker(quiet);
    kafka = kafkaFor(broker);
  });

  afterAll(() => broker.stop());

  it('advertises the versions it implements', async () => {
    const client = await RawClient.connect(broker.ports[0]);
    const body = await client.request(ApiKey.API_VERSIONS, 2, new Writer());
    client.close();
    expect(body.int16()).toBe(ErrorCode.NONE);
    const apis = body.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    expect(body.int32()).toBe(0);
    for (const expected of EXPECTED_VERSIONS) expect(apis).toContainEqual(expected);
  });

  it("fills the log start offset in kafkajs's send results (Produce v7)", async () => {
    const topic = uniqueName('produce-v7');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }] });
    await admin.fetchTopicMetadata({ topics: [topic] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    const [result] = await producer.send({ topic, messages: [{ value: 'c' }] });
    await producer.disconnect();
    await admin.disconnect();
    expect(result).toMatchObject({ errorCode: 0, baseOffset: '2', logStartOffset: '1' });
  });

  it('answers Produce v8 with empty record errors, a null message and throttle time', async () => {
    const topic = uniqueName('produce-v8');
    const client = await RawClient.connect(broker.ports[0]);
    const body = await client.request(
      ApiKey.PRODUCE,
      8,
      produceRequest(topic, 0, buildBatch({ values: ['x'] })),
    );
    client.close();
    expect(body.array(readProducePartitions)).toEqual([
      [
        {
          partition: 0,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          logStartOffset: -1,
          recordErrors: 0,
          message: null,
        },
      ],
    ]);
    expect(body.int32()).toBe(0);
    expect(body.remaining).toBe(0);
  });

  it('refuses zstd below Produce v7, as older clients could not read it', async () => {
    const topic = uniqueName('zstd');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }] });
    await admin.disconnect();
    const client = await RawClient.connect(broker.ports[0]);
    const body = await client.request(
      ApiKey.PRODUCE,
      5,
      produceRequest(topic, 0, buildBatch({ values: ['x'], codec: ZSTD })),
    );
    client.close();
    body.int32();
    body.string();
    body.int32();
    body.int32();
    expect(body.int16()).toBe(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  });

  it('answers ListOffsets v5 with throttle time and the leader epoch, or UNKNOWN_LEADER_EPOCH for an epoch ahead', async () => {
    const topic = uniqueName('list-offsets-v5');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    const client = await RawClient.connect(broker.ports[0]);
    const asks = [
      { leaderEpoch: -1, timestamp: -1 },
      { leaderEpoch: 0, timestamp: -2 },
      { leaderEpoch: 1, timestamp: -1 },
    ];
    const answers = [];
    for (const { leaderEpoch, timestamp } of asks) {
      const body = await client.request(
        ApiKey.LIST_OFFSETS,
        5,
        new Writer()
          .int32(-1)
          .int8(1)
          .array([topic], (w, name) =>
            w.string(name).array([0], (pw, p) => pw.int32(p).int32(leaderEpoch).int64(timestamp)),
          ),
      );
      expect(body.int32()).toBe(0);
      const [[answer]] = body.array((t) => {
        expect(t.string()).toBe(topic);
        return t.array((p) => ({
          partition: p.int32(),
          errorCode: p.int16(),
          timestamp: p.int64n(),
          offset: p.int64n(),
          leaderEpoch: p.int32(),
        }));
      });
      expect(body.remaining).toBe(0);
      answers.push(answer);
    }
    client.close();
    expect(answers).toEqual([
      { partition: 0, errorCode: ErrorCode.NONE, timestamp: -1, offset: 3, leaderEpoch: 0 },
      { partition: 0, errorCode: ErrorCode.NONE, timestamp: -1, offset: 0, leaderEpoch: 0 },
      { partition: 0, errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH, timestamp: -1, offset: -1, leaderEpoch: -1 },
    ]);
  });

  it('lists offline replicas (none) and the leader through kafkajs (Metadata v6)', async () => {
    const topic = uniqueName('metadata');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.disconnect();
    expect(metadata.topics[0].partitions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partitionId: 0, leader: 0, replicas: [0], isr: [0], offlineReplicas: [] }),
      ]),
    );
  });
});

function readProducePartitions(topic: Reader) {
  topic.string();
  return topic.array((p) => {
    const partition = p.int32();
    const errorCode = p.int16();
    p.int64();
    p.int64();
    const logStartOffset = p.int64n();
    const recordErrors = p.array((e) => [e.int32(), e.nullableString()]).length;
    return { partition, errorCode, logStartOffset, recordErrors, message: p.nullableString() };
  });
}
