import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface TopicMessage {
  readonly partition: number;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export interface Message {
  readonly key: string;
  readonly value: string | Buffer;
  readonly headers?: Record<string, string>;
}

const READER_PREFIX = 'topic-reader-';

/** A group readTopic made: it reads to the end once and is left behind, so no lag probe should wait for it. */
export const isTopicReaderGroup = (group: string): boolean => group.startsWith(READER_PREFIX);

/** Every message of a topic from the beginning up to its end when called, read by a group of its own. */
export async function readTopic(kafka: Kafka, topic: string): Promise<TopicMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.map((end) => [end.partition, Number(end.high)]));
  const messages: TopicMessage[] = [];
  if ([...remaining.values()].every((high) => high === 0)) return messages;
  const consumer = kafka.consumer({ groupId: `${READER_PREFIX}${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 60_000);
    const check = () => {
      if ([...remaining.values()].every((high) => high <= 0)) {
        clearTimeout(timer);
        resolve();
      }
    };
    void consumer
      .run({
        eachMessage: async ({ partition, message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {}))
            headers[name] = String(Array.isArray(value) ? value[0] : value);
          messages.push({
            partition,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers,
          });
          const high = ends.find((end) => end.partition === partition);
          if (high && Number(message.offset) + 1 >= Number(high.high)) remaining.set(partition, 0);
          check();
        },
      })
      .catch(reject);
    check();
  });
  await consumer.disconnect();
  return messages;
}

export async function produce(kafka: Kafka, topic: string, messages: readonly Message[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: messages.map((message) => ({ ...message })) });
  await producer.disconnect();
}
