import { ConfigResourceTypes, ConfigSource } from 'kafkajs';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { uniqueName, useBrokerWithAdmin } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

const TOPIC = ConfigResourceTypes.TOPIC;
const Op = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

describe('topic configs over kafkajs on a 3-node dev broker', () => {
  const dev = useBrokerWithAdmin({ nodes: 3 });

  async function configsOf(topic: string, includeSynonyms = false) {
    const described = await dev.admin.describeConfigs({
      resources: [{ type: TOPIC, name: topic }],
      includeSynonyms,
    });
    return Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e]));
  }

  async function createTopic(configEntries: { name: string; value: string }[] = []): Promise<string> {
    const topic = uniqueName('configs');
    await dev.admin.createTopics({ topics: [{ topic, configEntries }] });
    return topic;
  }

  it('describes every honoured config, overrides given at creation as topic configs', async () => {
    const topic = await createTopic([{ name: 'retention.ms', value: '3600000' }]);
    const entries = await configsOf(topic, true);
    expect(Object.keys(entries).sort()).toEqual([
      'cleanup.policy',
      'max.message.bytes',
      'min.insync.replicas',
      'retention.bytes',
      'retention.ms',
    ]);
    expect(entries['retention.ms']).toMatchObject({
      configValue: '3600000',
      configSource: ConfigSource.TOPIC_CONFIG,
      isDefault: false,
      readOnly: false,
      isSensitive: false,
      configSynonyms: [
        { configName: 'retention.ms', configValue: '3600000', configSource: ConfigSource.TOPIC_CONFIG },
        {
          configName: 'log.retention.ms',
          configValue: '604800000',
          configSource: ConfigSource.DEFAULT_CONFIG,
        },
      ],
    });
    expect(entries['cleanup.policy']).toMatchObject({
      configValue: 'delete',
      configSource: ConfigSource.DEFAULT_CONFIG,
      isDefault: true,
    });
  });

  it('describes only the config names asked for', async () => {
    const topic = await createTopic();
    const described = await dev.admin.describeConfigs({
      resources: [{ type: TOPIC, name: topic, configNames: ['retention.bytes', 'no.such.config'] }],
      includeSynonyms: false,
    });
    expect(described.resources[0].configEntries.map((e) => e.configName)).toEqual(['retention.bytes']);
  });

  it('answers an unknown topic with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await expect(
      dev.admin.describeConfigs({
        resources: [{ type: TOPIC, name: uniqueName('absent') }],
        includeSynonyms: false,
      }),
    ).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });

  it("describes a broker's own defaults as read-only on that broker", async () => {
    const described = await dev.admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['log.retention.ms'] }],
      includeSynonyms: false,
    });
    expect(described.resources[0]).toMatchObject({
      errorCode: ErrorCode.NONE,
      resourceName: '1',
      configEntries: [
        { configName: 'log.retention.ms', configValue: '604800000', readOnly: true, isDefault: true },
      ],
    });
  });

  it('alterConfigs replaces the whole set of overrides, as Kafka does', async () => {
    const topic = await createTopic([{ name: 'retention.ms', value: '3600000' }]);
    await dev.admin.alterConfigs({
      resources: [
        { type: TOPIC, name: topic, configEntries: [{ name: 'retention.bytes', value: '1048576' }] },
      ],
      validateOnly: false,
    });
    const entries = await configsOf(topic);
    expect(entries['retention.bytes']).toMatchObject({
      configValue: '1048576',
      configSource: ConfigSource.TOPIC_CONFIG,
    });
    expect(entries['retention.ms']).toMatchObject({
      configValue: '604800000',
      configSource: ConfigSource.DEFAULT_CONFIG,
    });
  });

  it('only validates when asked to', async () => {
    const topic = await createTopic();
    await dev.admin.alterConfigs({
      resources: [{ type: TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '1000' }] }],
      validateOnly: true,
    });
    expect((await configsOf(topic))['retention.ms'].configValue).toBe('604800000');
  });

  it.each([
    ['an unknown config', 'no.such.config', '1', 'INVALID_CONFIG'],
    ['a value that is not a number', 'retention.ms', 'soon', 'INVALID_CONFIG'],
    ['a value below the minimum', 'min.insync.replicas', '0', 'INVALID_CONFIG'],
    ['a policy Kafka does not have', 'cleanup.policy', 'shred', 'INVALID_CONFIG'],
    ['compaction, which the dev broker does not do', 'cleanup.policy', 'compact', 'POLICY_VIOLATION'],
    ['a Kafka config the dev broker does not implement', 'segment.bytes', '1048576', 'POLICY_VIOLATION'],
  ])('refuses %s and keeps the topic as it was', async (_case, name, value, type) => {
    const topic = await createTopic([{ name: 'retention.ms', value: '3600000' }]);
    await expect(
      dev.admin.alterConfigs({
        resources: [{ type: TOPIC, name: topic, configEntries: [{ name, value }] }],
        validateOnly: false,
      }),
    ).rejects.toMatchObject({ type });
    expect((await configsOf(topic))['retention.ms'].configValue).toBe('3600000');
  });

  it('refuses to create a topic with a config it would refuse to alter', async () => {
    const topic = uniqueName('compacted');
    await expect(
      dev.admin.createTopics({
        topics: [{ topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }],
      }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'POLICY_VIOLATION' })] });
    expect(await dev.admin.listTopics()).not.toContain(topic);
  });

  it('refuses to alter a broker: its settings are fixed at start', async () => {
    await expect(
      dev.admin.alterConfigs({
        resources: [
          {
            type: ConfigResourceTypes.BROKER,
            name: '0',
            configEntries: [{ name: 'log.retention.ms', value: '1' }],
          },
        ],
        validateOnly: false,
      }),
    ).rejects.toMatchObject({ type: 'INVALID_REQUEST' });
  });

  describe('IncrementalAlterConfigs (which kafkajs does not send), over a raw client', () => {
    let client: RawClient;

    beforeEach(async () => {
      client = await RawClient.connect(dev.broker.ports[0]);
    });

    afterEach(() => client.close());

    async function incremental(topic: string, ops: [string, number, string | null][]) {
      const body = new Writer()
        .array([topic], (w, name) =>
          w
            .int8(TOPIC)
            .string(name)
            .array(ops, (ow, [key, op, value]) => ow.string(key).int8(op).nullableString(value)),
        )
        .boolean(false);
      const reply = await client.request(ApiKey.INCREMENTAL_ALTER_CONFIGS, 0, body);
      reply.int32();
      const [result] = reply.array((r: Reader) => ({
        errorCode: r.int16(),
        message: r.nullableString(),
        type: r.int8(),
        name: r.string(),
      }));
      expect(reply.remaining).toBe(0);
      return result;
    }

    it('sets one config and leaves the others as they were', async () => {
      const topic = await createTopic([{ name: 'retention.ms', value: '3600000' }]);
      expect(await incremental(topic, [['retention.bytes', Op.SET, '2048']])).toEqual({
        errorCode: ErrorCode.NONE,
        message: null,
        type: TOPIC,
        name: topic,
      });
      const entries = await configsOf(topic);
      expect(entries['retention.ms'].configValue).toBe('3600000');
      expect(entries['retention.bytes'].configValue).toBe('2048');
    });

    it('deletes an override back to the default', async () => {
      const topic = await createTopic([{ name: 'retention.ms', value: '3600000' }]);
      expect((await incremental(topic, [['retention.ms', Op.DELETE, null]])).errorCode).toBe(ErrorCode.NONE);
      expect((await configsOf(topic))['retention.ms'].configSource).toBe(ConfigSource.DEFAULT_CONFIG);
    });

    it('appends to a list config, where compaction is refused by policy', async () => {
      const topic = await createTopic();
      expect(await incremental(topic, [['cleanup.policy', Op.APPEND, 'compact']])).toMatchObject({
        errorCode: ErrorCode.POLICY_VIOLATION,
      });
      expect((await incremental(topic, [['cleanup.policy', Op.SUBTRACT, 'compact']])).errorCode).toBe(
        ErrorCode.NONE,
      );
    });

    it('refuses appending to a config that is not a list, and keys given twice', async () => {
      const topic = await createTopic();
      expect(await incremental(topic, [['retention.ms', Op.APPEND, '1']])).toMatchObject({
        errorCode: ErrorCode.INVALID_CONFIG,
        message: 'Config value append is not allowed for config key: retention.ms',
      });
      expect(
        await incremental(topic, [
          ['retention.ms', Op.SET, '1'],
          ['retention.ms', Op.SET, '2'],
        ]),
      ).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
      expect((await configsOf(topic))['retention.ms'].configValue).toBe('604800000');
    });

    it('advertises the config, DeleteRecords and CreatePartitions APIs in ApiVersions', async () => {
      const body = await client.request(ApiKey.API_VERSIONS, 2, new Writer());
      expect(body.int16()).toBe(ErrorCode.NONE);
      const apis = body.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
      expect(apis).toEqual(
        expect.arrayContaining([
          { key: 32, min: 0, max: 2 },
          { key: 33, min: 0, max: 1 },
          { key: ApiKey.INCREMENTAL_ALTER_CONFIGS, min: 0, max: 1 },
          { key: 21, min: 0, max: 1 },
          { key: 37, min: 0, max: 1 },
        ]),
      );
    });
  });
});
