import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DevBrokerHandle } from '@tradecore/dev-broker';
import type { ITopicConfig } from 'kafkajs';
import { Logger } from 'nestjs-pino';
import { createTestSchema, type TestSchema } from '../../src/testing';
import { kafkaFor, startQuietBroker } from '../eventing-test-kit';
import { PARTNER_TOPIC } from './account-activity.consumer';
import { SampleAppModule } from './sample-app.module';

/**
 * A dev broker holding the partner topic (and `topics`) and a schema of its own, named in the
 * variables the sample app reads. Without the partner topic, the broker creates no topic by itself.
 */
export async function sampleAppEnvironment(
  schemaPrefix: string,
  topics: readonly ITopicConfig[] = [],
  { partnerTopic = true } = {},
): Promise<{ broker: DevBrokerHandle; database: TestSchema }> {
  const broker = await startQuietBroker({ autoCreateTopics: partnerTopic });
  const database = await createTestSchema(schemaPrefix);
  process.env.DATABASE_URL = database.databaseUrl;
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  process.env.LOG_LEVEL = 'silent';
  const held = partnerTopic ? [{ topic: PARTNER_TOPIC, numPartitions: 1 }, ...topics] : topics;
  if (held.length > 0) await createTopics(broker, held);
  return { broker, database };
}

export async function createTopics(broker: DevBrokerHandle, topics: readonly ITopicConfig[]): Promise<void> {
  const admin = kafkaFor(broker.brokers).admin();
  await admin.connect();
  await admin.createTopics({ topics: [...topics] });
  await admin.disconnect();
}

/** The sample app built from the environment as it is now (ConfigModule reads it then), initialised. */
export async function startSampleApp(schema: string): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [SampleAppModule.forRoot(schema)] }).compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  return app;
}
