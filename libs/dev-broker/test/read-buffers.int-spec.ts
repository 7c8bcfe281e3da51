import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type DevBrokerHandle, startDevBroker } from '../src';
import { Writer } from '../src/protocol/writer';
import { readBatch, recordsOf } from '../src/storage/record-batch';
import { buildBatch, produceRequest, readFetchAnswer, readProduceAnswer } from './support/batch-builder';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

const BATCHES = 30;
const RECORDS_PER_BATCH = 100;
const VALUE_BYTES = 1000;
const FETCH_BYTES = 8 * 1024 * 1024;

/** A Fetch v4 from `offset` of one partition, up to `FETCH_BYTES`, answered at once. */
function bigFetch(topic: string, partition: number): Writer {
  return new Writer()
    .int32(-1)
    .int32(0)
    .int32(1)
    .int32(FETCH_BYTES)
    .int8(0)
    .array([topic], (w, name) =>
      w.string(name).array([partition], (pw, p) => pw.int32(p).int64(0).int32(FETCH_BYTES)),
    );
}

/** Every batch whole (CRC-32C), in offset order from 0, and made only of `fill` records. */
function checkRecordSet(records: Buffer, fill: string, foreign: string): number {
  let position = 0;
  let nextOffset = 0;
  while (position < records.length) {
    const read = readBatch(records, position);
    if (!read.ok) throw new Error(`batch at byte ${position}: ${read.problem}`);
    expect(read.header.baseOffset).toBe(nextOffset);
    const body = recordsOf(read.bytes);
    expect(body.includes(foreign.repeat(16))).toBe(false);
    expect(body.includes(fill.repeat(VALUE_BYTES))).toBe(true);
    nextOffset += read.header.recordCount;
    position += read.bytes.length;
  }
  return nextOffset;
}

/**
 * Segment reads go to pooled buffers that a fetch answer carries to the socket by reference, so a
 * buffer must not be read into again before the write that carries it has completed.
 */
describe('pooled segment read buffers under concurrent fetches', () => {
  let dataDir: string;
  let broker: DevBrokerHandle;
  const topic = uniqueName('read-buffers');

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-broker-read-buffers-'));
    broker = await startDevBroker({ dataDir, ...quiet });
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    const producer = await RawClient.connect(broker.ports[0]);
    for (const [partition, fill] of [
      [0, 'a'],
      [1, 'b'],
    ] as const) {
      for (let i = 0; i < BATCHES; i++) {
        const values = Array.from({ length: RECORDS_PER_BATCH }, () => fill.repeat(VALUE_BYTES));
        const body = await producer.request(
          ApiKey.PRODUCE,
          3,
          produceRequest(topic, partition, buildBatch({ values })),
        );
        expect(readProduceAnswer(body).errorCode).toBe(0);
      }
    }
    producer.close();
  });

  afterAll(async () => {
    await broker.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers fetch answers intact to a slow reader while other fetches read the segments', async () => {
    const slow = await RawClient.connect(broker.ports[0]);
    const fast = await RawClient.connect(broker.ports[0]);
    try {
      slow.pause();
      // More than the kernel's socket buffers take, so most of it waits in the broker's writes.
      const slowAnswers = Array.from({ length: 4 }, () => slow.request(ApiKey.FETCH, 4, bigFetch(topic, 0)));
      await new Promise((resolve) => setTimeout(resolve, 200));

      for (let i = 0; i < 5; i++) {
        const answer = readFetchAnswer(await fast.request(ApiKey.FETCH, 4, bigFetch(topic, 1)));
        expect(checkRecordSet(answer.records, 'b', 'a')).toBe(BATCHES * RECORDS_PER_BATCH);
      }
      slow.resume();

      for (const body of await Promise.all(slowAnswers)) {
        const answer = readFetchAnswer(body);
        expect(answer.errorCode).toBe(0);
        expect(checkRecordSet(answer.records, 'a', 'b')).toBe(BATCHES * RECORDS_PER_BATCH);
      }
    } finally {
      slow.close();
      fast.close();
    }
  });

  it('serves many consumers fetching both partitions at once with every batch intact', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => RawClient.connect(broker.ports[0])));
    try {
      const answers = await Promise.all(
        clients.flatMap((client, index) =>
          Array.from({ length: 3 }, async () => {
            const partition = index % 2;
            const body = await client.request(ApiKey.FETCH, 4, bigFetch(topic, partition));
            return { partition, answer: readFetchAnswer(body) };
          }),
        ),
      );

      for (const { partition, answer } of answers) {
        const [fill, foreign] = partition === 0 ? ['a', 'b'] : ['b', 'a'];
        expect(checkRecordSet(answer.records, fill, foreign)).toBe(BATCHES * RECORDS_PER_BATCH);
      }
    } finally {
      for (const client of clients) client.close();
    }
  });
});
