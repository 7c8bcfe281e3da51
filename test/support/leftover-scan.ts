import type { Kafka } from 'kafkajs';
import { readTopic } from '../../scripts/lib/topic-tools';
import type { Sql } from './live-user-data';

/** Where a value still reads in the clear: `schema.table.column` or `topic:<name>`. */
export type Finding = string;

/** How a column reads as text for the scan: binary and base64 kept as escaped bytes, so clear text in them shows. */
function readable(column: string, dataType: string): string {
  if (dataType === 'bytea') return `encode("${column}", 'escape')`;
  if (column.endsWith('_base64')) return `encode(decode("${column}", 'base64'), 'escape')`;
  return `"${column}"::text`;
}

/**
 * Every column of every table in every schema of the database that can hold a value (text, JSON,
 * numbers, bytes, base64, arrays of text) and holds any of `values`, dead letters' payloads included.
 */
export async function findInSchemas(sql: Sql, values: readonly string[]): Promise<Finding[]> {
  const columns = (await sql(
    `SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
        AND (c.data_type IN ('text', 'character varying', 'json', 'jsonb', 'numeric', 'bytea')
          OR (c.data_type = 'ARRAY' AND c.udt_name IN ('_text', '_varchar')))`,
    [],
  )) as { table_schema: string; table_name: string; column_name: string; data_type: string }[];
  const findings: Finding[] = [];
  for (const { table_schema, table_name, column_name, data_type } of columns) {
    const rows = await sql(
      `SELECT 1 FROM "${table_schema}"."${table_name}"
        WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) AS v WHERE strpos(${readable(column_name, data_type)}, v) > 0) LIMIT 1`,
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
