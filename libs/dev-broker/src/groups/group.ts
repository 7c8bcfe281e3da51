import type { ErrorCode } from '../protocol/error-codes';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface GroupProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

export interface JoinResult {
  readonly errorCode: ErrorCode;
  readonly generationId: number;
  readonly protocol: string;
  readonly leaderId: string;
  readonly memberId: string;
  readonly members: readonly {
    readonly memberId: string;
    readonly groupInstanceId: string | null;
    readonly metadata: Buffer;
  }[];
}

export interface SyncResult {
  readonly errorCode: ErrorCode;
  readonly assignment: Buffer;
}

export interface JoinRequest {
  readonly groupId: string;
  readonly memberId: string;
  /** KIP-345 static membership (JoinGroup v5+): a member that keeps its identity across restarts. */
  readonly groupInstanceId?: string | null;
  /** JoinGroup v4+: a new dynamic member first gets its id with MEMBER_ID_REQUIRED, then joins with it. */
  readonly requireKnownMemberId?: boolean;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly GroupProtocol[];
}

export interface SyncRequest {
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  readonly groupInstanceId?: string | null;
  readonly assignments: readonly { readonly memberId: string; readonly assignment: Buffer }[];
}

export interface MemberRef {
  readonly groupId: string;
  readonly memberId: string;
  readonly generationId: number;
  readonly groupInstanceId?: string | null;
}

export interface Member {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: readonly GroupProtocol[];
  assignment: Buffer;
  awaitingJoin?: (result: JoinResult) => void;
  awaitingSync?: (result: SyncResult) => void;
  cancelSessionTimer?: () => void;
}

export interface CommittedOffset {
  readonly offset: bigint;
  readonly metadata: string;
  readonly leaderEpoch: number;
}

export interface Group {
  readonly groupId: string;
  state: GroupState;
  protocolType: string;
  protocol: string;
  generationId: number;
  leaderId: string;
  readonly members: Map<string, Member>;
  /** group.instance.id → the member id it currently goes by. */
  readonly staticMembers: Map<string, string>;
  /** Ids handed out with MEMBER_ID_REQUIRED, each with its session timer, until the member joins with it. */
  readonly pendingMembers: Map<string, () => void>;
  /** topic → partition → committed offset. */
  readonly offsets: Map<string, Map<number, CommittedOffset>>;
  /** Set while the first rebalance out of Empty waits for more members (group.initial.rebalance.delay.ms). */
  initialDelay?: { newMemberAdded: boolean; remainingMs: number };
  cancelRebalanceTimer?: () => void;
}

export function newGroup(groupId: string): Group {
  return {
    groupId,
    state: 'Empty',
    protocolType: '',
    protocol: '',
    generationId: 0,
    leaderId: '',
    members: new Map(),
    staticMembers: new Map(),
    pendingMembers: new Map(),
    offsets: new Map(),
  };
}

/** Protocols every member supports; Kafka only ever picks one of these. */
function candidateProtocols(members: Iterable<Member>): Set<string> | undefined {
  let common: Set<string> | undefined;
  for (const member of members) {
    const names = new Set(member.protocols.map((protocol) => protocol.name));
    common = common === undefined ? names : new Set([...common].filter((name) => names.has(name)));
  }
  return common;
}

export function supportsProtocols(
  group: Group,
  protocolType: string,
  protocols: readonly GroupProtocol[],
): boolean {
  if (group.members.size === 0) return protocolType !== '' && protocols.length > 0;
  if (protocolType !== group.protocolType) return false;
  const common = candidateProtocols(group.members.values()) ?? new Set<string>();
  return protocols.some((protocol) => common.has(protocol.name));
}

/** Each member votes for its most preferred common protocol; ties go to the leader's preference. */
export function selectProtocol(group: Group): string {
  const common = candidateProtocols(group.members.values()) ?? new Set<string>();
  const votes = new Map<string, number>();
  for (const member of group.members.values()) {
    const choice = member.protocols.find((protocol) => common.has(protocol.name));
    if (choice) votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
  }
  const leader = group.members.get(group.leaderId) ?? group.members.values().next().value;
  const preference = leader?.protocols.map((protocol) => protocol.name) ?? [];
  let best = '';
  for (const name of preference) {
    if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
  }
  return best;
}

export function metadataFor(member: Member, protocol: string): Buffer {
  return member.protocols.find((candidate) => candidate.name === protocol)?.metadata ?? Buffer.alloc(0);
}

export function sameProtocols(member: Member, protocols: readonly GroupProtocol[]): boolean {
  return (
    member.protocols.length === protocols.length &&
    member.protocols.every(
      (protocol, i) => protocol.name === protocols[i].name && protocol.metadata.equals(protocols[i].metadata),
    )
  );
}

export function assertNever(value: never): never {
  throw new Error(`unexpected ${String(value)}`);
}
