import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigResourceTypes } from 'kafkajs';
import { startDevBroker } from '../src';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';

const TOPIC = ConfigResourceTypes.TOPIC;

describe('topic configs with a data dir', () => {
  it('survive a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-broker-'));
    const topic = uniqueName('kept');
    try {
      const first = await startDevBroker({ dataDir, ...quiet });
      const admin = kafkaFor(first).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic }] });
      await admin.alterConfigs({
        resources: [
          { type: TOPIC, name: topic, configEntries: [{ name: 'retention.bytes', value: '4096' }] },
        ],
        validateOnly: false,
      });
      await admin.disconnect();
      await first.stop();

      const second = await startDevBroker({ dataDir, ...quiet });
      const again = kafkaFor(second).admin();
      await again.connect();
      const described = await again.describeConfigs({
        resources: [{ type: TOPIC, name: topic, configNames: ['retention.bytes'] }],
        includeSynonyms: false,
      });
      await again.disconnect();
      await second.stop();
      expect(described.resources[0].configEntries[0].configValue).toBe('4096');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('max.message.bytes', () => {
  it('refuses a batch larger than the topic allows with MESSAGE_TOO_LARGE', async () => {
    const broker = await startDevBroker(quiet);
    const kafka = kafkaFor(broker);
    const admin = kafka.admin();
    const producer = kafka.producer();
    try {
      await admin.connect();
      await producer.connect();
      const topic = uniqueName('small');
      await admin.createTopics({
        topics: [{ topic, configEntries: [{ name: 'max.message.bytes', value: '1024' }] }],
      });
      await producer.send({ topic, messages: [{ value: 'fits' }] });
      await expect(producer.send({ topic, messages: [{ value: 'x'.repeat(2048) }] })).rejects.toMatchObject({
        type: 'MESSAGE_TOO_LARGE',
      });
      expect((await admin.fetchTopicOffsets(topic))[0].high).toBe('1');
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await broker.stop();
    }
  });
});
