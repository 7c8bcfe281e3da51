import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { buildBatch, produceRequest } from './support/batch-builder';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

interface SessionFetch {
  readonly sessionId: number;
  readonly epoch: number;
  readonly partitions: readonly { partition: number; offset: number }[];
  readonly forgotten?: readonly number[];
}

/** kafkajs and librdkafka fetch without sessions, so KIP-227 sessions (Fetch v7+) are driven by a raw client. */
describe('incremental fetch sessions over the wire', () => {
  let broker: DevBrokerHandle;
  let client: RawClient;
  const topic = uniqueName('sessions');

  beforeAll(async () => {
    broker = await startDevBroker(quiet);
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();
    client = await RawClient.connect(broker.ports[0]);
  });

  afterAll(async () => {
    client.close();
    await broker.stop();
  });

  function fetch({ sessionId, epoch, partitions, forgotten = [] }: SessionFetch) {
    const body = new Writer()
      .int32(-1)
      .int32(0)
      .int32(0)
      .int32(1024 * 1024)
      .int8(0)
      .int32(sessionId)
      .int32(epoch)
      .array(partitions.length > 0 ? [topic] : [], (w, name) =>
        w
          .string(name)
          .array(partitions, (pw, p) =>
            pw.int32(p.partition).int32(0).int64(p.offset).int64(-1).int32(65536),
          ),
      )
      .array(forgotten.length > 0 ? [topic] : [], (w, name) =>
        w.string(name).array(forgotten, (fw, p) => fw.int32(p)),
      )
      .string('');
    return client.request(ApiKey.FETCH, 11, body).then(readFetch);
  }

  const produce = (partition: number, value: string) =>
    client.request(ApiKey.PRODUCE, 8, produceRequest(topic, partition, buildBatch({ values: [value] })));

  it('answers only partitions with news once a session is open, and drops forgotten ones', async () => {
    await produce(0, 'first');
    const full = await fetch({
      sessionId: 0,
      epoch: 0,
      partitions: [0, 1].map((partition) => ({ partition, offset: 0 })),
    });
    expect(full.errorCode).toBe(ErrorCode.NONE);
    expect(full.sessionId).toBeGreaterThan(0);
    expect(full.partitions).toEqual([
      { partition: 0, errorCode: 0, highWatermark: 1, preferredReadReplica: -1, hasRecords: true },
      { partition: 1, errorCode: 0, highWatermark: 0, preferredReadReplica: -1, hasRecords: false },
    ]);

    const unchanged = await fetch({
      sessionId: full.sessionId,
      epoch: 1,
      partitions: [{ partition: 0, offset: 1 }],
    });
    expect(unchanged).toEqual({ errorCode: ErrorCode.NONE, sessionId: full.sessionId, partitions: [] });

    await produce(1, 'second');
    const news = await fetch({ sessionId: full.sessionId, epoch: 2, partitions: [] });
    expect(news.partitions.map((p) => [p.partition, p.hasRecords])).toEqual([[1, true]]);

    await fetch({
      sessionId: full.sessionId,
      epoch: 3,
      partitions: [{ partition: 1, offset: 1 }],
      forgotten: [0],
    });
    await produce(0, 'unheard');
    const afterForgetting = await fetch({ sessionId: full.sessionId, epoch: 4, partitions: [] });
    expect(afterForgetting.partitions).toEqual([]);
  });

  it('refuses an unknown session and an epoch out of step with Kafka error codes', async () => {
    const full = await fetch({ sessionId: 0, epoch: 0, partitions: [{ partition: 0, offset: 0 }] });

    const skipped = await fetch({ sessionId: full.sessionId, epoch: 5, partitions: [] });
    const unknown = await fetch({ sessionId: 0x7ffffff0, epoch: 1, partitions: [] });

    expect(skipped).toEqual({
      errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH,
      sessionId: 0,
      partitions: [],
    });
    expect(unknown).toEqual({
      errorCode: ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
      sessionId: 0,
      partitions: [],
    });
  });

  it('serves a fetch without a session (epoch -1) with session id 0, as kafkajs and librdkafka send it', async () => {
    const answer = await fetch({ sessionId: 0, epoch: -1, partitions: [{ partition: 0, offset: 0 }] });
    expect(answer.sessionId).toBe(0);
    expect(answer.partitions[0]).toMatchObject({ partition: 0, errorCode: 0, hasRecords: true });
  });
});

function readFetch(body: Reader) {
  expect(body.int32()).toBe(0);
  const errorCode = body.int16();
  const sessionId = body.int32();
  const partitions = body
    .array((t) => {
      t.string();
      return t.array((p) => {
        const partition = p.int32();
        const partitionError = p.int16();
        const highWatermark = p.int64n();
        p.int64();
        p.int64();
        p.nullableArray((a) => [a.int64(), a.int64()]);
        const preferredReadReplica = p.int32();
        const hasRecords = p.bytes().length > 0;
        return { partition, errorCode: partitionError, highWatermark, preferredReadReplica, hasRecords };
      });
    })
    .flat();
  return { errorCode, sessionId, partitions };
}
