import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DevBrokerHandle, type DevBrokerOptions, startDevBroker } from '../src';
import type { BrokerLogger } from '../src/logger';
import { buildBatch, produceRequest, readProduceAnswer } from './support/batch-builder';
import { kafkaFor, offsets, produce, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

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

  /** Runs a broker on the data dir for `use`, then stops it whatever happened. */
  async function onDataDir(
    use: (broker: DevBrokerHandle) => Promise<unknown>,
    options: DevBrokerOptions = quiet,
  ): Promise<void> {
    const broker = await startDevBroker({ dataDir, ...options });
    try {
      await use(broker);
    } finally {
      await broker.stop();
    }
  }

  /** The topic's log holds `count` records from offset 0 and takes one more after them. */
  async function expectWholeAndAppendable(broker: DevBrokerHandle, topic: string, count: number) {
    const kafka = kafkaFor(broker);
    expect(await offsets(kafka, topic)).toEqual({ low: '0', high: String(count) });
    await produce(kafka, topic, ['next']);
    expect(await offsets(kafka, topic)).toEqual({ low: '0', high: String(count + 1) });
  }

  it('keeps acknowledged messages and topics across a restart', async () => {
    const topic = uniqueName('durable');
    await onDataDir((broker) => produce(kafkaFor(broker), topic, ['one', 'two', 'three']));

    await onDataDir((broker) => expectWholeAndAppendable(broker, topic, 3));
  });

  it('forgets a deleted topic for good', async () => {
    const topic = uniqueName('gone');
    await onDataDir(async (broker) => {
      await produce(kafkaFor(broker), topic, ['x']);
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] });
      await admin.disconnect();
    });

    await onDataDir(
      async (broker) => {
        const restarted = kafkaFor(broker).admin();
        await restarted.connect();
        const topics = await restarted.listTopics();
        await restarted.disconnect();
        expect(topics).not.toContain(topic);
      },
      { autoCreateTopics: false, ...quiet },
    );
  });

  it('truncates a torn tail on recovery with a warning and appends after the last whole batch', async () => {
    const topic = uniqueName('torn');
    await onDataDir(async (broker) => {
      await produce(kafkaFor(broker), topic, ['a', 'b']);
      await produce(kafkaFor(broker), topic, ['c']);
    });

    const logFile = path.join(dataDir, 'topics', topic, '0', FIRST_SEGMENT);
    const intact = fs.readFileSync(logFile);
    fs.appendFileSync(logFile, intact.subarray(0, intact.length / 3));

    const logger = capturingLogger();
    await onDataDir(
      async (broker) => {
        expect(logger.warnings.join('\n')).toMatch(/0{20}\.log: truncated at byte \d+, truncating \d+ bytes/);
        expect(fs.statSync(logFile).size).toBe(intact.length);
        await expectWholeAndAppendable(broker, topic, 3);
      },
      { logger },
    );
  });

  it('drops a last batch whose CRC no longer matches', async () => {
    const topic = uniqueName('flipped');
    await onDataDir(async (broker) => {
      await produce(kafkaFor(broker), topic, ['a']);
      await produce(kafkaFor(broker), topic, ['b']);
    });

    const logFile = path.join(dataDir, 'topics', topic, '0', FIRST_SEGMENT);
    const bytes = fs.readFileSync(logFile);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(logFile, bytes);

    const logger = capturingLogger();
    await onDataDir(
      async (broker) => {
        expect(logger.warnings.join('\n')).toMatch(/bad-crc/);
        expect(await offsets(kafkaFor(broker), topic)).toEqual({ low: '0', high: '1' });
      },
      { logger },
    );
  });

  it('still recognises a batch resent after a restart', async () => {
    const topic = uniqueName('resent');
    const batch = buildBatch({ values: ['once'], producerId: 4242, producerEpoch: 0, baseSequence: 0 });
    const produceOnce = async (port: number) => {
      const client = await RawClient.connect(port);
      const answer = readProduceAnswer(
        await client.request(ApiKey.PRODUCE, 3, produceRequest(topic, 0, Buffer.from(batch))),
      );
      client.close();
      return answer;
    };
    await onDataDir(async (broker) => {
      await produce(kafkaFor(broker), topic, ['before']);
      expect(await produceOnce(broker.ports[0])).toEqual({ errorCode: 0, baseOffset: 1 });
    });

    await onDataDir(async (broker) => {
      expect(await produceOnce(broker.ports[0])).toEqual({ errorCode: 0, baseOffset: 1 });
      expect(await offsets(kafkaFor(broker), topic)).toEqual({ low: '0', high: '2' });
    });
  });
});
