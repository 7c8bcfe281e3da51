import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { KafkaAdmin } from './kafka-admin';
import { planOffsetReset, PartitionMove, ResetTarget } from './offset-reset-plan';

export interface OffsetResetRequest {
  readonly groupId: string;
  readonly topic: string;
  readonly to: 'earliest' | 'latest' | 'timestamp' | 'offsets';
  readonly timestamp?: string;
  readonly offsets?: readonly { partition: number; offset: string }[];
  readonly dryRun: boolean;
}

export interface OffsetResetResult {
  readonly groupId: string;
  readonly topic: string;
  readonly dryRun: boolean;
  readonly partitions: readonly PartitionMove[];
}

// Kafka commits offsets for a group only when no member holds it: a live member would overwrite them.
const IDLE_STATES = new Set(['Empty', 'Dead']);

/** Rewinds or skips a consumer group on one topic; the group must have no live member. */
@Injectable()
export class ConsumerGroupOffsets {
  constructor(@Inject(KafkaAdmin) private readonly kafka: KafkaAdmin) {}

  reset(request: OffsetResetRequest): Promise<OffsetResetResult> {
    return this.kafka.withAdmin(async (admin) => {
      const [committed] = await admin.fetchOffsets({ groupId: request.groupId, topics: [request.topic] });
      const current = new Map(
        (committed?.partitions ?? [])
          .filter(({ offset }) => BigInt(offset) >= 0n)
          .map(({ partition, offset }) => [partition, offset]),
      );
      await this.assertIdleGroup(admin, request.groupId, request.topic, current.size > 0);
      const watermarks = (await admin.fetchTopicOffsets(request.topic)).map(({ partition, low, high }) => ({
        partition,
        low,
        high,
      }));
      const partitions = planOffsetReset(watermarks, current, await this.targetOf(admin, request));
      if (!request.dryRun && partitions.length > 0) {
        await admin.setOffsets({
          groupId: request.groupId,
          topic: request.topic,
          partitions: partitions.map(({ partition, to }) => ({ partition, offset: to })),
        });
      }
      return { groupId: request.groupId, topic: request.topic, dryRun: request.dryRun, partitions };
    });
  }

  private async assertIdleGroup(
    admin: Admin,
    groupId: string,
    topic: string,
    hasOffsets: boolean,
  ): Promise<void> {
    const [topics, { groups }] = await Promise.all([admin.listTopics(), admin.describeGroups([groupId])]);
    if (!topics.includes(topic))
      throw new NotFoundException({ code: 'TOPIC_NOT_FOUND', message: `there is no topic ${topic}` });
    const [group] = groups;
    // A group unknown to the broker would be created by the reset: most likely a typo.
    if (group.state === 'Dead' && !hasOffsets) {
      throw new NotFoundException({
        code: 'CONSUMER_GROUP_NOT_FOUND',
        message: `consumer group ${groupId} has no members and no offsets on ${topic}; GET /ops/consumer-lag lists the groups`,
      });
    }
    if (!IDLE_STATES.has(group.state)) {
      throw new ConflictException({
        code: 'CONSUMER_GROUP_ACTIVE',
        message: `consumer group ${groupId} has ${group.members.length} live member(s) (${group.state}); stop the service that consumes with it (or scale it to zero), then reset`,
        details: {
          state: group.state,
          members: group.members.map((m) => ({ clientId: m.clientId, host: m.clientHost })),
        },
      });
    }
  }

  private async targetOf(admin: Admin, request: OffsetResetRequest): Promise<ResetTarget> {
    switch (request.to) {
      case 'earliest':
      case 'latest':
        return { to: request.to };
      case 'timestamp': {
        const at = await admin.fetchTopicOffsetsByTimestamp(request.topic, Date.parse(request.timestamp!));
        // Kafka answers -1 where nothing was written at or after the time.
        return {
          to: 'timestamp',
          offsetsAtTime: new Map(
            at
              .filter(({ offset }) => Number(offset) >= 0)
              .map(({ partition, offset }) => [partition, offset]),
          ),
        };
      }
      case 'offsets':
        return {
          to: 'offsets',
          offsets: new Map((request.offsets ?? []).map(({ partition, offset }) => [partition, offset])),
        };
    }
  }
}
