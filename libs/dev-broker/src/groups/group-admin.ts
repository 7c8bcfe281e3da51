import { ErrorCode } from '../protocol/error-codes';
import type { Group, GroupState } from './group';
import { metadataFor } from './group';
import type { OffsetJournal } from './offset-journal';

export interface GroupDescription {
  readonly errorCode: ErrorCode;
  readonly groupId: string;
  readonly state: GroupState;
  readonly protocolType: string;
  readonly protocol: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly groupInstanceId: string | null;
    readonly clientId: string;
    readonly clientHost: string;
    readonly metadata: Buffer;
    readonly assignment: Buffer;
  }[];
}

const EMPTY = Buffer.alloc(0);

/** DescribeGroups, ListGroups and DeleteGroups; a group may only be deleted once nobody is in it. */
export class GroupAdmin {
  constructor(
    private readonly groups: Map<string, Group>,
    private readonly journal: OffsetJournal,
  ) {}

  /** Like Kafka, metadata and assignments are shown only for a Stable group, where they are settled. */
  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        state: 'Dead',
        protocolType: '',
        protocol: '',
        members: [],
      };
    }
    const stable = group.state === 'Stable';
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: group.state,
      protocolType: group.protocolType,
      protocol: stable ? group.protocol : '',
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: stable ? metadataFor(member, group.protocol) : EMPTY,
        assignment: stable ? member.assignment : EMPTY,
      })),
    };
  }

  list(): { groupId: string; protocolType: string }[] {
    return [...this.groups.values()].map((group) => ({
      groupId: group.groupId,
      protocolType: group.protocolType,
    }));
  }

  delete(groupId: string): ErrorCode {
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const group = this.groups.get(groupId);
    if (!group) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group.state !== 'Empty' || group.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    group.state = 'Dead';
    this.groups.delete(groupId);
    this.journal.groupDeleted(groupId);
    return ErrorCode.NONE;
  }
}
