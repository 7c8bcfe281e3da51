import type { DevBrokerHandle } from '@tradecore/dev-broker';
import type { Kafka } from 'kafkajs';
import { MessageConsumer } from '../src/consumer/message-consumer';
import { EventStore } from '../src/event-store/event-store';
import { OutboxRelay, type OutboxRelayOptions } from '../src/outbox/outbox-relay';
import type { EventingInstrumentation } from '../src/observability/instrumentation';
import type { TestSchema } from '../src/testing';
import {
  collectTopic,
  eventingSchema,
  kafkaFor,
  recordEffect,
  startQuietBroker,
  eventually,
} from './eventing-test-kit';

/** What an outbox relay test works with; a test that starts a broker sets `broker` so it is stopped after. */
export class RelayHarness {
  db!: TestSchema;
  store!: EventStore;
  broker: DevBrokerHandle | undefined;
  /** Run after each test, last first: relays, consumers, readers and connections a test started. */
  readonly stoppers: (() => Promise<unknown>)[] = [];

  /**
   * A broker, a relay of service "tally" polling every `pollIntervalMs`, and a reader of `tally.events`
   * from its beginning; returns once the relay leads, so what a test appends next is its to publish.
   */
  async startLeadingRelay(pollIntervalMs: number) {
    this.broker = await startQuietBroker();
    const kafka = kafkaFor(this.broker.brokers);
    const relay = new OutboxRelay({
      dataSource: this.db.dataSource,
      schema: this.db.schema,
      kafka,
      serviceName: 'tally',
      pollIntervalMs,
    });
    const wire = await collectTopic(kafka, 'tally.events');
    this.stoppers.push(wire.stop);
    relay.start();
    this.stoppers.push(() => relay.stop());
    await eventually(() => relay.isLeader);
    return { kafka, relay, wire };
  }

  /** A consumer of `tally.events` in group "tally-view" recording each effect; the test starts it. */
  effectsConsumer(kafka: Kafka, instrumentation?: EventingInstrumentation): MessageConsumer {
    return new MessageConsumer({
      kafka,
      dataSource: this.db.dataSource,
      schema: this.db.schema,
      groupId: 'tally-view',
      topics: ['tally.events'],
      handle: recordEffect(this.db.schema, 'tally-view'),
      retry: { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 },
      instrumentation,
    });
  }

  /** A broker and two relay replicas of service "tally" that retry as standby every 50 ms; returns once one leads. */
  async startReplicas(options: Partial<OutboxRelayOptions> = {}): Promise<OutboxRelay[]> {
    this.broker = await startQuietBroker();
    const kafka = kafkaFor(this.broker.brokers);
    const replicas = [1, 2].map(
      () =>
        new OutboxRelay({
          dataSource: this.db.dataSource,
          schema: this.db.schema,
          kafka,
          serviceName: 'tally',
          standbyRetryMs: 50,
          ...options,
        }),
    );
    replicas.forEach((replica) => replica.start());
    this.stoppers.push(...replicas.map((replica) => () => replica.stop()));
    await eventually(() => replicas.some((replica) => replica.isLeader));
    return replicas;
  }
}

/** For each test a fresh migrated schema with an effects table and an event store; all stopped after it. */
export function useRelayHarness(): RelayHarness {
  const harness = new RelayHarness();
  beforeEach(async () => {
    harness.db = await eventingSchema();
    harness.store = new EventStore({ dataSource: harness.db.dataSource, schema: harness.db.schema });
  });
  afterEach(async () => {
    for (const stop of harness.stoppers.splice(0).reverse()) await stop();
    await harness.broker?.stop();
    harness.broker = undefined;
    await harness.db.drop();
  });
  return harness;
}
