import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually, OrchestratorKit } from './support/orchestrator-kit';

/** An operator's DLQ replay while Kafka is down is the one ops call that needs the broker right away. */
describe('saga-orchestrator ops API while Kafka is unreachable', () => {
  let kit: OrchestratorKit;
  let app: INestApplication;

  beforeAll(async () => {
    kit = await OrchestratorKit.start();
    app = await kit.startOrchestrator();
  });

  afterAll(async () => {
    await kit?.stop();
  });

  const admin = () => `Bearer ${kit.token('admin')}`;

  async function deadLetter(): Promise<string> {
    const messageId = uuidv7();
    const producer = kit.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: 'broker-account.events.dlq',
      messages: [
        {
          key: 'conn-outage',
          value: JSON.stringify({ messageId, type: 'BrokerAccountsDeleted', payload: {} }),
          headers: {
            messageId,
            'x-dlq-original-topic': 'broker-account.events',
            'x-dlq-consumer-group': 'user-account.track',
            'x-dlq-error-message': 'projection failed',
            'x-dlq-attempts': '5',
          },
        },
      ],
    });
    await producer.disconnect();
    return eventually(async () => {
      const listed = await request(app.getHttpServer()).get('/ops/dlq').set('authorization', admin());
      return listed.body.messages?.find((message: { messageId: string }) => message.messageId === messageId)
        ?.id;
    });
  }

  it('answers a replay with 503 DEPENDENCY_UNAVAILABLE and Retry-After, and keeps the message pending', async () => {
    const id = await deadLetter();
    await kit.broker.stop();

    const replay = await request(app.getHttpServer())
      .post(`/ops/dlq/${id}/replay`)
      .set('authorization', admin());
    expect(replay.status).toBe(503);
    expect(replay.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', details: { retryAfterSeconds: 5 } });
    expect(replay.headers['retry-after']).toBe('5');
    expect(JSON.stringify(replay.body)).not.toMatch(/KafkaJS|127\.0\.0\.1|ECONNREFUSED/);

    const pending = await request(app.getHttpServer())
      .get('/ops/dlq?status=pending')
      .set('authorization', admin());
    expect(pending.body.messages.map((message: { id: string }) => message.id)).toContain(id);
  });
});
