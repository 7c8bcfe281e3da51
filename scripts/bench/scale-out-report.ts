import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { sourceRevision } from '../lib/source-revision';
import type { InboxCount, LedgerCheck, ProcessShare, SagaCheck, TopicCount } from './scale-out-evidence';

export interface LoadDriven {
  readonly users: number;
  readonly connectionIds: readonly string[];
  readonly accountIds: readonly string[];
  readonly orderIds: readonly string[];
  readonly signals: number;
  readonly gateways: readonly string[];
}

export interface ScaleOutRun {
  readonly startupSeconds: number;
  readonly loadSeconds: number;
  readonly loadAverage: readonly number[];
  readonly load: LoadDriven;
  /** Consumer groups still behind when the figures were read. */
  readonly behind: readonly string[];
  readonly shares: readonly ProcessShare[];
  readonly topics: readonly TopicCount[];
  readonly inboxes: readonly InboxCount[];
  readonly sagas: SagaCheck;
  readonly ledgers: LedgerCheck;
}

interface GroupShare {
  readonly service: string;
  readonly group: string;
  readonly topics: readonly string[];
  readonly busyPartitions: number;
  readonly handled: readonly number[];
  readonly duplicates: number;
  readonly inboxRows: number | undefined;
  readonly shared: boolean;
}

interface Check {
  readonly what: string;
  readonly passed: boolean;
  readonly detail: string;
}

const RESULTS = join(__dirname, '../../bench/results');

function groupShares(run: ScaleOutRun): GroupShare[] {
  const workers = run.shares.filter((share) => share.role === 'worker');
  const groups = [...new Set(workers.flatMap((share) => Object.keys(share.handled)))].sort();
  return groups.map((group) => {
    const service = workers.find((share) => group in share.handled)!.service;
    const ofService = workers.filter((share) => share.service === service);
    const topics = [...new Set(ofService.flatMap((share) => share.groupTopics[group] ?? []))].sort();
    const busyPartitions = run.topics
      .filter((topic) => topics.includes(topic.topic))
      .reduce((sum, topic) => sum + topic.busyPartitions, 0);
    const handled = ofService.map((share) => share.handled[group] ?? 0);
    const inbox = run.inboxes.find((row) => row.consumer === group);
    return {
      service,
      group,
      topics,
      busyPartitions,
      handled,
      duplicates: ofService.reduce((sum, share) => sum + (share.duplicates[group] ?? 0), 0),
      inboxRows: inbox?.rows,
      shared: handled.every((count) => count > 0),
    };
  });
}

function checks(run: ScaleOutRun, groups: readonly GroupShare[]): Check[] {
  const { load, sagas, ledgers } = run;
  // The gateway has no request metric of its own; api replica n answers only gateway n.
  const lanes = [false, true].map((second) =>
    run.shares
      .filter((share) => share.role === 'api' && share.name.endsWith('/2') === second)
      .reduce((sum, share) => sum + share.requests, 0),
  );
  const apis = run.shares.filter((share) => share.role === 'api');
  const apiHandled = apis.reduce(
    (sum, share) => sum + Object.values(share.handled).reduce((a, b) => a + b, 0),
    0,
  );
  const idle = groups.filter((group) => group.busyPartitions >= 2 && !group.shared);
  // Handled twice would be more handlings than inbox rows (the key is the message); the inbox is read
  // after the metrics, so a group fed by the market tick may have a few rows more, never fewer.
  const twice = groups.filter(
    (group) => group.inboxRows !== undefined && group.handled.reduce((a, b) => a + b, 0) > group.inboxRows,
  );
  const republished = run.topics.filter((topic) => topic.messages !== topic.distinctIds);
  const services = [...new Set(apis.map((share) => share.service))];
  const idleApis = services.filter((service) => {
    const requests = apis.filter((share) => share.service === service).map((share) => share.requests);
    return requests.some((count) => count > 0) && requests.some((count) => count === 0);
  });
  return [
    {
      what: 'both gateways carried requests (to the api replicas of their lane)',
      passed: lanes.every((requests) => requests > 0),
      detail: lanes.map((requests, lane) => `lane ${lane + 1} ${requests}`).join(', '),
    },
    {
      what: 'both api replicas of every service that was called answered requests',
      passed: idleApis.length === 0,
      detail: idleApis.length ? `one replica idle: ${idleApis.join(', ')}` : 'none idle',
    },
    { what: 'api processes handled no message', passed: apiHandled === 0, detail: `${apiHandled} handled` },
    {
      what: 'both workers handled a share of every consumer group with ≥ 2 busy partitions',
      passed: idle.length === 0,
      detail: idle.length
        ? `one worker idle: ${idle.map((group) => group.group).join(', ')}`
        : `${groups.length} groups`,
    },
    {
      what: 'every message handled once (handled on both workers ≤ inbox rows)',
      passed: twice.length === 0,
      detail: twice.length ? twice.map((group) => group.group).join(', ') : 'all groups with an inbox',
    },
    {
      what: 'no message published twice (message ids on every topic)',
      passed: republished.length === 0,
      detail: `${run.topics.reduce((sum, topic) => sum + topic.messages, 0)} messages on ${run.topics.length} topics${republished.length ? `; twice on ${republished.map((topic) => topic.topic).join(', ')}` : ''}`,
    },
    {
      what: 'every BrokerConnection saga completed, once',
      passed: sagas.completedOnce === sagas.requested,
      detail: `${sagas.completedOnce} of ${sagas.requested}${sagas.wrong.length ? `; wrong: ${sagas.wrong.slice(0, 3).join(', ')}` : ''}`,
    },
    {
      what: 'every paper order filled once',
      passed: ledgers.filled === ledgers.orders && ledgers.filledTwice.length === 0,
      detail: `${ledgers.filled} of ${ledgers.orders}, ${ledgers.filledTwice.length} twice`,
    },
    {
      what: "broker-account's cash equals the virtual broker's on every account (each fill applied once)",
      passed: ledgers.mismatched.length === 0 && ledgers.accounts === load.accountIds.length,
      detail: `${ledgers.accounts - ledgers.mismatched.length} of ${load.accountIds.length} agree`,
    },
  ];
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((row) => row.map(String));
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}

