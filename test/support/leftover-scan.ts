import type { Kafka } from 'kafkajs';
import { readTopic } from '../chaos/support/topic-tools';
import type { Sql } from './live-user-data';

/** Where a value still reads in the clear: `schema.table.column` or `topic:<name>`. */
export type Finding = string;

const SERVICE_SCHEMAS = [
  'user_account',
  'broker_connection',
  'broker_account',
  'virtual_broker',
  'saga_orchestrator',
];

/** Every text, character and JSON column (arrays of them too) of every service's schema that holds any of `values`. */
export async function findInSchemas(sql: Sql, values: readonly string[]): Promise<Finding[]> {
  const columns = (await sql(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns
      WHERE table_schema = ANY($1) AND (data_type IN ('text', 'character varying', 'json', 'jsonb')
        OR (data_type = 'ARRAY' AND udt_name IN ('_text', '_varchar')))`,
    [SERVICE_SCHEMAS],
  )) as { table_schema: string; table_name: string; column_name: string }[];
  const findings: Finding[] = [];
  for (const { table_schema, table_name, column_name } of columns) {
    const rows = await sql(
      `SELECT 1 FROM "${table_schema}"."${table_name}"
        WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS v WHERE strpos("${column_name}"::text, v) > 0) LIMIT 1`,
      [values],
    );
    if (rows.length > 0) findings.push(`${table_schema}.${table_name}.${column_name}`);
  }
  return findings;
}

/** Every topic, read from offset 0 to its end: keys, headers and values. */
export async function findInTopics(kafka: Kafka, values: readonly string[]): Promise<Finding[]> {
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith('__'));
  await admin.disconnect();
  const findings: Finding[] = [];
  for (const topic of topics.sort()) {
    const messages = await readTopic(kafka, topic);
    const holds = messages.some((message) => {
      const text = `${message.key}\n${JSON.stringify(message.headers)}\n${message.value}`;
      return values.some((value) => text.includes(value));
    });
    if (holds) findings.push(`topic:${topic}`);
  }
  return findings;
}
