import { Controller, Get, Inject } from '@nestjs/common';
import { Roles } from '@tradecore/auth';
import { topicNames } from '@tradecore/contracts';
import { dlqTopicOf } from '@tradecore/eventing';
import { KafkaAdmin } from '../kafka-tools/kafka-admin';

@Controller('ops')
@Roles('admin')
export class KafkaOpsController {
  constructor(@Inject(KafkaAdmin) private readonly kafka: KafkaAdmin) {}

  /** Committed offset against the high watermark, per consumer group, topic and partition. */
  @Get('consumer-lag')
  consumerLag() {
    return this.kafka.withAdmin(async (admin) => {
      const { groups } = await admin.listGroups();
      const watermarks = new Map<string, Map<number, { high: bigint; low: bigint }>>();
      const watermarksOf = async (topic: string) => {
        if (!watermarks.has(topic)) {
          const offsets = await admin.fetchTopicOffsets(topic);
          watermarks.set(
            topic,
            new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }])),
          );
        }
        return watermarks.get(topic) as Map<number, { high: bigint; low: bigint }>;
      };
      const result = [];
      for (const { groupId } of groups.sort((a, b) => a.groupId.localeCompare(b.groupId))) {
        const topics = await admin.fetchOffsets({ groupId });
        const partitions = [];
        for (const { topic, partitions: committed } of topics) {
          const marks = await watermarksOf(topic);
          for (const { partition, offset } of committed) {
            const mark = marks.get(partition) ?? { high: 0n, low: 0n };
            const position = BigInt(offset) < 0n ? mark.low : BigInt(offset);
            partitions.push({
              topic,
              partition,
              committedOffset: offset,
              highWatermark: mark.high.toString(),
              lag: Number(mark.high - position),
            });
          }
        }
        result.push({ groupId, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0), partitions });
      }
      return { groups: result };
    });
  }

  /** Every contract topic and its dead-letter topic: present, partitions, and partitions without a leader. */
  @Get('topics')
  topics() {
    return this.kafka.withAdmin(async (admin) => {
      const expected = topicNames.flatMap((topic) => [topic, dlqTopicOf(topic)]);
      const existing = new Set(await admin.listTopics());
      const present = expected.filter((topic) => existing.has(topic));
      const metadata =
        present.length > 0 ? await admin.fetchTopicMetadata({ topics: present }) : { topics: [] };
      const topics = [];
      for (const name of expected) {
        const found = metadata.topics.find((topic) => topic.name === name);
        if (!found) {
          topics.push({ name, status: 'missing' as const });
          continue;
        }
        const leaderless = found.partitions.filter((partition) => partition.leader < 0).length;
        const offsets = await admin.fetchTopicOffsets(name);
        topics.push({
          name,
          status: leaderless > 0 ? ('degraded' as const) : ('ok' as const),
          partitions: found.partitions.length,
          leaderlessPartitions: leaderless,
          messages: offsets.reduce((sum, o) => sum + Number(BigInt(o.high) - BigInt(o.low)), 0),
        });
      }
      return { healthy: topics.every((topic) => topic.status === 'ok'), topics };
    });
  }
}