/** Writes scale-out-latest.md and .json; true when every check passed. */
export function writeScaleOutReport(run: ScaleOutRun): boolean {
  const groups = groupShares(run);
  const results = checks(run, groups);
  const commit = sourceRevision();
  const finishedAt = new Date().toISOString();
  const { load } = run;
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, 'scale-out-latest.json'),
    `${JSON.stringify({ finishedAt, commit, machine: `${cpus().length} cores`, ...run, groups, checks: results }, null, 2)}\n`,
  );
  const markdown = [
    `# TradeCore with two replicas of every service — ${finishedAt}`,
    '',
    `Commit: ${commit}. Machine: ${cpus().length} cores shared by every process; load average ${run.loadAverage.map((value) => value.toFixed(1)).join(' / ')} at the end.`,
    '',
    `\`npm run bench:scale-out\` (docs/performance.md, "How the suite scales out"): ${run.shares.length} processes as the prod`,
    'overlay runs them with two replicas — two gateways, and per service two api processes (PROCESS_ROLE=api) and',
    'two workers (PROCESS_ROLE=worker). Lane n is gateway n calling api replica n of each service (one machine, no',
    `load balancer); the load alternates between the lanes. Started in ${run.startupSeconds.toFixed(0)} s; load for ${run.loadSeconds.toFixed(0)} s:`,
    `${load.users} users registered with 2 paper accounts each, ${load.connectionIds.length} BrokerConnection sagas, ${load.orderIds.length} market orders,`,
    `${load.signals} webhook signals.${run.behind.length ? ` Still behind when read: ${run.behind.join('; ')}.` : ' No consumer group was behind when the figures were read.'}`,
    '',
    '## Checks',
    '',
    table(
      ['check', 'result', 'detail'],
      results.map((check) => [check.what, check.passed ? 'pass' : 'FAIL', check.detail]),
    ),
    '',
    '## Consumer groups: messages handled by each worker',
    '',
    table(
      [
        'service',
        'group',
        'topics',
        'busy partitions',
        'worker-1',
        'worker-2',
        'skipped redeliveries',
        'inbox rows',
      ],
      groups.map((group) => [
        group.service,
        group.group,
        group.topics.length > 3 ? `${group.topics.length} topics` : group.topics.join(', '),
        group.busyPartitions,
        ...group.handled,
        group.duplicates,
        group.inboxRows ?? '- (idempotent, no inbox)',
      ]),
    ),
    '',
    '## Processes',
    '',
    table(
      ['process', 'role', 'HTTP requests', 'events appended', 'outbox published', 'messages handled'],
      run.shares.map((share) => [
        share.name,
        share.role,
        share.requests,
        share.eventsAppended,
        share.published,
        Object.values(share.handled).reduce((a, b) => a + b, 0),
      ]),
    ),
    '',
    '## Topics',
    '',
    table(
      ['topic', 'messages', 'distinct message ids', 'busy partitions'],
      run.topics
        .filter((topic) => topic.messages > 0)
        .map((topic) => [topic.topic, topic.messages, topic.distinctIds, topic.busyPartitions]),
    ),
    '',
  ].join('\n');
  writeFileSync(join(RESULTS, 'scale-out-latest.md'), markdown);
  for (const check of results)
    console.log(`${check.passed ? 'pass' : 'FAIL'}  ${check.what}: ${check.detail}`);
  return results.every((check) => check.passed);
}
