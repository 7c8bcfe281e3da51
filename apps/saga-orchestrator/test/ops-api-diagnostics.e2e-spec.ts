import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { eventually } from './support/orchestrator-kit';
import { useScriptedOrchestrator } from './support/scripted-orchestrator';

describe('saga-orchestrator ops API: dead letters, traces, lag and metrics', () => {
  const orchestrator = useScriptedOrchestrator({ SAGA_TIMEOUT_SCALE: '1' });
  const { get, post } = orchestrator;

  it('mirrors dead letters from any service, replays one to its origin and discards another', async () => {
    const dead = async () => {
      const envelope = {
        messageId: uuidv7(),
        type: 'BrokerAccountsDeleted',
        schemaVersion: 1,
        streamId: 'conn-dlq',
        streamVersion: 1,
        occurredAt: new Date().toISOString(),
        correlationId: uuidv7(),
        causationId: null,
        payload: {
          connectionId: 'conn-dlq',
          userId: 'u',
          accountIds: [],
          deletedAt: new Date().toISOString(),
        },
      };
      const producer = orchestrator.kit.kafka.producer();
      await producer.connect();
      await producer.send({
        topic: 'broker-account.events.dlq',
        messages: [
          {
            key: 'conn-dlq',
            value: JSON.stringify(envelope),
            headers: {
              messageId: envelope.messageId,
              type: envelope.type,
              'x-dlq-original-topic': 'broker-account.events',
              'x-dlq-consumer-group': 'user-account.track',
              'x-dlq-error-message': 'projection failed',
              'x-dlq-attempts': '5',
            },
          },
        ],
      });
      await producer.disconnect();
      return envelope;
    };
    const [replayMe, discardMe] = [await dead(), await dead()];
    const listed = await eventually(async () => {
      const response = await get('/ops/dlq?topic=broker-account.events');
      return response.body.messages?.length >= 2 ? response.body.messages : undefined;
    });
    const idOf = (messageId: string) =>
      listed.find((m: { messageId: string }) => m.messageId === messageId).id;
    expect(listed[0]).toMatchObject({
      originalTopic: 'broker-account.events',
      error: 'projection failed',
      attempts: 5,
    });

    expect((await post(`/ops/dlq/${idOf(replayMe.messageId)}/replay`)).body.replayed).toEqual([
      idOf(replayMe.messageId),
    ]);
    expect((await post(`/ops/dlq/${idOf(discardMe.messageId)}/discard`)).status).toBe(200);
    expect((await post(`/ops/dlq/${idOf(discardMe.messageId)}/discard`)).status).toBe(404);
    expect((await post('/ops/dlq/replay', {})).status).toBe(400);

    const replayed = await eventually(async () => {
      const response = await get(`/ops/trace?messageId=${replayMe.messageId}`);
      return response.body.entries?.length > 0 ? response.body.entries : undefined;
    });
    expect(replayed[0]).toMatchObject({ topic: 'broker-account.events', type: 'BrokerAccountsDeleted' });
    expect((await get('/ops/dlq?status=pending&topic=broker-account.events')).body.messages).toEqual([]);
  });

  it('traces a request through events, commands, replies and telemetry in time order', async () => {
    const connectionId = uuidv7();
    const requested = await orchestrator.trigger.connectionRequested(connectionId);
    await orchestrator.kit.sagaReaches(connectionId, ['COMPLETED']);
    await orchestrator.kit.publish('ops.telemetry', 'MessageProcessed', requested.messageId, {
      service: 'broker-account',
      consumer: 'broker-account.link',
      topic: 'broker-account.commands',
      partition: 0,
      offset: '1',
      messageId: orchestrator.participants.commandsFor(connectionId)[2].messageId,
      messageType: 'LinkBrokerAccounts',
      correlationId: requested.correlationId,
      outcome: 'handled',
      attempt: 1,
      durationMs: 12,
      lagMs: 30,
      at: new Date().toISOString(),
    });

    const entries = await eventually(async () => {
      const response = await get(`/ops/trace?aggregateId=${connectionId}`);
      const found = response.body.entries ?? [];
      return found.some(
        (e: { kind: string; service?: string }) => e.kind === 'processed' && e.service === 'broker-account',
      ) &&
        found.filter((e: { type: string; kind: string }) => e.type === 'SagaReply' && e.kind === 'message')
          .length >= 6
        ? found
        : undefined;
    });
    expect(entries[0]).toMatchObject({
      kind: 'message',
      type: 'BrokerConnectionRequested',
      sincePreviousMs: 0,
    });
    expect(
      entries.filter((e: { kind: string }) => e.kind === 'command').map((e: { type: string }) => e.type),
    ).toEqual([
      'IssueBrokerAccountDataKey',
      'IssueAutomationDataKey',
      'VerifyBrokerCredentials',
      'ProvisionVirtualAccounts',
      'LinkBrokerAccounts',
      'MarkConnectionConnected',
    ]);
    expect(
      entries.filter((e: { type: string; kind: string }) => e.type === 'SagaReply' && e.kind === 'message'),
    ).toHaveLength(6);
    // The orchestrator's own consumers report their handling too; this record is broker-account's.
    expect(
      entries.find(
        (e: { kind: string; service?: string }) => e.kind === 'processed' && e.service === 'broker-account',
      ),
    ).toMatchObject({
      service: 'broker-account',
      outcome: 'handled',
      lagMs: 30,
    });
    const times = entries.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect((await get('/ops/trace')).status).toBe(400);
  });

  it('reports consumer lag per group and partition, and the health of every topic', async () => {
    const lag = await get('/ops/consumer-lag');
    expect(lag.status).toBe(200);
    const replies = lag.body.groups.find(
      (g: { groupId: string }) => g.groupId === 'saga-orchestrator.saga-replies',
    );
    expect(replies.partitions[0]).toMatchObject({ topic: 'saga.replies', lag: expect.any(Number) });

    const topics = await get('/ops/topics');
    expect(topics.body.healthy).toBe(true);
    expect(topics.body.topics).toContainEqual(
      expect.objectContaining({ name: 'saga.replies', status: 'ok', partitions: 3 }),
    );
  });

  it('exposes saga durations, sagas in flight and DLQ counts on /metrics', async () => {
    const metrics = (await request(orchestrator.app.getHttpServer()).get('/metrics')).text;
    expect(metrics).toMatch(
      /saga_duration_seconds_count\{[^}]*saga_type="BrokerConnection"[^}]*outcome="COMPLETED"/,
    );
    expect(metrics).toContain('saga_compensations_total');
    expect(metrics).toMatch(/dlq_messages\{[^}]*topic="broker-account.events"/);
    expect(metrics).toContain('sagas_in_flight');
    expect(metrics).toContain('# TYPE saga_oldest_unchanged_seconds gauge');
  });
});
