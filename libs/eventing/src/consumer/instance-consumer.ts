import { contractUpcasters } from '@tradecore/contracts';
import { randomUUID } from 'node:crypto';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import type { Envelope } from '../envelope/envelope';
import { InvalidMessageError, parseEnvelope } from '../envelope/kafka-message';
import { upcasterChain } from '../event-store/upcaster';
import { RestartingConsumer } from './restarting-consumer';

const CONTRACT_UPCASTS = upcasterChain(contractUpcasters);

export interface InstanceConsumerOptions {
  readonly kafka: Kafka;
  /** Made unique per process by the suffix `.instance-<uuid>`; on start, empty groups of this prefix are deleted. */
  readonly groupPrefix: string;
  readonly topics: readonly string[];
  /** Where reading starts, in milliseconds since the epoch; asked again after every crash. */
  readonly replaySince: () => number;
  readonly handle: (envelope: Envelope) => Promise<void> | void;
  readonly onProblem: (message: string) => void;
}

const INSTANCE_GROUP = /\.instance-[0-9a-f-]{36}$/;

/**
 * A group of one process's InstanceConsumer. Lag checks leave these out: a process killed before
 * it could delete its group leaves it behind until the next instance of that prefix starts.
 */
export function isInstanceGroup(groupId: string): boolean {
  return INSTANCE_GROUP.test(groupId);
}

/**
 * Every process reads every message, from a point in time instead of from the beginning: for
 * state each replica keeps in memory (e.g. revoked tokens). Its own consumer group per process
 * gets every partition; there is no inbox and no dead-letter topic, so `handle` must be
 * idempotent and must not throw for a message it cannot use.
 */
export class InstanceConsumer {
  readonly groupId: string;
  private readonly group: RestartingConsumer;

  constructor(private readonly options: InstanceConsumerOptions) {
    this.groupId = `${options.groupPrefix}.instance-${randomUUID()}`;
    this.group = new RestartingConsumer({
      kafka: options.kafka,
      groupId: this.groupId,
      topics: options.topics,
      fromBeginning: false,
      maxWaitTimeInMs: 100,
      run: { eachMessage: (payload) => this.consume(payload) },
      restartBackoff: { initialDelayMs: 500, maxDelayMs: 30_000 },
      onCrash: (error, delayMs) =>
        options.onProblem(`consumer ${this.groupId} crashed, restarting in ${delayMs} ms: ${error.message}`),
      afterJoin: (consumer) => this.seekToReplayStart(consumer),
    });
  }

  get running(): boolean {
    return this.group.running;
  }

  async start(): Promise<void> {
    await this.deleteAbandonedGroups();
    await this.group.start();
  }

  /** Also deletes the group: nobody will ever join it again. */
  async stop(): Promise<void> {
    await this.group.stop();
    const admin = this.options.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([this.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect().catch(() => undefined));
  }

  /**
   * A process killed before stop() leaves its group behind, and no process ever resumes it: the
   * next one of the prefix deletes every member-less group, as Kafka's offsets retention would a
   * week later. A live process's group has a member, and the broker refuses to delete it
   * (NON_EMPTY_GROUP); one caught restarting rejoins a new group and seeks again.
   */
  private async deleteAbandonedGroups(): Promise<void> {
    const admin = this.options.kafka.admin();
    try {
      await admin.connect();
      const prefix = `${this.options.groupPrefix}.instance-`;
      const siblings = (await admin.listGroups()).groups
        .map((group) => group.groupId)
        .filter((groupId) => groupId.startsWith(prefix) && isInstanceGroup(groupId));
      if (siblings.length === 0) return;
      const { groups } = await admin.describeGroups(siblings);
      const abandoned = groups.filter((group) => group.members.length === 0).map((group) => group.groupId);
      if (abandoned.length > 0) await admin.deleteGroups(abandoned);
    } catch (error) {
      this.options.onProblem(
        `abandoned ${this.options.groupPrefix} groups not deleted: ${(error as Error).message}`,
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async seekToReplayStart(consumer: Consumer): Promise<void> {
    const since = this.options.replaySince();
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      for (const topic of this.options.topics) {
        for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, since))
          consumer.seek({ topic, partition, offset });
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async consume({ topic, partition, message }: EachMessagePayload): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = parseEnvelope(message.value, undefined, CONTRACT_UPCASTS);
    } catch (error) {
      if (!(error instanceof InvalidMessageError)) throw error;
      return this.options.onProblem(`${topic}[${partition}]@${message.offset} skipped: ${error.message}`);
    }
    await this.options.handle(envelope);
  }
}
