import { type INestApplication } from '@nestjs/common';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually, OrchestratorKit } from './support/orchestrator-kit';

/** What an operator gets back when the mistake is theirs (4xx) and when Kafka is down (503). */
describe('saga-orchestrator ops API errors', () => {
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
  const post = (path: string, body: object = {}) =>
    request(app.getHttpServer()).post(path).set('authorization', admin()).send(body);

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

  it('refuses a DLQ id beyond PostgreSQL bigint with 400 naming the field, not 500', async () => {
    const tooBig = '9223372036854775808';
    const replay = await post('/ops/dlq/replay', { ids: ['1', tooBig] });
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'ids' })],
    });
    for (const path of [`/ops/dlq/${tooBig}/replay`, `/ops/dlq/${tooBig}/discard`]) {
      const response = await post(path);
      expect({ path, status: response.status, body: response.body }).toMatchObject({
        path,
        status: 400,
        body: { code: 'INVALID_ID', details: { field: 'id' } },
      });
    }
  });

  // Last: it stops the broker. A DLQ replay is the one ops call that needs Kafka right away.
  it('answers a replay while Kafka is unreachable with 503 DEPENDENCY_UNAVAILABLE and Retry-After, and keeps the message pending', async () => {
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
