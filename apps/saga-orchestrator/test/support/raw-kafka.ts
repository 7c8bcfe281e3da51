import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';

export interface RawEnvelope {
  readonly messageId: string;
  readonly type: string;
  readonly streamId: string;
  readonly correlationId: string;
  readonly [field: string]: unknown;
}

/** A connection request for a connection broker-connection does not know: the saga is refused, then its compensation too → FAILED. */
export function unknownConnectionRequested(): RawEnvelope {
  const connectionId = uuidv7();
  return {
    messageId: uuidv7(),
    type: 'BrokerConnectionRequested',
    schemaVersion: 1,
    streamId: connectionId,
    streamVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId: uuidv7(),
    causationId: null,
    payload: {
      connectionId,
      userId: uuidv7(),
      broker: 'virtual',
      mode: 'paper',
      requestedAt: new Date().toISOString(),
    },
  };
}

/** What another team's tool or a misbehaving producer could put on a topic: envelopes sent as they are. */
export class RawKafka {
  private constructor(private readonly producer: Producer) {}

  static async connect(brokers: string): Promise<RawKafka> {
    const kafka = new Kafka({
      clientId: 'ops-dashboard-browser-test',
      brokers: brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    return new RawKafka(producer);
  }

  async publish(topic: string, envelope: RawEnvelope, headers: Record<string, string> = {}): Promise<void> {
    await this.producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: envelope.streamId,
          value: JSON.stringify(envelope),
          headers: { messageId: envelope.messageId, type: envelope.type, ...headers },
        },
      ],
    });
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
