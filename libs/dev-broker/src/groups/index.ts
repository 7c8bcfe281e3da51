import type { ApiHandler } from '../protocol/api-handler';
import { deleteGroupsApi } from './delete-groups.api';
import { describeGroupsApi } from './describe-groups.api';
import { findCoordinatorApi } from './find-coordinator.api';
import { createGroupCoordinator } from './group-coordinator';
import { type BrokerNode, GroupRouting } from './group-routing';
import { heartbeatApi } from './heartbeat.api';
import { joinGroupApi } from './join-group.api';
import { leaveGroupApi } from './leave-group.api';
import { listGroupsApi } from './list-groups.api';
import { offsetCommitApi } from './offset-commit.api';
import { offsetDeleteApi } from './offset-delete.api';
import { offsetFetchApi } from './offset-fetch.api';
import { FileOffsetJournal, type JournalOffset, type OffsetJournal } from './offset-journal';
import { realScheduler } from './scheduler';
import { syncGroupApi } from './sync-group.api';

export type { BrokerNode } from './group-routing';

export interface GroupCoordinatorOptions {
  /** The presented cluster (node ids 0..N-1). */
  readonly nodes: readonly BrokerNode[];
  /** Committed offsets are persisted under `<dataDir>/groups` when set. */
  readonly dataDir?: string;
  /** Partition count of a topic, undefined when the topic is unknown. */
  readonly partitionCount: (topic: string) => number | undefined;
}

export function createGroupApis(options: GroupCoordinatorOptions): {
  readonly apis: readonly ApiHandler[];
  close(): Promise<void>;
} {
  const routing = new GroupRouting(options.nodes);
  let journal: OffsetJournal | undefined;
  let recovered: JournalOffset[] = [];
  if (options.dataDir !== undefined) ({ journal, recovered } = FileOffsetJournal.open(options.dataDir));
  const coordinator = createGroupCoordinator({
    scheduler: realScheduler,
    partitionCount: options.partitionCount,
    journal,
    recovered,
  });
  const { membership, offsets, admin } = coordinator;
  let closed = false;
  return {
    apis: [
      findCoordinatorApi(routing),
      joinGroupApi(membership, routing),
      syncGroupApi(membership, routing),
      heartbeatApi(membership, routing),
      leaveGroupApi(membership, routing),
      offsetCommitApi(offsets, routing),
      offsetFetchApi(offsets, routing),
      describeGroupsApi(admin, routing),
      listGroupsApi(admin, routing),
      deleteGroupsApi(admin, routing),
      offsetDeleteApi(offsets, routing),
    ],
    async close() {
      if (closed) return;
      closed = true;
      coordinator.close();
    },
  };
}
