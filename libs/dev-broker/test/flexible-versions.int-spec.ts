import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { ApiKey, createTopic, flexible, useFlexibleWire } from './support/flexible-wire';
import { kafkaFor, uniqueName } from './support/kafka-fixture';

const { API_VERSIONS, METADATA, INCREMENTAL_ALTER_CONFIGS } = ApiKey;
const TOPIC_RESOURCE = 2;
const SET = 0;

describe('ApiVersions, Metadata and IncrementalAlterConfigs in their flexible versions (KIP-482)', () => {
  const wire = useFlexibleWire();

  it('answers ApiVersions v3 in response header v0 with a flexible body', async () => {
    const body = await wire.client.requestFlexible(
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
    await createTopic(wire.broker, topic, 2);

    const request = flexible()
      .array([topic], (w, name) => w.string(name).tags())
      .boolean(false)
      .boolean(false)
      .boolean(true)
      .tags();
    const body = await wire.client.requestFlexible(METADATA, 9, request);
    expect(body.int32()).toBe(0);
    const brokers = body.array((r) => {
      const node = { nodeId: r.int32(), host: r.string(), port: r.int32(), rack: r.nullableString() };
      r.tags();
      return node;
    });
    expect(brokers).toEqual([
      { nodeId: 0, host: expect.any(String), port: wire.broker.ports[0], rack: null },
    ]);
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

  it('sets a topic config with IncrementalAlterConfigs v1, and names a missing topic', async () => {
    const topic = uniqueName('flexible-configs');
    const missing = uniqueName('flexible-missing');
    await createTopic(wire.broker, topic);

    const request = flexible()
      .array([topic, missing], (w, name) =>
        w
          .int8(TOPIC_RESOURCE)
          .string(name)
          .array([['retention.ms', '60000']], (c, [key, value]) =>
            c.string(key).int8(SET).nullableString(value).tags(),
          )
          .tags(),
      )
      .boolean(false)
      .tags();
    const body = await wire.client.requestFlexible(INCREMENTAL_ALTER_CONFIGS, 1, request);
    expect(body.int32()).toBe(0);
    const results = body.array((r) => {
      const result = { errorCode: r.int16(), message: r.nullableString(), type: r.int8(), name: r.string() };
      r.tags();
      return result;
    });
    body.tags();
    expect(body.remaining).toBe(0);
    expect(results).toEqual([
      { errorCode: ErrorCode.NONE, message: null, type: TOPIC_RESOURCE, name: topic },
      {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        message: `Topic ${missing} does not exist`,
        type: TOPIC_RESOURCE,
        name: missing,
      },
    ]);

    const admin = kafkaFor(wire.broker).admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['retention.ms'] }],
      includeSynonyms: false,
    });
    await admin.disconnect();
    expect(described.resources[0].configEntries[0]).toMatchObject({
      configName: 'retention.ms',
      configValue: '60000',
    });
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
