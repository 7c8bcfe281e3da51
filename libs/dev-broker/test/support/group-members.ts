import { type ChildProcess, spawn } from 'node:child_process';
import { eventually } from '@tradecore/eventing/testing/eventually';
import { AssignerProtocol, type Admin, type Consumer, type Kafka } from 'kafkajs';

/** One message handled by one member, with when its handler ran. */
export interface Handling {
  readonly member: string;
  readonly partition: number;
  readonly value: string;
  readonly start: number;
  end?: number;
}

/** How long the group tests wait (with the shared `eventually`) for a group to settle or messages to arrive. */
export const GROUP_WAIT_MS = 40_000;

/** Short enough that a crashed member is noticed within a test, as the brief for the suite asks. */
export const memberTimeouts = { sessionTimeout: 6_000, heartbeatInterval: 500, rebalanceTimeout: 10_000 };

export interface GroupMember {
  readonly name: string;
  memberId?: string;
  assignment: number[];
}

export interface MemberSpec {
  readonly name: string;
  readonly groupId: string;
  readonly topic: string;
  readonly log: Handling[];
  readonly handleMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startMember(
  kafka: Kafka,
  spec: MemberSpec,
): Promise<GroupMember & { consumer: Consumer }> {
  const consumer = kafka.consumer({ groupId: spec.groupId, maxWaitTimeInMs: 100, ...memberTimeouts });
  const member: GroupMember & { consumer: Consumer } = { name: spec.name, assignment: [], consumer };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    member.memberId = payload.memberId;
    member.assignment = [...(payload.memberAssignment[spec.topic] ?? [])].sort((a, b) => a - b);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: spec.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const handling: Handling = {
        member: spec.name,
        partition,
        value: String(message.value),
        start: Date.now(),
      };
      spec.log.push(handling);
      await pause(spec.handleMs ?? 0);
      handling.end = Date.now();
    },
  });
  return member;
}

const CHILD_MEMBER = `
const { Kafka, logLevel } = require('kafkajs');
const { BROKERS, GROUP, TOPIC, HANDLE_MS, TIMEOUTS } = process.env;
const kafka = new Kafka({ clientId: 'child-member', brokers: BROKERS.split(','), logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 100, ...JSON.parse(TIMEOUTS) });
consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
  process.send({ type: 'joined', memberId: payload.memberId, assignment: payload.memberAssignment[TOPIC] || [] }));
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const value = String(message.value);
      process.send({ type: 'start', partition, value, at: Date.now() });
      await new Promise((resolve) => setTimeout(resolve, Number(HANDLE_MS)));
      process.send({ type: 'end', value, at: Date.now() });
    },
  });
})();
`;

type ChildReport =
  | { type: 'joined'; memberId: string; assignment: number[] }
  | { type: 'start'; partition: number; value: string; at: number }
  | { type: 'end'; value: string; at: number };

/** A member in its own process, so a test can kill it the way a crash would: no LeaveGroup, no goodbye. */
export function startChildMember(
  brokers: readonly string[],
  spec: MemberSpec,
): GroupMember & { kill(): number } {
  const child: ChildProcess = spawn(process.execPath, ['-e', CHILD_MEMBER], {
    cwd: process.cwd(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      BROKERS: brokers.join(','),
      GROUP: spec.groupId,
      TOPIC: spec.topic,
      HANDLE_MS: String(spec.handleMs ?? 0),
      TIMEOUTS: JSON.stringify(memberTimeouts),
    },
  });
  const open = new Map<string, Handling>();
  const member: GroupMember & { kill(): number } = {
    name: spec.name,
    assignment: [],
    kill() {
      child.kill('SIGKILL');
      const killedAt = Date.now();
      for (const handling of open.values()) handling.end ??= killedAt;
      return killedAt;
    },
  };
  child.on('message', (report: ChildReport) => {
    if (report.type === 'joined') {
      member.memberId = report.memberId;
      member.assignment = [...report.assignment].sort((a, b) => a - b);
    } else if (report.type === 'start') {
      const handling: Handling = {
        member: spec.name,
        partition: report.partition,
        value: report.value,
        start: report.at,
      };
      open.set(report.value, handling);
      spec.log.push(handling);
    } else {
      const handling = open.get(report.value);
      open.delete(report.value);
      if (handling) handling.end = report.at;
    }
  });
  return member;
}

/**
 * Waits until the coordinator reports a Stable group of exactly `members` and each of them has received
 * the assignment the coordinator holds for it; returns the partitions per member name.
 */
export function settledAssignments(
  admin: Admin,
  groupId: string,
  topic: string,
  members: readonly GroupMember[],
) {
  return eventually(async () => {
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    if (group.state !== 'Stable' || group.members.length !== members.length) return undefined;
    const byName = new Map<string, number[]>();
    for (const member of members) {
      const described = group.members.find((candidate) => candidate.memberId === member.memberId);
      if (!described) return undefined;
      const decoded = AssignerProtocol.MemberAssignment.decode(described.memberAssignment);
      const partitions = [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
      if (partitions.join() !== member.assignment.join()) return undefined;
      byName.set(member.name, partitions);
    }
    return byName;
  }, GROUP_WAIT_MS);
}

/** Pairs of handlings of one partition by different members whose handler runs overlapped in time. */
export function overlappingHandlings(log: readonly Handling[]): [Handling, Handling][] {
  const overlaps: [Handling, Handling][] = [];
  for (const a of log) {
    for (const b of log) {
      if (a === b || a.member >= b.member || a.partition !== b.partition) continue;
      const aEnd = a.end ?? Number.POSITIVE_INFINITY;
      const bEnd = b.end ?? Number.POSITIVE_INFINITY;
      if (a.start < bEnd && b.start < aEnd) overlaps.push([a, b]);
    }
  }
  return overlaps;
}
