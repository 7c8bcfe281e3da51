import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDevBroker } from '../src';
import { consume, kafkaFor, offsets, produce, quiet, uniqueName } from './support/kafka-fixture';

const SEGMENT_BYTES = 4096;
const VALUE = 'x'.repeat(1500);

/** Logs on disk as Kafka keeps them: a directory of segments per partition, read back on demand. */
describe('segmented logs under a data dir', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-broker-segments-'));
  });

  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const segmentsOf = (topic: string) =>
    fs
      .readdirSync(path.join(dataDir, 'topics', topic, '0'))
      .filter((name) => name.endsWith('.log'))
      .sort();

  it('rolls segments at segmentBytes, deletes the ones below the log start, and serves the rest after a restart', async () => {
    const topic = uniqueName('segments');
    let broker = await startDevBroker({ dataDir, segmentBytes: SEGMENT_BYTES, ...quiet });
    for (let i = 0; i < 10; i++) await produce(kafkaFor(broker), topic, [`${i}:${VALUE}`]);
    const rolled = segmentsOf(topic);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
    await admin.disconnect();
    const kept = segmentsOf(topic);
    await broker.stop();

    broker = await startDevBroker({ dataDir, segmentBytes: SEGMENT_BYTES, ...quiet });
    try {
      const kafka = kafkaFor(broker);
      const received = await consume(kafka, topic, 4);
      expect(rolled).toHaveLength(5);
      expect(rolled[1]).toBe('00000000000000000002.log');
      expect(kept).toEqual(['00000000000000000006.log', '00000000000000000008.log']);
      expect(await offsets(kafka, topic)).toEqual({ low: '6', high: '10' });
      expect(received.map((r) => r.message.value?.toString().split(':')[0])).toEqual(['6', '7', '8', '9']);
    } finally {
      await broker.stop();
    }
  });

  it('reads back from disk what no longer fits the tail cache', async () => {
    const topic = uniqueName('cold');
    const broker = await startDevBroker({ dataDir, ...quiet });
    try {
      const kafka = kafkaFor(broker);
      const values = Array.from({ length: 40 }, (_, i) => `${i}:${'y'.repeat(64 * 1024)}`);
      for (let i = 0; i < values.length; i += 10) await produce(kafka, topic, values.slice(i, i + 10));

      const received = await consume(kafka, topic, values.length);

      expect(received.map((r) => r.message.value?.toString())).toEqual(values);
    } finally {
      await broker.stop();
    }
  });

  it('adopts a partition kept as one file by earlier versions, log start included', async () => {
    const topic = uniqueName('adopted');
    let broker = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['a', 'b']);
    await produce(kafkaFor(broker), topic, ['c']);
    await broker.stop();
    const partitionDir = path.join(dataDir, 'topics', topic, '0');
    fs.renameSync(
      path.join(partitionDir, '00000000000000000000.log'),
      path.join(dataDir, 'topics', topic, '0.log'),
    );
    fs.writeFileSync(path.join(dataDir, 'topics', topic, '0.log.start-offset'), '1');
    fs.rmSync(partitionDir, { recursive: true });

    broker = await startDevBroker({ dataDir, ...quiet });
    try {
      const kafka = kafkaFor(broker);
      expect(await offsets(kafka, topic)).toEqual({ low: '1', high: '3' });
      expect(segmentsOf(topic)).toEqual(['00000000000000000000.log']);
    } finally {
      await broker.stop();
    }
  });
});
