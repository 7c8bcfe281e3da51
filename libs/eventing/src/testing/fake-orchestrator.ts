import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { SagaReply } from '@tradecore/contracts';
import { type Envelope, isMessageOfType, parseEnvelope, toKafkaRecord } from '@tradecore/eventing';
import { eventually } from './eventually';

/** Plays the saga orchestrator: sends commands on a commands topic and reads every topic it is told to watch. */
export class FakeOrchestrator {
  readonly received = new Map<string, { envelope: Envelope; raw: string }[]>();
  private readonly kafka: Kafka;
  private producer?: Producer;
  private consumer?: Consumer;

  constructor(brokers: readonly string[]) {
    this.kafka = new Kafka({
      clientId: 'fake-orchestrator',
      brokers: [...brokers],
      logLevel: logLevel.NOTHING,
    });
  }

  async start(topics: readonly string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 3 })) });
    await admin.disconnect();
    this.producer = this.kafka.producer();
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: `fake-orchestrator-${uuidv7()}`, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const raw = message.value?.toString('utf8') ?? '';
        const list = this.received.get(topic) ?? [];
        list.push({ envelope: parseEnvelope(message.value), raw });
        this.received.set(topic, list);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** A saga command envelope as the orchestrator would send it; pass it to `send`, twice to test dedupe. */
  command(type: string, streamId: string, payload: unknown, sagaId = uuidv7(), step = 'step'): Envelope {
    return {
      messageId: uuidv7(),
      type,
      schemaVersion: 1,
      streamId,
      streamVersion: 0,
      occurredAt: new Date().toISOString(),
      correlationId: uuidv7(),
      causationId: null,
      sagaId,
      sagaStep: step,
      payload,
    };
  }

  async send(topic: string, envelope: Envelope): Promise<void> {
    const { value, headers } = toKafkaRecord(envelope);
    await this.producer?.send({ topic, messages: [{ key: envelope.streamId, value, headers }] });
  }

  repliesTo(commandMessageId: string): SagaReply['payload'][] {
    return (this.received.get('saga.replies') ?? [])
      .flatMap(({ envelope }) => (isMessageOfType(envelope, 'SagaReply') ? [envelope.payload] : []))
      .filter((reply) => reply.commandMessageId === commandMessageId);
  }

  /** Sends and waits for the one reply to that command. */
  async ask(topic: string, envelope: Envelope): Promise<SagaReply['payload']> {
    await this.send(topic, envelope);
    return eventually(() => this.repliesTo(envelope.messageId)[0]);
  }

  events(topic: string, type?: string): Envelope[] {
    return (this.received.get(topic) ?? [])
      .map(({ envelope }) => envelope)
      .filter((e) => !type || e.type === type);
  }

  rawMessages(): string {
    return [...this.received.values()]
      .flat()
      .map(({ raw }) => raw)
      .join('\n');
  }
}
