import { ErrorCode } from '../protocol/error-codes';
import type { CommittedOffset, Group } from './group';
import { newGroup } from './group';
import type { GroupMembership } from './group-membership';
import type { JournalOffset, OffsetJournal, OffsetKey } from './offset-journal';
import { isFencedInstance } from './static-members';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-subscription';

export interface OffsetCommitRequest {
  readonly groupId: string;
  /** -1 with an empty member id: a commit from outside group management (admin, standalone consumer). */
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId?: string | null;
  readonly topics: readonly {
    readonly topic: string;
    readonly partitions: readonly {
      readonly partition: number;
      readonly offset: bigint;
      readonly leaderEpoch?: number;
      readonly metadata: string | null;
    }[];
  }[];
}

export interface PartitionResult {
  readonly partition: number;
  readonly errorCode: ErrorCode;
}

export interface FetchedOffset {
  readonly partition: number;
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly errorCode: ErrorCode;
}

export type TopicPartitions = readonly { readonly topic: string; readonly partitions: readonly number[] }[];

export interface OffsetDeletion {
  /** When set, nothing was deleted and the partitions are not answered. */
  readonly errorCode: ErrorCode;
  readonly topics: readonly { readonly topic: string; readonly partitions: readonly PartitionResult[] }[];
}

/** Committed offsets; a member may only commit for the generation it belongs to, so zombies cannot rewind. */
export class GroupOffsets {
  constructor(
    private readonly groups: Map<string, Group>,
    private readonly membership: GroupMembership,
    private readonly journal: OffsetJournal,
    private readonly partitionCount: (topic: string) => number | undefined,
  ) {}

  restore(offsets: readonly JournalOffset[]): void {
    for (const entry of offsets) {
      const group = this.groups.get(entry.groupId) ?? newGroup(entry.groupId);
      group.protocolType = entry.protocolType;
      this.groups.set(entry.groupId, group);
      const { offset, metadata, leaderEpoch } = entry;
      this.store(group, entry.topic, entry.partition, { offset, metadata, leaderEpoch });
    }
  }

  commit(request: OffsetCommitRequest): { topic: string; partitions: PartitionResult[] }[] {
    const groupError = this.authorize(request);
    const group = this.groups.get(request.groupId);
    const written: JournalOffset[] = [];
    const results = request.topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map(({ partition, offset, metadata, leaderEpoch }): PartitionResult => {
        const count = this.partitionCount(topic);
        if (count === undefined || partition < 0 || partition >= count) {
          return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        if (groupError !== ErrorCode.NONE || !group) return { partition, errorCode: groupError };
        const committed = { offset, metadata: metadata ?? '', leaderEpoch: leaderEpoch ?? -1 };
        this.store(group, topic, partition, committed);
        written.push({
          groupId: group.groupId,
          protocolType: group.protocolType,
          topic,
          partition,
          ...committed,
        });
        return { partition, errorCode: ErrorCode.NONE };
      }),
    }));
    this.journal.committed(written, () => this.live());
    return results;
  }

  /** `topics` null asks for every offset the group committed (OffsetFetch v2+). */
  fetch(groupId: string, topics: TopicPartitions | null): { topic: string; partitions: FetchedOffset[] }[] {
    const offsets = this.groups.get(groupId)?.offsets ?? new Map<string, Map<number, CommittedOffset>>();
    const wanted =
      topics ?? [...offsets].map(([topic, partitions]) => ({ topic, partitions: [...partitions.keys()] }));
    return wanted.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((partition) => {
        const committed = offsets.get(topic)?.get(partition);
        return {
          partition,
          offset: committed?.offset ?? -1n,
          leaderEpoch: committed?.leaderEpoch ?? -1,
          metadata: committed?.metadata ?? '',
          errorCode: ErrorCode.NONE,
        };
      }),
    }));
  }

  /**
   * OffsetDelete (KIP-496): an empty group loses the offsets asked for; a consumer group with members
   * keeps those of topics it subscribes to (GROUP_SUBSCRIBED_TO_TOPIC); any other group with members is
   * refused whole. A group left empty without offsets is gone, as Kafka's cleanup removes it.
   */
  deleteOffsets(groupId: string, topics: TopicPartitions): OffsetDeletion {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] };
    const group = this.groups.get(groupId);
    if (!group || group.state === 'Dead') return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
    if (group.state !== 'Empty' && group.protocolType !== CONSUMER_PROTOCOL_TYPE)
      return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
    const subscribed = group.state === 'Empty' ? new Set<string>() : subscribedTopics(group);
    const deleted: OffsetKey[] = [];
    let eligible = 0;
    const results = topics.map(({ topic, partitions }) => ({
      topic,
      partitions: partitions.map((partition): PartitionResult => {
        const count = this.partitionCount(topic);
        if (count === undefined || partition < 0 || partition >= count)
          return { partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        if (subscribed === undefined || subscribed.has(topic))
          return { partition, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC };
        eligible++;
        const committed = group.offsets.get(topic);
        if (committed?.delete(partition)) deleted.push({ topic, partition });
        if (committed?.size === 0) group.offsets.delete(topic);
        return { partition, errorCode: ErrorCode.NONE };
      }),
    }));
    this.journal.offsetsDeleted(groupId, deleted);
    if (eligible > 0 && group.state === 'Empty' && group.offsets.size === 0) {
      group.state = 'Dead';
      this.groups.delete(groupId);
    }
    return { errorCode: ErrorCode.NONE, topics: results };
  }

  /** Every committed offset, for compacting the journal. */
  live(): JournalOffset[] {
    return [...this.groups.values()].flatMap((group) =>
      [...group.offsets].flatMap(([topic, partitions]) =>
        [...partitions].map(([partition, committed]) => ({
          groupId: group.groupId,
          protocolType: group.protocolType,
          topic,
          partition,
          ...committed,
        })),
      ),
    );
  }

  private authorize(request: OffsetCommitRequest): ErrorCode {
    const group = this.groups.get(request.groupId);
    if (!group) {
      if (request.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      this.groups.set(request.groupId, newGroup(request.groupId));
      return ErrorCode.NONE;
    }
    if (request.generationId < 0 && group.state === 'Empty') return ErrorCode.NONE;
    if (isFencedInstance(group, request.memberId, request.groupInstanceId))
      return ErrorCode.FENCED_INSTANCE_ID;
    if (group.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    const member = group.members.get(request.memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.membership.touch(group, member);
    return ErrorCode.NONE;
  }

  private store(group: Group, topic: string, partition: number, committed: CommittedOffset): void {
    let partitions = group.offsets.get(topic);
    if (!partitions) group.offsets.set(topic, (partitions = new Map()));
    partitions.set(partition, committed);
  }
}
