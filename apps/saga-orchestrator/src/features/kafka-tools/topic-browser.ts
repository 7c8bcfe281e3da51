import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { browsedMessage, BrowsedMessage, matchesFilter, MessageFilter } from './browsed-message';
import { KafkaAdmin } from './kafka-admin';

export interface BrowseRequest extends MessageFilter {
  readonly topic: string;
  readonly partition?: number;
  /** Start at this offset (with `partition`), or at the first message written at or after `since`. */
  readonly offset?: string;
  readonly since?: string;
  /** Continue where a previous page stopped: `partition:offset,…` as its `next` said. */
  readonly cursor?: string;
  readonly limit: number;
}

export interface BrowsePage {
  readonly topic: string;
  readonly messages: readonly BrowsedMessage[];
  readonly scanned: number;
  /** Where the next page starts, or null once every partition was read to its end. */
  readonly next: string | null;
}

/** Bounded work per request: so many records read, so long waited, whatever the filter. */
export const BROWSE_SCAN_LIMIT = 5000;
const BROWSE_TIME_LIMIT_MS = 5000;

/**
 * Reads any topic from a position, through a throw-away consumer group that never commits and
 * is deleted afterwards, so browsing moves no service's offsets and leaves nothing behind.
 */
@Injectable()
export class TopicBrowser {
  constructor(@Inject(KafkaAdmin) private readonly kafka: KafkaAdmin) {}

  async browse(request: BrowseRequest): Promise<BrowsePage> {
    const { starts, ends } = await this.positions(request);
    const pending = new Map([...starts].filter(([partition, offset]) => offset < ends.get(partition)!));
    const messages: BrowsedMessage[] = [];
    let scanned = 0;
    if (pending.size > 0) {
      const groupId = `saga-orchestrator.topic-browser.${uuidv7()}`;
      const consumer = this.kafka.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic: request.topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const deadline = setTimeout(resolve, BROWSE_TIME_LIMIT_MS);
          const finish = () => (clearTimeout(deadline), resolve());
          consumer
            .run({
              autoCommit: false,
              eachBatch: async ({ batch }) => {
                for (const record of batch.messages) {
                  const next = pending.get(batch.partition);
                  if (next === undefined) break;
                  const offset = BigInt(record.offset);
                  if (offset < next) continue;
                  if (scanned >= BROWSE_SCAN_LIMIT || messages.length >= request.limit) return finish();
                  scanned += 1;
                  const shown = browsedMessage(batch.partition, record);
                  if (matchesFilter(shown, record.value?.toString() ?? '', request)) messages.push(shown);
                  starts.set(batch.partition, offset + 1n);
                  if (offset + 1n >= ends.get(batch.partition)!) pending.delete(batch.partition);
                  else pending.set(batch.partition, offset + 1n);
                }
                if (pending.size === 0 || messages.length >= request.limit) finish();
              },
            })
            .then(() => {
              for (const [partition, offset] of pending)
                consumer.seek({ topic: request.topic, partition, offset: offset.toString() });
            }, reject);
        });
      } finally {
        await consumer.disconnect().catch(() => undefined);
        await this.kafka.withAdmin((admin) => admin.deleteGroups([groupId])).catch(() => undefined);
      }
    }
    const unread = [...starts].filter(([partition, offset]) => offset < ends.get(partition)!);
    return {
      topic: request.topic,
      messages,
      scanned,
      next:
        unread.length > 0 ? unread.map(([partition, offset]) => `${partition}:${offset}`).join(',') : null,
    };
  }

  /** Where to start on each partition, and where its log ended when the request came in. */
  private positions(request: BrowseRequest) {
    return this.kafka.withAdmin(async (admin) => {
      if (!(await admin.listTopics()).includes(request.topic))
        throw new NotFoundException({
          code: 'TOPIC_NOT_FOUND',
          message: `there is no topic ${request.topic}`,
        });
      const watermarks = await admin.fetchTopicOffsets(request.topic);
      const chosen = watermarks.filter(
        (w) => request.partition === undefined || w.partition === request.partition,
      );
      if (chosen.length === 0)
        throw new NotFoundException({
          code: 'PARTITION_NOT_FOUND',
          message: `${request.topic} has partitions 0-${watermarks.length - 1}`,
        });
      const ends = new Map(chosen.map((w) => [w.partition, BigInt(w.high)]));
      const cursor = new Map(
        (request.cursor ?? '')
          .split(',')
          .filter(Boolean)
          .map((part) => part.split(':').map(BigInt) as [bigint, bigint])
          .map(([partition, offset]) => [Number(partition), offset]),
      );
      const atTime = request.since
        ? new Map(
            (await admin.fetchTopicOffsetsByTimestamp(request.topic, Date.parse(request.since))).map((o) => [
              o.partition,
              BigInt(o.offset) < 0n ? BigInt(ends.get(o.partition) ?? 0n) : BigInt(o.offset),
            ]),
          )
        : undefined;
      const starts = new Map(
        chosen.map(({ partition, low }) => {
          const wanted =
            cursor.get(partition) ??
            atTime?.get(partition) ??
            (request.offset !== undefined ? BigInt(request.offset) : BigInt(low));
          return [partition, wanted < BigInt(low) ? BigInt(low) : wanted] as const;
        }),
      );
      if (request.cursor)
        for (const partition of starts.keys()) if (!cursor.has(partition)) starts.delete(partition);
      return { starts, ends };
    });
  }
}
