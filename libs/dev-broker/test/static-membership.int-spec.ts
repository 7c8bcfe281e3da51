import { type DevBrokerHandle, startDevBroker } from '../src';
import { ErrorCode } from '../src/protocol/error-codes';
import type { Reader } from '../src/protocol/reader';
import { Writer } from '../src/protocol/writer';
import { consume, kafkaFor, quiet, uniqueName } from './support/kafka-fixture';
import { ApiKey, RawClient } from './support/raw-client';

interface Joined {
  readonly errorCode: number;
  readonly generationId: number;
  readonly leaderId: string;
  readonly memberId: string;
  readonly members: readonly { memberId: string; groupInstanceId: string | null }[];
}

/** kafkajs has no group.instance.id, so static members (JoinGroup v5, KIP-345) are driven by a raw client. */
describe('static group membership over the wire', () => {
  let broker: DevBrokerHandle;

  beforeAll(async () => {
    broker = await startDevBroker(quiet);
  });

  afterAll(() => broker.stop());

  async function join(
    client: RawClient,
    groupId: string,
    memberId: string,
    instanceId: string | null,
  ): Promise<Joined> {
    const body = await client.request(
      ApiKey.JOIN_GROUP,
      5,
      new Writer()
        .string(groupId)
        .int32(10_000)
        .int32(10_000)
        .string(memberId)
        .nullableString(instanceId)
        .string('consumer')
        .array(['range'], (w, name) => w.string(name).bytes(Buffer.from('subscription'))),
    );
    expect(body.int32()).toBe(0);
    return {
      errorCode: body.int16(),
      generationId: body.int32(),
      ...{ protocol: body.string() },
      leaderId: body.string(),
      memberId: body.string(),
      members: body.array((m) => {
        const member = { memberId: m.string(), groupInstanceId: m.nullableString() };
        m.bytes();
        return member;
      }),
    };
  }

  async function sync(
    client: RawClient,
    groupId: string,
    joined: Joined,
    instanceId: string,
    assignment?: string,
  ) {
    const body = await client.request(
      ApiKey.SYNC_GROUP,
      3,
      new Writer()
        .string(groupId)
        .int32(joined.generationId)
        .string(joined.memberId)
        .nullableString(instanceId)
        .array(assignment ? [joined.memberId] : [], (w, id) =>
          w.string(id).bytes(Buffer.from(assignment ?? '')),
        ),
    );
    expect(body.int32()).toBe(0);
    return { errorCode: body.int16(), assignment: body.bytes().toString() };
  }

  it('gives a restarted static member its assignment back without a rebalance, and fences the old process', async () => {
    const groupId = uniqueName('static');
    const before = await RawClient.connect(broker.ports[0]);
    const first = await join(before, groupId, '', 'instance-1');
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leaderId: first.memberId });
    expect(first.members).toEqual([{ memberId: first.memberId, groupInstanceId: 'instance-1' }]);
    expect(await sync(before, groupId, first, 'instance-1', 'partitions 0-2')).toEqual({
      errorCode: ErrorCode.NONE,
      assignment: 'partitions 0-2',
    });

    const after = await RawClient.connect(broker.ports[0]);
    const restarted = await join(after, groupId, '', 'instance-1');
    const resynced = await sync(after, groupId, restarted, 'instance-1');
    const oldHeartbeat = await before.request(
      ApiKey.HEARTBEAT,
      3,
      new Writer().string(groupId).int32(1).string(first.memberId).nullableString('instance-1'),
    );
    const described = await after.request(
      ApiKey.DESCRIBE_GROUPS,
      4,
      new Writer().array([groupId], (w, g) => w.string(g)).boolean(false),
    );
    before.close();
    after.close();

    expect(restarted).toMatchObject({
      errorCode: ErrorCode.NONE,
      generationId: 1,
      leaderId: first.memberId,
      members: [],
    });
    expect(restarted.memberId).not.toBe(first.memberId);
    expect(resynced).toEqual({ errorCode: ErrorCode.NONE, assignment: 'partitions 0-2' });
    expect(oldHeartbeat.int32()).toBe(0);
    expect(oldHeartbeat.int16()).toBe(ErrorCode.FENCED_INSTANCE_ID);
    expect(readDescription(described)).toEqual({
      state: 'Stable',
      members: [{ memberId: restarted.memberId, groupInstanceId: 'instance-1' }],
    });
  });

  it('tells a new dynamic member its id with MEMBER_ID_REQUIRED first (JoinGroup v4+)', async () => {
    const client = await RawClient.connect(broker.ports[0]);
    const answer = await join(client, uniqueName('dynamic'), '', null);
    client.close();
    expect(answer.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(answer.memberId).toMatch(/^raw-client-/);
  });

  it('still serves a kafkajs consumer group, which joins through MEMBER_ID_REQUIRED', async () => {
    const kafka = kafkaFor(broker);
    const topic = uniqueName('joined');
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();

    const received = await consume(kafka, topic, 2);

    expect(received.map((r) => r.message.value?.toString())).toEqual(['one', 'two']);
  });
});

function readDescription(body: Reader) {
  expect(body.int32()).toBe(0);
  const [group] = body.array((g) => {
    g.int16();
    g.string();
    const state = g.string();
    g.string();
    g.string();
    const members = g.array((m) => {
      const member = { memberId: m.string(), groupInstanceId: m.nullableString() };
      m.string();
      m.string();
      m.bytes();
      m.bytes();
      return member;
    });
    g.int32();
    return { state, members };
  });
  return group;
}
