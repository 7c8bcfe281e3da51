import { ErrorCode } from '../src/protocol/error-codes';
import { ApiKey, createTopic, flexible, useFlexibleWire } from './support/flexible-wire';
import { uniqueName } from './support/kafka-fixture';
import type { RawClient } from './support/raw-client';

const {
  OFFSET_COMMIT,
  OFFSET_FETCH,
  FIND_COORDINATOR,
  JOIN_GROUP,
  HEARTBEAT,
  LEAVE_GROUP,
  SYNC_GROUP,
  DESCRIBE_GROUPS,
  LIST_GROUPS,
  DELETE_GROUPS,
} = ApiKey;

describe('the group APIs in their flexible versions (KIP-482)', () => {
  const wire = useFlexibleWire();

  it('runs a consumer group through its flexible versions, join to delete', async () => {
    const { broker, client } = wire;
    const groupId = uniqueName('flexible-group');
    const coordinator = await client.requestFlexible(
      FIND_COORDINATOR,
      3,
      flexible().string(groupId).int8(0).tags(),
    );
    coordinator.int32();
    expect(coordinator.int16()).toBe(ErrorCode.NONE);
    coordinator.nullableString();
    expect(coordinator.int32()).toBe(0);

    const first = await joinGroup(client, groupId, '');
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const joined = await joinGroup(client, groupId, first.memberId);
    expect(joined).toMatchObject({
      errorCode: ErrorCode.NONE,
      leader: first.memberId,
      members: [first.memberId],
    });

    const assignment = Buffer.from('assignment');
    const sync = await client.requestFlexible(
      SYNC_GROUP,
      4,
      flexible()
        .string(groupId)
        .int32(joined.generationId)
        .string(first.memberId)
        .nullableString(null)
        .array([first.memberId], (w, id) => w.string(id).bytes(assignment).tags())
        .tags(),
    );
    sync.int32();
    expect(sync.int16()).toBe(ErrorCode.NONE);
    expect(sync.bytes()).toEqual(assignment);

    const heartbeat = await client.requestFlexible(
      HEARTBEAT,
      4,
      flexible()
        .string(groupId)
        .int32(joined.generationId)
        .string(first.memberId)
        .nullableString(null)
        .tags(),
    );
    heartbeat.int32();
    expect(heartbeat.int16()).toBe(ErrorCode.NONE);

    const topic = uniqueName('flexible-offsets');
    await createTopic(broker, topic);
    await expectCommitAndFetch(client, {
      groupId,
      topic,
      generationId: joined.generationId,
      memberId: first.memberId,
    });

    const described = await client.requestFlexible(
      DESCRIBE_GROUPS,
      5,
      flexible()
        .array([groupId], (w, id) => w.string(id))
        .boolean(false)
        .tags(),
    );
    described.int32();
    const [group] = described.array((r) => {
      const g = {
        errorCode: r.int16(),
        groupId: r.string(),
        state: r.string(),
        type: r.string(),
        protocol: r.string(),
      };
      r.array((m) => [
        m.string(),
        m.nullableString(),
        m.string(),
        m.string(),
        m.bytes(),
        m.bytes(),
        m.tags(),
      ]);
      r.int32();
      r.tags();
      return g;
    });
    expect(group).toEqual({ errorCode: 0, groupId, state: 'Stable', type: 'consumer', protocol: 'range' });

    const listed = await client.requestFlexible(LIST_GROUPS, 3, flexible().tags());
    listed.int32();
    expect(listed.int16()).toBe(ErrorCode.NONE);
    expect(listed.array((r) => [r.string(), r.string(), r.tags()][0])).toContain(groupId);

    const left = await client.requestFlexible(
      LEAVE_GROUP,
      4,
      flexible()
        .string(groupId)
        .array([first.memberId], (w, id) => w.string(id).nullableString(null).tags())
        .tags(),
    );
    left.int32();
    expect(left.int16()).toBe(ErrorCode.NONE);
    expect(left.array((r) => [r.string(), r.nullableString(), r.int16(), r.tags()][2])).toEqual([
      ErrorCode.NONE,
    ]);
    left.tags();
    expect(left.remaining).toBe(0);

    const deleteGroup = async () => {
      const deleted = await client.requestFlexible(
        DELETE_GROUPS,
        2,
        flexible()
          .array([groupId], (w, id) => w.string(id))
          .tags(),
      );
      deleted.int32();
      const results = deleted.array((r) => [r.string(), r.int16(), r.tags()].slice(0, 2));
      deleted.tags();
      expect(deleted.remaining).toBe(0);
      return results;
    };
    expect(await deleteGroup()).toEqual([[groupId, ErrorCode.NONE]]);
    expect(await deleteGroup()).toEqual([[groupId, ErrorCode.GROUP_ID_NOT_FOUND]]);
  });
});

async function joinGroup(client: RawClient, groupId: string, memberId: string) {
  const body = await client.requestFlexible(
    JOIN_GROUP,
    6,
    flexible()
      .string(groupId)
      .int32(10_000)
      .int32(10_000)
      .string(memberId)
      .nullableString(null)
      .string('consumer')
      .array(['range'], (w, name) => w.string(name).bytes(Buffer.from('metadata')).tags())
      .tags(),
  );
  body.int32();
  const answer = {
    errorCode: body.int16(),
    generationId: body.int32(),
    protocol: body.string(),
    leader: body.string(),
    memberId: body.string(),
    members: body.array((r) => {
      const id = r.string();
      r.nullableString();
      r.bytes();
      r.tags();
      return id;
    }),
  };
  body.tags();
  expect(body.remaining).toBe(0);
  return answer;
}

interface Committer {
  readonly groupId: string;
  readonly topic: string;
  readonly generationId: number;
  readonly memberId: string;
}

async function expectCommitAndFetch(
  client: RawClient,
  { groupId, topic, generationId, memberId }: Committer,
) {
  const committed = await client.requestFlexible(
    OFFSET_COMMIT,
    8,
    flexible()
      .string(groupId)
      .int32(generationId)
      .string(memberId)
      .nullableString(null)
      .array([topic], (w, name) =>
        w
          .string(name)
          .array([0], (p, partition) => p.int32(partition).int64(42).int32(-1).nullableString('meta').tags())
          .tags(),
      )
      .tags(),
  );
  committed.int32();
  const [commitResult] = committed.array((r) => {
    const result = {
      topic: r.string(),
      partitions: r.array((p) => [p.int32(), p.int16(), p.tags()].slice(0, 2)),
    };
    r.tags();
    return result;
  });
  expect(commitResult).toEqual({ topic, partitions: [[0, ErrorCode.NONE]] });

  const fetched = await client.requestFlexible(
    OFFSET_FETCH,
    6,
    flexible()
      .string(groupId)
      .array([topic], (w, name) =>
        w
          .string(name)
          .array([0], (p, partition) => p.int32(partition))
          .tags(),
      )
      .tags(),
  );
  fetched.int32();
  const [fetchResult] = fetched.array((r) => {
    const result = {
      topic: r.string(),
      partitions: r.array((p) => {
        const row = {
          partition: p.int32(),
          offset: p.int64n(),
          epoch: p.int32(),
          metadata: p.string(),
          errorCode: p.int16(),
        };
        p.tags();
        return row;
      }),
    };
    r.tags();
    return result;
  });
  expect(fetchResult.partitions).toEqual([
    { partition: 0, offset: 42, epoch: -1, metadata: 'meta', errorCode: 0 },
  ]);
  expect(fetched.int16()).toBe(ErrorCode.NONE);
  fetched.tags();
  expect(fetched.remaining).toBe(0);
}
