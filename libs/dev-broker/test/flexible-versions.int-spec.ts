import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { RawClient } from './support/raw-client';

// Layouts from Kafka 2.4's message definitions (clients/src/main/resources/common/message/*.json):
// flexible versions have compact strings, bytes and arrays, and every struct ends in tagged fields.
const METADATA = 3;
const API_VERSIONS = 18;

const flexible = () => new Writer(256, true);

describe('ApiVersions and Metadata in their flexible versions (KIP-482)', () => {
  let broker: DevBrokerHandle;
  let client: RawClient;

  beforeAll(async () => {
    broker = await startDevBroker(quiet);
    client = await RawClient.connect(broker.ports[0]);
  });

  afterAll(async () => {
    client.close();
    await broker.stop();
  });

  it('answers ApiVersions v3 in response header v0 with a flexible body', async () => {
    const body = await client.requestFlexible(
      API_VERSIONS,
      3,
      flexible().string('tradecore-test').string('1.0').tags(),
    );
    expect(body.int16()).toBe(ErrorCode.NONE);
    const apis = body.array((r) => {
      const api = { key: r.int16(), min: r.int16(), max: r.int16() };
      r.tags();
      return api;
    });
    expect(body.int32()).toBe(0);
    body.tags();
    expect(body.remaining).toBe(0);
    expect(apis).toContainEqual({ key: API_VERSIONS, min: 0, max: 3 });
    expect(apis).toContainEqual({ key: METADATA, min: 0, max: 9 });
  });

  it('describes a topic with Metadata v9', async () => {
    const topic = uniqueName('flexible-metadata');
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();

    const request = flexible()
      .array([topic], (w, name) => w.string(name).tags())
      .boolean(false)
      .boolean(false)
      .boolean(true)
      .tags();
    const body = await client.requestFlexible(METADATA, 9, request);
    expect(body.int32()).toBe(0);
    const brokers = body.array((r) => {
      const node = { nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() };
      r.tags();
      return node;
    });
    expect(brokers).toEqual([{ nodeId: 0, host: expect.any(String), port: broker.ports[0], rack: null }]);
    expect(body.nullableString()).toBe('tradecore-dev-broker');
    body.int32();
    const [described] = body.array(readTopic);
    expect(described).toMatchObject({ errorCode: ErrorCode.NONE, name: topic, internal: false });
    expect(described.partitions).toEqual([
      { errorCode: 0, partition: 0, leader: 0, replicas: [0], isr: [0], offline: [] },
      { errorCode: 0, partition: 1, leader: 0, replicas: [0], isr: [0], offline: [] },
    ]);
    expect(described.operations).toBeGreaterThan(0);
    body.int32();
    body.tags();
    expect(body.remaining).toBe(0);
  });
});

function readTopic(r: Reader) {
  const topic = {
    errorCode: r.int16(),
    name: r.string(),
    internal: r.boolean(),
    partitions: r.array((p) => {
      const partition = {
        errorCode: p.int16(),
        partition: p.int32(),
        leader: p.int32(),
        epoch: p.int32(),
        replicas: p.array((x) => x.int32()),
        isr: p.array((x) => x.int32()),
        offline: p.array((x) => x.int32()),
      };
      p.tags();
      const { epoch: _epoch, ...rest } = partition;
      return rest;
    }),
    operations: r.int32(),
  };
  r.tags();
  return topic;
}
