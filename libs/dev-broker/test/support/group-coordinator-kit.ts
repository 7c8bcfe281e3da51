import { createGroupCoordinator, type GroupCoordinator } from '../../src/groups/group-coordinator';
import type { JoinRequest, JoinResult } from '../../src/groups/group';
import { FakeScheduler } from './fake-scheduler';

/** Test support for the coordinator specs: a coordinator on a fake clock and a few client moves. */
export interface Kit {
  readonly scheduler: FakeScheduler;
  readonly coordinator: GroupCoordinator;
}

export const INITIAL_DELAY_MS = 100;
export const SESSION_TIMEOUT_MS = 10_000;
export const REBALANCE_TIMEOUT_MS = 30_000;

export function givenCoordinator(): Kit {
  const scheduler = new FakeScheduler();
  const partitions = new Map([
    ['orders', 3],
    ['audit', 1],
  ]);
  const coordinator = createGroupCoordinator({
    scheduler,
    partitionCount: (topic) => partitions.get(topic),
    initialRebalanceDelayMs: INITIAL_DELAY_MS,
  });
  return { scheduler, coordinator };
}

export function joinRequest(overrides: Partial<JoinRequest> = {}): JoinRequest {
  return {
    groupId: 'g',
    memberId: '',
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: REBALANCE_TIMEOUT_MS,
    protocolType: 'consumer',
    protocols: [{ name: 'roundrobin', metadata: Buffer.from(`meta-${overrides.clientId ?? 'client'}`) }],
    ...overrides,
  };
}

/** Lets a test look at a parked request without awaiting it. */
export function track<T>(promise: Promise<T>): { readonly settled: boolean; readonly value: T | undefined } {
  const state: { settled: boolean; value: T | undefined } = { settled: false, value: undefined };
  void promise.then((value) => {
    state.settled = true;
    state.value = value;
  });
  return state;
}

export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Joins the clients, lets the leader assign `assignment-<clientId>` to each, and syncs everybody.
 * Static members get the group instance id `instance-<clientId>`; `metadata` replaces `meta-<clientId>`.
 */
export async function givenStableGroup(
  kit: Kit,
  clientIds: readonly string[],
  { staticMembers = false, metadata }: { staticMembers?: boolean; metadata?: Buffer } = {},
): Promise<JoinResult[]> {
  const joins = clientIds.map((clientId) =>
    kit.coordinator.membership.join(
      joinRequest({
        clientId,
        groupInstanceId: staticMembers ? `instance-${clientId}` : null,
        ...(metadata && { protocols: [{ name: 'roundrobin', metadata }] }),
      }),
    ),
  );
  kit.scheduler.advance(INITIAL_DELAY_MS * clientIds.length);
  const results = await Promise.all(joins);
  const leader = results.find((result) => result.memberId === result.leaderId);
  if (!leader) throw new Error('no leader elected');
  const assignments = results.map((result, i) => ({
    memberId: result.memberId,
    assignment: Buffer.from(`assignment-${clientIds[i]}`),
  }));
  await Promise.all(
    results.map((result) =>
      kit.coordinator.membership.sync({
        groupId: 'g',
        generationId: result.generationId,
        memberId: result.memberId,
        assignments: result === leader ? assignments : [],
      }),
    ),
  );
  return results;
}
