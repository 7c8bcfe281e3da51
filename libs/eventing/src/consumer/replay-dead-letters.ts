import { type Kafka, type Message } from 'kafkajs';
import { idempotentProducer } from '../topics/producers';
import type { DataSource } from 'typeorm';
import { quoteIdent } from '../migrations/sql-identifiers';
import { DLQ_HEADERS } from './dead-letter';

export interface ReplayDeadLettersOptions {
  readonly kafka: Kafka;
  readonly dataSource: DataSource;
  readonly schema: string;
  /** Only letters whose original topic is this one (`<topic>` or its `<topic>.dlq`). */
  readonly topic?: string;
  readonly consumer?: string;
  /** Only these messages; absent means every letter not replayed yet. */
  readonly messageIds?: readonly string[];
}

export interface ReplayedLetter {
  readonly id: number;
  readonly topic: string;
  readonly messageId: string | null;
  readonly replayCount: number;
}

interface LetterRow {
  id: string;
  topic: string;
  message_id: string | null;
  key: string | null;
  value_base64: string | null;
  headers: Record<string, string>;
  replay_count: number;
}

/**
 * Re-produces dead letters to their original topic with the original key, value and headers.
 * The dead_letters table is the source of truth, not the DLQ topic: it outlives topic retention,
 * finds a letter by message id without scanning a partition, and records which were replayed.
 * Consumers that already handled a replayed message skip it through their inbox.
 */
export async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<ReplayedLetter[]> {
  const table = `${quoteIdent(options.schema)}.dead_letters`;
  const topic = options.topic?.replace(/\.dlq$/, '') ?? null;
  const producer = idempotentProducer(options.kafka);
  await producer.connect();
  try {
    return await options.dataSource.transaction(async (manager) => {
      const rows: LetterRow[] = await manager.query(
        `SELECT id, topic, message_id, key, value_base64, headers, replay_count FROM ${table}
         WHERE replayed_at IS NULL AND ($1::text IS NULL OR topic = $1) AND ($2::text IS NULL OR consumer = $2)
           AND ($3::text[] IS NULL OR message_id = ANY($3::text[]))
         ORDER BY id FOR UPDATE SKIP LOCKED`,
        [topic, options.consumer ?? null, options.messageIds ? [...options.messageIds] : null],
      );
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const messages = byTopic.get(row.topic) ?? [];
        messages.push({
          key: row.key,
          value: row.value_base64 === null ? null : Buffer.from(row.value_base64, 'base64'),
          headers: { ...row.headers, [DLQ_HEADERS.replayCount]: String(row.replay_count + 1) },
        });
        byTopic.set(row.topic, messages);
      }
      if (rows.length === 0) return [];
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([name, messages]) => ({ topic: name, messages })),
      });
      await manager.query(
        `UPDATE ${table} SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = ANY($1::bigint[])`,
        [rows.map((row) => row.id)],
      );
      return rows.map((row) => ({
        id: Number(row.id),
        topic: row.topic,
        messageId: row.message_id,
        replayCount: row.replay_count + 1,
      }));
    });
  } finally {
    await producer.disconnect();
  }
}
