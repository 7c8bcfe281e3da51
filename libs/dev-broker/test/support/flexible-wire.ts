import { type DevBrokerHandle, startDevBroker } from '../../src';
import { Writer } from '../../src/protocol/writer';
import { kafkaFor, quiet } from './kafka-fixture';
import { RawClient } from './raw-client';

/**
 * What the flexible-version tests (KIP-482) share: the keys of the APIs they send by hand, with
 * layouts from Kafka 2.4's message definitions (clients/src/main/resources/common/message/*.json),
 * a writer for flexible request bodies, and a broker with a raw client on its port.
 */
export const ApiKey = {
  METADATA: 3,
  OFFSET_COMMIT: 8,
  OFFSET_FETCH: 9,
  FIND_COORDINATOR: 10,
  JOIN_GROUP: 11,
  HEARTBEAT: 12,
  LEAVE_GROUP: 13,
  SYNC_GROUP: 14,
  DESCRIBE_GROUPS: 15,
  LIST_GROUPS: 16,
  API_VERSIONS: 18,
  DELETE_GROUPS: 42,
  INCREMENTAL_ALTER_CONFIGS: 44,
} as const;

/** A request body in a flexible version: compact strings, bytes and arrays, tagged fields. */
export const flexible = (): Writer => new Writer(256, true);

export interface FlexibleWire {
  readonly broker: DevBrokerHandle;
  readonly client: RawClient;
}

/**
 * An in-memory broker and a raw client connected to it, for the enclosing describe block: started
 * in its beforeAll and stopped in its afterAll. Read the fields inside tests, not at declaration.
 */
export function useFlexibleWire(): FlexibleWire {
  const wire: { broker?: DevBrokerHandle; client?: RawClient } = {};
  beforeAll(async () => {
    wire.broker = await startDevBroker(quiet);
    wire.client = await RawClient.connect(wire.broker.ports[0]);
  });
  afterAll(async () => {
    wire.client?.close();
    await wire.broker?.stop();
  });
  return {
    get broker() {
      return started(wire.broker);
    },
    get client() {
      return started(wire.client);
    },
  };
}

/** Creates `topic` through kafkajs' admin client, as a test's setup. */
export async function createTopic(broker: DevBrokerHandle, topic: string, numPartitions = 1): Promise<void> {
  const admin = kafkaFor(broker).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions }] });
  } finally {
    await admin.disconnect();
  }
}

function started<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('the flexible wire is used before its beforeAll ran');
  return value;
}
