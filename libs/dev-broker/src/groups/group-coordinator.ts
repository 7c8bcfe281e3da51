import type { Group } from './group';
import { GroupAdmin } from './group-admin';
import { GroupMembership, type MembershipConfig } from './group-membership';
import { GroupOffsets } from './group-offsets';
import { inMemoryJournal, type JournalOffset, type OffsetJournal } from './offset-journal';
import type { Scheduler } from './scheduler';

export interface CoordinatorConfig extends Partial<MembershipConfig> {
  readonly scheduler: Scheduler;
  readonly partitionCount: (topic: string) => number | undefined;
  readonly journal?: OffsetJournal;
  readonly recovered?: readonly JournalOffset[];
}

export interface GroupCoordinator {
  readonly membership: GroupMembership;
  readonly offsets: GroupOffsets;
  readonly admin: GroupAdmin;
  close(): void;
}

/** Kafka's defaults, except a short initial delay and lax session bounds, since clients here are tests. */
const defaultMembershipConfig: MembershipConfig = {
  initialRebalanceDelayMs: 50,
  minSessionTimeoutMs: 100,
  maxSessionTimeoutMs: 1_800_000,
};

export function createGroupCoordinator(config: CoordinatorConfig): GroupCoordinator {
  const groups = new Map<string, Group>();
  const journal = config.journal ?? inMemoryJournal;
  const membership = new GroupMembership(groups, config.scheduler, {
    initialRebalanceDelayMs:
      config.initialRebalanceDelayMs ?? defaultMembershipConfig.initialRebalanceDelayMs,
    minSessionTimeoutMs: config.minSessionTimeoutMs ?? defaultMembershipConfig.minSessionTimeoutMs,
    maxSessionTimeoutMs: config.maxSessionTimeoutMs ?? defaultMembershipConfig.maxSessionTimeoutMs,
  });
  const offsets = new GroupOffsets(groups, membership, journal, config.partitionCount);
  offsets.restore(config.recovered ?? []);
  return {
    membership,
    offsets,
    admin: new GroupAdmin(groups, journal),
    close() {
      membership.close();
      journal.close(offsets.live());
    },
  };
}
