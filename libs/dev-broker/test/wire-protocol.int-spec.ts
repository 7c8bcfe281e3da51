import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import {
  buildBatch,
  fetchRequest,
  produceRequest,
  readFetchAnswer,
  readProduceAnswer,
} from './support/batch-builder';
import { kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

describe('the Kafka wire protocol, spoken by a raw client', () => {
  let broker: DevBrokerHandle;
  let client: RawClient;
  const topic = uniqueName('wire');

  beforeAll(async () => {
    broker = await startDevBroker({ nodes: 3, ...quiet });
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
  });

  beforeEach(async () => {
    client = await RawClient.connect(broker.ports[0]);
  });

  afterEach(() => client.close());
  afterAll(() => broker.stop());

  async function leaderOf(partition: number): Promise<number> {
    const body = await client.request(
      ApiKey.METADATA,
      1,
      new Writer().array([topic], (w, t) => w.string(t)),
    );
    body.array((r) => [r.int32(), r.string(), r.int32(), r.nullableString()]);
    body.int32();
    const partitions = body.array((t) => {
      t.int16();
      t.string();
      t.boolean();
      return t.array((p) => {
        p.int16();
        const id = p.int32();
        const leader = p.int32();
        p.array((r) => r.int32());
        p.array((r) => r.int32());
        return { id, leader };
      });
    })[0];
    return partitions.find((p) => p.id === partition)!.leader;
  }

  it('answers an ApiVersions version it does not know with UNSUPPORTED_VERSION in the v0 layout', async () => {
    const body = await client.request(ApiKey.API_VERSIONS, 9, new Writer());
    expect(body.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
    const apis = body.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    expect(apis).toContainEqual({ key: ApiKey.API_VERSIONS, min: 0, max: 3 });
    expect(body.remaining).toBe(0);
  });

  it('advertises Produce from v3 and Fetch from v4', async () => {
    const body = await client.request(ApiKey.API_VERSIONS, 2, new Writer());
    expect(body.int16()).toBe(ErrorCode.NONE);
    const apis = body.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
    expect(apis.find((a) => a.key === ApiKey.PRODUCE)?.min).toBe(3);
    expect(apis.find((a) => a.key === ApiKey.FETCH)?.min).toBe(4);
  });

  it('closes the connection on an API it does not implement', async () => {
    await expect(client.request(999, 0, new Writer())).rejects.toThrow(/connection closed/);
  });

  it('sends responses in request order even when an earlier handler waits', async () => {
    const order: string[] = [];
    const end = (await client.request(ApiKey.LIST_OFFSETS, 1, listLatest(topic, 0)).then(readListOffset))
      .offset;
    const fetching = client
      .request(ApiKey.FETCH, 4, fetchRequest(topic, 0, end, 300))
      .then(() => order.push('fetch'));
    const metadata = client
      .request(
        ApiKey.METADATA,
        1,
        new Writer().array([], () => undefined),
      )
      .then(() => order.push('metadata'));
    await Promise.all([fetching, metadata]);
    expect(order).toEqual(['fetch', 'metadata']);
  });

  it('wakes a waiting fetch as soon as a record is produced', async () => {
    const partition = 0;
    const leader = broker.ports[await leaderOf(partition)];
    const consumer = await RawClient.connect(leader);
    const producer = await RawClient.connect(leader);
    const end = (
      await consumer.request(ApiKey.LIST_OFFSETS, 1, listLatest(topic, partition)).then(readListOffset)
    ).offset;
    const fetching = consumer
      .request(ApiKey.FETCH, 4, fetchRequest(topic, partition, end, 30_000))
      .then(readFetchAnswer);
    await producer.request(
      ApiKey.PRODUCE,
      3,
      produceRequest(topic, partition, buildBatch({ values: ['wake up'] })),
    );
    const answer = await fetching;
    consumer.close();
    producer.close();
    expect(answer.errorCode).toBe(ErrorCode.NONE);
    expect(answer.records.includes(Buffer.from('wake up'))).toBe(true);
  });

  it('answers NOT_LEADER_FOR_PARTITION on a node that does not lead the partition', async () => {
    const leader = await leaderOf(1);
    const other = await RawClient.connect(broker.ports[(leader + 1) % 3]);
    const answer = readProduceAnswer(
      await other.request(ApiKey.PRODUCE, 3, produceRequest(topic, 1, buildBatch({ values: ['x'] }))),
    );
    other.close();
    expect(answer.errorCode).toBe(ErrorCode.NOT_LEADER_FOR_PARTITION);
  });

  it('sends admin requests that reach a node other than the controller away with NOT_CONTROLLER', async () => {
    const other = await RawClient.connect(broker.ports[1]);
    const request = new Writer()
      .array([uniqueName('elsewhere')], (w, name) => w.string(name).int32(1).int16(1).int32(0).int32(0))
      .int32(1000)
      .boolean(false);
    const body = await other.request(ApiKey.CREATE_TOPICS, 1, request);
    other.close();
    body.int32();
    body.string();
    expect(body.int16()).toBe(ErrorCode.NOT_CONTROLLER);
  });

  it('rejects a batch whose CRC does not match', async () => {
    const batch = buildBatch({ values: ['intact'] });
    batch[batch.length - 2] ^= 0xff;
    const leader = await RawClient.connect(broker.ports[await leaderOf(0)]);
    const answer = readProduceAnswer(
      await leader.request(ApiKey.PRODUCE, 3, produceRequest(topic, 0, batch)),
    );
    leader.close();
    expect(answer.errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
  });

  it('rejects acks other than 0, 1 and -1', async () => {
    const leader = await RawClient.connect(broker.ports[await leaderOf(0)]);
    const answer = readProduceAnswer(
      await leader.request(ApiKey.PRODUCE, 3, produceRequest(topic, 0, buildBatch({ values: ['x'] }), 2)),
    );
    leader.close();
    expect(answer.errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
  });

  it('sends nothing back for acks=0 and still appends', async () => {
    const leader = await RawClient.connect(broker.ports[await leaderOf(2)]);
    const before = (await leader.request(ApiKey.LIST_OFFSETS, 1, listLatest(topic, 2)).then(readListOffset))
      .offset;
    let answered = false;
    const unanswered = leader.request(
      ApiKey.PRODUCE,
      3,
      produceRequest(topic, 2, buildBatch({ values: ['fire', 'forget'] }), 0),
    );
    unanswered.then(
      () => (answered = true),
      () => undefined,
    );
    const after = await leader.request(ApiKey.LIST_OFFSETS, 1, listLatest(topic, 2)).then(readListOffset);
    leader.close();
    expect(after.offset).toBe(before + 2);
    expect(answered).toBe(false);
  });

  it('answers OFFSET_OUT_OF_RANGE past the log end', async () => {
    const leader = await RawClient.connect(broker.ports[await leaderOf(0)]);
    const answer = readFetchAnswer(
      await leader.request(ApiKey.FETCH, 4, fetchRequest(topic, 0, 1_000_000, 0)),
    );
    leader.close();
    expect(answer.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });
});

function listLatest(topic: string, partition: number): Writer {
  return new Writer()
    .int32(-1)
    .array([topic], (w, t) => w.string(t).array([partition], (pw, p) => pw.int32(p).int64(-1)));
}

function readListOffset(body: Reader): { errorCode: number; offset: number } {
  body.int32();
  body.string();
  body.int32();
  body.int32();
  const errorCode = body.int16();
  body.int64();
  return { errorCode, offset: body.int64n() };
}
