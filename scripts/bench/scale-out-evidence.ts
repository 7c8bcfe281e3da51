import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { topicNames } from '@tradecore/contracts';
import type { LaunchedProcess } from '../launcher/replicas';
import { readTopic } from '../lib/topic-tools';

/** What one process did, from its own /metrics. */
export interface ProcessShare {
  readonly name: string;
  readonly service: string;
  readonly role: LaunchedProcess['role'];
  readonly port: number;
  /** HTTP requests answered, health checks and scrapes left out. */
  readonly requests: number;
  readonly eventsAppended: number;
  readonly published: number;
  /** Messages handled, by consumer group. */
  readonly handled: Record<string, number>;
  /** Redeliveries its inbox recognised and skipped, by consumer group. */
  readonly duplicates: Record<string, number>;
  /** The topics each of its consumer groups handled messages from. */
  readonly groupTopics: Record<string, string[]>;
}

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

function samplesOf(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) return undefined;
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[key] = value;
      return { name: match[1], labels, value: Number(match[3]) };
    })
    .filter((sample): sample is Sample => sample !== undefined);
}

const sum = (samples: readonly Sample[]) => samples.reduce((total, sample) => total + sample.value, 0);

function byConsumer(samples: readonly Sample[], outcome: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const sample of samples)
    if (sample.name === 'eventing_consume_duration_seconds_count' && sample.labels.outcome === outcome)
      counts[sample.labels.consumer] = (counts[sample.labels.consumer] ?? 0) + sample.value;
  return counts;
}

function topicsByConsumer(samples: readonly Sample[]): Record<string, string[]> {
  const topics: Record<string, string[]> = {};
  for (const { name, labels, value } of samples)
    if (name === 'eventing_consume_duration_seconds_count' && value > 0)
      topics[labels.consumer] = [...new Set([...(topics[labels.consumer] ?? []), labels.topic])];
  return topics;
}

export async function shareOf(process: LaunchedProcess): Promise<ProcessShare> {
  const response = await fetch(`http://127.0.0.1:${process.port}/metrics`, {
    signal: AbortSignal.timeout(10_000),
  });
  const samples = samplesOf(await response.text());
  const named = (name: string) => samples.filter((sample) => sample.name === name);
  return {
    name: process.name,
    service: process.service.name,
    role: process.role,
    port: process.port,
    requests: sum(
      named('http_request_duration_seconds_count').filter(
        (sample) => !/health|metrics/.test(sample.labels.route ?? sample.labels.path ?? ''),
      ),
    ),
    eventsAppended: sum(named('eventing_events_appended_total')),
    published: sum(named('eventing_outbox_published_total')),
    handled: byConsumer(samples, 'handled'),
    duplicates: byConsumer(samples, 'duplicate'),
    groupTopics: topicsByConsumer(samples),
  };
}

export interface TopicCount {
  readonly topic: string;
  readonly messages: number;
  readonly distinctIds: number;
  /** Partitions that carried at least one message in the run. */
  readonly busyPartitions: number;
}

/** Every topic read from its start: a message id that appears twice was published twice. */
export async function topicCounts(brokers: string): Promise<TopicCount[]> {
  const kafka = new Kafka({
    clientId: 'scale-out-bench',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const counts: TopicCount[] = [];
  for (const topic of topicNames) {
    const messages = await readTopic(kafka, topic);
    const ids = messages.map(({ value }) => (JSON.parse(value) as { messageId: string }).messageId);
    counts.push({
      topic,
      messages: messages.length,
      distinctIds: new Set(ids).size,
      busyPartitions: new Set(messages.map(({ partition }) => partition)).size,
    });
  }
  return counts;
}

export interface InboxCount {
  readonly schema: string;
  readonly consumer: string;
  readonly rows: number;
}

export interface LedgerCheck {
  readonly accounts: number;
  /** Paper accounts whose cash in broker-account differs from the virtual broker's own. */
  readonly mismatched: string[];
  readonly orders: number;
  readonly filled: number;
  /** Orders with more than one fill in the virtual broker's order history (each order here is one share). */
  readonly filledTwice: string[];
}

export interface SagaCheck {
  readonly requested: number;
  readonly completedOnce: number;
  /** Connection ids with no saga, a saga not COMPLETED, or more than one saga. */
  readonly wrong: string[];
}

export class SuiteDatabase {
  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<SuiteDatabase> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new SuiteDatabase(client);
  }

  async inboxes(schemas: readonly string[]): Promise<InboxCount[]> {
    const counts: InboxCount[] = [];
    for (const schema of schemas) {
      const { rows } = await this.client.query<{ consumer: string; rows: number }>(
        `SELECT consumer, count(*)::int AS rows FROM "${schema}".inbox GROUP BY consumer ORDER BY consumer`,
      );
      counts.push(...rows.map((row) => ({ schema, ...row })));
    }
    return counts;
  }

  async sagas(connectionIds: readonly string[]): Promise<SagaCheck> {
    const { rows } = await this.client.query<{ aggregate_id: string; sagas: number; completed: number }>(
      `SELECT aggregate_id, count(*)::int AS sagas, count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed
         FROM saga_orchestrator.saga_instance
        WHERE saga_type = 'BrokerConnection' AND aggregate_id = ANY($1) GROUP BY aggregate_id`,
      [connectionIds],
    );
    const once = new Set(
      rows.filter((row) => row.sagas === 1 && row.completed === 1).map((row) => row.aggregate_id),
    );
    return {
      requested: connectionIds.length,
      completedOnce: once.size,
      wrong: connectionIds.filter((id) => !once.has(id)),
    };
  }

  async ledgers(accountIds: readonly string[], orderIds: readonly string[]): Promise<LedgerCheck> {
    const cash = await this.client.query<{ account_id: string; same: boolean }>(
      `SELECT a.account_id, coalesce(l.cash = a.cash_cents / 100.0, false) AS same
         FROM virtual_broker.paper_accounts a
         LEFT JOIN broker_account.paper_ledgers l ON l.virtual_account_id::text = a.account_id
        WHERE a.account_id = ANY($1)`,
      [accountIds],
    );
    const fills = await this.client.query<{ order_id: string; fills: number }>(
      `SELECT order_id, count(*) FILTER (WHERE fill_quantity > 0)::int AS fills
         FROM virtual_broker.order_events WHERE order_id = ANY($1) GROUP BY order_id`,
      [orderIds],
    );
    return {
      accounts: cash.rows.length,
      mismatched: cash.rows.filter((row) => !row.same).map((row) => row.account_id),
      orders: orderIds.length,
      filled: fills.rows.filter((row) => row.fills === 1).length,
      filledTwice: fills.rows.filter((row) => row.fills > 1).map((row) => row.order_id),
    };
  }

  /** True once broker-account's cash agrees with the virtual broker's on every one of these accounts. */
  async ledgersAgree(accountIds: readonly string[]): Promise<boolean> {
    return (await this.ledgers(accountIds, [])).mismatched.length === 0;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
