import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DevBrokerHandle, startDevBroker } from '../src';
import type { BrokerLogger } from '../src/logger';
import { buildBatch, produceRequest, readProduceAnswer } from './support/batch-builder';
import { kafkaFor, offsets, produce, quiet, uniqueName } from './support/kafka-fixture';
import { RawClient } from './support/raw-client';

const FIRST_SEGMENT = '00000000000000000000.log';

describe('a broker with a data dir', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-broker-'));
  });

  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  function capturingLogger(): BrokerLogger & { readonly warnings: string[] } {
    const warnings: string[] = [];
    return { ...quiet.logger, warn: (message) => warnings.push(message), warnings };
  }

  it('keeps acknowledged messages and topics across a restart', async () => {
    const topic = uniqueName('durable');
    let broker: DevBrokerHandle = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['one', 'two', 'three']);
    await broker.stop();

    broker = await startDevBroker({ dataDir, ...quiet });
    try {
      const kafka = kafkaFor(broker);
      expect(await offsets(kafka, topic)).toEqual({ low: '0', high: '3' });
      await produce(kafka, topic, ['four']);
      expect(await offsets(kafka, topic)).toEqual({ low: '0', high: '4' });
    } finally {
      await broker.stop();
    }
  });

  it('forgets a deleted topic for good', async () => {
    const topic = uniqueName('gone');
    let broker = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['x']);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
    await broker.stop();

    broker = await startDevBroker({ dataDir, autoCreateTopics: false, ...quiet });
    const restarted = kafkaFor(broker).admin();
    await restarted.connect();
    const topics = await restarted.listTopics();
    await restarted.disconnect();
    await broker.stop();
    expect(topics).not.toContain(topic);
  });

  it('truncates a torn tail on recovery with a warning and appends after the last whole batch', async () => {
    const topic = uniqueName('torn');
    let broker = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['a', 'b']);
    await produce(kafkaFor(broker), topic, ['c']);
    await broker.stop();

    const logFile = path.join(dataDir, 'topics', topic, '0', FIRST_SEGMENT);
    const intact = fs.readFileSync(logFile);
    fs.appendFileSync(logFile, intact.subarray(0, intact.length / 3));

    const logger = capturingLogger();
    broker = await startDevBroker({ dataDir, logger });
    try {
      expect(logger.warnings.join('\n')).toMatch(/0{20}\.log: truncated at byte \d+, truncating \d+ bytes/);
      expect(fs.statSync(logFile).size).toBe(intact.length);
      const kafka = kafkaFor(broker);
      expect(await offsets(kafka, topic)).toEqual({ low: '0', high: '3' });
      await produce(kafka, topic, ['d']);
      expect(await offsets(kafka, topic)).toEqual({ low: '0', high: '4' });
    } finally {
      await broker.stop();
    }
  });

  it('drops a last batch whose CRC no longer matches', async () => {
    const topic = uniqueName('flipped');
    let broker = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['a']);
    await produce(kafkaFor(broker), topic, ['b']);
    await broker.stop();

    const logFile = path.join(dataDir, 'topics', topic, '0', FIRST_SEGMENT);
    const bytes = fs.readFileSync(logFile);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(logFile, bytes);

    const logger = capturingLogger();
    broker = await startDevBroker({ dataDir, logger });
    try {
      expect(logger.warnings.join('\n')).toMatch(/bad-crc/);
      expect(await offsets(kafkaFor(broker), topic)).toEqual({ low: '0', high: '1' });
    } finally {
      await broker.stop();
    }
  });

  it('still recognises a batch resent after a restart', async () => {
    const topic = uniqueName('resent');
    const batch = buildBatch({ values: ['once'], producerId: 4242, producerEpoch: 0, baseSequence: 0 });
    const produceOnce = async (port: number) => {
      const client = await RawClient.connect(port);
      const answer = readProduceAnswer(
        await client.request(0, 3, produceRequest(topic, 0, Buffer.from(batch))),
      );
      client.close();
      return answer;
    };
    let broker = await startDevBroker({ dataDir, ...quiet });
    await produce(kafkaFor(broker), topic, ['before']);
    expect(await produceOnce(broker.ports[0])).toEqual({ errorCode: 0, baseOffset: 1 });
    await broker.stop();

    broker = await startDevBroker({ dataDir, ...quiet });
    try {
      expect(await produceOnce(broker.ports[0])).toEqual({ errorCode: 0, baseOffset: 1 });
      expect(await offsets(kafkaFor(broker), topic)).toEqual({ low: '0', high: '2' });
    } finally {
      await broker.stop();
    }
  });
});
