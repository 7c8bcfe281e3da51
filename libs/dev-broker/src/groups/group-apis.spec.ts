import type { ApiHandler, RequestContext } from '../protocol/api-handler';
import { ErrorCode } from '../protocol/error-codes';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { createGroupApis } from './index';

const nodes = [
  { nodeId: 0, port: 9092 },
  { nodeId: 1, port: 9093 },
  { nodeId: 2, port: 9094 },
];

async function call(api: ApiHandler, apiVersion: number, body: Writer, nodeId = 0): Promise<Reader> {
  const flexible = api.flexibleFrom !== undefined && apiVersion >= api.flexibleFrom;
  const request = new Reader(body.toBuffer());
  request.flexible = flexible;
  const context: RequestContext = {
    apiKey: api.key,
    apiVersion,
    correlationId: 1,
    clientId: 'spec-client',
    flexible,
    body: request,
    connectionId: 1,
    nodeId,
    host: 'broker.test',
    clientAddress: '/10.0.0.9',
  };
  const response = await api.handle(context);
  if (!response) throw new Error(`${api.name} sent no response`);
  const answer = new Reader(response.toBuffer());
  answer.flexible = flexible;
  return answer;
}

describe('group APIs on the wire', () => {
  const groups = createGroupApis({ nodes, partitionCount: (topic) => (topic === 'orders' ? 3 : undefined) });
  const api = (name: string) => groups.apis.find((candidate) => candidate.name === name)!;
  afterAll(() => groups.close());

  async function coordinatorOf(groupId: string): Promise<{ nodeId: number; host: string; port: number }> {
    const answer = await call(api('FindCoordinator'), 1, new Writer().string(groupId).int8(0));
    expect(answer.int32()).toBe(0);
    expect(answer.int16()).toBe(ErrorCode.NONE);
    expect(answer.nullableString()).toBeNull();
    return { nodeId: answer.int32(), host: answer.string(), port: answer.int32() };
  }

  it('names one coordinator per group at the host the client used, and other nodes refuse the group', async () => {
    const coordinator = await coordinatorOf('payments');
    const other = nodes.find((node) => node.nodeId !== coordinator.nodeId)!;

    expect(coordinator).toEqual({ ...nodes[coordinator.nodeId], host: 'broker.test' });
    expect(await coordinatorOf('payments')).toEqual(coordinator);
    const heartbeat = new Writer().string('payments').int32(1).string('someone');
    expect((await call(api('Heartbeat'), 0, heartbeat, other.nodeId)).int16()).toBe(
      ErrorCode.NOT_COORDINATOR,
    );
  });

  it('joins, syncs and answers OffsetFetch v3 for all topics in the layouts kafkajs reads', async () => {
    const { nodeId } = await coordinatorOf('wire');
    const metadata = Buffer.from([0, 1, 2]);
    const join = new Writer()
      .string('wire')
      .int32(10_000)
      .int32(20_000)
      .string('')
      .string('consumer')
      .array(['RoundRobinAssigner'], (w, name) => w.string(name).bytes(metadata));
    const joined = await call(api('JoinGroup'), 1, join, nodeId);
    expect(joined.int16()).toBe(ErrorCode.NONE);
    expect(joined.int32()).toBe(1);
    expect(joined.string()).toBe('RoundRobinAssigner');
    const leaderId = joined.string();
    expect(joined.string()).toBe(leaderId);
    expect(leaderId).toMatch(/^spec-client-/);
    expect(joined.array((r) => ({ memberId: r.string(), metadata: r.bytes() }))).toEqual([
      { memberId: leaderId, metadata },
    ]);

    const sync = new Writer()
      .string('wire')
      .int32(1)
      .string(leaderId)
      .array([leaderId], (w, id) => w.string(id).bytes(Buffer.from('mine')));
    const synced = await call(api('SyncGroup'), 0, sync, nodeId);
    expect(synced.int16()).toBe(ErrorCode.NONE);
    expect(synced.bytes().toString()).toBe('mine');

    const commit = new Writer()
      .string('wire')
      .int32(1)
      .string(leaderId)
      .int64(-1)
      .array(['orders', 'missing'], (w, topic) =>
        w.string(topic).array([1], (p, partition) => p.int32(partition).int64(-2).nullableString(null)),
      );
    const committed = await call(api('OffsetCommit'), 2, commit, nodeId);
    expect(
      committed.array((r) => ({ topic: r.string(), errors: r.array((p) => [p.int32(), p.int16()]) })),
    ).toEqual([
      { topic: 'orders', errors: [[1, ErrorCode.NONE]] },
      { topic: 'missing', errors: [[1, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]] },
    ]);

    const fetched = await call(api('OffsetFetch'), 3, new Writer().string('wire').int32(-1), nodeId);
    expect(fetched.int32()).toBe(0);
    const topics = fetched.array((r) => ({
      topic: r.string(),
      partitions: r.array((p) => ({
        partition: p.int32(),
        offset: p.int64n(),
        metadata: p.string(),
        errorCode: p.int16(),
      })),
    }));
    expect(topics).toEqual([
      { topic: 'orders', partitions: [{ partition: 1, offset: -2, metadata: '', errorCode: 0 }] },
    ]);
    expect(fetched.int16()).toBe(ErrorCode.NONE);
    expect(fetched.remaining).toBe(0);
  });
});
